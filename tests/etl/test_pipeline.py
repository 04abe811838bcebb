"""The pipeline against a real PostgreSQL: idempotence, versions, duplicates, bad files."""

from __future__ import annotations

import shutil
import signal
from datetime import date

import sqlalchemy as sa

from etl import pipeline
from etl.warehouse import db, upgrade
from tests.conftest import (
    BBC_LANDING,
    cli,
    empty_warehouse,
    new_warehouse,
    rows,
    wait_for_lock_waiter,
    warehouse_snapshot,
)

DAY = date(2021, 3, 22)


def run(engine, settings, day=DAY, **kw):
    return pipeline.run_partition(engine, settings, day, **kw)


def test_run_loads_the_demo_partition(engine, settings):
    result = run(engine, settings)
    assert (result.counts.files_seen, result.counts.loaded) == (2, 2)
    articles = rows(
        engine, "select path, title, published_date, published_basis, source from report.articles order by path"
    )
    assert articles == [
        (
            "2021-03-22/000_f482f422a3fa26a5.txt",
            "Blinken Heads to Europe to Boost Alliances",
            date(2021, 3, 22),
            "partition",
            None,
        ),
        (
            "2021-03-22/004_c5d559a7d65a04c6.txt",
            "PREVIEW - Blinken Visiting Brussels to Strengthen Alliances With NATO, EU",
            date(2021, 3, 23),
            "header",
            "UrduPoint.com",
        ),
    ]
    # The raw text is kept, so history can be re-processed after the landing zone is purged.
    raw = rows(
        engine,
        "select raw_text from dwh.article_text join dwh.dim_article using (article_id, sha256) where path like '%004_%'",
    )[0][0]
    assert raw.startswith(" date 2021-03-23 UrduPoint.com")
    runs = rows(engine, "select files_seen, loaded, unchanged, duplicates, quarantined, status from report.runs")
    assert runs == [(2, 2, 0, 0, 0, "succeeded")]


def test_a_day_processed_in_worker_processes_equals_one_processed_here(
    engine, settings, pg_server, template_db, tmp_path
):
    day = date(2021, 3, 16)
    landing = tmp_path / "bbc"
    shutil.copytree(BBC_LANDING / day.isoformat(), landing / day.isoformat())
    settings = settings.override(landing_dir=landing, nlp_processes=2)
    assert len(list((landing / day.isoformat()).iterdir())) >= pipeline.MIN_FILES_FOR_WORKERS
    with pipeline.nlp_workers(settings) as workers:
        run(engine, settings, day, workers=workers)
        assert workers.started
    with new_warehouse(pg_server, template_db) as here_url:
        here = db.make_engine(here_url)
        try:
            run(here, settings.override(warehouse_url=here_url), day)
            assert warehouse_snapshot(engine) == warehouse_snapshot(here)
        finally:
            here.dispose()


def test_a_small_day_starts_no_worker_processes(engine, settings):
    with pipeline.nlp_workers(settings.override(nlp_processes=2)) as workers:
        assert run(engine, settings, workers=workers).counts.loaded == 2
        assert not workers.started


def test_run_twice_leaves_the_warehouse_identical_and_does_no_work(engine, settings, monkeypatch):
    run(engine, settings)
    before = warehouse_snapshot(engine)

    def no_work(*a, **k):
        raise AssertionError("an unchanged partition must not be parsed or enriched again")

    monkeypatch.setattr(pipeline, "process", no_work)
    second = run(engine, settings)
    assert (second.counts.loaded, second.counts.unchanged) == (0, 2)
    assert warehouse_snapshot(engine) == before


def test_forced_rerun_reprocesses_into_the_same_warehouse(engine, settings):
    run(engine, settings)
    before = warehouse_snapshot(engine)
    forced = run(engine, settings, force=True)
    assert (forced.counts.loaded, forced.counts.unchanged) == (2, 0)
    assert warehouse_snapshot(engine) == before


def test_changed_file_becomes_a_new_version_and_old_facts_go(engine, settings, landing):
    run(engine, settings)
    path = landing / "2021-03-22" / "004_c5d559a7d65a04c6.txt"
    path.write_text(
        " date 2021-03-24 UrduPoint.com\nBlinken meets Borrell\n\nBRUSSELS (UrduPoint News - 24th March, 2021) Antony Blinken met Josep Borrell on Wednesday.\n"
    )
    result = run(engine, settings)
    assert (result.counts.loaded, result.counts.unchanged) == (1, 1)
    versions = rows(
        engine, "select is_current, published_date from dwh.dim_article where path like '%004_%' order by is_current"
    )
    assert versions == [(False, date(2021, 3, 23)), (True, date(2021, 3, 24))]
    article_id = rows(engine, "select article_id from report.articles where path like '%004_%'")[0][0]
    dates = rows(engine, "select text from report.date_mentions where article_id = :a order by 1", a=article_id)
    assert dates == [("24th March, 2021",), ("Wednesday",)]
    names = {
        r[0]
        for r in rows(engine, "select canonical_name from report.entity_mentions where article_id = :a", a=article_id)
    }
    assert "Russia" not in names  # only the new version's entities remain


def test_same_content_under_two_names_is_one_article(engine, settings, landing):
    shutil.copy(landing / "2021-03-22" / "000_f482f422a3fa26a5.txt", landing / "2021-03-22" / "zzz_copy.txt")
    result = run(engine, settings)
    assert (result.counts.files_seen, result.counts.loaded, result.counts.duplicates) == (3, 2, 1)
    assert rows(engine, "select count(*) from report.articles")[0][0] == 2
    names = rows(engine, "select path, is_primary from dwh.article_file order by path")
    assert names[-1] == ("2021-03-22/zzz_copy.txt", False)
    again = run(engine, settings)
    assert (again.counts.unchanged, again.counts.duplicates) == (2, 1)


