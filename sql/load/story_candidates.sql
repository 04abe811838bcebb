-- Candidate "same story" pairs for the run's articles: a shared MinHash band (near-identical
-- text) or at least :min_shared common entities, published at most :window days apart.
-- Entities named by more than :max_df articles of the window ("United States") pair
-- everything with everything and tell stories apart no better: they make no candidates.
-- etl/stories.py decides each pair.
with staged as (
    select distinct d.article_id, d.published_date
    from staging.article as s
    inner join dwh.dim_article as d on d.article_id = s.article_id and d.is_current
    where s.run_id = :run_id
),

nearby as (
    select d.article_id, d.published_date
    from dwh.dim_article as d
    where d.is_current
        and d.published_date between (select min(published_date) from staged) - :window
        and (select max(published_date) from staged) + :window
),

by_text as (
    select s.article_id as a, other.article_id as b
    from staged as s
    inner join dwh.article_band as mine on mine.article_id = s.article_id
    inner join dwh.article_band as other
        on other.band = mine.band and other.hash = mine.hash and other.article_id <> s.article_id
),

distinctive as (
    select f.entity_id
    from dwh.fact_entity_mention as f
    inner join nearby as n on n.article_id = f.article_id
    group by f.entity_id
    having count(*) <= :max_df
),

by_entity as (
    select s.article_id as a, theirs.article_id as b
    from staged as s
    inner join dwh.fact_entity_mention as mine on mine.article_id = s.article_id
    inner join distinctive as d on d.entity_id = mine.entity_id
    inner join dwh.fact_entity_mention as theirs
        on theirs.entity_id = mine.entity_id and theirs.article_id <> s.article_id
    inner join nearby as n on n.article_id = theirs.article_id
    where abs(n.published_date - s.published_date) <= :window
    group by s.article_id, theirs.article_id
    having count(*) >= :min_shared
),

final as (
    select distinct least(p.a, p.b) as article_a, greatest(p.a, p.b) as article_b
    from (select * from by_text union all select * from by_entity) as p
    inner join nearby as na on na.article_id = p.a
    inner join nearby as nb on nb.article_id = p.b
    where abs(na.published_date - nb.published_date) <= :window
)

select * from final;
