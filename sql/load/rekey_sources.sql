-- Full rebuild, outlets: every article version's outlet by the id of its spelling
-- (source_key, from etl/ids.py), outlets no version names removed, spellings and articles
-- per outlet and day recounted.
--
-- reads: source_delta, source_key
insert into dwh.dim_source (source_id, source_name)
select distinct on (source_id) source_id, spelling
from source_key
order by source_id, spelling
on conflict (source_id) do nothing;

update dwh.dim_article as a
set source_id = k.source_id
from source_key as k
where k.spelling = a.source_name and a.source_id is distinct from k.source_id;

update dwh.fact_date_mention as f
set source_id = a.source_id
from dwh.dim_article as a
where a.article_id = f.article_id
    and a.is_current
    and f.published_date_key = a.published_date_key
    and f.source_id is distinct from a.source_id;

truncate dwh.source_spelling, dwh.source_day, dwh.source_alias;

delete from dwh.dim_source as s
where not exists (select 1 from dwh.dim_article as a where a.source_id = s.source_id);

insert into source_delta (sign, source_id, spelling, alias_ids, published_date)
select 1, source_id, source_name, source_alias_ids, published_date
from dwh.dim_article
where is_current;
