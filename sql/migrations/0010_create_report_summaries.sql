-- Summaries the load keeps up to date, so the everyday report questions read a few rows, not
-- every article: one row per story (report.stories), and articles per outlet and day
-- (report.sources and the dashboards' "articles per day by source").

create table dwh.dim_story (
    story_id uuid primary key,
    articles integer not null,
    first_published date not null,
    last_published date not null,
    headline text -- the title of its first article (earliest, then smallest path)
);

create index dim_story_first_published on dwh.dim_story (first_published);

create table dwh.source_day (
    source_id uuid, -- null: the articles that name no outlet
    day date not null, -- publication day
    articles integer not null,
    unique nulls not distinct (source_id, day)
);

-- Filled by the derived state's rebuild, which `news-etl init-db` runs after this migration.
update dwh.derived_state set version = 'built before migration 0010';
