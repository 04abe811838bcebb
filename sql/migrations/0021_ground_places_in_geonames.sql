-- Places on the map: GeoNames places, the place each entity is (or, for a demonym, refers
-- to), and each article's focus.

-- One row per GeoNames place the current articles name (ground an entity or focus on), as
-- the gazetteer describes it.
create table dwh.dim_place (
    geonameid integer primary key,
    name text not null,
    feature_class text not null, -- A: country or division, P: populated place, L: continent
    feature_code text not null, -- PCLI, ADM1, ADM2, PPLC (a capital), PPL, CONT
    country_code text, -- ISO 3166-1 alpha-2
    admin1_code text, -- GeoNames' first-level division code within the country
    admin1_name text,
    latitude double precision not null,
    longitude double precision not null,
    population bigint not null
);

create index dim_place_country on dwh.dim_place (country_code);

-- Which places each current article names: dim_place holds exactly these places, so a
-- rewritten or retired article's places go when no other article names them.
create table dwh.article_place (
    article_id uuid not null,
    geonameid integer not null,
    primary key (article_id, geonameid)
);

create index article_place_geonameid on dwh.article_place (geonameid);

create table staging.place (
    run_id uuid not null,
    path text not null,
    geonameid integer not null,
    name text not null,
    feature_class text not null,
    feature_code text not null,
    country_code text,
    admin1_code text,
    admin1_name text,
    latitude double precision not null,
    longitude double precision not null,
    population bigint not null
);

create index staging_place_run on staging.place (run_id, path);

-- The GeoNames place of an entity as one document grounds it.
alter table staging.entity_mention add column geonameid integer;
alter table dwh.article_entity add column geonameid integer;

-- The place an entity is, by most documents' grounding.
alter table dwh.dim_entity add column geonameid integer;
create index dim_entity_geonameid on dwh.dim_entity (geonameid) where geonameid is not null;

-- An article's focus: its main country and main place.
alter table staging.article add column focus_country_geonameid integer, add column focus_geonameid integer;
alter table dwh.dim_article add column focus_country_geonameid integer, add column focus_geonameid integer;

-- What one document says of one entity key now includes its place: the facet 'place'
-- (a GeoNames id), counted like the others.
drop function dwh.entity_facets(text, text, text, text, text []);

create function dwh.entity_facets(
    entity_type text, canonical_name text, country_code text, acronym text, forms text [], geonameid integer
)
returns table (facet text, value text)
language sql
immutable
parallel safe
as $$
    select given.facet, given.value
    from (
        values ('type', entity_type), ('name', canonical_name), ('country', country_code), ('tie', acronym),
            ('place', geonameid::text)
    ) as given (facet, value)
    where given.value is not null
    union all
    select 'form', form
    from unnest(forms) as form
$$;

alter table dwh.entity_key_stat drop constraint entity_key_stat_facet_check;
alter table dwh.entity_key_stat add constraint entity_key_stat_facet_check
    check (facet in ('type', 'form', 'name', 'country', 'tie', 'place'));
