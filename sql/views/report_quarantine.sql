-- report.quarantine: one row per file that could not become an article.
-- Which files were set aside, and why?
create or replace view report.quarantine as
with final as (
    select path, partition_date, sha256, reason, run_id, quarantined_at
    from ops.quarantine
)

select * from final;

comment on view report.quarantine is 'One row per file that could not become an article, with the latest reason.';
comment on column report.quarantine.path is 'The file''s path relative to the landing root.';
comment on column report.quarantine.partition_date is 'The landing-zone day it arrived in.';
comment on column report.quarantine.sha256 is 'SHA-256 of its bytes, when they could be read.';
comment on column report.quarantine.reason is 'Why it was set aside (empty, not text, too large, symlink leaves the landing zone, ...).';
comment on column report.quarantine.run_id is 'The run that set it aside (report.runs).';
comment on column report.quarantine.quarantined_at is 'When.';
