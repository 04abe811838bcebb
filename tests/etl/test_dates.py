"""Dates: every rule of the tagger, the samples, and the warehouse's date facts."""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa

from etl import pipeline
from etl.calendar_dates import calendar_dates
from etl.enrich.dates import (
    EXAMPLE_DAY,
    EXAMPLES,
    RULES,
    DateMention,
    find_dates,
    granularity_of,
    is_valid_value,
    nearest_weekday,
    tense_near,
    value_bounds,
)
from tests.conftest import SAMPLES

REF = date(2021, 3, 22)  # a Monday


def test_every_rule_has_an_example():
    assert {r.name for r in RULES} == {e.rule for e in EXAMPLES}


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{e.rule}:{e.text}" for e in EXAMPLES])
def test_rule_example(example):
    found = {(d.text, d.value, d.end_value) for d in find_dates(example.text, EXAMPLE_DAY)}
    assert (example.span, example.value, example.end_value) in found


@pytest.mark.parametrize(
    "text",
    [
        "to discuss the NATO 2030 initiative",  # a number inside a name
        "the 2030 NATO proposals for the alliance",  # a future year used as a name
        "After four years of foreign policy",  # a duration
        "She swims every Monday",  # a set
        "Jan Smith said",  # a name, not January
        "prices may fall",  # verbs, not months or seasons
    ],
)
def test_not_dates(text):
    assert [d for d in find_dates(text, REF) if d.is_calendar] == []


def test_weekday_follows_the_tense():
    text = "He met them Tuesday. He will meet them Tuesday."
    first, second = find_dates(text, date(2021, 3, 24))  # a Wednesday
    assert (first.value, second.value) == ("2021-03-23", "2021-03-30")
    assert tense_near(text, 31, 38) == "future"
    assert nearest_weekday(date(2021, 3, 24), 1, "present") == date(2021, 3, 23)
    # "as soon as Tuesday" looks ahead, whatever the verb of the sentence's attribution.
    [soon] = find_dates(
        "They would be ready to travel to the United States as soon as Tuesday, Ruiz said.", date(2021, 3, 24)
    )
    assert soon.value == "2021-03-30"


@pytest.mark.parametrize(
    "text, ref, expected",
    [
        # Modals and future cues look ahead, even with a passive participle nearer.
        ("The transaction should be completed in October.", date(2009, 6, 5), "2009-10"),
        ("The museum is closed until Friday.", date(2009, 6, 3), "2009-06-05"),
        ("He was hired in October.", date(2009, 6, 5), "2008-10"),
    ],
)
def test_tense_from_modals_and_future_cues(text, ref, expected):
    assert [d.value for d in find_dates(text, ref)] == [expected]


def test_numeric_dates_follow_the_outlet_when_the_text_does_not_say():
    assert [d.value for d in find_dates("filed 7/8/07", REF, day_first=False)] == ["2007-07-08"]
    assert [d.value for d in find_dates("filed 7/8/07", REF, day_first=True)] == ["2007-08-07"]


@pytest.mark.parametrize(
    "value, valid",
    [
        ("2021-03-23", True),
        ("2021-03-23T18:00", True),
        ("2021-W12", True),
        ("2021-W11-WE", True),
        ("2021-Q1", True),
        ("2021-SU", True),
        ("2021", True),
        ("199", True),
        ("19", True),
        ("199X", False),
        ("XXXX-XX-XX", True),
        ("XXXX-03", True),
        ("2007-XX-XX", True),
        ("PAST_REF", True),
        ("2", False),
        ("2021-13", False),
        ("2021-02-30", False),
        ("2021-W54", False),
        ("0000", False),
        ("2021-03-23T25:00", False),
        ("", False),
        ("2021-3-5", False),
        ("10000-01-01", False),
    ],
)
def test_value_validator(value, valid):
    assert is_valid_value(value) is valid


_REFS = [date(2021, 3, 22), date(9999, 12, 31), date(1, 1, 1), date(2020, 2, 29), date(2015, 12, 31), None]


@pytest.mark.parametrize("ref", _REFS, ids=str)
def test_every_value_emitted_is_valid(ref):
    """Every rule's example and the calendar's edges: never an exception, never a malformed value."""
    texts = [e.text for e in EXAMPLES] + [
        "tomorrow, yesterday, next week, last month, next year, two decades ago, this quarter",
        "the weekend, Friday, last Friday, next January, a year earlier, the latest quarter",
    ]
    for text in texts:
        for d in find_dates(text, ref):
            assert is_valid_value(d.value), (text, ref, d)
            assert d.end_value is None or is_valid_value(d.end_value), (text, ref, d)


def test_vague_references_next_to_a_day_stay_vague():
    values = [d.value for d in find_dates("Now, on Tuesday, the future looks bright; recently, Friday.", REF)]
    assert "PRESENT_REF" in values and "FUTURE_REF" in values and "PAST_REF" in values


def test_dates_beyond_the_calendar_are_skipped():
    assert [d.text for d in find_dates("tomorrow and next week", date(9999, 12, 31))] == []
    assert [d.text for d in find_dates("yesterday and last week", date(1, 1, 1))] == []
    assert [d.value for d in find_dates("today", date(9999, 12, 31))] == ["9999-12-31"]


def test_without_a_reference_date_relative_values_are_underspecified():
    values = {d.text: d.value for d in find_dates("on Monday, this week, in March, in 2015", None)}
    assert values == {"Monday": "XXXX-XX-XX", "this week": "XXXX-WXX", "March": "XXXX-03", "2015": "2015"}


