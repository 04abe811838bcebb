-- Count again the rows of dwh.entity_day whose articles changed: for every key whose
-- articles came or went that day (entity_key_day_delta), its entity now and before; for
-- every key that changed entity, its old and new entity on every day it is named. The facts
-- name keys, so a key's new entity re-counts its days here (reads), and rewrites no fact.
-- (Each key and each row is looked up on its own, through the indexes: the planner's guesses
-- for these joins are poor, and a guess too low makes it scan whole tables; the offset 0
-- keeps each lookup apart.)
--
-- reads: changed_key, entity_day_dirty, entity_key_day_delta

insert into entity_day_dirty (day, entity_id)
select distinct dwh.key_date(d.published_date_key), m.entity_id
from entity_key_day_delta as d
inner join dwh.entity_key_map as m on m.entity_key = d.entity_key
on conflict do nothing;

insert into entity_day_dirty (day, entity_id)
select distinct dwh.key_date(d.published_date_key), c.old_entity_id
from entity_key_day_delta as d
inner join changed_key as c on c.entity_key = d.entity_key
where c.old_entity_id is not null
on conflict do nothing;

insert into entity_day_dirty (day, entity_id)
select distinct dwh.key_date(named.published_date_key), e.entity_id
from changed_key as c
cross join lateral (
    select kd.published_date_key
    from dwh.entity_key_day as kd
    where kd.entity_key = c.entity_key
    offset 0
) as named
cross join lateral (values (c.old_entity_id), (c.new_entity_id)) as e (entity_id)
where e.entity_id is not null
on conflict do nothing;

analyze entity_day_dirty;

delete from dwh.entity_day as d
using entity_day_dirty as x
where d.day = x.day and d.entity_id = x.entity_id;

-- An entity's day is the sum of its keys' days; where it has two keys that day one article
-- may name both, and counts once: those days count their articles from the facts.
insert into dwh.entity_day (day, entity_id, mentions, articles)
select
    x.day,
    x.entity_id,
    counted.mentions,
    case
        when counted.keys = 1 then counted.articles
        else (
            select count(distinct f.article_id)::integer
            from dwh.entity_key_map as m
            inner join dwh.fact_entity_mention as f
                on f.entity_key = m.entity_key and f.published_date_key = dwh.date_key(x.day)
            where m.entity_id = x.entity_id
        )
    end
from entity_day_dirty as x
cross join lateral (
    select sum(kd.mentions)::integer as mentions, sum(kd.articles)::integer as articles, count(*) as keys
    from dwh.entity_key_map as m
    inner join dwh.entity_key_day as kd
        on kd.entity_key = m.entity_key and kd.published_date_key = dwh.date_key(x.day)
    where m.entity_id = x.entity_id
    offset 0
) as counted
where counted.keys > 0;
