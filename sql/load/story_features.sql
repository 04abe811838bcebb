-- What the story decision reads of each article (ids in story_candidate_article): its
-- publication date, text signature, entity keys, and the days it talks about (day and week
-- mentions).
--
-- reads: story_candidate_article
select
    d.article_id,
    d.published_date,
    coalesce(sig.minhash, '{}') as minhash,
    coalesce(sig.shingles, 0) as shingles,
    coalesce(
        (select array_agg(ae.entity_key) from dwh.article_entity as ae where ae.article_id = d.article_id),
        '{}'
    ) as entities,
    coalesce(
        (
            select array_agg(distinct day.d::date)
            from dwh.fact_date_mention as m
            inner join dwh.dim_date as s on s.date_key = m.start_date_key
            inner join dwh.dim_date as e on e.date_key = m.end_date_key
            cross join lateral generate_series(s.calendar_date, e.calendar_date, interval '1 day') as day (d)
            where m.published_date_key = d.published_date_key
                and m.article_id = d.article_id
                and m.granularity in ('day', 'week')
        ),
        '{}'
    ) as days
from story_candidate_article as c
inner join dwh.dim_article as d on d.article_id = c.article_id and d.is_current
left join dwh.article_signature as sig on sig.article_id = d.article_id;
