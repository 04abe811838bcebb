-- Full rebuild, entities and stories: forget everything derived across articles and mark
-- every current article's entities as arriving and every current article as dirty, so the
-- incremental steps rebuild it all from dwh.article_entity.
truncate dwh.entity_key_stat, dwh.alias_key_stat, dwh.entity_key_label, dwh.entity_key_map,
dwh.entity_alias, dwh.fact_entity_mention, dwh.dim_entity, dwh.story_edge;

insert into entity_delta (
    sign, article_id, entity_key, canonical_name, entity_type, country_code, acronym, forms, aliases
)
select 1, article_id, entity_key, canonical_name, entity_type, country_code, acronym, forms, aliases
from dwh.article_entity;

insert into story_dirty (article_id)
select article_id from dwh.dim_article
where is_current;
