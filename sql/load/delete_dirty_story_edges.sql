-- The dirty articles' story pairs are decided again: drop them, and remember every article
-- whose story group may change (the dirty ones and their former partners).
--
-- reads: story_dirty, story_seed
analyze story_dirty;

insert into story_seed (article_id)
select article_id from story_dirty
on conflict do nothing;

with gone as (
    delete from dwh.story_edge as e
    using story_dirty as d
    where e.article_a = d.article_id
    returning e.article_b
)

insert into story_seed (article_id)
select article_b from gone
on conflict do nothing;

with gone as (
    delete from dwh.story_edge as e
    using story_dirty as d
    where e.article_b = d.article_id
    returning e.article_a
)

insert into story_seed (article_id)
select article_a from gone
on conflict do nothing;

analyze story_seed;
