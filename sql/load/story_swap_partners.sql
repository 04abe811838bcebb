-- Pairs to decide again for the articles whose entities were only swapped (story_swap, and
-- not dirty): with every current article of their window that names an entity they lost or
-- gained. Their other pairs keep their verdicts: the shared entities and the union did not
-- change. The existing pairs among them are dropped, their ends regrouped.
create temporary table swap_pair on commit drop as
with swapped as (
    select
        a.article_id,
        dwh.date_key(a.published_date - :window) as first_key,
        dwh.date_key(a.published_date + :window) as last_key
    from (select distinct article_id from story_swap) as s
    inner join dwh.dim_article as a on a.article_id = s.article_id and a.is_current
    where not exists (select 1 from story_dirty as d where d.article_id = s.article_id)
)

select distinct least(w.article_id, other.article_id) as article_a, greatest(w.article_id, other.article_id) as article_b
from swapped as w
inner join story_swap as s on s.article_id = w.article_id
cross join lateral (
    select f.article_id
    from dwh.fact_entity_mention as f
    where f.entity_id = s.entity_id and f.published_date_key between w.first_key and w.last_key
    offset 0
) as other
where other.article_id <> w.article_id;

analyze swap_pair;

with gone as (
    delete from dwh.story_edge as e
    using swap_pair as p
    where e.article_a = p.article_a and e.article_b = p.article_b
    returning e.article_a, e.article_b
)

insert into story_seed (article_id)
select article_a from gone
union
select article_b from gone
on conflict do nothing;

select article_a, article_b from swap_pair;
