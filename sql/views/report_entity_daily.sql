-- report.entity_daily: one row per entity and publication day.
-- Who was in the news on which day, how often, in how many articles? (A filter on day
-- reaches the fact table's day key: one partition, one index range.)
create or replace view report.entity_daily as
with daily as (
    select
        d.calendar_date as day,
        f.entity_id,
        sum(f.mentions)::integer as mentions,
        count(*)::integer as articles
    from dwh.fact_entity_mention as f
    inner join dwh.dim_date as d on d.date_key = f.published_date_key
    group by d.calendar_date, f.entity_id
),

final as (
    select
        m.day,
        m.entity_id,
        e.canonical_name,
        e.entity_type,
        m.mentions,
        m.articles
    from daily as m
    inner join dwh.dim_entity as e on e.entity_id = m.entity_id
)

select * from final;

comment on view report.entity_daily is 'One row per entity and publication day. Who was in the news on which day, how often.';
comment on column report.entity_daily.day is 'The publication day.';
comment on column report.entity_daily.entity_id is 'The canonical entity.';
comment on column report.entity_daily.canonical_name is 'The entity''s name.';
comment on column report.entity_daily.entity_type is 'spaCy''s label: PERSON, ORG, GPE, ...';
comment on column report.entity_daily.mentions is 'Times the day''s articles name the entity.';
comment on column report.entity_daily.articles is 'Articles of the day that name the entity.';
