"""
## news_daily

Loads one landing-zone day (a partition) a run: `$LANDING_DIR/D/` is loaded by the run whose
**data interval** is D 00:00 → D+1 00:00 UTC. Airflow names a run by the *end* of that
interval, when D is over and its files are there, so **the run named for D+1 loads day D**
(`scheduled__2021-03-23...` loads 2021-03-22). A backfill from D1 to D2 loads the days D1 to D2
(the form's dates are the days' starts).

discover → process (mapped over chunks of new or changed files) → load → check

- `load`'s log: the counts, rows written by table, entities and stories touched, why files
  were quarantined, how long the lock shared by all days was held.
- `check` fails (without retrying) when a file is unaccounted for or a day with files loaded
  none; a scheduled day without its folder stays a success with a warning in its log and result.
- Every task is idempotent (a retry or a re-run of a day gives the same warehouse); XCom carries
  paths and counts only. `report.runs` in the warehouse names the DAG run and try of each run.

Settings: the Airflow connection `news_warehouse` (else `WAREHOUSE_URL`), the landing root
`LANDING_DIR` (else the Variable `news_etl_landing_dir`), `NEWS_ETL_START_DATE`,
`NEWS_ETL_CHUNK_SIZE`, `NEWS_ETL_MAX_ACTIVE_RUNS`, `NEWS_ETL_PROCESS_TASKS_PER_RUN`,
`NEWS_ETL_RETRIES`, `NEWS_ETL_RETRY_DELAY_SECONDS` (see the README, "Running on Airflow").
"""

from __future__ import annotations

import os
import uuid
from datetime import timedelta

import pendulum
from airflow.sdk import Asset, dag, task
from airflow.timetables.interval import CronDataIntervalTimetable

from etl.settings import load_dag_settings

SETTINGS = load_dag_settings()

# The tables the load writes: downstream DAGs (reports) can be scheduled on them.
WAREHOUSE_ASSETS = [
    Asset(name=f"news_warehouse.dwh.{table}", uri=f"postgres://warehouse:5432/news_warehouse/dwh/{table}")
    for table in ("dim_article", "dim_entity", "entity_alias", "fact_entity_mention", "fact_date_mention")
]


def _settings():
    """Settings with the warehouse from the `news_warehouse` connection when it exists."""
    from airflow.providers.postgres.hooks.postgres import PostgresHook
    from airflow.sdk import Variable
    from airflow.sdk.exceptions import AirflowNotFoundException

    from etl.settings import load_settings

    try:
        url = PostgresHook(postgres_conn_id="news_warehouse").sqlalchemy_url.render_as_string(hide_password=False)
    except AirflowNotFoundException:
        url = None  # fall back to WAREHOUSE_URL
    landing = os.environ.get("LANDING_DIR") or Variable.get("news_etl_landing_dir", default=None)
    return load_settings().override(warehouse_url=url, landing_dir=landing)


def _engine(settings):
    from etl import db

    return db.make_engine(settings.warehouse_url)


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
    },
    tags=["news-etl"],
    doc_md=__doc__,
)
def news_daily():
    @task
    def discover(data_interval_start=None, dag_run=None, ti=None) -> dict:
        from etl import db, pipeline

        settings = _settings()
        engine = _engine(settings)
        db.require_current_schema(engine)  # migrations are the deployment's step (news-etl init-db)
        # One etl_run row per try of discover (report.runs names the DAG run and the try).
        run_id = uuid.uuid5(uuid.NAMESPACE_URL, f"airflow:{dag_run.dag_id}:{dag_run.run_id}:{ti.try_number}")
        started_by = pipeline.Orchestrator(dag_run.dag_id, dag_run.run_id, ti.try_number)
        plan = pipeline.discover(engine, settings, data_interval_start.date(), run_id=run_id, started_by=started_by)
        return {
            "run_id": str(plan.run_id),
            "partition": plan.partition.isoformat(),
            "files_seen": plan.files_seen,
            "folder_found": plan.folder_found,
            "chunks": plan.chunks(SETTINGS.chunk_size),
        }

    @task
    def chunks_of(plan: dict) -> list[list[str]]:
        return plan["chunks"]

    @task(max_active_tis_per_dagrun=SETTINGS.process_tasks_per_run)
    def process(chunk: list[str], plan: dict) -> int:
        from etl import pipeline

        settings = _settings()
        return pipeline.process(_engine(settings), settings, uuid.UUID(plan["run_id"]), chunk)

    @task(outlets=WAREHOUSE_ASSETS, trigger_rule="none_failed")
    def load(plan: dict) -> dict:
        from etl import pipeline

        partition = pendulum.parse(plan["partition"]).date()
        return pipeline.load_and_report(_engine(_settings()), uuid.UUID(plan["run_id"]), partition).as_dict()

    @task
    def check(plan: dict, dag_run=None) -> dict:
        from airflow.sdk.exceptions import AirflowFailException

        from etl import pipeline

        partition = pendulum.parse(plan["partition"]).date()
        # Only a scheduled day is expected to have arrived; a backfill or manual run of a
        # day without a folder is a plain empty day.
        warn = dag_run.run_type == "scheduled" and not plan.get("folder_found", True)
        try:
            return pipeline.check_and_report(_engine(_settings()), uuid.UUID(plan["run_id"]), partition, warn_missing_folder=warn)
        except pipeline.ReconciliationFailed as e:
            raise AirflowFailException(str(e)) from e  # a data verdict: retrying cannot help

    # main flow
    plan = discover()
    processed = process.partial(plan=plan).expand(chunk=chunks_of(plan))
    loaded = load(plan)
    processed >> loaded >> check(plan)


news_daily()
