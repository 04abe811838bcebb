"""Dates: find calendar references in text and normalise them to TIMEX3 values.

A rule library in the manner of HeidelTime and SUTime: each rule is a pattern and a function
that turns its match into a value, relative to the reference date (the article's publication
date). Values follow TimeML: 2021-03-23 (day), 2021-W12 (ISO week), 2021-03 (month),
2021-Q1 (quarter), 2021-SU (season), 2021 (year), 199 (decade: the 1990s), 19 (century:
the 1900s). A range gives its start and end. Durations ("four years"), sets ("every
Monday") and numbers inside names ("the NATO 2030 initiative") are not dates. Vague
references ("now", "recent days") get PRESENT_REF / PAST_REF / FUTURE_REF, which the
warehouse leaves out.

Relative weekdays and months follow the news convention: the nearest such day, in the past
or the future according to the tense around the expression.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

VAGUE_VALUES = {"PRESENT_REF", "PAST_REF", "FUTURE_REF"}

MONTH_NUMBERS = {
    name: i
    for i in range(1, 13)
    for name in {calendar.month_name[i].lower(), calendar.month_abbr[i].lower()}
} | {"sept": 9}
WEEKDAYS = {calendar.day_name[i].lower(): i for i in range(7)}
ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}

MONTH = r"(?P<month>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|Sep(?:t(?:ember)?)?\.?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
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
        return self.value not in VAGUE_VALUES and not self.value.startswith("X")


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
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            d = date.fromisoformat(value)
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
        if re.fullmatch(r"\d{3}", value):
            y = int(value) * 10
            return date(y, 1, 1), date(y + 9, 12, 31)
        if re.fullmatch(r"\d{2}", value):
            y = int(value) * 100
            return date(max(y, 1), 1, 1), date(y + 99, 12, 31)
    except ValueError:
        return None
    return None


def granularity_of(value: str) -> str | None:
    for rx, g in (
        (r"\d{4}-\d{2}-\d{2}", "day"), (r"\d{4}-W\d{2}", "week"), (r"\d{4}-\d{2}", "month"),
        (r"\d{4}-Q\d", "quarter"), (r"\d{4}-(SP|SU|FA|WI)", "season"), (r"\d{4}", "year"),
        (r"\d{3}", "decade"), (r"\d{2}", "century"),
    ):
        if re.fullmatch(rx, value):
            return g
    return None


# --------------------------------------------------------------------------- tense


_FUTURE = re.compile(
    r"\b(?:will|won't|shall|'ll|’ll|going to|is to|are to|scheduled|expected to|plans? to|set to|due to|"
    r"would|upcoming|next|begin(?:s)? on|starts?|opens?|to (?:be|take|hold|meet|visit|travel|attend|participate|start|begin|vote))\b",
    re.I,
)
_PAST = re.compile(
    r"\b(?:was|were|had|did|said|told|announced|met|came|went|took|gave|made|left|began|saw|held|"
    r"won|lost|sold|rose|fell|paid|spent|became|brought|found|got|kept|led|ran|spoke|wrote|"
    r"ago|earlier|last|closed|ended|reported|signed|killed|died|\w+ed)\b",
    re.I,
)


def tense_near(text: str, start: int, end: int) -> str:
    """'future', 'past' or 'present' from the words around text[start:end] in its sentence."""
    left = re.split(r"[.!?;\n]\s", text[max(0, start - 160) : start])[-1]
    right = re.split(r"[.!?;\n]", text[end : end + 60])[0]
    window = left + " " + right
    if _FUTURE.search(window):
        return "future"
    past_words = [w for w in _PAST.findall(window) if w.lower() not in {"scheduled", "expected", "need", "indeed", "speed", "united", "based", "red", "bed", "seed", "feed", "hundred"}]
    if past_words:
        return "past"
    return "present"


def nearest_weekday(ref: date, weekday: int, tense: str) -> date:
    ahead = (weekday - ref.weekday()) % 7
    behind = (ref.weekday() - weekday) % 7
    if tense == "future":
        return ref + timedelta(days=ahead)
    if tense == "past":
        return ref - timedelta(days=behind)
    return ref + timedelta(days=ahead) if ahead <= behind else ref - timedelta(days=behind)


def nearest_month_year(ref: date, month: int, tense: str) -> int:
    if month == ref.month:
        return ref.year
    if tense == "future":
        return ref.year if month > ref.month else ref.year + 1
    if tense == "past":
        return ref.year if month < ref.month else ref.year - 1
    return ref.year if abs(month - ref.month) <= 6 else (ref.year - 1 if month > ref.month else ref.year + 1)


# --------------------------------------------------------------------------- rules

Resolver = Callable[[re.Match, "Context"], "tuple[str, str | None] | None"]


@dataclass(frozen=True)
class Context:
    text: str
    ref: date | None


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    resolve: Resolver  # match -> (value, end_value) or None to reject
    span_group: str | int = 0  # the part of the match that is the expression


def _month(m: re.Match, group: str = "month") -> int:
    return MONTH_NUMBERS[m.group(group).lower().rstrip(".")[:3] if m.group(group).lower()[:4] != "sept" else "sept"]


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


def _slash_date(m, ctx):
    return _safe_day(int(m["year"]), int(m["mnum"]), int(m["day"])), None


def _year(m, ctx):
    return m["year"], None


def _year_range(m, ctx):
    y1 = int(m["year"])
    y2 = m["year2"]
    y2 = int(y2) if len(y2) == 4 else (y1 // 100) * 100 + int(y2)
    return (str(y1), str(y2)) if y2 > y1 else None


def _decade(m, ctx):
    return m["decade"][:3], None


def _century(m, ctx):
    n = int(m["cent"])
    return f"{n - 1:02d}", None


def _weekday(m, ctx):
    wd = WEEKDAYS[m["weekday"].lower()]
    if ctx.ref is None:
        return "XXXX-XX-XX", None
    return nearest_weekday(ctx.ref, wd, _tense(m, ctx)).isoformat(), None


def _relative_day(m, ctx):
    offsets = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "this morning": 0, "this afternoon": 0, "this evening": 0, "last night": -1}
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
        return str((ref.year - 10 * n) // 10), None
    return None


def _earlier_this(m, ctx):
    unit = m["unit"].lower()
    if ctx.ref is None:
        return {"week": "XXXX-WXX", "month": "XXXX-XX", "year": "XXXX"}[unit], None
    return {"week": week_value(ctx.ref), "month": month_value(ctx.ref.year, ctx.ref.month), "year": str(ctx.ref.year)}[unit], None


def _season(m, ctx):
    code = SEASONS[m["season"].lower()]
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
    current = (ctx.ref.month - 1) // 3 + 1
    tense = _tense(m, ctx)
    y = ctx.ref.year
    if tense == "past" and q > current:
        y -= 1
    elif tense == "future" and q < current:
        y += 1
    return f"{y}-Q{q}", None


def _month_part(m, ctx):
    """early/mid/late December -> the month."""
    if m["year"]:
        return month_value(int(m["year"]), _month(m)), None
    return _bare_month(m, ctx)


def _vague(m, ctx):
    word = m.group(0).lower()
    if word in {"now", "currently", "the present", "nowadays", "at present", "these days"}:
        return "PRESENT_REF", None
    if word in {"the future", "in the future", "in future"}:
        return "FUTURE_REF", None
    return "PAST_REF", None


def _rule(name: str, pattern: str, resolve: Resolver, flags=re.I, span_group: str | int = 0) -> Rule:
    return Rule(name, re.compile(pattern, flags), resolve, span_group)


# Bare years count only after words that introduce a time ("in 2015", "since 2018"): a year
# after "the" or a name is part of that name ("the 2030 NATO proposals", "NATO 2030").
_YEAR_LEAD = r"\b(?:in|since|by|from|to|until|till|through|during|before|after|between|and|or|of|early|late|mid|throughout|year|for|end of|start of|beginning of)[\s-]+"

RULES: list[Rule] = [
    _rule("day-range-year", MONTH + r"\s+" + DAY + r"\s*(?:-|–|to|and|through)\s*(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?,?\s+" + YEAR + r"\b", _day_range_with_year),
    _rule("day-month-year", r"\b" + DAY + r"\s+(?:of\s+)?" + MONTH + r",?\s+" + YEAR + r"\b", _full_date),
    _rule("month-day-year", r"\b" + MONTH + r"\s+" + DAY + r",?\s+" + YEAR + r"\b", _full_date),
    _rule("weekday-month-day-year", r"\b" + WEEKDAY + r",?\s+" + MONTH + r"\s+" + DAY + r",?\s+" + YEAR + r"\b", _full_date),
    _rule("iso-date", r"\b" + YEAR + r"-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b", _iso),
    _rule("slash-date", r"\b(?P<mnum>[01]?\d)/(?P<day>[0-3]?\d)/" + YEAR + r"\b", _slash_date),
    _rule("day-range", r"\b" + MONTH + r"\s+" + DAY + r"\s*(?:-|–|to|through)\s*(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?\b", _day_range),
    _rule("month-day", r"\b" + MONTH + r"\s+" + DAY + r"\b(?!\s*(?:,\s*)?\d{4})(?![\d:])", _month_day),
    _rule("day-month", r"\b" + DAY + r"\s+(?:of\s+)?" + MONTH + r"\b(?!,?\s+\d{4})", _month_day),
    _rule("month-part", r"\b(?:early|mid|late|the (?:beginning|start|end|middle) of)[\s-]+" + MONTH + r"(?:,?\s+" + YEAR + r")?\b", _month_part),
    _rule("month-year", r"\b" + MONTH + r",?\s+(?:of\s+)?" + YEAR + r"\b", _month_year),
    _rule("quarter", r"\b(?:the\s+)?(?P<ord>first|second|third|fourth|last|[1-4](?:st|nd|rd|th))[\s-]+quarter(?:\s+of\s+" + YEAR + r")?\b", _quarter),
    _rule("season", r"\b(?:(?P<which>this|last|next)\s+)?(?P<season>spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?" + YEAR + r")?\b", _season),
    _rule("year-range", r"\b" + YEAR + r"\s*(?:-|–|/)\s*(?P<year2>\d{4}|\d\d)\b(?!-)", _year_range),
    _rule("decade", r"\b(?:the\s+)?(?P<decade>1[5-9]\d0|20\d0)['’]?s\b", _decade),
    _rule("century", r"\b(?:the\s+)?(?P<cent>1[0-9]|2[01])(?:st|nd|rd|th)\s+century\b", _century),
    _rule("ago", r"\b" + NUM + r"\s+" + UNIT + r"\s+ago\b", _ago),
    _rule("earlier-this", r"\b(?:earlier|later)\s+this\s+(?P<unit>week|month|year)\b", _earlier_this),
    _rule("relative-unit", r"\b(?P<which>this|last|next|coming|current|previous|past)\s+(?P<unit>week|month|year|quarter)\b(?!\s*(?:'s|’s)?\s*(?:\d|period))", _relative_unit),
    _rule("relative-day", r"\b(?:today|tonight|yesterday|tomorrow|this (?:morning|afternoon|evening)|last night)\b", _relative_day),
    _rule("weekday", r"\b" + WEEKDAY + r"\b", _weekday, flags=0),
    _rule("bare-month", r"\b" + MONTH.replace("|May|", "|") + r"\b(?!\s+\d)", _bare_month, flags=0),
    _rule("year", _YEAR_LEAD + YEAR + r"\b(?!\s*(?:-|–)\s*\d)(?![\w-])", _year, span_group="year"),
    _rule("vague", r"\b(?:now|currently|nowadays|at present|these days|recently|recent (?:days|weeks|months|years)|the past|in the future|the future)\b", _vague),
]

# Durations and sets, matched only to keep their numbers from being read as dates.
NOT_DATES = re.compile(
    r"\b(?:every|each)\s+(?:day|week|month|year|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b"
    r"|\b(?:for|over|in|within|past|last|next|first)?\s*(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few|many)\s+(?:days|weeks|months|years|decades)\b(?!\s+ago)",
    re.I,
)


def find_dates(text: str, ref: date | None) -> list[DateMention]:
    """Every date expression in text, longest first where two overlap, left to right."""
    ctx = Context(text, ref)
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
        resolved = rule.resolve(m, ctx)
        if not resolved or not resolved[0]:
            continue
        value, end_value = resolved
        for i in range(start, end):
            taken[i] = True
        out.append(DateMention(start, end, text[start:end], value, granularity_of(value), end_value))
    return sorted(out, key=lambda d: d.start)
