"""One partition's run: discover -> process (parse + enrich, in chunks) -> load -> check.

The stages are separate functions because Airflow runs them as separate tasks (process as
mapped tasks over chunks); the CLI calls them in a row. They share state only through the
warehouse: the run's row in ops.etl_run and its rows in staging.*, keyed by run_id.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from etl import ids, parse, stories
from etl.enrich import enrich_articles, enrichment_version, load_model
from etl.enrich.dates import value_bounds
from etl.enrich.gazetteer import close_gazetteer
from etl.errors import BadInputFile, ConnectionLost, NewsEtlError, PartitionUnreadable
from etl.landing import (
    LandedFile,
    file_sha256,
    list_partition,
    locate,
    misnamed_partitions,
    partition_dir,
    partition_of,
    read_file,
    sha256,
)
from etl.settings import Settings
from etl.warehouse import ledger, load, staging
from etl.warehouse.entities import EntitySync
from etl.warehouse.staging import (
    RejectedFile,
    RunFile,
    StagedArticle,
    StagedDate,
    StagedEntity,
    StagedPlace,
    StagedQuote,
)
from etl.warehouse.stories import StorySync

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunPlan:
    run_id: uuid.UUID
    partition: date
    files_seen: int
    to_process: list[str]  # paths relative to the landing root
    folder_found: bool = True  # False: the landing zone has no folder for the partition
    warnings: tuple[str, ...] = ()  # what a person should look at, failing nothing

    def chunks(self, size: int) -> list[list[str]]:
        return [self.to_process[i : i + size] for i in range(0, len(self.to_process), size)]


@dataclass(frozen=True)
class RunResult:
    run_id: uuid.UUID
    partition: date
    counts: load.RunCounts
    seconds: float
    load: LoadReport  # what the load wrote
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        c = self.counts
        return (
            f"{self.partition}: {c.files_seen} files seen, {c.loaded} loaded, {c.unchanged} unchanged, "
            f"{c.duplicates} duplicates, {c.quarantined} quarantined in {self.seconds:.1f}s"
        )


def new_run_id() -> uuid.UUID:
    return uuid.uuid4()


# --------------------------------------------------------------------------- discover


@dataclass(frozen=True)
class Orchestrator:
    """Who started a run, recorded with it (report.runs): an Airflow task try, say."""

    dag_id: str
    run_id: str
    try_number: int


def discover(
    engine: Engine,
    settings: Settings,
    partition: date,
    force: bool = False,
    run_id: uuid.UUID | None = None,
    started_by: Orchestrator | None = None,
) -> RunPlan:
    """Register the run and decide, file by file, what needs processing.

    A file is unchanged when its content hash and the enrichment version match what the
    manifest says was loaded (or recorded as a duplicate); --force processes it anyway.
    """
    run_id = run_id or new_run_id()
    started_at = _now()
    version = enrichment_version(settings.spacy_model)
    try:
        files = list_partition(settings.landing_dir, partition)
    except PartitionUnreadable as e:
        _record_unlistable(engine, run_id, partition, force, version, e, started_by)
        raise
    with engine.begin() as conn:
        known = ledger.known_files(conn, partition)
    decisions = []
    for f in files:
        digest = file_sha256(f, settings.max_file_bytes, settings.landing_dir, settings.allow_hard_links)
        prior = known.get(f.path)
        unchanged = (
            not force
            and digest is not None
            and prior is not None
            and prior.sha256 == digest
            and prior.enrichment_version == version
            and prior.outcome in ("loaded", "duplicate")
        )
        decisions.append(RunFile(run_id, f.path, digest, "unchanged" if unchanged else "process"))
    adopted = _orphaned_duplicates(engine, decisions, known)
    decisions = [replace(d, action="process") if d.path in adopted else d for d in decisions]
    with engine.begin() as conn:
        # A retried discover of the same run starts from a clean slate.
        staging.clear_run(conn, run_id)
        # Earlier runs of this partition that died before their load (killed: still
        # "running"), and the staged rows of every run that is over.
        ledger.abandon_earlier_runs(conn, partition, run_id)
        staging.clear_finished_runs(conn)
        ledger.record_start(
            conn,
            run_id,
            partition,
            forced=force,
            enrichment_version=version,
            files_seen=len(files),
            started_at=started_at,
            origin=_origin(started_by),
        )
        staging.copy_rows(conn, RunFile, decisions)
    to_process = [d.path for d in decisions if d.action == "process"]
    to_process += sorted(adopted - set(to_process))
    folder_found = partition_dir(settings.landing_dir, partition).is_dir()
    if folder_found:
        log.info("%s: %d files seen, %d to process", partition, len(files), len(to_process))
    else:
        log.info("%s: the landing zone has no folder %s: no files", partition, partition.isoformat())
    warnings = []
    if misnamed := misnamed_partitions(settings.landing_dir):
        warnings.append(
            f"the landing zone has folders named like a day that is none, never loaded: {', '.join(misnamed[:10])}"
            + (f" and {len(misnamed) - 10} more" if len(misnamed) > 10 else "")
            + " (a day folder is YYYY-MM-DD)"
        )
    for warning in warnings:
        log.warning("%s", warning)
    return RunPlan(run_id, partition, len(files), to_process, folder_found, tuple(warnings))


def _record_unlistable(engine: Engine, run_id, partition, force, version, error: Exception, started_by) -> None:
    """A failed run row for a partition whose folder cannot be listed."""
    with engine.begin() as conn:
        ledger.record_unlistable(
            conn,
            run_id,
            partition,
            forced=force,
            enrichment_version=version,
            at=_now(),
            error=str(error),
            origin=_origin(started_by),
        )


def _origin(started_by: Orchestrator | None) -> dict:
    return {
        "dag_id": started_by.dag_id if started_by else None,
        "dag_run_id": started_by.run_id if started_by else None,
        "try_number": started_by.try_number if started_by else None,
    }


def _orphaned_duplicates(engine: Engine, decisions: list[RunFile], known: dict) -> set[str]:
    """Files, in any partition, that were duplicates of an article this run rewrites.

    Their content loses its current article with the rewrite, so the run processes them
    too: the smallest of their paths becomes the content's article, in the same load.
    """
    rewritten = [
        ids.article_id(d.path)
        for d in decisions
        if d.action == "process"
        and (prior := known.get(d.path))
        and prior.outcome == "loaded"
        and prior.sha256 != d.sha256
    ]
    if not rewritten:
        return set()
    with engine.connect() as conn:
        return set(
            conn.execute(
                sa.text("select path from dwh.article_file where not is_primary and article_id = any(:ids)"),
                {"ids": rewritten},
            ).scalars()
        )


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


@dataclass
class PreparedFiles:
    """What processing some files of a run gives: rows for each staging table."""

    paths: list[str]
    articles: list[StagedArticle] = field(default_factory=list)
    entities: list[StagedEntity] = field(default_factory=list)
    places: list[StagedPlace] = field(default_factory=list)
    quotes: list[StagedQuote] = field(default_factory=list)
    dates: list[StagedDate] = field(default_factory=list)
    rejected: list[RejectedFile] = field(default_factory=list)
    timings: Counter = field(default_factory=Counter)


def prepare_files(settings: Settings, run_id: uuid.UUID, paths: Sequence[str]) -> PreparedFiles:
    """Read, parse and enrich files into staging rows. Pure but for reading the files, so it
    runs in worker processes; what cannot become an article becomes a rejected row.

    A file's partition is its folder's day (a run may process another day's file that it
    adopted, see discover)."""
    out = PreparedFiles(list(paths))
    version = enrichment_version(settings.spacy_model)
    parsed: list[tuple[str, bytes, parse.Article]] = []
    with _timed(out.timings, "parse"):
        for path in paths:
            data = None
            try:
                landed = LandedFile(path, partition_of(path), locate(settings.landing_dir, path))
                data = read_file(landed, settings.max_file_bytes, settings.landing_dir, settings.allow_hard_links)
                parsed.append((path, data, parse.parse_article(parse.decode(data), partition_of(path))))
            except BadInputFile as e:
                log.warning("quarantined %s: %s", path, e.reason)
                out.rejected.append(
                    RejectedFile(run_id, path, partition_of(path), sha256(data) if data else None, e.reason)
                )
            except Exception as e:  # a parser bug must not stop the run: quarantine with the reason
                log.exception("could not parse %s", path)
                reason = f"parser error: {type(e).__name__}: {e}"
                out.rejected.append(
                    RejectedFile(run_id, path, partition_of(path), sha256(data) if data else None, reason)
                )
    with _timed(out.timings, "enrich"):
        for (path, data, article), result in zip(parsed, _enrich_each(settings, parsed)):
            try:
                if isinstance(result, Exception):
                    raise result
                staged = _staged_article(run_id, path, partition_of(path), data, article, version, result)
                entities = list(_staged_entities(run_id, path, result.entities))
                places = list(_staged_places(run_id, path, result))
                quotes = list(_staged_quotes(run_id, path, article.text, result))
                dates = list(_staged_dates(run_id, path, result.dates))
            except BadInputFile as e:  # over the time budget
                log.warning("quarantined %s: %s", path, e.reason)
                out.rejected.append(RejectedFile(run_id, path, partition_of(path), sha256(data), e.reason))
                continue
            except Exception as e:  # an enrichment bug must not stop the run either
                log.exception("could not enrich %s", path)
                out.rejected.append(
                    RejectedFile(
                        run_id, path, partition_of(path), sha256(data), f"enrichment error: {type(e).__name__}: {e}"
                    )
                )
                continue
            out.articles.append(staged)
            out.entities.extend(entities)
            out.places.extend(places)
            out.quotes.extend(quotes)
            out.dates.extend(dates)
    return out


# A text this long is enriched on its own, under the per-file time budget; shorter ones in
# batches (they cannot take long: ~5 s at this size).
ALONE_CHARS = 256 * 1024


def _enrich_each(settings: Settings, parsed: list) -> list:
    """The chunk's enrichment, in input order: short articles in one batch, long ones one by
    one under the time budget. When the batch fails, article by article, so one article's
    failure (its exception, in its place) spares the others."""
    items = [(article, article.published or partition_of(path)) for path, _d, article in parsed]
    results: list = [None] * len(items)
    short = [i for i, (article, _ref) in enumerate(items) if len(article.text) < ALONE_CHARS]
    try:
        for i, result in zip(
            short, enrich_articles([items[i] for i in short], settings.spacy_model, batch_size=settings.nlp_batch_size)
        ):
            results[i] = result
        alone = sorted(set(range(len(items))) - set(short))
    except Exception:
        log.warning("a chunk's enrichment failed; enriching its %d articles one by one", len(items))
        alone = range(len(items))
    for i in alone:
        try:
            with time_budget(settings.max_file_seconds):
                results[i] = enrich_articles([items[i]], settings.spacy_model, batch_size=settings.nlp_batch_size)[0]
        except Exception as e:
            results[i] = e
    return results


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise BadInputFile when the block runs longer than `seconds` (SIGALRM; where no
    signal can be set, outside the main thread, the block runs unbounded)."""
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    def expired(_signum, _frame):
        raise BadInputFile(
            f"enrichment took longer than {seconds:g} s, the per-file budget (NEWS_ETL_MAX_FILE_SECONDS)"
        )

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def stage(engine: Engine, run_id: uuid.UUID, prepared: PreparedFiles) -> int:
    """COPY prepared rows into staging, replacing any earlier staging of those files."""
    with engine.begin() as conn:
        staging.clear(conn, run_id, prepared.paths)
        for row_type, rows in (
            (StagedArticle, prepared.articles),
            (StagedEntity, prepared.entities),
            (StagedPlace, prepared.places),
            (StagedQuote, prepared.quotes),
            (StagedDate, prepared.dates),
            (RejectedFile, prepared.rejected),
        ):
            staging.copy_rows(conn, row_type, rows)
    return len(prepared.articles)


