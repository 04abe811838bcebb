"""The warehouse's cross-document entities, kept up to date by deltas.

A load counts the documents' views of entities in and out of per-key statistics
(sql/load/apply_entity_delta.sql) and re-resolves only the clusters of keys it touched:
keys whose answers can depend on each other share a label (resolve.cluster_labels), and the
keys analysts' overrides name are re-resolved with them. The resolution itself is the same
function `news-etl enrich` uses; only the keys, facts and aliases that change are written
(sql/load/apply_resolution.sql). A full rebuild counts every document at once
(sql/load/count_entity_stats.sql), then runs the same steps with every key touched.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from etl.enrich.resolve import KeyStats, apply_overrides, cluster_labels, resolve_entities
from etl.names import fold
from etl.warehouse.db import sql_statements
from etl.warehouse.staging import copy_tuples, fill_scratch_table
from etl.warehouse.steps import CodeStep

_FACETS = {"type": "type_docs", "form": "form_docs", "name": "name_docs", "country": "countries", "place": "places"}


@dataclass(frozen=True)
class EntitySync:
    keys_touched: int
    keys_resolved: int
    keys_new: int  # keys no article named before
    keys_moved: int  # known keys that now belong to another entity (or to none)


def sync_entities(conn: Connection, everything: bool = False) -> EntitySync:
    """Count entity_delta into the statistics and re-resolve what it touches.

    everything: count every current document's entities (reset_entity_state.sql emptied
    the statistics) and re-resolve every key: the full rebuild.
    """
    if everything:
        _run(conn, "load/count_entity_stats.sql")
        touched = set(conn.execute(sa.text("select distinct entity_key from dwh.entity_key_stat")).scalars())
    else:
        _run(conn, "load/apply_entity_delta.sql")
        touched = set(conn.execute(sa.text("select distinct entity_key from entity_delta")).scalars())
    labels = _update_labels(conn, touched)
    overrides = [tuple(o) for o in conn.execute(sa.text("select kind, name, target from dwh.entity_override"))]
    if everything:
        scope = touched
    else:
        named = _keys_overrides_name(conn, overrides)
        scope = _cluster_closure(conn, touched | named, labels | _labels_of(conn, named))
    new, moved = _resolve_scope(conn, scope, overrides)
    # The per-day summary: every row again in a full rebuild, else the rows that changed.
    _run(conn, "load/count_entity_days.sql" if everything else "load/recount_entity_days.sql")
    return EntitySync(len(touched), len(scope), new, moved)


def _run(conn: Connection, name: str, **params) -> None:
    for statement in sql_statements(name):
        conn.execute(sa.text(statement), params)


def _update_labels(conn: Connection, keys: set[str]) -> set[str]:
    """Re-derive the touched keys' cluster labels; returns their labels before and after."""
    if not keys:
        return set()
    conn.execute(sa.text("create temporary table touched_key (entity_key text primary key) on commit drop"))
    fill_scratch_table(conn, "touched_key", ["entity_key"], ((k,) for k in keys))
    ties: dict[str, list[str]] = defaultdict(list)
    alive = set()
    for key, facet, value in conn.execute(
        sa.text(
            "select s.entity_key, s.facet, s.value from dwh.entity_key_stat as s"
            " inner join touched_key using (entity_key) where s.facet in ('type', 'tie')"
        )
    ):
        alive.add(key)
        if facet == "tie":
            ties[key].append(value)
    before = set(
        conn.execute(
            sa.text(
                "delete from dwh.entity_key_label as l using touched_key as t where l.entity_key = t.entity_key returning l.label"
            )
        ).scalars()
    )
    after = {(label, key) for key in alive for label in cluster_labels(key, ties[key])}
    copy_tuples(conn, "dwh.entity_key_label", ["label", "entity_key"], sorted(after))
    return before | {label for label, _key in after}


def _labels_of(conn: Connection, keys: set[str]) -> set[str]:
    if not keys:
        return set()
    return set(
        conn.execute(
            sa.text("select label from dwh.entity_key_label where entity_key = any(:k)"), {"k": list(keys)}
        ).scalars()
    )


