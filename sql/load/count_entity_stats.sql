-- Full rebuild of the per-key statistics (reset_entity_state.sql emptied them): every
-- current document's view of its entities counted at once, straight from dwh.article_entity,
-- as apply_entity_delta.sql counts documents arriving and leaving run by run.
insert into dwh.entity_key_stat (entity_key, facet, value, docs)
select ae.entity_key, seen.facet, seen.value, count(*)::integer
from dwh.article_entity as ae
cross join lateral dwh.entity_facets(ae.entity_type, ae.canonical_name, ae.country_code, ae.acronym, ae.forms, ae.geonameid) as seen
group by ae.entity_key, seen.facet, seen.value
order by ae.entity_key, seen.facet, seen.value;

insert into dwh.alias_key_stat (alias, entity_key, docs)
select alias, entity_key, count(*)::integer
from dwh.article_entity
cross join unnest(aliases) as alias
group by alias, entity_key
order by alias, entity_key;
