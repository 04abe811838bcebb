-- Candidate "same story" pairs of the dirty articles (story_dirty): any current article
-- published at most :window days apart that shares a MinHash band with it (near-identical
-- text) or at least :min_shared entity keys (as the documents give them: a full name, a
-- gazetteer place, an organisation's name). Whether two articles are candidates
-- depends on the two alone, never on what else is loaded, so neither do the stories.
-- etl/stories.py decides each pair.
--
-- A pair that cannot be one story is never a candidate: texts shorter than :min_shingles
-- are not matched on text, an article naming fewer than :min_shared entities is not matched
-- on entities. A flood of look-alike wire briefs (short, naming a person and a place) would
-- otherwise make every pair of the day a candidate.
--
-- creates: dirty_article, dirty_entity_article
-- reads: story_dirty

-- The dirty articles still current, each with its own window of publication days: the
-- lookups below read only those days of the fact table.
create temporary table dirty_article on commit drop as
select
    a.article_id,
    a.published_date,
    a.published_date_key,
    dwh.date_key(a.published_date - :window) as first_key,
    dwh.date_key(a.published_date + :window) as last_key
from story_dirty as d
inner join dwh.dim_article as a on a.article_id = d.article_id and a.is_current;

-- Of those, the ones that can share :min_shared entity keys with another.
create temporary table dirty_entity_article on commit drop as
select d.*
from dirty_article as d
where (
    select count(*)
    from dwh.article_entity as ae
    where ae.article_id = d.article_id
) >= :min_shared;

analyze dirty_entity_article;

analyze dirty_article;

-- (Per dirty article, the lookups run as index scans; the offset 0 keeps each lookup per
-- article: the planner's row guesses for these joins are poor, and a guess too low makes it
-- scan whole fact tables.)

-- Articles sharing a band hash with a dirty one (the GIN index on the band hashes), each
-- then looked up by its id: current, and inside the window.
with by_text as (
    select d.article_id as a, other.article_id as b
    from dirty_article as d
    inner join dwh.article_signature as mine on mine.article_id = d.article_id and mine.shingles >= :min_shingles
    cross join lateral (
        select s.article_id
        from dwh.article_signature as s
        where s.band_hashes && mine.band_hashes and s.article_id <> d.article_id and s.shingles >= :min_shingles
        offset 0
    ) as other
    cross join lateral (
        select
        from dwh.dim_article as a
        where a.article_id = other.article_id
            and a.is_current
            and a.published_date between d.published_date - :window and d.published_date + :window
        offset 0
    ) as current_in_window
),

-- Each dirty article's entity keys, then who else names each of them within its window:
-- index lookups (key, day) in the entity facts of the window's months.
by_entity as (
    select d.article_id as a, theirs.article_id as b
    from dirty_entity_article as d
    cross join lateral (
        select f.entity_key
        from dwh.fact_entity_mention as f
        where f.published_date_key = d.published_date_key and f.article_id = d.article_id
        offset 0
    ) as mine
    cross join lateral (
        select f.article_id
        from dwh.fact_entity_mention as f
        where f.entity_key = mine.entity_key and f.published_date_key between d.first_key and d.last_key
        offset 0
    ) as theirs
    where theirs.article_id <> d.article_id
    group by d.article_id, theirs.article_id
    having count(*) >= :min_shared
),

final as (
    select distinct least(a, b) as article_a, greatest(a, b) as article_b
    from (select a, b from by_text union all select a, b from by_entity) as pairs
)

select * from final;
