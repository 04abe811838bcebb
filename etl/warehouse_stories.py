"""The warehouse's stories, kept up to date by deltas.

A load marks articles "dirty" when their story pairs may have changed: new or retired
versions, and articles whose entities changed. Their pairs are decided again against every
current article within the story window (sql/load/story_candidates.sql finds the
candidates, stories.same_story decides), and only the story groups those pairs touch are
recomputed. A pair's verdict depends on the two articles alone, so the stories depend only
on the set of articles, never on the order they were loaded in.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from etl import stories
from etl.db import sql_statements, sql_text
from etl.ids import story_id
from etl.staging import copy_tuples, fill_scratch_table

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StorySync:
    articles_dirty: int
    pairs_found: int
    articles_regrouped: int


def sync_stories(conn: Connection) -> StorySync:
    """Decide the dirty articles' pairs again (story_dirty) and regroup what they touch."""
    started = time.monotonic()
    for statement in sql_statements("load/delete_dirty_story_edges.sql"):
        conn.execute(sa.text(statement))
    pairs = _new_pairs(conn)
    copy_tuples(conn, "dwh.story_edge", ["article_a", "article_b"], sorted(pairs))
    decided = time.monotonic()
    regrouped = _regroup(conn)
    log.debug("stories: pairs decided in %.3fs, groups in %.3fs", decided - started, time.monotonic() - decided)
    dirty = conn.execute(sa.text("select count(*) from story_dirty")).scalar()
    log.info("stories: %d articles dirty, %d pairs, %d articles regrouped", dirty, len(pairs), regrouped)
    return StorySync(dirty, len(pairs), regrouped)


def _new_pairs(conn: Connection) -> set[tuple]:
    """The dirty current articles' story pairs, each decided on the two articles alone."""
    params = {"window": stories.STORY_WINDOW_DAYS, "min_shared": stories.MIN_SHARED_ENTITIES}
    *setup, select = sql_statements("load/story_candidates.sql")
    for statement in setup:
        conn.execute(sa.text(statement), params)
    candidates = conn.execute(sa.text(select), params).all()
    conn.execute(sa.text("create temporary table story_candidate_article (article_id uuid primary key) on commit drop"))
    fill_scratch_table(
        conn, "story_candidate_article", ["article_id"], ((a,) for a in sorted({a for pair in candidates for a in pair}))
    )
    features = {
        row.article_id: stories.StoryFeatures(
            row.article_id, row.published_date, tuple(row.minhash), row.shingles, frozenset(row.entities), frozenset(row.days)
        )
        for row in conn.execute(sa.text(sql_text("load/story_features.sql")))
    }
    return {(a, b) for a, b in candidates if stories.same_story(features[a], features[b])}


def _regroup(conn: Connection) -> int:
    """Recompute the story groups reachable from story_seed; returns the articles regrouped."""
    for statement in sql_statements("load/story_groups.sql"):
        conn.execute(sa.text(statement))
    reach = conn.execute(sa.text("select article_id from story_reach")).scalars().all()
    edges = conn.execute(
        sa.text("select e.article_a, e.article_b from dwh.story_edge as e inner join story_reach as r on r.article_id = e.article_a")
    ).all()
    groups = stories.components(edges)
    conn.execute(sa.text("create temporary table story_assignment (article_id uuid primary key, story_id uuid not null) on commit drop"))
    fill_scratch_table(
        conn,
        "story_assignment",
        ["article_id", "story_id"],
        ((a, groups.get(a) or story_id(a)) for a in sorted(reach)),
    )
    for statement in sql_statements("load/apply_story_ids.sql"):
        conn.execute(sa.text(statement))
    return len(reach)


