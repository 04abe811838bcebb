-- Full rebuild of the entity facts from the current articles' views of entities (the same
-- rows a load writes as each article arrives). Their sums by key and day follow
-- (count_entity_key_days.sql), their per-day summary by entity follows the entities.
truncate dwh.fact_entity_mention;

insert into dwh.fact_entity_mention (
    published_date_key, source_id, article_id, entity_key, mentions, first_offset, tone
)
select a.published_date_key, a.source_id, ae.article_id, ae.entity_key, ae.mentions, ae.first_offset, ae.tone
from dwh.article_entity as ae
inner join dwh.dim_article as a on a.article_id = ae.article_id and a.is_current
order by a.published_date_key, ae.article_id;
