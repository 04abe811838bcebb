-- Only the pipeline takes advisory locks in the warehouse: a reader holding one of its lock
-- keys would stall every load. PostgreSQL lets every role call the lock functions; take that
-- from PUBLIC and give it to the role that runs the pipeline (the one migrating). Only a
-- superuser may change these functions' rights: under another role this is skipped with a
-- notice, and the pipeline's lock timeouts (naming the blocking session) are the safeguard.
do $$
declare
    lock_function text;
begin
    if not (select rolsuper from pg_roles where rolname = current_user) then
        raise notice 'not a superuser: advisory lock functions stay callable by every role';
        return;
    end if;
    for lock_function in
        select p.oid::regprocedure::text
        from pg_proc as p
        where p.pronamespace = 'pg_catalog'::regnamespace
            and p.proname ~ '^pg_(try_)?advisory_(xact_)?lock(_shared)?$'
    loop
        execute format('revoke execute on function %s from public', lock_function);
        execute format('grant execute on function %s to %I', lock_function, current_user);
    end loop;
end
$$;
