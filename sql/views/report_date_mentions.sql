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

comment on view report.date_mentions is 'One row per date expression in an article (current version). Which days, weeks, months or years articles talk about.';
comment on column report.date_mentions.article_id is 'The article (report.articles).';
comment on column report.date_mentions.text is 'The expression as written ("last Tuesday", "the first quarter of 2021").';
comment on column report.date_mentions.value is 'Its TIMEX3 value: 2021-03-23, 2021-W12, 2021-03, 2021-Q1, 2021-SU, 2021, 202X; a range''s start.';
comment on column report.date_mentions.end_value is 'A range''s end (TIMEX3); null for a single period.';
comment on column report.date_mentions.granularity is 'day, week, month, quarter, season, year, decade or century.';
comment on column report.date_mentions.start_date is 'The first calendar day the expression covers.';
comment on column report.date_mentions.end_date is 'The last calendar day the expression covers.';
comment on column report.date_mentions.published_date is 'The article''s publication day, which relative expressions resolve against.';
comment on column report.date_mentions.start_offset is 'Character offset where the expression starts in the article''s decoded text.';
comment on column report.date_mentions.end_offset is 'Character offset where it ends (exclusive).';
comment on column report.date_mentions.period is 'start_date to end_date as a daterange: filter with period && daterange(first, last, ''[]'') to find the articles talking about a period (indexed).';
