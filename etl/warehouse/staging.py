"""Staging: the rows a run COPYs into staging.*, one small dataclass per table.

The process step stages each file's article, entities and dates (or the reason it was
rejected); the load merges a run's staged rows into the warehouse and removes them. Every
row carries its run_id, so a retried or concurrent run never reads another run's rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection


@dataclass(frozen=True)
class RunFile:
    """What discovery decided for one seen file: process it, or unchanged."""

    table: ClassVar[str] = "staging.run_file"
    run_id: uuid.UUID
    path: str
    sha256: str | None
    action: str  # process | unchanged


@dataclass(frozen=True)
class StagedArticle:
    table: ClassVar[str] = "staging.article"
    run_id: uuid.UUID
    path: str
    partition_date: date
    article_id: uuid.UUID
    sha256: str
    byte_size: int
    title: str | None
    author: str | None  # a byline's name as written
    source_id: uuid.UUID | None
    source_name: str | None
    source_alias_ids: list[uuid.UUID]  # the outlet's other spellings in the file
    dateline_place: str | None
    dateline_agency: str | None
    published_date: date
    published_basis: str
    language: str
    body: str
    captions: list[str]
    raw_text: str
    enrichment_version: str
    minhash: list[int]
    shingles: int
    band_hashes: list[int]
    story_id: uuid.UUID  # its own story, until the story step finds companions
    focus_country_geonameid: int | None  # the article's main country ...
    focus_geonameid: int | None  # ... and main place (etl.enrich.places.focus_of)
    tone: float  # GDELT's document tone (etl.enrich.tone)
    tone_positive: float
    tone_negative: float
    tone_polarity: float
    word_count: int


@dataclass(frozen=True)
class StagedEntity:
    """One entity of one article as the document alone sees it."""

    table: ClassVar[str] = "staging.entity_mention"
    run_id: uuid.UUID
    path: str
    entity_key: str
    canonical_name: str
    entity_type: str
    country_code: str | None
    acronym: str | None
    forms: list[str]
    aliases: list[str]
    mentions: int
    first_offset: int
    geonameid: int | None  # the place it is (or, a demonym, refers to), as the document grounds it
    tone: float | None  # the mean tone of the sentences that name it


@dataclass(frozen=True)
class StagedPlace:
    """A GeoNames place one article grounds to (or focuses on), as the gazetteer describes it."""

    table: ClassVar[str] = "staging.place"
    run_id: uuid.UUID
    path: str
    geonameid: int
    name: str
    feature_class: str
    feature_code: str
    country_code: str | None
    admin1_code: str | None
    admin1_name: str | None
    latitude: float
    longitude: float
    population: int


@dataclass(frozen=True)
class StagedQuote:
    """A quotation of one article, its speaker as the document's entity key."""

    table: ClassVar[str] = "staging.quote"
    run_id: uuid.UUID
    path: str
    start_offset: int
    end_offset: int
    quote_text: str
    kind: str  # direct | mixed | indirect
    cue_text: str | None
    speaker_text: str | None
    speaker_start: int | None
    speaker_entity_key: str | None
    tone: float | None


@dataclass(frozen=True)
class StagedDate:
    table: ClassVar[str] = "staging.date_mention"
    run_id: uuid.UUID
    path: str
    start_offset: int
    end_offset: int
    mention_text: str
    value: str
    end_value: str | None
    granularity: str
    start_date: date
    end_date: date


@dataclass(frozen=True)
class RejectedFile:
    """A file that could not become an article, and why (it goes to the quarantine)."""

    table: ClassVar[str] = "staging.rejected_file"
    run_id: uuid.UUID
    path: str
    partition_date: date
    sha256: str | None
    reason: str


STAGED_PER_FILE = (StagedArticle, StagedEntity, StagedPlace, StagedQuote, StagedDate, RejectedFile)


def copy_rows(conn: Connection, row_type: type, rows: Iterable) -> int:
    """COPY dataclass rows of one type into their staging table."""
    columns = [f.name for f in fields(row_type)]
    return copy_tuples(conn, row_type.table, columns, (tuple(getattr(r, c) for c in columns) for r in rows))


def copy_tuples(conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY plain rows into a table (a staging or temporary one) through psycopg's COPY."""
    n = 0
    with conn.connection.driver_connection.cursor() as cur:
        with cur.copy(f"copy {table} ({', '.join(columns)}) from stdin") as copy:
            for row in rows:
                copy.write_row(row)
                n += 1
    return n


def fill_scratch_table(conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY rows into a temporary table and ANALYZE it: a temporary table has no statistics
    until analyzed, and the planner would guess thousands of rows and scan whole fact tables."""
    n = copy_tuples(conn, table, columns, rows)
    conn.execute(sa.text(f"analyze {table}"))
    return n


def clear_finished_runs(conn: Connection) -> None:
    """Remove the staged rows of runs that are over (failed, or abandoned after a kill)."""
    for table in (*(t.table for t in STAGED_PER_FILE), RunFile.table):
        conn.execute(
            sa.text(f"delete from {table} where run_id in (select run_id from ops.etl_run where status <> 'running')")
        )


def clear_run(conn: Connection, run_id: uuid.UUID) -> None:
    """Remove everything a run staged: its plan (staging.run_file) and its rows."""
    conn.execute(sa.text(f"delete from {RunFile.table} where run_id = :run_id"), {"run_id": run_id})
    clear(conn, run_id)


def clear(conn: Connection, run_id: uuid.UUID, paths: Sequence[str] | None = None) -> None:
    """Remove a run's staged rows (all, or those of some paths), so a retry starts clean."""
    for row_type in STAGED_PER_FILE:
        if paths is None:
            conn.execute(sa.text(f"delete from {row_type.table} where run_id = :run_id"), {"run_id": run_id})
        else:
            conn.execute(
                sa.text(f"delete from {row_type.table} where run_id = :run_id and path = any(:paths)"),
                {"run_id": run_id, "paths": list(paths)},
            )
