-- "Which articles talk about this week?" is an overlap of periods: the days a date expression
-- covers (start to end day) against the days asked about. A GiST index on those periods
-- answers it without reading every mention before the week's end; report.date_mentions
-- exposes the period (filter: period && daterange('2021-03-22', '2021-03-28', '[]')).

-- The calendar day of a dim_date key (yyyymmdd): immutable, so it can be indexed.
create function dwh.key_date(date_key integer) returns date
language sql immutable parallel safe
return make_date(date_key / 10000, date_key / 100 % 100, date_key % 100);

create index fact_date_mention_period on dwh.fact_date_mention
using gist (daterange(dwh.key_date(start_date_key), dwh.key_date(end_date_key), '[]'));
