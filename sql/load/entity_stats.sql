-- What all current articles say about each entity key, counted in documents: the input of
-- the cross-document resolution (etl/enrich/resolve.py). One row per key and facet value.
select entity_key, 'type' as facet, entity_type as value, count(*) as docs
from dwh.article_entity
group by entity_key, entity_type

union all

select entity_key, 'form', form, count(*)
from dwh.article_entity, unnest(forms) as form
group by entity_key, form

union all

select entity_key, 'name', canonical_name, count(*)
from dwh.article_entity
group by entity_key, canonical_name

union all

select entity_key, 'country', country_code, count(*)
from dwh.article_entity
where country_code is not null
group by entity_key, country_code

union all

select entity_key, 'acronym', acronym, count(*)
from dwh.article_entity
where acronym is not null
group by entity_key, acronym;
