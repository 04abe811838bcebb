-- What the run's fresh articles say, article by article: their view of entities (counted
-- into the statistics) and entity facts (with the entity's tone there), the places they
-- name, text signatures (with their MinHash band hashes), date facts, quotations and outlet
-- spelling.
--
-- reads: fresh, entity_delta, entity_key_day_delta, source_delta, story_dirty

-- Days outside dim_date's prefilled range that an article is published on or mentions.
select dwh.fill_dim_date(d, d)
from (
    select published_date as d from staging.article where run_id = :run_id
    union
    select start_date from staging.date_mention where run_id = :run_id
    union
    select end_date from staging.date_mention where run_id = :run_id
) as days
where not exists (select 1 from dwh.dim_date where calendar_date = days.d);

with added as (
    insert into dwh.article_entity (
        article_id, entity_key, canonical_name, entity_type, country_code, acronym, forms,
        aliases, mentions, first_offset, published_date_key, geonameid, tone
    )
    select
        a.article_id, e.entity_key, e.canonical_name, e.entity_type, e.country_code,
        e.acronym, e.forms, e.aliases, e.mentions, e.first_offset, dwh.date_key(a.published_date),
        e.geonameid, e.tone
    from staging.entity_mention as e
    inner join staging.article as a on a.run_id = e.run_id and a.path = e.path
    inner join fresh as f on f.article_id = a.article_id
    where e.run_id = :run_id
    returning *
)

insert into entity_delta (
    sign, article_id, entity_key, canonical_name, entity_type, country_code, acronym, forms, aliases,
    geonameid
)
select 1, article_id, entity_key, canonical_name, entity_type, country_code, acronym, forms, aliases, geonameid
from added;

with added as (
    insert into dwh.fact_entity_mention (
        published_date_key, source_id, article_id, entity_key, mentions, first_offset, tone
    )
    select
        dwh.date_key(a.published_date), a.source_id, a.article_id, e.entity_key, e.mentions, e.first_offset,
        e.tone
    from staging.entity_mention as e
    inner join staging.article as a on a.run_id = e.run_id and a.path = e.path
    inner join fresh as f on f.article_id = a.article_id
    where e.run_id = :run_id
    returning published_date_key, entity_key, mentions
)

insert into entity_key_day_delta (entity_key, published_date_key, mentions, articles)
select entity_key, published_date_key, sum(mentions), count(*)
from added
group by entity_key, published_date_key;

insert into dwh.article_place (article_id, geonameid)
select distinct f.article_id, p.geonameid
from staging.place as p
inner join staging.article as a on a.run_id = p.run_id and a.path = p.path
inner join fresh as f on f.article_id = a.article_id
where p.run_id = :run_id;

insert into dwh.article_signature (article_id, minhash, shingles, band_hashes)
select s.article_id, s.minhash, s.shingles, s.band_hashes
from staging.article as s
inner join fresh as f on f.article_id = s.article_id
where s.run_id = :run_id and s.minhash is not null;

insert into dwh.fact_date_mention (
    published_date_key, source_id, article_id, start_offset, end_offset, mention_text, value,
    end_value, granularity, start_date_key, end_date_key
)
select
    dwh.date_key(a.published_date), a.source_id, a.article_id, d.start_offset, d.end_offset,
    d.mention_text, d.value, d.end_value, d.granularity, dwh.date_key(d.start_date),
    dwh.date_key(d.end_date)
from staging.date_mention as d
inner join staging.article as a on a.run_id = d.run_id and a.path = d.path
inner join fresh as f on f.article_id = a.article_id
where d.run_id = :run_id;

insert into dwh.fact_quote (
    published_date_key, source_id, article_id, start_offset, end_offset, quote_text, kind, cue_text,
    speaker_text, speaker_start, speaker_entity_key, tone
)
select
    dwh.date_key(a.published_date), a.source_id, a.article_id, q.start_offset, q.end_offset, q.quote_text,
    q.kind, q.cue_text, q.speaker_text, q.speaker_start, q.speaker_entity_key, q.tone
from staging.quote as q
inner join staging.article as a on a.run_id = q.run_id and a.path = q.path
inner join fresh as f on f.article_id = a.article_id
where q.run_id = :run_id;

insert into source_delta (sign, source_id, spelling, alias_ids, published_date)
select 1, s.source_id, s.source_name, s.source_alias_ids, s.published_date
from staging.article as s
inner join fresh as f on f.article_id = s.article_id
where s.run_id = :run_id;

insert into story_dirty (article_id)
select article_id from fresh
on conflict do nothing;

-- The entity deltas are complete: the entity step reads them.
analyze entity_delta, story_dirty;
