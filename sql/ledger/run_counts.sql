-- A run's partition and its buckets, for the check.

select
    partition_date,
    files_seen,
    loaded,
    unchanged,
    duplicates,
    quarantined
from ops.etl_run
where run_id = :run_id;
