-- report.articles: one row per article (its current version).
-- Which articles are there, from which outlet, published when (and on what evidence)?
create or replace view report.articles as
with current_articles as (
    select * from dwh.dim_article where is_current
),

final as (
    select
        a.article_id,
        a.path,
        a.title,
        s.source_name as source,
        a.published_date,
        a.published_basis,
        a.partition_date,
        a.language,
        a.story_id,
        a.dateline_place,
        a.sha256,
        a.loaded_at,
        a.author
    from current_articles as a
    left join dwh.dim_source as s on s.source_id = a.source_id
)

select * from final;
