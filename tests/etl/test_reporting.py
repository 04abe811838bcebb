"""The analysts' side: the report views, the read-only role, stories."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
import sqlalchemy as sa

from etl import pipeline
from etl.warehouse import db, overrides
from tests.conftest import DEMO_LANDING, empty_warehouse, rows

DAY = date(2021, 3, 22)


@pytest.fixture
def loaded(engine, settings):
    pipeline.run_partition(engine, settings, DAY)
    return engine


def _reader(warehouse_url):
    return db.make_engine(db.reader_url(warehouse_url))


# What the samples' warehouse holds in each view, as the analysts' role reads it.
VIEW_CONTENT = {
    "articles": ("count(*)", 2),
    "entity_mentions": ("count(distinct article_id)", 2),
    "date_mentions": ("count(*) filter (where value = '2021-03-23')", 3),
    "stories": ("max(articles)", 2),
    "story_articles": ("count(*)", 2),
    "entity_daily": ("count(*) filter (where canonical_name = 'Antony Blinken')", 2),
    "entity_pairs": ("count(*) > 0", True),
    "co_mentions": ("count(*) > 0", True),
    "runs": ("count(*) filter (where status = 'succeeded' and files_seen = 2)", 1),
    "quarantine": ("count(*)", 0),
    "sources": ("count(*) filter (where source = 'UrduPoint.com' and articles = 1)", 1),
    "date_references": ("count(*) > 0", True),
    "places": ("count(*) filter (where canonical_name = 'Brussels' and latitude is not null)", 2),
    "article_focus": ("count(*)", 2),
    "quotes": ("count(*) filter (where speaker = 'Philip Reeker')", 6),
    "entity_tone_daily": ("count(*) filter (where canonical_name = 'Philip Reeker')", 2),
}


def test_reader_can_query_the_views_and_the_star_schema(loaded, warehouse_url):
    reader = _reader(warehouse_url)
    with reader.connect() as conn:
        found = {
            view: conn.execute(sa.text(f"select {what} from report.{view}")).scalar()
            for view, (what, _n) in VIEW_CONTENT.items()
        }
        assert conn.execute(sa.text("select count(*) from dwh.dim_article")).scalar() == 2
        views = set(
            conn.execute(
                sa.text("select table_name from information_schema.views where table_schema = 'report'")
            ).scalars()
        )
    reader.dispose()
    assert found == {view: n for view, (_what, n) in VIEW_CONTENT.items()}
    assert views == set(VIEW_CONTENT)  # every view is checked here


def test_every_report_view_and_column_says_what_it_holds(engine):
    # What `\d+ report.x` and a BI tool's column list show an analyst.
    with engine.connect() as conn:
        undocumented = conn.execute(
            sa.text(
                """
                select c.relname, a.attname
                from pg_class c
                join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'report'
                left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
                where c.relkind = 'v'
                  and (obj_description(c.oid, 'pg_class') is null
                       or (a.attnum is not null and col_description(c.oid, a.attnum) is null))
                """
            )
        ).all()
        views = conn.execute(sa.text("select count(*) from pg_views where schemaname = 'report'")).scalar()
    assert views >= 12
    assert undocumented == []


@pytest.mark.parametrize(
    "sql",
    [
        "insert into dwh.dim_source (source_id, source_name) values (gen_random_uuid(), 'x')",
        "delete from dwh.fact_entity_mention",
        "update dwh.dim_article set title = 'x'",
        "select * from ops.file_manifest",
        "select * from ops.etl_run",
        "select * from staging.article",
        "create table dwh.mine (x int)",
    ],
)
def test_reader_cannot_write_or_read_the_bookkeeping(loaded, warehouse_url, sql):
    reader = _reader(warehouse_url)
    with reader.connect() as conn, pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
        conn.execute(sa.text(sql))
    reader.dispose()


def test_entity_views_answer_the_everyday_questions(loaded):
    with loaded.connect() as conn:
        daily = conn.execute(
            sa.text(
                "select day, mentions, articles from report.entity_daily where canonical_name = 'Antony Blinken' order by day"
            )
        ).all()
        pair = conn.execute(
            sa.text(
                "select articles from report.entity_pairs where 'Antony Blinken' in (entity_a, entity_b) and 'Jens Stoltenberg' in (entity_a, entity_b)"
            )
        ).scalar()
    # 000 is published on its partition day, 004 on its header's date.
    assert [(d, a) for d, _m, a in daily] == [(date(2021, 3, 22), 1), (date(2021, 3, 23), 1)]
    assert pair == 2


def test_the_two_samples_are_one_story(loaded):
    with loaded.connect() as conn:
        stories = conn.execute(sa.text("select articles, first_published, last_published from report.stories")).all()
    assert stories == [(2, date(2021, 3, 22), date(2021, 3, 23))]


def test_stories_do_not_depend_on_the_load_order(engine, settings, tmp_path):
    landing = tmp_path / "two-days"
    for day, name in (("2021-03-22", "000_f482f422a3fa26a5.txt"), ("2021-03-23", "004_c5d559a7d65a04c6.txt")):
        (landing / day).mkdir(parents=True)
        shutil.copy(DEMO_LANDING / "2021-03-22" / name, landing / day / name)
    (landing / "2021-03-23" / "other.txt").write_text(
        "Markets rally\n\nShares in Tokyo rose on Tuesday as investors bought technology stocks."
    )
    settings = settings.override(landing_dir=landing)
    days = [date(2021, 3, 22), date(2021, 3, 23)]

    def stories():
        with engine.connect() as conn:
            return sorted(map(tuple, conn.execute(sa.text("select path, story_id::text from report.articles")).all()))

    for day in days:
        pipeline.run_partition(engine, settings, day)
    forward = stories()
    empty_warehouse(engine)
    for day in reversed(days):
        pipeline.run_partition(engine, settings, day)
    assert stories() == forward
    story_of = dict(forward)
    assert (
        story_of["2021-03-22/000_f482f422a3fa26a5.txt"]
        == story_of["2021-03-23/004_c5d559a7d65a04c6.txt"]
        != story_of["2021-03-23/other.txt"]
    )


def test_an_outlet_is_one_outlet_under_the_name_it_uses_for_itself(engine, settings, tmp_path):
    """A byline's agency and the wire's sign-off in one file tie the spellings; initials join
    the one outlet they abbreviate; reports name the outlet as its bylines and datelines do."""
    landing = tmp_path / "outlets"
    files = {
        "2021-03-22/byline.txt": "MARKETS RALLY\n    By Ann Lee, Reuters\n    TOKYO, March 22 - Shares rose on Monday.\n Reuter\n",
        "2021-03-22/sign-off.txt": "YEN FALLS\n    TOKYO, March 22 - The yen fell against the dollar.\n Reuter\n",
        "2021-03-23/agency.txt": " date 2021-03-23 Agence France-Presse\nRain in Paris\n\nIt rained in Paris on Tuesday.\n",
        "2021-03-23/initials.txt": "Snow in Lyon\n\nLYON, France (AFP) - It snowed in Lyon on Tuesday.\n",
        "2021-03-23/other.txt": " date 2021-03-23 UrduPoint.com\nTalks\n\nTalks went on in Islamabad on Tuesday.\n",
    }
    for path, text in files.items():
        (landing / path).parent.mkdir(parents=True, exist_ok=True)
        (landing / path).write_text(text)
    settings = settings.override(landing_dir=landing)
    for day in (date(2021, 3, 23), date(2021, 3, 22)):  # the initials before their outlet's bylines
        pipeline.run_partition(engine, settings, day)
    assert dict(rows(engine, "select path, source from report.articles")) == {
        "2021-03-22/byline.txt": "Reuters",
        "2021-03-22/sign-off.txt": "Reuters",
        "2021-03-23/agency.txt": "Agence France-Presse",
        "2021-03-23/initials.txt": "Agence France-Presse",
        "2021-03-23/other.txt": "UrduPoint.com",
    }
    assert sorted(rows(engine, "select source, articles from report.sources")) == [
        ("Agence France-Presse", 2),
        ("Reuters", 2),
        ("UrduPoint.com", 1),
    ]
    # A correction drops the byline: nothing ties "Reuter" to Reuters any more.
    (landing / "2021-03-22/byline.txt").write_text(files["2021-03-22/sign-off.txt"].replace("yen", "euro"))
    pipeline.run_partition(engine, settings, date(2021, 3, 22))
    assert rows(engine, "select source from report.articles where path = '2021-03-22/sign-off.txt'") == [("Reuter",)]


def test_example_queries_doc_shows_what_they_return(loaded, warehouse_url):
    """docs/queries.md's example outputs are what the queries give on the demo."""
    from etl import queries
    from tests.conftest import REPO

    document = (REPO / "docs" / "queries.md").read_text(encoding="utf-8")
    reader = _reader(warehouse_url)
    try:
        assert queries.replace_section(document, queries.render_markdown(reader)) == document, (
            "docs/queries.md's outputs are stale: run news-etl demo && news-etl queries --readme docs/queries.md"
        )
    finally:
        reader.dispose()


