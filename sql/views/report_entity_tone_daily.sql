-- report.entity_tone_daily: one row per entity and publication day, over the articles that
-- name it. How is X being covered? An article's tone for an entity is the mean tone of the
-- sentences that name it (an entity named under two keys of one article counts once).
create or replace view report.entity_tone_daily as
select
    d.calendar_date as day,
    per_article.entity_id,
    e.canonical_name,
    e.entity_type,
    count(*)::integer as articles,
    round(avg(per_article.tone)::numeric, 4)::double precision as tone,
    count(*) filter (where per_article.tone > 0.05)::integer as positive_articles,
    count(*) filter (where per_article.tone < -0.05)::integer as negative_articles
from (
    select f.published_date_key, f.article_id, m.entity_id, avg(f.tone) as tone
    from dwh.fact_entity_mention as f
    inner join dwh.entity_key_map as m on m.entity_key = f.entity_key
    where f.tone is not null
    group by f.published_date_key, f.article_id, m.entity_id
) as per_article
inner join dwh.dim_entity as e on e.entity_id = per_article.entity_id
inner join dwh.dim_date as d on d.date_key = per_article.published_date_key
group by d.calendar_date, per_article.entity_id, e.canonical_name, e.entity_type;

comment on view report.entity_tone_daily is 'One row per entity and publication day: the tone of the sentences that name it, averaged over the day''s articles. How an entity is being covered.';
comment on column report.entity_tone_daily.day is 'The publication day.';
comment on column report.entity_tone_daily.entity_id is 'The canonical entity.';
comment on column report.entity_tone_daily.canonical_name is 'The entity''s name.';
comment on column report.entity_tone_daily.entity_type is 'spaCy''s label: PERSON, ORG, GPE, ...';
comment on column report.entity_tone_daily.articles is 'Articles of the day that name the entity.';
comment on column report.entity_tone_daily.tone is 'Mean of the articles'' tone for the entity: each the mean VADER compound score (-1 to 1) of its sentences that name it.';
comment on column report.entity_tone_daily.positive_articles is 'Articles whose sentences naming it score above 0.05 (VADER''s threshold of positive).';
comment on column report.entity_tone_daily.negative_articles is 'Articles whose sentences naming it score below -0.05.';
