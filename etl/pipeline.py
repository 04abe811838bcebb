"""One partition's run: discover -> process (parse + enrich, in chunks) -> load -> check.

The stages are separate functions because Airflow runs them as separate tasks (process as
mapped tasks over chunks); the CLI calls them in a row. They share state only through the
warehouse: the run's row in ops.etl_run and its rows in staging.*, keyed by run_id.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Callable, Iterator, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from etl import load, parse, stories
from etl.enrich import enrich_articles, enrichment_version
from etl.errors import BadInputFile, NewsEtlError
from etl.landing import LandedFile, file_sha256, list_partition, read_file, sha256
from etl.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunPlan:
    run_id: uuid.UUID
    partition: date
    files_seen: int
    to_process: list[str]  # paths relative to the landing root

    def chunks(self, size: int) -> list[list[str]]:
        return [self.to_process[i : i + size] for i in range(0, len(self.to_process), size)]


@dataclass(frozen=True)
class RunResult:
    run_id: uuid.UUID
    partition: date
    counts: load.RunCounts
    seconds: float

    def summary(self) -> str:
        c = self.counts
        return (
            f"{self.partition}: {c.files_seen} files seen, {c.loaded} loaded, {c.unchanged} unchanged, "
            f"{c.duplicates} duplicates, {c.quarantined} quarantined in {self.seconds:.1f}s"
        )


def new_run_id() -> uuid.UUID:
    return uuid.uuid4()


# --------------------------------------------------------------------------- discover


def discover(engine: Engine, settings: Settings, partition: date, force: bool = False, run_id: uuid.UUID | None = None) -> RunPlan:
    """Register the run and decide, file by file, what needs processing.

    A file is unchanged when its content hash and the enrichment version match what the
    manifest says was loaded (or recorded as a duplicate); --force processes it anyway.
    """
    run_id = run_id or new_run_id()
    version = enrichment_version(settings.spacy_model)
    files = list_partition(settings.landing_dir, partition)
    with engine.begin() as conn:
        known = {
            row.path: row
            for row in conn.execute(
                sa.text(
                    "select path, sha256, enrichment_version, outcome from ops.file_manifest"
                    " where partition_date = :p"
                ),
                {"p": partition},
            )
        }
    decisions = []
    for f in files:
        digest = file_sha256(f, settings.max_file_bytes)
        prior = known.get(f.path)
        unchanged = (
            not force
            and digest is not None
            and prior is not None
            and prior.sha256 == digest
            and prior.enrichment_version == version
            and prior.outcome in ("loaded", "duplicate")
        )
        decisions.append((run_id, f.path, digest, "unchanged" if unchanged else "process"))
    with engine.begin() as conn:
        # A retried discover of the same run starts from a clean slate.
        conn.execute(sa.text("delete from staging.run_file where run_id = :r"), {"r": run_id})
        load.clear_staged(conn, run_id)
        # Staged rows of earlier runs of this partition that died before their load.
        conn.execute(
            sa.text(
                "update ops.etl_run set status = 'failed', finished_at = now(),"
                " error = coalesce(error, 'abandoned: a later run of the partition started')"
                " where partition_date = :p and status = 'running' and run_id <> :r"
            ),
            {"p": partition, "r": run_id},
        )
        conn.execute(
            sa.text(
                "insert into ops.etl_run (run_id, partition_date, status, forced, enrichment_version, files_seen, started_at)"
                " values (:r, :p, 'running', :forced, :v, :n, :t)"
                " on conflict (run_id) do update set status = 'running', files_seen = excluded.files_seen,"
                " started_at = excluded.started_at, finished_at = null, error = null"
            ),
            {"r": run_id, "p": partition, "forced": force, "v": version, "n": len(files), "t": _now()},
        )
        load.copy_rows(conn, "run_file", decisions)
    to_process = [path for _r, path, _d, action in decisions if action == "process"]
    log.info("%s: %d files seen, %d to process", partition, len(files), len(to_process))
    return RunPlan(run_id, partition, len(files), to_process)


# --------------------------------------------------------------------------- process


@contextmanager
def _timed(timings: Counter | None, stage: str):
    """Add the block's seconds to timings[stage] (the benchmark's per-stage figures)."""
    started = time.monotonic()
    try:
        yield
    finally:
        if timings is not None:
            timings[stage] += time.monotonic() - started


def process(engine: Engine, settings: Settings, run_id: uuid.UUID, partition: date, paths: Sequence[str], timings: Counter | None = None) -> int:
    """Parse and enrich some files of a run and COPY the results into staging. Idempotent.

    Returns how many of them became articles (the rest are staged as rejected, with reasons).
    """
    version = enrichment_version(settings.spacy_model)
    parsed: list[tuple[str, bytes, parse.Article]] = []
    rejected = []
    with _timed(timings, "parse"):
        _parse_files(settings, run_id, partition, paths, parsed, rejected)
    with _timed(timings, "enrich"):
        enriched = enrich_articles(
            [(article, article.published or partition) for _p, _d, article in parsed],
            settings.spacy_model,
            batch_size=settings.nlp_batch_size,
            n_process=settings.nlp_processes,
        )
        articles, entities, dates = [], [], []
        for (path, data, article), result in zip(parsed, enriched):
            articles.append(_article_row(run_id, path, partition, data, article, version))
            entities.extend(_entity_rows(run_id, path, result.entities))
            dates.extend(_date_rows(run_id, path, result.dates))
    with _timed(timings, "load"), engine.begin() as conn:
        load.clear_staged(conn, run_id, paths)
        load.copy_rows(conn, "article", articles)
        load.copy_rows(conn, "entity_mention", entities)
        load.copy_rows(conn, "date_mention", dates)
        load.copy_rows(conn, "rejected_file", rejected)
    if timings is not None:
        timings["rows"] += len(articles) + len(entities) + len(dates)
    return len(articles)


def _parse_files(settings, run_id, partition, paths, parsed: list, rejected: list) -> None:
    """Read, decode and parse each file; what cannot become an article goes to rejected."""
    for path in paths:
        f = LandedFile(path, partition, settings.landing_dir / path)
        data = None
        try:
            data = read_file(f, settings.max_file_bytes)
            article = parse.parse_article(parse.decode(data))
            parsed.append((path, data, article))
        except BadInputFile as e:
            log.warning("quarantined %s: %s", path, e.reason)
            rejected.append((run_id, path, partition, sha256(data) if data else None, e.reason))
        except Exception as e:  # a parser bug must not stop the run: quarantine with the reason
            log.exception("could not parse %s", path)
            rejected.append((run_id, path, partition, sha256(data) if data else None, f"parser error: {type(e).__name__}: {e}"))


def _article_row(run_id, path, partition, data: bytes, a: parse.Article, version: str) -> tuple:
    source = a.source.strip() if a.source else None
    signature, shingles = stories.text_signature(a.body or a.title or "")
    return (
        run_id, path, partition, load.article_id(path), sha256(data), len(data), a.title,
        load.source_id(source) if source else None, source, a.dateline_place, a.dateline_agency,
        a.published or partition, a.published_basis or "partition", a.language, a.body,
        a.captions, a.text, version, signature, shingles, stories.band_hashes(signature),
    )


def _entity_rows(run_id, path, entities) -> Iterator[tuple]:
    for e in entities:
        yield (
            run_id, path, e.key, e.canonical, e.type, e.country_code, e.acronym, e.forms,
            e.aliases, len(e.mentions), e.mentions[0].start,
        )


def _date_rows(run_id, path, dates) -> Iterator[tuple]:
    from etl.enrich.dates import value_bounds

    for d in dates:
        if not d.is_calendar:
            continue  # vague references ("recent days") are not calendar dates
        first = value_bounds(d.value)
        last = value_bounds(d.end_value) if d.end_value else first
        if not first or not last:
            continue
        yield (run_id, path, d.start, d.end, d.text, d.value, d.end_value, d.granularity, first[0], last[1])


# --------------------------------------------------------------------------- load and check


def load_run(engine: Engine, run_id: uuid.UUID, partition: date) -> load.RunCounts:
    """Merge the run into the warehouse in one transaction and record its counts."""
    with engine.begin() as conn:
        counts = load.merge_run(conn, run_id, partition)
        conn.execute(
            sa.text(
                "update ops.etl_run set loaded = :loaded, unchanged = :unchanged, duplicates = :duplicates,"
                " quarantined = :quarantined, files_seen = :files_seen where run_id = :r"
            ),
            {**counts.__dict__, "r": run_id},
        )
        load.clear_staged(conn, run_id)
        conn.execute(sa.text("delete from staging.run_file where run_id = :r"), {"r": run_id})
    return counts


class ReconciliationFailed(NewsEtlError):
    pass


def check_run(engine: Engine, run_id: uuid.UUID) -> load.RunCounts:
    """Fail the run, saying what is wrong, unless every seen file is in exactly one bucket."""
    with engine.begin() as conn:
        row = conn.execute(
            sa.text(
                "select partition_date, files_seen, loaded, unchanged, duplicates, quarantined"
                " from ops.etl_run where run_id = :r"
            ),
            {"r": run_id},
        ).one()
        counts = load.RunCounts(row.files_seen, row.loaded, row.unchanged, row.duplicates, row.quarantined)
        problem = None
        if not counts.reconciles:
            problem = (
                f"reconciliation failed for {row.partition_date}: {counts.files_seen} files seen but "
                f"{counts.loaded} loaded + {counts.unchanged} unchanged + {counts.duplicates} duplicates + "
                f"{counts.quarantined} quarantined = {counts.loaded + counts.unchanged + counts.duplicates + counts.quarantined}"
            )
        elif counts.files_seen and not (counts.loaded + counts.unchanged + counts.duplicates):
            problem = f"{row.partition_date} had {counts.files_seen} files and loaded none: all quarantined (see ops.quarantine)"
        conn.execute(
            sa.text("update ops.etl_run set status = :s, finished_at = :t, error = :e where run_id = :r"),
            {"s": "failed" if problem else "succeeded", "t": _now(), "e": problem, "r": run_id},
        )
    if problem:
        raise ReconciliationFailed(problem)
    return counts


def mark_failed(engine: Engine, run_id: uuid.UUID, error: BaseException) -> None:
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text("update ops.etl_run set status = 'failed', finished_at = :t, error = :e where run_id = :r"),
                {"t": _now(), "e": f"{type(error).__name__}: {error}"[:2000], "r": run_id},
            )
    except sa.exc.SQLAlchemyError:
        log.warning("could not record the failure of run %s", run_id)


# --------------------------------------------------------------------------- a whole run


def run_partition(
    engine: Engine,
    settings: Settings,
    partition: date,
    force: bool = False,
    chunk_size: int = 200,
    progress: Callable[[int, int], None] | None = None,
    timings: Counter | None = None,
) -> RunResult:
    """discover -> process (chunk by chunk, so memory does not grow) -> load -> check."""
    from etl.db import partition_lock

    started = time.monotonic()
    with partition_lock(engine, partition):
        with _timed(timings, "discover"):
            plan = discover(engine, settings, partition, force=force)
        try:
            done = 0
            for chunk in plan.chunks(chunk_size):
                process(engine, settings, plan.run_id, partition, chunk, timings)
                done += len(chunk)
                if progress:
                    progress(done, len(plan.to_process))
            with _timed(timings, "load"):
                load_run(engine, plan.run_id, partition)
            counts = check_run(engine, plan.run_id)
        except ReconciliationFailed:
            raise
        except BaseException as e:
            mark_failed(engine, plan.run_id, e)
            raise
    return RunResult(plan.run_id, partition, counts, time.monotonic() - started)


def _now() -> datetime:
    return datetime.now(timezone.utc)
