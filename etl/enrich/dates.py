"""Dates: find calendar references in text and normalise them to TIMEX3 values.

A rule library in the manner of HeidelTime and SUTime: each rule (RULES) is a pattern and a
function that turns its match into a value, relative to the reference date (the article's
publication date), with examples (EXAMPLES) that the tests run. Values follow TimeML:
2021-03-23 (day), 2021-W12 (ISO week), 2021-03 (month), 2021-Q1 (quarter), 2021-SU
(season), 2021 (year), 199 (decade: the 1990s), 19 (century: the 1900s). A range gives
its start and end. Durations ("four years"), sets ("every Monday") and numbers inside
names ("the NATO 2030 initiative") are not dates. Vague references ("now", "recent days")
get PRESENT_REF / PAST_REF / FUTURE_REF, which the warehouse leaves out.

Relative weekdays and months follow the news convention: the nearest such day, in the past
or the future according to the tense around the expression.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from etl.calendar_words import MONTH_NAME, WEEKDAYS, month_number

VAGUE_VALUES = {"PRESENT_REF", "PAST_REF", "FUTURE_REF"}

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

MONTH = r"(?P<month>" + MONTH_NAME + ")"
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?P<year>1[5-9]\d\d|20\d\d)"
WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
NUM = r"(?P<num>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
UNIT = r"(?P<unit>day|week|month|year|decade|century)s?"


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    value: str
    granularity: str | None  # None for vague references
    end_value: str | None = None

    @property
    def is_calendar(self) -> bool:
        """A value the warehouse can place on the calendar (not vague, not underspecified)."""
        return granularity_of(self.value) is not None and value_bounds(self.value) is not None


# --------------------------------------------------------------------------- values


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
        if m := re.fullmatch(r"(\d{3})X", value):
            y = int(m[1]) * 10
            return date(y, 1, 1), date(y + 9, 12, 31)
        if m := re.fullmatch(r"(\d{2})XX", value):
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
        (r"\d{3}X", "decade"),
        (r"\d{2}XX", "century"),
    ):
        if re.fullmatch(rx, value):
            return g
    return None


# Every value find_dates may emit, calendar or not; anything else is a bug and is dropped.
_VALID_VALUE = re.compile(
    r"(?:\d{4}|XXXX)(?:-(?:\d{2}|XX)(?:-(?:\d{2}|XX)(?:T\d{2}:\d{2})?)?|-W(?:\d{2}|XX)(?:-WE)?|-Q[1-4X]|-(?:SP|SU|FA|WI))?"
    r"|\d{3}X|\d{2}XX|PRESENT_REF|PAST_REF|FUTURE_REF"
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


# --------------------------------------------------------------------------- tense


_FUTURE_CUES = re.compile(
    r"\b(?:will|won't|shall|should|'ll|’ll|going to|is to|are to|scheduled|expected|plans?|planned|set to|until|till|"
    r"due|upcoming|next|starting|effective|payable|would|could|might|to (?:be|take|hold|meet|visit|travel|attend|participate|start|begin|vote|leave|return))\b",
    re.I,
)
_PAST_CUES = re.compile(
    r"\b(?:was|were|had|did|said|told|announced|met|came|went|took|gave|made|left|began|saw|held|"
    r"won|lost|sold|rose|fell|paid|spent|became|brought|found|got|kept|led|ran|spoke|wrote|since|"
    r"ago|earlier|last|(?!(?:need|indeed|speed|united|based|red|bed|seed|feed|hundred|scheduled|expected|planned|proceed|exceed)\b)\w+ed)\b",
    re.I,
)
# A participle after a future modal and "be" or "have" is no past tense: "should be completed
# in October" looks ahead, "will have finished by May" too ("could be located" need not).
_AUXILIARY_BEFORE = re.compile(r"\b(?:will|shall|should|'ll|’ll|to)\s+(?:not\s+)?(?:be|have)\s+(?:\w+ly\s+)?$", re.I)


def tense_near(text: str, start: int, end: int) -> str:
    """'future', 'past' or 'present': the tense cue nearest to text[start:end] in its sentence."""
    left = re.split(r"[.!?;:\n]\s|``|''|\"", text[max(0, start - 120) : start])[-1]
    right = re.split(r"[.!?;\n]|``|''|\"", text[end : end + 60])[0]
    best: tuple[int, str] | None = None
    for rx, tense in ((_FUTURE_CUES, "future"), (_PAST_CUES, "past")):
        for m in rx.finditer(left):
            if tense == "past" and m.group(0).lower().endswith("ed") and _AUXILIARY_BEFORE.search(left[: m.start()]):
                continue
            distance = len(left) - m.end()
            if best is None or distance < best[0]:
                best = (distance, tense)
        for m in rx.finditer(right):
            if tense == "past" and m.group(0).lower().endswith("ed") and _AUXILIARY_BEFORE.search(right[: m.start()]):
                continue
            # A cue after the expression counts for less: "Tuesday, the minister said".
            distance = m.start() + 15
            if best is None or distance < best[0]:
                best = (distance, tense)
    return best[1] if best else "present"


def nearest_weekday(ref: date, weekday: int, tense: str) -> date:
    ahead = (weekday - ref.weekday()) % 7
    behind = (ref.weekday() - weekday) % 7
    if tense == "future":
        return ref + timedelta(days=ahead)
    if tense == "past":
        return ref - timedelta(days=behind)
    return ref + timedelta(days=ahead) if ahead <= behind else ref - timedelta(days=behind)


def nearest_month_year(ref: date, month: int, tense: str) -> int:
    """The year of the month named without one: the tense's direction when that is at most
    nine months away, else the nearest (a past-tense sentence can announce a future deadline)."""
    if month == ref.month:
        return ref.year
    past = ref.year if month < ref.month else ref.year - 1
    future = ref.year if month > ref.month else ref.year + 1
    months_back = (ref.month - month) % 12
    months_ahead = (month - ref.month) % 12
    if tense == "past" and months_back <= 9:
        return past
    if tense == "future" and months_ahead <= 9:
        return future
    return past if months_back <= months_ahead else future


# --------------------------------------------------------------------------- rules

Resolver = Callable[[re.Match, "Context"], "tuple[str, str | None] | None"]


@dataclass(frozen=True)
class Context:
    text: str
    ref: date | None
    day_first: bool | None = None  # numeric dates: 8/7/07 is 8 July (True), August 7 (False), unknown (None)


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    resolve: Resolver  # match -> (value, end_value) or None to reject
    span_group: str | int = 0  # the part of the match that is the expression


def _month(m: re.Match, group: str = "month") -> int:
    return month_number(m.group(group))


def _num(s: str) -> int:
    return int(s) if s.isdigit() else NUMBER_WORDS[s.lower()]


def _tense(m: re.Match, ctx: Context) -> str:
    return tense_near(ctx.text, m.start(), m.end())


def _safe_day(y: int, mo: int, d: int) -> str | None:
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def _full_date(m, ctx):
    return _safe_day(int(m["year"]), _month(m), int(m["day"])), None


def _day_range_with_year(m, ctx):
    y, mo = int(m["year"]), _month(m)
    a, b = _safe_day(y, mo, int(m["day"])), _safe_day(y, mo, int(m["day2"]))
    return (a, b) if a and b and a < b else None


def _month_day(m, ctx):
    mo, d = _month(m), int(m["day"])
    if ctx.ref is None:
        return f"XXXX-{mo:02d}-{d:02d}", None
    year = nearest_month_year(ctx.ref, mo, _tense(m, ctx))
    if mo == ctx.ref.month:
        year = ctx.ref.year
    return _safe_day(year, mo, d), None


def _day_range(m, ctx):
    mo, d1, d2 = _month(m), int(m["day"]), int(m["day2"])
    if d2 <= d1:
        return None
    if ctx.ref is None:
        return f"XXXX-{mo:02d}-{d1:02d}", f"XXXX-{mo:02d}-{d2:02d}"
    year = ctx.ref.year if mo == ctx.ref.month else nearest_month_year(ctx.ref, mo, _tense(m, ctx))
    a, b = _safe_day(year, mo, d1), _safe_day(year, mo, d2)
    return (a, b) if a and b else None


def _month_year(m, ctx):
    return month_value(int(m["year"]), _month(m)), None


def _bare_month(m, ctx):
    mo = _month(m)
    if ctx.ref is None:
        return f"XXXX-{mo:02d}", None
    return month_value(nearest_month_year(ctx.ref, mo, _tense(m, ctx)), mo), None


def _iso(m, ctx):
    return _safe_day(int(m["year"]), int(m["mnum"]), int(m["day"])), None


def _numeric_date(m, ctx):
    """7/8/07, 25.12.2007, 3/18/2021: day and month by the text's or the outlet's order; an
    order nothing settles leaves month and day underspecified ("2007-XX-XX")."""
    a, b = int(m["a"]), int(m["b"])
    year = _full_year(m["y"], ctx.ref)
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
    return _safe_day(year, month, day), None


def _full_year(written: str, ref: date | None) -> int | None:
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


_NUMERIC_DATE = re.compile(
    r"(?<![\d/.-])(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[0-3]?\d)(?P=sep)(?P<y>\d{4}|\d{2})(?![\d/-]|\.\d)"
)


def _clock_time(m, ctx):
    """18:00 UTC, 7:40 a.m., 7 p.m.: the time of the reference day (or of the day the same
    sentence names next to it; see find_dates); TIMEX3 2021-03-22T18:00."""
    hour, minute = int(m["h"]), int(m["min"] or 0)
    ampm = (m["ampm"] or "").lower().replace(".", "").strip()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    if hour > 23 or minute > 59:
        return None
    day = ctx.ref.isoformat() if ctx.ref else "XXXX-XX-XX"
    return f"{day}T{hour:02d}:{minute:02d}", None


def _clipped_year(m, ctx):
    """'82, in '07: a year written with two digits after an apostrophe."""
    year = _full_year(m["yy"], ctx.ref)
    return (str(year) if year else None), None


def _short_decade(m, ctx):
    """the 70s, the '80s: the decade of the century that puts it in the past."""
    tens = int(m["tens"])
    century = 1900
    if ctx.ref is not None:
        century = ctx.ref.year // 100 * 100
        if century + tens > ctx.ref.year:
            century -= 100
    return f"{(century + tens) // 10}X", None


