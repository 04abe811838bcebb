-- Who and what is in the news: the most mentioned entities.
select canonical_name, entity_type, country_code, count(*) as articles, sum(mentions) as mentions
from report.entity_mentions
group by canonical_name, entity_type, country_code
order by mentions desc, canonical_name
limit 10;
