"""news-etl dev bench-scale: what one day's load costs as the warehouse grows.

The warehouse starts from real articles loaded by the pipeline (a corpus split into a base
and held-out probe articles), then grows to each size by replicating the base in SQL
(sql/bench/replicate_articles.sql: new ids, dates moved years ahead, a long tail of new
names), so no model runs a million times; the copies' stories are copied from the base's.
Once a size is reached its entities are resolved in one full rebuild (what `news-etl resolve
--full` does for entities): the equivalence contract makes that the warehouse a load of
every copy would leave, in a fraction of the time. While a size's copies are written, the
secondary indexes (and keys no insert relies on) of the tables they fill are set aside and
built again after, as a bulk load does: one sort instead of millions of index insertions.
At each size fresh days of held-out real articles (each a mix of the whole corpus) are
loaded through the whole pipeline, one after the other, and their load stage (the merge
under the shared-state lock) timed: the first after the bulk build, whose writes have left
the server's caches cold (`first_day_load_s`), then PROBE_DAYS more, the steady state of a
daily pipeline that loaded yesterday; their median is `load_s`, what the ratio compares
(one day's load varies with what the server's page cache holds). With each of those days
goes the number of dwh.entity_day rows it wrote (`probe_days_entity_day_rows`): its own
keys' days, and every day named by a key that changed entity, counted again.
"""

from __future__ import annotations

import logging
import math
import shutil
import statistics
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from etl import pipeline
from etl.dev.bench import fresh_database
from etl.settings import Settings
from etl.warehouse import db, load
from etl.warehouse.entities import sync_entities

log = logging.getLogger(__name__)

DATABASE = "news_etl_bench_scale"
FIRST_DAY = date(2005, 1, 3)
BASE_DAYS = 4  # the base spreads over these days; each copy moves them this far ahead
COPIES_PER_BATCH = 25
RENAME_WEIGHT = 1.5  # a key named by d base articles gets a new name in a copy with p = min(0.95, 1.5 / d)
PROBE_DAYS = 3  # timed days a size, after the first


def bench_scale(settings: Settings, corpus: Path, sizes: list[int], probe: int, progress=print) -> dict:
    """Load days of `probe` real articles into warehouses of `sizes` articles; time their loads."""
    engine = fresh_database(settings, DATABASE)
    root = Path(tempfile.mkdtemp(prefix="news-etl-bench-scale-"))
    started = time.monotonic()
    try:
        files = sorted(p for p in Path(corpus).rglob("*.txt") if p.stat().st_size > 0)
        days_per_size = 1 + PROBE_DAYS
        held_out = _spread(files, probe * len(sizes) * days_per_size)
        base = sorted(set(files) - set(held_out))
        settings = settings.override(landing_dir=root)
        base_n = _load_base(engine, settings, root, base, progress)
        copies = 0
        out = {
            "sizes": [],
            "load_s": [],
            "shared_lock_s": [],
            "first_day_load_s": [],
            "probe_days_load_s": [],
            "probe_days_entity_day_rows": [],
            "article_entity_rows": [],
            "build_s": [],
        }
        for i, size in enumerate(sizes):
            grown = time.monotonic()
            target = max(0, math.ceil(size / base_n) - 1)
            with _indexes_set_aside(engine):
                for first in range(copies + 1, target + 1, COPIES_PER_BATCH):
                    last = min(target, first + COPIES_PER_BATCH - 1)
                    _replicate(engine, first, last)
                    progress(f"replicated copies {first}-{last} of {target}")
            copies = max(copies, target)
            _resolve_entities(engine)
            progress(f"resolved the entities of {copies} copies")
            _vacuum(engine)
            out["build_s"].append(round(time.monotonic() - grown, 1))
            # The probe days sit inside the replicated calendar, among neighbours on both
            # sides; each size's days take every (sizes x days)-th held-out file.
            first_day = FIRST_DAY + timedelta(days=(copies + 1) * BASE_DAYS // 2 + days_per_size * i)
            timed = []
            for d in range(days_per_size):
                files_of_day = held_out[i * days_per_size + d :: len(sizes) * days_per_size]
                timed.append(_load_probe(engine, settings, root, first_day + timedelta(days=d), files_of_day))
            with engine.connect() as conn:
                out["sizes"].append(
                    conn.execute(sa.text("select count(*) from dwh.dim_article where is_current")).scalar()
                )
                out["article_entity_rows"].append(
                    conn.execute(sa.text("select count(*) from dwh.article_entity")).scalar()
                )
            first, steady = timed[0], timed[1:]
            out["first_day_load_s"].append(round(first.load_s, 2))
            out["probe_days_load_s"].append([round(d.load_s, 2) for d in steady])
            out["probe_days_entity_day_rows"].append([d.entity_day_rows for d in steady])
            out["load_s"].append(round(statistics.median(d.load_s for d in steady), 2))
            out["shared_lock_s"].append(round(statistics.median(d.lock_s for d in steady), 2))
            progress(
                f"size {out['sizes'][-1]}: first day's load {first.load_s:.2f}s, then {out['probe_days_load_s'][-1]}"
            )
        out["ratio_largest_vs_smallest"] = round(out["load_s"][-1] / out["load_s"][0], 2)
        out["total_s"] = round(time.monotonic() - started, 1)
        return out
    finally:
        engine.dispose()
        shutil.rmtree(root, ignore_errors=True)


def _spread(files: list[Path], n: int) -> list[Path]:
    """n files taken evenly from the whole (sorted) corpus, so that no day is all one topic."""
    stride = len(files) / n
    return [files[int(k * stride)] for k in range(n)]


def _load_base(engine: Engine, settings: Settings, root: Path, files: list[Path], progress) -> int:
    """Land the base articles over BASE_DAYS days and load them with the pipeline."""
    days = [FIRST_DAY + timedelta(days=i) for i in range(BASE_DAYS)]
    for i, f in enumerate(files):
        folder = root / days[i % BASE_DAYS].isoformat()
        folder.mkdir(exist_ok=True)
        shutil.copy(f, folder / f"base-{f.parent.name}-{f.name}")
    with pipeline.nlp_workers(settings) as workers:
        for day in days:
            progress(pipeline.run_partition(engine, settings, day, workers=workers).summary())
    with engine.begin() as conn:
        conn.execute(
            sa.text("create table public.bench_base as select article_id from dwh.dim_article where is_current")
        )
        return conn.execute(sa.text("select count(*) from public.bench_base")).scalar()


# The tables the copies fill; their secondary indexes wait while they are written, and so
# do the primary keys no insert of the copies relies on.
REPLICATED_TABLES = ["dim_article", "article_entity", "fact_entity_mention", "fact_date_mention", "article_signature"]
KEYS_SET_ASIDE = ["article_entity"]


@contextmanager
def _indexes_set_aside(engine: Engine):
    """Drop the replicated tables' secondary indexes (not unique ones: the copies' inserts
    and the load rely on those) and the KEYS_SET_ASIDE primary keys, and create them again
    from their definitions on exit."""
    with engine.begin() as conn:
        keys = conn.execute(
            sa.text(
                "select c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) from pg_constraint as c"
                " join pg_class as t on t.oid = c.conrelid join pg_namespace as n on n.oid = t.relnamespace"
                " where n.nspname = 'dwh' and t.relname = any(:tables) and c.contype = 'p'"
            ),
            {"tables": KEYS_SET_ASIDE},
        ).all()
        indexes = conn.execute(
            sa.text(
                "select x.indexrelid::regclass::text, pg_get_indexdef(x.indexrelid) from pg_index as x"
                " join pg_class as t on t.oid = x.indrelid join pg_namespace as n on n.oid = t.relnamespace"
                " where n.nspname = 'dwh' and t.relname = any(:tables) and not x.indisunique"
            ),
            {"tables": REPLICATED_TABLES},
        ).all()
        for table, name, _definition in keys:
            conn.execute(sa.text(f"alter table {table} drop constraint {name}"))
        for name, _definition in indexes:
            conn.execute(sa.text(f"drop index {name}"))
    try:
        yield
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text("set local maintenance_work_mem = '1GB'"))
            for table, name, definition in keys:
                conn.execute(sa.text(f"alter table {table} add constraint {name} {definition}"))
            for _name, definition in indexes:
                # A partitioned table's index is defined ON ONLY the parent; built on it, it
                # is built on every partition.
                conn.execute(sa.text(definition.replace(" ON ONLY ", " ON ")))


