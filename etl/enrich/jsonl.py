"""The enrich contract: JSON lines in ({id, text, published}), JSON lines out.

No database: entities resolve across the documents of the input file, as the warehouse
resolves them across articles. A line that cannot be read (not JSON, no text, a published
date that is not YYYY-MM-DD) becomes an error record for that line, `{"id", "error"}`, and the
others are enriched; the command then exits non-zero (EnrichLinesFailed).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from etl.enrich import enrich_articles
from etl.enrich.places import PLACE_TYPES
from etl.enrich.resolve import resolve_entities, stats_from_documents
from etl.errors import NewsEtlError
from etl.parse import Article, Segment, parse_article, split_long

Progress = Callable[[int, int], None]  # (done, total)

CHUNK = 200


class EnrichLinesFailed(NewsEtlError):
    """Some input lines could not be enriched; their error records are in the output."""

    def __init__(self, failed: int, total: int, out_path: Path, first: str):
        super().__init__(
            f"{failed} of {total} input lines could not be enriched (first: {first}); "
            f'their error records ({{"id", "error"}}) are in {out_path}, the other {total - failed} lines were enriched'
        )
        self.failed = failed


class BadLine(ValueError):
    """An input line that does not follow the contract."""


@dataclass
class InputDoc:
    id: object
    text: str
    published: date | None


def read_line(line: str, number: int) -> InputDoc:
    """One input line as a document; BadLine with the reason when it breaks the contract."""
    try:
        d = json.loads(line)
    except json.JSONDecodeError as e:
        raise BadLine(f"line {number}: not JSON ({e.msg} at column {e.colno})") from None
    if not isinstance(d, dict):
        raise BadLine(f"line {number}: a JSON {type(d).__name__}, not an object")
    doc_id = d.get("id", f"line-{number}")
    text = d.get("text")
    if not isinstance(text, str):
        raise BadLine(f'line {number}: "text" is {"missing" if text is None else type(text).__name__}, not a string')
    published = d.get("published")
    if published is None or published == "":
        return InputDoc(doc_id, text, None)
    try:
        if not isinstance(published, str) or len(published) != 10:
            raise ValueError
        return InputDoc(doc_id, text, date.fromisoformat(published))
    except ValueError:
        raise BadLine(f'line {number}: "published" is {published!r}, not a date YYYY-MM-DD or null') from None


def article_of_text(text: str, published: date | None = None) -> Article:
    """An article parsed from text; text the parser cannot shape is one body."""
    try:
        return parse_article(text, published)
    except Exception:
        # Text the parser cannot shape (or refuses as a landing file) is enriched whole.
        return Article(text=text, segments=[Segment(s, e, "body") for s, e in split_long(text, 0, len(text))])


def enrich_jsonl(in_path: Path, out_path: Path, settings, progress: Progress | None = None) -> int:
    """Enrich every line of in_path into out_path; returns the number of lines.

    progress(done, total) is called after each chunk of documents.

    Raises EnrichLinesFailed, after writing every line's record, when some lines failed.
    """
    records: list[InputDoc | str] = []  # a document, or the error of its line
    ids: list[object] = []
    number = 0
    # JSON lines end at "\n" (and "\r\n"): str.splitlines() would also cut at U+0085 or U+2028,
    # characters a JSON string may hold as they are (news text has them).
    text = Path(in_path).read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        try:
            doc = read_line(line, number)
            records.append(doc)
            ids.append(doc.id)
        except BadLine as e:
            records.append(str(e))
            ids.append(_id_of(line, number))
    docs = [r for r in records if isinstance(r, InputDoc)]
    results = []
    for i in range(0, len(docs), CHUNK):
        items = []
        for d in docs[i : i + CHUNK]:
            article = article_of_text(d.text, d.published)
            article.language = "en"  # the caller asked for enrichment
            items.append((article, d.published))
        results.extend(enrich_articles(items, settings.spacy_model, settings.nlp_batch_size, settings.nlp_processes))
        if progress:
            progress(len(results), len(docs))
    resolved = resolve_entities(*stats_from_documents(r.entities for r in results))
    enriched = iter(results)
    errors = []
    with open(out_path, "w", encoding="utf-8") as out:
        for doc_id, record in zip(ids, records):
            if isinstance(record, str):
                errors.append(record)
                out.write(json.dumps({"id": doc_id, "error": record}, ensure_ascii=False) + "\n")
                continue
            r = next(enriched)
            out.write(
                json.dumps(
                    {
                        "id": doc_id,
                        "entities": [
                            {
                                "start": m.start,
                                "end": m.end,
                                "text": m.text,
                                "type": resolved[e.key].entity_type,
                                "canonical": resolved[e.key].canonical_name,
                                **geo_fields(e),
                            }
                            for e in r.entities
                            for m in e.mentions
                        ],
                        "dates": [
                            {
                                "start": x.start,
                                "end": x.end,
                                "text": x.text,
                                "value": x.value,
                                **({"end_value": x.end_value} if x.end_value else {}),
                            }
                            for x in r.dates
                        ],
                        "quotes": [quote_record(q, r, resolved, record.text) for q in r.quotes],
                        "tone": dataclasses.asdict(r.tone),
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    if errors:
        raise EnrichLinesFailed(len(errors), len(records), Path(out_path), errors[0])
    return len(records)


def quote_record(q, enriched, resolved, text: str) -> dict:
    """A quotation as the enrich contract gives it: content offsets, kind, cue, speaker."""
    speaker = None
    if q.speaker is not None:
        entity = enriched.entities[q.entity] if q.entity is not None else None
        speaker = {
            "canonical": resolved[entity.key].canonical_name if entity else None,
            "mention": {"start": q.speaker[0], "end": q.speaker[1]},
        }
    return {
        "start": q.start,
        "end": q.end,
        "text": text[q.start : q.end],
        "direct": q.direct,
        "kind": q.kind,
        "cue": {"start": q.cue[0], "end": q.cue[1]} if q.cue else None,
        "speaker": speaker,
        "tone": q.tone,
    }


def geo_fields(entity) -> dict:
    """A place mention's GeoNames fields (all null when it is not grounded); none for others."""
    place = entity.geo
    if place is None:
        return dict.fromkeys(GEO_FIELDS) if entity.type in PLACE_TYPES else {}
    return {
        "geonameid": place.geonameid,
        "lat": place.latitude,
        "lon": place.longitude,
        "feature_code": place.feature_code,
        "country_code": place.country_code,
        "admin1": place.admin1_name,
        "geo_confidence": entity.geo_confidence,
    }


GEO_FIELDS = ("geonameid", "lat", "lon", "feature_code", "country_code", "admin1")


def _id_of(line: str, number: int) -> object:
    """The id of a line that failed, when it can be read at all."""
    try:
        d = json.loads(line)
        if isinstance(d, dict) and "id" in d:
            return d["id"]
    except json.JSONDecodeError:
        pass
    return f"line-{number}"
