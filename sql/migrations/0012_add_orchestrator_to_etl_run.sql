-- Which Airflow task try started a run (null for the command line), so report.runs can be
-- matched with Airflow's own runs: every try of discover is a run of its own.
alter table ops.etl_run
add column airflow_dag_id text,
add column airflow_run_id text,
add column airflow_try_number integer;
