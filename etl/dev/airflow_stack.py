"""Start real Airflow services (api-server, scheduler, dag-processor) on this machine, and stop them.

What the DAG tests and `news-etl dev bench-airflow` run: the stack a deployment runs, in
processes of this machine.

A PostgreSQL metadata DB of the test's own (mapped tasks on SQLite risk "database is
locked"), the API on 127.0.0.1, the simple auth manager with one admin user whose password
Airflow generates. With CeleryExecutor: a Redis broker of the test's own (`Redis`) and
`airflow celery worker` processes (`start_workers`), each reporting its own hostname on the
task instances it runs, as workers on different machines would.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
import sqlalchemy as sa
from sqlalchemy.engine import make_url

COMPONENTS = ("api-server", "scheduler", "dag-processor")
REPO = Path(__file__).resolve().parents[2]


class RedisMissing(RuntimeError):
    def __init__(self):
        super().__init__("redis-server is not installed (./scripts/test installs Debian's redis-server)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def worker_hostname() -> str:
    """[core] hostname_callable of the test's workers: the name start_workers gave the worker
    (two workers on one machine stand for two machines), else the machine's name."""
    return os.environ.get("NEWS_ETL_TEST_WORKER_HOSTNAME") or socket.getfqdn()


@contextmanager
def metadata_database(server_url: str, pg_server) -> Iterator[str]:
    """A new, empty Airflow metadata database of this test's own (the xdist worker and a uuid
    in its name, so parallel tests never share one), dropped afterwards. Yields its URL."""
    name = f"news_etl_test_airflow_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{uuid.uuid4().hex[:8]}"
    with pg_server.connect() as conn:
        conn.execute(sa.text(f'create database "{name}"'))
    try:
        yield (
            make_url(server_url)
            .set(drivername="postgresql+psycopg2", database=name)
            .render_as_string(hide_password=False)
        )
    finally:
        with pg_server.connect() as conn:
            conn.execute(sa.text(f'drop database if exists "{name}" with (force)'))


