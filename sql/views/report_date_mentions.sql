-- report.date_mentions: one row per date expression in an article.
-- Which days, weeks, months or years do articles talk about?
create or replace view report.date_mentions as
with final as (
    select
        f.article_id,
        f.mention_text as text,
        f.value,
        f.end_value,
        f.granularity,
        sd.calendar_date as start_date,
        ed.calendar_date as end_date,
        pd.calendar_date as published_date,
        f.start_offset,
        f.end_offset
    from dwh.fact_date_mention as f
    inner join dwh.dim_date as sd on sd.date_key = f.start_date_key
    inner join dwh.dim_date as ed on ed.date_key = f.end_date_key
    inner join dwh.dim_date as pd on pd.date_key = f.published_date_key
)

select * from final;
