"""The warehouse connection: the embedded fallback server and migrations."""

from __future__ import annotations

import dataclasses
import logging
import shutil
import tempfile
from pathlib import Path

import sqlalchemy as sa

from etl import db
from etl.settings import load_settings
from tests.conftest import free_port


def test_embedded_server_stands_in_when_nothing_answers_at_the_default_address():
    # pgserver logs from an atexit hook, after pytest has closed its capture streams.
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    # Nothing listens on a free port; WAREHOUSE_URL unset means the embedded server may start.
    settings = dataclasses.replace(load_settings({}), warehouse_url=f"postgresql+psycopg2://postgres@127.0.0.1:{free_port()}/news_warehouse")
    data_dir = Path(tempfile.mkdtemp(prefix="news-etl-embedded-"))
    data_dir.chmod(0o755)  # pgserver runs the server as its own user when started as root
    try:
        url, note = db.resolve_warehouse_url(settings, data_dir / "pg")
        assert note and "embedded" in note
        assert db.init_db(url)  # migrations applied: a real server
        engine = db.make_engine(url)
        with engine.connect() as conn:
            assert conn.execute(sa.text("select count(*) from dwh.dim_date")).scalar() > 70000
        engine.dispose()
    finally:
        import pgserver

        pgserver.get_server(data_dir / "pg").cleanup()  # stop it before removing its data
        shutil.rmtree(data_dir, ignore_errors=True)


def test_a_given_warehouse_url_is_used_as_it_is(warehouse_url):
    settings = load_settings({"WAREHOUSE_URL": warehouse_url})
    assert db.resolve_warehouse_url(settings) == (warehouse_url, None)


def test_lock_keys_are_stable_and_distinct():
    assert db.lock_key("partition-run", "2021-03-22") == db.lock_key("partition-run", "2021-03-22")
    assert db.lock_key("partition-run", "2021-03-22") != db.lock_key("partition-load", "2021-03-22")
