-- Apply a fresh cross-document resolution (COPYed into resolved_entity) to the warehouse.
-- Only the facts of articles whose entities changed, and of the run's own articles, are
-- rebuilt; the rest stay as they are.

-- Keys that now belong to another entity than before, are new, or are gone (an analyst
-- said "not an entity").
create temporary table changed_key on commit drop as
select coalesce(r.entity_key, m.entity_key) as entity_key
from resolved_entity as r
full join dwh.entity_key_map as m on m.entity_key = r.entity_key
where m.entity_id is distinct from r.entity_id;

create temporary table affected_article on commit drop as
select distinct ae.article_id
from dwh.article_entity as ae
inner join changed_key as c on c.entity_key = ae.entity_key
union
select article_id from staging.article where run_id = :run_id;

delete from dwh.fact_entity_mention as f
using affected_article as a
where f.article_id = a.article_id;

-- Aliases are rebuilt below; they must not pin entities that are going away.
delete from dwh.entity_alias;

insert into dwh.dim_entity (entity_id, canonical_name, entity_type, country_code)
select distinct on (entity_id) entity_id, canonical_name, entity_type, country_code
from resolved_entity
order by entity_id
on conflict (entity_id) do update
set canonical_name = excluded.canonical_name,
    entity_type = excluded.entity_type,
    country_code = excluded.country_code
where (dwh.dim_entity.canonical_name, dwh.dim_entity.entity_type, dwh.dim_entity.country_code)
    is distinct from (excluded.canonical_name, excluded.entity_type, excluded.country_code);

insert into dwh.fact_entity_mention (article_id, entity_id, mentions, first_offset)
select ae.article_id, r.entity_id, sum(ae.mentions), min(ae.first_offset)
from dwh.article_entity as ae
inner join affected_article as a on a.article_id = ae.article_id
inner join resolved_entity as r on r.entity_key = ae.entity_key
group by ae.article_id, r.entity_id;

-- Every spelling seen, folded, and the entity it most often names (ties: the smaller id).
insert into dwh.entity_alias (alias, entity_id)
select distinct on (alias) alias, entity_id
from (
    select alias, r.entity_id, count(*) as docs
    from dwh.article_entity as ae
    cross join unnest(ae.aliases) as alias
    inner join resolved_entity as r on r.entity_key = ae.entity_key
    group by alias, r.entity_id
) as seen
order by alias, docs desc, entity_id;

delete from dwh.entity_key_map;

insert into dwh.entity_key_map (entity_key, entity_id)
select entity_key, entity_id from resolved_entity;

delete from dwh.dim_entity as e
where not exists (select 1 from resolved_entity as r where r.entity_id = e.entity_id);
