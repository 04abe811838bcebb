-- Full rebuild of the stories: forget every pair and summary, and mark every current article
-- dirty.
--
-- reads: story_dirty
truncate dwh.story_edge, dwh.dim_story;

insert into story_dirty (article_id)
select article_id from dwh.dim_article
where is_current;
