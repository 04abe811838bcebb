-- Analyst overrides of the entity resolution, applied on every load and by `news-etl resolve`:
--   alias       this spelling (name) is that entity (target: a canonical name)
--   merge       the entity named name is the entity named target
--   not_entity  this spelling (name) is not an entity
-- Names are compared folded (accents, case, punctuation), like the aliases.
create table dwh.entity_override (
    override_id serial primary key,
    kind text not null check (kind in ('alias', 'merge', 'not_entity')),
    name text not null,
    target text,
    note text,
    created_at timestamptz not null default now(),
    check ((kind = 'not_entity') = (target is null)),
    unique (kind, name)
);
