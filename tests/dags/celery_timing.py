"""The Celery test's backfill (three days, four `process` chunks a day), timed with N workers.

    python -m tests.dags.celery_timing --workers 1 --concurrency 1
    python -m tests.dags.celery_timing --workers 2 --concurrency 1

Same services as tests/dags/test_celery.py (Redis, PostgreSQL metadata and results,
api-server, scheduler, dag-processor, `airflow celery worker` processes), no worker stopped.
Prints the backfill's wall time (POST /api/v2/backfills until every day's run has ended) and
which worker ran which tasks. Run by hand for the figures of docs/benchmarks.md ("Airflow");
not a test.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from etl.dev.airflow_stack import AirflowServices, Redis, backfill_runs, metadata_database, wait_for_backfill_days
from etl.warehouse import upgrade
from tests.conftest import SERVER_URL, _admin
from tests.dags.conftest import DAGS
from tests.dags.test_celery import DAYS, backfill, celery_env, make_landing, task_instances


def _wait_for_scheduled_run(client, timeout=180) -> None:
    """Unpausing makes the scheduler run the latest day once: let it finish before timing."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = client.get("/api/v2/dags/news_daily/dagRuns", params={"limit": 100}).json()["dag_runs"]
        if any(r["run_type"] == "scheduled" and r["state"] in ("success", "failed") for r in runs):
            return
        time.sleep(1)


def measure(workers: int, concurrency: int) -> dict:
    pg = _admin()
    warehouse = f"news_etl_timing_{uuid.uuid4().hex[:8]}"
    warehouse_url = make_url(SERVER_URL).set(database=warehouse).render_as_string(hide_password=False)
    upgrade.init_db(warehouse_url)
    try:
        with (
            tempfile.TemporaryDirectory(prefix="news-etl-celery-timing-") as tmp,
            metadata_database(SERVER_URL, pg) as metadata_url,
        ):
            tmp = Path(tmp)
            landing = make_landing(tmp / "landing")
            redis = Redis(tmp / "redis")
            stack = AirflowServices(
                home=tmp / "airflow",
                metadata_url=metadata_url,
                dags_folder=DAGS,
                extra_env=celery_env(redis, metadata_url, warehouse_url, landing, concurrency=concurrency),
            )
            try:
                redis.start()
                stack.start()
                names = [f"worker-{chr(ord('a') + i)}" for i in range(workers)]
                stack.start_workers(*names, concurrency=concurrency)
                client = stack.client()
                stack.wait_for_dag(client, "news_daily")
                client.patch("/api/v2/dags/news_daily", json={"is_paused": False}).raise_for_status()
                _wait_for_scheduled_run(client)
                posted = time.monotonic()
                backfill(client)
                wait_for_backfill_days(client, DAYS)
                seconds = time.monotonic() - posted
                runs = backfill_runs(client)
                assert all(runs[d]["state"] == "success" for d in DAYS), runs
                ids = {r["dag_run_id"] for r in runs.values()}
                tis = [t for t in task_instances(client) if t["dag_run_id"] in ids]
                return {
                    "workers": workers,
                    "concurrency": concurrency,
                    "backfill_seconds": round(seconds, 1),
                    "tasks_by_worker": dict(
                        Counter((t["hostname"], t["task_id"]) for t in tis if t["state"] == "success")
                    ),
                }
            finally:
                stack.stop()
                redis.stop()
    finally:
        with pg.connect() as conn:
            conn.execute(sa.text(f'drop database if exists "{warehouse}" with (force)'))
        pg.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--concurrency", type=int, default=1, help="task slots per worker ([celery] worker_concurrency)"
    )
    args = parser.parse_args()
    result = measure(args.workers, args.concurrency)
    print(
        f"{result['workers']} worker(s) x {result['concurrency']} slot(s): backfill of {len(DAYS)} days in "
        f"{result['backfill_seconds']}s"
    )
    for (host, task), n in sorted(result["tasks_by_worker"].items()):
        print(f"  {host}: {n} {task}")


if __name__ == "__main__":
    main()
