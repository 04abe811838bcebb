-- Set every current article's story: its group's (story_assignment), else its own.
update dwh.dim_article as d
set story_id = coalesce(sa.story_id, md5('story:' || d.article_id::text)::uuid)
from dwh.dim_article as d2
left join story_assignment as sa on sa.article_id = d2.article_id
where d.article_id = d2.article_id
    and d.sha256 = d2.sha256
    and d.is_current
    and d.story_id is distinct from coalesce(sa.story_id, md5('story:' || d.article_id::text)::uuid);
