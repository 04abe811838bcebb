"""Tone: how positive or negative the words of an article, a quote, or an entity's sentences are.

A lexicon method, VADER's (vaderSentiment: 7,500 words and emoticons rated by people from -4
to +4, with rules for negation, intensifiers, "but", capitals and exclamation marks):

- an article's tone as GDELT reports it: the share of its words (title, body, captions) that
  are positive and negative in the lexicon, in percent; tone = positive - negative (-100 to
  100, news mostly -10 to 5), polarity = positive + negative (how emotional), word count;
- a quote's tone: VADER's compound score of its text (-1 to 1, its rules applied);
- an entity's tone in an article: the mean compound score of the sentences that name it.

What it measures is the words, not the stance: "the attack was condemned" is negative
whoever is condemned; sarcasm, irony and domain terms ("a negative test", "crude oil") fool
it; a lexicon made for social media rates news words ("killed", "crisis") by their everyday
feeling. Compare tone across entities, outlets and weeks, not as an absolute verdict.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


@dataclass(frozen=True)
class ArticleTone:
    tone: float  # positive - negative, percent of words
    positive: float  # percent of words the lexicon rates positive
    negative: float  # percent of words it rates negative
    polarity: float  # positive + negative
    words: int


@lru_cache(maxsize=1)
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def article_tone(texts: Sequence[str]) -> ArticleTone:
    """GDELT's document tone of the article's texts."""
    lexicon = _analyzer().lexicon
    words = [w.lower().replace("’", "'") for text in texts for w in _WORD.findall(text)]
    if not words:
        return ArticleTone(0.0, 0.0, 0.0, 0.0, 0)
    positive = sum(1 for w in words if lexicon.get(w, 0) > 0)
    negative = sum(1 for w in words if lexicon.get(w, 0) < 0)
    pos, neg = 100 * positive / len(words), 100 * negative / len(words)
    return ArticleTone(round(pos - neg, 3), round(pos, 3), round(neg, 3), round(pos + neg, 3), len(words))


@lru_cache(maxsize=1 << 14)
def compound(text: str) -> float:
    """VADER's compound score of a text, -1 (most negative) to 1 (most positive)."""
    return round(_analyzer().polarity_scores(text)["compound"], 4)
