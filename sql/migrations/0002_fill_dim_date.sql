-- dim_date rows come from one function, so the migration and the load (which adds days an
-- article mentions outside the prefilled range, "the 1850s") build them the same way.

create function dwh.fill_dim_date(from_day date, to_day date) returns void
language sql as $$
    insert into dwh.dim_date (
        date_key, calendar_date, year, quarter, month, month_name, day_of_month,
        iso_year, iso_week, iso_weekday, weekday_name, is_weekend
    )
    select
        to_char(d, 'YYYYMMDD')::integer as date_key,
        d::date as calendar_date,
        extract(year from d)::smallint as year,
        extract(quarter from d)::smallint as quarter,
        extract(month from d)::smallint as month,
        trim(to_char(d, 'Month')) as month_name,
        extract(day from d)::smallint as day_of_month,
        extract(isoyear from d)::smallint as iso_year,
        extract(week from d)::smallint as iso_week,
        extract(isodow from d)::smallint as iso_weekday,
        trim(to_char(d, 'Day')) as weekday_name,
        extract(isodow from d) in (6, 7) as is_weekend
    from generate_series(from_day, to_day, interval '1 day') as d
    on conflict (date_key) do nothing;
$$;

-- The days news is published on and nearly all the days it talks about: 73,414 rows.
select dwh.fill_dim_date(date '1900-01-01', date '2100-12-31');
