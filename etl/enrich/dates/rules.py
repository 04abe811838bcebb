"""The rule table: each rule a name, a pattern composed of named pieces, the normaliser that makes
its match a value, and examples that the tests run.

Order matters: longer, more specific rules come first (find_dates keeps, of overlapping matches,
the one that starts first, then the longer, then the earlier rule). Patterns are compiled with
re.VERBOSE (a literal space is written "\\ ") and re.IGNORECASE unless the rule says flags=0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from etl.calendar_dates import CALENDAR_RULES, DAY, END_DAY, MONTH, NTH, WEEKDAY, WEEKDAY_NAMES, YEAR, Rule, rule
from etl.enrich.dates.normalisers import (
    HOLIDAYS,
    NUMBER_WORDS,
    ONES,
    SEASONS,
    TEENS,
    TENS,
    ago,
    bare_month,
    century,
    clipped_year,
    day_range,
    decade,
    earlier_this,
    holiday,
    modified_month,
    modified_weekday,
    modified_year,
    month_day,
    month_part,
    month_year,
    part_of_relative_year,
    quarter,
    quarter_of_year,
    relative_day,
    relative_unit,
    reported_quarter,
    season,
    short_decade,
    spelled_year,
    this_year,
    vague,
    weekday,
    weekend,
    year,
    year_earlier,
    year_range,
)


def one_of(words) -> str:
    """The words as alternatives, in order: the normaliser's table is the pattern's word list."""
    return "|".join(words)


# --------------------------------------------------------------------------- named pieces

# The full-date pieces (MONTH, DAY, END_DAY, YEAR, WEEKDAY, NTH) are etl.calendar_dates'.

# Months named in full: "Jan" is more often a name than January. "May" alone is more often the
# verb, so only the patterns whose other words make it a month accept it.
_JANUARY_TO_APRIL = "January|February|March|April"
_JUNE_TO_DECEMBER = "June|July|August|September|October|November|December"
FULL_MONTH = rf"(?P<month>{_JANUARY_TO_APRIL}|{_JUNE_TO_DECEMBER})"
FULL_MONTH_OR_MAY = rf"(?P<month>{_JANUARY_TO_APRIL}|May|{_JUNE_TO_DECEMBER})"

# Holidays: the normaliser's table is the word list (longest first, so "Christmas Eve" is not
# "Christmas"); an apostrophe may be typographic. Easter Island, Christmas trees: not days.
HOLIDAY = "(?P<holiday>{})".format(
    "|".join(
        re.escape(name).replace(r"\ ", r"\s+").replace("'", "['’]") for name in sorted(HOLIDAYS, key=len, reverse=True)
    )
)
NOT_THE_DAY = r"(?!\s+(?:Island|eggs?|Rising|bunny|trees?|cards?|carols?|presents?|gifts?|shopping|lights?|decorations?|markets?|songs?|music))"

ORDINAL = rf"(?P<ord>first|second|third|fourth|[1-4]{NTH})"
ORDINAL_OR_LAST = rf"(?P<ord>first|second|third|fourth|last|[1-4]{NTH})"
SEASON = rf"(?P<season>{one_of(SEASONS)})"
NUM = rf"(?P<num>\d+|{one_of(NUMBER_WORDS)})"
UNIT = r"(?P<unit>day|week|month|year|decade|century)s?"

# Bare years count only after words that introduce a time ("in 2015", "since 2018"): a year
# after "the" or a name is part of that name ("the 2030 NATO proposals", "NATO 2030").
YEAR_LEAD = r"""
    \b(?:
        in | into | since | by | from | to | until | till | through | during | before | after | between
      | and | or | of | early | late | mid | throughout | year | for | due | fiscal | calendar
      | end\ of | start\ of | beginning\ of
    )[\s-]+
