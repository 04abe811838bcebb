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
    return subprocess.run([sys.executable, "-m", "etl", *args], capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=300)


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
    done = news_etl("run", "--warehouse-url", warehouse_url, "--landing", str(tmp_path / "no-such-root"), "--date", "2021-03-22")
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


def test_init_db_gives_news_reader_the_password_of_an_environment_variable(warehouse_url, pg_server):
    """What docker-compose's airflow-init does, so psql and news-etl queries log in over the
    network. The role belongs to the server: its password is put back afterwards."""
    query = sa.text("select rolpassword from pg_authid where rolname = 'news_reader'")
    with pg_server.connect() as conn:
        before = conn.execute(query).scalar()
    password = "s3cret-with-'quote"
    try:
        done = news_etl("init-db", "--warehouse-url", warehouse_url, "--reader-password-from-env", "NEWS_ETL_TEST_READER", env={"NEWS_ETL_TEST_READER": password})
        assert done.returncode == 0, done.stderr
        assert "news_reader: password set (from $NEWS_ETL_TEST_READER)" in done.stdout
        assert "s3cret" not in done.stdout + done.stderr
        with pg_server.connect() as conn:
            assert _scram_matches(conn.execute(query).scalar(), password)
        unset = news_etl("init-db", "--warehouse-url", warehouse_url, "--reader-password-from-env", "NEWS_ETL_TEST_UNSET")
        assert unset.returncode != 0 and "$NEWS_ETL_TEST_UNSET is not set" in unset.stderr
    finally:
        with pg_server.connect() as conn:
            if before is None:
                conn.execute(sa.text("alter role news_reader password null"))
            else:  # a stored verifier is taken as it is
                literal = conn.execute(sa.text("select quote_literal(:p)"), {"p": before}).scalar()
                conn.execute(sa.text(f"alter role news_reader password {literal}"))
