-- The GeoNames places the run's articles ground to, as the gazetteer describes them: added
-- to the place dimension, or brought up to date (a newer gazetteer may move a point).
insert into dwh.dim_place (
    geonameid, name, feature_class, feature_code, country_code, admin1_code, admin1_name,
    latitude, longitude, population
)
select distinct on (geonameid)
    geonameid, name, feature_class, feature_code, country_code, admin1_code, admin1_name,
    latitude, longitude, population
from staging.place
where run_id = :run_id
order by geonameid
on conflict (geonameid) do update
set name = excluded.name,
    feature_class = excluded.feature_class,
    feature_code = excluded.feature_code,
    country_code = excluded.country_code,
    admin1_code = excluded.admin1_code,
    admin1_name = excluded.admin1_name,
    latitude = excluded.latitude,
    longitude = excluded.longitude,
    population = excluded.population
where (dwh.dim_place.name, dwh.dim_place.feature_code, dwh.dim_place.country_code, dwh.dim_place.admin1_code,
        dwh.dim_place.admin1_name, dwh.dim_place.latitude, dwh.dim_place.longitude, dwh.dim_place.population)
    is distinct from (excluded.name, excluded.feature_code, excluded.country_code, excluded.admin1_code,
        excluded.admin1_name, excluded.latitude, excluded.longitude, excluded.population);
