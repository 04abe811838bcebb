-- report.quotes: one row per quotation in an article (current version).
-- Who said what, when, in what tone? Direct quotes, partly quoted paraphrase ("mixed") and
-- indirect speech ("X said that ..."); the speaker's entity comes from the key map, as the
-- other facts' entities do, so a merge or a later resolution reaches old quotes. (No WITH:
-- a filter on the speaker reaches the index of the speaker's key.)
create or replace view report.quotes as
select
    q.article_id,
    d.calendar_date as published_date,
    m.entity_id as speaker_entity_id,
    e.canonical_name as speaker,
    q.speaker_text,
    q.quote_text,
    q.kind,
    q.cue_text,
    q.tone,
    q.start_offset,
    q.end_offset
from dwh.fact_quote as q
inner join dwh.dim_date as d on d.date_key = q.published_date_key
left join dwh.entity_key_map as m on m.entity_key = q.speaker_entity_key
left join dwh.dim_entity as e on e.entity_id = m.entity_id;

comment on view report.quotes is 'One row per quotation in an article: who said what, when, in what tone (direct quotes, partly quoted paraphrase, indirect speech).';
comment on column report.quotes.article_id is 'The article (report.articles).';
comment on column report.quotes.published_date is 'The article''s publication day.';
comment on column report.quotes.speaker_entity_id is 'The speaker''s canonical entity (report.entity_mentions); null when the article does not say who, or the speaker is no entity.';
comment on column report.quotes.speaker is 'The speaker''s canonical name: for "he" or "the spokesman", the person (or organisation) the article means.';
comment on column report.quotes.speaker_text is 'The speaker as the article writes it: a name, a pronoun ("she"), a role ("the spokesman").';
comment on column report.quotes.quote_text is 'What was said: a direct quote without its quotation marks, or the reported clause of indirect speech.';
comment on column report.quotes.kind is 'direct (every word in quotation marks), mixed (quoted words inside the writer''s sentence), indirect (no quotation marks: "X said that ...").';
comment on column report.quotes.cue_text is 'The words that attribute it: "said", "told reporters", "according to", a signing dash.';
comment on column report.quotes.tone is 'VADER''s compound score of the quote''s words, -1 (most negative) to 1 (most positive); README, "Tone".';
comment on column report.quotes.start_offset is 'Character offset of the quoted content in the article''s decoded text.';
comment on column report.quotes.end_offset is 'Character offset just past it.';
