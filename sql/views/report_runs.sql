-- report.runs: one row per pipeline run of one partition.
-- Did each day load, and where did every file go?
create or replace view report.runs as
with final as (
    select
        run_id,
        partition_date,
        files_seen,
        loaded,
        unchanged,
        duplicates,
        quarantined,
        started_at,
        extract(epoch from coalesce(finished_at, now()) - started_at)::numeric(10, 1) as seconds,
        status,
        forced,
        enrichment_version,
        error,
        shared_lock_seconds,
        airflow_dag_id,
        airflow_run_id,
        airflow_try_number
    from ops.etl_run
)

select * from final;
