-- report.places: one row per place entity and publication day.
-- Where was the news, on which day, how often? Every entity the articles ground in GeoNames
-- (a town, a division, a country, a continent; a demonym such as "Turkish" refers to its
-- country and keeps its type, NORP), with its point and divisions. Read from the load's
-- per-day summary (dwh.entity_day), as report.entity_daily is: a plain select, so a day
-- filter and a "top N" reach its index.
create or replace view report.places as
select
    s.day,
    s.entity_id,
    e.canonical_name,
    e.entity_type,
    p.geonameid,
    p.name as geonames_name,
    p.latitude,
    p.longitude,
    p.country_code,
    p.admin1_code,
    p.admin1_name,
    p.feature_class,
    p.feature_code,
    p.population,
    s.mentions,
    s.articles
from dwh.entity_day as s
inner join dwh.dim_entity as e on e.entity_id = s.entity_id
inner join dwh.dim_place as p on p.geonameid = e.geonameid;

comment on view report.places is 'One row per place entity and publication day: where the news was, with GeoNames coordinates. A demonym (NORP, "Turkish") refers to its country.';
comment on column report.places.day is 'The publication day.';
comment on column report.places.entity_id is 'The canonical entity (report.entity_mentions): one place is one entity, however it is spelled.';
comment on column report.places.canonical_name is 'The entity''s name as the articles write it ("Aleppo", "U.S." as "United States").';
comment on column report.places.entity_type is 'GPE or LOC for a place; NORP for a demonym that refers to its country.';
comment on column report.places.geonameid is 'The GeoNames id of the place (https://www.geonames.org/<id>).';
comment on column report.places.geonames_name is 'The place''s name in GeoNames (its own or local form: "Ḩalab" for the governorate of Aleppo).';
comment on column report.places.latitude is 'WGS84 latitude of the place''s point; for countries and divisions an estimate of their middle (README, "Places").';
comment on column report.places.longitude is 'WGS84 longitude of the place''s point.';
comment on column report.places.country_code is 'ISO 3166-1 alpha-2 code of its country; null for a continent.';
comment on column report.places.admin1_code is 'GeoNames'' code of its first-level division within the country (a US state: its postal code); null for a country or continent.';
comment on column report.places.admin1_name is 'The name of its first-level division (state, province, region).';
comment on column report.places.feature_class is 'GeoNames feature class: A (country, division), P (populated place), L (continent).';
comment on column report.places.feature_code is 'GeoNames feature code: PCLI (country), ADM1/ADM2 (division), PPLC (capital), PPL (town or city), CONT (continent).';
comment on column report.places.population is 'Its population as GeoNames gives it (a division''s: the sum of its towns'').';
comment on column report.places.mentions is 'Times the day''s articles name the place.';
comment on column report.places.articles is 'Articles of the day that name the place.';
