-- Count the documents' views of entities in and out (entity_delta): per key, the documents
-- giving each type, spelling, name, country and tied short form; per folded spelling and
-- key, the documents using it. Keys then resolve from these counts alone.
insert into dwh.entity_key_stat (entity_key, facet, value, docs)
select entity_key, facet, value, sum(sign)::integer
from (
    select sign, entity_key, 'type' as facet, entity_type as value from entity_delta
    union all
    select sign, entity_key, 'form', form from entity_delta cross join unnest(forms) as form
    union all
    select sign, entity_key, 'name', canonical_name from entity_delta
    union all
    select sign, entity_key, 'country', country_code from entity_delta where country_code is not null
    union all
    select sign, entity_key, 'tie', acronym from entity_delta where acronym is not null
) as seen
group by entity_key, facet, value
having sum(sign) <> 0
order by entity_key, facet, value
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
