-- Read what a day's load looks up into the OS page cache, as the daily loads and reports of
-- a running warehouse keep it there: every index of the warehouse, and its tables smaller
-- than 1 GB (a partition counts with its whole table). The bulk build leaves the cache
-- holding what it wrote and vacuumed last instead. The articles' raw text and the largest
-- tables stay where they are: a load reads a few of their pages by key.
create extension if not exists pg_prewarm;

select sum(pg_prewarm(c.oid, 'read')) as blocks
from pg_class as c
inner join pg_namespace as n on n.oid = c.relnamespace
left join pg_inherits as i on i.inhrelid = c.oid
where n.nspname = 'dwh'
    and (
        c.relkind = 'i'
        or (
            c.relkind = 'r'
            and (
                select sum(pg_relation_size(p.oid))
                from pg_class as p
                left join pg_inherits as pi on pi.inhrelid = p.oid
                where coalesce(pi.inhparent, p.oid) = coalesce(i.inhparent, c.oid)
            ) < 1024 * 1024 * 1024
        )
    );
