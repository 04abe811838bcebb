-- Who appears with Antony Blinken, in how many articles?
select other_name, other_type, articles
from report.co_mentions
where canonical_name = 'Antony Blinken'
order by articles desc, other_name
limit 8;
