-- news_reader: the analysts' read-only login. It reads the star schema and the report views,
-- and nothing of the pipeline's bookkeeping (ops) or staging; report.runs and
-- report.quarantine show what analysts need of ops through their owner's rights.
-- Roles belong to the server, so an existing news_reader (another warehouse) is reused.
do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'news_reader') then
        create role news_reader login;
    end if;
    execute format('grant connect on database %I to news_reader', current_database());
end
$$;

grant usage on schema dwh, report to news_reader;
grant select on all tables in schema dwh to news_reader;
grant select on all tables in schema report to news_reader;
alter default privileges in schema dwh grant select on tables to news_reader;
alter default privileges in schema report grant select on tables to news_reader;
revoke all on schema ops, staging from news_reader;