def _stop_group(proc: subprocess.Popen, grace: float = 30) -> None:
    """SIGTERM to the process group, SIGKILL after `grace` seconds."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        pass
    try:  # whatever the group left behind (a task process whose parent is gone)
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


@dataclass
class Redis:
    """A Redis server of the test's own on a free port (Debian's redis-server), no persistence."""

    home: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 20) -> None:
        binary = shutil.which("redis-server") or (
            "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
        )
        if binary is None:
            raise RedisMissing()
        self.home.mkdir(parents=True, exist_ok=True)
        log = open(self.home / "redis.log", "w")
        self.proc = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.home),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"redis-server exited: {(self.home / 'redis.log').read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"redis-server did not answer on port {self.port}")

    def stop(self) -> None:
        if self.proc is not None:
            _stop_group(self.proc, grace=10)


@dataclass
class AirflowServices:
    home: Path
    metadata_url: str
    dags_folder: Path
    extra_env: dict[str, str]
    port: int = field(default_factory=free_port)
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    workers: dict[str, subprocess.Popen] = field(default_factory=dict)
    log_server_port: int = field(default_factory=free_port)
    trigger_log_server_port: int = field(default_factory=free_port)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            # This checkout's etl and DAG, whatever the installed news-etl points at.
            "PYTHONPATH": os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p),
            "AIRFLOW_HOME": str(self.home),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": self.metadata_url,
            "AIRFLOW__CORE__DAGS_FOLDER": str(self.dags_folder),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": "4",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(self.port),
            "AIRFLOW__API__WORKERS": "1",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.base_url}/execution/",
            "AIRFLOW__API_AUTH__JWT_SECRET": "news-etl-test-secret",
            "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2",
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            # Ports of their own, so tests in parallel never collide.
            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(self.log_server_port),
            "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(self.trigger_log_server_port),
            **self.extra_env,
        }

    def airflow(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "airflow", *args], env=self.env, check=check, capture_output=True, text=True
        )

    def start(self, timeout: float = 120) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self.airflow("db", "migrate")
        for name in COMPONENTS:
            log = open(self.home / f"{name}.log", "w")
            # Each component in its own process group, so stop() reaches its workers too.
            self.procs[name] = subprocess.Popen(
                [sys.executable, "-m", "airflow", name],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._fail_if_dead()
            try:
                if httpx.get(f"{self.base_url}/api/v2/monitor/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(1)
        raise TimeoutError(f"Airflow API did not answer within {timeout}s; logs in {self.home}")

    def _fail_if_dead(self) -> None:
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                tail = (self.home / f"{name}.log").read_text()[-3000:]
                raise RuntimeError(f"airflow {name} exited with {proc.returncode}:\n{tail}")

    def start_workers(self, *names: str, concurrency: int = 2, timeout: float = 90) -> None:
        """`airflow celery worker` processes, one per name (its Celery node name and the
        hostname of the task instances it runs), each in its own process group; returns once
        Celery says every one is ready."""
        logs = {name: self.home / f"worker-{name}.log" for name in names}
        for name in names:
            env = {
                **self.env,
                "NEWS_ETL_TEST_WORKER_HOSTNAME": name,
                "AIRFLOW__CORE__HOSTNAME_CALLABLE": "etl.dev.airflow_stack.worker_hostname",
            }
            self.workers[name] = subprocess.Popen(
                # The workers share this AIRFLOW_HOME's log folder (as compose's shared logs
                # volume): the api-server reads task logs from it, no log server needed.
                [
                    sys.executable,
                    "-m",
                    "airflow",
                    "celery",
                    "worker",
                    "--celery-hostname",
                    f"{name}@%h",
                    "--concurrency",
                    str(concurrency),
                    "--skip-serve-logs",
                    "--without-gossip",
                    "--without-mingle",
                ],
                env=env,
                stdout=open(logs[name], "w"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        waiting = set(names)
        while waiting and time.monotonic() < deadline:
            for name in list(waiting):
                if self.workers[name].poll() is not None:
                    raise RuntimeError(f"celery worker {name} exited: {logs[name].read_text()[-3000:]}")
                if " ready." in logs[name].read_text():
                    waiting.discard(name)
            time.sleep(0.5)
        if waiting:
            raise TimeoutError(
                f"celery workers {sorted(waiting)} were not ready within {timeout}s; logs in {self.home}"
            )

    def stop_worker(self, name: str, grace: float = 3) -> None:
        """Stop a worker as `docker stop` stops a container: SIGTERM to the worker (Celery's
        warm shutdown: no new tasks, running ones may finish), SIGKILL to all of it after
        `grace` seconds (tasks still running die with it)."""
        proc = self.workers[name]
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()

    def stop(self, grace: float = 15) -> None:
        """SIGTERM to every worker and component at once (each with its process group), then
        SIGKILL to whatever is left after `grace` seconds."""
        procs = [*self.workers.values(), *self.procs.values()]
        for proc in procs:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + grace
        for proc in procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            try:  # the group's leftovers (a component's workers, a task process) go too
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()

    def memory_mb(self) -> float:
        """Proportional set size of every process the services run, in MB."""
        total = 0
        for proc in [*self.procs.values(), *self.workers.values()]:
            try:
                parent = psutil.Process(proc.pid)
                for p in [parent, *parent.children(recursive=True)]:
                    try:
                        total += p.memory_full_info().pss
                    except (psutil.NoSuchProcess, psutil.AccessDenied):
                        pass
            except psutil.NoSuchProcess:
                pass
        return total / 1e6

    # ------------------------------------------------------------------ REST API

    def client(self) -> httpx.Client:
        """An API client with a bearer token, got the way a user gets one."""
        passwords = json.loads((self.home / "simple_auth_manager_passwords.json.generated").read_text())
        r = httpx.post(
            f"{self.base_url}/auth/token", json={"username": "admin", "password": passwords["admin"]}, timeout=10
        )
        r.raise_for_status()
        return httpx.Client(
            base_url=self.base_url, headers={"Authorization": f"Bearer {r.json()['access_token']}"}, timeout=30
        )

    def wait_for_dag(self, client: httpx.Client, dag_id: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._fail_if_dead()
            if client.get(f"/api/v2/dags/{dag_id}").status_code == 200:
                return
            time.sleep(1)
        raise TimeoutError(f"{dag_id} never appeared in the API")

    def task_log(
        self, client: httpx.Client, dag_id: str, run_id: str, task_id: str, try_number: int = 1, map_index: int = -1
    ) -> str:
        """A task try's log as the UI shows it: its events' text, one a line."""
        r = client.get(
            f"/api/v2/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/logs/{try_number}",
            params={"map_index": map_index},
            headers={"Accept": "application/json"},
        )
        r.raise_for_status()
        content = r.json()["content"]
        if isinstance(content, str):
            return content
        return "\n".join(str(e.get("event", "")) if isinstance(e, dict) else str(e) for e in content)


# The Celery workers' settings, here and in docker-compose.yml (tests/test_packaging.py).
WORKER_SETTINGS = {
    # Each pool process imports the pipeline and loads its model once (news_etl_airflow/celery_config.py).
    "AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS": "news_etl_airflow.celery_config.CELERY_CONFIG",
    # A task's slot is free within a second of its end, not five: the task supervisor notices
    # the end at its next heartbeat check (one API call a second a running task).
    "AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL": "1",
}


def celery_env(redis: Redis, metadata_url: str, warehouse_url: str, landing: Path, concurrency: int) -> dict[str, str]:
    """CeleryExecutor on `redis` with results in the metadata database, `concurrency` slots a
    worker, and the DAG's settings: the warehouse connection and the landing zone."""
    return {
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__CORE__PARALLELISM": "8",
        "AIRFLOW__CELERY__BROKER_URL": redis.url,
        "AIRFLOW__CELERY__RESULT_BACKEND": "db+"
        + make_url(metadata_url).set(drivername="postgresql").render_as_string(hide_password=False),
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": str(concurrency),
        **WORKER_SETTINGS,
        "AIRFLOW_CONN_NEWS_WAREHOUSE": make_url(warehouse_url)
        .set(drivername="postgresql")
        .render_as_string(hide_password=False),
        "LANDING_DIR": str(landing),
    }


