-- What the merge counted, in the merge's transaction.

update ops.etl_run
set
    files_seen = :files_seen,
    loaded = :loaded,
    unchanged = :unchanged,
    duplicates = :duplicates,
    quarantined = :quarantined,
    shared_lock_seconds = :shared_lock_seconds
where run_id = :run_id;