def test_analyst_overrides_apply_now_and_survive_reruns(loaded, settings):
    def entities():
        with loaded.connect() as conn:
            return {r[0] for r in conn.execute(sa.text("select distinct canonical_name from report.entity_mentions"))}

    assert {"Transatlantic", "European Commission", "European Union", "Biden"} <= entities()
    overrides.add_override(loaded, "not_entity", "Transatlantic")
    overrides.add_override(loaded, "merge", "European Commission", "European Union")
    overrides.add_override(loaded, "alias", "Biden", "Antony Blinken")  # wrong on purpose: analysts decide
    overrides.resolve(loaded)
    after = entities()
    assert "Transatlantic" not in after and "European Commission" not in after and "Biden" not in after
    with loaded.connect() as conn:
        alias_target = conn.execute(
            sa.text(
                "select e.canonical_name from dwh.entity_alias a join dwh.dim_entity e using (entity_id) where a.alias = 'european commission'"
            )
        ).scalar()
    assert alias_target == "European Union"
    pipeline.run_partition(loaded, settings, DAY, force=True)
    assert entities() == after


@pytest.fixture
def merged(loaded):
    """Both samples name the European Commission and the European Union: merged, one entity
    has two keys in each article (which must count once)."""
    overrides.add_override(loaded, "merge", "European Commission", "European Union")
    overrides.resolve(loaded)
    return loaded


