-- Set the recomputed groups' story ids (story_assignment, from etl/stories.py) on the
-- current articles whose story changed; the stories they leave and join are touched.
--
-- reads: story_assignment, story_touched
insert into story_touched (story_id)
select d.story_id
from story_assignment as sa
inner join dwh.dim_article as d on d.article_id = sa.article_id and d.is_current
where d.story_id is not null
union
select story_id from story_assignment
on conflict do nothing;

update dwh.dim_article as d
set story_id = sa.story_id
from story_assignment as sa
where d.article_id = sa.article_id
    and d.is_current
    and d.story_id is distinct from sa.story_id;

-- The touched stories' summaries, from their current articles (none left: no story).
analyze story_touched;

delete from dwh.dim_story as s
using story_touched as t
where s.story_id = t.story_id;

insert into dwh.dim_story (story_id, articles, first_published, last_published, headline)
select
    a.story_id,
    count(*),
    min(a.published_date),
    max(a.published_date),
    (array_agg(a.title order by a.published_date, a.path))[1]
from dwh.dim_article as a
inner join story_touched as t on t.story_id = a.story_id
where a.is_current
group by a.story_id;
