-- `news-etl bench-scale` only: a batch of copies (:first_copy .. :last_copy) of the base
-- articles (bench_base), each copy with new ids, paths and hashes, its dates moved
-- :days_per_copy days a copy ahead (the copies tile the calendar; one article's copies are
-- never in one story window), its MinHash bands perturbed (no copy matches another by text),
-- and a long tail of new names as in real news, where the names seen once are mostly new
-- each time, the frequent ones recur, and new names thin out as the archive grows (Heaps'
-- law): in copy c, a key the base names in d articles is renamed (to a name of that copy's
-- own) with probability min(0.95, :rename_weight / d) / sqrt(c), and
-- a surname or one-word name written alone with probability 0.95 (such bare names belong to
-- the article's own event; repeated over years they would all be one unnamed person); a
-- renamed person is a new person with a new surname, or in one case of ten a new person of
-- the same surname with another given name (how surnames gather people over the years).
-- The copies' outlets are counted in (source_delta); their entity facts are summed by key
-- and day, and their documents' entities resolved (and their entity_day rows counted) by the
-- caller once the warehouse has grown; their stories are copied from the base's, and
-- their date mentions keep the base's text and value, moved (within dim_date's calendar).

create temporary table bench_key_docs on commit drop as
select ae.entity_key, count(*) as docs
from bench_base as b
inner join dwh.article_entity as ae on ae.article_id = b.article_id
group by ae.entity_key;

create temporary table bench_copy on commit drop as
select
    c.n as copy_number,
    a.article_id as base_id,
    a.sha256 as base_sha256,
    md5('bench-copy:' || c.n || ':' || a.article_id)::uuid as article_id,
    md5(a.sha256 || ':' || c.n) as sha256,
    c.n * :days_per_copy as shift
from bench_base as b
inner join dwh.dim_article as a on a.article_id = b.article_id and a.is_current
cross join generate_series(cast(:first_copy as integer), cast(:last_copy as integer)) as c (n);

analyze bench_copy;

select dwh.ensure_month_partition(p.parent_table, m.month)
from (
    select distinct date_trunc('month', a.published_date + bc.shift)::date as month
    from bench_copy as bc
    inner join dwh.dim_article as a on a.article_id = bc.base_id and a.is_current
) as m
cross join (values ('fact_entity_mention'), ('fact_date_mention')) as p (parent_table);

select dwh.ensure_month_partition('article_text', m.month)
from (
    select distinct date_trunc('month', a.partition_date + bc.shift)::date as month
    from bench_copy as bc
    inner join dwh.dim_article as a on a.article_id = bc.base_id and a.is_current
) as m;

insert into dwh.dim_article (
    article_id, sha256, path, partition_date, title, source_id, source_name, source_alias_ids,
    dateline_place, dateline_agency, published_date, published_basis, language, byte_size, enrichment_version,
    story_id, is_current, loaded_at
)
select
    bc.article_id,
    bc.sha256,
    to_char(a.partition_date + bc.shift, 'YYYY-MM-DD') || '/copy' || bc.copy_number || '-' || split_part(a.path, '/', 2),
    a.partition_date + bc.shift,
    a.title, a.source_id, a.source_name, a.source_alias_ids, a.dateline_place, a.dateline_agency,
    a.published_date + bc.shift,
    a.published_basis, a.language, a.byte_size, a.enrichment_version,
    -- the copy of the base article's story: named by its smallest copied article
    md5('story:' || min(bc.article_id::text) over (partition by bc.copy_number, a.story_id))::uuid,
    true,
    now()
from bench_copy as bc
inner join dwh.dim_article as a on a.article_id = bc.base_id and a.is_current;

insert into dwh.article_text (article_id, sha256, partition_date, raw_text, body, captions)
select bc.article_id, bc.sha256, t.partition_date + bc.shift, t.raw_text, t.body, t.captions
from bench_copy as bc
inner join dwh.dim_article as a on a.article_id = bc.base_id and a.is_current
inner join dwh.article_text as t
    on t.partition_date = a.partition_date and t.article_id = a.article_id and t.sha256 = a.sha256;

insert into dwh.article_file (path, article_id, partition_date, sha256, is_primary)
select d.path, d.article_id, d.partition_date, d.sha256, true
from bench_copy as bc
inner join dwh.dim_article as d on d.article_id = bc.article_id;

