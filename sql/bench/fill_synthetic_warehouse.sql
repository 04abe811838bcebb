-- A synthetic warehouse for timing the report views: :articles articles over :days days,
-- :entities entities, :mentions entity mentions (Zipf-like: a few entities everywhere, most
-- rare), 3 date mentions per article, three articles a story. Used by `news-etl bench-views`
-- only; the load's summaries dim_story and source_day are filled as the load would leave
-- them, entity_key_day and entity_day by the load's own full counts (run after).

insert into dwh.dim_source (source_id, source_name)
select md5('source:' || i)::uuid, 'Outlet ' || i
from generate_series(1, 20) as i;

insert into dwh.dim_entity (entity_id, canonical_name, entity_type, country_code)
select
    md5('entity:' || i)::uuid,
    'Entity ' || i,
    (array['PERSON', 'ORG', 'GPE', 'LOC', 'NORP'])[1 + i % 5],
    case when i % 5 = 2 then 'US' end
from generate_series(1, :entities) as i;

insert into dwh.dim_article (
    article_id, sha256, path, partition_date, title, source_id, source_name, published_date,
    published_basis, language, byte_size, enrichment_version, story_id, is_current, loaded_at
)
select
    md5('article:' || i)::uuid,
    md5('sha:' || i),
    to_char(date '2021-01-01' + (i % :days), 'YYYY-MM-DD') || '/' || i || '.txt',
    date '2021-01-01' + (i % :days),
    'Title ' || i,
    md5('source:' || (1 + i % 20))::uuid,
    'Outlet ' || (1 + i % 20),
    date '2021-01-01' + (i % :days),
    'partition',
    'en',
    100,
    'synthetic',
    md5('story:' || (i / 3))::uuid,
    true,
    now()
from generate_series(1, :articles) as i;

select dwh.ensure_month_partition(p.parent_table, m.month::date)
from generate_series(date '2021-01-01', date '2021-01-01' + :days, interval '1 month') as m (month)
cross join (values ('fact_entity_mention'), ('fact_date_mention')) as p (parent_table);

-- Each entity has a document key of its full name, and one in two a second key (a short
-- form its articles sometimes use alone), as the cross-document resolution leaves them.
insert into dwh.entity_key_map (entity_key, entity_id, base_name)
select 'synthetic:' || i || k.suffix, md5('entity:' || i)::uuid, 'entity ' || i
from generate_series(1, :entities) as i
cross join (values (''), ('-short')) as k (suffix)
where k.suffix = '' or i % 2 = 0;

-- Each mention: an article and an entity drawn with a skew towards low entity numbers, named
-- by its short key one time in five where it has one.
insert into dwh.fact_entity_mention (
    published_date_key, source_id, article_id, entity_key, mentions, first_offset
)
select distinct on (a, entity_key)
    dwh.date_key(date '2021-01-01' + (a % :days)),
    md5('source:' || (1 + a % 20))::uuid,
    md5('article:' || a)::uuid,
    entity_key,
    1 + (n % 4),
    n % 1000
from (
    select
        n,
        a,
        'synthetic:' || e || case when e % 2 = 0 and n % 5 = 0 then '-short' else '' end as entity_key
    from (
        select
            n,
            (1 + (n * 7919) % :articles)::integer as a,
            1 + floor(:entities * power(((n * 104729) % 100003) / 100003.0, 3))::integer as e
        from generate_series(1::bigint, :mentions) as n
    ) as drawn
) as named
order by a, entity_key;

insert into dwh.fact_date_mention (
    published_date_key, source_id, article_id, start_offset, end_offset, mention_text, value,
    end_value, granularity, start_date_key, end_date_key
)
select
    dwh.date_key(date '2021-01-01' + (a % :days)),
    md5('source:' || (1 + a % 20))::uuid,
    md5('article:' || a)::uuid,
    k * 100,
    k * 100 + 6,
    'Monday',
    to_char(date '2021-01-01' + ((a + k) % :days), 'YYYY-MM-DD'),
    null,
    'day',
    dwh.date_key(date '2021-01-01' + ((a + k) % :days)),
    dwh.date_key(date '2021-01-01' + ((a + k) % :days))
from generate_series(1, :articles) as a, generate_series(1, 3) as k;

insert into dwh.dim_story (story_id, articles, first_published, last_published, headline)
select
    story_id, count(*), min(published_date), max(published_date),
    (array_agg(title order by published_date, path))[1]
from dwh.dim_article
group by story_id;

insert into dwh.source_day (source_id, day, articles)
select source_id, published_date, count(*)
from dwh.dim_article
group by source_id, published_date;
