-- report.entity_mentions: one row per canonical entity in an article.
-- Who and what does each article mention, and how often?
create or replace view report.entity_mentions as
with final as (
    select
        f.article_id,
        f.entity_id,
        e.canonical_name,
        e.entity_type,
        e.country_code,
        f.mentions,
        f.first_offset,
        d.calendar_date as published_date
    from dwh.fact_entity_mention as f
    inner join dwh.dim_entity as e on e.entity_id = f.entity_id
    inner join dwh.dim_date as d on d.date_key = f.published_date_key
)

select * from final;
