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
        a.published_date
    from dwh.fact_entity_mention as f
    inner join dwh.dim_entity as e on e.entity_id = f.entity_id
    inner join dwh.dim_article as a on a.article_id = f.article_id and a.is_current
)

select * from final;
