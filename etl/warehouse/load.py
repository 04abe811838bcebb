"""Load: merge one run's staged rows into the warehouse, in one transaction.

The merge is MERGE_STEPS, run by etl/warehouse/steps.py: set-based SQL steps (sql/load/, one file a
step, each declaring the scratch tables it creates and reads) and the two incremental
maintenance steps in Python, entities and stories, all under the shared-state lock:

  record_quarantine     files that could not become articles
  plan_versions         which staged versions become current, which current ones retire
  retire_articles       retired versions lose their facts; their entities are counted out
  upsert_sources        outlets, keyed by folded name
  upsert_places         the GeoNames places the run's articles ground to
  insert_versions       the run's versions and their text
  insert_article_facts  the fresh articles' entities (counted in), entity facts (by the
                        document's entity key), places, signatures, date facts
  prune_places          places only retired versions named leave dim_place
  apply_entity_key_day_delta  the facts' sums by key and day
  record_duplicates     names of identical contents point at their primary article
  apply_source_delta    outlet names from their spellings' counts, and the spellings they tie
  outlets               sources.sync_outlets: each touched spelling's outlet
  entities              entities.sync_entities: touched key clusters re-resolved
                        (a key's new entity is one key-map row: no older fact changes)
  stories               stories.sync_stories: dirty articles' pairs, their groups
  record_manifest       what the run concluded for each file

Every step costs in proportion to the run's articles and what they touch, never to the
history behind them. `rebuild_derived_state` (news-etl resolve --full) rebuilds what the
incremental steps maintain from the articles' own rows; a load must leave the same warehouse.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from etl import ids, stories
from etl.enrich.resolve import RESOLUTION_VERSION
from etl.errors import NewsEtlError, RunSuperseded
from etl.warehouse.db import lock_key, lock_shared_state, sql_text
from etl.warehouse.entities import ENTITY_STEP, FULL_ENTITY_STEP, EntitySync
from etl.warehouse.sources import FULL_OUTLET_STEP, OUTLET_STEP
from etl.warehouse.staging import fill_scratch_table
from etl.warehouse.steps import CodeStep, SqlStep, run_steps
from etl.warehouse.stories import STORY_STEP, StorySync

log = logging.getLogger(__name__)

# The rules the derived state (outlets, entities, stories) is built with; a warehouse built
# with others is rebuilt in full once by `news-etl init-db`.
DERIVED_STATE_VERSION = f"{RESOLUTION_VERSION}+{stories.STORY_RULES_VERSION}+sources-2"

# The merge of a run, step by step (etl/warehouse/steps.py runs them; each step file declares the
# scratch tables it creates and reads, and a test checks the order against them).
MERGE_STEPS = (
    SqlStep("create_scratch_tables"),
    SqlStep("record_quarantine"),
    SqlStep("plan_versions"),
    SqlStep("retire_articles", only_when="retiring"),
    SqlStep("upsert_sources"),
    SqlStep("upsert_places"),
    SqlStep("insert_versions"),
    SqlStep("insert_article_facts"),
    SqlStep("prune_places", only_when="place_gone"),
    SqlStep("apply_entity_key_day_delta"),
    SqlStep("record_duplicates"),
    SqlStep("apply_source_delta"),
    OUTLET_STEP,
    ENTITY_STEP,
    STORY_STEP,
    SqlStep("record_manifest"),
)


class DerivedStateStale(NewsEtlError):
    def __init__(self, found: str):
        super().__init__(
            f"the warehouse's entities and stories were built by other rules ({found}; this pipeline: "
            f"{DERIVED_STATE_VERSION}); run `news-etl init-db` once to rebuild them"
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


@dataclass(frozen=True)
class MergeResult:
    counts: RunCounts
    shared_lock_seconds: float
    # Rows the merge wrote, by table (partitions under their table): (inserted, updated, deleted).
    rows_written: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    entities: EntitySync | None = None  # None: nothing staged, nothing shared touched
    stories: StorySync | None = None


def merge_run(conn: Connection, run_id: uuid.UUID, partition) -> MergeResult:
    """Merge a run's staged rows into the warehouse and count its buckets (same transaction)."""
    # Loads of one partition queue behind each other; then the shared-state section.
    conn.execute(sa.text("select pg_advisory_xact_lock(:k)"), {"k": lock_key("partition-load", partition)})
    _require_running(conn, run_id, partition)
    staged = conn.execute(
        sa.text(
            "select exists (select 1 from staging.article where run_id = :r)"
            " or exists (select 1 from staging.rejected_file where run_id = :r)"
        ),
        {"r": run_id},
    ).scalar()
    locked_at = None
    entities = story_sync = None
    # A run that staged nothing (every file unchanged) changes nothing shared: only count.
    if staged:
        lock_shared_state(conn)
        locked_at = time.monotonic()
        _plan_for_few_keys(conn)
        _check_derived_state(conn)
        done = run_steps(conn, MERGE_STEPS, run_id)
        entities, story_sync = done["entities"], done["stories"]
    row = conn.execute(sa.text(sql_text("load/run_counts.sql")), {"run_id": run_id}).one()
    lock_s = time.monotonic() - locked_at if locked_at else 0.0
    return MergeResult(RunCounts(*row), lock_s, rows_written(conn), entities, story_sync)


