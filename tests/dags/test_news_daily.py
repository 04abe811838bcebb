"""The daily DAG: its shape, and real runs with dag.test() against PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from tests.conftest import warehouse_snapshot
from tests.dags.conftest import DAGS


def test_every_dag_file_imports_without_errors(airflow_db):
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS))
    assert bag.import_errors == {}
    assert set(bag.dag_ids) == {"news_daily"}


def test_news_daily_shape(news_daily):
    from airflow.timetables.interval import CronDataIntervalTimetable

    dag = news_daily
    assert isinstance(dag.timetable, CronDataIntervalTimetable)
    assert dag.catchup is False and dag.max_active_runs >= 1
    assert "news-etl" in dag.tags
    assert dag.task_dict["discover"].downstream_task_ids == {"process", "load"}
    assert dag.task_dict["process"].downstream_task_ids == {"load"}
    assert dag.task_dict["load"].downstream_task_ids == set()
    for t in dag.tasks:
        assert t.retries >= 2, f"{t.task_id} of news_daily has retries={t.retries}"
    # The task that loads the day announces the warehouse's tables (through one alias).
    assert {a.name for a in dag.task_dict["load"].outlets} == {a.name for a in dag.task_dict["discover"].outlets}
    assert {a.name for a in dag.task_dict["load"].outlets} == {"news_warehouse_loaded"}
    # What the DAG list's card and the DAG's docs tell a user about run names and days.
    assert "the run named for day D+1 loads day D" in dag.description
    assert "the run named for D+1 loads day D" in dag.doc_md


def test_dag_file_reads_its_settings_from_etl_settings(monkeypatch):
    """The DAG file is thin: its own settings come from etl.settings (env), read at parse time."""
    from etl.settings import load_dag_settings

    s = load_dag_settings(
        {"NEWS_ETL_CHUNK_SIZE": "2", "NEWS_ETL_RETRY_DELAY_SECONDS": "5", "NEWS_ETL_PROCESS_TASKS_PER_RUN": "8"}
    )
    assert (s.chunk_size, s.retry_delay_seconds, s.process_tasks_per_run, s.retries, s.max_active_runs) == (
        2,
        5,
        8,
        2,
        4,
    )
    source = (DAGS / "news_daily.py").read_text()
    assert (
        "from etl.settings import load_dag_settings" in source
        and "from news_etl_airflow.settings import airflow_settings" in source
        and 'os.environ.get("NEWS_ETL' not in source
    )
    # discover never migrates: the deployment's init step does (news-etl init-db).
    assert "require_current_schema" in source and "init_db" not in source


def test_data_interval_of_a_day_is_that_day(news_daily):
    """The run for partition D has data_interval_start = D and runs after D has ended."""
    from airflow.timetables.base import DataInterval, TimeRestriction

    start = datetime(2021, 3, 22, tzinfo=UTC)
    info = news_daily.timetable.next_dagrun_info(
        last_automated_data_interval=DataInterval(datetime(2021, 3, 21, tzinfo=UTC), start),
        restriction=TimeRestriction(earliest=None, latest=None, catchup=True),
    )
    assert info.data_interval.start == start
    assert info.run_after == datetime(2021, 3, 23, tzinfo=UTC)


def _dag_test(dag, day):
    """dag.test() of partition 2021-03-<day>: a manual run at midnight of D loads D, as the
    scheduled or backfill run of D does (etl/schedule.py)."""
    return dag.test(logical_date=datetime(2021, 3, day, tzinfo=UTC))


def test_dag_test_loads_the_warehouse_and_a_second_run_changes_nothing(
    news_daily, engine, warehouse_url, landing, monkeypatch, caplog
):
    from sqlalchemy.engine import make_url

    monkeypatch.setenv(
        "AIRFLOW_CONN_NEWS_WAREHOUSE",
        make_url(warehouse_url).set(drivername="postgresql").render_as_string(hide_password=False),
    )
    monkeypatch.setenv("LANDING_DIR", str(landing))
    monkeypatch.delenv("WAREHOUSE_URL", raising=False)
    caplog.set_level("INFO", logger="etl")
    run = _dag_test(news_daily, 22)
    assert run.state == "success"
    with engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from report.articles")).scalar() == 2
        assert conn.execute(sa.text("select files_seen, loaded, status from report.runs")).all() == [
            (2, 2, "succeeded")
        ]
        # The run names the Airflow DAG run and the try of discover that started it.
        origin = conn.execute(
            sa.text("select airflow_dag_id, airflow_run_id, airflow_try_number from report.runs")
        ).one()
    assert tuple(origin) == ("news_daily", run.run_id, 1)
    # What load and check log: the day, rows written by table, entities and stories, the lock.
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("etl"))
    assert "partition 2021-03-22: 2 files seen, 2 loaded, 0 unchanged, 0 duplicates, 0 quarantined" in logged
    assert "dwh.fact_entity_mention:" in logged and "dwh.dim_article: 2 inserted" in logged
    assert "entities: " in logged and "stories: " in logged and "shared-state lock held" in logged
    assert "partition 2021-03-22 reconciles: 2 files seen = 2 loaded" in logged
    # A small day is loaded by discover, which announces the warehouse's tables (Assets).
    assert _asset_events(run.run_id) >= {("discover", "news_warehouse.dwh.fact_entity_mention")}
    first = warehouse_snapshot(engine)

    # dag.test of the same date again: a new DAG run, every file unchanged, same warehouse.
    run_again = _dag_test(news_daily, 22)
    assert run_again.state == "success"
    assert warehouse_snapshot(engine) == first
    with engine.connect() as conn:
        runs = conn.execute(
            sa.text("select airflow_run_id, loaded, unchanged from report.runs order by started_at")
        ).all()
    assert runs == [(run.run_id, 2, 0), (run_again.run_id, 0, 2)]


def _asset_events(run_id: str) -> set[tuple[str, str]]:
    """(task, asset name) of the asset events a DAG run's tasks emitted."""
    import sqlalchemy as sa
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session

    with create_session() as session:
        rows = session.execute(
            sa.select(AssetEvent.source_task_id, AssetModel.name)
            .join(AssetModel, AssetModel.id == AssetEvent.asset_id)
            .where(AssetEvent.source_run_id == run_id)
        ).all()
    return {tuple(r) for r in rows}


