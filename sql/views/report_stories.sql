-- report.stories: one row per story (a group of articles reporting one event; an article
-- that no other reports is a story of its own).
-- Which stories ran, how many articles each, when, under which headline?
create or replace view report.stories as
with final as (
    select
        story_id,
        articles,
        first_published,
        last_published,
        headline -- the title of its first article (earliest, then smallest path)
    from dwh.dim_story
)

select * from final;
