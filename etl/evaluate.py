"""Evaluation and speed: score `enrich` on gold corpora, and time enrichment against the raw model.

    news-etl evaluate ner   --gold ../shared/corpora/conll2003_dev.jsonl
    news-etl evaluate dates --gold ../shared/corpora/tempeval3_train.jsonl
    news-etl bench-enrich   --corpus ../shared/corpora/conll2003_dev.jsonl

Scores come from the benchmark's own scorer (shared/eval/score.py), run on the output of the
same code path as `news-etl enrich`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from etl.settings import PROJECT_ROOT, Settings

DEFAULT_SCORER = PROJECT_ROOT.parent / "shared" / "eval" / "score.py"


def evaluate(task: str, gold: Path, settings: Settings, scorer: Path = DEFAULT_SCORER) -> dict:
    """Run enrich over the gold file's documents and score the output. Returns the scores."""
    from etl.enrich.jsonl import enrich_jsonl

    if not Path(scorer).exists():
        raise FileNotFoundError(f"no scorer at {scorer}; pass --scorer PATH/score.py")
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.jsonl"
        started = time.monotonic()
        n = enrich_jsonl(gold, pred, settings)
        seconds = time.monotonic() - started
        out = subprocess.run([sys.executable, str(scorer), task, str(gold), str(pred)], check=True, capture_output=True, text=True)
    scores = json.loads(out.stdout)
    scores["documents"] = n
    scores["enrich_seconds"] = round(seconds, 1)
    return scores


def bench_enrich(corpus: Path, settings: Settings, limit: int | None = None) -> dict:
    """Raw nlp.pipe vs the entity stage vs the date stage, on the same texts, in one run.

    raw: the pipeline's own spaCy model, loaded the same way, nlp.pipe over every segment
    text with the same batch size and processes. entities: the model plus the entity rules.
    dates: the date tagger over the same segments.
    """
    from etl.enrich import _NLP_FRIENDLY, enrich_one, load_model
    from etl.enrich.dates import find_dates
    from etl.enrich.jsonl import _article

    docs = [json.loads(line) for line in Path(corpus).read_text(encoding="utf-8").splitlines() if line.strip()][:limit]
    items = []
    for d in docs:
        article = _article(d["text"])
        article.language = "en"
        items.append((article, date.fromisoformat(d["published"]) if d.get("published") else None))
    texts = [a.text[s.start : s.end].translate(_NLP_FRIENDLY) for a, _r in items for s in a.segments]
    nlp = load_model(settings.spacy_model)
    nlp.pipe(texts[:50])  # warm up

    started = time.monotonic()
    raw_docs = list(nlp.pipe(texts, batch_size=settings.nlp_batch_size, n_process=settings.nlp_processes))
    raw_s = time.monotonic() - started

    started = time.monotonic()
    i = 0
    for article, ref in items:
        n = len(article.segments)
        enrich_one(article, ref, raw_docs[i : i + n], with_dates=False)
        i += n
    rules_s = time.monotonic() - started

    started = time.monotonic()
    for article, ref in items:
        for s in article.segments:
            find_dates(article.text[s.start : s.end], ref)
    dates_s = time.monotonic() - started

    n = len(items)
    return {
        "documents": n,
        "characters": sum(len(a.text) for a, _r in items),
        "model": nlp.meta["name"],
        "raw_nlp_pipe_per_s": round(n / raw_s, 1),
        "entities_per_s": round(n / (raw_s + rules_s), 1),
        "ratio_entities_vs_raw": round(raw_s / (raw_s + rules_s), 3),
        "dates_seconds": round(dates_s, 2),
        "ner_seconds": round(raw_s + rules_s, 2),
        "dates_share_of_ner": round(dates_s / (raw_s + rules_s), 3),
    }
