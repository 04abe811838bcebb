-- report.entity_mentions: one row per canonical entity in an article.
-- Who and what does each article mention, and how often? The facts name the documents'
-- entity keys; the key map says which entity each stands for today (an article may name
-- one entity under keys its own reading kept apart: they add up). A filter on entity_id
-- reaches the key map's entity index, then the facts' key index. (No WITH: see
-- report_entity_daily.sql.)
create or replace view report.entity_mentions as
select
    f.article_id,
    m.entity_id,
    e.canonical_name,
    e.entity_type,
    e.country_code,
    sum(f.mentions)::integer as mentions,
    min(f.first_offset) as first_offset,
    d.calendar_date as published_date
from dwh.fact_entity_mention as f
inner join dwh.entity_key_map as m on m.entity_key = f.entity_key
inner join dwh.dim_entity as e on e.entity_id = m.entity_id
inner join dwh.dim_date as d on d.date_key = f.published_date_key
group by f.article_id, m.entity_id, e.canonical_name, e.entity_type, e.country_code, d.calendar_date;

comment on view report.entity_mentions is 'One row per canonical entity named in an article (current version). Who and what each article mentions, and how often.';
comment on column report.entity_mentions.article_id is 'The article (report.articles).';
comment on column report.entity_mentions.entity_id is 'The canonical entity: stable across re-runs and load orders.';
comment on column report.entity_mentions.canonical_name is 'The entity''s name: a person''s fullest name, a place''s gazetteer name, else the spelling most articles use.';
comment on column report.entity_mentions.entity_type is 'spaCy''s label: PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, ...';
comment on column report.entity_mentions.country_code is 'ISO 3166-1 alpha-2 country of a place, when the gazetteer knows it.';
comment on column report.entity_mentions.mentions is 'How many times the article names the entity (all spellings).';
comment on column report.entity_mentions.first_offset is 'Character offset of the first mention in the article''s decoded text.';
comment on column report.entity_mentions.published_date is 'The article''s publication day.';
