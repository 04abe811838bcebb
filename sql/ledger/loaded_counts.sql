-- The counts of a run whose merge has committed (its shared-lock time is recorded with
-- them): a retried load only reports them.

select
    files_seen,
    loaded,
    unchanged,
    duplicates,
    quarantined,
    shared_lock_seconds
from ops.etl_run
where run_id = :run_id and shared_lock_seconds is not null;
