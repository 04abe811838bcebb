"""Load: COPY rows into the staging tables, then merge a run into the star schema in SQL."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from etl import stories
from etl.db import lock_key, lock_shared_state, sql_statements, sql_text
from etl.enrich.resolve import KeyStats, apply_overrides, resolve_entities

# Ids derive from natural keys, so the same input gives the same ids in any load order.
ID_NAMESPACE = uuid.UUID("6f1c1d4e-8a53-4b0e-9a57-3c1f0f0e7e21")


def article_id(path: str) -> uuid.UUID:
    return uuid.uuid5(ID_NAMESPACE, f"article:{path}")


def source_id(name: str) -> uuid.UUID:
    return uuid.uuid5(ID_NAMESPACE, f"source:{name.strip().lower()}")


STAGING_COLUMNS = {
    "run_file": ("run_id", "path", "sha256", "action"),
    "article": (
        "run_id", "path", "partition_date", "article_id", "sha256", "byte_size", "title",
        "source_id", "source_name", "dateline_place", "dateline_agency", "published_date",
        "published_basis", "language", "body", "captions", "raw_text", "enrichment_version",
        "minhash", "shingles", "band_hashes",
    ),
    "entity_mention": (
        "run_id", "path", "entity_key", "canonical_name", "entity_type", "country_code",
        "acronym", "forms", "aliases", "mentions", "first_offset",
    ),
    "date_mention": (
        "run_id", "path", "start_offset", "end_offset", "mention_text", "value", "end_value",
        "granularity", "start_date", "end_date",
    ),
    "rejected_file": ("run_id", "path", "partition_date", "sha256", "reason"),
}


def copy_rows(conn: Connection, table: str, rows: Iterable[Sequence], columns: Sequence[str] | None = None) -> int:
    """COPY rows into a table (staging.<table> by default) through the psycopg driver."""
    if columns is None:
        columns, table = STAGING_COLUMNS[table], f"staging.{table}"
    raw = conn.connection.driver_connection
    n = 0
    with raw.cursor() as cur:
        with cur.copy(f"copy {table} ({', '.join(columns)}) from stdin") as copy:
            for row in rows:
                copy.write_row(row)
                n += 1
    return n


def clear_staged(conn: Connection, run_id: uuid.UUID, paths: Sequence[str] | None = None) -> None:
    """Remove a run's staged rows (all, or those of some paths), so a retry starts clean."""
    for table in ("article", "entity_mention", "date_mention", "rejected_file"):
        if paths is None:
            conn.execute(sa.text(f"delete from staging.{table} where run_id = :run_id"), {"run_id": run_id})
        else:
            conn.execute(
                sa.text(f"delete from staging.{table} where run_id = :run_id and path = any(:paths)"),
                {"run_id": run_id, "paths": list(paths)},
            )


@dataclass(frozen=True)
class RunCounts:
    files_seen: int
    loaded: int
    unchanged: int
    duplicates: int
    quarantined: int

    @property
    def reconciles(self) -> bool:
        return self.files_seen == self.loaded + self.unchanged + self.duplicates + self.quarantined


MERGE_STATEMENTS = sql_statements("load/merge_run.sql")
APPLY_STORY_STATEMENTS = sql_statements("load/apply_stories.sql")
APPLY_RESOLUTION_STATEMENTS = sql_statements("load/apply_entity_resolution.sql")


def merge_run(conn: Connection, run_id: uuid.UUID, partition) -> RunCounts:
    """Merge a run's staged rows into the warehouse and return its buckets (same transaction)."""
    # Loads of one partition queue behind each other; then the short shared-state section.
    conn.execute(sa.text("select pg_advisory_xact_lock(:k)"), {"k": lock_key("partition-load", partition)})
    staged = conn.execute(
        sa.text(
            "select exists (select 1 from staging.article where run_id = :r)"
            " or exists (select 1 from staging.rejected_file where run_id = :r)"
        ),
        {"r": run_id},
    ).scalar()
    # A run that staged nothing (every file unchanged) changes nothing shared: only count.
    if staged:
        lock_shared_state(conn)
        for statement in MERGE_STATEMENTS:
            conn.execute(sa.text(statement), {"run_id": run_id})
        resolve_warehouse_entities(conn, run_id)
        assign_stories(conn, run_id)
    row = conn.execute(sa.text(sql_text("load/run_counts.sql")), {"run_id": run_id}).one()
    return RunCounts(*row)


