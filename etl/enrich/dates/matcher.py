"""find_dates: every date expression of a text, read by the rule table against a reference date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from etl.calendar_dates import Context, numeric_date_order, read_dates
from etl.enrich.dates.rules import NOT_DATES, RULES
from etl.enrich.dates.values import granularity_of, is_valid_value, value_bounds


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


def find_dates(text: str, ref: date | None, day_first: bool | None = None, document: str = "") -> list[DateMention]:
    """Every date expression in text, longest first where two overlap, left to right.

    day_first: the outlet's order of numeric dates, when the text itself shows none. A value
    that would fall outside the calendar (a reference date of 9999-12-31 and "tomorrow") or
    that is not well-formed is never emitted. document: the whole article when text is one of
    its paragraphs (what it is about: a quarterly report, say).
    """
    order = numeric_date_order(text)
    ctx = Context(text, ref, day_first if order is None else order, document)
    return [
        DateMention(d.start, d.end, text[d.start : d.end], d.value, granularity_of(d.value), d.end_value)
        for d in read_dates(text, RULES, ctx, not_dates=NOT_DATES, is_valid=is_valid_value)
    ]