with copied as (
    select
        bc.article_id,
        ae.entity_key, ae.canonical_name, ae.entity_type, ae.country_code, ae.acronym,
        ae.forms, ae.aliases, ae.mentions, ae.first_offset,
        dwh.date_key(a.published_date + bc.shift) as published_date_key,
        split_part(ae.entity_key, ':', 1) = 'person' as is_person,
        ' q' || bc.copy_number as tag,
        -- a given name of the copy's own, distinct for two people of one surname
        'q' || bc.copy_number || left(md5(ae.entity_key), 4) as forename,
        abs(hashtext(ae.entity_key || ':' || bc.copy_number)) % 1000 < 1000 * (
            case
                when ae.entity_key like 'surname:%' or ae.entity_key ~ '^name:\S+$' then 0.95
                else least(0.95, :rename_weight / k.docs) / sqrt(bc.copy_number)
            end
        ) as renamed,
        abs(hashtext(ae.entity_key || ':' || bc.copy_number)) % 10 = 0 as keeps_surname
    from bench_copy as bc
    inner join dwh.dim_article as a on a.article_id = bc.base_id and a.is_current
    inner join dwh.article_entity as ae on ae.article_id = bc.base_id
    inner join bench_key_docs as k on k.entity_key = ae.entity_key
),

named as (
    select
        article_id, entity_type, country_code, mentions, first_offset, published_date_key, renamed,
        case
            when not renamed then entity_key
            when is_person and keeps_surname then regexp_replace(entity_key, ':\S+', ':' || forename)
            else entity_key || replace(tag, ' ', '')
        end as entity_key,
        case
            when not renamed then canonical_name
            when is_person and keeps_surname then regexp_replace(canonical_name, '^\S+', upper(forename))
            else canonical_name || upper(replace(tag, ' ', ''))
        end as canonical_name,
        forms, aliases, acronym
    from copied
)

insert into dwh.article_entity (
    article_id, entity_key, canonical_name, entity_type, country_code, acronym, forms,
    aliases, mentions, first_offset, published_date_key
)
select
    article_id, entity_key, canonical_name, entity_type, country_code,
    case when renamed then null else acronym end,
    case when renamed then array[canonical_name] else forms end,
    case when renamed then array[lower(canonical_name)] else aliases end,
    mentions, first_offset, published_date_key
from named
order by article_id; -- an article's rows together, as a load writes them

insert into dwh.fact_entity_mention (
    published_date_key, source_id, article_id, entity_key, mentions, first_offset
)
select ae.published_date_key, d.source_id, ae.article_id, ae.entity_key, ae.mentions, ae.first_offset
from bench_copy as bc
inner join dwh.dim_article as d on d.article_id = bc.article_id
inner join dwh.article_entity as ae on ae.article_id = bc.article_id;

insert into source_delta (sign, source_id, spelling, alias_ids, published_date)
select 1, a.source_id, a.source_name, a.source_alias_ids, a.published_date + bc.shift
from bench_copy as bc
inner join dwh.dim_article as a on a.article_id = bc.base_id and a.is_current;

insert into dwh.fact_date_mention (
    published_date_key, source_id, article_id, start_offset, end_offset, mention_text, value,
    end_value, granularity, start_date_key, end_date_key
)
select
    dwh.date_key(a.published_date + bc.shift), a.source_id, bc.article_id, f.start_offset,
    f.end_offset, f.mention_text, f.value, f.end_value, f.granularity,
    dwh.date_key(sd.calendar_date + bc.shift), dwh.date_key(ed.calendar_date + bc.shift)
from bench_copy as bc
inner join dwh.dim_article as a on a.article_id = bc.base_id and a.is_current
inner join dwh.fact_date_mention as f
    on f.published_date_key = a.published_date_key and f.article_id = a.article_id
inner join dwh.dim_date as sd on sd.date_key = f.start_date_key
inner join dwh.dim_date as ed on ed.date_key = f.end_date_key
where sd.calendar_date + bc.shift >= date '1900-01-01' and ed.calendar_date + bc.shift <= date '2100-12-31';

insert into dwh.article_signature (article_id, minhash, shingles, band_hashes)
select
    bc.article_id, s.minhash, s.shingles,
    array(
        select hashtextextended(u.h::text || ':' || bc.copy_number, 0)
        from unnest(s.band_hashes) with ordinality as u (h, n)
        order by u.n
    )
from bench_copy as bc
inner join dwh.article_signature as s on s.article_id = bc.base_id;

insert into dwh.story_edge (article_a, article_b)
select least(ca.article_id, cb.article_id), greatest(ca.article_id, cb.article_id)
from dwh.story_edge as e
inner join bench_copy as ca on ca.base_id = e.article_a
inner join bench_copy as cb on cb.base_id = e.article_b and cb.copy_number = ca.copy_number;

insert into dwh.dim_story (story_id, articles, first_published, last_published, headline)
select
    d.story_id,
    count(*),
    min(d.published_date),
    max(d.published_date),
    (array_agg(d.title order by d.published_date, d.path))[1]
from bench_copy as bc
inner join dwh.dim_article as d on d.article_id = bc.article_id
group by d.story_id;
