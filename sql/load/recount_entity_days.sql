-- Count again the rows of dwh.entity_day whose articles changed: the days and entities of
-- the articles that went (retire_articles.sql) and came, and every day a key that changed
-- entity was named on, for its old and new entity. The facts name keys, so a key's new
-- entity re-counts its days here (reads), and rewrites no fact.
-- (Each key and each row is looked up on its own, through the indexes: the planner's guesses
-- for these joins are poor, and a guess too low makes it scan whole fact tables; the offset
-- 0 keeps each lookup apart.)

insert into entity_day_dirty (day, entity_id)
select distinct a.published_date, m.entity_id
from fresh as fr
inner join dwh.dim_article as a on a.article_id = fr.article_id and a.is_current
inner join dwh.fact_entity_mention as f
    on f.published_date_key = a.published_date_key and f.article_id = fr.article_id
inner join dwh.entity_key_map as m on m.entity_key = f.entity_key
on conflict do nothing;

insert into entity_day_dirty (day, entity_id)
select distinct dwh.key_date(named.published_date_key), e.entity_id
from changed_key as c
cross join lateral (
    select distinct f.published_date_key
    from dwh.fact_entity_mention as f
    where f.entity_key = c.entity_key
    offset 0
) as named
cross join lateral (values (c.old_entity_id), (c.new_entity_id)) as e (entity_id)
where e.entity_id is not null
on conflict do nothing;

analyze entity_day_dirty;

delete from dwh.entity_day as d
using entity_day_dirty as x
where d.day = x.day and d.entity_id = x.entity_id;

-- An article naming one entity under two keys counts once.
insert into dwh.entity_day (day, entity_id, mentions, articles)
select x.day, x.entity_id, counted.mentions, counted.articles
from entity_day_dirty as x
cross join lateral (
    select sum(f.mentions)::integer as mentions, count(distinct f.article_id)::integer as articles
    from dwh.entity_key_map as m
    inner join dwh.fact_entity_mention as f
        on f.entity_key = m.entity_key and f.published_date_key = dwh.date_key(x.day)
    where m.entity_id = x.entity_id
    offset 0
) as counted
where counted.articles > 0;
