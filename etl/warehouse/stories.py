"""The warehouse's stories, kept up to date by deltas.

A load marks articles "dirty" when their story pairs may have changed: its new and retired
versions. Their pairs are decided again against every current article within the story
window (sql/load/story_candidates.sql finds the candidates, stories.same_story decides), and
only the story groups those pairs touch are recomputed. Stories compare the documents' own
entity keys, not resolved entities, so a load that changes what a key resolves to (a surname
now one person's) re-opens no story decision. A pair's verdict depends on the two articles alone, so the stories depend only
on the set of articles, never on the order they were loaded in.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from etl import stories
from etl.ids import story_id
from etl.warehouse.db import sql_statements, sql_text
from etl.warehouse.staging import copy_tuples, fill_scratch_table
from etl.warehouse.steps import CodeStep

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StorySync:
    articles_dirty: int
    pairs_found: int
    articles_regrouped: int
    candidates: int = 0  # pairs decided


def sync_stories(conn: Connection) -> StorySync:
    """Decide the dirty articles' pairs again (story_dirty) and regroup what they touch."""
    started = time.monotonic()
    params = {
        "window": stories.STORY_WINDOW_DAYS,
        "min_shared": stories.MIN_SHARED_ENTITIES,
        "min_shingles": stories.MIN_SHINGLES,
    }
    for statement in sql_statements("load/delete_dirty_story_edges.sql"):
        conn.execute(sa.text(statement))
    candidates = _rows_of_last(conn, "load/story_candidates.sql", params)
    features = _features(conn, {a for pair in candidates for a in pair})
    pairs = {(a, b) for a, b in candidates if stories.same_story(features[a], features[b])}
    copy_tuples(conn, "dwh.story_edge", ["article_a", "article_b"], sorted(pairs))
    decided = time.monotonic()
    regrouped = _regroup(conn)
    dirty = conn.execute(sa.text("select count(*) from story_dirty")).scalar()
    log.debug("stories: pairs decided in %.3fs, groups in %.3fs", decided - started, time.monotonic() - decided)
    return StorySync(dirty, len(pairs), regrouped, len(candidates))


def _rows_of_last(conn: Connection, name: str, params: dict) -> list[tuple]:
    """Run a step file's statements; the rows of its last one."""
    *setup, select = sql_statements(name)
    for statement in setup:
        conn.execute(sa.text(statement), params)
    return [tuple(row) for row in conn.execute(sa.text(select), params)]


def _features(conn: Connection, ids: set) -> dict:
    """What the story decision reads of each of these articles."""
    conn.execute(sa.text("create temporary table story_candidate_article (article_id uuid primary key) on commit drop"))
    fill_scratch_table(conn, "story_candidate_article", ["article_id"], ((a,) for a in sorted(ids)))
    return {
        row.article_id: stories.StoryFeatures(
            row.article_id,
            row.published_date,
            tuple(row.minhash),
            row.shingles,
            frozenset(row.entities),
            frozenset(row.days),
        )
        for row in conn.execute(sa.text(sql_text("load/story_features.sql")))
    }


def _regroup(conn: Connection) -> int:
    """Recompute the story groups reachable from story_seed; returns the articles regrouped."""
    for statement in sql_statements("load/story_groups.sql"):
        conn.execute(sa.text(statement))
    reach = conn.execute(sa.text("select article_id from story_reach")).scalars().all()
    edges = conn.execute(
        sa.text(
            "select e.article_a, e.article_b from dwh.story_edge as e inner join story_reach as r on r.article_id = e.article_a"
        )
    ).all()
    groups = stories.components(edges)
    conn.execute(
        sa.text(
            "create temporary table story_assignment (article_id uuid primary key, story_id uuid not null) on commit drop"
        )
    )
    fill_scratch_table(
        conn,
        "story_assignment",
        ["article_id", "story_id"],
        ((a, groups.get(a) or story_id(a)) for a in sorted(reach)),
    )
    for statement in sql_statements("load/apply_story_ids.sql"):
        conn.execute(sa.text(statement))
    return len(reach)


# The story step of the load (etl/warehouse/steps.py): the files it runs, the tables it fills itself.
STORY_STEP = CodeStep(
    "stories",
    sync_stories,
    sql=("delete_dirty_story_edges", "story_candidates", "story_features", "story_groups", "apply_story_ids"),
    creates=("story_candidate_article", "story_assignment"),
)
