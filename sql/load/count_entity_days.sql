-- Full rebuild of dwh.entity_day from the facts through the key map (reset_entity_state.sql
-- emptied it). An article naming one entity under two keys counts once.
insert into dwh.entity_day (day, entity_id, mentions, articles)
select dwh.key_date(f.published_date_key), m.entity_id, sum(f.mentions), count(distinct f.article_id)
from dwh.fact_entity_mention as f
inner join dwh.entity_key_map as m on m.entity_key = f.entity_key
group by f.published_date_key, m.entity_id;
