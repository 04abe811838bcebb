-- What the cross-document resolution and the stories need to be maintained by deltas, so a
-- day's load costs in proportion to the day (etl/warehouse_entities.py). Each table is a
-- function of the current articles' own views (dwh.article_entity); `news-etl resolve
-- --full` rebuilds them all from it, and must give the same warehouse.

-- Per entity key: in how many current articles it has each type, spelling ("form"), name,
-- country, and short form tied to it ("tie": the "(EU)" of "European Union (EU)").
create table dwh.entity_key_stat (
    entity_key text not null,
    facet text not null check (facet in ('type', 'form', 'name', 'country', 'tie')),
    value text not null,
    docs integer not null,
    primary key (entity_key, facet, value)
);

-- Per folded spelling and key: in how many current articles (entity_alias is its argmax).
create table dwh.alias_key_stat (
    alias text not null,
    entity_key text not null,
    docs integer not null,
    primary key (alias, entity_key)
);

create index alias_key_stat_key on dwh.alias_key_stat (entity_key);

-- Which keys can change each other's resolution: keys sharing a label form a cluster that
-- is resolved together (etl/enrich/resolve.py: cluster_labels).
create table dwh.entity_key_label (
    label text not null,
    entity_key text not null,
    primary key (label, entity_key)
);

create index entity_key_label_key on dwh.entity_key_label (entity_key);

-- The folded name of the entity a key resolves to before analysts' overrides: overrides
-- name entities, so a load re-applies them to the keys whose names they mention.
alter table dwh.entity_key_map add column base_name text not null default '';

create index entity_key_map_base_name on dwh.entity_key_map (base_name);
create index entity_key_map_name on dwh.entity_key_map (split_part(entity_key, ':', 2));
create index entity_key_map_entity on dwh.entity_key_map (entity_id);

-- The version of the rules the derived state (sources, entities, stories) was built with;
-- when the pipeline's differs, the next init-db or load rebuilds it in full once.
create table dwh.derived_state (
    singleton boolean primary key default true check (singleton),
    version text not null
);

insert into dwh.derived_state (version) values ('built before migration 0008');

-- The manifest rows of an article's files, for when it becomes another's duplicate.
create index file_manifest_article on ops.file_manifest (article_id);

-- How long each run held the shared-state lock (report.runs).
alter table ops.etl_run add column shared_lock_seconds numeric(10, 3);

-- An article's MinHash band hashes next to its signature, found by a GIN index ("which
-- articles share a band hash with these"): one row an article instead of one a band.
alter table dwh.article_signature add column band_hashes bigint [] not null default '{}';

update dwh.article_signature as s
set band_hashes = b.hashes
from (select article_id, array_agg(hash order by band) as hashes from dwh.article_band group by article_id) as b
where b.article_id = s.article_id;

create index article_signature_bands on dwh.article_signature using gin (band_hashes);

drop table dwh.article_band;

-- Staged articles carry their own story id (etl/ids.py), so SQL never derives an id.
alter table staging.article add column story_id uuid;

-- A retired version belongs to no story (only current articles are grouped).
update dwh.dim_article set story_id = null where not is_current;
