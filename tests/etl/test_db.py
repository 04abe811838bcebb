"""The warehouse connection: the embedded fallback server and migrations."""

from __future__ import annotations

import dataclasses
import logging
import shutil
import subprocess
import tempfile
import uuid
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from etl.errors import MigrationMissing, SqlFileFailed
from etl.settings import load_settings
from etl.warehouse import db, upgrade
from tests.conftest import free_port


def test_embedded_server_stands_in_when_nothing_answers_at_the_default_address():
    # pgserver logs from an atexit hook, after pytest has closed its capture streams.
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    # Nothing listens on a free port; WAREHOUSE_URL unset means the embedded server may start.
    settings = dataclasses.replace(
        load_settings({}), warehouse_url=f"postgresql+psycopg2://postgres@127.0.0.1:{free_port()}/news_warehouse"
    )
    data_dir = Path(tempfile.mkdtemp(prefix="news-etl-embedded-"))
    data_dir.chmod(0o755)  # pgserver runs the server as its own user when started as root
    try:
        url, note = db.resolve_warehouse_url(settings, data_dir / "pg")
        assert note and "embedded" in note
        assert upgrade.init_db(url)  # migrations applied: a real server
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


UPGRADE = Path(__file__).resolve().parents[1] / "fixtures" / "upgrade"
# The upgrade re-resolves entities by this version's rules (a newer RESOLUTION_VERSION may join
# "WSJ" to "Wall Street Journal"): what it must keep of them is every mention, article by article.
KEPT_MENTIONS = "select article_id, sum(mentions) from report.entity_mentions group by article_id"
# What analysts see, and must see the same after an upgrade (every column but load times).
REPORTED = {
    "articles": "select article_id, path, title, source, published_date, published_basis, partition_date, story_id from report.articles",
    "entity_mentions": KEPT_MENTIONS,
    "date_mentions": "select article_id, text, value, end_value, granularity, start_date, end_date, published_date from report.date_mentions",
    "stories": "select * from report.stories",
}


def _reported(engine) -> dict[str, list]:
    with engine.connect() as conn:
        return {view: sorted(map(tuple, conn.execute(sa.text(sql)))) for view, sql in REPORTED.items()}


def test_a_warehouse_of_schema_5_upgrades_to_what_a_fresh_load_gives(pg_server, template_db, tmp_path):
    """A warehouse built before the incremental load (migrations 0001-0005, dumped in the
    fixture) keeps every reported row through the upgrade, and then equals a warehouse
    built fresh from the same files."""
    from etl import pipeline
    from etl.warehouse import overrides
    from tests.conftest import SERVER_URL, new_warehouse, warehouse_snapshot

    name = f"news_etl_test_v5_{uuid.uuid4().hex[:8]}"
    with pg_server.connect() as conn:
        conn.execute(sa.text(f'create database "{name}"'))
    url = make_url(SERVER_URL).set(database=name)
    try:
        psql_url = url.set(drivername="postgresql").render_as_string(hide_password=False)
        _psql(psql_url, "-f", str(UPGRADE / "warehouse_v5.sql"))
        # The dump keeps only the calendar days its facts use.
        _psql(psql_url, "-c", "select dwh.fill_dim_date(date '1900-01-01', date '2100-12-31')")
        old = db.make_engine(url)
        before = _reported(old)
        assert before["articles"] and before["entity_mentions"]

        applied = upgrade.upgrade(old)
        assert applied[:3] == [
            "0006_key_sources_by_folded_name.sql",
            "0007_partition_facts_by_month.sql",
            "0008_create_incremental_resolution_state.sql",
        ]  # and any later ones
        assert _reported(old) == before

        landing = tmp_path / "landing"
        shutil.copytree(UPGRADE / "landing", landing)
        settings = load_settings({}).override(
            landing_dir=landing, warehouse_url=url.render_as_string(hide_password=False)
        )
        days = sorted(date.fromisoformat(p.name) for p in landing.iterdir())
        for day in days:  # unchanged files stay unchanged; a newer enrichment re-processes them
            pipeline.run_partition(old, settings, day)
        with new_warehouse(pg_server, template_db) as fresh_url:
            fresh = db.make_engine(fresh_url)
            overrides.add_override(fresh, "merge", "EU", "European Union")
            for day in days:
                pipeline.run_partition(fresh, settings.override(warehouse_url=fresh_url), day)
            upgraded, fresh_ = warehouse_snapshot(old), warehouse_snapshot(fresh)
            for snapshot in (upgraded, fresh_):  # when and in which order it was recorded
                snapshot["entity_override"] = [row[1:4] for row in snapshot["entity_override"]]
            assert upgraded == fresh_
            fresh.dispose()
        old.dispose()
    finally:
        with pg_server.connect() as conn:
            conn.execute(sa.text(f'drop database if exists "{name}" with (force)'))


def _psql(url: str, *args: str) -> None:
    done = subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", *args, url], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_an_applied_migration_that_changed_is_an_error(engine, monkeypatch):
    from etl.errors import MigrationChanged

    files = db._migration_files()
    edited = [(name, sql + "\n-- edited" if name.startswith("0002") else sql) for name, sql in files]
    monkeypatch.setattr(db, "_migration_files", lambda: edited)
    with pytest.raises(MigrationChanged, match="0002_fill_dim_date.sql"):
        db.migrate(engine)


def test_views_are_replaced_without_dropping_what_analysts_built_on_them(engine, monkeypatch):
    from etl.errors import ViewHasDependants

    with engine.begin() as conn:
        conn.execute(sa.text("create view public.my_articles as select article_id, title from report.articles"))
    views = db._view_files()
    # A new column at the end: replaced in place, the analyst's view stays.
    grown = [
        (
            n,
            s.replace("a.author\n", "a.author,\n        a.language as language_again\n")
            if n == "report_articles.sql"
            else s,
        )
        for n, s in views
    ]
    monkeypatch.setattr(db, "_view_files", lambda: grown)
    db._create_views(engine, force=False)
    with engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from public.my_articles")).scalar() == 0
    # A column removed: the view must be dropped, which would take the analyst's view along.
    shrunk = [(n, s.replace("        a.title,\n", "") if n == "report_articles.sql" else s) for n, s in views]
    monkeypatch.setattr(db, "_view_files", lambda: shrunk)
    with pytest.raises(ViewHasDependants, match="my_articles"):
        db._create_views(engine, force=False)


def test_an_applied_migration_whose_file_is_gone_is_an_error(engine, monkeypatch):
    """A warehouse made by a newer install, or a deleted migration file: nothing is touched."""
    files = db._migration_files()
    monkeypatch.setattr(db, "_migration_files", lambda: files[:-1])
    with pytest.raises(MigrationMissing, match=files[-1][0]):
        db.migrate(engine)
    with pytest.raises(MigrationMissing, match=files[-1][0]):
        db.require_current_schema(engine)


def test_a_view_file_postgresql_rejects_is_one_clear_error(engine, monkeypatch):
    monkeypatch.setattr(
        db, "_view_files", lambda: [("report_broken.sql", "create or replace view report.broken as selec 1;")]
    )
    with pytest.raises(SqlFileFailed, match=r"the view file report_broken.sql failed: syntax error"):
        db._create_views(engine, force=True)
