-- A run ends: succeeded, or failed with its error.

update ops.etl_run
set
    status = :status,
    finished_at = :at,
    error = :error
where run_id = :run_id;
