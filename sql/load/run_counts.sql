-- The buckets of one run: every seen file (staging.run_file) ends in exactly one, read from
-- what the merge wrote to the manifest. A file to process that the manifest does not show
-- as processed by this run is unaccounted for, and fails the reconciliation.
select
    count(*) as files_seen,
    count(*) filter (where f.action = 'process' and m.last_run_id = f.run_id and m.outcome = 'loaded') as loaded,
    count(*) filter (where f.action = 'unchanged' and m.outcome = 'loaded') as unchanged,
    count(*) filter (
        where m.outcome = 'duplicate' and (f.action = 'unchanged' or m.last_run_id = f.run_id)
    ) as duplicates,
    count(*) filter (where f.action = 'process' and m.last_run_id = f.run_id and m.outcome = 'quarantined') as quarantined
from staging.run_file as f
left join ops.file_manifest as m on m.path = f.path
where f.run_id = :run_id;
