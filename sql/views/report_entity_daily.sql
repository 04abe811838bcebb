-- report.entity_daily: one row per entity and publication day.
-- Who was in the news on which day, how often, in how many articles?
create or replace view report.entity_daily as
with mentions as (
    select f.entity_id, f.mentions, a.published_date
    from dwh.fact_entity_mention as f
    inner join dwh.dim_article as a on a.article_id = f.article_id and a.is_current
),

final as (
    select
        m.published_date as day,
        m.entity_id,
        e.canonical_name,
        e.entity_type,
        sum(m.mentions)::integer as mentions,
        count(*)::integer as articles
    from mentions as m
    inner join dwh.dim_entity as e on e.entity_id = m.entity_id
    group by m.published_date, m.entity_id, e.canonical_name, e.entity_type
)

select * from final;