def process(
    engine: Engine, settings: Settings, run_id: uuid.UUID, paths: Sequence[str], timings: Counter | None = None
) -> int:
    """Parse and enrich some files of a run and COPY the results into staging. Idempotent.

    Returns how many of them became articles (the rest are staged as rejected, with reasons).
    """
    prepared = prepare_files(settings, run_id, paths)
    with _timed(timings, "stage"):
        n = stage(engine, run_id, prepared)
    _count(timings, prepared)
    return n


def _count(timings: Counter | None, prepared: PreparedFiles) -> None:
    if timings is not None:
        timings.update(prepared.timings)
        timings["rows"] += sum(
            map(len, (prepared.articles, prepared.entities, prepared.places, prepared.quotes, prepared.dates))
        )


# An article that touches every lazily loaded part of the pipeline (warm_up).
_WARM_UP_ARTICLE = (
    "Ministers meet in Paris\n\nPARIS, March 22 (Reuters) - Foreign ministers from Germany and France met in "
    'Paris on Monday to discuss trade, the European Commission said. "We had a good meeting," Anna Weber, '
    "the German minister, told reporters after the talks, which will continue next week in Berlin.\n"
)


def warm_up(settings: Settings) -> None:
    """Load, in this process, what each task would otherwise load again: the modules, the
    spaCy model, the language identifier, MinHash, the tone lexicon, the nickname table. For
    a process that forks its tasks (an Airflow worker: news_etl_airflow/celery_config.py); the gazetteer's
    connection is closed again, as a connection must not cross a fork."""
    article = parse.parse_article(_WARM_UP_ARTICLE)
    enrich_articles([(article, date(2021, 3, 22))], settings.spacy_model)
    stories.text_signature(article.body)
    close_gazetteer()


