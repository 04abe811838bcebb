-- Stories: what the story assignment keeps per article, and the pairs it found.

-- MinHash signature of the article's body (word 4-shingles), and its LSH band hashes:
-- articles sharing a band hash are candidate pairs for "same story".
create table dwh.article_signature (
    article_id uuid primary key,
    minhash bigint [] not null,
    shingles integer not null
);

create table dwh.article_band (
    article_id uuid not null,
    band smallint not null,
    hash bigint not null,
    primary key (article_id, band)
);

create index article_band_hash on dwh.article_band (band, hash);

-- Pairs of current articles judged to report the same story (article_a < article_b).
create table dwh.story_edge (
    article_a uuid not null,
    article_b uuid not null,
    primary key (article_a, article_b),
    check (article_a < article_b)
);

create index story_edge_b on dwh.story_edge (article_b);

create index dim_article_story on dwh.dim_article (story_id) where is_current;

alter table staging.article
add column minhash bigint [],
add column shingles integer,
add column band_hashes bigint [];
