"""`news-etl dev bench-airflow`: a backfill through Airflow against `news-etl run` on the same days.

The landing zone is N days of M articles made from a corpus (etl/dev/bench.py). The command
line loads them into one fresh warehouse (`news-etl run --from --to`, a process of its own, as
a user runs it); the real services (api-server, scheduler, dag-processor, a Redis broker and
`airflow celery worker` processes, as the tests start them) backfill the same days into
another, as the UI's Trigger -> Backfill form does. Both warehouses must report the same
articles, entities, dates and stories. Prints where a day's time goes in Airflow: per task,
the wait for a slot (queued -> started), the task's own run (started -> ended), the slot held
(the Celery task's time, from the workers' logs) and what the slot is held past the task's
end (release).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from statistics import mean

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from etl.dev.airflow_stack import AirflowServices, Redis, backfill_runs, celery_env, metadata_database, post_backfill
from etl.dev.bench import make_landing
from etl.settings import Settings
from etl.warehouse import db, upgrade

FIRST_DAY = date(2021, 1, 1)
DAGS = Path(__file__).resolve().parents[2] / "dags"

# What an analyst reads: equal in both warehouses, row for row (ids are natural keys).
COMPARED = {
    "articles": "select path, title, source, published_date, story_id from report.articles",
    "entity_mentions": "select article_id, canonical_name, entity_type, mentions from report.entity_mentions",
    "date_mentions": "select article_id, text, value from report.date_mentions",
    "stories": "select story_id, articles from report.stories",
}


def bench_airflow(
    settings: Settings,
    corpus: Path,
    days: int,
    files_per_day: int,
    workers: int = 2,
    concurrency: int = 2,
    max_active_runs: int | None = None,
    extra_env: dict[str, str] | None = None,
    keep: Path | None = None,
) -> dict:
    # A day's run starts only when another ends: with twice the slots' runs active, a slot that
    # frees always finds a day already started (4 runs on 4 slots: 2.44x the CLI; 8: 1.67x).
    max_active_runs = max_active_runs or 2 * workers * concurrency
    server = make_url(settings.warehouse_url)
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    names = {"cli": "news_etl_bench_airflow_cli", "airflow": "news_etl_bench_airflow_dag"}
    urls = {k: server.set(database=v).render_as_string(hide_password=False) for k, v in names.items()}
    try:
        for name in names.values():
            with admin.connect() as conn:
                conn.execute(sa.text(f'drop database if exists "{name}" with (force)'))
                conn.execute(sa.text(f'create database "{name}"'))
        for url in urls.values():
            upgrade.init_db(url)
        with tempfile.TemporaryDirectory(prefix="news-etl-bench-airflow-") as tmp:
            tmp = Path(tmp)
            partitions = make_landing(corpus, tmp / "landing", days * files_per_day, days, FIRST_DAY)
            cli_s = _run_cli(urls["cli"], tmp / "landing", partitions)
            with metadata_database(server.render_as_string(hide_password=False), admin) as metadata_url:
                try:
                    airflow = _run_backfill(
                        tmp, metadata_url, urls["airflow"], partitions, workers, concurrency, max_active_runs, extra_env
                    )
                finally:
                    if keep:  # the services' logs, for reading afterwards
                        shutil.copytree(
                            tmp / "airflow", keep, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.db")
                        )
        equal = _digest(urls["cli"]) == _digest(urls["airflow"])
        return {
            "days": days,
            "files_per_day": files_per_day,
            "workers": workers,
            "slots_per_worker": concurrency,
            "max_active_runs": max_active_runs,
            "cli_s": round(cli_s, 1),
            "airflow_s": round(airflow["seconds"], 1),
            "ratio": round(airflow["seconds"] / cli_s, 2),
            "warehouses_equal": equal,
            "tasks": airflow["tasks"],
            "slot_seconds": airflow["slot_seconds"],
            "task_seconds": airflow["task_seconds"],
        }
    finally:
        with admin.connect() as conn:
            for name in names.values():
                conn.execute(sa.text(f'drop database if exists "{name}" with (force)'))
        admin.dispose()


def _run_cli(warehouse_url: str, landing: Path, partitions: list[date]) -> float:
    """`news-etl run` over the days, a process of its own: its start and model load count."""
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "etl", "run", "--from", str(partitions[0]), "--to", str(partitions[-1])],
        env={**os.environ, "WAREHOUSE_URL": warehouse_url, "LANDING_DIR": str(landing)},
        check=True,
        capture_output=True,
    )
    return time.monotonic() - started


def _run_backfill(
    tmp: Path,
    metadata_url: str,
    warehouse_url: str,
    partitions: list[date],
    workers: int,
    concurrency: int,
    max_active_runs: int,
    extra_env: dict[str, str] | None,
) -> dict:
    redis = Redis(tmp / "redis")
    env = celery_env(redis, metadata_url, warehouse_url, tmp / "landing", concurrency=concurrency)
    env |= {"NEWS_ETL_START_DATE": str(partitions[0]), **(extra_env or {})}
    stack = AirflowServices(home=tmp / "airflow", metadata_url=metadata_url, dags_folder=DAGS, extra_env=env)
    try:
        redis.start()
        stack.start()
        stack.start_workers(*(f"worker-{chr(ord('a') + i)}" for i in range(workers)), concurrency=concurrency)
        client = stack.client()
        stack.wait_for_dag(client, "news_daily")
        days = [d.isoformat() for d in partitions]
        posted = datetime.now().astimezone()
        post_backfill(client, days[0], days[-1], max_active_runs)
        # The form unpauses the DAG after creating the backfill (a paused DAG's runs wait).
        client.patch("/api/v2/dags/news_daily", json={"is_paused": False}).raise_for_status()
        runs = _wait_for_runs(client, days, timeout=3600)
        ended = max(_time(r["end_date"]) for r in runs.values())
        failed = {d: r["state"] for d, r in runs.items() if r["state"] != "success"}
        if failed:
            raise RuntimeError(f"backfill runs failed: {failed}; logs in {stack.home}")
        ids = {r["dag_run_id"] for r in runs.values()}
        tis = _task_instances(client, ids)
        slots = _celery_slot_seconds(stack.home)
        return {
            "seconds": (ended - posted).total_seconds(),
            "tasks": _task_timings(tis, slots),
            "slot_seconds": round(sum(slots.get(t["id"], 0) for t in tis), 1),
            "task_seconds": round(sum((_time(t["end_date"]) - _time(t["start_date"])).total_seconds() for t in tis), 1),
        }
    finally:
        stack.stop()
        redis.stop()


def _wait_for_runs(client, days: list[str], timeout: float) -> dict[str, dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = backfill_runs(client)
        if all(d in runs and runs[d]["state"] in ("success", "failed") for d in days):
            return {d: runs[d] for d in days}
        time.sleep(1)
    raise TimeoutError(f"the backfill did not end in {timeout}s")


def _task_instances(client, run_ids: set[str]) -> list[dict]:
    out, offset = [], 0
    while True:
        r = client.get("/api/v2/dags/news_daily/dagRuns/~/taskInstances", params={"limit": 100, "offset": offset})
        r.raise_for_status()
        page = r.json()["task_instances"]
        out += [t for t in page if t["dag_run_id"] in run_ids and t["state"] == "success"]
        if len(page) < 100:
            return out
        offset += 100


# Celery's line for each task it ran: "Task ...execute_workload[<id>] succeeded in 3.2s: None"
_SUCCEEDED = re.compile(r"Task \S+\[(?P<id>[0-9a-f-]+)\] succeeded in (?P<s>[\d.]+)s")
# ... and the workload it was given: the task instance's id
_RECEIVED = re.compile(
    r"\[(?P<id>[0-9a-f-]{36})\] Executing workload.*?ti=TaskInstance\w*\(id=UUID\('(?P<ti>[0-9a-f-]+)'\)"
)


def _celery_slot_seconds(home: Path) -> dict[str, float]:
    """Task instance id -> seconds its Celery task held a worker slot, from the workers' logs."""
    celery_to_ti, held = {}, {}
    for log in home.glob("worker-*.log"):
        text = log.read_text(errors="replace")
        celery_to_ti |= {m["id"]: m["ti"] for m in _RECEIVED.finditer(text)}
        held |= {m["id"]: float(m["s"]) for m in _SUCCEEDED.finditer(text)}
    return {celery_to_ti[c]: s for c, s in held.items() if c in celery_to_ti}


def _task_timings(tis: list[dict], slots: dict[str, float]) -> dict[str, dict]:
    by_task = defaultdict(list)
    for t in tis:
        queued = _time(t["queued_when"]) if t.get("queued_when") else _time(t["start_date"])
        started, ended = _time(t["start_date"]), _time(t["end_date"])
        run = (ended - started).total_seconds()
        slot = slots.get(t["id"])
        by_task[t["task_id"]].append(
            {
                "queue": (started - queued).total_seconds(),
                "run": run,
                "slot": slot,
                "release": slot - run if slot is not None else None,
            }
        )
    return {
        task: {
            "n": len(rows),
            **{
                f"{k}_s": round(mean(r[k] for r in rows if r[k] is not None), 2)
                for k in ("queue", "run", "slot", "release")
                if any(r[k] is not None for r in rows)
            },
        }
        for task, rows in sorted(by_task.items())
    }


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _digest(url: str) -> dict[str, str]:
    engine = db.make_engine(url)
    try:
        with engine.connect() as conn:
            return {
                view: hashlib.sha256(repr(sorted(map(tuple, conn.execute(sa.text(sql))))).encode()).hexdigest()
                for view, sql in COMPARED.items()
            }
    finally:
        engine.dispose()
