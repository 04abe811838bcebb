-- Decide what the run's staged versions do to the current articles, before anything moves.
--
-- creates: run_version
-- reads: fresh, retiring

-- Identical contents are one article: the one with the smallest path (paths start with the
-- partition, so the earliest partition wins), whatever order the files were loaded in.
-- Contenders: the run's versions, and the current articles holding the same contents.
create temporary table run_version on commit drop as
with staged as (
    select article_id, sha256, path
    from staging.article
    where run_id = :run_id
),

contenders as (
    select article_id, sha256, path, true as is_staged
    from staged
    union all
    select a.article_id, a.sha256, a.path, false as is_staged
    from dwh.dim_article as a
    where a.is_current
        and a.sha256 in (select sha256 from staged)
        and a.article_id not in (select article_id from staged)
)

select
    article_id,
    sha256,
    path,
    is_staged,
    first_value(article_id) over (partition by sha256 order by path) as primary_article_id
from contenders;

analyze run_version;

-- The run's primaries become current.
insert into fresh (article_id, sha256)
select article_id, sha256
from run_version
where is_staged and article_id = primary_article_id;

-- Current versions of the run's articles (replaced, or re-processed) and current articles
-- that became duplicates of a smaller path retire.
insert into retiring (
    article_id, sha256, published_date, published_date_key, source_id, source_name,
    source_alias_ids, story_id
)
select
    a.article_id, a.sha256, a.published_date, a.published_date_key, a.source_id, a.source_name,
    a.source_alias_ids, a.story_id
from dwh.dim_article as a
where a.is_current
    and a.article_id in (
        select article_id from run_version
        where is_staged or article_id <> primary_article_id
    );

analyze fresh, retiring;
