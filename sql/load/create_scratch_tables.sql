-- The scratch tables one merge's steps hand to each other; dropped when it commits.
--
-- creates: fresh, retiring, entity_delta, source_delta, entity_key_day_delta, entity_day_dirty, place_gone, story_dirty, story_seed, story_touched

-- Article versions the merge makes current from this run's staged rows (primaries).
create temporary table fresh (
    article_id uuid primary key,
    sha256 text not null
) on commit drop;

-- Current versions that stop being current, or whose facts are rebuilt.
create temporary table retiring (
    article_id uuid primary key,
    sha256 text not null,
    published_date date not null,
    published_date_key integer not null,
    source_id uuid,
    source_name text,
    source_alias_ids uuid [] not null,
    story_id uuid
) on commit drop;

-- Documents' views of entities that leave (-1) or join (+1) the current articles: the
-- deltas of the per-key statistics the cross-document resolution reads.
create temporary table entity_delta (
    sign smallint not null,
    article_id uuid not null,
    entity_key text not null,
    canonical_name text not null,
    entity_type text not null,
    country_code text,
    acronym text,
    forms text [] not null,
    aliases text [] not null,
    geonameid integer
) on commit drop;

-- Articles that leave (-1) or join (+1) the current ones: their outlet (null: none), its
-- spelling, the outlet's other spellings in the article, and their publication day.
create temporary table source_delta (
    sign smallint not null,
    source_id uuid,
    spelling text,
    alias_ids uuid [] not null default '{}',
    published_date date not null
) on commit drop;

-- Entity facts that came (+) and went (-), summed by key and day: the deltas of
-- dwh.entity_key_day.
create temporary table entity_key_day_delta (
    entity_key text not null,
    published_date_key integer not null,
    mentions integer not null,
    articles integer not null
) on commit drop;

-- Entities and days whose row of dwh.entity_day is counted again: those of the keys whose
-- articles came and went, and those of the keys that changed entity.
create temporary table entity_day_dirty (
    day date not null,
    entity_id uuid not null,
    primary key (day, entity_id)
) on commit drop;

-- Places the retired versions named: dropped from dim_place unless another article names them.
create temporary table place_gone (geonameid integer primary key) on commit drop;

-- Articles whose story pairs are decided again (new or retired versions) ...
create temporary table story_dirty (article_id uuid primary key) on commit drop;

-- ... and the articles whose story groups are recomputed (those, and their old partners).
create temporary table story_seed (article_id uuid primary key) on commit drop;

-- Stories that gained or lost articles: their summaries (dwh.dim_story) are recomputed.
create temporary table story_touched (story_id uuid primary key) on commit drop;
