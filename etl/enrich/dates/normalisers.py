"""Normalisers: each rule's match, read against its Context (the text, the reference date, the
order of numeric dates), made a TIMEX3 value and, for a range, an end value; None rejects the
match. Without a reference date, what depends on it is left open (XXXX-03, XXXX-WXX).

The normalisers of full dates and clock times are etl.calendar_dates' own.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.easter import easter

from etl.calendar_dates import Context, full_year, safe_day
from etl.calendar_words import WEEKDAYS, month_number
from etl.enrich.dates.tense import nearest_month_year, nearest_weekday, tense_near
from etl.enrich.dates.values import add_months, month_value, week_value

ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
# Years spelled out (broadcast transcripts): nineteen ninety-six.
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
TEENS = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
ONES = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}

# A report on a quarter compares with that quarter a year before ("up from a year earlier").
_QUARTERLY_REPORT = re.compile(r"\b(?:the|its|third|second|first|fourth|latest)[\s-]+quarter\b", re.I)


def _month(m: re.Match, group: str = "month") -> int:
    return month_number(m.group(group))


def _num(s: str) -> int:
    return int(s) if s.isdigit() else NUMBER_WORDS[s.lower()]


def _ordinal(s: str) -> int:
    return ORDINAL_WORDS.get(s.lower()) or int(s[0])


def _tense(m: re.Match, ctx: Context) -> str:
    return tense_near(ctx.text, m.start(), m.end())


# --------------------------------------------------------------------------- days


def month_day(m, ctx):
    """April 2, Saturday, April 24, 18 March: the year that puts it nearest, by the tense."""
    mo, d = _month(m), int(m["day"])
    if ctx.ref is None:
        return f"XXXX-{mo:02d}-{d:02d}", None
    year = nearest_month_year(ctx.ref, mo, _tense(m, ctx))
    if mo == ctx.ref.month:
        year = ctx.ref.year
    return safe_day(year, mo, d), None


def day_range(m, ctx):
    """March 23-24: two days of one month, the year as for month_day."""
    mo, d1, d2 = _month(m), int(m["day"]), int(m["day2"])
    if d2 <= d1:
        return None
    if ctx.ref is None:
        return f"XXXX-{mo:02d}-{d1:02d}", f"XXXX-{mo:02d}-{d2:02d}"
    year = ctx.ref.year if mo == ctx.ref.month else nearest_month_year(ctx.ref, mo, _tense(m, ctx))
    a, b = safe_day(year, mo, d1), safe_day(year, mo, d2)
    return (a, b) if a and b else None


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th (1-based; -1: the last) weekday of a month."""
    if n < 0:
        last = date(year, month + 1, 1) - timedelta(days=1) if month < 12 else date(year, 12, 31)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


# Holidays by their day in a given year (the US federal ones where countries differ, as the
# wire services date them). The pattern's word list is this table's keys.
HOLIDAYS = {
    "new year's day": lambda y: date(y, 1, 1),
    "new year's eve": lambda y: date(y, 12, 31),
    "martin luther king day": lambda y: _nth_weekday(y, 1, 0, 3),
    "martin luther king jr. day": lambda y: _nth_weekday(y, 1, 0, 3),
    "presidents' day": lambda y: _nth_weekday(y, 2, 0, 3),
    "presidents day": lambda y: _nth_weekday(y, 2, 0, 3),
    "valentine's day": lambda y: date(y, 2, 14),
    "st. patrick's day": lambda y: date(y, 3, 17),
    "st patrick's day": lambda y: date(y, 3, 17),
    "good friday": lambda y: easter(y) - timedelta(days=2),
    "easter sunday": easter,
    "easter monday": lambda y: easter(y) + timedelta(days=1),
    "easter": easter,
    "mother's day": lambda y: _nth_weekday(y, 5, 6, 2),
    "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
    "father's day": lambda y: _nth_weekday(y, 6, 6, 3),
    "independence day": lambda y: date(y, 7, 4),
    "the fourth of july": lambda y: date(y, 7, 4),
    "fourth of july": lambda y: date(y, 7, 4),
    "bastille day": lambda y: date(y, 7, 14),
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1),
    "halloween": lambda y: date(y, 10, 31),
    "veterans day": lambda y: date(y, 11, 11),
    "remembrance day": lambda y: date(y, 11, 11),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, 3, 4),
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4),
    "christmas eve": lambda y: date(y, 12, 24),
    "christmas day": lambda y: date(y, 12, 25),
    "christmas": lambda y: date(y, 12, 25),
    "boxing day": lambda y: date(y, 12, 26),
}