def test_quality_check_fails_a_day_whose_files_all_failed(news_daily, engine, warehouse_url, landing, monkeypatch):
    from sqlalchemy.engine import make_url

    monkeypatch.setenv(
        "AIRFLOW_CONN_NEWS_WAREHOUSE",
        make_url(warehouse_url).set(drivername="postgresql").render_as_string(hide_password=False),
    )
    monkeypatch.setenv("LANDING_DIR", str(landing))
    bad_day = landing / "2021-03-24"
    bad_day.mkdir()
    (bad_day / "empty.txt").write_bytes(b"")
    run = _dag_test(news_daily, 24)
    assert run.state == "failed"
    with engine.connect() as conn:
        status, error = conn.execute(sa.text("select status, error from report.runs")).one()
    assert status == "failed" and "loaded none" in error


def test_a_task_that_fails_for_good_fails_its_run_in_report_runs(
    news_daily, engine, warehouse_url, landing, monkeypatch
):
    from airflow.sdk.exceptions import AirflowFailException
    from sqlalchemy.engine import make_url

    from etl import pipeline

    def broken_process(*_args, **_kwargs):
        raise AirflowFailException("the disk is gone")  # no retry: the task fails for good

    monkeypatch.setenv(
        "AIRFLOW_CONN_NEWS_WAREHOUSE",
        make_url(warehouse_url).set(drivername="postgresql").render_as_string(hide_password=False),
    )
    monkeypatch.setenv("LANDING_DIR", str(landing))
    monkeypatch.setattr(pipeline, "process", broken_process)
    run = _dag_test(news_daily, 22)
    assert run.state == "failed"
    with engine.connect() as conn:
        status, error = conn.execute(sa.text("select status, error from report.runs")).one()
        staged = conn.execute(sa.text("select count(*) from staging.run_file")).scalar()
    assert status == "failed" and "the disk is gone" in error
    assert staged == 0


def test_a_celery_worker_warms_the_pipeline_once_and_its_forked_tasks_use_it():
    """[celery] celery_config_options = news_etl_airflow.celery_config.CELERY_CONFIG: each pool process
    loads the pipeline when it starts; a task forked from it enriches without loading the
    model again, and opens a gazetteer connection of its own."""
    import os
    from datetime import date

    from celery.signals import worker_process_init

    from etl.enrich import enrich_articles, load_model
    from etl.enrich.gazetteer import gazetteer
    from etl.parse import parse_article
    from etl.settings import load_settings
    from news_etl_airflow import celery_config as airflow_celery

    assert "broker_url" in airflow_celery.CELERY_CONFIG
    assert any(r() is airflow_celery.warm_pipeline for _id, r in worker_process_init.receivers)
    airflow_celery.warm_pipeline()
    assert load_model.cache_info().currsize >= 1 and gazetteer.cache_info().currsize == 0
    pid = os.fork()
    if pid == 0:  # the task
        loads = load_model.cache_info().misses
        (result,) = enrich_articles(
            [(parse_article("Rain\n\nIt rained in Lyon on Monday.\n"), date(2021, 3, 22))], load_settings().spacy_model
        )
        ok = load_model.cache_info().misses == loads and any(e.geo for e in result.entities)
        os._exit(0 if ok else 1)
    _pid, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
