-- Files of the run that could not become articles: one row per path, the latest verdict.
insert into ops.quarantine (path, partition_date, sha256, reason, run_id, quarantined_at)
select path, partition_date, sha256, reason, run_id, now()
from staging.rejected_file
where run_id = :run_id
on conflict (path) do update
set sha256 = excluded.sha256,
    reason = excluded.reason,
    run_id = excluded.run_id,
    quarantined_at = excluded.quarantined_at;

-- A path that was quarantined and now loads leaves the quarantine.
delete from ops.quarantine as q
using staging.article as s
where s.run_id = :run_id and q.path = s.path;
