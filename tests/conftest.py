"""Shared fixtures: the machine's real PostgreSQL, fresh warehouses, landing zones on disk."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from etl.settings import load_settings
from etl.warehouse import db, upgrade

REPO = Path(__file__).resolve().parent.parent
DEMO_LANDING = REPO / "demo" / "landing"
BBC_LANDING = REPO / "tests" / "fixtures" / "bbc_landing"  # ~50 BBC articles a day, 6 days
# What a careful reader extracts from the two sample articles (demo/landing): the spec for
# parsing, entities and dates (a copy of the project's shared/samples/expected.json).
SAMPLES = REPO / "tests" / "fixtures" / "samples"
# The server the tests use; never the demo's news_warehouse database.
SERVER_URL = os.environ.get("NEWS_ETL_TEST_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
# One template per test session, so two sessions on one server (CI, a developer) never collide.
TEMPLATE_DB = f"news_etl_test_template_{os.getpid()}"


# Chromium as root in a container: no sandbox; no calls to Google's services (no network here).
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    """A TCP port nothing listens on now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _admin():
    return db.make_engine(SERVER_URL).execution_options(isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_server():
    """The machine's PostgreSQL; a clear failure (not a skip) when it is down."""
    engine = _admin()
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
    except sa.exc.OperationalError as e:
        pytest.fail(f"PostgreSQL does not answer at {SERVER_URL}: {e}. Start it (./scripts/test does).")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def template_db(pg_server):
    """A migrated warehouse to copy: CREATE DATABASE ... TEMPLATE is much faster than migrating."""
    with pg_server.connect() as conn:
        conn.execute(sa.text(f'drop database if exists "{TEMPLATE_DB}" with (force)'))
    url = make_url(SERVER_URL).set(database=TEMPLATE_DB).render_as_string(hide_password=False)
    upgrade.init_db(url)
    yield TEMPLATE_DB
    with pg_server.connect() as conn:
        conn.execute(sa.text(f'drop database if exists "{TEMPLATE_DB}" with (force)'))


@contextmanager
def new_warehouse(pg_server, template_db) -> Iterator[str]:
    """A fresh, migrated warehouse database (its URL), dropped afterwards."""
    name = f"news_etl_test_{uuid.uuid4().hex[:10]}"
    with pg_server.connect() as conn:
        conn.execute(sa.text(f'create database "{name}" template "{template_db}"'))
    try:
        yield make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with pg_server.connect() as conn:
            conn.execute(sa.text(f'drop database if exists "{name}" with (force)'))


@pytest.fixture
def warehouse_url(pg_server, template_db):
    """A fresh, migrated warehouse database of this test's own, dropped afterwards."""
    with new_warehouse(pg_server, template_db) as url:
        yield url


@pytest.fixture
def engine(warehouse_url):
    engine = db.make_engine(warehouse_url)
    yield engine
    engine.dispose()


@pytest.fixture
def landing(tmp_path) -> Path:
    """A landing zone on disk holding the demo partition (the two sample articles)."""
    root = tmp_path / "landing"
    shutil.copytree(DEMO_LANDING, root)
    return root


@pytest.fixture
def settings(landing, warehouse_url):
    return load_settings({}).override(landing_dir=landing, warehouse_url=warehouse_url)


# The warehouse's tables (partitioned ones as a whole), but the calendar.
_DWH_TABLES = (
    "select c.relname from pg_class as c join pg_namespace as n on n.oid = c.relnamespace"
    " where n.nspname = 'dwh' and c.relkind in ('r', 'p') and not c.relispartition and c.relname <> 'dim_date'"
)


def warehouse_snapshot(engine) -> dict[str, list[tuple]]:
    """Every row of every warehouse table (dwh.*), sorted, but the clock's `loaded_at`: for
    comparing two warehouses."""
    out = {}
    with engine.connect() as conn:
        tables = conn.execute(sa.text(_DWH_TABLES + " order by 1")).scalars()
        for table in list(tables):
            result = conn.execute(sa.text(f"select * from dwh.{table}"))
            keep = [i for i, column in enumerate(result.keys()) if column != "loaded_at"]
            out[table] = sorted(tuple(repr(r[i]) for i in keep) for r in result)
    return out


def empty_warehouse(engine) -> None:
    """Forget every loaded article (all dwh tables but dim_date, and the manifest), as if
    the warehouse were new: for loading the same days again in another order."""
    with engine.begin() as conn:
        tables = conn.execute(sa.text(_DWH_TABLES + " and c.relname <> 'derived_state'")).scalars()
        conn.execute(sa.text("truncate " + ", ".join(f"dwh.{t}" for t in tables) + ", ops.file_manifest"))


def rows(engine, sql, **params) -> list:
    with engine.connect() as conn:
        return conn.execute(sa.text(sql), params).all()


def cli(warehouse_url, landing, *args) -> subprocess.Popen:
    """news-etl in a process of its own (to kill, or to run two at once)."""
    env = {**os.environ, "WAREHOUSE_URL": warehouse_url, "LANDING_DIR": str(landing)}
    return subprocess.Popen(
        [sys.executable, "-m", "etl", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


WAITERS_IN_THIS_DATABASE = """
    select count(*) from pg_locks
    where locktype = 'advisory' and not granted
      and database = (select oid from pg_database where datname = current_database())
"""


def wait_for_lock_waiter(engine, timeout=60) -> None:
    """Wait until some session waits for an advisory lock (a run reached a lock the test holds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if rows(engine, WAITERS_IN_THIS_DATABASE)[0][0]:
            return
        time.sleep(0.2)
    raise AssertionError("the run never reached the lock")


@pytest.fixture(scope="session")
def chromium() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Chromium is not installed: ./scripts/test installs it")
    return path
