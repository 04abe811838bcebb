-- The everyday questions timed by `news-etl bench-views`, one per line of output.
-- articles of a day
select count(*) from report.articles where published_date = date '2021-02-01';
-- one entity's mentions
select count(*), sum(mentions) from report.entity_mentions where entity_id = md5('entity:42')::uuid;
-- top entities of a day
select canonical_name, mentions from report.entity_daily where day = date '2021-02-01' order by mentions desc limit 10;
-- who appears with one entity
select other_name, articles from report.co_mentions where entity_id = md5('entity:42')::uuid order by articles desc limit 10;
-- articles talking about one week
select count(distinct article_id) from report.date_mentions where period && daterange('2021-02-01', '2021-02-07', '[]');
-- dates referenced on a day
select * from report.date_references where published_date = date '2021-02-01';
-- one story's articles
select * from report.story_articles where story_id = md5('story:100')::uuid;
-- biggest stories of a week
select * from report.stories where first_published between date '2021-02-01' and date '2021-02-07' order by articles desc limit 10;
-- outlets
select * from report.sources;
-- latest runs
select * from report.runs order by started_at desc limit 10;
