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
    -- The outlet its spelling belongs to ("Reuter" is Reuters: etl/warehouse/sources.py).
    left join dwh.dim_source as spelling on spelling.source_id = a.source_id
    left join dwh.dim_source as s on s.source_id = coalesce(spelling.outlet_id, spelling.source_id)
    where a.is_current
)

select * from final;

comment on view report.story_articles is 'One row per article of a story, for every story. Which articles tell the same story, from which outlets.';
comment on column report.story_articles.story_id is 'The story (report.stories).';
comment on column report.story_articles.article_id is 'The article (report.articles).';
comment on column report.story_articles.title is 'The article''s title.';
comment on column report.story_articles.source is 'Its outlet.';
comment on column report.story_articles.published_date is 'Its publication day.';
comment on column report.story_articles.path is 'Its file''s path relative to the landing root.';
