-- Count again the rows of dwh.entity_day whose articles changed: the days and entities of
-- the articles that went (retire_articles.sql) and came, and every day a key that changed
-- entity was named on, for its old and new entity. The facts name keys, so a key's new
-- entity re-counts its days here (reads), and rewrites no fact.

insert into entity_day_dirty (published_date_key, entity_id)
select distinct f.published_date_key, m.entity_id
from fresh as fr
inner join dwh.dim_article as a on a.article_id = fr.article_id and a.is_current
inner join dwh.fact_entity_mention as f
    on f.published_date_key = a.published_date_key and f.article_id = fr.article_id
inner join dwh.entity_key_map as m on m.entity_key = f.entity_key
on conflict do nothing;

insert into entity_day_dirty (published_date_key, entity_id)
select distinct f.published_date_key, e.entity_id
from changed_key as c
inner join dwh.fact_entity_mention as f on f.entity_key = c.entity_key
cross join lateral (values (c.old_entity_id), (c.new_entity_id)) as e (entity_id)
where e.entity_id is not null
on conflict do nothing;

analyze entity_day_dirty;

delete from dwh.entity_day as d
using entity_day_dirty as x
where d.day = dwh.key_date(x.published_date_key) and d.entity_id = x.entity_id;

-- An article naming one entity under two keys counts once.
insert into dwh.entity_day (day, entity_id, mentions, articles)
select
    dwh.key_date(x.published_date_key),
    x.entity_id,
    sum(f.mentions)::integer,
    count(distinct f.article_id)::integer
from entity_day_dirty as x
inner join dwh.entity_key_map as m on m.entity_id = x.entity_id
inner join dwh.fact_entity_mention as f
    on f.entity_key = m.entity_key and f.published_date_key = x.published_date_key
group by x.published_date_key, x.entity_id;
