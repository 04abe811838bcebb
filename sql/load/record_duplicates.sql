-- Every file name an article arrived under: the run's own files, pointing at their
-- content's primary article.
--
-- reads: run_version
insert into dwh.article_file (path, article_id, partition_date, sha256, is_primary)
select s.path, v.primary_article_id, s.partition_date, s.sha256, v.article_id = v.primary_article_id
from staging.article as s
inner join run_version as v on v.article_id = s.article_id and v.is_staged
where s.run_id = :run_id
on conflict (path) do update
set article_id = excluded.article_id,
    sha256 = excluded.sha256,
    is_primary = excluded.is_primary;

-- Current articles that became duplicates of a smaller path: their file, and the names
-- that pointed at them, now name the primary.
update dwh.article_file as af
set article_id = v.primary_article_id, is_primary = false
from run_version as v
where not v.is_staged
    and v.article_id <> v.primary_article_id
    and af.article_id = v.article_id;

update ops.file_manifest as m
set outcome = 'duplicate', article_id = v.primary_article_id
from run_version as v
where not v.is_staged
    and v.article_id <> v.primary_article_id
    and m.article_id = v.article_id;
