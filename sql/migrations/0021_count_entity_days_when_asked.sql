-- report.entity_daily is counted when asked, from the per-key day sums (dwh.entity_key_day)
-- through the key map, instead of from dwh.entity_day. That summary counted entities, so a
-- key that changed entity (an acronym meeting its long form, a surname gaining a person)
-- had every day it was ever named on counted again by the load that moved it: at a million
-- articles, 10,000-20,000 rows and up to 2 s of a 100-article day's load. A day's key rows
-- are a few thousand; summing them per entity costs what the day holds, not its history.

drop view if exists report.entity_daily;

drop table dwh.entity_day;

-- A day (or a period) of key rows, in the view's terms: its filter on the calendar day
-- reaches this index.
create index entity_key_day_by_day on dwh.entity_key_day (dwh.key_date(published_date_key));