def _keys_overrides_name(conn: Connection, overrides: list[tuple]) -> set[str]:
    """Keys whose name, or whose entity's name before overrides, an override mentions.

    apply_overrides looks entities up by name, so every key it could move or drop, and every
    entity it could move keys into, is among these.
    """
    names = sorted({fold(n) for _kind, name, target in overrides for n in (name, target) if n})
    if not names:
        return set()
    return set(
        conn.execute(
            sa.text(
                "select entity_key from dwh.entity_key_map"
                " where base_name = any(:names) or split_part(entity_key, ':', 2) = any(:names)"
            ),
            {"names": names},
        ).scalars()
    )


def _cluster_closure(conn: Connection, keys: set[str], labels: set[str]) -> set[str]:
    """Every key connected to `keys` through shared labels (their clusters)."""
    keys, labels, frontier = set(keys), set(labels), set(labels)
    while frontier:
        found = set(
            conn.execute(
                sa.text("select entity_key from dwh.entity_key_label where label = any(:labels)"),
                {"labels": list(frontier)},
            ).scalars()
        )
        new_keys = found - keys
        keys |= new_keys
        frontier = _labels_of(conn, new_keys) - labels
        labels |= frontier
    return keys


def _resolve_scope(conn: Connection, scope: set[str], overrides: list[tuple]) -> tuple[int, int]:
    """Resolve the keys of `scope` from their statistics and apply the answer; returns how
    many keys are new and how many known keys changed entity."""
    conn.execute(sa.text("create temporary table resolution_scope (entity_key text primary key) on commit drop"))
    fill_scratch_table(conn, "resolution_scope", ["entity_key"], ((k,) for k in sorted(scope)))
    stats: dict[str, KeyStats] = defaultdict(KeyStats)
    ties: Counter = Counter()
    # Plain tuples from the driver: a full rebuild reads millions of these rows.
    with conn.connection.driver_connection.cursor() as cur:
        cur.execute(
            "select s.entity_key, s.facet, s.value, s.docs from dwh.entity_key_stat as s"
            " inner join resolution_scope using (entity_key)"
        )
        for key, facet, value, docs in cur.fetchall():
            if facet == "tie":
                ties[(value, key)] += docs
            else:
                getattr(stats[key], _FACETS[facet])[value] += docs
    base = resolve_entities(stats, ties)
    final = apply_overrides(base, overrides)
    conn.execute(
        sa.text(
            "create temporary table resolved_key (entity_key text primary key, entity_id uuid not null,"
            " base_name text not null, canonical_name text not null, entity_type text not null,"
            " country_code text, geonameid integer) on commit drop"
        )
    )
    fill_scratch_table(
        conn,
        "resolved_key",
        ["entity_key", "entity_id", "base_name", "canonical_name", "entity_type", "country_code", "geonameid"],
        (
            (k, r.entity_id, fold(base[k].canonical_name), r.canonical_name, r.entity_type, r.country_code, r.geonameid)
            for k, r in sorted(final.items())
        ),
    )
    _run(conn, "load/apply_resolution.sql")
    new, moved = conn.execute(
        sa.text(
            "select count(*) filter (where old_entity_id is null),"
            " count(*) filter (where old_entity_id is not null) from changed_key"
        )
    ).one()
    return new, moved


# The entity step of the load (etl/warehouse/steps.py): the files it runs, the tables it fills itself.
_FILLED = ("touched_key", "resolution_scope", "resolved_key")
ENTITY_STEP = CodeStep(
    "entities", sync_entities, sql=("apply_entity_delta", "apply_resolution", "recount_entity_days"), creates=_FILLED
)
# ... and of the full rebuild: every current document counted at once.
FULL_ENTITY_STEP = CodeStep(
    "entities",
    lambda conn: sync_entities(conn, everything=True),
    sql=("count_entity_stats", "apply_resolution", "count_entity_days"),
    creates=_FILLED,
)