# A day of fewer files is processed in this process: starting the workers (an interpreter
# and a spaCy model each) would cost more than they save.
MIN_FILES_FOR_WORKERS = 40


class WorkerPool(Executor):
    """Worker processes that parse and enrich chunks of files, each with its own spaCy
    model, started at the first day big enough to use them (a range of small days never
    starts them)."""

    def __init__(self, processes: int, spacy_model: str):
        self.processes = processes
        self._spacy_model = spacy_model
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, fn, /, *args, **kwargs):
        if self._pool is None:
            log.info("starting %d NLP worker processes", self.processes)
            # spawn: a clean interpreter per worker (no inherited database connections or threads).
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(
                self.processes, mp_context=context, initializer=load_model, initargs=(self._spacy_model,)
            )
        return self._pool.submit(fn, *args, **kwargs)

    @property
    def started(self) -> bool:
        return self._pool is not None

    def shutdown(self, wait=True, *, cancel_futures=False):
        if self._pool is not None:
            self._pool.shutdown(wait, cancel_futures=cancel_futures)


@contextmanager
def nlp_workers(settings: Settings) -> Iterator[WorkerPool | None]:
    """settings.nlp_processes worker processes, or None when one process does it all."""
    if settings.nlp_processes <= 1:
        yield None
        return
    with WorkerPool(settings.nlp_processes, settings.spacy_model) as pool:
        yield pool


