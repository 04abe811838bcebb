-- report.story_articles: one row per article of a story that has more than one.
-- Which articles tell the same story, from which outlets?
create or replace view report.story_articles as
with current_articles as (
    select a.*, count(*) over (partition by a.story_id) as story_size
    from dwh.dim_article as a
    where a.is_current
),

final as (
    select
        a.story_id,
        a.article_id,
        a.title,
        s.source_name as source,
        a.published_date,
        a.path
    from current_articles as a
    left join dwh.dim_source as s on s.source_id = a.source_id
    where a.story_size > 1
)

select * from final;
