"""The run ledger: each run's row in ops.etl_run (who started it, its buckets, how it ended)
and the manifest's view of a partition's files. One function a statement of sql/ledger/."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from etl.warehouse.db import sql_text


def _run(conn: Connection, name: str, **params):
    return conn.execute(sa.text(sql_text(f"ledger/{name}.sql")), params)


def known_files(conn: Connection, partition: date) -> dict[str, Row]:
    """The manifest's rows of a partition's files (hash, enrichment version, outcome), by path."""
    return {row.path: row for row in _run(conn, "known_files", partition=partition)}


def abandon_earlier_runs(conn: Connection, partition: date, run_id: uuid.UUID) -> None:
    """Fail the partition's other runs still marked running (killed before their load)."""
    _run(conn, "abandon_earlier_runs", partition=partition, run_id=run_id)


def record_start(
    conn: Connection,
    run_id: uuid.UUID,
    partition: date,
    *,
    forced: bool,
    enrichment_version: str,
    files_seen: int,
    started_at: datetime,
    origin: dict,
) -> None:
    """A run starts (again, for a retried discover); `origin` names the Airflow task try."""
    _run(
        conn,
        "record_start",
        run_id=run_id,
        partition=partition,
        forced=forced,
        enrichment_version=enrichment_version,
        files_seen=files_seen,
        started_at=started_at,
        **origin,
    )


def record_unlistable(
    conn: Connection,
    run_id: uuid.UUID,
    partition: date,
    *,
    forced: bool,
    enrichment_version: str,
    at: datetime,
    error: str,
    origin: dict,
) -> None:
    """A run that failed before it started: its partition folder cannot be listed."""
    _run(
        conn,
        "record_unlistable",
        run_id=run_id,
        partition=partition,
        forced=forced,
        enrichment_version=enrichment_version,
        at=at,
        error=error,
        **origin,
    )


def loaded_counts(conn: Connection, run_id: uuid.UUID) -> Row | None:
    """The counts and shared-lock seconds of a run whose merge committed; None before."""
    return _run(conn, "loaded_counts", run_id=run_id).one_or_none()


def quarantine_reasons(conn: Connection, run_id: uuid.UUID) -> dict[str, int]:
    return dict(_run(conn, "quarantine_reasons", run_id=run_id).all())


def record_counts(conn: Connection, run_id: uuid.UUID, counts: dict, shared_lock_seconds: float) -> None:
    """The merge's buckets (files_seen, loaded, unchanged, duplicates, quarantined)."""
    _run(conn, "record_counts", run_id=run_id, shared_lock_seconds=shared_lock_seconds, **counts)


def run_counts(conn: Connection, run_id: uuid.UUID) -> Row:
    return _run(conn, "run_counts", run_id=run_id).one()


def record_end(conn: Connection, run_id: uuid.UUID, status: str, at: datetime, error: str | None) -> None:
    _run(conn, "record_end", run_id=run_id, status=status, at=at, error=error)
