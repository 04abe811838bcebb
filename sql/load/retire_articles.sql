-- Retire the versions in `retiring`: they stop being current and lose what only current
-- articles have (facts, their view of entities, text signatures); their entities and
-- outlet are counted out of the statistics, and their stories are decided again. Their
-- attributes and raw text stay (dim_article, article_text): history can be re-processed.
--
-- reads: retiring, entity_delta, entity_key_day_delta, place_gone, source_delta, story_dirty, story_touched

with gone as (
    delete from dwh.article_entity as ae
    using retiring as r
    where ae.article_id = r.article_id
    returning ae.*
)

insert into entity_delta (
    sign, article_id, entity_key, canonical_name, entity_type, country_code, acronym, forms, aliases,
    geonameid
)
select -1, article_id, entity_key, canonical_name, entity_type, country_code, acronym, forms, aliases, geonameid
from gone;

with gone as (
    delete from dwh.fact_entity_mention as f
    using retiring as r
    where f.published_date_key = r.published_date_key and f.article_id = r.article_id
    returning f.published_date_key, f.entity_key, f.mentions
)

insert into entity_key_day_delta (entity_key, published_date_key, mentions, articles)
select entity_key, published_date_key, -sum(mentions), -count(*)
from gone
group by entity_key, published_date_key;

insert into place_gone (geonameid)
select distinct ap.geonameid
from dwh.article_place as ap
inner join retiring as r on r.article_id = ap.article_id
on conflict do nothing;

delete from dwh.article_place as ap
using retiring as r
where ap.article_id = r.article_id;

delete from dwh.fact_date_mention as f
using retiring as r
where f.published_date_key = r.published_date_key and f.article_id = r.article_id;

delete from dwh.fact_quote as f
using retiring as r
where f.published_date_key = r.published_date_key and f.article_id = r.article_id;

delete from dwh.article_signature as sig
using retiring as r
where sig.article_id = r.article_id;

insert into source_delta (sign, source_id, spelling, alias_ids, published_date)
select -1, source_id, source_name, source_alias_ids, published_date
from retiring;

insert into story_dirty (article_id)
select article_id from retiring
on conflict do nothing;

insert into story_touched (story_id)
select distinct story_id from retiring
where story_id is not null
on conflict do nothing;

-- A retired version belongs to no story.
update dwh.dim_article as a
set is_current = false, story_id = null
from retiring as r
where a.article_id = r.article_id and a.sha256 = r.sha256;