def test_earliest_partition_wins_whatever_the_load_order(engine, settings, landing):
    """A copy that arrived on a later day loses to the earlier day's file, even if loaded first."""
    later = landing / "2021-03-23"
    later.mkdir()
    shutil.copy(landing / "2021-03-22" / "000_f482f422a3fa26a5.txt", later / "aaa_same.txt")
    run(engine, settings, date(2021, 3, 23))
    run(engine, settings, DAY)
    paths = [r[0] for r in rows(engine, "select path from report.articles order by path")]
    assert paths == ["2021-03-22/000_f482f422a3fa26a5.txt", "2021-03-22/004_c5d559a7d65a04c6.txt"]
    first_order = warehouse_snapshot(engine)

    # The other order, in a fresh warehouse, gives the same warehouse.
    empty_warehouse(engine)
    run(engine, settings, DAY)
    run(engine, settings, date(2021, 3, 23))
    assert warehouse_snapshot(engine) == first_order


def test_new_enrichment_version_reprocesses_old_partitions(engine, settings, monkeypatch):
    run(engine, settings)
    import etl.enrich as enrich

    monkeypatch.setattr(enrich, "RULES_VERSION", "rules-next")
    enrich.load_model.cache_clear()
    result = run(engine, settings)
    assert (result.counts.loaded, result.counts.unchanged) == (2, 0)
    versions = {r[0] for r in rows(engine, "select enrichment_version from dwh.dim_article where is_current")}
    assert versions == {pipeline.enrichment_version(settings.spacy_model)}
    assert "rules-next" in versions.pop()


def test_bad_files_are_quarantined_with_reasons_and_the_run_goes_on(engine, settings, landing):
    day = landing / "2021-03-22"
    (day / "empty.txt").write_bytes(b"")
    (day / "blank.txt").write_bytes(b"  \n\n\t ")
    (day / "binary.bin").write_bytes(bytes(range(256)) * 4)
    (day / "nul.txt").write_bytes(b"Title\n\nText with a \x00 NUL byte.")
    (day / "huge.txt").write_bytes(b"a" * 5000)
    (day / "latin1.txt").write_bytes("Wilmès\n\nSophie Wilmès met Blinken in Brussels.".encode("latin-1"))
    (day / "utf16.txt").write_bytes("Title\n\nBody text in UTF-16.".encode("utf-16"))
    (day / "loop").symlink_to(day / "loop")
    (day / "dangling").symlink_to(day / "nowhere")
    (day / "weird name; drop table x; 'quoted' ü.txt").write_text("Weird name\n\nStill an article.")
    (day / "sql.txt").write_text("'); drop table dwh.dim_article; --\n\nRobert'); DROP TABLE students;-- said hello.")
    (day / ".hidden.txt").write_text("hidden: not seen")
    (day / "upload.txt.part").write_text("in progress: not seen")
    (day / "subfolder").mkdir()
    result = run(engine, settings.override(max_file_bytes=4096))
    c = result.counts
    assert c.files_seen == 2 + 11
    assert (c.loaded, c.quarantined) == (2 + 4, 7)
    assert c.reconciles
    reasons = dict(rows(engine, "select split_part(path, '/', 2), reason from report.quarantine"))
    assert set(reasons) == {"empty.txt", "blank.txt", "binary.bin", "nul.txt", "huge.txt", "loop", "dangling"}
    assert "empty" in reasons["blank.txt"] and "NUL" in reasons["nul.txt"] and "too large" in reasons["huge.txt"]
    assert "symlink" in reasons["dangling"] and "binary" in reasons["binary.bin"]
    assert rows(engine, "select count(*) from dwh.dim_article")[0][0] == 6  # the SQL-looking text is just text


def test_missing_partition_is_a_successful_empty_run(engine, settings):
    result = run(engine, settings, date(2030, 1, 1))
    assert result.counts.files_seen == 0
    assert rows(engine, "select status from report.runs")[0][0] == "succeeded"


def test_init_db_twice_changes_nothing(warehouse_url):
    assert upgrade.init_db(warehouse_url) == []


def test_kill_during_load_keeps_the_previous_state_and_the_rerun_completes(engine, settings, landing, warehouse_url):
    run(engine, settings)
    before = warehouse_snapshot(engine)
    (landing / "2021-03-22" / "new.txt").write_text(
        "Borrell visits Washington\n\nJosep Borrell arrived in Washington on Monday."
    )
    # Hold the shared-state lock, so the run stops inside its load transaction; then kill it.
    with engine.connect() as blocker:
        blocker.execute(sa.text("select pg_advisory_lock(:k)"), {"k": db.GLOBAL_LOCK})
        proc = cli(warehouse_url, landing, "run", "--date", "2021-03-22")
        wait_for_lock_waiter(engine)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        blocker.execute(sa.text("select pg_advisory_unlock(:k)"), {"k": db.GLOBAL_LOCK})
        blocker.commit()
    assert warehouse_snapshot(engine) == before
    result = run(engine, settings)
    assert (result.counts.loaded, result.counts.unchanged) == (1, 2)
    assert rows(engine, "select count(*) from report.articles")[0][0] == 3


def test_two_runs_of_one_partition_at_once_give_the_single_run_result(engine, settings, landing, warehouse_url):
    procs = [cli(warehouse_url, landing, "run", "--date", "2021-03-22") for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    summaries = sorted(out for out, _err in outputs)
    # One run loaded, the other waited for it and found everything unchanged.
    assert "2 loaded, 0 unchanged" in summaries[0] + summaries[1]
    assert "0 loaded, 2 unchanged" in summaries[0] + summaries[1]
    assert rows(engine, "select count(*) from report.articles")[0][0] == 2
