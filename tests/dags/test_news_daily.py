"""The daily DAG: its shape, and real runs with dag.test() against PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timezone

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
    assert dag.task_dict["discover"].downstream_task_ids == {"chunks_of", "process", "load", "check"}
    assert dag.task_dict["process"].downstream_task_ids == {"load"}
    assert dag.task_dict["load"].downstream_task_ids == {"check"}
    for t in dag.tasks:
        assert t.retries >= 2, f"{t.task_id} of news_daily has retries={t.retries}"
    assert {a.name for a in dag.task_dict["load"].outlets} >= {"news_warehouse.dwh.fact_entity_mention"}


def test_data_interval_of_a_day_is_that_day(news_daily):
    """The run for partition D has data_interval_start = D and runs after D has ended."""
    from airflow.timetables.base import DataInterval, TimeRestriction

    start = datetime(2021, 3, 22, tzinfo=timezone.utc)
    info = news_daily.timetable.next_dagrun_info(
        last_automated_data_interval=DataInterval(datetime(2021, 3, 21, tzinfo=timezone.utc), start),
        restriction=TimeRestriction(earliest=None, latest=None, catchup=True),
    )
    assert info.data_interval.start == start
    assert info.run_after == datetime(2021, 3, 23, tzinfo=timezone.utc)


def _dag_test(dag, day):
    """dag.test() of partition 2021-03-<day>.

    A manual run at time T processes the last complete day before T (Airflow infers the data
    interval from the logical date), so the partition D is run at D + 1 day, 00:00 UTC.
    """
    run = dag.test(logical_date=datetime(2021, 3, day + 1, tzinfo=timezone.utc))
    assert run.data_interval_start == datetime(2021, 3, day, tzinfo=timezone.utc)
    return run


def test_dag_test_loads_the_warehouse_and_a_second_run_changes_nothing(news_daily, engine, warehouse_url, landing, monkeypatch):
    from sqlalchemy.engine import make_url

    monkeypatch.setenv("AIRFLOW_CONN_NEWS_WAREHOUSE", make_url(warehouse_url).set(drivername="postgresql").render_as_string(hide_password=False))
    monkeypatch.setenv("LANDING_DIR", str(landing))
    monkeypatch.delenv("WAREHOUSE_URL", raising=False)
    run = _dag_test(news_daily, 22)
    assert run.state == "success"
    with engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from report.articles")).scalar() == 2
        assert conn.execute(sa.text("select files_seen, loaded, status from report.runs")).all() == [(2, 2, "succeeded")]
    first = warehouse_snapshot(engine)

    # dag.test of the same date again: a new DAG run, every file unchanged, same warehouse.
    run = _dag_test(news_daily, 22)
    assert run.state == "success"
    assert warehouse_snapshot(engine) == first


def test_quality_check_fails_a_day_whose_files_all_failed(news_daily, engine, warehouse_url, landing, monkeypatch):
    from sqlalchemy.engine import make_url

    monkeypatch.setenv("AIRFLOW_CONN_NEWS_WAREHOUSE", make_url(warehouse_url).set(drivername="postgresql").render_as_string(hide_password=False))
    monkeypatch.setenv("LANDING_DIR", str(landing))
    bad_day = landing / "2021-03-24"
    bad_day.mkdir()
    (bad_day / "empty.txt").write_bytes(b"")
    run = _dag_test(news_daily, 24)
    assert run.state == "failed"
    with engine.connect() as conn:
        status, error = conn.execute(sa.text("select status, error from report.runs")).one()
    assert status == "failed" and "loaded none" in error
