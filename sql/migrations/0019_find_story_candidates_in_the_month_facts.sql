-- The story step finds who else names a key within a few days in the entity facts, through
-- their (entity_key, published_date_key) index: partitioned by month, so a day's lookups
-- read one or two months' small indexes. article_entity holds the same (article, key) rows
-- and kept an index on the key for that alone: over every month, it was the load's largest
-- index insertion cost (a random page a new row: about 1 GB at a million articles).

drop index dwh.article_entity_key;
