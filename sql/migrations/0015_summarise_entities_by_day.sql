-- Mentions and articles per entity and publication day, kept by the load's deltas, so "who
-- was in the news on day D" reads the day's rows in order of mentions and names only the
-- top ones (report.entity_daily), instead of aggregating the day's facts and naming every
-- entity first.

create table dwh.entity_day (
    day date not null, -- publication day
    entity_id uuid not null,
    mentions integer not null,
    articles integer not null,
    primary key (day, entity_id)
);

create index entity_day_by_mentions on dwh.entity_day (day, mentions desc);

-- The facts are current: their sums are the summary.
insert into dwh.entity_day (day, entity_id, mentions, articles)
select dwh.key_date(published_date_key), entity_id, sum(mentions), count(*)
from dwh.fact_entity_mention
group by published_date_key, entity_id;
