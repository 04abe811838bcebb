"""TIMEX3 values: what each kind covers on the calendar, its granularity, and the arithmetic
the rules use to make them.

2021-03-23 (day, perhaps with a time: 2021-03-23T18:00), 2021-W12 (ISO week), 2021-W11-WE
(that week's weekend), 2021-03 (month), 2021-Q1 (quarter), 2021-SU (season), 2021 (year), 199
(decade: the 1990s), 19 (century: the 1900s), as TimeML writes them. X stands for what the text leaves open
(XXXX-03: a March of no known year); PRESENT_REF, PAST_REF and FUTURE_REF are vague references
("now", "recent days"), which the warehouse leaves out.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

VAGUE_VALUES = {"PRESENT_REF", "PAST_REF", "FUTURE_REF"}


def day_value(d: date) -> str:
    return d.isoformat()


def week_value(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def month_value(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def value_bounds(value: str) -> tuple[date, date] | None:
    """First and last calendar day a TIMEX3 value covers; None for vague or underspecified."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?", value):
            d = date.fromisoformat(value[:10])
            return d, d
        if m := re.fullmatch(r"(\d{4})-W(\d{2})", value):
            start = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return start, start + timedelta(days=6)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            y, mo = int(m[1]), int(m[2])
            return date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1])
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
            y, q = int(m[1]), int(m[2])
            end_month = q * 3
            return date(y, end_month - 2, 1), date(y, end_month, calendar.monthrange(y, end_month)[1])
        if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value):
            y = int(m[1])
            # Meteorological seasons (northern hemisphere); winter runs into the next year.
            spans = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11)}
            if m[2] == "WI":
                return date(y, 12, 1), date(y + 1, 2, calendar.monthrange(y + 1, 2)[1])
            a, b = spans[m[2]]
            return date(y, a, 1), date(y, b, calendar.monthrange(y, b)[1])
        if re.fullmatch(r"\d{4}", value):
            y = int(value)
            return date(y, 1, 1), date(y, 12, 31)
        if m := re.fullmatch(r"(\d{3})X?", value):  # 199, and 199X as rules-5 wrote it
            y = int(m[1]) * 10
            return date(y, 1, 1), date(y + 9, 12, 31)
        if m := re.fullmatch(r"(\d{2})(?:XX)?", value):
            y = int(m[1]) * 100
            return date(max(y, 1), 1, 1), date(y + 99, 12, 31)
        if m := re.fullmatch(r"(\d{4})-W(\d{2})-WE", value):
            saturday = date.fromisocalendar(int(m[1]), int(m[2]), 6)
            return saturday, saturday + timedelta(days=1)
    except (ValueError, OverflowError):
        return None  # not a calendar day, or past the year 9999
    return None


def granularity_of(value: str) -> str | None:
    for rx, g in (
        (r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?", "day"),
        (r"\d{4}-W\d{2}", "week"),
        (r"\d{4}-\d{2}", "month"),
        (r"\d{4}-W\d{2}-WE", "week"),
        (r"\d{4}-Q\d", "quarter"),
        (r"\d{4}-(SP|SU|FA|WI)", "season"),
        (r"\d{4}", "year"),
        (r"\d{3}X?", "decade"),
        (r"\d{2}(?:XX)?", "century"),
    ):
        if re.fullmatch(rx, value):
            return g
    return None


# Every value find_dates may emit, calendar or not; anything else is a bug and is dropped.
_VALID_VALUE = re.compile(
    r"""
      (?:\d{4}|XXXX)
      (?:
          -(?:\d{2}|XX) (?: -(?:\d{2}|XX) (?:T\d{2}:\d{2})? )?   # month, day, time
        | -W(?:\d{2}|XX) (?:-WE)?                                # week, its weekend
        | -Q[1-4X]                                               # quarter
        | -(?:SP|SU|FA|WI)                                       # season
      )?
    | \d{3} | \d{2}                                             # decade, century
    | PRESENT_REF | PAST_REF | FUTURE_REF
    """,
    re.X,
)


def is_valid_value(value: str) -> bool:
    """True for a well-formed TIMEX3 value of the kinds the tagger emits, whose calendar parts
    exist (no month 13, no 30 February, no week 54, a year from 1 to 9999)."""
    if not isinstance(value, str) or not _VALID_VALUE.fullmatch(value):
        return False
    if value in VAGUE_VALUES or value.startswith("X") or "-XX" in value:
        if m := re.search(r"T(\d{2}):(\d{2})$", value):
            return int(m[1]) < 24 and int(m[2]) < 60
        m = re.fullmatch(r"(?:\d{4}|XXXX)-(\d{2})(?:-(\d{2}))?", value)
        return m is None or (1 <= int(m[1]) <= 12 and (m[2] is None or 1 <= int(m[2]) <= 31))
    if value[:4].isdigit() and int(value[:4]) == 0:
        return False
    if m := re.search(r"T(\d{2}):(\d{2})$", value):
        if not (int(m[1]) < 24 and int(m[2]) < 60):
            return False
    return value_bounds(value) is not None and granularity_of(value) is not None
