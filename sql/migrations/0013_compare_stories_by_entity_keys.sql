-- Stories compare the documents' own entity keys (a full name, a gazetteer place, an
-- organisation's name), which no cross-document resolution changes, so a change of what a
-- key resolves to never re-opens story decisions. Each article's keys carry its publication
-- day, for "who else names this key in the days around this article".
alter table dwh.article_entity add column published_date_key integer;

update dwh.article_entity as ae
set published_date_key = a.published_date_key
from dwh.dim_article as a
where a.article_id = ae.article_id and a.is_current;

alter table dwh.article_entity alter column published_date_key set not null;

drop index dwh.article_entity_key;
create index article_entity_key on dwh.article_entity (entity_key, published_date_key) include (article_id);

-- The story rules changed: the derived state is rebuilt once (news-etl init-db).
update dwh.derived_state set version = 'built before migration 0013';
