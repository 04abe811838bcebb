-- report.co_mentions: one row per entity and another entity named in the same article(s);
-- report.entity_pairs with each pair in both directions.
-- Who appears with this entity? Filter on entity_id (or canonical_name): the filter reaches
-- the key map's entity index, then the facts of that entity's keys; the other articles'
-- keys become entities, and are counted (once an article) before they are named.
create or replace view report.co_mentions as
select
    p.entity_id,
    p.canonical_name,
    p.other_entity_id,
    o.canonical_name as other_name,
    o.entity_type as other_type,
    p.articles
from (
    select
        ma.entity_id,
        e.canonical_name,
        mb.entity_id as other_entity_id,
        count(distinct a.article_id)::integer as articles
    from dwh.fact_entity_mention as a
    inner join dwh.entity_key_map as ma on ma.entity_key = a.entity_key
    inner join dwh.dim_entity as e on e.entity_id = ma.entity_id
    inner join dwh.fact_entity_mention as b
        on b.published_date_key = a.published_date_key
        and b.article_id = a.article_id
    inner join dwh.entity_key_map as mb on mb.entity_key = b.entity_key and mb.entity_id <> ma.entity_id
    group by ma.entity_id, e.canonical_name, mb.entity_id
) as p
inner join dwh.dim_entity as o on o.entity_id = p.other_entity_id;

comment on view report.co_mentions is 'One row per entity and another entity named in the same article(s): the pairs in both directions. Filter on entity_id (or canonical_name) to ask who appears with one entity.';
comment on column report.co_mentions.entity_id is 'The entity asked about.';
comment on column report.co_mentions.canonical_name is 'Its name.';
comment on column report.co_mentions.other_entity_id is 'An entity named in the same articles.';
comment on column report.co_mentions.other_name is 'That entity''s name.';
comment on column report.co_mentions.other_type is 'That entity''s type.';
comment on column report.co_mentions.articles is 'Articles naming both.';
