-- report.sources: one row per outlet.
-- Which outlets do the articles come from, how many, over which days?
create or replace view report.sources as
with final as (
    select
        coalesce(s.source_name, '(unknown)') as source,
        count(*)::integer as articles,
        min(a.published_date) as first_published,
        max(a.published_date) as last_published
    from dwh.dim_article as a
    left join dwh.dim_source as s on s.source_id = a.source_id
    where a.is_current
    group by coalesce(s.source_name, '(unknown)')
)

select * from final;
