"""Enrich: entity and date mentions for parsed articles, in batches through one spaCy model."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from etl.enrich.dates import DateMention, find_dates, numeric_date_order
from etl.enrich.dates.anaphora import anaphoric_dates
from etl.enrich.entities import (
    Entity,
    Mention,
    abbreviation_mentions,
    dateline_mentions,
    headline_mentions,
    is_shouting,
    places_within,
    raw_mentions,
    resolve_document,
)
from etl.enrich.places import Focus, focus_of, ground_places, merge_by_place, towns_taken_for_people
from etl.enrich.quotes import Quote, find_quotes
from etl.enrich.sentences import sentence_spans
from etl.enrich.tone import ArticleTone, article_tone, compound
from etl.names import fold

if TYPE_CHECKING:  # for annotations only
    from etl.parse import Article, Segment

# Bump when a rule changes what enrichment produces: a re-run then re-processes history.
RULES_VERSION = "rules-7"

# Same-length substitutions, so the model's offsets stay offsets into the file text. Line
# breaks become spaces: a hard-wrapped paragraph is read as one run of text, so a name
# broken over two lines ("Minister Edouard" / "Balladur") stays one name.
_NLP_FRIENDLY = str.maketrans(
    {
        "\u00a0": " ",
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\n": " ",
        "\r": " ",
        "\t": " ",
    }
)


def segment_texts(article: Article) -> list[str]:
    """The texts the model reads for an article: its segments, NBSP and curly quotes made plain."""
    return [article.text[seg.start : seg.end].translate(_NLP_FRIENDLY) for seg in article.segments]


def fit_segments(article: Article, limit: int) -> None:
    """Cut the article's segments longer than the model's max_length (spaCy's E088) at spaces."""
    from etl.parse import Segment, split_long

    if all(seg.end - seg.start <= limit for seg in article.segments):
        return
    article.segments = [
        Segment(s, e, seg.kind) if seg.end - seg.start > limit else seg
        for seg in article.segments
        for s, e in (
            split_long(article.text, seg.start, seg.end, limit)
            if seg.end - seg.start > limit
            else [(seg.start, seg.end)]
        )
    ]


# Only the entity recogniser is used (it has its own tok2vec): the tagger and the parser
# would more than double the model's time for nothing.
NER_ONLY_EXCLUDE = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]


@lru_cache(maxsize=2)
def load_model(name: str):
    """The spaCy pipeline, loaded once per process: an installed package or a model folder."""
    import spacy

    return spacy.load(name, exclude=NER_ONLY_EXCLUDE)


def enrichment_version(model_name: str) -> str:
    """What produced an article's enrichment: parser, rules and model versions."""
    from etl.parse import PARSER_VERSION

    meta = model_meta(model_name)
    return f"{PARSER_VERSION}+{RULES_VERSION}+{meta['name']}-{meta['version']}"


@lru_cache
def model_meta(name: str) -> dict:
    """The model's meta.json (an installed package or a model folder), read without loading it."""
    import spacy.util

    path = Path(name) if Path(name).is_dir() else spacy.util.get_package_path(name)
    return spacy.util.get_model_meta(path)


def outlet_day_first(article: Article) -> bool | None:
    """How the outlet writes numeric dates, from where it files: month first in the United
    States (7/8/07 is July 8), day first elsewhere; None when the article names no place."""
    from etl.enrich.gazetteer import lookup_place

    place = lookup_place(article.dateline_place) if article.dateline_place else None
    if place is None or place.country_code is None:
        return None
    return place.country_code != "US"


@dataclass
class Enriched:
    entities: list[Entity]
    dates: list[DateMention]
    focus: Focus = Focus(None, None)
    quotes: list[Quote] = field(default_factory=list)
    tone: ArticleTone = ArticleTone(0.0, 0.0, 0.0, 0.0, 0)


def enrich_articles(
    items: list[tuple[Article, date | None]],
    model_name: str,
    batch_size: int = 64,
    n_process: int = 1,
) -> list[Enriched]:
    """Entities and dates of each (article, reference date) of a chunk, in input order.

    The segments of all the chunk's articles go through one nlp.pipe stream, so batches span
    articles; the per-article work (rules, dates) is pure Python on the results.
    """
    nlp = load_model(model_name)
    texts, owners = [], []
    for i, (article, _ref) in enumerate(items):
        if article.language != "en":
            continue  # recorded with its language, not enriched
        fit_segments(article, nlp.max_length)
        for text in segment_texts(article):
            texts.append(text)
            owners.append(i)
    docs_of: list[list] = [[] for _ in items]
    for owner, doc in zip(owners, nlp.pipe(texts, batch_size=batch_size, n_process=n_process)):
        docs_of[owner].append(doc)
    return [enrich_one(article, ref, docs_of[i]) for i, (article, ref) in enumerate(items)]