def test_entity_daily_counts_an_article_once_where_it_names_an_entity_twice(merged):
    facts_through_the_key_map = rows(
        merged,
        "select dwh.key_date(f.published_date_key), m.entity_id, sum(f.mentions)::integer,"
        " count(distinct f.article_id)::integer, count(distinct f.entity_key)::integer"
        " from dwh.fact_entity_mention as f join dwh.entity_key_map as m using (entity_key) group by 1, 2",
    )
    daily = rows(merged, "select day, entity_id, mentions, articles from report.entity_daily")
    assert sorted(daily) == sorted(r[:4] for r in facts_through_the_key_map)
    assert any(keys > 1 for *_, keys in facts_through_the_key_map)
    eu = rows(
        merged, "select day, articles from report.entity_daily where canonical_name = 'European Union' order by day"
    )
    assert eu == [(date(2021, 3, 22), 1), (date(2021, 3, 23), 1)]


def test_co_mentions_are_the_entity_pairs_both_ways(merged):
    pairs = rows(merged, "select entity_a_id, entity_b_id, articles from report.entity_pairs")
    both_ways = sorted([(a, b, n) for a, b, n in pairs] + [(b, a, n) for a, b, n in pairs])
    co_mentions = sorted(rows(merged, "select entity_id, other_entity_id, articles from report.co_mentions"))
    assert co_mentions == both_ways
    assert any(n == 2 for *_, n in pairs)
    eu = rows(
        merged,
        "select other_name, articles from report.co_mentions where canonical_name = 'European Union' and other_name = 'Antony Blinken'",
    )
    assert eu == [("Antony Blinken", 2)]
