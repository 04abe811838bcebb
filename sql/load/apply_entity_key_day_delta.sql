-- Count the facts that came and went (entity_key_day_delta) into dwh.entity_key_day; a key
-- no current article names on a day loses that day's row.
--
-- reads: entity_key_day_delta

insert into dwh.entity_key_day as d (entity_key, published_date_key, mentions, articles)
select entity_key, published_date_key, sum(mentions), sum(articles)
from entity_key_day_delta
group by entity_key, published_date_key
on conflict (entity_key, published_date_key) do update
set mentions = d.mentions + excluded.mentions,
    articles = d.articles + excluded.articles;

delete from dwh.entity_key_day as d
using entity_key_day_delta as x
where d.entity_key = x.entity_key and d.published_date_key = x.published_date_key
    and d.articles = 0;

-- The entity step finds the rows of dwh.entity_day to count again from these deltas.
analyze entity_key_day_delta;