def resolve_warehouse_entities(conn: Connection, run_id: uuid.UUID | None = None) -> int:
    """Recompute the cross-document entities from dwh.article_entity and apply them.

    Counts per key come from SQL; the resolution itself is the same function `enrich`
    uses; the result is COPYed back and applied with set-based SQL. Returns the entity count.
    """
    stats: dict[str, KeyStats] = defaultdict(KeyStats)
    ties: Counter = Counter()
    for key, facet, value, docs in conn.execute(sa.text(sql_text("load/entity_stats.sql"))):
        s = stats[key]
        if facet == "acronym":
            ties[(value, key)] += docs
        else:
            getattr(s, {"type": "type_docs", "form": "form_docs", "name": "name_docs", "country": "countries"}[facet])[value] += docs
    overrides = conn.execute(sa.text("select kind, name, target from dwh.entity_override")).all()
    resolved = apply_overrides(resolve_entities(stats, ties), [tuple(o) for o in overrides])
    conn.execute(
        sa.text(
            "create temporary table resolved_entity (entity_key text primary key, entity_id uuid not null,"
            " canonical_name text not null, entity_type text not null, country_code text) on commit drop"
        )
    )
    copy_rows(
        conn,
        "resolved_entity",
        ((k, r.entity_id, r.canonical_name, r.entity_type, r.country_code) for k, r in resolved.items()),
        columns=("entity_key", "entity_id", "canonical_name", "entity_type", "country_code"),
    )
    for statement in APPLY_RESOLUTION_STATEMENTS:
        conn.execute(sa.text(statement), {"run_id": run_id})
    return len({r.entity_id for r in resolved.values()})


def assign_stories(conn: Connection, run_id: uuid.UUID | None) -> None:
    """Find the run's articles' story companions, then regroup every article's story.

    Pairs are decided by stories.same_story on the two articles alone; the groups are
    recomputed from all pairs, so the result does not depend on the load order.
    """
    params = {
        "run_id": run_id,
        "window": stories.STORY_WINDOW_DAYS,
        "min_shared": stories.MIN_SHARED_ENTITIES,
        "max_df": stories.MAX_ENTITY_ARTICLES,
    }
    # The tables just grew; without fresh statistics the planner picks nested loops here.
    conn.execute(sa.text("analyze staging.article, dwh.dim_article, dwh.article_band, dwh.fact_entity_mention"))
    candidates = conn.execute(sa.text(sql_text("load/story_candidates.sql")), params).all()
    ids = sorted({a for pair in candidates for a in pair}, key=str)
    features = {
        row.article_id: stories.StoryFeatures(
            row.article_id, row.published_date, tuple(row.minhash), row.shingles, frozenset(row.entities), frozenset(row.days)
        )
        for row in conn.execute(sa.text(sql_text("load/story_features.sql")), {"ids": ids})
    }
    edges = [(a, b) for a, b in candidates if a in features and b in features and stories.same_story(features[a], features[b])]
    conn.execute(sa.text("create temporary table new_story_edge (article_a uuid, article_b uuid) on commit drop"))
    copy_rows(conn, "new_story_edge", edges, columns=("article_a", "article_b"))
    for statement in APPLY_STORY_STATEMENTS:
        conn.execute(sa.text(statement), params)
    all_edges = conn.execute(sa.text("select article_a, article_b from dwh.story_edge")).all()
    conn.execute(sa.text("create temporary table story_assignment (article_id uuid primary key, story_id uuid) on commit drop"))
    copy_rows(conn, "story_assignment", stories.components(all_edges).items(), columns=("article_id", "story_id"))
    conn.execute(sa.text(sql_text("load/update_story_ids.sql")))
