"""news-etl dev bench-lookalike: one day of look-alike articles, at growing sizes.

A flood of wire briefs built from one template (a few people, a few places, a number that
changes) is an ordinary news day, and the day's load must cost in proportion to its files
however alike they are. Each size runs in a process of its own (so its peak memory is its
own) against a fresh database (news_etl_bench_lookalike): the day's wall time, the time the
load held the shared-state lock, the story pairs it decided, and the peak RSS.

    news-etl dev bench-lookalike --files 1000,3000,10000
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from etl.settings import Settings

DATABASE = "news_etl_bench_lookalike"
DAY = date(2021, 6, 1)

PEOPLE = ["Maria Lopez", "John Carter", "Aiko Tanaka", "Peter Novak", "Fatima Haddad", "Liam O'Brien", "Chen Wei"]
PLACES = ["Lyon", "Denver", "Osaka", "Krakow", "Amman", "Cork"]


def templated_briefs(folder: Path, files: int, long: bool = False, seed: int = 0) -> None:
    """`files` briefs from one template: 7 people x 6 places, and numbers. Two lines each;
    long: a second paragraph, enough text for the briefs to match one another as one story
    (a syndicated release)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(files):
        person, place = rng.choice(PEOPLE), rng.choice(PLACES)
        text = f"{person} visits {place}\n\n{place.upper()} (Newswire) - {person} met {rng.randint(2, 900)} officials in {place} on Monday.\n"
        if long:
            text += (
                f"\nThe talks with city officials covered trade, schools and transport, and {rng.randint(2, 40)} "
                "people had signed up to meet the delegation, a spokesman said.\n"
            )
        (folder / f"brief_{i:06d}.txt").write_text(text, encoding="utf-8")


def bench_lookalike(settings: Settings, sizes: list[int], long: bool = False) -> dict:
    """One child process per size; their figures side by side."""
    runs = []
    for files in sizes:
        done = subprocess.run(
            [sys.executable, "-m", "etl.dev.bench_lookalike", str(files), *(["--long"] if long else [])],
            capture_output=True,
            text=True,
            check=True,
            env=_child_env(settings),
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    ratio = runs[-1]["shared_lock_s"] / runs[0]["shared_lock_s"] if len(runs) > 1 and runs[0]["shared_lock_s"] else None
    return {
        "briefs": "long (one story)" if long else "two lines",
        "files": [r["files"] for r in runs],
        "wall_s": [r["wall_s"] for r in runs],
        "shared_lock_s": [r["shared_lock_s"] for r in runs],
        "story_pairs_decided": [r["story_pairs_decided"] for r in runs],
        "same_story_pairs": [r["stories_joined"] for r in runs],
        "peak_rss_mb": [r["peak_rss_mb"] for r in runs],
        "lock_ratio_largest_vs_smallest": round(ratio, 2) if ratio else None,
    }


def _child_env(settings: Settings) -> dict:
    import os

    return {
        **os.environ,
        "WAREHOUSE_URL": settings.warehouse_url,
        "NEWS_ETL_NLP_PROCESSES": str(settings.nlp_processes),
    }


def _one(files: int, long: bool) -> dict:
    """One size, in this process: a fresh database, the day written and run once."""
    from etl import pipeline
    from etl.dev.bench import fresh_database
    from etl.enrich import load_model
    from etl.settings import load_settings

    settings = load_settings()
    engine = fresh_database(settings, DATABASE)
    with tempfile.TemporaryDirectory(prefix="news-etl-lookalike-") as root:
        templated_briefs(Path(root) / DAY.isoformat(), files, long)
        settings = settings.override(landing_dir=Path(root))
        load_model(settings.spacy_model)
        with pipeline.nlp_workers(settings) as workers:
            started = time.monotonic()
            result = pipeline.run_partition(engine, settings, DAY, workers=workers)
            wall = time.monotonic() - started
    engine.dispose()
    report = result.load
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
    return {
        "files": files,
        "loaded": result.counts.loaded,
        "wall_s": round(wall, 1),
        "shared_lock_s": round(report.shared_lock_seconds, 2),
        "story_pairs_decided": report.stories.candidates if report.stories else 0,
        "stories_joined": report.stories.pairs_found if report.stories else 0,
        "peak_rss_mb": round(peak),
    }


if __name__ == "__main__":
    print(json.dumps(_one(int(sys.argv[1]), "--long" in sys.argv)))
