"""Scale-out on the real distributed engine: CeleryExecutor with two workers.

Real api-server, scheduler and dag-processor on a PostgreSQL metadata database, a Redis
broker of the test's own, Celery results in PostgreSQL, and two `airflow celery worker`
processes named worker-a and worker-b (two machines, as far as the task instances' hostname
says). A three-day backfill maps `process` over at least four chunks a day; worker-b is
stopped (SIGTERM, SIGKILL a few seconds later) once it has run some of them. Every day must
still load, the tasks it lost must be retried on worker-a, and the warehouse must equal what
the pipeline run in one process (news-etl run's pipeline.run_partition) makes of the same days.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from etl.dev.airflow_stack import (
    AirflowServices,
    Redis,
    RedisMissing,
    backfill_runs,
    celery_env,
    metadata_database,
    post_backfill,
    wait_for_backfill_days,
)
from tests.conftest import SERVER_URL, new_warehouse, warehouse_snapshot
from tests.dags.conftest import DAGS

pytestmark = pytest.mark.slow

DAYS = ("2021-03-22", "2021-03-23", "2021-03-24")
ARTICLES_PER_DAY = 7
CHUNK_SIZE = 2  # 7 articles and one empty file a day: four `process` chunks a day

PEOPLE = [
    "Josep Borrell",
    "Jens Stoltenberg",
    "Philip Reeker",
    "Sophie Wilmès",
    "Antony Blinken",
    "Charles Michel",
    "Mark Rutte",
    "Kaja Kallas",
]
PLACES = ["Brussels", "Paris", "Berlin", "Madrid", "Warsaw", "Rome", "Vienna", "Lisbon"]
ORGS = ["NATO", "the European Commission", "the State Department", "the United Nations"]


def _article(day: int, i: int) -> str:
    person, other = PEOPLE[(day + i) % len(PEOPLE)], PEOPLE[(day + 3 * i + 1) % len(PEOPLE)]
    place, org = PLACES[(2 * day + i) % len(PLACES)], ORGS[(day + i) % len(ORGS)]
    surname = person.split()[-1]
    return (
        f"{person} visits {place}\n\n"
        f"{place.upper()} (Reuters) - {person} met {other} in {place} on Tuesday to talk about "
        f"{org}'s plans for next year. {surname} said the talks would go on in March, and "
        f"officials of {org} were expected in {PLACES[(day + 2 * i) % len(PLACES)]} on Friday.\n"
    )


def make_landing(root: Path, days=DAYS, articles_per_day: int = ARTICLES_PER_DAY) -> Path:
    """Small articles for each day, an empty file a day (quarantined) and, on the last day,
    a copy of the first day's first article (a duplicate across days)."""
    for d, day in enumerate(days):
        folder = root / day
        folder.mkdir(parents=True)
        for i in range(articles_per_day - (1 if d == len(days) - 1 else 0)):
            (folder / f"{i:03d}.txt").write_text(_article(d, i), encoding="utf-8")
        (folder / "empty.txt").write_bytes(b"")
    (root / days[-1] / "copy.txt").write_text(_article(0, 0), encoding="utf-8")  # in place of its last article
    return root


def run_in_one_process(warehouse_url: str, landing: Path, days=DAYS) -> None:
    """The oracle: the same days through the pipeline in this process, as `news-etl run` does."""
    from etl import pipeline
    from etl.settings import load_settings
    from etl.warehouse import db

    settings = load_settings({}).override(warehouse_url=warehouse_url, landing_dir=landing, nlp_processes=1)
    engine = db.make_engine(warehouse_url)
    try:
        for day in days:
            pipeline.run_partition(engine, settings, date.fromisoformat(day), chunk_size=CHUNK_SIZE)
    finally:
        engine.dispose()


def stack_env(redis: Redis, metadata_url: str, warehouse_url: str, landing: Path, concurrency: int) -> dict[str, str]:
    return {
        **celery_env(redis, metadata_url, warehouse_url, landing, concurrency),
        # A worker that dies is noticed in seconds, not the default 5 minutes; a task whose
        # queued message died with its worker is sent again after a minute, not ten.
        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "20",
        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL": "5",
        "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT": "60",
        "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT_CHECK_INTERVAL": "10",
        "NEWS_ETL_START_DATE": "2021-03-01",
        "NEWS_ETL_CHUNK_SIZE": str(CHUNK_SIZE),
        "NEWS_ETL_MAX_ACTIVE_RUNS": str(len(DAYS)),
        "NEWS_ETL_RETRY_DELAY_SECONDS": "5",
    }


def task_instances(client, task_id: str | None = None) -> list[dict]:
    params = {"limit": 500, **({"task_id": task_id} if task_id else {})}
    r = client.get("/api/v2/dags/news_daily/dagRuns/~/taskInstances", params=params)
    r.raise_for_status()
    return r.json()["task_instances"]


def backfill(client, days=DAYS, max_active_runs: int = len(DAYS)) -> int:
    return post_backfill(client, days[0], days[-1], max_active_runs)


