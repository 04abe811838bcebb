-- Apply a resolution of some keys (resolution_scope: the keys re-resolved; resolved_key:
-- the entity each of them now belongs to, absent when it belongs to none) to the entities,
-- the key map and the aliases. The facts name keys, not entities: no fact changes here.
--
-- creates: changed_key, touched_alias
-- reads: entity_delta, resolution_scope, resolved_key

-- Keys that belong to another entity than before, are new, or are gone.
create temporary table changed_key on commit drop as
select s.entity_key, m.entity_id as old_entity_id, r.entity_id as new_entity_id
from resolution_scope as s
left join dwh.entity_key_map as m on m.entity_key = s.entity_key
left join resolved_key as r on r.entity_key = s.entity_key
where m.entity_id is distinct from r.entity_id;

analyze changed_key;

insert into dwh.dim_entity (entity_id, canonical_name, entity_type, country_code, geonameid)
select distinct on (entity_id) entity_id, canonical_name, entity_type, country_code, geonameid
from resolved_key
order by entity_id
on conflict (entity_id) do update
set canonical_name = excluded.canonical_name,
    entity_type = excluded.entity_type,
    country_code = excluded.country_code,
    geonameid = excluded.geonameid
where (dwh.dim_entity.canonical_name, dwh.dim_entity.entity_type, dwh.dim_entity.country_code, dwh.dim_entity.geonameid)
    is distinct from (excluded.canonical_name, excluded.entity_type, excluded.country_code, excluded.geonameid);

delete from dwh.entity_key_map as m
using resolution_scope as s
where m.entity_key = s.entity_key
    and not exists (select 1 from resolved_key as r where r.entity_key = m.entity_key);

insert into dwh.entity_key_map (entity_key, entity_id, base_name)
select entity_key, entity_id, base_name
from resolved_key
on conflict (entity_key) do update
set entity_id = excluded.entity_id,
    base_name = excluded.base_name
where (dwh.entity_key_map.entity_id, dwh.entity_key_map.base_name)
    is distinct from (excluded.entity_id, excluded.base_name);

-- Every spelling seen, folded, names the entity it most often stands for (ties: the
-- smaller id). Re-decided for the spellings of the counted documents and changed keys.
create temporary table touched_alias on commit drop as
select alias
from entity_delta
cross join unnest(aliases) as alias
union
select s.alias
from dwh.alias_key_stat as s
inner join changed_key as c on c.entity_key = s.entity_key;

analyze touched_alias;

delete from dwh.entity_alias as a
using touched_alias as t
where a.alias = t.alias;

insert into dwh.entity_alias (alias, entity_id)
select distinct on (alias) alias, entity_id
from (
    select s.alias, m.entity_id, sum(s.docs) as docs
    from touched_alias as t
    inner join dwh.alias_key_stat as s on s.alias = t.alias
    inner join dwh.entity_key_map as m on m.entity_key = s.entity_key
    group by s.alias, m.entity_id
) as seen
order by alias, docs desc, entity_id;

-- Entities no key resolves to any more.
delete from dwh.dim_entity as e
where e.entity_id in (select old_entity_id from changed_key)
    and not exists (select 1 from dwh.entity_key_map as m where m.entity_id = e.entity_id);
