-- The entity facts name the document's own entity key (what the article said), not the
-- entity that key resolves to today. A key whose cross-document resolution changes (a
-- surname gains a second person, a short name its long form) then changes one row of
-- dwh.entity_key_map, not every fact of every article that ever named it: a day's load
-- writes its own articles' facts and nothing older. The report views apply the key map.

-- The views read the tables changed below; the load re-creates them after the migrations.
drop view if exists report.entity_daily, report.entity_mentions, report.entity_pairs, report.co_mentions;

-- ---------------------------------------------------------------- facts
-- Grain: one entity key in one (current) article. Rebuilt from the documents' views of
-- entities, which hold the same rows.
truncate dwh.fact_entity_mention;

drop index dwh.fact_entity_mention_entity;

alter table dwh.fact_entity_mention drop constraint fact_entity_mention_pkey;

alter table dwh.fact_entity_mention drop column entity_id;

alter table dwh.fact_entity_mention add column entity_key text not null; -- entity_key_map

alter table dwh.fact_entity_mention add primary key (published_date_key, article_id, entity_key);

-- One entity's articles: its keys (entity_key_map_entity), then their facts.
create index fact_entity_mention_key
on dwh.fact_entity_mention (entity_key, published_date_key) include (article_id, mentions);

insert into dwh.fact_entity_mention (
    published_date_key, source_id, article_id, mentions, first_offset, entity_key
)
select a.published_date_key, a.source_id, ae.article_id, ae.mentions, ae.first_offset, ae.entity_key
from dwh.article_entity as ae
inner join dwh.dim_article as a on a.article_id = ae.article_id and a.is_current;

-- ---------------------------------------------------------------- per-day summary
-- Counted again from the facts through the key map (an article naming one entity under two
-- keys counts once); the load re-counts the rows its articles and changed keys touch.
truncate dwh.entity_day;

insert into dwh.entity_day (day, entity_id, mentions, articles)
select dwh.key_date(f.published_date_key), m.entity_id, sum(f.mentions), count(distinct f.article_id)
from dwh.fact_entity_mention as f
inner join dwh.entity_key_map as m on m.entity_key = f.entity_key
group by f.published_date_key, m.entity_id;
