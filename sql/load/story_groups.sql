-- Every current article connected to a seed (story_seed) through story pairs, with the
-- pairs among them: the story groups to recompute. Groups elsewhere cannot have changed.
--
-- creates: story_reach
-- reads: story_seed
create temporary table story_reach on commit drop as
with recursive reach (article_id) as (
    select s.article_id
    from story_seed as s
    inner join dwh.dim_article as a on a.article_id = s.article_id and a.is_current
    union
    select case when e.article_a = r.article_id then e.article_b else e.article_a end
    from reach as r
    inner join dwh.story_edge as e on e.article_a = r.article_id or e.article_b = r.article_id
)

select article_id from reach;

analyze story_reach;
