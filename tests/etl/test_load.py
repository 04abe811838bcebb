"""The incremental load against its oracles: a full rebuild, and a clean load in date order.

Random sequences of landings and runs (new files, rewritten files, identical copies, forced
re-runs, analysts' overrides) in random day orders must leave the warehouse that
`news-etl resolve --full` rebuilds from the same articles, and the one that loading the
final files day by day in date order gives.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from etl import pipeline
from etl.settings import load_settings
from etl.warehouse import db, load, overrides
from etl.warehouse import steps as load_steps
from tests.conftest import new_warehouse, warehouse_snapshot

DAYS = [date(2021, 3, 22) + timedelta(days=i) for i in range(3)]
NAMES = ["a.txt", "b.txt", "c.txt"]

# Short articles that make the cross-document steps work: one surname for two people and
# alone, an acronym tied to its long form and bare, outlets' spellings, a near copy (a
# story by text), articles naming largely the same entities (stories by entities, one of
# them only once "EU" is known to be the European Union).
ARTICLES = [
    "NATO ministers meet in Brussels\n\nBRUSSELS (UrduPoint News - 23rd March, 2021) Jens Stoltenberg said on "
    "Tuesday that the North Atlantic Treaty Organization (NATO) would meet in Brussels. Antony Blinken and "
    "Josep Borrell attended the meeting with officials from Germany and France.\n",
    " date 2021-03-23 UrduPoint.com\nStoltenberg welcomes Blinken\n\nStoltenberg welcomed Blinken to Brussels "
    "on Tuesday. NATO and the European Union discussed Russia and China with Josep Borrell.\n",
    " date 2021-03-24 URDUPOINT.COM\nNorway pauses vaccinations\n\nOSLO (UrduPoint News - 24th March, 2021) "
    "Camilla Stoltenberg, the head of the Norwegian Institute of Public Health, said Norway would pause "
    "vaccinations. Stoltenberg spoke in Oslo on Wednesday.\n",
    "NATO ministers meet in Brussels again\n\nBRUSSELS (UrduPoint News - 23rd March, 2021) Jens Stoltenberg said on "
    "Tuesday that the North Atlantic Treaty Organization (NATO) would meet in Brussels. Antony Blinken and "
    "Josep Borrell attended the meeting with officials from Germany and France.\n\nThe talks go on on Wednesday.\n",
    "EU leaders meet\n\nUrsula von der Leyen and Charles Michel said the European Union (EU) would buy more "
    "vaccines from Pfizer. Emmanuel Macron and Angela Merkel backed the plan in Brussels on Thursday.\n",
    "Vaccine plan backed\n\nThe EU plan to buy vaccines from Pfizer was backed by Angela Merkel, Emmanuel Macron, "
    "Ursula von der Leyen and Charles Michel in Brussels on Thursday, the European Commission said.\n",
    "Apple results\n\nApple reported quarterly results on Monday in Cupertino, California. Tim Cook said sales "
    "in China rose.\n",
    "Vaccine plan backed\n\nAngela Merkel said on Thursday in Brussels that the EU would back the plan of Emmanuel "
    "Macron and Charles Michel to buy more vaccines.\n",
    "Leaders agree on doses\n\nCharles Michel, Emmanuel Macron and Angela Merkel agreed a European Union deal for "
    "more doses in Brussels on Thursday.\n",
    # One place under two names: the same GeoNames place, one entity, whichever comes first.
    "Markets\n\nTraders in Bombay said on Monday that shares rose in India.\n",
    "Rains\n\nHeavy rain fell on Mumbai on Monday, India's weather office said.\n",
    # Outlets spelt two ways: a byline's agency and a sign-off in one file; a name and its initials.
    "YEN FALLS\n    By Ann Lee, Reuters\n    TOKYO, March 22 - The yen fell against the dollar.\n Reuter\n",
    "SHARES RISE\n    TOKYO, March 22 - Shares rose in Tokyo on Monday.\n Reuter\n",
    " date 2021-03-23 Agence France-Presse\nRain in Paris\n\nIt rained in Paris on Tuesday.\n",
    "Snow in Lyon\n\nLYON, France (AFP) - It snowed in Lyon on Tuesday.\n",
]
OVERRIDES = [
    ("alias", "Stoltenberg", "Jens Stoltenberg"),
    ("merge", "EU", "European Union"),
    ("not_entity", "Brussels", None),
    ("merge", "Pfizer", "Apple"),  # whatever it means, a merge whose target may come later
]

write_file = st.tuples(
    st.just("write"), st.sampled_from(DAYS), st.sampled_from(NAMES), st.integers(0, len(ARTICLES) - 1)
)
run_day = st.tuples(st.just("run"), st.sampled_from(DAYS), st.booleans())
add_override = st.tuples(st.just("override"), st.sampled_from(OVERRIDES))
steps = st.lists(st.one_of(write_file, write_file, run_day, run_day, add_override), min_size=3, max_size=9)


D1, D2, D3 = DAYS


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(steps=steps)
# The cases that broke an incremental step while it was written, always tried:
# a bare surname and acronym loaded before the full name and the long form (clusters) ...
@example(steps=[("write", D2, "a.txt", 1), ("run", D2, False), ("write", D1, "a.txt", 0), ("run", D1, False)])
# ... the primary of a duplicate rewritten (its copy in a later day must take over) ...
@example(
    steps=[
        ("write", D1, "a.txt", 0),
        ("write", D2, "b.txt", 0),
        ("run", D2, False),
        ("run", D1, False),
        ("write", D1, "a.txt", 6),
        ("run", D1, False),
    ]
)
# ... an override naming an entity that a later load renames ...
@example(
    steps=[
        ("write", D1, "a.txt", 4),
        ("run", D1, False),
        ("override", OVERRIDES[1]),
        ("write", D2, "a.txt", 5),
        ("run", D2, False),
    ]
)
# ... a rewritten article whose new version names other places (theirs leave dim_place) ...
@example(steps=[("write", D1, "b.txt", 0), ("run", D1, False), ("write", D1, "b.txt", 1)])
# ... a merge into an entity that a later load brings, far from the merged keys' cluster ...
@example(
    steps=[
        ("write", D1, "a.txt", 4),
        ("run", D1, False),
        ("override", OVERRIDES[3]),
        ("write", D2, "a.txt", 6),
        ("run", D2, False),
    ]
)
# ... two loaded articles that become one story when a third ties "EU" to "European Union" ...
@example(
    steps=[
        ("write", D1, "a.txt", 7),
        ("write", D2, "a.txt", 8),
        ("run", D1, False),
        ("run", D2, False),
        ("write", D3, "a.txt", 4),
        ("run", D3, False),
    ]
)
# ... and a story pair whose article is rewritten, with outlets spelt two ways.
@example(
    steps=[
        ("write", D1, "a.txt", 0),
        ("run", D1, False),
        ("write", D2, "a.txt", 3),
        ("write", D3, "a.txt", 2),
        ("run", D2, False),
        ("run", D3, True),
        ("write", D1, "a.txt", 1),
        ("run", D1, False),
    ]
)
# ... outlets tied by a byline and a sign-off, then untied; initials before their outlet.
@example(
    steps=[
        ("write", D1, "a.txt", 11),
        ("write", D1, "b.txt", 12),
        ("write", D2, "a.txt", 14),
        ("run", D2, False),
        ("run", D1, False),
        ("write", D3, "a.txt", 13),
        ("run", D3, False),
        ("write", D1, "a.txt", 12),
        ("run", D1, False),
    ]
)
def test_any_load_sequence_equals_a_full_rebuild_and_a_clean_load(pg_server, template_db, tmp_path_factory, steps):
    landing = tmp_path_factory.mktemp("landing")
    with new_warehouse(pg_server, template_db) as url:
        engine = db.make_engine(url)
        settings = load_settings({}).override(landing_dir=landing, warehouse_url=url)
        added = []
        for step in steps:
            if step[0] == "write":
                _, day, name, article = step
                _write(landing, day, name, ARTICLES[article])
            elif step[0] == "run":
                _, day, force = step
                pipeline.run_partition(engine, settings, day, force=force)
            else:
                kind, name, target = step[1]
                overrides.add_override(engine, kind, name, target)
                overrides.resolve(engine)
                added.append(step[1])
        for day in DAYS:  # files written after their day's last run
            pipeline.run_partition(engine, settings, day)
        incremental = current_state(engine)
        assert dangling_keys(engine) == {}, "facts name keys their dimensions lack"

        load.rebuild_derived_state(engine)
        assert current_state(engine) == incremental, "a full rebuild differs from the incremental loads"
        engine.dispose()

    with new_warehouse(pg_server, template_db) as url:
        engine = db.make_engine(url)
        for kind, name, target in added:
            overrides.add_override(engine, kind, name, target)
        for day in DAYS:
            pipeline.run_partition(engine, settings.override(warehouse_url=url), day)
        assert current_state(engine) == incremental, "loading the final files in date order differs"
        engine.dispose()


def _write(landing: Path, day: date, name: str, text: str) -> None:
    folder = landing / day.isoformat()
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


# Every key a fact table holds, and the dimension rows it must name (the facts carry no
# foreign keys: the load keeps them right).
FACT_KEYS = {
    "entity key": "select f.entity_key from dwh.fact_entity_mention as f left join dwh.article_entity as ae"
    " on ae.article_id = f.article_id and ae.entity_key = f.entity_key where ae.article_id is null",
    "key map": "select m.entity_id from dwh.entity_key_map as m left join dwh.dim_entity as e using (entity_id) where e.entity_id is null",
    "entity article": "select f.article_id from dwh.fact_entity_mention as f left join dwh.dim_article as a"
    " on a.article_id = f.article_id and a.is_current and a.published_date_key = f.published_date_key and a.source_id is not distinct from f.source_id"
    " where a.article_id is null",
    "date article": "select f.article_id from dwh.fact_date_mention as f left join dwh.dim_article as a"
    " on a.article_id = f.article_id and a.is_current and a.published_date_key = f.published_date_key and a.source_id is not distinct from f.source_id"
    " where a.article_id is null",
    "day": "select 1 from dwh.fact_date_mention as f where not exists (select 1 from dwh.dim_date where date_key = f.start_date_key)"
    " or not exists (select 1 from dwh.dim_date where date_key = f.end_date_key)"
    " or not exists (select 1 from dwh.dim_date where date_key = f.published_date_key)",
    "alias": "select a.entity_id from dwh.entity_alias as a left join dwh.dim_entity as e using (entity_id) where e.entity_id is null",
}


def dangling_keys(engine) -> dict[str, int]:
    with engine.connect() as conn:
        counts = {name: len(conn.execute(sa.text(sql)).all()) for name, sql in FACT_KEYS.items()}
    return {name: n for name, n in counts.items() if n}


def current_state(engine) -> dict[str, list[tuple]]:
    """The warehouse as the final files make it: every table, without history (versions the
    files no longer hold, outlets only those name) and without bookkeeping."""
    snapshot = warehouse_snapshot(engine)
    files = {(r[0], r[3]) for r in snapshot["article_file"]}  # (path, sha256)
    versions = {(r[0], r[1]) for r in snapshot["dim_article"] if (r[2], r[1]) in files}  # (article_id, sha256)
    snapshot["dim_article"] = [r for r in snapshot["dim_article"] if (r[0], r[1]) in versions]
    snapshot["article_text"] = [r for r in snapshot["article_text"] if (r[0], r[1]) in versions]
    with engine.connect() as conn:
        named = {repr(r[0]) for r in conn.execute(sa.text("select source_id from dwh.dim_article where is_current"))}
        snapshot["entity_override"] = sorted(
            conn.execute(sa.text("select kind, name, target from dwh.entity_override")).all()
        )
    snapshot["dim_source"] = [r for r in snapshot["dim_source"] if r[0] in named]
    return snapshot


def test_the_merge_reaches_the_per_key_state_by_index(engine):
    """A day's keys are joined to the per-key tables through their indexes: a scan of a whole
    table costs in proportion to the history. At PostgreSQL's default costs the planner
    chooses the scan once such a table holds a few hundred thousand rows."""
    joined_to_a_days_keys = (
        "explain delete from dwh.entity_key_label as l using touched_key as t where l.entity_key = t.entity_key"
    )
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "insert into dwh.entity_key_label (label, entity_key)"
                " select 'surname ' || i, 'person:name ' || i from generate_series(1, 300000) as i"
            )
        )
        conn.execute(sa.text("analyze dwh.entity_key_label"))
        conn.execute(sa.text("create temporary table touched_key (entity_key text primary key) on commit drop"))
        conn.execute(
            sa.text("insert into touched_key select 'person:name ' || i from generate_series(1, 300000, 100) as i")
        )
        conn.execute(sa.text("analyze touched_key"))
        default_plan = "\n".join(conn.execute(sa.text(joined_to_a_days_keys)).scalars())
        load._plan_for_few_keys(conn)
        merge_plan = "\n".join(conn.execute(sa.text(joined_to_a_days_keys)).scalars())
    assert "Seq Scan on entity_key_label" in default_plan, default_plan  # what the merge's settings avoid
    assert "Seq Scan on entity_key_label" not in merge_plan, merge_plan


@pytest.mark.parametrize("sequence", ["MERGE_STEPS", "REBUILD_STEPS", "OVERRIDE_STEPS"])
def test_every_load_step_reads_only_scratch_tables_an_earlier_step_created(sequence):
    """Each step file declares the scratch tables it creates and reads (and names no other);
    every sequence the load runs reads a table only after a step created it."""
    assert load_steps.problems(getattr(load, sequence)) == []


def test_a_step_run_before_the_table_it_reads_is_reported():
    moved = (load.MERGE_STEPS[-1], *load.MERGE_STEPS[:-1])  # record_manifest before plan_versions
    assert (
        "record_manifest: record_manifest.sql reads run_version, which no earlier step creates"
        in load_steps.problems(moved)
    )
    without_fill = tuple(replace(s, creates=()) if s.name == "entities" else s for s in load.MERGE_STEPS)
    assert any("reads resolution_scope" in p for p in load_steps.problems(without_fill))