def _process_all(engine, settings, plan: RunPlan, chunk_size, workers, progress, timings) -> None:
    """Process every file of the plan, in chunks, in the workers when the day is big enough."""
    if workers is None or len(plan.to_process) < MIN_FILES_FOR_WORKERS:
        chunks = plan.chunks(chunk_size)
        results = (prepare_files(settings, plan.run_id, chunk) for chunk in chunks)
    else:
        # Chunks small enough that every worker gets several, so none waits at the end.
        per_worker = -(-len(plan.to_process) // (settings.nlp_processes * 4))
        chunks = plan.chunks(max(1, min(chunk_size, per_worker)))
        results = workers.map(prepare_files, [settings] * len(chunks), [plan.run_id] * len(chunks), chunks)
    done = 0
    for prepared in results:
        with _timed(timings, "stage"):
            stage(engine, plan.run_id, prepared)
        _count(timings, prepared)
        done += len(prepared.paths)
        if progress:
            progress(done, len(plan.to_process))


def _staged_article(run_id, path, partition, data: bytes, a: parse.Article, version: str, enriched) -> StagedArticle:
    source = a.source.strip() if a.source else None
    signature, shingles = stories.text_signature(a.body or a.title or "")
    article_id = ids.article_id(path)
    return StagedArticle(
        run_id=run_id,
        path=path,
        partition_date=partition,
        article_id=article_id,
        sha256=sha256(data),
        byte_size=len(data),
        title=a.title,
        author=a.author,
        source_id=ids.source_id(source) if source else None,
        source_name=source,
        source_alias_ids=[ids.source_id(alias) for alias in a.source_aliases],
        dateline_place=a.dateline_place,
        dateline_agency=a.dateline_agency,
        published_date=a.published or partition,
        published_basis=a.published_basis or "partition",
        language=a.language,
        body=a.body,
        captions=a.captions,
        raw_text=a.text,
        enrichment_version=version,
        minhash=signature,
        shingles=shingles,
        band_hashes=stories.band_hashes(signature),
        story_id=ids.story_id(article_id),
        focus_country_geonameid=enriched.focus.country.geonameid if enriched.focus.country else None,
        focus_geonameid=enriched.focus.place.geonameid if enriched.focus.place else None,
        tone=enriched.tone.tone,
        tone_positive=enriched.tone.positive,
        tone_negative=enriched.tone.negative,
        tone_polarity=enriched.tone.polarity,
        word_count=enriched.tone.words,
    )


# No name is this long; a longer "entity" is a model error on junk text, and its key would
# not fit the warehouse's indexes.
MAX_ENTITY_KEY_CHARS = 300


def _staged_entities(run_id, path, entities) -> Iterator[StagedEntity]:
    for e in entities:
        if len(e.key) > MAX_ENTITY_KEY_CHARS:
            log.info("%s: skipped an entity of %d characters", path, len(e.key))
            continue
        yield StagedEntity(
            run_id,
            path,
            e.key,
            e.canonical,
            e.type,
            e.country_code,
            e.acronym,
            e.forms,
            [a for a in e.aliases if len(a) <= MAX_ENTITY_KEY_CHARS],
            len(e.mentions),
            e.mentions[0].start,
            e.geo.geonameid if e.geo else None,
            e.tone,
        )


def _staged_quotes(run_id, path, text: str, enriched) -> Iterator[StagedQuote]:
    """An article's quotations; a speaker by its entity's key in the article."""
    for q in enriched.quotes:
        entity = enriched.entities[q.entity] if q.entity is not None else None
        key = entity.key if entity is not None and len(entity.key) <= MAX_ENTITY_KEY_CHARS else None
        speaker = text[q.speaker[0] : q.speaker[1]] if q.speaker else None
        yield StagedQuote(
            run_id,
            path,
            q.start,
            q.end,
            text[q.start : q.end],
            q.kind,
            text[q.cue[0] : q.cue[1]] if q.cue else None,
            speaker,
            q.speaker[0] if q.speaker else None,
            key,
            q.tone,
        )


def _staged_places(run_id, path, enriched) -> Iterator[StagedPlace]:
    """The GeoNames places an article's entities and focus name, once each."""
    seen = {e.geo.geonameid: e.geo for e in enriched.entities if e.geo}
    for place in (enriched.focus.country, enriched.focus.place):
        if place:
            seen[place.geonameid] = place
    for p in sorted(seen.values(), key=lambda p: p.geonameid):
        if p.latitude is None:
            continue  # never on a map, so not in the place dimension
        yield StagedPlace(
            run_id,
            path,
            p.geonameid,
            p.name,
            p.feature_class,
            p.feature_code,
            p.country_code,
            p.admin1_code,
            p.admin1_name,
            p.latitude,
            p.longitude,
            p.population,
        )


def _staged_dates(run_id, path, dates) -> Iterator[StagedDate]:
    for d in dates:
        if not d.is_calendar:
            continue  # vague references ("recent days") are not calendar dates
        first = value_bounds(d.value)
        last = value_bounds(d.end_value) if d.end_value else first
        if not first or not last:
            continue
        yield StagedDate(run_id, path, d.start, d.end, d.text, d.value, d.end_value, d.granularity, first[0], last[1])


# --------------------------------------------------------------------------- load and check


@dataclass(frozen=True)
class LoadReport:
    """What a run's load did, as a person reading the task log wants it."""

    partition: date
    counts: load.RunCounts
    rows_written: dict[str, tuple[int, int, int]]  # table -> (inserted, updated, deleted)
    entities: EntitySync | None
    stories: StorySync | None
    quarantine_reasons: dict[str, int]  # reason -> files
    shared_lock_seconds: float

    def lines(self) -> list[str]:
        c = self.counts
        out = [
            f"partition {self.partition}: {c.files_seen} files seen, {c.loaded} loaded, {c.unchanged} unchanged,"
            f" {c.duplicates} duplicates, {c.quarantined} quarantined",
            f"shared-state lock held {self.shared_lock_seconds:.2f}s",
        ]
        if self.rows_written:
            out.append(f"rows written to {len(self.rows_written)} tables:")
            for table, counts in self.rows_written.items():
                done = ", ".join(f"{n} {what}" for n, what in zip(counts, ("inserted", "updated", "deleted")) if n)
                out.append(f"  {table}: {done}")
        else:
            out.append("rows written: none (nothing new or changed)")
        if self.entities:
            e = self.entities
            out.append(
                f"entities: {e.keys_touched} keys touched, {e.keys_resolved} re-resolved; {e.keys_new} new keys,"
                f" {e.keys_moved} known keys changed their entity"
            )
        if self.stories:
            st = self.stories
            out.append(
                f"stories: {st.articles_dirty} articles decided again, {st.pairs_found} same-story pairs, {st.articles_regrouped} articles regrouped"
            )
        for reason, n in self.quarantine_reasons.items():
            out.append(f"quarantined {n} file(s): {reason}")
        return out

    def as_dict(self) -> dict:
        """For Airflow's XCom: plain JSON values."""
        return {
            "partition": self.partition.isoformat(),
            **self.counts.__dict__,
            "rows_written": {t: dict(zip(("inserted", "updated", "deleted"), n)) for t, n in self.rows_written.items()},
            "entities": self.entities.__dict__ if self.entities else None,
            "stories": self.stories.__dict__ if self.stories else None,
            "quarantine_reasons": self.quarantine_reasons,
            "shared_lock_seconds": round(self.shared_lock_seconds, 3),
        }


def load_run(engine: Engine, run_id: uuid.UUID, partition: date) -> LoadReport:
    """Merge the run into the warehouse in one transaction and record its counts; log (and
    return) what it did: counts, rows written by table, entities and stories touched, why
    files were quarantined, the shared lock's seconds.

    A run already loaded (a retried task whose first try committed, then failed) is not
    merged again: its recorded counts are its report.
    """
    with engine.connect() as conn:
        earlier = ledger.loaded_counts(conn, run_id)
    if earlier is not None:
        log.info("partition %s: this run was loaded by an earlier try; nothing is merged again", partition)
        return LoadReport(partition, load.RunCounts(*earlier[:5]), {}, None, None, {}, float(earlier[5]))
    load.prepare_month_partitions(engine, run_id)
    with engine.begin() as conn:
        reasons = Counter(ledger.quarantine_reasons(conn, run_id))
        merged = load.merge_run(conn, run_id, partition)
        ledger.record_counts(conn, run_id, merged.counts.__dict__, round(merged.shared_lock_seconds, 3))
        staging.clear_run(conn, run_id)
    report = LoadReport(
        partition,
        merged.counts,
        merged.rows_written,
        merged.entities,
        merged.stories,
        dict(reasons.most_common()),
        merged.shared_lock_seconds,
    )
    for line in report.lines():
        log.info("%s", line)
    return report


class ReconciliationFailed(NewsEtlError):
    pass


def check_run(engine: Engine, run_id: uuid.UUID) -> load.RunCounts:
    """Fail the run, saying what is wrong, unless every seen file is in exactly one bucket."""
    with engine.begin() as conn:
        row = ledger.run_counts(conn, run_id)
        counts = load.RunCounts(row.files_seen, row.loaded, row.unchanged, row.duplicates, row.quarantined)
        problem = None
        if not counts.reconciles:
            problem = (
                f"reconciliation failed for {row.partition_date}: {counts.files_seen} files seen but "
                f"{counts.loaded} loaded + {counts.unchanged} unchanged + {counts.duplicates} duplicates + "
                f"{counts.quarantined} quarantined = {counts.loaded + counts.unchanged + counts.duplicates + counts.quarantined}"
            )
        elif counts.files_seen and not (counts.loaded + counts.unchanged + counts.duplicates):
            problem = f"{row.partition_date} had {counts.files_seen} files and loaded none: all quarantined (see report.quarantine)"
        ledger.record_end(conn, run_id, "failed" if problem else "succeeded", _now(), problem)
    if problem:
        log.error("%s", problem)
        raise ReconciliationFailed(problem)
    log.info(
        "partition %s reconciles: %d files seen = %d loaded + %d unchanged + %d duplicates + %d quarantined",
        row.partition_date,
        counts.files_seen,
        counts.loaded,
        counts.unchanged,
        counts.duplicates,
        counts.quarantined,
    )
    return counts


def load_and_check(
    engine: Engine, run_id: uuid.UUID, partition: date, warn_missing_folder: bool = False, warnings: Sequence[str] = ()
) -> dict:
    """load_run, then check_run (raises ReconciliationFailed): the load's report with
    discover's warnings, and one when warn_missing_folder (a scheduled day whose folder was
    missing), for Airflow's XCom. Warnings fail nothing: a day may have no news, but a scheduled
    day without its folder is worth a look."""
    report = load_run(engine, run_id, partition).as_dict()
    check_run(engine, run_id)
    warnings = list(warnings)
    if warn_missing_folder:
        warning = (
            f"the landing zone has no folder {partition.isoformat()}: the run loaded nothing for that day"
            " (is the landing zone mounted at the same path on every worker, did the day's upload fail?)"
        )
        log.warning("%s", warning)
        warnings.append(warning)
    return {**report, "warnings": warnings}


def mark_failed(engine: Engine, run_id: uuid.UUID, error: BaseException | str) -> None:
    """Record a run as failed with its error, and remove what it staged."""
    message = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    try:
        with engine.begin() as conn:
            ledger.record_end(conn, run_id, "failed", _now(), message[:2000])
            staging.clear_run(conn, run_id)
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
    workers: Executor | None = None,
) -> RunResult:
    """discover -> process (chunk by chunk, in the workers if any) -> load -> check."""
    from etl.warehouse.db import partition_lock

    started = time.monotonic()
    with partition_lock(engine, partition) as lock:
        with _timed(timings, "discover"):
            plan = discover(engine, settings, partition, force=force)
        report = None
        try:
            with _timed(timings, "process"):
                _process_all(engine, settings, plan, chunk_size, workers, progress, timings)
            lock.check()  # a run that lost its partition lock loads nothing
            with _timed(timings, "load"):
                report = load_run(engine, plan.run_id, partition)
            counts = check_run(engine, plan.run_id)
        except ReconciliationFailed:
            raise
        except sa.exc.OperationalError as e:
            mark_failed(engine, plan.run_id, e)
            raise ConnectionLost(partition, committed=report is not None, cause=e) from e
        except BaseException as e:
            mark_failed(engine, plan.run_id, e)
            raise
    return RunResult(plan.run_id, partition, counts, time.monotonic() - started, report, plan.warnings)


def _now() -> datetime:
    return datetime.now(UTC)