def _replicate(engine: Engine, first: int, last: int) -> None:
    """One batch of copies of the base: articles, their documents' entities and entity
    facts, dates, outlets and stories (the entities are resolved once the size is reached)."""
    with engine.begin() as conn:
        conn.execute(sa.text("set local synchronous_commit = off"))
        conn.execute(sa.text("set local work_mem = '256MB'"))
        load.lock_shared_state(conn)
        params = {"first_copy": first, "last_copy": last, "days_per_copy": BASE_DAYS, "rename_weight": RENAME_WEIGHT}
        for name in (
            "load/create_scratch_tables.sql",
            "bench/replicate_articles.sql",
            "load/apply_source_delta.sql",
        ):
            for statement in db.sql_statements(name):
                conn.execute(sa.text(statement), params)


def _resolve_entities(engine: Engine) -> None:
    """Sum the facts by key and day, resolve every key and count every entity_day row: the
    entity half of resolve --full (the facts name keys: they stay)."""
    with engine.begin() as conn:
        conn.execute(sa.text("set local synchronous_commit = off"))
        conn.execute(sa.text("set local work_mem = '256MB'"))
        load.lock_shared_state(conn)
        for name in ("load/create_scratch_tables.sql", "load/count_entity_key_days.sql", "load/reset_entity_state.sql"):
            for statement in db.sql_statements(name):
                conn.execute(sa.text(statement))
        sync_entities(conn, everything=True)


def _vacuum(engine: Engine) -> None:
    """Fresh planner statistics and visibility maps after a bulk growth, as autovacuum would
    give a real warehouse (without the map, index-only scans visit the table too)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("vacuum (analyze)"))


class ProbeDay(NamedTuple):
    load_s: float  # the load stage
    lock_s: float  # of it, under the shared-state lock
    entity_day_rows: int  # written: the day's own and those of keys that changed entity


def _load_probe(engine: Engine, settings: Settings, root: Path, day: date, files: list[Path]) -> ProbeDay:
    """Load one day of real articles through the pipeline and time its load."""
    folder = root / day.isoformat()
    folder.mkdir(exist_ok=True)
    for f in files:
        shutil.copy(f, folder / f"probe-{f.parent.name}-{f.name}")
    timings: Counter = Counter()
    with pipeline.nlp_workers(settings) as workers:
        result = pipeline.run_partition(engine, settings, day, timings=timings, workers=workers)
    return ProbeDay(
        timings["load"], result.load.shared_lock_seconds, sum(result.load.rows_written.get("dwh.entity_day", ()))
    )
