-- Which articles talk about the week of 2021-03-22 (ISO week 12)?
select distinct a.title, d.text, d.value
from report.date_mentions as d
inner join report.articles as a on a.article_id = d.article_id
inner join dwh.dim_date as day on day.calendar_date between d.start_date and d.end_date
where day.iso_year = 2021 and day.iso_week = 12
order by a.title, d.value;
