"""The command line as a user meets it: one clear line for each mistake, no tracebacks, no
passwords in any output."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.conftest import SERVER_URL, free_port


def news_etl(*args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "etl", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def test_the_help_lists_a_users_commands_and_keeps_the_developers_under_dev():
    users = news_etl("--help").stdout.split("Commands:")[1].split()
    assert {"init-db", "run", "enrich", "demo", "queries", "override", "resolve", "dev"} <= set(users)
    assert not {"evaluate", "bench", "bench-airflow", "train-ner"} & set(users)
    developers = news_etl("dev", "--help").stdout.split("Commands:")[1].split()
    assert {"evaluate", "bench", "bench-enrich", "bench-scale", "bench-airflow", "train-ner"} <= set(developers)


@pytest.mark.parametrize(
    "url, message",
    [
        ("not a url", "not a database URL"),
        ("mysql://root:hunter2@127.0.0.1/news", "the warehouse is PostgreSQL, not mysql"),
    ],
)
def test_a_bad_warehouse_url_is_one_clear_line(url, message):
    done = news_etl("init-db", "--warehouse-url", url)  # the option after the subcommand, too
    assert done.returncode == 1 and message in done.stderr
    assert "Traceback" not in done.stderr and "hunter2" not in done.stderr + done.stdout


def test_queries_on_a_database_that_does_not_exist_say_so_and_create_nothing(pg_server):
    name = f"news_etl_test_missing_{free_port()}"
    url = make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
    done = news_etl("queries", "--warehouse-url", url)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert name in done.stderr
    with pg_server.connect() as conn:
        assert not conn.execute(sa.text("select 1 from pg_database where datname = :n"), {"n": name}).first()


def test_a_landing_root_that_does_not_exist_is_an_error(warehouse_url, tmp_path):
    done = news_etl(
        "run", "--warehouse-url", warehouse_url, "--landing", str(tmp_path / "no-such-root"), "--date", "2021-03-22"
    )
    assert done.returncode == 1 and "landing root" in done.stderr and "does not exist" in done.stderr
    assert "Traceback" not in done.stderr


def test_demo_prints_no_password(warehouse_url):
    # The machine's server trusts local connections: the password is never checked, only carried.
    url = make_url(warehouse_url).set(password="hunter2").render_as_string(hide_password=False)
    done = news_etl("demo", env={"WAREHOUSE_URL": url})
    assert done.returncode == 0, done.stderr
    assert "hunter2" not in done.stdout + done.stderr
    assert "news_reader@" in done.stdout


def _scram_matches(verifier: str, password: str) -> bool:
    """Whether PostgreSQL's SCRAM-SHA-256 verifier (pg_authid.rolpassword) is of this password."""
    import base64
    import hashlib
    import hmac

    method, rest = verifier.split("$", 1)
    params, keys = rest.split("$")
    iterations, salt = params.split(":")
    stored_key = keys.split(":")[0]
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt), int(iterations))
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    return method == "SCRAM-SHA-256" and base64.b64encode(hashlib.sha256(client_key).digest()).decode() == stored_key


@pytest.fixture
def reader_password_kept(pg_server):
    """news_reader belongs to the server: its password is put back after the test."""
    query = sa.text("select rolpassword from pg_authid where rolname = 'news_reader'")
    with pg_server.connect() as conn:
        before = conn.execute(query).scalar()
    yield query
    with pg_server.connect() as conn:
        if before is None:
            conn.execute(sa.text("alter role news_reader password null"))
        else:  # a stored verifier is taken as it is (its ":" are no bind parameters)
            literal = conn.execute(sa.text("select quote_literal(:p)"), {"p": before}).scalar()
            conn.exec_driver_sql(f"alter role news_reader password {literal}")


def test_init_db_gives_news_reader_the_password_of_an_environment_variable(
    warehouse_url, pg_server, reader_password_kept
):
    """What docker-compose's airflow-init does, so psql and news-etl queries log in over the network."""
    password = "s3cret-with-'quote"
    done = news_etl(
        "init-db",
        "--warehouse-url",
        warehouse_url,
        "--reader-password-from-env",
        "NEWS_ETL_TEST_READER",
        env={"NEWS_ETL_TEST_READER": password},
    )
    assert done.returncode == 0, done.stderr
    assert "news_reader: password set (from $NEWS_ETL_TEST_READER)" in done.stdout
    assert "s3cret" not in done.stdout + done.stderr
    with pg_server.connect() as conn:
        assert _scram_matches(conn.execute(reader_password_kept).scalar(), password)
    unset = news_etl("init-db", "--warehouse-url", warehouse_url, "--reader-password-from-env", "NEWS_ETL_TEST_UNSET")
    assert unset.returncode != 0 and "$NEWS_ETL_TEST_UNSET is not set" in unset.stderr


def test_the_reader_password_never_reaches_the_server_in_clear(warehouse_url, reader_password_kept):
    """What the server can log of init-db --reader-password-from-env: the verifier, not the password."""
    from etl.warehouse import db

    engine = db.make_engine(warehouse_url)
    statements = []
    sa.event.listen(
        engine,
        "before_cursor_execute",
        lambda conn, cursor, statement, params, *_: statements.append(f"{statement} {params}"),
    )
    try:
        verifier = db.scram_verifier("s3cret-pass")
        assert _scram_matches(verifier, "s3cret-pass") and not _scram_matches(verifier, "other")
        db.set_reader_password(engine, "s3cret-pass")
    finally:
        engine.dispose()
    assert statements and not any("s3cret-pass" in s for s in statements)


def test_a_run_on_a_database_that_does_not_exist_creates_nothing(pg_server, tmp_path):
    """A misspelt name in WAREHOUSE_URL is an error, never a new empty warehouse."""
    name = f"news_etl_test_misspelt_{free_port()}"
    url = make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
    for args in (("run", "--date", "2021-03-22", "--landing", str(tmp_path)), ("resolve",), ("override", "list")):
        done = news_etl(*args, "--warehouse-url", url)
        assert done.returncode == 1 and "no database at" in done.stderr and "init-db" in done.stderr, done.stderr
    with pg_server.connect() as conn:
        assert not conn.execute(sa.text("select 1 from pg_database where datname = :n"), {"n": name}).first()


@pytest.mark.parametrize(
    "args, message",
    [
        (("--date", "20210404"), "'20210404' is not a date"),
        (("--date", "2021-W14-1"), "'2021-W14-1' is not a date"),
        (("--from", "0001-01-01", "--to", "9999-12-31"), "one command runs at most 3660"),
    ],
)
def test_days_are_strict_iso_dates_and_ranges_are_bounded(warehouse_url, tmp_path, args, message):
    done = news_etl("run", "--warehouse-url", warehouse_url, "--landing", str(tmp_path), *args)
    assert done.returncode != 0 and message in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_a_folder_named_like_a_day_that_is_none_is_reported(warehouse_url, tmp_path):
    (tmp_path / "2021-03-22").mkdir()
    (tmp_path / "2021-02-30").mkdir()
    (tmp_path / "2021-3-5").mkdir()
    (tmp_path / "archive").mkdir()  # not meant as a day: not reported
    done = news_etl("run", "--warehouse-url", warehouse_url, "--landing", str(tmp_path), "--date", "2021-03-22")
    assert done.returncode == 0, done.stderr
    assert (
        "warning: the landing zone has folders named like a day that is none, never loaded: 2021-02-30, 2021-3-5"
        in done.stderr
    )
