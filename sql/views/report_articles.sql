-- report.articles: one row per article (its current version).
-- Which articles are there, from which outlet, published when (and on what evidence)?
create or replace view report.articles as
with current_articles as (
    select * from dwh.dim_article where is_current
),

final as (
    select
        a.article_id,
        a.path,
        a.title,
        s.source_name as source,
        a.published_date,
        a.published_basis,
        a.partition_date,
        a.language,
        a.story_id,
        a.dateline_place,
        a.sha256,
        a.loaded_at,
        a.author,
        a.tone,
        a.tone_positive,
        a.tone_negative,
        a.tone_polarity,
        a.word_count
    from current_articles as a
    -- The outlet its spelling belongs to ("Reuter" is Reuters: etl/warehouse/sources.py).
    left join dwh.dim_source as spelling on spelling.source_id = a.source_id
    left join dwh.dim_source as s on s.source_id = coalesce(spelling.outlet_id, spelling.source_id)
)

select * from final;

comment on view report.articles is 'One row per article: its current version (older versions of a file stay in dwh.dim_article). Which articles, from which outlet, published when and on what evidence.';
comment on column report.articles.article_id is 'The article''s id: derived from its path, stable across re-runs and load orders.';
comment on column report.articles.path is 'The file''s path relative to the landing root: partition day / file name (bytes that are not UTF-8 written as \xNN).';
comment on column report.articles.title is 'The headline, as the file gives it (wire flash markers removed).';
comment on column report.articles.source is 'The outlet, under the name it uses for itself (its bylines'' and datelines'' spelling over a sign-off''s, a name over its initials), spelt as most of its articles spell it; null when the file names none.';
comment on column report.articles.published_date is 'The day the article was published: its header''s or dateline''s date, else its partition day (see published_basis). Its relative dates resolve against this day.';
comment on column report.articles.published_basis is 'Where published_date comes from: header, dateline or partition.';
comment on column report.articles.partition_date is 'The landing-zone day (folder) the file arrived in.';
comment on column report.articles.language is 'The article''s language (ISO 639-1); only English articles are enriched.';
comment on column report.articles.story_id is 'The story the article belongs to (report.stories); stable across re-runs.';
comment on column report.articles.dateline_place is 'The place its dateline names (WASHINGTON, TOKYO), if any.';
comment on column report.articles.sha256 is 'SHA-256 of the file''s bytes: the version of the article.';
comment on column report.articles.loaded_at is 'When this version was first loaded.';
comment on column report.articles.author is 'The author as the byline or a reporting tail writes it, if any.';
comment on column report.articles.tone is 'GDELT''s document tone: the percent of its words the VADER lexicon rates positive minus the percent it rates negative (-100 to 100; news mostly -10 to 5).';
comment on column report.articles.tone_positive is 'Percent of its words rated positive.';
comment on column report.articles.tone_negative is 'Percent of its words rated negative.';
comment on column report.articles.tone_polarity is 'Positive plus negative percent: how emotionally charged its words are, whichever way.';
comment on column report.articles.word_count is 'Words of its title, body and captions.';
