-- Which stories ran, with how many articles, and from which outlets?
select s.headline, s.articles, s.first_published, s.last_published, string_agg(coalesce(sa.source, '(unknown)'), ', ' order by sa.published_date) as sources
from report.stories as s
left join report.story_articles as sa on sa.story_id = s.story_id
group by s.story_id, s.headline, s.articles, s.first_published, s.last_published
order by s.articles desc, s.first_published;
