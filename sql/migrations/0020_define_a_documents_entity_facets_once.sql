-- What one document says of one entity key, as the (facet, value) pairs the per-key
-- statistics count (dwh.entity_key_stat): its type, name, country, tied short form, and each
-- spelling. The load counts them for the documents that come and go
-- (sql/load/apply_entity_delta.sql), a full rebuild for every document at once
-- (sql/load/count_entity_stats.sql). A SQL function of one statement: the planner inlines it.

create function dwh.entity_facets(
    entity_type text, canonical_name text, country_code text, acronym text, forms text[]
)
returns table (facet text, value text)
language sql
immutable
parallel safe
as $$
    select given.facet, given.value
    from (
        values ('type', entity_type), ('name', canonical_name), ('country', country_code), ('tie', acronym)
    ) as given (facet, value)
    where given.value is not null
    union all
    select 'form', form
    from unnest(forms) as form
$$;
