"""news-etl dev bench: throughput, memory and no-op re-runs on a generated landing zone.

The landing zone holds N articles over D days made from a real corpus (BBC: title line,
blank line, paragraphs). Past the corpus's size, new articles are made by recombining the
paragraphs of articles of the same topic, so the pipeline sees new content, not copies.
The pipeline runs against a database of its own (news_etl_bench), and the raw baselines run
in the same process on the same texts and rows: spaCy's nlp.pipe with the pipeline's own
model, and a plain COPY of the staged rows.
"""

from __future__ import annotations

import random
import resource
import shutil
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from etl import parse, pipeline
from etl.enrich import load_model, segment_texts
from etl.settings import Settings
from etl.warehouse import db
from etl.warehouse.upgrade import init_db

BENCH_DATABASE = "news_etl_bench"


def fresh_database(settings: Settings, name: str) -> Engine:
    """A migrated warehouse in database `name` on the settings' server, dropped first if it exists."""
    url = make_url(settings.warehouse_url).set(database=name)
    admin = db.make_engine(url.set(database="postgres")).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'drop database if exists "{name}" with (force)'))
    admin.dispose()
    init_db(url.render_as_string(hide_password=False))
    return db.make_engine(url)


def make_landing(corpus: Path, root: Path, articles: int, days: int, first_day: date, seed: int = 0) -> list[date]:
    """Write `articles` files over `days` partitions; returns the partition days."""
    rng = random.Random(seed)
    by_topic: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for path in sorted(Path(corpus).rglob("*.txt")):
        title, *paragraphs = [p.strip() for p in parse.decode(path.read_bytes()).split("\n\n") if p.strip()] or [""]
        if paragraphs:
            by_topic[path.parent.name].append((title, paragraphs))
    originals = [(topic, a) for topic, items in sorted(by_topic.items()) for a in items]
    partitions = [first_day + timedelta(days=i) for i in range(days)]
    for day in partitions:
        (root / day.isoformat()).mkdir(parents=True, exist_ok=True)
    for i in range(articles):
        if i < len(originals):
            _topic, (title, paragraphs) = originals[i]
        else:
            # New content: a title and paragraphs drawn from three articles of one topic.
            topic = rng.choice(sorted(by_topic))
            sources = rng.sample(by_topic[topic], 3)
            title = sources[0][0]
            paragraphs = [p for _t, ps in sources for p in ps]
            paragraphs = rng.sample(paragraphs, min(len(paragraphs), rng.randint(4, 8)))
        text = title + "\n\n" + "\n\n".join(paragraphs) + "\n"
        (root / partitions[i % days].isoformat() / f"{i:07d}.txt").write_text(text, encoding="utf-8")
    return partitions


def _segment_texts(root: Path, partitions: list[date]) -> list[str]:
    """The segment texts the pipeline enriches, for the raw nlp.pipe runs."""
    texts = []
    for day in partitions:
        for f in sorted((root / day.isoformat()).iterdir()):
            texts.extend(segment_texts(parse.parse_article(parse.decode(f.read_bytes()))))
    return texts


def _raw_nlp_seconds(settings: Settings, texts: list[str], processes: int) -> float:
    """nlp.pipe over `texts`, the pipeline's batch size, in `processes` processes (spaCy's
    own n_process)."""
    nlp = load_model(settings.spacy_model)
    started = time.monotonic()
    for _doc in nlp.pipe(texts, batch_size=settings.nlp_batch_size, n_process=processes):
        pass
    return time.monotonic() - started


def _warm_up(workers, settings: Settings) -> None:
    """Start every worker and load its model before the clock starts."""
    if workers is not None:
        list(workers.map(_load_model, [settings.spacy_model] * settings.nlp_processes * 2))


def _load_model(name: str) -> None:
    """Load the model in a worker; return nothing, or each worker would pickle it back here."""
    load_model(name)


