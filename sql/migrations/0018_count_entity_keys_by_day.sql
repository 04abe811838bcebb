-- Mentions and articles per document entity key and publication day, kept by the same
-- deltas as the entity facts (an article arriving or retiring) and never by the resolution.
-- When a key changes entity, the load finds the days it was named on here (one row a day)
-- instead of in its facts (one row an article, in every month's partition), and counts the
-- entity's day again from its keys' rows.

create table dwh.entity_key_day (
    entity_key text not null, -- entity_key_map
    published_date_key integer not null, -- dim_date
    mentions integer not null,
    articles integer not null,
    primary key (entity_key, published_date_key)
);

-- The facts are current, one row per article and key: their sums are the summary.
insert into dwh.entity_key_day (entity_key, published_date_key, mentions, articles)
select entity_key, published_date_key, sum(mentions), count(*)
from dwh.fact_entity_mention
group by entity_key, published_date_key;