def post_backfill(client: httpx.Client, first_day: str, last_day: str, max_active_runs: int) -> int:
    """What the UI's Trigger -> Backfill form posts for the days first_day..last_day (All Runs,
    oldest first); returns the backfill's id."""
    r = client.post(
        "/api/v2/backfills",
        json={
            "dag_id": "news_daily",
            "from_date": f"{first_day}T00:00:00Z",
            "to_date": f"{last_day}T00:00:00Z",
            "reprocess_behavior": "completed",
            "max_active_runs": max_active_runs,
            "run_backwards": False,
        },
    )
    if r.status_code != 200:
        raise RuntimeError(f"POST /api/v2/backfills answered {r.status_code}: {r.text}")
    return r.json()["id"]


def backfill_runs(client: httpx.Client, dag_id: str = "news_daily") -> dict[str, dict]:
    """The DAG's backfill runs by the day they load (the start of their data interval)."""
    runs, offset = [], 0
    while True:  # a page at a time: a year's backfill is more than one page
        page = client.get(
            f"/api/v2/dags/{dag_id}/dagRuns", params={"limit": 100, "offset": offset, "run_type": "backfill"}
        ).json()["dag_runs"]
        runs += page
        if len(page) < 100:
            return {r["data_interval_start"][:10]: r for r in runs if r["run_type"] == "backfill"}
        offset += 100


def wait_for_backfill_days(client: httpx.Client, days, timeout: float = 300, poll=None) -> dict[str, str]:
    """Wait until each day has a backfill run that ended; the days' states. Not the
    backfill's completed_at: the scheduler sets that on a fixed 30-second timer
    (SchedulerJobRunner._mark_backfills_complete)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = backfill_runs(client)
        if all(d in runs and runs[d]["state"] in ("success", "failed") for d in days):
            return {d: runs[d]["state"] for d in days}
        if poll:
            poll()
        time.sleep(1)
    raise TimeoutError(f"the backfill runs of {days} did not end in {timeout}s")
