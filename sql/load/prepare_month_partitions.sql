-- The month partitions the run's rows go to, created when missing: the facts by the month
-- articles are published in, the text by the month files arrived in.
select dwh.ensure_month_partition(needed.parent_table, needed.month)
from (
    select date_trunc('month', s.published_date)::date as month, p.parent_table
    from staging.article as s
    cross join (values ('fact_entity_mention'), ('fact_date_mention'), ('fact_quote')) as p (parent_table)
    where s.run_id = :run_id
    union
    select date_trunc('month', s.partition_date)::date, 'article_text'
    from staging.article as s
    where s.run_id = :run_id
) as needed
order by needed.parent_table, needed.month;
