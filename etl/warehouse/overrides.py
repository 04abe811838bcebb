"""Analyst overrides of the entity resolution, and re-resolution on demand."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from etl.warehouse import load

KINDS = ("alias", "merge", "not_entity")


def add_override(engine: Engine, kind: str, name: str, target: str | None = None, note: str | None = None) -> None:
    """Record (or replace) an override; `resolve` or the next load applies it."""
    if kind not in KINDS:
        raise ValueError(f"unknown override kind {kind!r}; use one of {', '.join(KINDS)}")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "insert into dwh.entity_override (kind, name, target, note) values (:kind, :name, :target, :note)"
                " on conflict (kind, name) do update set target = excluded.target, note = excluded.note, created_at = now()"
            ),
            {"kind": kind, "name": name, "target": target, "note": note},
        )


def list_overrides(engine: Engine) -> list[tuple]:
    with engine.connect() as conn:
        return conn.execute(
            sa.text("select kind, name, target, note from dwh.entity_override order by override_id")
        ).all()


def resolve(engine: Engine, full: bool = False) -> int:
    """Apply the overrides now (full: rebuild all entities and stories); returns the entity count."""
    if full:
        load.rebuild_derived_state(engine)
    else:
        load.resolve_overrides(engine)
    with engine.connect() as conn:
        return conn.execute(sa.text("select count(*) from dwh.dim_entity")).scalar()
