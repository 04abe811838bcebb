-- The warehouse: a star schema (dwh), its staging area (staging) and run bookkeeping (ops).
-- Ids exposed to analysts (article_id, entity_id, story_id) are uuids derived from natural
-- keys by the pipeline, so the same input gives the same ids whatever the load order.

create schema if not exists staging;
create schema if not exists dwh;
create schema if not exists ops;
create schema if not exists report;

-- ---------------------------------------------------------------- dimensions

-- One row per calendar day. Filled for 1900-2100 here; the load adds any day outside that
-- range that an article mentions ("the 1850s").
create table dwh.dim_date (
    date_key integer primary key, -- yyyymmdd
    calendar_date date not null unique,
    year smallint not null,
    quarter smallint not null,
    month smallint not null,
    month_name text not null,
    day_of_month smallint not null,
    iso_year smallint not null,
    iso_week smallint not null,
    iso_weekday smallint not null, -- 1 = Monday
    weekday_name text not null,
    is_weekend boolean not null
);

-- One row per outlet (the header's source, else the dateline's agency).
create table dwh.dim_source (
    source_id uuid primary key,
    source_name text not null unique
);

-- One row per article version: a file's path is the article's identity, its content hash
-- the version. Only the current version has facts; older versions keep their raw text.
create table dwh.dim_article (
    article_id uuid not null,
    sha256 text not null,
    path text not null, -- relative to the landing root: 2021-03-22/000_f482f422a3fa26a5.txt
    partition_date date not null,
    title text,
    source_id uuid references dwh.dim_source (source_id),
    dateline_place text,
    dateline_agency text,
    published_date date not null,
    published_basis text not null check (published_basis in ('header', 'dateline', 'partition')),
    language text not null,
    body text not null,
    captions text [] not null,
    raw_text text not null,
    byte_size bigint not null,
    enrichment_version text not null,
    story_id uuid,
    is_current boolean not null,
    loaded_at timestamptz not null,
    primary key (article_id, sha256)
);

create unique index dim_article_one_current on dwh.dim_article (article_id) where is_current;
create index dim_article_sha256 on dwh.dim_article (sha256) where is_current;
create index dim_article_partition on dwh.dim_article (partition_date);
create index dim_article_published on dwh.dim_article (published_date) where is_current;

-- Every file name an article arrived under: its own path, and the names its identical
-- copies came under (duplicates).
create table dwh.article_file (
    path text primary key,
    article_id uuid not null,
    partition_date date not null,
    sha256 text not null,
    is_primary boolean not null
);

create index article_file_article on dwh.article_file (article_id);

-- One row per canonical entity. entity_id derives from the entity's resolved key.
create table dwh.dim_entity (
    entity_id uuid primary key,
    canonical_name text not null,
    entity_type text not null,
    country_code text
);

-- Every surface form seen (folded: accents, case, punctuation), and the entity it most
-- often stands for.
create table dwh.entity_alias (
    alias text primary key,
    entity_id uuid not null references dwh.dim_entity (entity_id)
);

create index entity_alias_entity on dwh.entity_alias (entity_id);

-- One row per entity of one (current) article as the document alone sees it: the input of
-- the cross-document resolution, which is recomputed from these rows after every load, so
-- that the entities never depend on the order articles were loaded in.
create table dwh.article_entity (
    article_id uuid not null,
    entity_key text not null, -- person:antony blinken, surname:stoltenberg, place:brussels, ...
    canonical_name text not null,
    entity_type text not null,
    country_code text,
    acronym text, -- folded acronym the article tied to this long form: "(EU)"
    forms text [] not null, -- spellings seen
    aliases text [] not null, -- the same, folded
    mentions integer not null,
    first_offset integer not null,
    primary key (article_id, entity_key)
);

create index article_entity_key on dwh.article_entity (entity_key);

-- The current resolution: which entity each key belongs to.
create table dwh.entity_key_map (
    entity_key text primary key,
    entity_id uuid not null
);

-- ---------------------------------------------------------------- facts

