-- report.entity_pairs: one row per pair of entities named in the same article(s).
-- Who appears with whom, and how often? The articles' keys become entities first (one row
-- per article and entity), then pairs.
create or replace view report.entity_pairs as
with article_entity as (
    select distinct f.published_date_key, f.article_id, m.entity_id
    from dwh.fact_entity_mention as f
    inner join dwh.entity_key_map as m on m.entity_key = f.entity_key
),

pairs as (
    select a.entity_id as entity_a_id, b.entity_id as entity_b_id, a.article_id
    from article_entity as a
    inner join article_entity as b
        on b.published_date_key = a.published_date_key
        and b.article_id = a.article_id
        and b.entity_id > a.entity_id
),

final as (
    select
        ea.canonical_name as entity_a,
        eb.canonical_name as entity_b,
        count(*)::integer as articles,
        p.entity_a_id,
        p.entity_b_id
    from pairs as p
    inner join dwh.dim_entity as ea on ea.entity_id = p.entity_a_id
    inner join dwh.dim_entity as eb on eb.entity_id = p.entity_b_id
    group by p.entity_a_id, p.entity_b_id, ea.canonical_name, eb.canonical_name
)

select * from final;

comment on view report.entity_pairs is 'One row per pair of entities named in the same article(s), each pair once (entity_a_id < entity_b_id). For one entity''s companions use report.co_mentions, which is indexed by entity.';
comment on column report.entity_pairs.entity_a is 'One entity''s name.';
comment on column report.entity_pairs.entity_b is 'The other entity''s name.';
comment on column report.entity_pairs.articles is 'Articles naming both.';
comment on column report.entity_pairs.entity_a_id is 'The first entity''s id (the smaller).';
comment on column report.entity_pairs.entity_b_id is 'The second entity''s id.';
