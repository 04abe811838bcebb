-- report.story_articles: one row per article of a story (every story, one article or many).
-- Which articles tell the same story, from which outlets?
create or replace view report.story_articles as
with final as (
    select
        a.story_id,
        a.article_id,
        a.title,
        s.source_name as source,
        a.published_date,
        a.path
    from dwh.dim_article as a
    left join dwh.dim_source as s on s.source_id = a.source_id
    where a.is_current
)

select * from final;