"""

# --------------------------------------------------------------------------- examples

# Each rule's examples are read as if published on Monday 2021-03-22 (tests/etl/test_dates.py
# runs every one, and every rule needs one).
EXAMPLE_DAY = date(2021, 3, 22)


@dataclass(frozen=True)
class Example:
    """In `text`, the tagger finds `span` with `value` (and `end_value`)."""

    text: str
    span: str
    value: str
    end_value: str | None = None
    rule: str = ""  # the name of the rule it is shown beside


def shown(r: Rule, *examples: Example) -> tuple[Rule, list[Example]]:
    return r, [replace(e, rule=r.name) for e in examples]


_CALENDAR = {r.name: r for r in CALENDAR_RULES}

# --------------------------------------------------------------------------- the rules

_TABLE: list[tuple[Rule, list[Example]]] = [
    # Full dates, ranges of days and clock times: etl/calendar_dates.py, which parse reads with too.
    shown(
        _CALENDAR["day-range-year"],
        Example("on March 23-24, 2021", "March 23-24, 2021", "2021-03-23", "2021-03-24"),
    ),
    shown(_CALENDAR["day-month-year"], Example("on 23rd March, 2021", "23rd March, 2021", "2021-03-23")),
    shown(_CALENDAR["month-day-year"], Example("on March 18, 2021.", "March 18, 2021", "2021-03-18")),
    shown(
        _CALENDAR["weekday-month-day-year"],
        Example("Thursday, March 18, 2021", "Thursday, March 18, 2021", "2021-03-18"),
    ),
    shown(_CALENDAR["iso-date"], Example("LONDON 1996-08-30", "1996-08-30", "1996-08-30")),
    shown(
        _CALENDAR["numeric-date"],
        Example("filed 3/18/2021", "3/18/2021", "2021-03-18"),
        Example("filed 7/8/07 and 25/12/07", "7/8/07", "2007-08-07"),  # the text writes day first
        Example("filed 7/8/07", "7/8/07", "2007-XX-XX"),  # nothing settles the order
    ),
    shown(
        _CALENDAR["clock-time"],
        Example("The polls close at 18:00 UTC.", "18:00 UTC", "2021-03-22T18:00"),
        Example("He will speak Tuesday at 7 p.m.", "Tuesday at 7 p.m.", "2021-03-23T19:00"),  # one, with its day
    ),
    shown(
        rule(
            "quarter-of-year",
            rf"""
            \b(?: (?P<which>this|last|next) \s+ year['’]s | the \s+ {YEAR} )
            \s+ {ORDINAL} [\s-]+ quarter \b
            """,
            quarter_of_year,
        ),
        Example("in this year's third quarter", "this year's third quarter", "2021-Q3"),
        Example("from the 1988 second quarter", "the 1988 second quarter", "1988-Q2"),
    ),
    shown(
        rule(
            "part-of-relative-year",
            rf"""
            \b(?: (?:the\s+)? {ORDINAL_OR_LAST} [\s-]+ quarter | (?:the\s+)? {SEASON} | {FULL_MONTH_OR_MAY} )
            \s+ of \s+ (?P<which>last|this|next|the\s+previous|the\s+following) \s+ year \b
            """,
            part_of_relative_year,
        ),
        Example("in the first quarter of last year", "the first quarter of last year", "2020-Q1"),
        Example("by March of next year", "March of next year", "2022-03"),
    ),
    shown(
        rule("weekday-month-day", rf"\b {WEEKDAY} ,?\s+ {MONTH} \s+ {DAY} \b (?!,?\s*\d{{4}})", month_day),
        Example("said on Saturday, April 24:", "Saturday, April 24", "2021-04-24"),
    ),
    shown(
        rule(
            "modified-weekday",
            rf"\b (?:the\s+)? (?P<which>last|this|next|coming|previous) \s+ {WEEKDAY} \b",
            modified_weekday,
        ),
        Example("on the previous Friday", "the previous Friday", "2021-03-19"),
        Example("They met last Wednesday.", "last Wednesday", "2021-03-17"),
    ),
    shown(
        rule(
            "modified-month",
            # "last May", or "July next year" (its month is the group month_)
            rf"""
            \b(?:
                (?P<which>last|this|next) \s+ {FULL_MONTH_OR_MAY}
              | (?P<month_>{_JANUARY_TO_APRIL}|May|{_JUNE_TO_DECEMBER}) \s+ (?P<which2>last|this|next) \s+ year
            )\b
            """,
            modified_month,
        ),
        Example("It crashed last February.", "last February", "2021-02"),
        Example("the vote in July next year", "July next year", "2022-07"),
    ),
    shown(
        rule("weekend", r"\b (?:the|this|last|next) \s+ weekend \b", weekend),
        Example("said over the weekend", "the weekend", "2021-W11-WE"),
    ),
    shown(
        rule(
            "year-earlier",
            r"""
            \b(?: (?:a|one) \s+ year \s+ (?:earlier|ago|before) | (?:the\s+)? year[-\s](?:ago|earlier) )
            (?P<quarter> \s+ (?:quarter|period) )? \b
            """,
            year_earlier,
        ),
        Example("up from $3m a year earlier.", "a year earlier", "2020"),
    ),
    shown(
        rule(
            "reported-quarter",
            r"\b the \s+ (?: (?:latest|most\s+recent|recent|just[-\s]ended) \s+ (?:quarter|period) | quarter ) \b",
            reported_quarter,
        ),
        Example("a loss in the latest quarter", "the latest quarter", "2020-Q4"),
    ),
    shown(
        rule(
            "spelled-year",
            rf"""
            \b (?P<century>nineteen|eighteen) \s+
            (?: (?P<teen>{one_of(TEENS)}) | (?P<tens>{one_of(TENS)}) (?: [-\s] (?P<ones>{one_of(ONES)}) )? )
            \b
            """,
            spelled_year,
        ),
        Example("Atlanta, nineteen ninety-six.", "nineteen ninety-six", "1996"),
    ),
    shown(
        rule("day-range", rf"\b {MONTH} \s+ {DAY} \s* (?:-|–|to|through) \s* {END_DAY} \b", day_range),
        Example("On March 23-24, Blinken will", "March 23-24", "2021-03-23", "2021-03-24"),
    ),
    shown(
        rule(
            "holiday",
            rf"""
            \b (?: (?P<which>last|this|next|coming|past) \s+ )? {HOLIDAY} \b {NOT_THE_DAY}
            (?: ,? \s+ (?P<year>\d{{4}}) \b )?
            """,
            holiday,
        ),
        Example("the parade on Thanksgiving Day drew", "Thanksgiving Day", "2020-11-26"),
        Example("will be home for Christmas", "Christmas", "2021-12-25"),
        Example("since last Christmas", "last Christmas", "2020-12-25"),
        Example("on Easter Sunday 2019", "Easter Sunday 2019", "2019-04-21"),
    ),
    shown(
        rule("month-day", rf"\b {MONTH} \s+ {DAY} \b (?!\s*(?:,\s*)?\d{{4}}) (?![\d:])", month_day),
        Example("the deal closes April 2.", "April 2", "2021-04-02"),
    ),
    shown(
        rule("day-month", rf"\b {DAY} \s+ (?:of\s+)? {MONTH} \b (?!,?\s+\d{{4}})", month_day),
        Example("arrived on 18 March", "18 March", "2021-03-18"),
    ),
    shown(
        rule(
            "month-part",
            rf"""
            \b (?: early | mid | late | the\ (?:beginning|start|end|middle)\ of ) [\s-]+ {MONTH}
            (?: ,?\s+ {YEAR} )? \b
            """,
            month_part,
        ),
        Example("results in mid-April", "mid-April", "2021-04"),
    ),
    shown(
        rule("month-year", rf"\b {MONTH} ,?\s+ (?:of\s+)? {YEAR} \b", month_year),
        Example("in March 2015", "March 2015", "2015-03"),
    ),
    shown(
        rule("quarter", rf"\b (?:the\s+)? {ORDINAL_OR_LAST} [\s-]+ quarter (?: \s+ of \s+ {YEAR} )? \b", quarter),
        Example("third-quarter profit rose", "third-quarter", "2020-Q3"),
    ),
    # "fall" and "spring" are verbs and nouns too: they need "this", "last", "the" or a year.
    shown(
        rule(
            "season",
            rf"\b (?: (?P<which>this|last|next) \s+ | the \s+ )? {SEASON} (?: \s+ (?:of\s+)? {YEAR} )? \b",
            season,
        ),
        Example("talks resume this summer", "this summer", "2021-SU"),
    ),
    shown(
        rule("year-range", rf"\b {YEAR} \s* (?:-|–|/) \s* (?P<year2>\d{{4}}|\d\d) \b (?!-)", year_range),
        Example("the 2009-2010 season", "2009-2010", "2009", "2010"),
    ),
    shown(
        rule("decade", r"\b (?:the\s+)? (?P<decade>1[5-9]\d0|20\d0) ['’]?s \b", decade),
        Example("since the 1990s", "the 1990s", "199"),
    ),
    shown(
        rule(
            "short-decade",
            r"\b the \s+ (?: (?:early|mid|late) [\s-]+ )? ['’]? (?P<tens>[1-9]0) ['’]?s \b",
            short_decade,
        ),
        Example("music of the 70s", "the 70s", "197"),
        Example("in the late '80s", "the late '80s", "198"),
    ),
    shown(
        rule(
            "clipped-year",
            r"""
            (?: \b (?:in|of|since|from|until|by|to|and|class|summer|spring|fall|winter|season) \s+ | ^ | \s )
            (?P<clip> ['’] (?P<yy>\d\d) ) \b (?!['’]?s\b)
            """,
            clipped_year,
            span_group="clip",
        ),
        Example("the class of '82", "'82", "1982"),
    ),
    shown(
        rule("century", rf"\b (?:the\s+)? (?P<cent>1[0-9]|2[01]) {NTH} \s+ century \b", century),
        Example("in the 20th century", "the 20th century", "19"),
    ),
    shown(
        rule("ago", rf"\b {NUM} \s+ {UNIT} \s+ ago \b", ago),
        Example("he left two weeks ago", "two weeks ago", "2021-W10"),
        Example("it began two decades ago", "two decades ago", "200"),
    ),
    shown(
        rule("earlier-this", r"\b (?:earlier|later) \s+ this \s+ (?P<unit>week|month|year) \b", earlier_this),
        Example("as reported earlier this month", "earlier this month", "2021-03"),
    ),
    shown(
        rule(
            "relative-unit",
            r"""
            \b (?P<which>this|last|next|coming|current|previous|past) \s+ (?P<unit>week|month|year|quarter) \b
            (?! \s* (?:'s|’s)? \s* (?:\d|period) )
            """,
            relative_unit,
        ),
        Example("meetings this week", "this week", "2021-W12"),
        Example("prices fell last month", "last month", "2021-02"),
    ),
    shown(
        rule(
            "relative-day",
            r"\b (?: today | tonight | yesterday | tomorrow | this\ (?:morning|afternoon|evening) | last\ night ) \b",
            relative_day,
        ),
        Example("He said yesterday that", "yesterday", "2021-03-21"),
    ),
    shown(
        rule("weekday", rf"\b {WEEKDAY} \b", weekday, flags=0),
        Example("Blinken arrives in Brussels Monday", "Monday", "2021-03-22"),
    ),
    shown(
        rule("bare-month", rf"\b {FULL_MONTH} \b (?!\s+\d)", bare_month, flags=0),
        Example("prices peaked in January", "January", "2021-01"),
    ),
    shown(
        rule("year", rf"{YEAR_LEAD} {YEAR} \b (?!\s*(?:-|–)\s*\d) (?![\w-])", year, span_group="year"),
        Example("the agreement signed in 2015", "2015", "2015"),
    ),
    shown(
        rule("year-listed", rf"(?:,|\band) \s+ {YEAR} \b (?![\w-]) (?!\s+[A-Z])", year, flags=0, span_group="year"),
        Example("in 1994, 1995 and 1997", "1995", "1995"),
    ),
    shown(
        rule(
            "modified-year",
            rf"""
            (?: \b (?i:its|his|her|their|our|the|a|an|that|this|these) (?:\s+[a-z]+)? | ['’]s )
            \s+ {YEAR} \s+ (?=[a-zA-Z])
            """,
            modified_year,
            flags=0,
            span_group="year",
        ),
        Example("after its 1990 invasion of Kuwait", "1990", "1990"),
    ),
    shown(
        rule(
            "this-year",
            r"""
            \b the \s+ (?: full\s+ | current\s+ | current\s+fiscal\s+ | fiscal\s+ )? year \b
            (?! [-\s] (?:ago|earlier|before|after) )
            """,
            this_year,
        ),
        Example("sales for the full year were", "the full year", "2021"),
    ),
    shown(
        rule(
            "month-may",
            r"""
            \b (?:in|by|until|since|from|through|during|of|early|late|mid|last|next|this) [\s-]+
            (?P<month>May) \b (?!\s+\d)
            """,
            bare_month,
            flags=0,
            span_group="month",
        ),
        Example("talks to conclude by May, he said", "May", "2021-05"),
    ),
    shown(
        rule(
            "vague",
            r"""
            \b(?:
                now | currently | nowadays | at\ present | these\ days | recently
              | recent\ (?:days|weeks|months|years)
              | the\ past (?! \s+ (?:\w+\s+)? (?:days?|weeks?|months?|years?|decades?) \b )
              | in\ the\ future | the\ future
            )\b
            """,
            vague,
        ),
        Example("We expect even as you see in recent days", "recent days", "PAST_REF"),
    ),
]

RULES: list[Rule] = [r for r, _examples in _TABLE]
EXAMPLES: list[Example] = [e for _rule, examples in _TABLE for e in examples]

# Durations and sets, matched only to keep their numbers from being read as dates.
NOT_DATES = re.compile(
    rf"""
      \b (?:every|each) \s+ (?:day|week|month|year|{WEEKDAY_NAMES}) s? \b
    | \b (?:for|over|in|within|past|last|next|first)? \s*
      (?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few|many)
      \s+ (?:days|weeks|months|years|decades) \b (?!\s+ago)
    """,
    re.I | re.X,
)
