"""Sentences of news text without a parser: where they end, past abbreviations ("Mr. Obama",
"John D. Rockefeller", "(D-Md.)", "U.S."), for the quotation rules and the tone."""

from __future__ import annotations

import re

# Full stops that end no sentence: titles, initials, state and party tags ("Mr. Obama",
# "John D. Rockefeller", "(D-Md.)", "U.S."). The patterns read a copy of the text where
# these are masked, so a speaker phrase may hold them.
_ABBREVIATION_DOT = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Sen|Sens|Rep|Reps|Gov|Lt|Gen|Col|Sgt|Capt|Cmdr|Adm|Maj|Jr|Sr|St|Prof|Rev|Gov|Supt|Det|"
    r"Inc|Corp|Co|Ltd|No|vs|Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Ky|La|Md|Mass|Mich|Minn|Miss|"
    r"Mo|Mont|Neb|Nev|Okla|Ore|Pa|Tenn|Tex|Va|Vt|Wash|Wis|Wyo)(\.)|\b[A-Z](\.)(?=\s?[A-Z])|(?<=\b[A-Z]\.[A-Z])(\.)"
)
MASK = "·"


def masked(text: str) -> str:
    """The text with its abbreviations' full stops masked (same length, same offsets)."""
    chars = list(text)
    for m in _ABBREVIATION_DOT.finditer(text):
        for group in (1, 2, 3):
            if m.start(group) >= 0:
                chars[m.start(group)] = MASK
    return "".join(chars)


# A sentence ends at . ! or ? (and closing marks) before a capital or an opening quote; the
# text is read masked (masked()), so an abbreviation's full stop ends nothing.
SENTENCE_END = re.compile(r"[.!?]+[”\"’)]*\s+(?=[A-Z“\"])")


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of text[start:end], as offsets into text (the text read masked)."""
    read = masked(text[start:end])
    bounds = [0] + [m.end() for m in SENTENCE_END.finditer(read)] + [end - start]
    return [(start + s, start + e) for s, e in zip(bounds, bounds[1:]) if text[start + s : start + e].strip()]