def _process_speedup(settings: Settings, root: Path, partitions: list[date]) -> dict:
    """The process step (read, parse, enrich) over the same files in one process and in
    settings.nlp_processes worker processes: articles per second each, and the ratio."""
    paths = [f"{day.isoformat()}/{f.name}" for day in partitions for f in sorted((root / day.isoformat()).iterdir())]
    chunks = [paths[i : i + 25] for i in range(0, len(paths), 25)]
    run_id = uuid.uuid4()
    started = time.monotonic()
    for chunk in chunks:
        pipeline.prepare_files(settings, run_id, chunk)
    one = time.monotonic() - started
    n = max(settings.nlp_processes, 2)
    with pipeline.nlp_workers(settings.override(nlp_processes=n)) as workers:
        _warm_up(workers, settings.override(nlp_processes=n))
        started = time.monotonic()
        list(workers.map(pipeline.prepare_files, [settings] * len(chunks), [run_id] * len(chunks), chunks))
        many = time.monotonic() - started
    return {
        "process_1_per_s": round(len(paths) / one, 1),
        f"process_{n}_per_s": round(len(paths) / many, 1),
        f"speedup_{n}_vs_1_process": round(one / many, 2),
    }


def _raw_copy(engine) -> tuple[int, float]:
    """COPY the warehouse's loaded rows (articles, entity and date mentions) into scratch tables."""
    selects = [
        "select article_id, sha256, path, title, published_date, source_name from dwh.dim_article",
        "select article_id, sha256, partition_date, raw_text, body, captions from dwh.article_text",
        "select article_id, entity_key, canonical_name, entity_type, forms, aliases, mentions, first_offset from dwh.article_entity",
        "select * from dwh.fact_date_mention",
    ]
    rows_total, seconds = 0, 0.0
    with engine.begin() as conn:
        raw = conn.connection.driver_connection
        for n, select in enumerate(selects):
            rows = conn.execute(sa.text(select)).all()
            conn.execute(sa.text(f"create temporary table scratch_{n} as {select} limit 0"))
            columns = ", ".join(conn.execute(sa.text(f"select * from scratch_{n}")).keys())
            started = time.monotonic()
            with raw.cursor() as cur, cur.copy(f"copy scratch_{n} ({columns}) from stdin") as copy:
                for row in rows:
                    copy.write_row(row)
            seconds += time.monotonic() - started
            rows_total += len(rows)
    return rows_total, seconds


def run_bench(
    settings: Settings, corpus: Path, articles: int, days: int, keep: Path | None = None, progress=None
) -> dict:
    engine = fresh_database(settings, BENCH_DATABASE)

    root = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="news-etl-bench-"))
    try:
        partitions = make_landing(corpus, root, articles, days, date(2005, 1, 3))
        settings = settings.override(landing_dir=root)
        timings: Counter = Counter()
        load_model(settings.spacy_model)  # loaded before the clock starts, as for the raw run
        with pipeline.nlp_workers(settings) as workers:
            _warm_up(workers, settings)
            started = time.monotonic()
            loaded = 0
            for day in partitions:
                loaded += pipeline.run_partition(
                    engine, settings, day, timings=timings, workers=workers, progress=progress
                ).counts.loaded
            end_to_end = time.monotonic() - started

        started = time.monotonic()
        for day in partitions:
            pipeline.run_partition(engine, settings, day)
        noop = time.monotonic() - started

        texts = _segment_texts(root, partitions)
        raw_nlp = _raw_nlp_seconds(settings, texts, settings.nlp_processes)
        # What the model alone gains from processes on this machine: the bound for the
        # pipeline's own speed-up (speedup_N_vs_1_process).
        raw_nlp_one = _raw_nlp_seconds(settings, texts, 1)
        copied_rows, raw_copy = _raw_copy(engine)
        speedup = _process_speedup(settings, root, partitions)
    finally:
        engine.dispose()
        if not keep:
            shutil.rmtree(root, ignore_errors=True)

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    # parse and enrich are summed over the worker processes; process is their wall time.
    per_s = {
        stage: round(articles / timings[stage], 1) if timings[stage] else None
        for stage in ("discover", "parse", "enrich", "process", "load")
    }
    # Staging COPY and merge together against a plain COPY of the same rows.
    load_seconds = timings["stage"] + timings["load"]
    load_rows_per_s = timings["rows"] / load_seconds if load_seconds else 0.0
    raw_copy_rows_per_s = copied_rows / raw_copy if raw_copy else 0.0
    return {
        "articles": articles,
        "days": days,
        "loaded": loaded,
        "rows_loaded": int(timings["rows"]),
        "nlp_processes": settings.nlp_processes,
        **{f"{stage}_per_s": v for stage, v in per_s.items()},
        "end_to_end_per_s": round(articles / end_to_end, 1),
        "raw_nlp_pipe_per_s": round(articles / raw_nlp, 1),
        "raw_nlp_pipe_1_process_per_s": round(articles / raw_nlp_one, 1),
        f"raw_nlp_speedup_{settings.nlp_processes}_vs_1_process": round(raw_nlp_one / raw_nlp, 2),
        "ratio_end_to_end_vs_nlp": round(raw_nlp / end_to_end, 3),
        "load_rows_per_s": round(load_rows_per_s),
        "raw_copy_rows_per_s": round(raw_copy_rows_per_s),
        "ratio_load_vs_copy": round(load_rows_per_s / raw_copy_rows_per_s, 3) if raw_copy_rows_per_s else None,
        "noop_rerun_s": round(noop, 2),
        **speedup,
        "peak_rss_mb": round(max(peak_mb, children_mb)),
        "seconds": {k: round(v, 2) for k, v in timings.items() if k != "rows"} | {"end_to_end": round(end_to_end, 2)},
    }


