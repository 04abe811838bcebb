"""Tense: whether the sentence around a date looks back or ahead, which decides the year of a
month named alone and the week of a weekday ("He met them Tuesday" / "He will meet them
Tuesday"). The news convention: the nearest such day, in the direction of the tense.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

_FUTURE_CUES = re.compile(
    r"""
    \b(?:
        will | won't | shall | should | 'll | ’ll | going\ to | is\ to | are\ to | scheduled | expected
      | plans? | planned | planning | set\ to | until | till | due | upcoming | next | starting | effective
      | payable | as\ soon\ as | as\ early\ as
      | would | could | might
      | to\ (?:be|take|hold|meet|visit|travel|attend|participate|start|begin|vote|leave|return)
    )\b
    """,
    re.I | re.X,
)
# Past forms, irregular and -ed, except the words that only end like one ("need", "hundred")
# and the participles that look ahead ("scheduled", "expected", "planned").
_PAST_CUES = re.compile(
    r"""
    \b(?:
        was | were | had | did | said | told | announced | met | came | went | took | gave | made | left
      | began | saw | held | won | lost | sold | rose | fell | paid | spent | became | brought | found | got
      | kept | led | ran | spoke | wrote | since | ago | earlier | last
      | (?!(?:need|indeed|speed|united|based|red|bed|seed|feed|hundred|scheduled|expected|planned|proceed|exceed)\b)
        \w+ed
    )\b
    """,
    re.I | re.X,
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
