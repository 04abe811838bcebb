-- Apply the story step: the run's new pairs (new_story_edge), then every current article's
-- story from the connected pairs (story_assignment); articles on no pair are their own story.

delete from dwh.story_edge as e
where e.article_a in (select article_id from staging.article where run_id = :run_id)
    or e.article_b in (select article_id from staging.article where run_id = :run_id)
    or not exists (select 1 from dwh.dim_article as d where d.article_id = e.article_a and d.is_current)
    or not exists (select 1 from dwh.dim_article as d where d.article_id = e.article_b and d.is_current);

insert into dwh.story_edge (article_a, article_b)
select article_a, article_b from new_story_edge
on conflict do nothing;