@pytest.mark.parametrize(
    "value, first, last, granularity",
    [
        ("2021-03-23", date(2021, 3, 23), date(2021, 3, 23), "day"),
        ("2021-W12", date(2021, 3, 22), date(2021, 3, 28), "week"),
        ("2021-W11-WE", date(2021, 3, 20), date(2021, 3, 21), "week"),
        ("2021-02", date(2021, 2, 1), date(2021, 2, 28), "month"),
        ("2021-Q1", date(2021, 1, 1), date(2021, 3, 31), "quarter"),
        ("2020-WI", date(2020, 12, 1), date(2021, 2, 28), "season"),
        ("2015", date(2015, 1, 1), date(2015, 12, 31), "year"),
        ("199", date(1990, 1, 1), date(1999, 12, 31), "decade"),
        ("19", date(1900, 1, 1), date(1999, 12, 31), "century"),
        ("199X", date(1990, 1, 1), date(1999, 12, 31), "decade"),  # as rules-5 stored it
        ("2021-03-22T18:00", date(2021, 3, 22), date(2021, 3, 22), "day"),
    ],
)
def test_value_bounds_and_granularity(value, first, last, granularity):
    assert value_bounds(value) == (first, last)
    assert granularity_of(value) == granularity


@pytest.mark.parametrize(
    "text, expected",
    [
        ("WASHINGTON (Sputnik - 23rd March, 2021) US", [("23rd March, 2021", date(2021, 3, 23))]),
        ("NOVEMBER 15, 2007, 7: 40 AM", [("NOVEMBER 15, 2007, 7: 40 AM", date(2007, 11, 15))]),  # with its time
        ("7:40 AM, March 3, 2021", [("7:40 AM, March 3, 2021", date(2021, 3, 3))]),
        ("LONDON 1996-08-30", [("1996-08-30", date(1996, 8, 30))]),
        ("filed 7/8/2007 and 25/12/2007", [("7/8/2007", date(2007, 8, 7)), ("25/12/2007", date(2007, 12, 25))]),
        ("filed 7/8/2007", []),  # nothing settles the order
        ("March 23-24, 2021, then March 25, 2021", [("March 25, 2021", date(2021, 3, 25))]),  # a range is no day
        ("on March 23 at 7 p.m.", []),  # no year
    ],
)
def test_calendar_dates_reads_days_written_in_full_as_the_tagger_does(text, expected):
    """parse's date reader (etl.calendar_dates, below parse) finds the single days find_dates finds
    without a reference date."""
    found = calendar_dates(text)
    assert [(text[d.start : d.end], d.day) for d in found] == expected
    tagger = [d for d in find_dates(text, None) if d.granularity == "day" and d.end_value is None]
    assert [(d.start, d.end, d.day.isoformat()) for d in found] == [(t.start, t.end, t.value[:10]) for t in tagger]


def test_sample_dates_in_the_warehouse(engine, settings):
    """Every date of expected.json, with its value; none of its not-dates."""
    pipeline.run_partition(engine, settings, REF)
    expected = json.loads((SAMPLES / "expected.json").read_text())["articles"]
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "select split_part(a.path, '/', 2), d.text, d.value, d.end_value, d.granularity, d.start_date, d.end_date"
                " from report.date_mentions d join report.articles a using (article_id)"
            )
        ).all()
        # "Which articles talk about the week of 2021-03-22?" is one join on dim_date.
        week = conn.execute(
            sa.text(
                "select count(distinct f.article_id) from dwh.fact_date_mention f"
                " join dwh.dim_date s on s.date_key = f.start_date_key"
                " where s.iso_year = 2021 and s.iso_week = 12"
            )
        ).scalar()
    found = {(f, t): (v, e) for f, t, v, e, _g, _s, _d in rows}
    for name, article in expected.items():
        for d in article["dates"]:
            want = (d["value"], None) if "value" in d else (d["start"], d["end"])
            assert found.get((name, d["text"])) == want, f"{d['text']} in {name}"
        for not_date in article["not_dates"]:
            words = not_date.split(" (")[0]
            assert not any(t == words for f, t in found if f == name), f"{words} loaded as a date in {name}"
    assert week == 2


def test_a_paragraph_of_a_quarterly_report_compares_with_the_quarter_a_year_before():
    # The comparison's paragraph leaves the quarter to the article's lead.
    paragraph = "Revenue declined 8% to $85.7 million from $93.3 million a year earlier."
    lead = "Savin Corp. reported a third-quarter loss."
    ref = date(1989, 11, 2)
    [alone] = find_dates(paragraph, ref)
    [in_report] = find_dates(paragraph, ref, document=f"{lead}\n\n{paragraph}")
    assert (alone.value, in_report.value) == ("1988", "1988-Q3")


def test_a_date_told_from_another_date_of_the_story_takes_that_date_as_its_anchor():
    from etl.enrich.dates.anaphora import anaphoric_dates

    text = "The talks began on March 3, 2019. Three days later they failed, and the following year they resumed."
    found = find_dates(text, date(2021, 3, 22))
    assert [(d.text, d.value) for d in found] == [("March 3, 2019", "2019-03-03")]
    told = anaphoric_dates(text, 0, found, found)
    assert [(d.text, d.value) for d in told] == [("Three days later", "2019-03-06"), ("the following year", "2020")]
    # Without a date before it, nothing is guessed.
    assert anaphoric_dates("Three days later they failed.", 0, [], []) == []
    # "Ninety-nine years later" is not "nine years later"; off the calendar is nothing.
    assert anaphoric_dates("Ninety-nine years later it ended.", 40, found, []) == []
    last_day = [DateMention(0, 8, "the end", "9999-12-31", "day")]
    assert anaphoric_dates(".......... Thirty days later, the following year.", 0, last_day, []) == []
