-- report.date_mentions: one row per date expression in an article.
-- Which days, weeks, months or years do articles talk about? For "which articles talk about
-- this period" filter on `period && daterange(first, last, '[]')`: an index answers it.
create or replace view report.date_mentions as
with final as (
    select
        f.article_id,
        f.mention_text as text,
        f.value,
        f.end_value,
        f.granularity,
        dwh.key_date(f.start_date_key) as start_date,
        dwh.key_date(f.end_date_key) as end_date,
        dwh.key_date(f.published_date_key) as published_date,
        f.start_offset,
        f.end_offset,
        daterange(dwh.key_date(f.start_date_key), dwh.key_date(f.end_date_key), '[]') as period
    from dwh.fact_date_mention as f
)

select * from final;
