"""
## news_daily

Loads one landing-zone day (a partition) a run: `$LANDING_DIR/D/` is loaded by the run whose
**data interval** is D 00:00 → D+1 00:00 UTC. Airflow names a run by the *end* of that
interval, when D is over and its files are there, so **the run named for D+1 loads day D**
(`scheduled__2021-03-23...` loads 2021-03-22). A backfill from D1 to D2 loads the days D1 to D2
(the form's dates are the days' starts).

A manual **Trigger** loads the day its logical date names when that is a midnight (00:00 UTC,
as a backfill's run of that day would); otherwise (the form's default is the moment it was
opened) the `partition` param, or the last day that has ended; a backfill's runs ignore the
param. A run and the day it loads never disagree, so a backfill's "missing runs" are the days
not loaded (etl/schedule.py).

discover → process (mapped over chunks of new or changed files) → load

- `discover` processes, loads and checks a day of one chunk itself (`process` and `load` are
  skipped then: each task costs a slot and a hand-over, more than such a day's work).
- The loading task's log (`load`, or `discover` for a small day): the counts, rows written by table, entities and stories touched, why files
  were quarantined, how long the lock shared by all days was held; then the check: the task
  fails (without retrying) when a file is unaccounted for or a day with files loaded none; a
  scheduled day without its folder stays a success with a warning in its log and result.
- Every task is idempotent (a retry or a re-run of a day gives the same warehouse; a retried
  `load` whose merge had committed only checks again); XCom carries paths and counts only.
  `report.runs` in the warehouse names the DAG run and try of each run.
- `discover` and `load` hold the day's lock while they work, the lock `news-etl run` holds for
  a whole run: a CLI run of the same day waits for them, and a run that another run took over
  between two tasks fails its `load` saying so, instead of recording an empty day.

Settings: the Airflow connection `news_warehouse` (else `WAREHOUSE_URL`), the landing root
`LANDING_DIR` (else the Variable `news_etl_landing_dir`), `NEWS_ETL_START_DATE`,
`NEWS_ETL_CHUNK_SIZE`, `NEWS_ETL_MAX_ACTIVE_RUNS`, `NEWS_ETL_PROCESS_TASKS_PER_RUN`,
`NEWS_ETL_RETRIES`, `NEWS_ETL_RETRY_DELAY_SECONDS` (see the README, "Running on Airflow").
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pendulum
from airflow.sdk import Asset, AssetAlias, Param, dag, task
from airflow.timetables.interval import CronDataIntervalTimetable

from etl.settings import load_dag_settings
from news_etl_airflow.settings import airflow_settings

SETTINGS = load_dag_settings()

# The tables the load writes: downstream DAGs (reports) can be scheduled on them. The task
# that loads the day (discover for a small day, else load) announces them through the alias.
WAREHOUSE_ASSETS = [
    Asset(name=f"news_warehouse.dwh.{table}", uri=f"postgres://warehouse:5432/news_warehouse/dwh/{table}")
    for table in ("dim_article", "dim_entity", "entity_alias", "fact_entity_mention", "fact_date_mention")
]
WAREHOUSE_LOADED = AssetAlias("news_warehouse_loaded")


def _engine(settings=None):
    from etl.warehouse import db

    return db.make_engine((settings or airflow_settings()).warehouse_url)


def _load_and_check(engine, plan: dict, dag_run, outlet_events) -> dict:
    """Merge the day's run, check that every file it saw is accounted for (the caller holds
    the day's lock), and announce the warehouse's tables. A retry after the merge committed
    only checks again."""
    from airflow.sdk.exceptions import AirflowFailException

    from etl import pipeline
    from etl.errors import RunSuperseded

    # Only a scheduled day is expected to have arrived; a backfill or manual run of a day
    # without a folder is a plain empty day.
    warn = dag_run.run_type == "scheduled" and not plan.get("folder_found", True)
    partition = pendulum.parse(plan["partition"]).date()
    try:
        result = pipeline.load_and_check(
            engine, uuid.UUID(plan["run_id"]), partition, warn_missing_folder=warn, warnings=plan.get("warnings", ())
        )
    except (RunSuperseded, pipeline.ReconciliationFailed) as e:
        # Another run loaded the day, or a data verdict: retrying cannot help.
        raise AirflowFailException(str(e)) from e
    for asset in WAREHOUSE_ASSETS:
        outlet_events[WAREHOUSE_LOADED].add(asset)
    return result


def _record_failure(context) -> None:
    """A task that failed for good fails its run in report.runs, with the error, and the
    run's staged rows go (the next run of the day starts clean)."""
    from etl import pipeline

    plan = context["ti"].xcom_pull(task_ids="discover", key="plan")
    if plan:  # discover itself failed: it recorded what it could
        error = context.get("exception") or f"task {context['ti'].task_id} failed"
        pipeline.mark_failed(_engine(), uuid.UUID(plan["run_id"]), error)


