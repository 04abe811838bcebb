-- The story step looks up each new article's MinHash bands in dwh.article_signature's GIN
-- index. With GIN's fast update, new entries wait in a pending list (up to
-- gin_pending_list_limit, 4 MB) that every search reads whole: 20 ms a lookup in a warehouse
-- of a million articles, two seconds of a 100-article day. Without it, each insert updates
-- the index at once (a day's few hundred rows) and a lookup reads a few pages.
alter index dwh.article_signature_bands set (fastupdate = off);

-- Move what waits in the pending list into the index proper.
select gin_clean_pending_list('dwh.article_signature_bands');
