"""Evaluation and speed: score `enrich` on gold corpora, and time enrichment against the raw model.

    NEWS_ETL_EVAL_DIR=EVAL_DIR news-etl dev evaluate ner --gold CORPUS_DIR/conll2003_dev.jsonl
    news-etl dev evaluate dates --gold CORPUS_DIR/tempeval3_train.jsonl --scorer EVAL_DIR/score.py
    news-etl dev bench-enrich --corpus CORPUS_DIR/conll2003_dev.jsonl

Scores come from the benchmark's own scorers (EVAL_DIR/score.py, geo/score.py, quotes/score.py:
`--scorer`, or the folder $NEWS_ETL_EVAL_DIR), run on the output of the same code path as
`news-etl enrich`; the corpora and scorers are not part of this repository (docs/benchmarks.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from etl.settings import Settings

# The benchmark's scorers, when --scorer does not name one.
EVAL_DIR = Path(os.environ.get("NEWS_ETL_EVAL_DIR", "eval"))
DEFAULT_SCORER = EVAL_DIR / "score.py"
PLACES_SCORER = EVAL_DIR / "geo" / "score.py"
QUOTES_SCORER = EVAL_DIR / "quotes" / "score.py"


def evaluate(task: str, gold: Path, settings: Settings, scorer: Path = DEFAULT_SCORER, progress=None) -> dict:
    """Run enrich over the gold file's documents and score the output. Returns the scores."""
    return _enrich_and_score(gold, scorer, settings, progress, lambda pred, _out: [task, str(gold), str(pred)])


def evaluate_places(
    gold: Path, settings: Settings, scorer: Path = PLACES_SCORER, place_types: str = "GPE,LOC,FAC", progress=None
) -> dict:
    """Enrich the documents beside a geoparsing gold file (docs.jsonl) and score the place
    mentions: recognition, Acc@161 km over recognised toponyms, end-to-end Acc@161."""
    docs = Path(gold).with_name("docs.jsonl")
    scores = _enrich_and_score(
        docs,
        scorer,
        settings,
        progress,
        lambda pred, out: [str(gold), str(pred), "--docs", str(docs), "--place-types", place_types, "--json", str(out)],
    )
    return {
        "place_types": place_types,
        "recognition": scores["recognition_overlap"],
        "acc161_recognised": scores["resolution"]["acc161"],
        "acc161_end_to_end": scores["end_to_end"]["acc161"],
        "resolved": scores["resolution"]["resolved"],
        "unresolved": scores["resolution"]["unresolved"],
        "median_error_km": scores["resolution"]["median_km"],
        "geonameid_match": scores["resolution"]["geonameid_match"],
        "documents": scores["documents"],
        "enrich_seconds": scores["enrich_seconds"],
    }


def evaluate_quotes(gold: Path, settings: Settings, scorer: Path = QUOTES_SCORER, progress=None) -> dict:
    """Enrich the documents beside a quotation gold file (docs.jsonl) and score the quotes:
    content found (overlap), speaker right, end to end, for direct quotes and all attributions."""
    docs = Path(gold).with_name("docs.jsonl")
    return _enrich_and_score(
        docs,
        scorer,
        settings,
        progress,
        lambda pred, out: [str(gold), str(pred), "--docs", str(docs), "--json", str(out)],
    )


def _enrich_and_score(docs: Path, scorer: Path, settings: Settings, progress, scorer_args) -> dict:
    """`news-etl enrich` over docs, then the benchmark's scorer with scorer_args(predictions,
    scores file): its scores (from the file when it wrote one, else its output), with the
    documents enriched and the seconds it took."""
    from etl.enrich.jsonl import enrich_jsonl

    if not Path(scorer).exists():
        raise FileNotFoundError(f"no scorer at {scorer}; pass --scorer PATH or set NEWS_ETL_EVAL_DIR")
    with tempfile.TemporaryDirectory() as tmp:
        pred, scores_file = Path(tmp) / "pred.jsonl", Path(tmp) / "scores.json"
        started = time.monotonic()
        n = enrich_jsonl(docs, pred, settings, progress)
        seconds = time.monotonic() - started
        out = subprocess.run(
            [sys.executable, str(scorer), *scorer_args(pred, scores_file)], check=True, capture_output=True, text=True
        )
        scores = json.loads(scores_file.read_text(encoding="utf-8") if scores_file.exists() else out.stdout)
    return {**scores, "documents": n, "enrich_seconds": round(seconds, 1)}


def bench_enrich(corpus: Path, settings: Settings, limit: int | None = None) -> dict:
    """Raw nlp.pipe vs the entity stage vs the date stage, on the same texts, in one run.

    raw: the pipeline's own spaCy model, loaded the same way, nlp.pipe over every segment
    text with the same batch size and processes. entities: the model plus the entity rules.
    dates: the date tagger over the same segments.
    """
    from etl.enrich import enrich_one, load_model, segment_texts
    from etl.enrich.dates import find_dates
    from etl.enrich.jsonl import article_of_text

    docs = [json.loads(line) for line in Path(corpus).read_text(encoding="utf-8").splitlines() if line.strip()][:limit]
    items = []
    for d in docs:
        article = article_of_text(d["text"])
        article.language = "en"
        items.append((article, date.fromisoformat(d["published"]) if d.get("published") else None))
    texts = [t for a, _r in items for t in segment_texts(a)]
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