@dag(
    description="Loads one landing-zone day a run: the run named for day D+1 loads day D (its data interval)",
    schedule=CronDataIntervalTimetable("@daily", timezone="UTC"),
    start_date=pendulum.parse(SETTINGS.start_date, tz="UTC"),
    catchup=False,
    max_active_runs=SETTINGS.max_active_runs,
    default_args={
        "owner": "news-etl",
        "retries": SETTINGS.retries,
        "retry_delay": timedelta(seconds=SETTINGS.retry_delay_seconds),
        "on_failure_callback": _record_failure,
    },
    params={
        "partition": Param(
            None,
            type=["null", "string"],
            format="date",
            description="Single runs only: the day to load (YYYY-MM-DD) when the logical date is not"
            " a midnight; empty: the last day that had ended. A backfill's runs load their own days.",
        )
    },
    tags=["news-etl"],
    doc_md=__doc__,
)
def news_daily():
    @task(outlets=[WAREHOUSE_LOADED])
    def discover(dag_run=None, ti=None, params=None, outlet_events=None) -> list[list[str]]:
        """The day's plan (XCom "plan"); returns its chunks of files, which process maps over.
        A day of one chunk or none is processed and loaded here (XCom "loaded")."""
        from etl import pipeline
        from etl.schedule import partition_of_run
        from etl.warehouse import db

        settings = airflow_settings()
        engine = _engine(settings)
        db.require_current_schema(engine)  # migrations are the deployment's step (news-etl init-db)
        # One etl_run row per try of discover (report.runs names the DAG run and the try).
        run_id = uuid.uuid5(uuid.NAMESPACE_URL, f"airflow:{dag_run.dag_id}:{dag_run.run_id}:{ti.try_number}")
        started_by = pipeline.Orchestrator(dag_run.dag_id, dag_run.run_id, ti.try_number)
        requested = pendulum.parse(params["partition"]).date() if params.get("partition") else None
        partition = partition_of_run(dag_run.logical_date, dag_run.run_after, requested, dag_run.run_type)
        with db.partition_lock(engine, partition):
            plan = pipeline.discover(engine, settings, partition, run_id=run_id, started_by=started_by)
            summary = {
                "run_id": str(plan.run_id),
                "partition": plan.partition.isoformat(),
                "files_seen": plan.files_seen,
                "folder_found": plan.folder_found,
                "warnings": list(plan.warnings),
            }
            ti.xcom_push(key="plan", value=summary)  # first: a failure below fails the run (_record_failure)
            chunks = plan.chunks(SETTINGS.chunk_size)
            if len(chunks) > 1:
                return chunks
            # A day of one chunk or none is done here: a task costs a slot and a hand-over,
            # more than such a day's work. process (mapped over nothing) and load skip.
            for chunk in chunks:
                pipeline.process(engine, settings, plan.run_id, chunk)
            ti.xcom_push(key="loaded", value=_load_and_check(engine, summary, dag_run, outlet_events))
        return []

    @task(max_active_tis_per_dagrun=SETTINGS.process_tasks_per_run)
    def process(chunk: list[str], plan: dict) -> int:
        from etl import pipeline

        settings = airflow_settings()
        return pipeline.process(_engine(settings), settings, uuid.UUID(plan["run_id"]), chunk)

    @task(outlets=[WAREHOUSE_LOADED])
    def load(plan: dict, dag_run=None, outlet_events=None) -> dict:
        """Merge a day of several chunks into the warehouse and check it."""
        from etl.warehouse import db

        engine = _engine()
        with db.partition_lock(engine, pendulum.parse(plan["partition"]).date()):
            return _load_and_check(engine, plan, dag_run, outlet_events)

    # main flow
    chunks = discover()
    plan = chunks["plan"]
    process.partial(plan=plan).expand(chunk=chunks) >> load(plan)


news_daily()
