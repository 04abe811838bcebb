-- report.quarantine: one row per file that could not become an article.
-- Which files were set aside, and why?
create or replace view report.quarantine as
with final as (
    select path, partition_date, sha256, reason, run_id, quarantined_at
    from ops.quarantine
)

select * from final;