def evaluate_stories(corpus: Path, settings: Settings, rewrites: int = 100, seed: int = 0, progress=None) -> dict:
    """Precision and recall of "same story" over all pairs of a folder of articles (BBC).

    Gold: files with identical bytes or an identical title line are the same story, and so
    is each of `rewrites` rewritten copies (another headline, paragraphs shuffled, one
    dropped) with its original; every other pair is not. Predicted: the pipeline's own
    story rule (etl.stories) on the pipeline's parse, entities and signatures.
    """
    import itertools
    import random
    from collections import defaultdict

    from etl import stories
    from etl.enrich import enrich_articles
    from etl.enrich.dates import value_bounds
    from etl.parse import decode, parse_article

    rng = random.Random(seed)
    texts = {str(p.relative_to(corpus)): decode(p.read_bytes()) for p in sorted(Path(corpus).rglob("*.txt"))}
    names = list(texts)
    for i, name in enumerate(rng.sample(names, min(rewrites, len(names)))):
        title, *paragraphs = [p for p in texts[name].split("\n\n") if p.strip()]
        rng.shuffle(paragraphs)
        if len(paragraphs) >= 3:
            paragraphs.pop(rng.randrange(len(paragraphs)))
        texts[f"rewrite/{i:03d}~{name}"] = "\n\n".join([f"Update: {title.strip()} (rewritten)", *paragraphs])

    # Gold groups: identical bytes, identical title line, a rewrite and its original.
    by_text, by_title = defaultdict(list), defaultdict(list)
    for name in texts:
        original = name.split("~", 1)[1] if name.startswith("rewrite/") else name
        by_text[texts[original]].append(name)
        by_title[texts[original].split("\n", 1)[0].strip()].append(name)
    gold_edges = [
        (a, b) for group in [*by_text.values(), *by_title.values()] for a, b in itertools.combinations(group, 2)
    ]
    gold_key = _group_keys(names=list(texts), edges=gold_edges)

    started = time.monotonic()
    parsed = [parse_article(texts[n]) for n in texts]
    enriched = []
    for i in range(0, len(parsed), 200):
        enriched.extend(
            enrich_articles(
                [(a, None) for a in parsed[i : i + 200]],
                settings.spacy_model,
                settings.nlp_batch_size,
                settings.nlp_processes,
            )
        )
        if progress:
            progress(len(enriched), len(parsed))
    same_day = date(2005, 1, 1)  # the corpus has no dates: one day, so only the content decides
    features = {}
    for n, a, r in zip(texts, parsed, enriched):
        signature, shingles = stories.text_signature(a.body or a.title or "")
        days = frozenset(
            day
            for d in r.dates
            if d.is_calendar and d.granularity in ("day", "week")
            for day in _days(*value_bounds(d.value))
        )
        features[n] = stories.StoryFeatures(
            n, same_day, tuple(signature), shingles, frozenset(e.key for e in r.entities), days
        )
    candidates = stories.candidate_pairs(features)
    predicted_edges = [(a, b) for a, b in candidates if stories.same_story(features[a], features[b])]
    predicted_key = _group_keys(names=list(texts), edges=predicted_edges)
    seconds = time.monotonic() - started

    gold_pairs = _pairs(gold_key)
    predicted_pairs = _pairs(predicted_key)
    tp = len(gold_pairs & predicted_pairs)
    return {
        "articles": len(texts),
        "rewrites": len([n for n in texts if n.startswith("rewrite/")]),
        "gold_pairs": len(gold_pairs),
        "predicted_pairs": len(predicted_pairs),
        "precision": round(tp / len(predicted_pairs), 4) if predicted_pairs else 1.0,
        "recall": round(tp / len(gold_pairs), 4) if gold_pairs else 1.0,
        "false_merges_example": sorted(predicted_pairs - gold_pairs)[:5],
        "missed_example": sorted(gold_pairs - predicted_pairs)[:5],
        "seconds": round(seconds, 1),
    }


def _days(first: date, last: date) -> list[date]:
    return [date.fromordinal(o) for o in range(first.toordinal(), last.toordinal() + 1)]


def _group_keys(names, edges) -> dict:
    from etl.stories import components

    groups = components(edges)
    return {n: groups.get(n, n) for n in names}


def _pairs(key_of: dict) -> set:
    import itertools
    from collections import defaultdict

    members = defaultdict(list)
    for n, k in key_of.items():
        members[k].append(n)
    return {pair for group in members.values() for pair in itertools.combinations(sorted(group), 2)}
