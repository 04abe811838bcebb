-- Who said what, and in what tone: quotations with their speaker's entity key, the tone of
-- each article, quote, and entity in an article (etl/enrich/quotes.py, tone.py).

-- Grain: one quotation in one (current) article: direct, mixed (partly quoted paraphrase)
-- or indirect. The speaker is the document's entity key, mapped to its entity by the key map
-- when read, as the other facts are.
create table dwh.fact_quote (
    published_date_key integer not null, -- dim_date
    source_id uuid, -- dim_source
    article_id uuid not null, -- dim_article (its current version)
    start_offset integer not null, -- the quoted content, in the article's decoded text
    end_offset integer not null,
    quote_text text not null,
    kind text not null check (kind in ('direct', 'mixed', 'indirect')),
    cue_text text, -- "said", "told reporters", "according to"
    speaker_text text, -- the speaker as written: a name, "he", "the spokesman"
    speaker_start integer,
    speaker_entity_key text, -- the speaker's entity, as the article knows it
    tone double precision, -- VADER's compound score of the quote, -1 to 1
    primary key (published_date_key, article_id, start_offset)
) partition by range (published_date_key);

-- "What did X say": one speaker's quotes, by day.
create index fact_quote_speaker on dwh.fact_quote (speaker_entity_key, published_date_key)
where speaker_entity_key is not null;

select dwh.ensure_month_partition('fact_quote', month)
from (select distinct date_trunc('month', published_date)::date as month from dwh.dim_article where is_current) as months;

create table staging.quote (
    run_id uuid not null,
    path text not null,
    start_offset integer not null,
    end_offset integer not null,
    quote_text text not null,
    kind text not null,
    cue_text text,
    speaker_text text,
    speaker_start integer,
    speaker_entity_key text,
    tone double precision
);

create index staging_quote_run on staging.quote (run_id, path);

-- An article's tone as GDELT reports it: positive and negative words in percent of its words.
alter table staging.article
add column tone double precision,
add column tone_positive double precision,
add column tone_negative double precision,
add column tone_polarity double precision,
add column word_count integer;

alter table dwh.dim_article
add column tone double precision,
add column tone_positive double precision,
add column tone_negative double precision,
add column tone_polarity double precision,
add column word_count integer;

-- An entity's tone in an article: the mean tone of the sentences that name it.
alter table staging.entity_mention add column tone double precision;
alter table dwh.article_entity add column tone double precision;
alter table dwh.fact_entity_mention add column tone double precision;
