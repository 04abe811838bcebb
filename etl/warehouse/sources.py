"""The warehouse's outlets: spellings of one outlet named by the name it uses for itself.

An outlet is keyed by its folded spelling (etl/ids.py: source_id), so "Reuter" (the wire's
sign-off) and "Reuters" (its bylines) are two rows of dim_source. A file that names its
outlet twice ties the spellings (dwh.source_alias: the article's outlet, the header's, the
byline's or the dateline's, names its sign-off); initials name the one outlet they abbreviate
("AFP", "Agence France-Presse"). Each spelling's outlet_id points at its outlet; reports show
that outlet's name. The load re-decides only the spellings its articles touch.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from etl import ids
from etl.names import fold
from etl.warehouse.staging import fill_scratch_table
from etl.warehouse.steps import CodeStep

# Words initials skip: "Agence France-Presse" is AFP, "Press Trust of India" PTI.
_NOT_INITIALLED = {"of", "the", "and", "for", "de", "du", "la", "le"}


def initials(name: str) -> str | None:
    """The initials of a name of two words or more ("agence france presse" -> "afp")."""
    words = [w for w in fold(name).split() if w not in _NOT_INITIALLED]
    return "".join(w[0] for w in words) if len(words) >= 2 else None


def outlet_of(source: uuid.UUID, named_by: Counter, names: Counter, abbreviates: set[uuid.UUID]) -> uuid.UUID | None:
    """The outlet a spelling belongs to; None: itself.

    named_by: outlet -> articles of that outlet that also give this spelling (a sign-off
    under a byline); names: the same, the other way round. The outlet whose articles name it
    most, unless this spelling's own articles name that one at least as often (then the
    smaller id is the outlet, so two spellings never point at each other). Else the one
    outlet its initials abbreviate ("AP" and "Associated Press").
    """
    candidates = [
        (n, o)
        for o, n in named_by.items()
        if o != source and n > 0 and (n > names.get(o, 0) or (n == names.get(o, 0) and str(o) < str(source)))
    ]
    if candidates:
        return max(candidates, key=lambda c: (c[0], _desc(str(c[1]))))[1]
    others = abbreviates - {source}
    return next(iter(others)) if len(others) == 1 else None


def _names(conn: Connection, source_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    rows = conn.execute(
        sa.text("select source_id, source_name from dwh.dim_source where source_id = any(:s)"),
        {"s": list(source_ids)},
    )
    return {source_id: name for source_id, name in rows}


def _desc(s: str) -> tuple:
    return tuple(-ord(c) for c in s)


def sync_outlets(conn: Connection, everything: bool = False) -> int:
    """Re-decide the outlet of every spelling source_delta touches (everything: all of
    them); returns how many it decided."""
    if everything:
        touched = set(conn.execute(sa.text("select source_id from dwh.dim_source")).scalars())
    else:
        touched = set(
            conn.execute(
                sa.text(
                    "select source_id from source_delta where source_id is not null"
                    " union select unnest(alias_ids) from source_delta"
                )
            ).scalars()
        )
    names = _names(conn, touched)  # a spelling no article is filed under has no row to point
    # A touched name may now be the one outlet a short spelling abbreviates ("AP").
    shorts = {sid: initials(name) for sid, name in names.items()}
    _update(conn, "initials", shorts)
    names |= _names(conn, {ids.source_id(short) for short in shorts.values() if short})
    touched = set(names)
    if not touched:
        return 0
    conn.execute(sa.text("create temporary table touched_source (source_id uuid primary key) on commit drop"))
    fill_scratch_table(conn, "touched_source", ["source_id"], ((s,) for s in touched))
    named_by: dict[uuid.UUID, Counter] = defaultdict(Counter)
    names_other: dict[uuid.UUID, Counter] = defaultdict(Counter)
    for source_id, alias_id, articles in conn.execute(
        sa.text(
            "select source_id, alias_id, articles from dwh.source_alias"
            " where alias_id in (select source_id from touched_source)"
            " or source_id in (select source_id from touched_source)"
        )
    ):
        named_by[alias_id][source_id] += articles
        names_other[source_id][alias_id] += articles
    abbreviated: dict[str, set[uuid.UUID]] = defaultdict(set)
    for sid, short in conn.execute(
        sa.text(
            "select s.source_id, s.initials from dwh.dim_source as s"
            " where s.initials = any(:shorts)"
            " and exists (select 1 from dwh.source_spelling as sp where sp.source_id = s.source_id)"
        ),
        {"shorts": sorted({fold(names[s]) for s in touched})},
    ):
        abbreviated[short].add(sid)
    outlets = {s: outlet_of(s, named_by[s], names_other[s], abbreviated[fold(names[s])]) for s in touched}
    _update(conn, "outlet_id", outlets)
    return len(touched)


_SET = {
    "initials": "update dwh.dim_source set initials = :v where source_id = :s and initials is distinct from :v",
    "outlet_id": "update dwh.dim_source set outlet_id = :v where source_id = :s and outlet_id is distinct from :v",
}


def _update(conn: Connection, column: str, values: dict) -> None:
    """Set one column of the dim_source rows given, where it changes."""
    if values:
        conn.execute(
            sa.text(_SET[column]), [{"v": v, "s": s} for s, v in sorted(values.items(), key=lambda kv: str(kv[0]))]
        )


# The outlet step of the load and of the full rebuild (etl/warehouse/steps.py).
OUTLET_STEP = CodeStep("outlets", sync_outlets, creates=("touched_source",))
FULL_OUTLET_STEP = CodeStep("outlets", lambda conn: sync_outlets(conn, everything=True), creates=("touched_source",))
