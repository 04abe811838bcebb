"""Hostile input and faults: every file accounted for, the warehouse never half-written."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from etl import landing as landing_zone
from etl import pipeline
from etl.errors import ConnectionLost, LockLost, LockTimeout
from etl.settings import load_settings
from etl.warehouse import db, upgrade
from tests.conftest import DEMO_LANDING, cli, free_port, new_warehouse, rows, wait_for_lock_waiter, warehouse_snapshot

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
    (day / "sql.txt").write_text(
        "x'); drop table dwh.dim_article; --\n\nselect * from ops.etl_run; -- said Bobby Tables."
    )
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
    counts = pipeline.load_run(engine, plan.run_id, DAY).counts
    assert (counts.files_seen, counts.loaded, counts.quarantined) == (2, 1, 1) and counts.reconciles
    assert "disappeared" in rows(engine, "select reason from report.quarantine")[0][0]


def test_a_load_retried_after_it_committed_merges_nothing_again(engine, settings):
    """An Airflow `load` whose try committed and then failed (its check, its worker) is
    retried: the retry must report the run's counts and leave the warehouse as it was."""
    plan = pipeline.discover(engine, settings, DAY)
    pipeline.process(engine, settings, plan.run_id, plan.to_process)
    first = pipeline.load_run(engine, plan.run_id, DAY)
    loaded = warehouse_snapshot(engine)
    again = pipeline.load_run(engine, plan.run_id, DAY)
    assert again.counts == first.counts and (first.counts.files_seen, first.counts.loaded) == (2, 2)
    assert warehouse_snapshot(engine) == loaded
    assert pipeline.check_run(engine, plan.run_id).reconciles


@pytest.mark.parametrize(
    "where",
    ["before discovery", "before the load", "inside the load"],
)
def test_kill_9_leaves_the_previous_state_and_the_rerun_completes(engine, settings, landing, warehouse_url, where):
    """Kill the run where it waits for a lock the test holds: before it starts, after it has
    staged its rows, and inside its load transaction."""
    pipeline.run_partition(engine, settings, DAY)
    before = warehouse_snapshot(engine)
    (landing / "2021-03-22" / "new.txt").write_text(
        "Borrell in Washington\n\nJosep Borrell arrived in Washington on Monday."
    )
    key = {
        "before discovery": db.lock_key("partition-run", DAY),
        "before the load": db.lock_key("partition-load", DAY),
        "inside the load": db.GLOBAL_LOCK,
    }[where]
    with engine.connect() as blocker:
        blocker.execute(sa.text("select pg_advisory_lock(:k)"), {"k": key})
        proc = cli(warehouse_url, landing, "run", "--date", "2021-03-22")
        wait_for_lock_waiter(engine)
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

