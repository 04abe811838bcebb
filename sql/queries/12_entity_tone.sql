-- How were the people of the news covered, day by day (the tone of the sentences naming them)?
select day, canonical_name, articles, tone
from report.entity_tone_daily
where entity_type = 'PERSON'
order by day, articles desc, canonical_name
limit 10;
