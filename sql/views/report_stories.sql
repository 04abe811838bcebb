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

comment on view report.stories is 'One row per story: a group of articles reporting one event (an article no other reports is a story of its own).';
comment on column report.stories.story_id is 'The story''s id, derived from its smallest article id: stable across re-runs and load orders.';
comment on column report.stories.articles is 'Its current articles.';
comment on column report.stories.first_published is 'Its earliest article''s publication day.';
comment on column report.stories.last_published is 'Its latest article''s publication day.';
comment on column report.stories.headline is 'The title of its first article (earliest, then smallest path).';