-- Grain: one entity in one (current) article.
create table dwh.fact_entity_mention (
    article_id uuid not null,
    entity_id uuid not null references dwh.dim_entity (entity_id),
    mentions integer not null,
    first_offset integer not null,
    primary key (article_id, entity_id)
);

create index fact_entity_mention_entity on dwh.fact_entity_mention (entity_id);

-- Grain: one date expression in one (current) article.
create table dwh.fact_date_mention (
    article_id uuid not null,
    start_offset integer not null,
    end_offset integer not null,
    mention_text text not null,
    value text not null, -- TIMEX3
    end_value text, -- TIMEX3, ranges only
    granularity text not null check (
        granularity in ('day', 'week', 'month', 'quarter', 'season', 'year', 'decade', 'century')
    ),
    start_date_key integer not null references dwh.dim_date (date_key),
    end_date_key integer not null references dwh.dim_date (date_key),
    primary key (article_id, start_offset)
);

create index fact_date_mention_start on dwh.fact_date_mention (start_date_key, end_date_key);

-- ---------------------------------------------------------------- staging
-- Filled by the process step (COPY), merged and emptied by the load step. Rows carry the
-- run_id, so a retried or concurrent run never reads another run's rows.

create table staging.article (
    run_id uuid not null,
    path text not null,
    partition_date date not null,
    article_id uuid not null,
    sha256 text not null,
    byte_size bigint not null,
    title text,
    source_id uuid,
    source_name text,
    dateline_place text,
    dateline_agency text,
    published_date date not null,
    published_basis text not null,
    language text not null,
    body text not null,
    captions text [] not null,
    raw_text text not null,
    enrichment_version text not null,
    primary key (run_id, path)
);

create table staging.entity_mention (
    run_id uuid not null,
    path text not null,
    entity_key text not null,
    canonical_name text not null,
    entity_type text not null,
    country_code text,
    acronym text,
    forms text [] not null,
    aliases text [] not null,
    mentions integer not null,
    first_offset integer not null
);

create index staging_entity_mention_run on staging.entity_mention (run_id, path);

create table staging.date_mention (
    run_id uuid not null,
    path text not null,
    start_offset integer not null,
    end_offset integer not null,
    mention_text text not null,
    value text not null,
    end_value text,
    granularity text not null,
    start_date date not null,
    end_date date not null
);

create index staging_date_mention_run on staging.date_mention (run_id, path);

-- What discovery decided for every seen file of a run: process it, or unchanged.
create table staging.run_file (
    run_id uuid not null,
    path text not null,
    sha256 text,
    action text not null check (action in ('process', 'unchanged')),
    primary key (run_id, path)
);

create table staging.rejected_file (
    run_id uuid not null,
    path text not null,
    partition_date date not null,
    sha256 text,
    reason text not null,
    primary key (run_id, path)
);

-- ---------------------------------------------------------------- bookkeeping

-- One row per run of one partition.
create table ops.etl_run (
    run_id uuid primary key,
    partition_date date not null,
    status text not null check (status in ('running', 'succeeded', 'failed')),
    forced boolean not null default false,
    enrichment_version text not null,
    files_seen integer not null default 0,
    loaded integer not null default 0,
    unchanged integer not null default 0,
    duplicates integer not null default 0,
    quarantined integer not null default 0,
    started_at timestamptz not null,
    finished_at timestamptz,
    error text
);

create index etl_run_partition on ops.etl_run (partition_date, started_at);

-- What the pipeline knows of every file it has seen: the state a re-run compares against.
create table ops.file_manifest (
    path text primary key,
    partition_date date not null,
    sha256 text,
    byte_size bigint,
    enrichment_version text not null,
    outcome text not null check (outcome in ('loaded', 'duplicate', 'quarantined')),
    article_id uuid,
    last_run_id uuid not null,
    updated_at timestamptz not null
);

create index file_manifest_partition on ops.file_manifest (partition_date);

-- Files that could not become articles, with the reason. One row per path: the latest verdict.
create table ops.quarantine (
    path text primary key,
    partition_date date not null,
    sha256 text,
    reason text not null,
    run_id uuid not null,
    quarantined_at timestamptz not null
);