def holiday(m, ctx):
    """Christmas, last Thanksgiving, Easter 2019: the holiday's day in the year that the
    modifier, else the tense, puts nearest."""
    day_of = HOLIDAYS[re.sub(r"\s+", " ", m["holiday"].lower().replace("’", "'"))]
    if m["year"]:
        return day_of(int(m["year"])).isoformat(), None
    if ctx.ref is None:
        return None  # no year to place it in
    which = (m["which"] or "").lower()
    if which == "this":
        return day_of(ctx.ref.year).isoformat(), None
    before = max(d for d in (day_of(ctx.ref.year - 1), day_of(ctx.ref.year)) if d <= ctx.ref)
    after = min(d for d in (day_of(ctx.ref.year), day_of(ctx.ref.year + 1)) if d >= ctx.ref)
    if which in ("last", "past"):
        return (before if before < ctx.ref else day_of(before.year - 1)).isoformat(), None
    if which in ("next", "coming"):
        return (after if after > ctx.ref else day_of(after.year + 1)).isoformat(), None
    tense = _tense(m, ctx)
    if tense == "past":
        return before.isoformat(), None
    if tense == "future":
        return after.isoformat(), None
    return min(before, after, key=lambda d: abs((d - ctx.ref).days)).isoformat(), None


def weekday(m, ctx):
    wd = WEEKDAYS[m["weekday"].lower()]
    if ctx.ref is None:
        return "XXXX-XX-XX", None
    return nearest_weekday(ctx.ref, wd, _tense(m, ctx)).isoformat(), None


def modified_weekday(m, ctx):
    """last Wednesday, this Friday, next Monday."""
    wd, which = WEEKDAYS[m["weekday"].lower()], m["which"].lower()
    if ctx.ref is None:
        return "XXXX-XX-XX", None
    if which in ("last", "previous"):
        back = (ctx.ref.weekday() - wd) % 7 or 7
        return (ctx.ref - timedelta(days=back)).isoformat(), None
    if which in ("next", "coming"):
        ahead = (wd - ctx.ref.weekday()) % 7 or 7
        return (ctx.ref + timedelta(days=ahead)).isoformat(), None
    return nearest_weekday(ctx.ref, wd, _tense(m, ctx)).isoformat(), None


def relative_day(m, ctx):
    offsets = {
        "today": 0,
        "tonight": 0,
        "yesterday": -1,
        "tomorrow": 1,
        "this morning": 0,
        "this afternoon": 0,
        "this evening": 0,
        "last night": -1,
    }
    word = re.sub(r"\s+", " ", m.group(0).lower())
    if ctx.ref is None:
        return "XXXX-XX-XX", None
    return (ctx.ref + timedelta(days=offsets[word])).isoformat(), None


# --------------------------------------------------------------------------- weeks and months


def weekend(m, ctx):
    if ctx.ref is None:
        return "XXXX-WXX-WE", None
    tense = _tense(m, ctx)
    if ctx.ref.weekday() >= 5:
        day = ctx.ref
    elif tense == "future":
        day = ctx.ref + timedelta(days=5 - ctx.ref.weekday())
    else:
        day = ctx.ref - timedelta(days=ctx.ref.weekday() + 1)
    return week_value(day) + "-WE", None


def month_year(m, ctx):
    return month_value(int(m["year"]), _month(m)), None


def bare_month(m, ctx):
    mo = _month(m)
    if ctx.ref is None:
        return f"XXXX-{mo:02d}", None
    return month_value(nearest_month_year(ctx.ref, mo, _tense(m, ctx)), mo), None


def month_part(m, ctx):
    """early/mid/late December -> the month."""
    if m["year"]:
        return month_value(int(m["year"]), _month(m)), None
    return bare_month(m, ctx)


