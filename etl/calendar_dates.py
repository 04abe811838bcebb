"""Calendar dates written in full: "23rd March, 2021", "Thursday, March 18, 2021", "1996-08-30",
"3/18/2021", a range of days ("March 23-24, 2021"), and the clock time beside one ("NOVEMBER 15,
2007, 7: 40 AM").

A floor below parse and the date tagger. Parse reads a header's, a date line's or a dateline's
date with `calendar_dates`; the tagger (etl.enrich.dates) starts its rule table with
`CALENDAR_RULES` and picks among overlapping matches with the same `read_dates`, so both read a
date the same way. Values are TIMEX3: 2021-03-23, 2021-03-23T07:40, 2007-XX-XX (day and month in
an order nothing settles), XXXX-XX-XXT07:40 (a time without its day).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from etl.calendar_words import MONTH_NAME, month_number

# Named pieces of the patterns (all compiled with re.VERBOSE: a literal space is written "\ ").
NTH = r"(?:st|nd|rd|th)"  # 1st, 2nd, 23rd, 4th
MONTH = rf"(?P<month>{MONTH_NAME})"
DAY = rf"(?P<day>[0-3]?\d){NTH}?"
END_DAY = rf"(?P<day2>[0-3]?\d){NTH}?"  # the last day of a range
YEAR = r"(?P<year>1[5-9]\d\d|20\d\d)"
WEEKDAY_NAMES = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
WEEKDAY = rf"(?P<weekday>{WEEKDAY_NAMES})"
TIME_ZONE = r"UTC|GMT|[ECMP][SD]?T|BST|CET|CEST"

DAY_RANGE_YEAR = rf"{MONTH} \s+ {DAY} \s* (?:-|–|to|and|through) \s* {END_DAY} ,?\s+ {YEAR} \b"
DAY_MONTH_YEAR = rf"\b {DAY} \s+ (?:of\s+)? {MONTH} ,?\s+ {YEAR} \b"
MONTH_DAY_YEAR = rf"\b {MONTH} \s+ {DAY} ,?\s+ {YEAR} \b"
WEEKDAY_MONTH_DAY_YEAR = rf"\b {WEEKDAY} ,?\s+ {MONTH} \s+ {DAY} ,?\s+ {YEAR} \b"
ISO_DATE = rf"\b {YEAR} - (?P<mnum>[01]\d) - (?P<day>[0-3]\d) \b"
# 7/8/07, 25.12.2007: not inside a longer run of numbers ("1/2/3/4", "10.5.2021.3").
NUMERIC_DATE = r"""
    (?<![\d/.-])
    (?P<a>[0-3]?\d) (?P<sep>[/.]) (?P<b>[0-3]?\d) (?P=sep) (?P<y>\d{4}|\d{2})
    (?![\d/-]|\.\d)
"""
CLOCK_TIME = rf"""
    (?<![\d:.,])
    (?:
        # 18:00 UTC, 7:40 a.m., 14.30
        (?P<h>[01]?\d|2[0-3]) \s?[:.]\s? (?P<min>[0-5]\d) (?!\d|[:.,]\d)
        (?: \s* (?P<ampm>[ap]\.?\s?m\b\.?) )?
        (?: \s* (?P<tz>{TIME_ZONE}) \b )?
    |
        # 7 p.m., 11am
        (?P<h2>1[0-2]|[1-9]) \s* (?P<ampm2>[ap]\.m\.|[ap]m\b)
    )
