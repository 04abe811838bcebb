-- Which days do the articles talk about, relative to their publication?
select published_date, referenced_start, referenced_end, granularity, days_from_publication, articles
from report.date_references
order by published_date, referenced_start, granularity;
