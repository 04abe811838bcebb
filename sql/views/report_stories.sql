-- report.stories: one row per story (a group of articles reporting one event).
-- Which stories ran, how many articles each, when, under which headline?
create or replace view report.stories as
with current_articles as (
    select article_id, story_id, title, published_date, path
    from dwh.dim_article
    where is_current
),

final as (
    select
        story_id,
        count(*) as articles,
        min(published_date) as first_published,
        max(published_date) as last_published,
        -- the headline of the story's first article (earliest, then smallest path)
        (array_agg(title order by published_date, path))[1] as headline
    from current_articles
    group by story_id
)

select * from final;
