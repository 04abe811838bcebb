-- report.sources: one row per outlet ("(unknown)": the articles that name none).
-- Which outlets do the articles come from, how many, over which days?
create or replace view report.sources as
with final as (
    select
        coalesce(s.source_name, '(unknown)') as source,
        sum(d.articles)::integer as articles,
        min(d.day) as first_published,
        max(d.day) as last_published
    from dwh.source_day as d
    -- The outlet its spelling belongs to ("Reuter" is Reuters: etl/warehouse/sources.py).
    left join dwh.dim_source as spelling on spelling.source_id = d.source_id
    left join dwh.dim_source as s on s.source_id = coalesce(spelling.outlet_id, spelling.source_id)
    group by coalesce(s.source_name, '(unknown)')
)

select * from final;

comment on view report.sources is 'One row per outlet ("(unknown)": the articles that name none).';
comment on column report.sources.source is 'The outlet''s name.';
comment on column report.sources.articles is 'Its current articles.';
comment on column report.sources.first_published is 'Its earliest publication day.';
comment on column report.sources.last_published is 'Its latest publication day.';