def _require_running(conn: Connection, run_id: uuid.UUID, partition) -> None:
    """A later run of the day abandons a run still `running` (and clears its staged rows):
    such a run must not load (or be counted) as if it had seen nothing."""
    status, error = conn.execute(
        sa.text("select status, error from ops.etl_run where run_id = :r"), {"r": run_id}
    ).one_or_none() or ("missing", None)
    if status != "running":
        raise RunSuperseded(partition, status, error)


def rows_written(conn: Connection) -> dict[str, tuple[int, int, int]]:
    """What this transaction has written so far to the warehouse's tables (dwh.*, ops.*), as
    PostgreSQL counts it (pg_stat_xact_user_tables: no scan), partitions under their table."""
    result = conn.execute(
        sa.text(
            "select coalesce(i.inhparent, s.relid)::regclass::text as name, sum(s.n_tup_ins)::int,"
            " sum(s.n_tup_upd)::int, sum(s.n_tup_del)::int"
            " from pg_stat_xact_user_tables as s left join pg_inherits as i on i.inhrelid = s.relid"
            " where s.schemaname in ('dwh', 'ops') and s.n_tup_ins + s.n_tup_upd + s.n_tup_del > 0"
            " group by 1 order by 1"
        )
    )
    return {name: (ins, upd, dele) for name, ins, upd, dele in result}


def _key_sources(conn: Connection) -> None:
    """Every outlet spelling of the current articles and the outlet it keys (source_key)."""
    spellings = conn.execute(
        sa.text("select distinct source_name from dwh.dim_article where source_name is not null")
    ).scalars()
    conn.execute(
        sa.text("create temporary table source_key (spelling text not null, source_id uuid not null) on commit drop")
    )
    fill_scratch_table(conn, "source_key", ["spelling", "source_id"], ((s, ids.source_id(s)) for s in spellings))


# The full rebuild (news-etl resolve --full): the derived state counted from the articles.
REBUILD_STEPS = (
    SqlStep("create_scratch_tables"),
    SqlStep("reset_entity_state"),
    SqlStep("reset_story_state"),
    SqlStep("rebuild_entity_facts"),
    SqlStep("count_entity_key_days"),
    CodeStep("key_sources", _key_sources, creates=("source_key",)),
    SqlStep("rekey_sources"),
    SqlStep("apply_source_delta"),
    FULL_OUTLET_STEP,
    FULL_ENTITY_STEP,
    STORY_STEP,
)
# The re-resolution of what analysts' overrides name (news-etl resolve, override).
OVERRIDE_STEPS = (SqlStep("create_scratch_tables"), ENTITY_STEP, STORY_STEP)


def rebuild_derived_state(engine: Engine) -> None:
    """Rebuild outlets, entities and stories from the articles' own rows (resolve --full).

    The incremental steps run with every article counted in and every article dirty; the
    result is what any sequence of loads of the same files must leave.
    """
    started = time.monotonic()
    with engine.begin() as conn:
        lock_shared_state(conn)
        run_steps(conn, REBUILD_STEPS)
        conn.execute(sa.text("update dwh.derived_state set version = :v"), {"v": DERIVED_STATE_VERSION})
    log.info("rebuilt the derived state in %.1fs", time.monotonic() - started)


def rebuild_derived_state_if_stale(engine: Engine) -> bool:
    """Rebuild the derived state when it was built by other rules; True when it did."""
    with engine.begin() as conn:
        found = conn.execute(sa.text("select version from dwh.derived_state")).scalar()
        if found == DERIVED_STATE_VERSION:
            return False
        if not conn.execute(sa.text("select exists (select 1 from dwh.dim_article)")).scalar():
            conn.execute(sa.text("update dwh.derived_state set version = :v"), {"v": DERIVED_STATE_VERSION})
            return False  # nothing to rebuild in a new warehouse
    log.warning("rebuilding entities and stories: built by %s, the pipeline has %s", found, DERIVED_STATE_VERSION)
    rebuild_derived_state(engine)
    return True


def resolve_overrides(engine: Engine) -> None:
    """Re-resolve the keys analysts' overrides name (and their clusters), e.g. after adding one."""
    with engine.begin() as conn:
        lock_shared_state(conn)
        _plan_for_few_keys(conn)
        _check_derived_state(conn)
        run_steps(conn, OVERRIDE_STEPS)


def _plan_for_few_keys(conn: Connection) -> None:
    """Planner settings for an incremental step, whose statements join what a run touches
    (a few thousand keys) to tables of the whole history."""
    # The planner's cost guesses over a large warehouse reach JIT's thresholds: compiling
    # took longer than running (1M articles). The story candidates of a day's articles sort
    # ~100k rows: in memory. At the default random_page_cost (4, a spinning disk's) the
    # planner joined a day's keys to the per-key tables by scanning them whole once they
    # held ~100k rows, a cost that grows with the history; their indexes are the way in.
    conn.execute(sa.text("set local jit = off"))
    conn.execute(sa.text("set local work_mem = '64MB'"))
    conn.execute(sa.text("set local random_page_cost = 1.1"))


def _check_derived_state(conn: Connection) -> None:
    found = conn.execute(sa.text("select version from dwh.derived_state")).scalar()
    if found != DERIVED_STATE_VERSION:
        raise DerivedStateStale(found)


def prepare_month_partitions(engine: Engine, run_id: uuid.UUID) -> None:
    """Create the month partitions the run's rows need, in a short transaction of its own
    before the merge (attaching a partition waits for no reader, but should not wait for
    the merge's locks either)."""
    with engine.begin() as conn:
        conn.execute(sa.text(sql_text("load/prepare_month_partitions.sql")), {"run_id": run_id})
