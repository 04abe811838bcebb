-- report.date_references: one row per publication day and day talked about.
-- On the day articles were published, which days did they talk about (the past, the future)?
create or replace view report.date_references as
with references_by_day as (
    select
        pd.calendar_date as published_date,
        s.calendar_date as referenced_start,
        e.calendar_date as referenced_end,
        f.granularity,
        count(distinct f.article_id)::integer as articles,
        count(*)::integer as mentions
    from dwh.fact_date_mention as f
    inner join dwh.dim_date as pd on pd.date_key = f.published_date_key
    inner join dwh.dim_date as s on s.date_key = f.start_date_key
    inner join dwh.dim_date as e on e.date_key = f.end_date_key
    group by pd.calendar_date, s.calendar_date, e.calendar_date, f.granularity
),

final as (
    select
        published_date,
        referenced_start,
        referenced_end,
        granularity,
        referenced_start - published_date as days_from_publication,
        articles,
        mentions
    from references_by_day
)

select * from final;

comment on view report.date_references is 'One row per publication day, day (or period) talked about and granularity. What days the news of a day looks back or forward to.';
comment on column report.date_references.published_date is 'The articles'' publication day.';
comment on column report.date_references.referenced_start is 'First day of the period talked about.';
comment on column report.date_references.referenced_end is 'Last day of the period talked about.';
comment on column report.date_references.granularity is 'day, week, month, quarter, season, year, decade or century.';
comment on column report.date_references.days_from_publication is 'referenced_start minus published_date, in days: negative for the past.';
comment on column report.date_references.articles is 'Articles published that day that talk about the period.';
comment on column report.date_references.mentions is 'Expressions naming the period in those articles.';
