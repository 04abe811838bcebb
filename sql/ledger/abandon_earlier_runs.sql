-- Earlier runs of the partition that died before their load (killed: still "running") are
-- failed, so their staged rows can go.

update ops.etl_run
set
    status = 'failed',
    finished_at = now(),
    error = coalesce(error, 'abandoned: a later run of the partition started')
where
    partition_date = :partition
    and status = 'running'
    and run_id <> :run_id;
