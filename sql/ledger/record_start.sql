-- A run starts (or a retried discover of the same run starts again: its row is reset).

insert into ops.etl_run (
    run_id, partition_date, status, forced, enrichment_version, files_seen, started_at,
    airflow_dag_id, airflow_run_id, airflow_try_number
)
values (
    :run_id, :partition, 'running', :forced, :enrichment_version, :files_seen, :started_at,
    :dag_id, :dag_run_id, :try_number
)
on conflict (run_id) do update set
    status = 'running',
    files_seen = excluded.files_seen,
    started_at = excluded.started_at,
    finished_at = null,
    error = null,
    shared_lock_seconds = null;
