-- Full rebuild of the entities: forget everything derived from the documents' views of
-- entities, and mark every current article's entities as arriving, so the incremental
-- entity step rebuilds it all from dwh.article_entity.
truncate dwh.entity_key_stat, dwh.alias_key_stat, dwh.entity_key_label, dwh.entity_key_map,
dwh.entity_alias, dwh.entity_day, dwh.dim_entity;

insert into entity_delta (
    sign, article_id, entity_key, canonical_name, entity_type, country_code, acronym, forms, aliases
)
select 1, article_id, entity_key, canonical_name, entity_type, country_code, acronym, forms, aliases
from dwh.article_entity;

analyze entity_delta;
