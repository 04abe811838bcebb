"""
## news_daily

Loads one landing partition a day into the news warehouse: the run whose data interval starts
on D processes `$LANDING_DIR/D/` after D has ended.

discover → process (mapped over chunks of new or changed files) → load → check

Every task is idempotent (a retry or a re-run of a day gives the same warehouse); XCom carries
paths and counts only. Settings: the Airflow connection `news_warehouse` (else
`WAREHOUSE_URL`), the landing root `LANDING_DIR` (else the Variable `news_etl_landing_dir`),
`NEWS_ETL_START_DATE`, `NEWS_ETL_CHUNK_SIZE`, `NEWS_ETL_MAX_ACTIVE_RUNS`.
"""

from __future__ import annotations

import os
import uuid
from datetime import timedelta

import pendulum
from airflow.sdk import Asset, dag, task
from airflow.timetables.interval import CronDataIntervalTimetable

_START_DATE = pendulum.parse(os.environ.get("NEWS_ETL_START_DATE", "2021-03-01"), tz="UTC")
_CHUNK_SIZE = int(os.environ.get("NEWS_ETL_CHUNK_SIZE", "200"))
_MAX_ACTIVE_RUNS = int(os.environ.get("NEWS_ETL_MAX_ACTIVE_RUNS", "4"))

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
    schedule=CronDataIntervalTimetable("@daily", timezone="UTC"),
    start_date=_START_DATE,
    catchup=False,
    max_active_runs=_MAX_ACTIVE_RUNS,
    default_args={"owner": "news-etl", "retries": 2, "retry_delay": timedelta(minutes=2)},
    tags=["news-etl"],
    doc_md=__doc__,
)
def news_daily():
    @task
    def discover(data_interval_start=None, dag_run=None) -> dict:
        from etl import db, pipeline

        settings = _settings()
        db.init_db(settings.warehouse_url)
        # One etl_run row per DAG run: a retry or a cleared run reuses it.
        run_id = uuid.uuid5(uuid.NAMESPACE_URL, f"airflow:{dag_run.dag_id}:{dag_run.run_id}")
        plan = pipeline.discover(_engine(settings), settings, data_interval_start.date(), run_id=run_id)
        return {
            "run_id": str(plan.run_id),
            "partition": plan.partition.isoformat(),
            "files_seen": plan.files_seen,
            "chunks": plan.chunks(_CHUNK_SIZE),
        }

    @task
    def chunks_of(plan: dict) -> list[list[str]]:
        return plan["chunks"]

    @task(max_active_tis_per_dagrun=4)
    def process(chunk: list[str], plan: dict) -> int:
        from etl import pipeline

        settings = _settings()
        return pipeline.process(_engine(settings), settings, uuid.UUID(plan["run_id"]), chunk)

    @task(outlets=WAREHOUSE_ASSETS, trigger_rule="none_failed")
    def load(plan: dict) -> dict:
        from etl import pipeline

        partition = pendulum.parse(plan["partition"]).date()
        counts = pipeline.load_run(_engine(_settings()), uuid.UUID(plan["run_id"]), partition)
        return counts.__dict__

    @task
    def check(plan: dict) -> dict:
        from airflow.sdk.exceptions import AirflowFailException

        from etl import pipeline

        try:
            return pipeline.check_run(_engine(_settings()), uuid.UUID(plan["run_id"])).__dict__
        except pipeline.ReconciliationFailed as e:
            raise AirflowFailException(str(e)) from e  # a data verdict: retrying cannot help

    # main flow
    plan = discover()
    processed = process.partial(plan=plan).expand(chunk=chunks_of(plan))
    loaded = load(plan)
    processed >> loaded >> check(plan)


news_daily()
