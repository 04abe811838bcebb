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

comment on view report.runs is 'One row per pipeline run of one partition: every file seen ends in exactly one bucket, files_seen = loaded + unchanged + duplicates + quarantined.';
comment on column report.runs.run_id is 'The run''s id.';
comment on column report.runs.partition_date is 'The landing-zone day the run processed.';
comment on column report.runs.files_seen is 'Files of the partition folder (not hidden, not in-progress uploads).';
comment on column report.runs.loaded is 'New or changed files, loaded as articles.';
comment on column report.runs.unchanged is 'Files with the content and enrichment version already loaded: not processed again.';
comment on column report.runs.duplicates is 'Files whose content another article (the smallest path) already has: recorded as its names.';
comment on column report.runs.quarantined is 'Files set aside with a reason (report.quarantine).';
comment on column report.runs.started_at is 'When the run started.';
comment on column report.runs.seconds is 'How long it ran (until now, while running).';
comment on column report.runs.status is 'running, succeeded or failed.';
comment on column report.runs.forced is 'Whether it re-processed unchanged files (--force).';
comment on column report.runs.enrichment_version is 'The parser, rules and model version it ran with.';
comment on column report.runs.error is 'Why it failed.';
comment on column report.runs.shared_lock_seconds is 'How long its load held the lock shared by all partitions.';
comment on column report.runs.airflow_dag_id is 'The Airflow DAG that started it (null: the command line).';
comment on column report.runs.airflow_run_id is 'The Airflow DAG run.';
comment on column report.runs.airflow_try_number is 'The try of the discover task that started it: every try is a run of its own.';
