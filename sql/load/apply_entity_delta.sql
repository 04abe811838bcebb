-- Count the documents' views of entities in and out (entity_delta): per key, the documents
-- giving each type, spelling, name, country, place and tied short form; per folded spelling and
-- key, the documents using it. Keys then resolve from these counts alone.
--
-- reads: entity_delta
insert into dwh.entity_key_stat (entity_key, facet, value, docs)
select d.entity_key, seen.facet, seen.value, sum(d.sign)::integer
from entity_delta as d
cross join lateral dwh.entity_facets(d.entity_type, d.canonical_name, d.country_code, d.acronym, d.forms, d.geonameid) as seen
group by d.entity_key, seen.facet, seen.value
having sum(d.sign) <> 0
order by d.entity_key, seen.facet, seen.value
on conflict (entity_key, facet, value) do update
set docs = dwh.entity_key_stat.docs + excluded.docs;

delete from dwh.entity_key_stat
where docs <= 0 and entity_key in (select entity_key from entity_delta);

insert into dwh.alias_key_stat (alias, entity_key, docs)
select alias, entity_key, sum(sign)::integer
from entity_delta
cross join unnest(aliases) as alias
group by alias, entity_key
having sum(sign) <> 0
order by alias, entity_key
on conflict (alias, entity_key) do update
set docs = dwh.alias_key_stat.docs + excluded.docs;

delete from dwh.alias_key_stat
where docs <= 0 and entity_key in (select entity_key from entity_delta);
