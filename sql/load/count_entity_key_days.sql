-- Full rebuild of dwh.entity_key_day: the entity facts summed by key and day.
truncate dwh.entity_key_day;

insert into dwh.entity_key_day (entity_key, published_date_key, mentions, articles)
select entity_key, published_date_key, sum(mentions), count(*)
from dwh.fact_entity_mention
group by entity_key, published_date_key
order by entity_key, published_date_key;
