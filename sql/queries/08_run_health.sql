-- Did each day load, and where did every file go? (the first run of each partition)
select distinct on (partition_date) partition_date, files_seen, loaded, unchanged, duplicates, quarantined, status
from report.runs
order by partition_date, started_at;
