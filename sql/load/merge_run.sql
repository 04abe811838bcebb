-- Merge one run's staged rows (staging.*, run_id = :run_id) into the star schema.
-- Runs in one transaction under the shared-state lock, after the heavy work is done; every
-- statement is set-based and idempotent: merging the same staged rows twice changes nothing.

-- Quarantined files: one row per path, the latest verdict.
insert into ops.quarantine (path, partition_date, sha256, reason, run_id, quarantined_at)
select path, partition_date, sha256, reason, run_id, now()
from staging.rejected_file
where run_id = :run_id
on conflict (path) do update
set sha256 = excluded.sha256,
    reason = excluded.reason,
    run_id = excluded.run_id,
    quarantined_at = excluded.quarantined_at;

-- A path that was quarantined and now loads leaves the quarantine.
delete from ops.quarantine as q
using staging.article as s
where s.run_id = :run_id and q.path = s.path;

-- Outlets named by the staged articles.
insert into dwh.dim_source (source_id, source_name)
select distinct source_id, source_name
from staging.article
where run_id = :run_id and source_name is not null
on conflict do nothing;

-- A new version of an article supersedes the current one: it keeps its raw text, loses its facts.
update dwh.dim_article as a
set is_current = false
from staging.article as s
where s.run_id = :run_id
    and a.article_id = s.article_id
    and a.sha256 <> s.sha256
    and a.is_current;

delete from dwh.fact_entity_mention as f
using staging.article as s
where s.run_id = :run_id and f.article_id = s.article_id;

delete from dwh.fact_date_mention as f
using staging.article as s
where s.run_id = :run_id and f.article_id = s.article_id;

-- The staged versions become current. loaded_at keeps the first load of a version.
insert into dwh.dim_article (
    article_id, sha256, path, partition_date, title, source_id, dateline_place,
    dateline_agency, published_date, published_basis, language, body, captions, raw_text,
    byte_size, enrichment_version, is_current, loaded_at, story_id
)
select
    s.article_id, s.sha256, s.path, s.partition_date, s.title, src.source_id, s.dateline_place,
    s.dateline_agency, s.published_date, s.published_basis, s.language, s.body, s.captions,
    s.raw_text, s.byte_size, s.enrichment_version, true, now(),
    -- a story of its own until the story step finds its companions (stories.story_id_for)
    md5('story:' || s.article_id::text)::uuid
from staging.article as s
left join dwh.dim_source as src on src.source_name = s.source_name
where s.run_id = :run_id
on conflict (article_id, sha256) do update
set title = excluded.title,
    source_id = excluded.source_id,
    dateline_place = excluded.dateline_place,
    dateline_agency = excluded.dateline_agency,
    published_date = excluded.published_date,
    published_basis = excluded.published_basis,
    language = excluded.language,
    body = excluded.body,
    captions = excluded.captions,
    enrichment_version = excluded.enrichment_version,
    is_current = true;

-- The staged articles' entities as each document sees them; the cross-document
-- resolution (resolve_entities.sql) turns them into dim_entity and fact_entity_mention.
delete from dwh.article_entity as ae
using staging.article as s
where s.run_id = :run_id and ae.article_id = s.article_id;

insert into dwh.article_entity (
    article_id, entity_key, canonical_name, entity_type, country_code, acronym, forms,
    aliases, mentions, first_offset
)
select
    a.article_id, e.entity_key, e.canonical_name, e.entity_type, e.country_code, e.acronym,
    e.forms, e.aliases, e.mentions, e.first_offset
from staging.entity_mention as e
inner join staging.article as a on a.run_id = e.run_id and a.path = e.path
where e.run_id = :run_id;

-- The staged articles' text signatures, for the story step (etl/stories.py).
delete from dwh.article_signature as sig
using staging.article as s
where s.run_id = :run_id and sig.article_id = s.article_id;

insert into dwh.article_signature (article_id, minhash, shingles)
select article_id, minhash, shingles
from staging.article
where run_id = :run_id and minhash is not null;

delete from dwh.article_band as b
using staging.article as s
where s.run_id = :run_id and b.article_id = s.article_id;

