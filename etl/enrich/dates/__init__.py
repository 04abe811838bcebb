"""Dates: find calendar references in text and normalise them to TIMEX3 values.

A rule library in the manner of HeidelTime and SUTime: each rule (rules.RULES) is a pattern and
a normaliser that turns its match into a value, relative to the reference date (the article's
publication date), with examples (rules.EXAMPLES) that the tests run. Values (values.py) follow
TimeML: a day, ISO week, month, quarter, season, year, decade or century; a range gives its start
and end. Durations ("four years"), sets ("every Monday") and numbers inside names ("the NATO 2030
initiative") are not dates. Vague references ("now", "recent days") get PRESENT_REF / PAST_REF /
FUTURE_REF, which the warehouse leaves out.

Relative weekdays and months follow the news convention (tense.py): the nearest such day, in the
past or the future according to the tense around the expression. Full dates and clock times are
read by etl.calendar_dates, the floor below parse, which parse shares. Dates told from another
date of the story ("three days later", "that year") are anaphora.py's, read after the rules in
the article's order.
"""

from etl.calendar_dates import numeric_date_order
from etl.enrich.dates.matcher import DateMention, find_dates
from etl.enrich.dates.rules import EXAMPLE_DAY, EXAMPLES, RULES
from etl.enrich.dates.tense import nearest_weekday, tense_near
from etl.enrich.dates.values import granularity_of, is_valid_value, value_bounds

__all__ = [
    "EXAMPLES",
    "EXAMPLE_DAY",
    "RULES",
    "DateMention",
    "find_dates",
    "granularity_of",
    "is_valid_value",
    "nearest_weekday",
    "numeric_date_order",
    "tense_near",
    "value_bounds",
]