def _quarter_of_year(m, ctx):
    """this year's third quarter, next year's first quarter, the 1988 second quarter."""
    q = ORDINAL_WORDS.get(m["ord"].lower()) or int(m["ord"][0])
    if m["year"]:
        return f"{m['year']}-Q{q}", None
    if ctx.ref is None:
        return f"XXXX-Q{q}", None
    return f"{ctx.ref.year + {'this': 0, 'last': -1, 'next': 1}[m['which'].lower()]}-Q{q}", None


def _part_of_relative_year(m, ctx):
    """the first quarter of last year, March of next year, the summer of last year."""
    which = m["which"].lower()
    if ctx.ref is None:
        year = "XXXX"
    else:
        year = str(
            ctx.ref.year
            + {"last": -1, "this": 0, "next": 1, "the previous": -1, "the following": 1}[re.sub(r"\s+", " ", which)]
        )
    if m["ord"]:
        q = ORDINAL_WORDS.get(m["ord"].lower()) or int(m["ord"][0])
        return f"{year}-Q{q}", None
    if m["season"]:
        return f"{year}-{SEASONS[m['season'].lower()]}", None
    return f"{year}-{_month(m):02d}", None


def _year(m, ctx):
    return m["year"], None


def _year_range(m, ctx):
    y1 = int(m["year"])
    y2 = m["year2"]
    y2 = int(y2) if len(y2) == 4 else (y1 // 100) * 100 + int(y2)
    return (str(y1), str(y2)) if y2 > y1 else None


def _clock_time_any(m, ctx):
    if m["h2"]:
        return _clock_time({"h": m["h2"], "min": None, "ampm": m["ampm2"]}, ctx)
    # A bare 14.30 or 3:45 needs a clock's context: am/pm, a time zone, or a 24-hour hour.
    if m.group(0).find(".") >= 0 and not (m["ampm"] or m["tz"]):
        return None
    return _clock_time({"h": m["h"], "min": m["min"], "ampm": m["ampm"]}, ctx)


def _decade(m, ctx):
    return m["decade"][:3] + "X", None  # the 1990s: 199X


def _century(m, ctx):
    return f"{int(m['cent']) - 1:02d}XX", None  # the 20th century: 19XX


def _weekday(m, ctx):
    wd = WEEKDAYS[m["weekday"].lower()]
    if ctx.ref is None:
        return "XXXX-XX-XX", None
    return nearest_weekday(ctx.ref, wd, _tense(m, ctx)).isoformat(), None


def _relative_day(m, ctx):
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


def _relative_unit(m, ctx):
    """this/last/next/coming/past week, month, year, quarter."""
    which, unit = m["which"].lower(), m["unit"].lower()
    step = {"this": 0, "current": 0, "last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1}[which]
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


def _ago(m, ctx):
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
        return f"{(ref.year - 10 * n) // 10}X", None
    return None


def _earlier_this(m, ctx):
    unit = m["unit"].lower()
    if ctx.ref is None:
        return {"week": "XXXX-WXX", "month": "XXXX-XX", "year": "XXXX"}[unit], None
    return {"week": week_value(ctx.ref), "month": month_value(ctx.ref.year, ctx.ref.month), "year": str(ctx.ref.year)}[
        unit
    ], None


def _modified_month_any(m, ctx):
    if m["month_"]:
        return _modified_month_suffix(m, ctx)
    return _modified_month(m, ctx)


def _modified_month_suffix(m, ctx):
    mo = month_number(m["month_"])
    if ctx.ref is None:
        return f"XXXX-{mo:02d}", None
    return month_value(ctx.ref.year + {"last": -1, "this": 0, "next": 1}[m["which2"].lower()], mo), None


def _season(m, ctx):
    code = SEASONS[m["season"].lower()]
    bare = not (m["which"] or m["year"]) and not m.group(0).lower().startswith("the")
    if bare and code in ("SP", "FA"):
        return None
    if m["year"]:
        return f"{m['year']}-{code}", None
    if ctx.ref is None:
        return f"XXXX-{code}", None
    which = (m["which"] or "this").lower()
    y = ctx.ref.year + {"this": 0, "last": -1, "next": 1}[which]
    return f"{y}-{code}", None


def _quarter(m, ctx):
    q = ORDINAL_WORDS.get(m["ord"].lower()) or int(m["ord"][0])
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


def _month_part(m, ctx):
    """early/mid/late December -> the month."""
    if m["year"]:
        return month_value(int(m["year"]), _month(m)), None
    return _bare_month(m, ctx)


def _modified_weekday(m, ctx):
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


def _modified_month(m, ctx):
    """last May, this September, next March."""
    mo, which = _month(m), m["which"].lower()
    if ctx.ref is None:
        return f"XXXX-{mo:02d}", None
    if which == "last":
        return month_value(ctx.ref.year if mo < ctx.ref.month else ctx.ref.year - 1, mo), None
    if which == "next":
        return month_value(ctx.ref.year if mo > ctx.ref.month else ctx.ref.year + 1, mo), None
    return month_value(ctx.ref.year, mo), None


def _weekend(m, ctx):
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


def _year_earlier(m, ctx):
    """a year earlier, year-ago, the year-ago quarter: financial news compares with a year before."""
    if ctx.ref is None:
        return "XXXX", None
    # In a quarterly report, "a year earlier" is the reported quarter a year before.
    if m["quarter"] or _QUARTERLY_REPORT.search(ctx.text):
        q = (ctx.ref.month - 1) // 3  # the quarter just reported
        y = ctx.ref.year - 1 - (1 if q == 0 else 0)
        return f"{y}-Q{q or 4}", None
    return str(ctx.ref.year - 1), None


_QUARTERLY_REPORT = re.compile(r"\b(?:the|its|third|second|first|fourth|latest)[\s-]+quarter\b", re.I)


def _this_year(m, ctx):
    """the year, the full year, the current fiscal year: the reference year."""
    return (str(ctx.ref.year) if ctx.ref else "XXXX"), None


def _reported_quarter(m, ctx):
    """the quarter, the latest quarter: the last complete quarter."""
    if ctx.ref is None:
        return "XXXX-QX", None
    q = (ctx.ref.month - 1) // 3
    return (f"{ctx.ref.year}-Q{q}" if q else f"{ctx.ref.year - 1}-Q4"), None


_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_TEENS = {
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
_ONES = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}


def _spelled_year(m, ctx):
    """nineteen ninety-six (broadcast transcripts)."""
    century = _TEENS[m["century"].lower()] * 100
    if m["teen"]:
        return str(century + _TEENS[m["teen"].lower()]), None
    return str(century + _TENS[m["tens"].lower()] + (_ONES[m["ones"].lower()] if m["ones"] else 0)), None


def _vague(m, ctx):
    word = m.group(0).lower()
    if word in {"now", "currently", "the present", "nowadays", "at present", "these days"}:
        return "PRESENT_REF", None
    if word in {"the future", "in the future", "in future"}:
        return "FUTURE_REF", None
    return "PAST_REF", None


def _rule(name: str, pattern: str, resolve: Resolver, flags=re.I, span_group: str | int = 0) -> Rule:
    return Rule(name, re.compile(pattern, flags), resolve, span_group)


FULL_MONTH = r"(?P<month>January|February|March|April|June|July|August|September|October|November|December)"


def _modified_year(m, ctx):
    """its 1990 invasion, the 1996 campaign: a past year used as an adjective.

    A year ahead of the reference date in that position names a plan ("the 2030 NATO
    proposals"), not a date.
    """
    if ctx.ref is not None and int(m["year"]) > ctx.ref.year:
        return None
    return m["year"], None


# Bare years count only after words that introduce a time ("in 2015", "since 2018"): a year
# after "the" or a name is part of that name ("the 2030 NATO proposals", "NATO 2030").
_YEAR_LEAD = r"\b(?:in|into|since|by|from|to|until|till|through|during|before|after|between|and|or|of|early|late|mid|throughout|year|for|due|fiscal|calendar|end of|start of|beginning of)[\s-]+"

RULES: list[Rule] = [
    _rule(
        "day-range-year",
        MONTH + r"\s+" + DAY + r"\s*(?:-|–|to|and|through)\s*(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?,?\s+" + YEAR + r"\b",
        _day_range_with_year,
    ),
    _rule("day-month-year", r"\b" + DAY + r"\s+(?:of\s+)?" + MONTH + r",?\s+" + YEAR + r"\b", _full_date),
    _rule("month-day-year", r"\b" + MONTH + r"\s+" + DAY + r",?\s+" + YEAR + r"\b", _full_date),
    _rule(
        "weekday-month-day-year",
        r"\b" + WEEKDAY + r",?\s+" + MONTH + r"\s+" + DAY + r",?\s+" + YEAR + r"\b",
        _full_date,
    ),
    _rule("iso-date", r"\b" + YEAR + r"-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b", _iso),
    _rule("numeric-date", _NUMERIC_DATE.pattern, _numeric_date),
    _rule(
        "clock-time",
        r"(?<![\d:.,])(?:(?P<h>[01]?\d|2[0-3])\s?[:.]\s?(?P<min>[0-5]\d)(?!\d|[:.,]\d)(?:\s*(?P<ampm>[ap]\.?\s?m\b\.?))?(?:\s*(?P<tz>UTC|GMT|[ECMP][SD]?T|BST|CET|CEST)\b)?|(?P<h2>1[0-2]|[1-9])\s*(?P<ampm2>[ap]\.m\.|[ap]m\b))",
        _clock_time_any,
    ),
    _rule(
        "quarter-of-year",
        r"\b(?:(?P<which>this|last|next)\s+year['’]s|the\s+"
        + YEAR
        + r")\s+(?P<ord>first|second|third|fourth|[1-4](?:st|nd|rd|th))[\s-]+quarter\b",
        _quarter_of_year,
    ),
    _rule(
        "part-of-relative-year",
        r"\b(?:(?:the\s+)?(?P<ord>first|second|third|fourth|last|[1-4](?:st|nd|rd|th))[\s-]+quarter|(?:the\s+)?(?P<season>spring|summer|autumn|fall|winter)|"
        + FULL_MONTH.replace("April|", "April|May|")
        + r")\s+of\s+(?P<which>last|this|next|the\s+previous|the\s+following)\s+year\b",
        _part_of_relative_year,
    ),
    _rule("weekday-month-day", r"\b" + WEEKDAY + r",?\s+" + MONTH + r"\s+" + DAY + r"\b(?!,?\s*\d{4})", _month_day),
    _rule(
        "modified-weekday",
        r"\b(?:the\s+)?(?P<which>last|this|next|coming|previous)\s+" + WEEKDAY + r"\b",
        _modified_weekday,
    ),
    _rule(
        "modified-month",
        r"\b(?:(?P<which>last|this|next)\s+"
        + FULL_MONTH.replace("April|", "April|May|")
        + r"|"
        + FULL_MONTH.replace("(?P<month>", "(?P<month_>").replace("April|", "April|May|")
        + r"\s+(?P<which2>last|this|next)\s+year)\b",
        _modified_month_any,
    ),
    _rule("weekend", r"\b(?:the|this|last|next)\s+weekend\b", _weekend),
    _rule(
        "year-earlier",
        r"\b(?:(?:a|one)\s+year\s+(?:earlier|ago|before)|(?:the\s+)?year[-\s](?:ago|earlier))(?P<quarter>\s+(?:quarter|period))?\b",
        _year_earlier,
    ),
    _rule(
        "reported-quarter",
        r"\bthe\s+(?:(?:latest|most\s+recent|recent|just[-\s]ended)\s+(?:quarter|period)|quarter)\b",
        _reported_quarter,
    ),
    _rule(
        "spelled-year",
        r"\b(?P<century>nineteen|eighteen)\s+(?:(?P<teen>ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)|(?P<tens>twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s](?P<ones>one|two|three|four|five|six|seven|eight|nine))?)\b",
        _spelled_year,
    ),
    _rule(
        "day-range",
        r"\b" + MONTH + r"\s+" + DAY + r"\s*(?:-|–|to|through)\s*(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?\b",
        _day_range,
    ),
    _rule("month-day", r"\b" + MONTH + r"\s+" + DAY + r"\b(?!\s*(?:,\s*)?\d{4})(?![\d:])", _month_day),
    _rule("day-month", r"\b" + DAY + r"\s+(?:of\s+)?" + MONTH + r"\b(?!,?\s+\d{4})", _month_day),
    _rule(
        "month-part",
        r"\b(?:early|mid|late|the (?:beginning|start|end|middle) of)[\s-]+" + MONTH + r"(?:,?\s+" + YEAR + r")?\b",
        _month_part,
    ),
    _rule("month-year", r"\b" + MONTH + r",?\s+(?:of\s+)?" + YEAR + r"\b", _month_year),
    _rule(
        "quarter",
        r"\b(?:the\s+)?(?P<ord>first|second|third|fourth|last|[1-4](?:st|nd|rd|th))[\s-]+quarter(?:\s+of\s+"
        + YEAR
        + r")?\b",
        _quarter,
    ),
    # "fall" and "spring" are verbs and nouns too: they need "this", "last", "the" or a year.
    _rule(
        "season",
        r"\b(?:(?P<which>this|last|next)\s+|the\s+)?(?P<season>spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?"
        + YEAR
        + r")?\b",
        _season,
    ),
    _rule("year-range", r"\b" + YEAR + r"\s*(?:-|–|/)\s*(?P<year2>\d{4}|\d\d)\b(?!-)", _year_range),
    _rule("decade", r"\b(?:the\s+)?(?P<decade>1[5-9]\d0|20\d0)['’]?s\b", _decade),
    _rule("short-decade", r"\bthe\s+(?:(?:early|mid|late)[\s-]+)?['’]?(?P<tens>[1-9]0)['’]?s\b", _short_decade),
    _rule(
        "clipped-year",
        r"(?:\b(?:in|of|since|from|until|by|to|and|class|summer|spring|fall|winter|season)\s+|^|\s)(?P<clip>['’](?P<yy>\d\d))\b(?!['’]?s\b)",
        _clipped_year,
        span_group="clip",
    ),
    _rule("century", r"\b(?:the\s+)?(?P<cent>1[0-9]|2[01])(?:st|nd|rd|th)\s+century\b", _century),
    _rule("ago", r"\b" + NUM + r"\s+" + UNIT + r"\s+ago\b", _ago),
    _rule("earlier-this", r"\b(?:earlier|later)\s+this\s+(?P<unit>week|month|year)\b", _earlier_this),
    _rule(
        "relative-unit",
        r"\b(?P<which>this|last|next|coming|current|previous|past)\s+(?P<unit>week|month|year|quarter)\b(?!\s*(?:'s|’s)?\s*(?:\d|period))",
        _relative_unit,
    ),
    _rule(
        "relative-day",
        r"\b(?:today|tonight|yesterday|tomorrow|this (?:morning|afternoon|evening)|last night)\b",
        _relative_day,
    ),
    _rule("weekday", r"\b" + WEEKDAY + r"\b", _weekday, flags=0),
    # Full names only: "Jan" is more often a name than January; "May" a verb.
    _rule("bare-month", r"\b" + FULL_MONTH + r"\b(?!\s+\d)", _bare_month, flags=0),
    _rule("year", _YEAR_LEAD + YEAR + r"\b(?!\s*(?:-|–)\s*\d)(?![\w-])", _year, span_group="year"),
    _rule("year-listed", r"(?:,|\band)\s+" + YEAR + r"\b(?![\w-])(?!\s+[A-Z])", _year, flags=0, span_group="year"),
    _rule(
        "modified-year",
        r"(?:\b(?i:its|his|her|their|our|the|a|an|that|this|these)(?:\s+[a-z]+)?|['’]s)\s+" + YEAR + r"\s+(?=[a-zA-Z])",
        _modified_year,
        flags=0,
        span_group="year",
    ),
    _rule(
        "this-year",
        r"\bthe\s+(?:full\s+|current\s+|current\s+fiscal\s+|fiscal\s+)?year\b(?![-\s](?:ago|earlier|before|after))",
        _this_year,
    ),
    _rule(
        "month-may",
        r"\b(?:in|by|until|since|from|through|during|of|early|late|mid|last|next|this)[\s-]+(?P<month>May)\b(?!\s+\d)",
        _bare_month,
        flags=0,
        span_group="month",
    ),
    _rule(
        "vague",
        r"\b(?:now|currently|nowadays|at present|these days|recently|recent (?:days|weeks|months|years)|the past(?!\s+(?:\w+\s+)?(?:days?|weeks?|months?|years?|decades?)\b)|in the future|the future)\b",
        _vague,
    ),
]


# --------------------------------------------------------------------------- examples

# Each rule's examples, read as if published on Monday 2021-03-22 (tests/etl/test_dates.py
# runs every one): in `text`, the tagger finds `span` with `value` (and `end_value`).
EXAMPLE_DAY = date(2021, 3, 22)


@dataclass(frozen=True)
class Example:
    rule: str
    text: str
    span: str
    value: str
    end_value: str | None = None


EXAMPLES = [
    Example("day-range-year", "on March 23-24, 2021", "March 23-24, 2021", "2021-03-23", "2021-03-24"),
    Example("day-month-year", "on 23rd March, 2021", "23rd March, 2021", "2021-03-23"),
    Example("month-day-year", "on March 18, 2021.", "March 18, 2021", "2021-03-18"),
    Example("weekday-month-day-year", "Thursday, March 18, 2021", "Thursday, March 18, 2021", "2021-03-18"),
    Example("iso-date", "LONDON 1996-08-30", "1996-08-30", "1996-08-30"),
    Example("numeric-date", "filed 3/18/2021", "3/18/2021", "2021-03-18"),
    Example("numeric-date", "filed 7/8/07 and 25/12/07", "7/8/07", "2007-08-07"),  # the text writes day first
    Example("numeric-date", "filed 7/8/07", "7/8/07", "2007-XX-XX"),  # nothing settles the order
    Example("clock-time", "The polls close at 18:00 UTC.", "18:00 UTC", "2021-03-22T18:00"),
    Example(
        "clock-time", "He will speak Tuesday at 7 p.m.", "Tuesday at 7 p.m.", "2021-03-23T19:00"
    ),  # one expression with its day
    Example("quarter-of-year", "in this year's third quarter", "this year's third quarter", "2021-Q3"),
    Example("quarter-of-year", "from the 1988 second quarter", "the 1988 second quarter", "1988-Q2"),
    Example("modified-weekday", "on the previous Friday", "the previous Friday", "2021-03-19"),
    Example("part-of-relative-year", "in the first quarter of last year", "the first quarter of last year", "2020-Q1"),
    Example("part-of-relative-year", "by March of next year", "March of next year", "2022-03"),
    Example("short-decade", "music of the 70s", "the 70s", "197X"),
    Example("short-decade", "in the late '80s", "the late '80s", "198X"),
    Example("clipped-year", "the class of '82", "'82", "1982"),
    Example("weekday-month-day", "said on Saturday, April 24:", "Saturday, April 24", "2021-04-24"),
    Example("modified-weekday", "They met last Wednesday.", "last Wednesday", "2021-03-17"),
    Example("modified-month", "It crashed last February.", "last February", "2021-02"),
    Example("modified-month", "the vote in July next year", "July next year", "2022-07"),
    Example("weekend", "said over the weekend", "the weekend", "2021-W11-WE"),
    Example("year-earlier", "up from $3m a year earlier.", "a year earlier", "2020"),
    Example("reported-quarter", "a loss in the latest quarter", "the latest quarter", "2020-Q4"),
    Example("spelled-year", "Atlanta, nineteen ninety-six.", "nineteen ninety-six", "1996"),
    Example("day-range", "On March 23-24, Blinken will", "March 23-24", "2021-03-23", "2021-03-24"),
    Example("month-day", "the deal closes April 2.", "April 2", "2021-04-02"),
    Example("day-month", "arrived on 18 March", "18 March", "2021-03-18"),
    Example("month-part", "results in mid-April", "mid-April", "2021-04"),
    Example("month-year", "in March 2015", "March 2015", "2015-03"),
    Example("quarter", "third-quarter profit rose", "third-quarter", "2020-Q3"),
    Example("season", "talks resume this summer", "this summer", "2021-SU"),
    Example("year-range", "the 2009-2010 season", "2009-2010", "2009", "2010"),
    Example("decade", "since the 1990s", "the 1990s", "199X"),
    Example("century", "in the 20th century", "the 20th century", "19XX"),
    Example("ago", "he left two weeks ago", "two weeks ago", "2021-W10"),
    Example("ago", "it began two decades ago", "two decades ago", "200X"),
    Example("earlier-this", "as reported earlier this month", "earlier this month", "2021-03"),
    Example("relative-unit", "meetings this week", "this week", "2021-W12"),
    Example("relative-unit", "prices fell last month", "last month", "2021-02"),
    Example("relative-day", "He said yesterday that", "yesterday", "2021-03-21"),
    Example("weekday", "Blinken arrives in Brussels Monday", "Monday", "2021-03-22"),
    Example("bare-month", "prices peaked in January", "January", "2021-01"),
    Example("year", "the agreement signed in 2015", "2015", "2015"),
    Example("year-listed", "in 1994, 1995 and 1997", "1995", "1995"),
    Example("modified-year", "after its 1990 invasion of Kuwait", "1990", "1990"),
    Example("this-year", "sales for the full year were", "the full year", "2021"),
    Example("month-may", "talks to conclude by May, he said", "May", "2021-05"),
    Example("vague", "We expect even as you see in recent days", "recent days", "PAST_REF"),
]

# Durations and sets, matched only to keep their numbers from being read as dates.
NOT_DATES = re.compile(
    r"\b(?:every|each)\s+(?:day|week|month|year|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b"
    r"|\b(?:for|over|in|within|past|last|next|first)?\s*(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few|many)\s+(?:days|weeks|months|years|decades)\b(?!\s+ago)",
    re.I,
)


def find_dates(text: str, ref: date | None, day_first: bool | None = None) -> list[DateMention]:
    """Every date expression in text, longest first where two overlap, left to right.

    day_first: the outlet's order of numeric dates, when the text itself shows none. A value
    that would fall outside the calendar (a reference date of 9999-12-31 and "tomorrow") or
    that is not well-formed is never emitted.
    """
    order = numeric_date_order(text)
    ctx = Context(text, ref, day_first if order is None else order)
    blocked = [False] * len(text)
    for m in NOT_DATES.finditer(text):
        for i in range(m.start(), m.end()):
            blocked[i] = True
    candidates = []
    for priority, rule in enumerate(RULES):
        for m in rule.pattern.finditer(text):
            if any(blocked[m.start() : m.end()]):
                continue
            start, end = m.span(rule.span_group)
            candidates.append((start, -(end - start), priority, m, rule))
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    taken = [False] * len(text)
    out = []
    for start, neglen, _p, m, rule in candidates:
        end = start - neglen
        if any(taken[start:end]):
            continue
        try:
            resolved = rule.resolve(m, ctx)
        except (OverflowError, ValueError):
            continue  # beyond the calendar's years 1-9999
        if (
            not resolved
            or not resolved[0]
            or not is_valid_value(resolved[0])
            or (resolved[1] and not is_valid_value(resolved[1]))
        ):
            continue
        value, end_value = resolved
        for i in range(start, end):
            taken[i] = True
        out.append(DateMention(start, end, text[start:end], value, granularity_of(value), end_value))
    return _times_on_their_day(text, sorted(out, key=lambda d: d.start))


_CLOCK = re.compile(r"T\d{2}:\d{2}$")


def _times_on_their_day(text: str, found: list[DateMention]) -> list[DateMention]:
    """A clock time takes the day its sentence names right next to it: "10 p.m. Wednesday" and
    "Tuesday at 7 p.m." are one expression each, on that day."""
    out: list[DateMention] = []
    skip = set()
    for i, d in enumerate(found):
        if i in skip:
            continue
        if _CLOCK.search(d.value) and d.end_value is None:
            for j in (i + 1, i - 1):
                if not 0 <= j < len(found) or j in skip:
                    continue
                o = found[j]
                if o.granularity != "day" or o.end_value or _CLOCK.search(o.value):
                    continue
                a, b = (d, o) if d.start < o.start else (o, d)
                if _TIME_DAY_GAP.fullmatch(text[a.end : b.start]):
                    start, end = a.start, b.end
                    d = DateMention(start, end, text[start:end], o.value[:10] + d.value[10:], "day")
                    skip.add(j)
                    if j < i:
                        out = [x for x in out if x is not o]
                    break
        out.append(d)
    return out


_TIME_DAY_GAP = re.compile(r"[\s,]*(?:(?:on|at|of)\s+)?(?:\(?(?:[ECMP][SD]?T|UTC|GMT)\)?[\s,]*)?")
