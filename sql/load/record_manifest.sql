-- What this run concluded for each file it processed: the state the next run compares
-- against (loaded, a duplicate of its primary, or quarantined).
--
-- reads: run_version
insert into ops.file_manifest (
    path, partition_date, sha256, byte_size, enrichment_version, outcome, article_id,
    last_run_id, updated_at
)
select
    s.path, s.partition_date, s.sha256, s.byte_size, s.enrichment_version,
    case when v.article_id = v.primary_article_id then 'loaded' else 'duplicate' end,
    v.primary_article_id, s.run_id, now()
from staging.article as s
inner join run_version as v on v.article_id = s.article_id and v.is_staged
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
