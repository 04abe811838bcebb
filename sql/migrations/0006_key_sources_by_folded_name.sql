-- Outlets are keyed by their folded name (etl/ids.py: source_id), so "UrduPoint.com" and
-- "URDUPOINT.COM" are one outlet whatever the order they arrive in. The name an outlet shows
-- is the spelling most of its current articles use (dwh.source_spelling, kept by the load).
-- Names are stored in full, however long: no index holds the name itself.

alter table dwh.dim_source drop constraint dim_source_source_name_key;

-- The outlet as the article writes it; dim_source.source_name is the outlet's display name.
alter table dwh.dim_article add column source_name text;

update dwh.dim_article as a
set source_name = s.source_name
from dwh.dim_source as s
where s.source_id = a.source_id;

-- How many current articles write an outlet's name each way.
create table dwh.source_spelling (
    source_id uuid not null references dwh.dim_source (source_id),
    spelling text not null,
    articles integer not null
);

create unique index source_spelling_key on dwh.source_spelling (source_id, md5(spelling));