@pytest.fixture
def celery_stack(tmp_path, pg_server, warehouse_url):
    landing = make_landing(tmp_path / "landing")
    redis = Redis(tmp_path / "redis")
    with metadata_database(SERVER_URL, pg_server) as metadata_url:
        stack = AirflowServices(
            home=tmp_path / "airflow",
            metadata_url=metadata_url,
            dags_folder=DAGS,
            extra_env=stack_env(redis, metadata_url, warehouse_url, landing, concurrency=2),
        )
        try:
            try:
                redis.start()
            except RedisMissing as e:
                if os.environ.get("CI"):
                    pytest.fail(str(e))
                pytest.skip(f"{e}; CI runs this")
            stack.start()
            yield stack, landing
        finally:
            stack.stop()  # the workers, then the components, each by its process group
            redis.stop()


def test_two_celery_workers_share_a_backfill_and_one_can_die(
    celery_stack, engine, warehouse_url, pg_server, template_db
):
    started = time.monotonic()
    stack, landing = celery_stack
    with new_warehouse(pg_server, template_db) as oracle_url, ThreadPoolExecutor(1) as pool:
        # The oracle runs while the workers start.
        oracle = pool.submit(run_in_one_process, oracle_url, landing)
        stack.start_workers("worker-a", "worker-b")
        client = stack.client()
        stack.wait_for_dag(client, "news_daily")
        assert client.patch("/api/v2/dags/news_daily", json={"is_paused": False}).status_code == 200
        backfill(client)
        posted = time.monotonic()

        # Stop worker-b once it has run a `process` task and is running another.
        stopped = {}

        def stop_b_when_busy():
            if stopped:
                return
            tis = task_instances(client)
            done_on_b = [
                t for t in tis if t["hostname"] == "worker-b" and t["task_id"] == "process" and t["state"] == "success"
            ]
            running_on_b = [t for t in tis if t["hostname"] == "worker-b" and t["state"] == "running"]
            if done_on_b and running_on_b:
                stopped["at"] = time.monotonic() - started
                stopped["running"] = {
                    (t["dag_run_id"], t["task_id"], t["map_index"]): t["try_number"] for t in running_on_b
                }
                stack.stop_worker("worker-b", grace=3)

        wait_for_backfill_days(client, DAYS, poll=stop_b_when_busy)
        backfill_s = time.monotonic() - posted
        assert stopped, "the backfill finished before worker-b was ever busy with a second task"
        oracle.result()

        runs = backfill_runs(client)
        assert {d: runs[d]["state"] for d in DAYS} == dict.fromkeys(DAYS, "success"), runs
        tis = [t for t in task_instances(client) if t["dag_run_id"] in {r["dag_run_id"] for r in runs.values()}]
        assert all(t["state"] in ("success", "skipped") for t in tis), [
            (t["task_id"], t["map_index"], t["state"]) for t in tis
        ]
        process = [t for t in tis if t["task_id"] == "process"]
        assert len(process) >= 4 * len(DAYS)
        by_host = {
            h: sorted((t["dag_run_id"][10:20], t["map_index"]) for t in process if t["hostname"] == h)
            for h in ("worker-a", "worker-b")
        }
        assert by_host["worker-a"] and by_host["worker-b"], by_host
        assert {t["hostname"] for t in tis if t["state"] == "success"} <= {"worker-a", "worker-b"}
        # What worker-b was running when it was stopped either finished in its grace
        # seconds or was retried, and every retry ran on worker-a.
        retried = [t for t in tis if t["try_number"] > 1]
        assert all(t["hostname"] == "worker-a" for t in retried), [
            (t["task_id"], t["hostname"], t["try_number"]) for t in retried
        ]
        lost = [
            k
            for k, try_number in stopped["running"].items()
            if any((t["dag_run_id"], t["task_id"], t["map_index"]) == k and t["try_number"] > try_number for t in tis)
        ]

        # The warehouse is the one the pipeline makes of the same days in one process.
        oracle_engine = sa.create_engine(make_url(oracle_url))
        try:
            assert warehouse_snapshot(engine) == warehouse_snapshot(oracle_engine)
            # Where every file ended (a run's own counts depend on which days loaded before
            # it: the copy is an article until the day of its original loads).
            manifest = sa.text("select path, sha256, outcome from ops.file_manifest order by path")
            seen = sa.text(
                "select partition_date::text, files_seen from report.runs where status = 'succeeded' and partition_date::text = any(:days) order by 1"
            )
            with engine.connect() as conn, oracle_engine.connect() as oconn:
                assert conn.execute(manifest).all() == oconn.execute(manifest).all()
                assert conn.execute(seen, {"days": list(DAYS)}).all() == oconn.execute(seen, {"days": list(DAYS)}).all()
        finally:
            oracle_engine.dispose()

    print(
        f"\ncelery test: {time.monotonic() - started:.0f}s wall (the backfill {backfill_s:.0f}s); worker-b stopped at {stopped['at']:.0f}s while running "
        f"{sorted(stopped['running'])}, {len(lost)} of them retried on worker-a; process tasks by worker: "
        f"worker-a {len(by_host['worker-a'])}, worker-b {len(by_host['worker-b'])}; retried tasks: "
        f"{[(t['task_id'], t['map_index'], t['try_number']) for t in retried]}; services {stack.memory_mb():.0f} MB PSS"
    )