PG_BIN = (
    Path("/usr/lib/postgresql")
    / (os.listdir("/usr/lib/postgresql")[0] if Path("/usr/lib/postgresql").exists() else "")
    / "bin"
)


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
    subprocess.run(
        [*as_postgres, str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"],
        check=True,
        capture_output=True,
    )
    ctl = [
        *as_postgres,
        str(PG_BIN / "pg_ctl"),
        "-D",
        str(data),
        "-o",
        f"-p {port} -k {data} -c listen_addresses=127.0.0.1",
        "-w",
    ]
    subprocess.run([*ctl, "start", "-l", str(data / "log")], check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/news_warehouse", ctl
    finally:
        subprocess.run([*ctl, "stop", "-m", "immediate"], capture_output=True)
        shutil.rmtree(parent, ignore_errors=True)


def test_database_going_away_mid_run_is_a_clear_error_and_nothing_half_written(throwaway_server, landing):
    url, ctl = throwaway_server
    upgrade.init_db(url)
    engine = db.make_engine(url)
    # Hold the shared-state lock so the run stops inside its load, then stop the server.
    blocker = engine.connect()
    blocker.execute(sa.text("select pg_advisory_lock(:k)"), {"k": db.GLOBAL_LOCK})
    proc = cli(url, landing, "run", "--date", "2021-03-22")
    wait_for_lock_waiter(engine)
    blocker.invalidate()
    engine.dispose()
    subprocess.run([*ctl, "stop", "-m", "immediate"], check=True, capture_output=True)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err
    assert "lost the warehouse connection" in err and "load was rolled back" in err and "Traceback" not in err
    # Back up: the load was rolled back; a re-run completes the partition.
    subprocess.run([*ctl, "start", "-l", "/dev/null"], check=True, capture_output=True)
    engine = db.make_engine(url)
    assert rows(engine, "select count(*) from dwh.dim_article")[0][0] == 0
    proc = cli(url, landing, "run", "--date", "2021-03-22")
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert rows(engine, "select count(*) from report.articles")[0][0] == 2
    engine.dispose()


def test_sigterm_ends_a_run_recorded_as_failed_with_a_message(engine, warehouse_url, landing):
    """What docker stop, systemd and timeout send: the run stops, says so, and its record is not left running."""
    with engine.connect() as blocker:  # the run waits inside its load for the shared-state lock
        blocker.execute(sa.text("select pg_advisory_lock(:k)"), {"k": db.GLOBAL_LOCK})
        proc = cli(warehouse_url, landing, "run", "--date", "2021-03-22")
        wait_for_lock_waiter(engine)
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert "stopped by SIGTERM" in err and "Traceback" not in err
    assert rows(engine, "select status, error from ops.etl_run") == [("failed", "Interrupted: stopped by SIGTERM")]
    assert rows(engine, "select count(*) from dwh.dim_article")[0][0] == 0


def test_a_connection_lost_after_the_load_committed_says_the_day_is_loaded(engine, settings, monkeypatch):
    """ "Rolled back" only when it was: a connection lost during the check follows a committed load."""

    def lost(*_args):
        raise sa.exc.OperationalError("select 1", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(pipeline, "check_run", lost)
    with pytest.raises(ConnectionLost, match="the load had committed before") as raised:
        pipeline.run_partition(engine, settings, date(2021, 3, 22))
    assert raised.value.committed and "rolled back" not in str(raised.value)
    assert rows(engine, "select count(*) from report.articles")[0][0] == 2


def test_a_connection_lost_while_waiting_for_a_lock_raises_its_own_error(engine):
    """What the CLI maps to "lost the warehouse connection" (exit 2), not an error about the
    dead connection's pending rollback."""
    key = db.lock_key("test", "lost-while-waiting")
    with engine.connect() as holder, engine.connect() as waiter:
        holder.execute(sa.text("select pg_advisory_lock(:k)"), {"k": key})
        waiter_pid = waiter.execute(sa.text("select pg_backend_pid()")).scalar()

        def terminate_the_waiter():
            wait_for_lock_waiter(engine)
            holder.execute(sa.text("select pg_terminate_backend(:p)"), {"p": waiter_pid})

        with ThreadPoolExecutor(1) as pool:
            terminated = pool.submit(terminate_the_waiter)
            with pytest.raises(sa.exc.OperationalError):
                db.acquire(waiter, key, "the test lock", timeout_s=60)
            terminated.result()


# --------------------------------------------------------------------------- round two


def test_nothing_outside_the_landing_zone_is_read(engine, settings, landing, tmp_path):
    """Symlinks to system files, a partition folder linked to another folder, a pipe."""
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "key.txt").write_text("Secret key\n\nThe key is in Brussels.")
    day = landing / "2021-03-22"
    (day / "passwd.txt").symlink_to("/etc/passwd")
    (day / "status.txt").symlink_to("/proc/self/status")
    (day / "key.txt").symlink_to(secrets / "key.txt")
    os.mkfifo(day / "pipe.txt")
    (landing / "2021-03-23").symlink_to(secrets)
    result = pipeline.run_partition(engine, settings, DAY)
    assert (result.counts.loaded, result.counts.quarantined) == (2, 4)
    reasons = dict(rows(engine, "select split_part(path, '/', 2), reason from report.quarantine"))
    assert reasons == {
        "passwd.txt": "symlink leaves the landing zone",
        "status.txt": "symlink leaves the landing zone",
        "key.txt": "symlink leaves the landing zone",
        "pipe.txt": "not a regular file (device, pipe or socket)",
    }
    # A day whose only file is refused fails its check, with the file in the quarantine.
    with pytest.raises(pipeline.ReconciliationFailed, match="all quarantined"):
        pipeline.run_partition(engine, settings, date(2021, 3, 23))
    assert rows(engine, "select reason from report.quarantine where path = '2021-03-23/key.txt'") == [
        ("symlink leaves the landing zone",)
    ]
    assert "Secret key" not in {r[0] for r in rows(engine, "select title from report.articles")}


def test_no_single_file_stops_a_day(engine, settings, landing):
    """Each of these once failed the whole partition."""
    day = landing / "2021-03-22"
    (day / os.fsdecode(b"caf\xe9-latin1-name.txt")).write_text("A name not in UTF-8\n\nIt still loads, in Paris.")
    (day / "one-line.txt").write_text("x" * (5 * 1024 * 1024))
    (day / "far-future.txt").write_text(
        " date 9999-12-31 Far Future Times\nThe end of days\n\nIt happens tomorrow in Rome."
    )
    (day / "far-past.txt").write_text(" date 0001-01-01 Old News\nThe first day\n\nIt happened yesterday in Rome.")
    long_source = "The " + "Very " * 600 + "Long Gazette"
    (day / "long-source.txt").write_text(
        f" date 2021-03-22 {long_source}\nA long outlet\n\nMario Draghi spoke in Rome."
    )
    (day / "mojibake.txt").write_bytes(bytes(range(0x80, 0x100)) * 32)
    result = pipeline.run_partition(engine, settings, DAY)
    c = result.counts
    assert c.reconciles and c.files_seen == 8
    quarantined = dict(rows(engine, "select split_part(path, '/', 2), reason from report.quarantine"))
    assert quarantined.get("mojibake.txt", "").startswith("not text")
    paths = {r[0] for r in rows(engine, "select path from report.articles")}
    assert "2021-03-22/caf\\xe9-latin1-name.txt" in paths  # the byte kept, written as \xNN
    titles = {r[0] for r in rows(engine, "select title from report.articles")}
    assert {"A name not in UTF-8", "The end of days", "The first day", "A long outlet"} <= titles
    assert rows(engine, "select source from report.articles where title = 'A long outlet'")[0][0] == long_source
    again = pipeline.run_partition(engine, settings, DAY)  # the odd name is found again, unchanged
    assert again.counts.unchanged == c.loaded


# Any name a POSIX file system takes (bytes but "/" and NUL), but the names landing skips.
file_names = (
    st.binary(min_size=1, max_size=40)
    .map(lambda b: b.replace(b"/", b"_").replace(b"\0", b"_"))
    .filter(lambda b: b not in (b".", b"..") and not landing_zone.is_skipped_name(os.fsdecode(b)))
)
file_bodies = st.one_of(
    st.binary(max_size=4096),  # bytes
    st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),  # any text
    st.text(max_size=300).map(lambda t: ("Headline\n\n" + t).encode("utf-8", "surrogatepass")),  # an article's shape
    st.integers(1, 20_000).map(lambda n: b"word " * n),  # one long line
)


@hypothesis_settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(files=st.dictionaries(file_names, file_bodies, min_size=1, max_size=5))
def test_hostile_files_beside_good_ones_never_stop_the_day(files, pg_server, template_db, tmp_path_factory):
    root = tmp_path_factory.mktemp("landing")
    shutil.copytree(DEMO_LANDING, root, dirs_exist_ok=True)
    day = root / DAY.isoformat()
    good = sorted(p.name for p in day.iterdir())
    for name, body in files.items():
        if os.fsdecode(name) not in good:
            (day / os.fsdecode(name)).write_bytes(body)
    with new_warehouse(pg_server, template_db) as url:
        engine = db.make_engine(url)
        result = pipeline.run_partition(engine, load_settings({}).override(landing_dir=root, warehouse_url=url), DAY)
        loaded = {r[0] for r in rows(engine, "select path from report.articles")}
        engine.dispose()
    c = result.counts
    assert c.files_seen == len(list(day.iterdir()))
    assert c.reconciles
    assert {f"{DAY.isoformat()}/{name}" for name in good} <= loaded


@hypothesis_settings(max_examples=20, deadline=None)
@given(name=file_names)
def test_every_file_name_has_a_path_text_that_gives_it_back(name):
    text = landing_zone.path_text(os.fsdecode(name))
    assert os.fsencode(landing_zone.locate(Path("/landing"), f"{DAY.isoformat()}/{text}").name) == name
    text.encode("utf-8")  # a path text is text: it goes into the warehouse


def test_a_name_written_like_an_escaped_byte_and_the_byte_itself_are_two_files(engine, settings, landing):
    """ "a\\xff.txt" spelled out and a name with the byte 0xFF used to share one path text."""
    day = landing / DAY.isoformat()
    article = (day / "000_f482f422a3fa26a5.txt").read_bytes()
    (day / "a\\xff.txt").write_bytes(article + b"\nOne.\n")
    (day / os.fsdecode(b"a\xff.txt")).write_bytes(article + b"\nTwo.\n")
    result = pipeline.run_partition(engine, settings, DAY)
    assert (result.counts.files_seen, result.counts.loaded) == (4, 4)
    paths = {r[0] for r in rows(engine, "select path from report.articles")}
    assert {f"{DAY.isoformat()}/a\\x5cxff.txt", f"{DAY.isoformat()}/a\\xff.txt"} <= paths


def test_a_partition_that_cannot_be_listed_fails_alone(engine, settings, landing, warehouse_url):
    (landing / "2021-03-23").symlink_to(landing / "2021-03-23")  # a loop
    (landing / "2021-03-24").mkdir()
    shutil.copy(landing / "2021-03-22" / "000_f482f422a3fa26a5.txt", landing / "2021-03-24" / "copy.txt")
    proc = cli(warehouse_url, landing, "run", "--from", "2021-03-22", "--to", "2021-03-24")
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1 and "Traceback" not in err
    assert "1 of 3 partition(s) failed: 2021-03-23" in err
    runs = dict(rows(engine, "select partition_date::text, status from report.runs"))
    assert runs == {"2021-03-22": "succeeded", "2021-03-23": "failed", "2021-03-24": "succeeded"}
    error = rows(engine, "select error from report.runs where status = 'failed'")[0][0]
    assert "cannot list the partition folder" in error


def test_a_failed_run_is_recorded_and_leaves_no_staged_rows(engine, settings, monkeypatch):
    def broken_merge(*_args, **_kwargs):
        raise RuntimeError("the merge broke")

    monkeypatch.setattr(pipeline.load, "merge_run", broken_merge)
    with pytest.raises(RuntimeError):
        pipeline.run_partition(engine, settings, DAY)
    assert rows(engine, "select status, error from report.runs") == [("failed", "RuntimeError: the merge broke")]
    staged = rows(engine, "select (select count(*) from staging.article) + (select count(*) from staging.run_file)")[0][
        0
    ]
    assert staged == 0


def _end_the_session_holding(conn, key: int) -> None:
    """End the session holding an advisory lock of this test's database (others run beside it)."""
    conn.execute(
        sa.text(
            "select pg_terminate_backend(l.pid) from pg_locks l join pg_database d on d.oid = l.database"
            " where l.locktype = 'advisory' and l.objid = (:k & 4294967295)::oid and d.datname = current_database()"
        ),
        {"k": key},
    )


def test_a_run_that_loses_its_partition_lock_loads_nothing(engine, settings, monkeypatch):
    key = db.lock_key("partition-run", DAY)
    real_process_all = pipeline._process_all

    def process_then_drop_the_lock(*args, **kwargs):
        real_process_all(*args, **kwargs)
        with engine.connect() as conn:  # as a server restart would: the lock's session ends
            _end_the_session_holding(conn, key)

    monkeypatch.setattr(pipeline, "_process_all", process_then_drop_the_lock)
    with pytest.raises(LockLost):
        pipeline.run_partition(engine, settings, DAY)
    assert rows(engine, "select count(*) from dwh.dim_article")[0][0] == 0
    assert rows(engine, "select status from report.runs")[0][0] == "failed"


def test_losing_the_lock_connection_after_the_load_is_no_false_alarm(engine, settings, monkeypatch):
    key = db.lock_key("partition-run", DAY)
    real_check = pipeline.check_run

    def check_then_drop_the_lock(engine_, run_id):
        counts = real_check(engine_, run_id)
        with engine.connect() as conn:
            _end_the_session_holding(conn, key)
        return counts

    monkeypatch.setattr(pipeline, "check_run", check_then_drop_the_lock)
    result = pipeline.run_partition(engine, settings, DAY)  # no error: the load committed
    assert result.counts.loaded == 2
    assert rows(engine, "select status from report.runs")[0][0] == "succeeded"


def test_readers_cannot_take_the_pipelines_locks_and_a_blocked_lock_names_its_holder(engine, warehouse_url):
    from sqlalchemy.engine import make_url

    reader = db.make_engine(make_url(warehouse_url).set(username="news_reader"))
    with reader.connect() as conn, pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
        conn.execute(sa.text("select pg_advisory_lock(:k)"), {"k": db.GLOBAL_LOCK})
    reader.dispose()
    with engine.connect() as holder:
        holder.execute(sa.text("set application_name = 'someone-else'"))
        holder.execute(sa.text("select pg_advisory_lock(:k)"), {"k": db.GLOBAL_LOCK})
        with engine.begin() as conn, pytest.raises(LockTimeout, match="someone-else"):
            db.lock_shared_state(conn, timeout_s=0.5)


def test_the_primary_of_a_duplicate_rewritten_leaves_its_copy_an_article(engine, settings, landing):
    day = landing / "2021-03-22"
    shutil.copy(day / "000_f482f422a3fa26a5.txt", day / "zzz_copy.txt")
    pipeline.run_partition(engine, settings, DAY)
    (day / "000_f482f422a3fa26a5.txt").write_text("Rewritten\n\nA different story about Rome.")
    result = pipeline.run_partition(engine, settings, DAY)
    assert result.counts.reconciles
    articles = dict(rows(engine, "select split_part(path, '/', 2), title from report.articles"))
    assert articles["zzz_copy.txt"] == "Blinken Heads to Europe to Boost Alliances"
    assert articles["000_f482f422a3fa26a5.txt"] == "Rewritten"


def test_a_day_of_look_alike_briefs_decides_no_impossible_story_pairs(engine, settings, tmp_path):
    """Two-line briefs from one template share MinHash bands and places with every other brief
    of the day, yet none can be one story with another (too short to match on text, too few
    entities to match on them): no pair is even a candidate, so the day costs what its files do."""
    from etl.dev.bench_lookalike import templated_briefs

    templated_briefs(tmp_path / "landing" / "2021-06-01", 120)
    result = pipeline.run_partition(engine, settings.override(landing_dir=tmp_path / "landing"), date(2021, 6, 1))
    assert result.counts.loaded == 120
    assert result.load.stories.candidates == 0 and result.load.stories.articles_dirty == 120


def test_a_file_over_the_time_budget_is_quarantined_and_the_day_goes_on(engine, settings, landing):
    """The size limit bounds a file's bytes, not its cost: a file whose enrichment runs past
    NEWS_ETL_MAX_FILE_SECONDS is quarantined with that reason, and the day's other files load."""
    long_report = landing / "2021-03-22" / "long.txt"
    long_report.write_text("A long report\n\n" + "The minister met officials in Paris and Berlin on Monday. " * 6000)
    result = pipeline.run_partition(engine, settings.override(max_file_seconds=0.5), date(2021, 3, 22))
    assert (result.counts.loaded, result.counts.quarantined) == (2, 1)
    assert rows(engine, "select path, reason from report.quarantine") == [
        ("2021-03-22/long.txt", "enrichment took longer than 0.5 s, the per-file budget (NEWS_ETL_MAX_FILE_SECONDS)")
    ]


def test_a_run_another_run_took_over_between_its_steps_fails_saying_so(engine, settings):
    """Airflow's tasks are apart: a CLI run of the day between the DAG's discover and load
    abandons the DAG's run. Its load must fail naming why, not record an empty day as done."""
    from etl.errors import RunSuperseded

    airflow_run = pipeline.discover(engine, settings, DAY)  # what the DAG's discover does
    cli_run = pipeline.run_partition(engine, settings, DAY)  # a whole CLI run in between
    assert cli_run.counts.loaded == 2
    with pytest.raises(RunSuperseded, match="another run of the day took over"):
        pipeline.load_run(engine, airflow_run.run_id, DAY)
    status, files_seen, error = rows(
        engine, "select status, files_seen, error from ops.etl_run where run_id = :r", r=airflow_run.run_id
    )[0]
    assert (status, files_seen) == ("failed", 2) and "abandoned" in error
    assert rows(engine, "select count(*) from report.articles")[0][0] == 2


def test_a_hard_link_to_a_file_outside_the_landing_zone_is_quarantined_unless_allowed(
    engine, settings, landing, tmp_path
):
    outside = tmp_path / "secret.txt"
    outside.write_text("Private notes\n\nNot for the warehouse.\n")
    os.link(outside, landing / DAY.isoformat() / "linked.txt")
    result = pipeline.run_partition(engine, settings, DAY)
    assert (result.counts.loaded, result.counts.quarantined) == (2, 1)
    [(reason,)] = rows(engine, "select reason from report.quarantine")
    assert reason.startswith("hard link: the file has 2 names")
    allowed = pipeline.run_partition(engine, settings.override(allow_hard_links=True), DAY)
    assert allowed.counts.loaded == 1
