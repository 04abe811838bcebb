"""A warehouse brought up to this install: its migrations (etl.warehouse.db), then the load's derived
state (entities, outlets, stories) rebuilt once if other rules built it (etl.warehouse.load)."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from etl.warehouse import db
from etl.warehouse.load import rebuild_derived_state_if_stale


def upgrade(engine: Engine) -> list[str]:
    """Migrate the schema, then rebuild the derived state if it is stale. Returns the
    migrations applied now."""
    applied = db.migrate(engine)
    rebuild_derived_state_if_stale(engine)
    return applied


def init_db(url: str) -> list[str]:
    """Create the database if needed and upgrade it (news-etl init-db)."""
    db.ensure_database(url)
    engine = db.make_engine(url)
    try:
        return upgrade(engine)
    finally:
        engine.dispose()
