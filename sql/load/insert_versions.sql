-- The run's versions: current when they are their content's primary, else kept as
-- versions whose name is recorded for the primary (a duplicate). loaded_at keeps the
-- first load of a version; a re-processed version takes the new parse.
--
-- reads: fresh
insert into dwh.dim_article (
    article_id, sha256, path, partition_date, title, author, source_id, source_name,
    source_alias_ids, dateline_place, dateline_agency, published_date, published_basis, language, byte_size, enrichment_version,
    story_id, is_current, loaded_at, focus_country_geonameid, focus_geonameid, tone, tone_positive,
    tone_negative, tone_polarity, word_count
)
select
    s.article_id, s.sha256, s.path, s.partition_date, s.title, s.author, s.source_id, s.source_name,
    s.source_alias_ids, s.dateline_place, s.dateline_agency, s.published_date, s.published_basis, s.language,
    s.byte_size, s.enrichment_version, case when f.article_id is not null then s.story_id end,
    f.article_id is not null, now(), s.focus_country_geonameid, s.focus_geonameid, s.tone, s.tone_positive,
    s.tone_negative, s.tone_polarity, s.word_count
from staging.article as s
left join fresh as f on f.article_id = s.article_id
where s.run_id = :run_id
on conflict (article_id, sha256) do update
set title = excluded.title,
    author = excluded.author,
    source_id = excluded.source_id,
    source_name = excluded.source_name,
    source_alias_ids = excluded.source_alias_ids,
    dateline_place = excluded.dateline_place,
    dateline_agency = excluded.dateline_agency,
    published_date = excluded.published_date,
    published_basis = excluded.published_basis,
    language = excluded.language,
    enrichment_version = excluded.enrichment_version,
    story_id = excluded.story_id,
    is_current = excluded.is_current,
    focus_country_geonameid = excluded.focus_country_geonameid,
    focus_geonameid = excluded.focus_geonameid,
    tone = excluded.tone,
    tone_positive = excluded.tone_positive,
    tone_negative = excluded.tone_negative,
    tone_polarity = excluded.tone_polarity,
    word_count = excluded.word_count;

insert into dwh.article_text (article_id, sha256, partition_date, raw_text, body, captions)
select article_id, sha256, partition_date, raw_text, body, captions
from staging.article
where run_id = :run_id
on conflict (partition_date, article_id, sha256) do update
set body = excluded.body,
    captions = excluded.captions;