"""
# What may stand between a clock time and the day it belongs to: "Tuesday at 7 p.m.",
# "10 p.m. (EST) Wednesday", "March 3, 2021, 7: 40 AM".
TIME_DAY_GAP = re.compile(r"[\s,]* (?:(?:on|at|of)\s+)? (?: \(?(?:[ECMP][SD]?T|UTC|GMT)\)? [\s,]* )?", re.X)

_NUMERIC_DATE = re.compile(NUMERIC_DATE, re.X)
_DAY_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME_VALUE = re.compile(r"T\d{2}:\d{2}$")

Resolver = Callable[[re.Match, "Context"], "tuple[str, str | None] | None"]


@dataclass(frozen=True)
class Context:
    """What a rule reads its match against."""

    text: str
    ref: date | None  # the reference date (an article's publication date), if known
    day_first: bool | None = None  # numeric dates: 8/7/07 is 8 July (True), August 7 (False), unknown (None)
    document: str = ""  # the whole article, when `text` is one of its paragraphs


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    resolve: Resolver  # match -> (value, end_value), or None to reject the match
    span_group: str | int = 0  # the part of the match that is the expression


def rule(name: str, pattern: str, resolve: Resolver, flags: int = re.I, span_group: str | int = 0) -> Rule:
    return Rule(name, re.compile(pattern, flags | re.X), resolve, span_group)


@dataclass(frozen=True)
class WrittenDate:
    """Where a date expression is written in a text, and its TIMEX3 value (a range's last too)."""

    start: int
    end: int
    value: str
    end_value: str | None = None


@dataclass(frozen=True)
class CalendarDate:
    """One calendar day written in full, at text[start:end] (with the clock time beside it)."""

    start: int
    end: int
    day: date


# --------------------------------------------------------------------------- resolvers


def safe_day(y: int, mo: int, d: int) -> str | None:
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def full_year(written: str, ref: date | None) -> int | None:
    """A year as written: 2007, or 07 / '82 in the century that puts it at most a few years
    after the reference date (the 20th century without one)."""
    if len(written) == 4:
        return int(written)
    if len(written) != 2:
        return None
    yy = int(written)
    if ref is None:
        return 1900 + yy
    year = ref.year // 100 * 100 + yy
    return year - 100 if year > ref.year + 5 else year


def numeric_date_order(text: str) -> bool | None:
    """Whether the text writes numeric dates day first (25/12/07), month first (12/25/07), or
    gives no sign of either; a text that shows both gives no sign."""
    firsts = set()
    for m in _NUMERIC_DATE.finditer(text):
        a, b = int(m["a"]), int(m["b"])
        if a > 12 >= b:
            firsts.add(True)
        elif b > 12 >= a:
            firsts.add(False)
    return firsts.pop() if len(firsts) == 1 else None


def full_date(m, ctx):
    return safe_day(int(m["year"]), month_number(m["month"]), int(m["day"])), None


def day_range_with_year(m, ctx):
    y, mo = int(m["year"]), month_number(m["month"])
    a, b = safe_day(y, mo, int(m["day"])), safe_day(y, mo, int(m["day2"]))
    return (a, b) if a and b and a < b else None


def iso_date(m, ctx):
    return safe_day(int(m["year"]), int(m["mnum"]), int(m["day"])), None


def numeric_date(m, ctx):
    """7/8/07, 25.12.2007, 3/18/2021: day and month by the text's or the outlet's order; an
    order nothing settles leaves month and day underspecified ("2007-XX-XX")."""
    a, b = int(m["a"]), int(m["b"])
    year = full_year(m["y"], ctx.ref)
    if year is None:
        return None
    if a > 12 >= b or (ctx.day_first is True and b <= 12):
        day, month = a, b
    elif b > 12 >= a or (ctx.day_first is False and a <= 12):
        day, month = b, a
    elif a == b:
        day = month = a
    else:
        return (f"{year:04d}-XX-XX" if a <= 12 and b <= 12 else None), None
    return safe_day(year, month, day), None


def clock_time(m, ctx):
    """18:00 UTC, 7:40 a.m., 7 p.m.: the time of the reference day (or of the day named right
    next to it; see times_on_their_day); TIMEX3 2021-03-22T18:00."""
    if m["h2"]:
        return _time_of_day(m["h2"], None, m["ampm2"], ctx.ref)
    # Written with a dot, 14.30 is as likely a number ("3.45 percent"): it needs am/pm or a time zone.
    if "." in m.group(0) and not (m["ampm"] or m["tz"]):
        return None
    return _time_of_day(m["h"], m["min"], m["ampm"], ctx.ref)


def _time_of_day(h: str, minutes: str | None, ampm: str | None, ref: date | None):
    hour, minute = int(h), int(minutes or 0)
    ampm = (ampm or "").lower().replace(".", "").strip()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    if hour > 23 or minute > 59:
        return None
    day = ref.isoformat() if ref else "XXXX-XX-XX"
    return f"{day}T{hour:02d}:{minute:02d}", None


# In the tagger's order: the longer, more specific rules first (a tie of start and length goes
# to the earlier rule).
CALENDAR_RULES: list[Rule] = [
    rule("day-range-year", DAY_RANGE_YEAR, day_range_with_year),
    rule("day-month-year", DAY_MONTH_YEAR, full_date),
    rule("month-day-year", MONTH_DAY_YEAR, full_date),
    rule("weekday-month-day-year", WEEKDAY_MONTH_DAY_YEAR, full_date),
    rule("iso-date", ISO_DATE, iso_date),
    rule("numeric-date", NUMERIC_DATE, numeric_date),
    rule("clock-time", CLOCK_TIME, clock_time),
]


# --------------------------------------------------------------------------- reading a text


def read_dates(
    text: str,
    rules: Sequence[Rule],
    ctx: Context,
    not_dates: re.Pattern | None = None,
    is_valid: Callable[[str], bool] = lambda value: True,
) -> list[WrittenDate]:
    """Every expression the rules read in text, left to right; where two overlap, the one that
    starts first, then the longer, then the earlier rule. A match that touches what not_dates
    matches is skipped; one whose resolver rejects it (or whose value is not valid) leaves its
    text to the others."""
    blocked = [False] * len(text)
    if not_dates is not None:
        for m in not_dates.finditer(text):
            for i in range(m.start(), m.end()):
                blocked[i] = True
    candidates = []
    for priority, r in enumerate(rules):
        for m in r.pattern.finditer(text):
            if any(blocked[m.start() : m.end()]):
                continue
            start, end = m.span(r.span_group)
            candidates.append((start, -(end - start), priority, m, r))
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    taken = [False] * len(text)
    out = []
    for start, neglen, _p, m, r in candidates:
        end = start - neglen
        if any(taken[start:end]):
            continue
        try:
            resolved = r.resolve(m, ctx)
        except (OverflowError, ValueError):
            continue  # beyond the calendar's years 1-9999
        if not resolved or not resolved[0] or not is_valid(resolved[0]) or (resolved[1] and not is_valid(resolved[1])):
            continue
        value, end_value = resolved
        for i in range(start, end):
            taken[i] = True
        out.append(WrittenDate(start, end, value, end_value))
    return times_on_their_day(text, sorted(out, key=lambda d: d.start))


def times_on_their_day(text: str, found: list[WrittenDate]) -> list[WrittenDate]:
    """A clock time takes the day its sentence names right next to it: "10 p.m. Wednesday" and
    "Tuesday at 7 p.m." are one expression each, on that day."""
    out: list[WrittenDate] = []
    skip = set()
    for i, d in enumerate(found):
        if i in skip:
            continue
        if _TIME_VALUE.search(d.value) and d.end_value is None:
            for j in (i + 1, i - 1):
                if not 0 <= j < len(found) or j in skip:
                    continue
                o = found[j]
                if o.end_value or not _DAY_VALUE.fullmatch(o.value):
                    continue  # a range, a time, or not a single calendar day
                a, b = (d, o) if d.start < o.start else (o, d)
                if TIME_DAY_GAP.fullmatch(text[a.end : b.start]):
                    d = WrittenDate(a.start, b.end, o.value[:10] + d.value[10:])
                    skip.add(j)
                    if j < i:
                        out = [x for x in out if x is not o]
                    break
        out.append(d)
    return out


def calendar_dates(text: str) -> list[CalendarDate]:
    """Every single day text writes in full, left to right. A range of days, a numeric date
    whose order nothing settles ("7/8/07" alone) and a clock time alone are not one day, but
    keep their text from the others ("March 23-24, 2021" holds no "March 23")."""
    ctx = Context(text, None, numeric_date_order(text))
    return [
        CalendarDate(d.start, d.end, date.fromisoformat(d.value[:10]))
        for d in read_dates(text, CALENDAR_RULES, ctx)
        if d.end_value is None and _DAY_VALUE.match(d.value)
    ]
