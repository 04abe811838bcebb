-- What did Philip Reeker say in the week of 2021-03-22, and in what tone?
select published_date, speaker_text, kind, tone, left(quote_text, 80) as quote
from report.quotes
where speaker = 'Philip Reeker' and published_date between date '2021-03-22' and date '2021-03-28'
order by published_date, start_offset;
