-- Outlets named by the run's articles (keyed by folded name: etl/ids.py). The name shown
-- is settled by apply_source_delta.sql once the spellings are counted.
insert into dwh.dim_source (source_id, source_name)
select distinct on (source_id) source_id, source_name
from staging.article
where run_id = :run_id and source_id is not null
order by source_id, source_name
on conflict (source_id) do nothing;
