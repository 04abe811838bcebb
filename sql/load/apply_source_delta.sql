-- Count the articles in and out (source_delta): per outlet and day (dwh.source_day), and per
-- outlet spelling; then name each touched outlet by the spelling most of its current
-- articles use (mixed case first, then the smallest), so the name does not depend on the
-- order articles arrived in.
--
-- reads: source_delta
insert into dwh.source_day (source_id, day, articles)
select source_id, published_date, sum(sign)::integer
from source_delta
group by source_id, published_date
having sum(sign) <> 0
order by source_id, published_date
on conflict (source_id, day) do update
set articles = dwh.source_day.articles + excluded.articles;

delete from dwh.source_day as d
using (select distinct source_id, published_date from source_delta) as touched
where d.articles <= 0
    and d.source_id is not distinct from touched.source_id
    and d.day = touched.published_date;

insert into dwh.source_spelling (source_id, spelling, articles)
select source_id, spelling, sum(sign)::integer
from source_delta
where source_id is not null
group by source_id, spelling
having sum(sign) <> 0
order by source_id, spelling
on conflict (source_id, md5(spelling)) do update
set articles = dwh.source_spelling.articles + excluded.articles;

delete from dwh.source_spelling
where articles <= 0 and source_id in (select source_id from source_delta);

-- The outlet's other spellings its articles give, counted in and out.
insert into dwh.source_alias (source_id, alias_id, articles)
select d.source_id, alias.id, sum(d.sign)::integer
from source_delta as d
cross join lateral unnest(d.alias_ids) as alias (id)
where d.source_id is not null
group by d.source_id, alias.id
having sum(d.sign) <> 0
order by d.source_id, alias.id
on conflict (source_id, alias_id) do update
set articles = dwh.source_alias.articles + excluded.articles;

delete from dwh.source_alias
where articles <= 0 and source_id in (select source_id from source_delta);

update dwh.dim_source as s
set source_name = best.spelling
from (
    select distinct on (source_id) source_id, spelling
    from dwh.source_spelling
    where source_id in (select source_id from source_delta)
    order by source_id, articles desc, spelling = upper(spelling), spelling
) as best
where s.source_id = best.source_id and s.source_name is distinct from best.spelling;
