"""The load's steps and the one runner that runs them.

A step is a file of sql/load/ (its statements run in order, with :run_id) or a step in
Python (the entity and story syncs) that runs step files of its own. The steps hand each
other scratch tables (temporary, dropped at commit). Every step file says which it creates
and which it reads, in two header lines:

    -- creates: run_version
    -- reads: fresh, retiring

and a Python step names the files it runs and the scratch tables it fills itself.
`problems(steps)` checks a sequence against those declarations (a test runs it on every
sequence the load uses): a step reads only what an earlier step created, and a step file
names no scratch table it does not declare.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from etl.warehouse.db import sql_statements, sql_text

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SqlStep:
    """A step file, sql/load/<name>.sql."""

    name: str
    # Run only when this scratch table has rows (a fresh day retires nothing, and planning a
    # delete over every month's partitions costs ~20 ms at a million articles for nothing).
    only_when: str | None = None


@dataclass(frozen=True)
class CodeStep:
    """A step in Python: the step files it runs (in order) and the scratch tables it creates
    and fills itself (COPY)."""

    name: str
    run: Callable[[Connection], object]
    sql: tuple[str, ...] = ()
    creates: tuple[str, ...] = ()


Step = SqlStep | CodeStep


def run_steps(conn: Connection, steps: Sequence[Step], run_id: uuid.UUID | None = None) -> dict[str, object]:
    """Run the steps in order; returns what the Python steps returned, by name."""
    results = {}
    for step in steps:
        started = time.monotonic()
        if isinstance(step, CodeStep):
            results[step.name] = step.run(conn)
        elif step.only_when is None or conn.execute(sa.text(f"select exists (select from {step.only_when})")).scalar():
            for statement in sql_statements(f"load/{step.name}.sql"):
                conn.execute(sa.text(statement), {"run_id": run_id})
        log.debug("%s: %.3fs", step.name, time.monotonic() - started)
    return results


@lru_cache
def declared(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """A step file's declared (creates, reads)."""
    text = sql_text(f"load/{name}.sql")

    def names(label: str) -> frozenset[str]:
        m = re.search(rf"^-- {label}:(.*)$", text, re.M)
        return frozenset(n.strip() for n in m.group(1).split(",") if n.strip()) if m else frozenset()

    return names("creates"), names("reads")


def problems(steps: Sequence[Step]) -> list[str]:
    """What the declarations of a step sequence get wrong, in words (none: an empty list)."""
    files = [(step.name, step.name) for step in steps if isinstance(step, SqlStep)]
    files += [(step.name, f) for step in steps if isinstance(step, CodeStep) for f in step.sql]
    scratch = {t for _s, f in files for t in declared(f)[0]} | {
        t for s in steps if isinstance(s, CodeStep) for t in s.creates
    }
    out = []
    created: set[str] = set()
    for step in steps:
        if isinstance(step, CodeStep):
            created |= set(step.creates)
        for f in (step.name,) if isinstance(step, SqlStep) else step.sql:
            creates, reads = declared(f)
            out += [f"{step.name}: {f}.sql reads {t}, which no earlier step creates" for t in sorted(reads - created)]
            body = "\n".join(
                line for line in sql_text(f"load/{f}.sql").splitlines() if not line.lstrip().startswith("--")
            )
            named = {t for t in scratch if re.search(rf"(?<![\w.]){t}\b", body)}
            out += [f"{step.name}: {f}.sql names {t} without declaring it" for t in sorted(named - creates - reads)]
            created |= creates
        if isinstance(step, SqlStep) and step.only_when and step.only_when not in created:
            out.append(f"{step.name}: runs only when {step.only_when} has rows, which no earlier step creates")
    return out
