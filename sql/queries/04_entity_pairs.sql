-- Who appears with Antony Blinken, in how many articles?
select case when entity_a = 'Antony Blinken' then entity_b else entity_a end as appears_with, articles
from report.entity_pairs
where 'Antony Blinken' in (entity_a, entity_b)
order by articles desc, appears_with
limit 8;
