-- report.entity_daily: one row per entity and publication day.
-- Who was in the news on which day, how often, in how many articles? The day's per-key sums
-- (dwh.entity_key_day, kept by the load) summed by the entity each key resolves to today.
-- A filter on the day reaches the key rows' day index before anything is summed; an entity
-- named that day under two keys (one article may name both) counts its articles from the
-- facts. (A plain select, no WITH: PostgreSQL cannot merge a view with a WITH clause into
-- the query that reads it, and the query's filter would not reach the index.)
create or replace view report.entity_daily as
select
    s.day,
    s.entity_id,
    e.canonical_name,
    e.entity_type,
    s.mentions,
    case
        when s.keys = 1 then s.key_articles
        else (
            select count(distinct f.article_id)::integer
            from dwh.entity_key_map as m
            inner join dwh.fact_entity_mention as f
                on f.entity_key = m.entity_key and f.published_date_key = dwh.date_key(s.day)
            where m.entity_id = s.entity_id
        )
    end as articles
from (
    select
        dwh.key_date(kd.published_date_key) as day,
        m.entity_id,
        sum(kd.mentions)::integer as mentions,
        sum(kd.articles)::integer as key_articles,
        count(*) as keys
    from dwh.entity_key_day as kd
    inner join dwh.entity_key_map as m on m.entity_key = kd.entity_key
    group by dwh.key_date(kd.published_date_key), m.entity_id
) as s
inner join dwh.dim_entity as e on e.entity_id = s.entity_id;

comment on view report.entity_daily is 'One row per entity and publication day. Who was in the news on which day, how often.';
comment on column report.entity_daily.day is 'The publication day.';
comment on column report.entity_daily.entity_id is 'The canonical entity.';
comment on column report.entity_daily.canonical_name is 'The entity''s name.';
comment on column report.entity_daily.entity_type is 'spaCy''s label: PERSON, ORG, GPE, ...';
comment on column report.entity_daily.mentions is 'Times the day''s articles name the entity.';
comment on column report.entity_daily.articles is 'Articles of the day that name the entity.';
