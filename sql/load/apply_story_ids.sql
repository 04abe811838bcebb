-- Set the recomputed groups' story ids (story_assignment, from etl/stories.py) on the
-- current articles whose story changed.
update dwh.dim_article as d
set story_id = sa.story_id
from story_assignment as sa
where d.article_id = sa.article_id
    and d.is_current
    and d.story_id is distinct from sa.story_id;
