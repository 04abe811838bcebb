"""Dates told from another date of the story: "three days later", "the following year", "that
day", "earlier that month". Their anchor is not the publication date but the latest date the
article named before them, so they are read after the rules, in the article's order, and only
where such an anchor exists (otherwise nothing is emitted: a guess would be a wrong value).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from etl.enrich.dates.matcher import DateMention
from etl.enrich.dates.normalisers import NUMBER_WORDS
from etl.enrich.dates.values import add_months, granularity_of, is_valid_value, month_value, week_value

_UNIT = r"(?P<unit>day|week|month|year)s?"
_ANAPHORIC = re.compile(
    rf"""
    \b(?:
        (?<![-\d]) (?P<num>\d{{1,2}}|{"|".join(NUMBER_WORDS)}) \s+ {_UNIT} \s+ (?P<shift>later|earlier)
      | the \s+ (?P<step>following|next|previous|preceding) \s+ (?P<step_unit>day|week|month|year)
      | (?P<within>later|earlier) \s+ that \s+ (?P<within_unit>day|week|month|year)
      | that \s+ (?:same \s+)? (?P<same_unit>day|week|month|year)
    )\b
    """,
    re.I | re.X,
)
# What an anchor must name for each unit: "three days later" needs a day.
_FINE_ENOUGH = {
    "day": {"day"},
    "week": {"day", "week"},
    "month": {"day", "month"},
    "year": {"day", "week", "month", "quarter", "season", "year"},
}


def anaphoric_dates(text: str, offset: int, earlier: list[DateMention], taken: list[DateMention]) -> list[DateMention]:
    """The anaphoric dates of `text` (a segment starting at `offset` of the article), each
    anchored on the latest mention of `earlier` (article offsets) before it; none overlapping
    the mentions already `taken` in this text."""
    out: list[DateMention] = []
    for m in _ANAPHORIC.finditer(text):
        start, end = m.start() + offset, m.end() + offset
        if any(t.start < end and start < t.end for t in taken):
            continue
        unit, shift = _unit_and_shift(m)
        anchor = _anchor(earlier + out, start, unit)
        if anchor is None:
            continue
        try:
            value = _shifted(anchor, unit, shift)
        except (ValueError, OverflowError):  # shifted off the calendar ("a week later" than 9999-12-31)
            continue
        if is_valid_value(value):
            out.append(DateMention(start, end, m.group(0), value, granularity_of(value)))
    return out


def _unit_and_shift(m: re.Match) -> tuple[str, int]:
    if m["unit"]:
        n = int(m["num"]) if m["num"].isdigit() else NUMBER_WORDS[m["num"].lower()]
        return m["unit"].lower(), n if m["shift"].lower() == "later" else -n
    if m["step"]:
        return m["step_unit"].lower(), 1 if m["step"].lower() in ("following", "next") else -1
    return (m["within_unit"] or m["same_unit"]).lower(), 0


def _anchor(mentions: list[DateMention], before: int, unit: str) -> DateMention | None:
    """The latest mention before `before` whose value is on the calendar and fine enough."""
    candidates = [
        d
        for d in mentions
        if d.end <= before and d.value[:4].isdigit() and granularity_of(d.value) in _FINE_ENOUGH[unit]
    ]
    return max(candidates, key=lambda d: d.start, default=None)


def _shifted(anchor: DateMention, unit: str, shift: int) -> str:
    value = anchor.value
    year = int(value[:4])
    if unit == "year":
        return f"{year + shift:04d}"
    if unit == "month":
        month = int(value[5:7])
        return month_value(*add_months(year, month, shift))
    day = _first_day(value)
    if unit == "week":
        return week_value(day + timedelta(weeks=shift))
    return (day + timedelta(days=shift)).isoformat()


def _first_day(value: str) -> date:
    if m := re.fullmatch(r"(\d{4})-W(\d{2})", value):
        return date.fromisocalendar(int(m[1]), int(m[2]), 1)
    return date.fromisoformat(value[:10])
