-- report.article_focus: one row per article (its current version) with a focus.
-- Where is each article about? Its main country and main town or division: by how often it
-- names them, its dateline's place counting two mentions more (etl/enrich/places.py).
create or replace view report.article_focus as
with current_articles as (
    select article_id, published_date, focus_country_geonameid, focus_geonameid
    from dwh.dim_article
    where is_current and (focus_country_geonameid is not null or focus_geonameid is not null)
),

final as (
    select
        a.article_id,
        a.published_date,
        c.country_code as focus_country_code,
        c.name as focus_country,
        p.geonameid as focus_geonameid,
        p.name as focus_place,
        p.feature_code as focus_feature_code,
        p.admin1_name as focus_admin1_name,
        p.latitude,
        p.longitude
    from current_articles as a
    left join dwh.dim_place as c on c.geonameid = a.focus_country_geonameid
    left join dwh.dim_place as p on p.geonameid = a.focus_geonameid
)

select * from final;

comment on view report.article_focus is 'One row per article that names a place it can be placed by: its main country and main town or division. Where each article is about.';
comment on column report.article_focus.article_id is 'The article (report.articles).';
comment on column report.article_focus.published_date is 'The article''s publication day.';
comment on column report.article_focus.focus_country_code is 'ISO 3166-1 alpha-2 code of the country its places (and demonyms) name most, the dateline counting twice more.';
comment on column report.article_focus.focus_country is 'That country''s name.';
comment on column report.article_focus.focus_geonameid is 'GeoNames id of the town or division it names most, the dateline counting twice more (at equal counts a town over a division); null when it names none.';
comment on column report.article_focus.focus_place is 'That place''s GeoNames name.';
comment on column report.article_focus.focus_feature_code is 'That place''s GeoNames feature code (PPL, PPLC, ADM1, PCLI, ...).';
comment on column report.article_focus.focus_admin1_name is 'That place''s first-level division, when it is a town or a division.';
comment on column report.article_focus.latitude is 'WGS84 latitude of the main place.';
comment on column report.article_focus.longitude is 'WGS84 longitude of the main place.';