def modified_month(m, ctx):
    """last May, this September, next March; July next year."""
    if m["month_"]:
        return _month_which_year(m, ctx)
    return _which_month(m, ctx)


def _which_month(m, ctx):
    mo, which = _month(m), m["which"].lower()
    if ctx.ref is None:
        return f"XXXX-{mo:02d}", None
    if which == "last":
        return month_value(ctx.ref.year if mo < ctx.ref.month else ctx.ref.year - 1, mo), None
    if which == "next":
        return month_value(ctx.ref.year if mo > ctx.ref.month else ctx.ref.year + 1, mo), None
    return month_value(ctx.ref.year, mo), None


# Which way a word moves from the reference date: "last year", "the following year".
_STEPS = {
    "this": 0,
    "current": 0,
    "last": -1,
    "previous": -1,
    "the previous": -1,
    "past": -1,
    "next": 1,
    "coming": 1,
    "the following": 1,
}


def _step(which: str) -> int:
    return _STEPS[re.sub(r"\s+", " ", which.lower())]


def _month_which_year(m, ctx):
    mo = month_number(m["month_"])
    if ctx.ref is None:
        return f"XXXX-{mo:02d}", None
    return month_value(ctx.ref.year + _step(m["which2"]), mo), None


def relative_unit(m, ctx):
    """this/last/next/coming/past week, month, year, quarter."""
    unit = m["unit"].lower()
    step = _step(m["which"])
    ref = ctx.ref
    if ref is None:
        return {"week": "XXXX-WXX", "month": "XXXX-XX", "year": "XXXX", "quarter": "XXXX-QX"}[unit], None
    if unit == "week":
        return week_value(ref + timedelta(weeks=step)), None
    if unit == "month":
        return month_value(*add_months(ref.year, ref.month, step)), None
    if unit == "quarter":
        q = (ref.month - 1) // 3 + step
        y = ref.year + q // 4
        return f"{y}-Q{q % 4 + 1}", None
    return str(ref.year + step), None


