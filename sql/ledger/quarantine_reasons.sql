-- Why the run's quarantined files were quarantined, with their numbers.

select
    reason,
    count(*) as files
from staging.rejected_file
where run_id = :run_id
group by reason;