VIEWS_DATABASE = "news_etl_bench_views"


def bench_views(settings: Settings, mentions: int = 1_000_000, again: bool = False) -> dict:
    """Fill a fresh warehouse with synthetic rows (`mentions` entity mentions) and time the
    report views' everyday queries (sql/bench/view_queries.sql), each run twice (best kept).

    again: time the warehouse the last fill left, brought up to the current migrations and
    views (no new fill: a large one takes a while).
    """
    fill_s = 0.0
    if again:
        url = make_url(settings.warehouse_url).set(database=VIEWS_DATABASE).render_as_string(hide_password=False)
        init_db(url)
        engine = db.make_engine(url)
    else:
        engine = fresh_database(settings, VIEWS_DATABASE)
        started = time.monotonic()
        with engine.begin() as conn:
            for statement in db.sql_statements("bench/fill_synthetic_warehouse.sql"):
                conn.execute(sa.text(statement), _fill_parameters(mentions))
            for name in ("load/count_entity_key_days.sql", "load/count_entity_days.sql"):
                for statement in db.sql_statements(name):
                    conn.execute(sa.text(statement))
        fill_s = time.monotonic() - started
    # Statistics and the visibility map (index-only scans), as autovacuum leaves a warehouse.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("vacuum analyze"))
    timings = {}
    with engine.connect() as conn:
        loaded = conn.execute(sa.text("select count(*) from dwh.fact_entity_mention")).scalar()
        articles = conn.execute(sa.text("select count(*) from dwh.dim_article")).scalar()
        lines = db.sql_text("bench/view_queries.sql").splitlines()
        for question, sql in zip(lines[1::2], lines[2::2]):
            best = float("inf")
            for _ in range(2):
                t = time.monotonic()
                conn.execute(sa.text(sql)).all()
                best = min(best, time.monotonic() - t)
            timings[question.removeprefix("-- ")] = round(best * 1000, 1)
    engine.dispose()
    return {"entity_mentions": loaded, "articles": articles, "fill_seconds": round(fill_s, 1), "query_ms": timings}


def _fill_parameters(mentions: int) -> dict:
    """A year of articles, 20 mentions an article, 50 mentions an entity."""
    return {
        "articles": max(1000, mentions // 20),
        "days": 365,
        "entities": max(1000, mentions // 50),
        "mentions": mentions,
    }