def enrich_one(article: Article, ref: date | None, docs: list, with_dates: bool = True) -> Enriched:
    """Entities and dates of one article from its segments' spaCy docs."""
    if article.language != "en":
        return Enriched([], [])
    body_mentions: list[Mention] = []
    headlines: list[Segment] = []
    for seg, doc in zip(article.segments, docs):
        if seg.kind == "source":
            body_mentions.append(Mention(seg.start, seg.end, article.text[seg.start : seg.end], "ORG"))
        elif seg.kind == "dateline":
            body_mentions.extend(
                dateline_mentions(article.text, seg.start, seg.end, article.dateline_place, article.dateline_agency)
            )
        elif seg.kind == "title" and is_shouting(article.text[seg.start : seg.end]):
            headlines.append(seg)
        else:
            found = raw_mentions(doc, seg.start, article.text)
            body_mentions.extend(found + abbreviation_mentions(article.text, seg.start, seg.end, found))
    mentions = list(body_mentions)
    for seg in headlines:
        mentions.extend(headline_mentions(article.text[seg.start : seg.end], seg.start, body_mentions))
    entities = resolve_document(article.text, mentions + places_within(mentions))
    entities, focus = ground_entities(article, entities)
    read = [(seg.start, seg.end) for seg in article.segments if seg.kind in ("body", "caption")]
    title = next(((seg.start, seg.end) for seg in article.segments if seg.kind == "title"), None)
    quotes = find_quotes(article.text, read, entities, title)
    tone = tone_of(article, entities, quotes)
    dates = []
    day_first = numeric_date_order(article.text)
    if day_first is None:
        day_first = outlet_day_first(article)
    for seg in article.segments if with_dates else ():
        if seg.kind == "source":
            continue
        text = article.text[seg.start : seg.end]
        found = [
            DateMention(d.start + seg.start, d.end + seg.start, d.text, d.value, d.granularity, d.end_value)
            for d in find_dates(text, ref, day_first, document=article.text)
        ]
        # "three days later": from the latest date named before it, in the article's order.
        dates += found
        dates += anaphoric_dates(text, seg.start, sorted(dates, key=lambda d: d.start), found)
    dates.sort(key=lambda d: d.start)
    return Enriched(entities, dates, focus, quotes, tone)


def tone_of(article: Article, entities: list[Entity], quotes: list[Quote]) -> ArticleTone:
    """The article's tone (etl/enrich/tone.py); each quote's, and each entity's: the mean tone
    of the sentences that name it."""
    segments = [(s.start, s.end) for s in article.segments if s.kind in ("title", "body", "caption")]
    for q in quotes:
        q.tone = compound(article.text[q.start : q.end])
    sentences = [span for start, end in segments for span in sentence_spans(article.text, start, end)]
    for e in entities:
        scores = [compound(article.text[s:t]) for s, t in sentences if any(s <= m.start < t for m in e.mentions)]
        e.tone = round(sum(scores) / len(scores), 4) if scores else None
    return article_tone([article.text[s:e] for s, e in segments])


def ground_entities(article: Article, entities: list[Entity]) -> tuple[list[Entity], Focus]:
    """The article's places grounded in GeoNames (etl.enrich.places): a grounded place is
    known by its GeoNames id and named as the gazetteer names it (when the article spells it
    so); two spellings grounded to one place are one entity. A demonym keeps its entity and
    refers to its country."""
    groundings = ground_places(article.text, entities, article.dateline_place)
    towns = towns_taken_for_people(article.text, entities, groundings)
    if towns:  # grounded with the rest, or left the people the model said they were
        for i in towns:
            entities[i].type = "GPE"
        groundings = ground_places(article.text, entities, article.dateline_place)
        for i in towns:
            if i not in groundings:
                entities[i].type = "PERSON"
    focus = focus_of(entities, groundings, article.dateline_place)
    for i, g in groundings.items():
        e = entities[i]
        e.geo, e.geo_confidence, e.country_code = g.place, g.confidence, g.place.country_code
    for key, indexes in merge_by_place(entities, groundings).items():
        e = entities[indexes[0]]
        for i in indexes[1:]:
            e.mentions = sorted(e.mentions + entities[i].mentions, key=lambda m: m.start)
            entities[i] = None
        e.key, e.type = key, e.geo.type
        if fold(e.geo.name) in {fold(m.text) for m in e.mentions}:
            e.canonical = e.geo.name
    return sorted((e for e in entities if e is not None), key=lambda e: e.mentions[0].start), focus