insert into dwh.article_band (article_id, band, hash)
select s.article_id, band.n, band.hash
from staging.article as s
cross join lateral unnest(s.band_hashes) with ordinality as band (hash, n)
where s.run_id = :run_id and s.band_hashes is not null;

-- Days an article mentions outside dim_date's prefilled range.
select dwh.fill_dim_date(d, d)
from (
    select start_date as d from staging.date_mention where run_id = :run_id
    union
    select end_date from staging.date_mention where run_id = :run_id
) as days
where not exists (select 1 from dwh.dim_date where calendar_date = days.d);

insert into dwh.fact_date_mention (
    article_id, start_offset, end_offset, mention_text, value, end_value, granularity,
    start_date_key, end_date_key
)
select
    a.article_id, d.start_offset, d.end_offset, d.mention_text, d.value, d.end_value,
    d.granularity, to_char(d.start_date, 'YYYYMMDD')::integer,
    to_char(d.end_date, 'YYYYMMDD')::integer
from staging.date_mention as d
inner join staging.article as a on a.run_id = d.run_id and a.path = d.path
where d.run_id = :run_id;

-- Every file name an article arrived under.
insert into dwh.article_file (path, article_id, partition_date, sha256, is_primary)
select path, article_id, partition_date, sha256, true
from staging.article
where run_id = :run_id
on conflict (path) do update
set article_id = excluded.article_id,
    sha256 = excluded.sha256,
    is_primary = true;

-- Identical contents are one article: the one with the smallest path (paths start with the
-- partition, so the earliest partition wins), whatever order the files were loaded in.
-- The others stop being current and become names of that article.
create temporary table duplicate_article on commit drop as
select a.article_id, a.sha256, a.path, first_value(a.article_id) over w as primary_article_id
from dwh.dim_article as a
where a.is_current
    and a.sha256 in (
        select sha256 from staging.article where run_id = :run_id
    )
window w as (partition by a.sha256 order by a.path);

delete from duplicate_article where article_id = primary_article_id;

update dwh.dim_article as a
set is_current = false
from duplicate_article as d
where a.article_id = d.article_id and a.sha256 = d.sha256;

delete from dwh.fact_entity_mention as f
using duplicate_article as d
where f.article_id = d.article_id;

delete from dwh.article_entity as ae
using duplicate_article as d
where ae.article_id = d.article_id;

delete from dwh.article_signature as sig
using duplicate_article as d
where sig.article_id = d.article_id;

delete from dwh.article_band as b
using duplicate_article as d
where b.article_id = d.article_id;

delete from dwh.fact_date_mention as f
using duplicate_article as d
where f.article_id = d.article_id;

update dwh.article_file as af
set article_id = d.primary_article_id, is_primary = false
from duplicate_article as d
where af.path = d.path;

update ops.file_manifest as m
set outcome = 'duplicate', article_id = d.primary_article_id
from duplicate_article as d
where m.path = d.path;

-- What this run concluded for each processed file: the state the next run compares against.
insert into ops.file_manifest (
    path, partition_date, sha256, byte_size, enrichment_version, outcome, article_id,
    last_run_id, updated_at
)
select
    s.path, s.partition_date, s.sha256, s.byte_size, s.enrichment_version,
    case when d.path is null then 'loaded' else 'duplicate' end,
    coalesce(d.primary_article_id, s.article_id), s.run_id, now()
from staging.article as s
left join duplicate_article as d on d.path = s.path
where s.run_id = :run_id
union all
select r.path, r.partition_date, r.sha256, null, run.enrichment_version, 'quarantined', null, r.run_id, now()
from staging.rejected_file as r
inner join ops.etl_run as run on run.run_id = r.run_id
where r.run_id = :run_id
on conflict (path) do update
set sha256 = excluded.sha256,
    byte_size = excluded.byte_size,
    enrichment_version = excluded.enrichment_version,
    outcome = excluded.outcome,
    article_id = excluded.article_id,
    last_run_id = excluded.last_run_id,
    updated_at = excluded.updated_at;
