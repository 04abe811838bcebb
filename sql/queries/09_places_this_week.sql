-- Where was the news in the week of 2021-03-22? Places by the articles that name them, on the map.
select
    canonical_name,
    entity_type,
    country_code,
    admin1_name,
    feature_code,
    round(latitude::numeric, 2) as latitude,
    round(longitude::numeric, 2) as longitude,
    sum(articles) as articles,
    sum(mentions) as mentions
from report.places
where day between date '2021-03-22' and date '2021-03-28'
group by canonical_name, entity_type, country_code, admin1_name, feature_code, latitude, longitude
order by articles desc, mentions desc, canonical_name
limit 10;
