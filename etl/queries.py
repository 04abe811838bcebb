"""The example queries (sql/queries/*.sql), run as the analysts' role, with their output (docs/queries.md)."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from etl.warehouse.db import sql_root

START, END = "<!-- queries:start -->", "<!-- queries:end -->"


def example_queries() -> list[tuple[str, str]]:
    """(question, sql) of every example query, in file order."""
    folder = sql_root().joinpath("queries")
    out = []
    for name in sorted(p.name for p in folder.iterdir() if p.name.endswith(".sql")):
        sql = folder.joinpath(name).read_text(encoding="utf-8").strip()
        question = sql.splitlines()[0].removeprefix("--").strip()
        out.append((question, "\n".join(sql.splitlines()[1:]).strip()))
    return out


def _cell(value) -> str:
    return "" if value is None else str(value).replace("|", "\\|")


def render_markdown(engine: Engine) -> str:
    """Every example query with the table it returns, as Markdown."""
    parts = []
    with engine.connect() as conn:
        for question, sql in example_queries():
            result = conn.execute(sa.text(sql))
            header = list(result.keys())
            rows = result.all()
            table = [
                "| " + " | ".join(header) + " |",
                "| " + " | ".join("---" for _ in header) + " |",
                *("| " + " | ".join(_cell(v) for v in row) + " |" for row in rows),
            ]
            parts.append(f"**{question}**\n\n```sql\n{sql}\n```\n\n" + "\n".join(table))
    return "\n\n".join(parts)


def replace_section(document: str, markdown: str) -> str:
    """The document with the text between the queries markers replaced."""
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    if not pattern.search(document):
        raise ValueError(f"no {START} ... {END} section to replace")
    return pattern.sub(lambda _m: f"{START}\n{markdown}\n{END}", document)


def update_readme(path: Path, engine: Engine) -> None:
    path.write_text(replace_section(path.read_text(encoding="utf-8"), render_markdown(engine)), encoding="utf-8")
