-- Which people were in the news on each day?
select day, canonical_name, mentions, articles
from report.entity_daily
where entity_type = 'PERSON'
order by day, mentions desc, canonical_name
limit 10;
