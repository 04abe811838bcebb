"""The enrich contract: JSON lines in ({id, text, published}), JSON lines out.

No database: entities resolve across the documents of the input file, as the warehouse
resolves them across articles.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from etl.enrich import enrich_articles
from etl.enrich.resolve import resolve_entities, stats_from_documents
from etl.parse import Article, Segment, parse_article
from etl.settings import Settings

CHUNK = 200


def _article(text: str) -> Article:
    try:
        return parse_article(text)
    except Exception:
        # Text the parser cannot shape is enriched whole.
        return Article(text=text, segments=[Segment(0, len(text), "body")])


def enrich_jsonl(in_path: Path, out_path: Path, settings: Settings) -> int:
    docs = [json.loads(line) for line in Path(in_path).read_text(encoding="utf-8").splitlines() if line.strip()]
    results = []
    for i in range(0, len(docs), CHUNK):
        chunk = docs[i : i + CHUNK]
        items = []
        for d in chunk:
            article = _article(d["text"])
            article.language = "en"  # the caller asked for enrichment
            published = date.fromisoformat(d["published"]) if d.get("published") else None
            items.append((article, published))
        results.extend(enrich_articles(items, settings.spacy_model, settings.nlp_batch_size, settings.nlp_processes))
    resolved = resolve_entities(*stats_from_documents(r.entities for r in results))
    with open(out_path, "w", encoding="utf-8") as out:
        for d, r in zip(docs, results):
            out.write(json.dumps({"id": d["id"], "entities": [
                {"start": m.start, "end": m.end, "text": m.text, "type": resolved[e.key].entity_type, "canonical": resolved[e.key].canonical_name}
                for e in r.entities for m in e.mentions
            ], "dates": [
                {"start": x.start, "end": x.end, "text": x.text, "value": x.value, **({"end_value": x.end_value} if x.end_value else {})}
                for x in r.dates
            ]}, ensure_ascii=False) + "\n")
    return len(docs)
