-- Candidate "same story" pairs of the dirty articles (story_dirty): any current article
-- published at most :window days apart that shares a MinHash band with it (near-identical
-- text) or at least :min_shared canonical entities. Whether two articles are candidates
-- depends on the two alone, never on what else is loaded, so neither do the stories.
-- :first_key and :last_key bound the publication days of every partner (partition pruning).
-- etl/stories.py decides each pair.
with dirty as (
    select a.article_id, a.published_date, a.published_date_key
    from story_dirty as d
    inner join dwh.dim_article as a on a.article_id = d.article_id and a.is_current
),

by_text as (
    select d.article_id as a, other.article_id as b
    from dirty as d
    inner join dwh.article_band as mine on mine.article_id = d.article_id
    inner join dwh.article_band as other
        on other.band = mine.band and other.hash = mine.hash and other.article_id <> d.article_id
),

by_entity as (
    select d.article_id as a, theirs.article_id as b
    from dirty as d
    inner join dwh.fact_entity_mention as mine
        on mine.published_date_key = d.published_date_key and mine.article_id = d.article_id
    inner join dwh.fact_entity_mention as theirs
        on theirs.entity_id = mine.entity_id
        and theirs.published_date_key between :first_key and :last_key
        and theirs.article_id <> d.article_id
    group by d.article_id, theirs.article_id
    having count(*) >= :min_shared
),

final as (
    select distinct least(p.a, p.b) as article_a, greatest(p.a, p.b) as article_b
    from (select a, b from by_text union all select a, b from by_entity) as p
    inner join dirty as d on d.article_id = p.a
    inner join dwh.dim_article as other on other.article_id = p.b and other.is_current
    where abs(other.published_date - d.published_date) <= :window
)

select * from final;
