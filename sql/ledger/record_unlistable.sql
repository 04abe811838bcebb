-- A run whose partition folder cannot be listed: failed from the start, with why.

insert into ops.etl_run (
    run_id, partition_date, status, forced, enrichment_version, started_at, finished_at, error,
    airflow_dag_id, airflow_run_id, airflow_try_number
)
values (
    :run_id, :partition, 'failed', :forced, :enrichment_version, :at, :at, :error,
    :dag_id, :dag_run_id, :try_number
)
on conflict (run_id) do update set
    status = 'failed',
    finished_at = excluded.finished_at,
    error = excluded.error;
