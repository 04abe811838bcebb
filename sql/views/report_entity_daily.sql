-- report.entity_daily: one row per entity and publication day.
-- Who was in the news on which day, how often, in how many articles? Read from the load's
-- summary (dwh.entity_day): a day filter reads that day's rows in order of mentions, so
-- "the top 10 of a day" names 10 entities, not every entity of the day. (A plain select,
-- no WITH: PostgreSQL cannot merge a view with a WITH clause into the query that reads it,
-- and the query's order and limit would then not reach the index.)
create or replace view report.entity_daily as
select
    s.day,
    s.entity_id,
    e.canonical_name,
    e.entity_type,
    s.mentions,
    s.articles
from dwh.entity_day as s
inner join dwh.dim_entity as e on e.entity_id = s.entity_id;

comment on view report.entity_daily is 'One row per entity and publication day. Who was in the news on which day, how often.';
comment on column report.entity_daily.day is 'The publication day.';
comment on column report.entity_daily.entity_id is 'The canonical entity.';
comment on column report.entity_daily.canonical_name is 'The entity''s name.';
comment on column report.entity_daily.entity_type is 'spaCy''s label: PERSON, ORG, GPE, ...';
comment on column report.entity_daily.mentions is 'Times the day''s articles name the entity.';
comment on column report.entity_daily.articles is 'Articles of the day that name the entity.';