def ago(m, ctx):
    n, unit = _num(m["num"]), m["unit"].lower()
    ref = ctx.ref
    if ref is None:
        return {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX", "year": "XXXX"}.get(unit, "XXXX"), None
    if unit == "day":
        return (ref - timedelta(days=n)).isoformat(), None
    if unit == "week":
        return week_value(ref - timedelta(weeks=n)), None
    if unit == "month":
        return month_value(*add_months(ref.year, ref.month, -n)), None
    if unit == "year":
        return str(ref.year - n), None
    if unit == "decade":
        return f"{(ref.year - 10 * n) // 10}", None
    return None


def earlier_this(m, ctx):
    unit = m["unit"].lower()
    if ctx.ref is None:
        return {"week": "XXXX-WXX", "month": "XXXX-XX", "year": "XXXX"}[unit], None
    return {"week": week_value(ctx.ref), "month": month_value(ctx.ref.year, ctx.ref.month), "year": str(ctx.ref.year)}[
        unit
    ], None


# --------------------------------------------------------------------------- quarters and seasons


def quarter_of_year(m, ctx):
    """this year's third quarter, next year's first quarter, the 1988 second quarter."""
    q = _ordinal(m["ord"])
    if m["year"]:
        return f"{m['year']}-Q{q}", None
    if ctx.ref is None:
        return f"XXXX-Q{q}", None
    return f"{ctx.ref.year + _step(m['which'])}-Q{q}", None


def part_of_relative_year(m, ctx):
    """the first quarter of last year, March of next year, the summer of last year."""
    which = m["which"].lower()
    if ctx.ref is None:
        y = "XXXX"
    else:
        y = str(ctx.ref.year + _step(which))
    if m["ord"]:
        return f"{y}-Q{_ordinal(m['ord'])}", None
    if m["season"]:
        return f"{y}-{SEASONS[m['season'].lower()]}", None
    return f"{y}-{_month(m):02d}", None


def quarter(m, ctx):
    q = _ordinal(m["ord"])
    if m["year"]:
        return f"{m['year']}-Q{q}", None
    if ctx.ref is None:
        return f"XXXX-Q{q}", None
    # The latest quarter of that number, unless the sentence looks ahead to a later one.
    current = (ctx.ref.month - 1) // 3 + 1
    y = ctx.ref.year
    if q > current and _tense(m, ctx) != "future":
        y -= 1
    return f"{y}-Q{q}", None


def reported_quarter(m, ctx):
    """the quarter, the latest quarter: the last complete quarter."""
    if ctx.ref is None:
        return "XXXX-QX", None
    q = (ctx.ref.month - 1) // 3
    return (f"{ctx.ref.year}-Q{q}" if q else f"{ctx.ref.year - 1}-Q4"), None


def season(m, ctx):
    code = SEASONS[m["season"].lower()]
    bare = not (m["which"] or m["year"]) and not m.group(0).lower().startswith("the")
    if bare and code in ("SP", "FA"):
        return None
    if m["year"]:
        return f"{m['year']}-{code}", None
    if ctx.ref is None:
        return f"XXXX-{code}", None
    y = ctx.ref.year + _step(m["which"] or "this")
    return f"{y}-{code}", None


# --------------------------------------------------------------------------- years and longer


def year(m, ctx):
    return m["year"], None


def modified_year(m, ctx):
    """its 1990 invasion, the 1996 campaign: a past year used as an adjective.

    A year ahead of the reference date in that position names a plan ("the 2030 NATO
    proposals"), not a date.
    """
    if ctx.ref is not None and int(m["year"]) > ctx.ref.year:
        return None
    return m["year"], None


def year_range(m, ctx):
    y1 = int(m["year"])
    y2 = m["year2"]
    y2 = int(y2) if len(y2) == 4 else (y1 // 100) * 100 + int(y2)
    return (str(y1), str(y2)) if y2 > y1 else None


def clipped_year(m, ctx):
    """'82, in '07: a year written with two digits after an apostrophe."""
    written = full_year(m["yy"], ctx.ref)
    return (str(written) if written else None), None


def spelled_year(m, ctx):
    """nineteen ninety-six (broadcast transcripts)."""
    hundreds = TEENS[m["century"].lower()] * 100
    if m["teen"]:
        return str(hundreds + TEENS[m["teen"].lower()]), None
    return str(hundreds + TENS[m["tens"].lower()] + (ONES[m["ones"].lower()] if m["ones"] else 0)), None


def year_earlier(m, ctx):
    """a year earlier, year-ago, the year-ago quarter: financial news compares with a year before."""
    if ctx.ref is None:
        return "XXXX", None
    # In a quarterly report, "a year earlier" is the reported quarter a year before; the
    # paragraph comparing figures often leaves the quarter to the article's lead.
    if m["quarter"] or _QUARTERLY_REPORT.search(ctx.text) or _QUARTERLY_REPORT.search(ctx.document):
        q = (ctx.ref.month - 1) // 3  # the quarter just reported
        y = ctx.ref.year - 1 - (1 if q == 0 else 0)
        return f"{y}-Q{q or 4}", None
    return str(ctx.ref.year - 1), None


def this_year(m, ctx):
    """the year, the full year, the current fiscal year: the reference year."""
    return (str(ctx.ref.year) if ctx.ref else "XXXX"), None


def decade(m, ctx):
    return m["decade"][:3], None  # the 1990s: 199 (TimeML's decade)


def short_decade(m, ctx):
    """the 70s, the '80s: the decade of the century that puts it in the past."""
    tens = int(m["tens"])
    hundreds = 1900
    if ctx.ref is not None:
        hundreds = ctx.ref.year // 100 * 100
        if hundreds + tens > ctx.ref.year:
            hundreds -= 100
    return f"{(hundreds + tens) // 10}", None


def century(m, ctx):
    return f"{int(m['cent']) - 1:02d}", None  # the 20th century: 19 (TimeML's century)


# --------------------------------------------------------------------------- vague


def vague(m, ctx):
    word = m.group(0).lower()
    if word in {"now", "currently", "the present", "nowadays", "at present", "these days"}:
        return "PRESENT_REF", None
    if word in {"the future", "in the future", "in future"}:
        return "FUTURE_REF", None
    return "PAST_REF", None
