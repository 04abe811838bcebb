"""Hostile input and faults: every file accounted for, the warehouse never half-written."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from etl import db, pipeline
from tests.conftest import free_port, warehouse_snapshot
from tests.etl.test_pipeline import _cli, _wait_for_lock_waiter, rows

DAY = date(2021, 3, 22)


def test_hostile_files_each_end_loaded_or_quarantined(engine, settings, landing):
    day = landing / "2021-03-22"
    (day / "huge.txt").write_bytes(b"word " * (10 * 1024 * 1024 + 1))  # 50 MB, over the 20 MiB default
    (day / "mixed-endings.txt").write_bytes(b"Mixed endings\r\n\r\nOne line.\rAnother line.\nA third in Brussels.\r\n")
    (day / "title-only.txt").write_text("Only a headline here\n")
    (day / "utf16.txt").write_bytes("Grüße aus Köln\n\nAngela Merkel sprach am Montag.".encode("utf-16"))
    (day / "latin1.txt").write_bytes("Café talks\n\nSophie Wilmès met Blinken.".encode("latin-1"))
    (day / "nul.txt").write_bytes(b"Title\n\nA \x00 byte.")
    (day / "loop").symlink_to(day / "loop")
    (day / "name with spaces; 'quotes' \"and\" ünïcode.txt").write_text("Odd name\n\nStill loaded.")
    (day / "sql.txt").write_text("x'); drop table dwh.dim_article; --\n\nselect * from ops.etl_run; -- said Bobby Tables.")
    result = pipeline.run_partition(engine, settings, DAY)
    c = result.counts
    assert c.files_seen == 2 + 9 and c.reconciles
    quarantined = dict(rows(engine, "select split_part(path, '/', 2), reason from report.quarantine"))
    assert set(quarantined) == {"huge.txt", "nul.txt", "loop"}
    assert "too large" in quarantined["huge.txt"]
    titles = {r[0] for r in rows(engine, "select title from report.articles")}
    assert {"Mixed endings", "Only a headline here", "Grüße aus Köln", "Café talks", "Odd name"} <= titles
    assert "x'); drop table dwh.dim_article; --" in titles


def test_file_that_disappears_after_discovery_is_quarantined(engine, settings, landing):
    plan = pipeline.discover(engine, settings, DAY)
    (landing / "2021-03-22" / "000_f482f422a3fa26a5.txt").unlink()
    pipeline.process(engine, settings, plan.run_id, plan.to_process)
    counts = pipeline.load_run(engine, plan.run_id, DAY)
    assert (counts.files_seen, counts.loaded, counts.quarantined) == (2, 1, 1) and counts.reconciles
    assert "disappeared" in rows(engine, "select reason from report.quarantine")[0][0]


@pytest.mark.parametrize(
    "where",
    ["before discovery", "before the load", "inside the load"],
)
def test_kill_9_leaves_the_previous_state_and_the_rerun_completes(engine, settings, landing, warehouse_url, where):
    """Kill the run where it waits for a lock the test holds: before it starts, after it has
    staged its rows, and inside its load transaction."""
    pipeline.run_partition(engine, settings, DAY)
    before = warehouse_snapshot(engine)
    (landing / "2021-03-22" / "new.txt").write_text("Borrell in Washington\n\nJosep Borrell arrived in Washington on Monday.")
    key = {
        "before discovery": db.lock_key("partition-run", DAY),
        "before the load": db.lock_key("partition-load", DAY),
        "inside the load": db.GLOBAL_LOCK,
    }[where]
    with engine.connect() as blocker:
        blocker.execute(sa.text("select pg_advisory_lock(:k)"), {"k": key})
        proc = _cli(warehouse_url, landing, "run", "--date", "2021-03-22")
        _wait_for_lock_waiter(engine)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        blocker.execute(sa.text("select pg_advisory_unlock(:k)"), {"k": key})
        blocker.commit()
    assert warehouse_snapshot(engine) == before
    result = pipeline.run_partition(engine, settings, DAY)
    assert (result.counts.loaded, result.counts.unchanged) == (1, 2)
    statuses = [r[0] for r in rows(engine, "select status from report.runs order by started_at")]
    assert statuses[-1] == "succeeded" and "running" not in statuses


# --------------------------------------------------------------------------- the database goes away

PG_BIN = Path("/usr/lib/postgresql") / (os.listdir("/usr/lib/postgresql")[0] if Path("/usr/lib/postgresql").exists() else "") / "bin"


@pytest.fixture
def throwaway_server():
    """A PostgreSQL cluster of the test's own on a free port, to stop mid-run."""
    port = free_port()
    # The server runs as the postgres user, which cannot enter pytest's private tmp folders.
    parent = Path(tempfile.mkdtemp(prefix="news-etl-pg-"))
    parent.chmod(0o755)
    data = parent / "pgdata"
    data.mkdir(mode=0o700)
    shutil.chown(data, "postgres")
    as_postgres = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*as_postgres, str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"], check=True, capture_output=True)
    ctl = [*as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", f"-p {port} -k {data} -c listen_addresses=127.0.0.1", "-w"]
    subprocess.run([*ctl, "start", "-l", str(data / "log")], check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/news_warehouse", ctl
    finally:
        subprocess.run([*ctl, "stop", "-m", "immediate"], capture_output=True)
        shutil.rmtree(parent, ignore_errors=True)


def test_database_going_away_mid_run_is_a_clear_error_and_nothing_half_written(throwaway_server, landing):
    url, ctl = throwaway_server
    db.init_db(url)
    engine = db.make_engine(url)
    # Hold the shared-state lock so the run stops inside its load, then stop the server.
    blocker = engine.connect()
    blocker.execute(sa.text("select pg_advisory_lock(:k)"), {"k": db.GLOBAL_LOCK})
    proc = _cli(url, landing, "run", "--date", "2021-03-22")
    _wait_for_lock_waiter(engine)
    blocker.invalidate()
    engine.dispose()
    subprocess.run([*ctl, "stop", "-m", "immediate"], check=True, capture_output=True)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err
    assert "lost the warehouse connection" in err and "Traceback" not in err
    # Back up: the load was rolled back; a re-run completes the partition.
    subprocess.run([*ctl, "start", "-l", "/dev/null"], check=True, capture_output=True)
    engine = db.make_engine(url)
    assert rows(engine, "select count(*) from dwh.dim_article")[0][0] == 0
    proc = _cli(url, landing, "run", "--date", "2021-03-22")
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert rows(engine, "select count(*) from report.articles")[0][0] == 2
    engine.dispose()
