-- Full rebuild of the entities: forget everything derived from the documents' views of
-- entities; sync_entities(everything=True) counts them again from dwh.article_entity
-- (count_entity_stats.sql) and re-resolves every key.
truncate dwh.entity_key_stat, dwh.alias_key_stat, dwh.entity_key_label, dwh.entity_key_map,
dwh.entity_alias, dwh.entity_day, dwh.dim_entity;
