-- Count the entity facts that left and joined (entity_day_delta) into the per-day summary
-- (dwh.entity_day); an entity with no article left on a day loses its row.
insert into dwh.entity_day (day, entity_id, mentions, articles)
select dwh.key_date(published_date_key), entity_id, sum(mentions)::integer, sum(articles)::integer
from entity_day_delta
group by published_date_key, entity_id
having sum(articles) <> 0 or sum(mentions) <> 0
order by published_date_key, entity_id
on conflict (day, entity_id) do update
set mentions = dwh.entity_day.mentions + excluded.mentions,
    articles = dwh.entity_day.articles + excluded.articles;

delete from dwh.entity_day as d
using (select distinct published_date_key, entity_id from entity_day_delta) as touched
where d.articles <= 0
    and d.day = dwh.key_date(touched.published_date_key)
    and d.entity_id = touched.entity_id;
