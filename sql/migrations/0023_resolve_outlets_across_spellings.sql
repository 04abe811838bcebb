-- One outlet, several spellings: a file that names its outlet twice ("By Martin Hayes,
-- Reuters" ... "Reuter") ties the spellings, and initials name the outlet they abbreviate
-- ("AFP", "Agence France-Presse"). Each outlet row keeps its spelling's id; outlet_id points
-- at the outlet it is a spelling of (etl/warehouse_sources.py), and reports show that
-- outlet's name.

-- The outlet's other spellings in the file, by their ids (etl/ids.py: source_id).
alter table staging.article add column source_alias_ids uuid [] not null default '{}';
alter table dwh.dim_article add column source_alias_ids uuid [] not null default '{}';

alter table dwh.dim_source
add column outlet_id uuid, -- the outlet this spelling belongs to; null: itself
add column initials text; -- the initials of a name of two words or more ("afp")

create index dim_source_initials on dwh.dim_source (initials) where initials is not null;

-- Grain: one outlet spelling (source_id) naming another (alias_id) in the same current
-- articles; articles counts them.
create table dwh.source_alias (
    source_id uuid not null,
    alias_id uuid not null,
    articles integer not null,
    primary key (source_id, alias_id)
);

create index source_alias_by_alias on dwh.source_alias (alias_id);
