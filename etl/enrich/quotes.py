"""Quotations: who said what, in one article.

Rules over the article's text and its entities (no parser), in three passes:

1. Quotation marks are paired within each paragraph: curly (“ ”), straight ("), guillemets
   (« »). A quote that runs over paragraphs, as news style writes it, opens each paragraph
   and closes only in the last: an unclosed quote ends with its paragraph, and the next
   paragraph's quote continues it (same speaker).
2. A quoted span is a direct quote when it is a statement of its own (it starts a sentence
   or follows a colon or a cue, or ends with the sentence's punctuation inside the marks,
   four words or more); else it is partly quoted paraphrase ("mixed": `called it “a
   disgrace”`). Its cue and speaker are read next to it: `,” he said`, `,” said David
   Plouffe, the architect of ...`, `Trump said: “`; an interrupted quote (`“...,” she said.
   “...”`) and the next paragraph's quote with no cue of its own keep the speaker.
3. Indirect attributions: sentences without quotation marks that say who said it: `X said
   (that) ...`, `..., X said.`, `according to X, ...`.

A speaker is its mention as written (a name, "he", "the spokesman") and the entity it
stands for in the article: the entity whose mention it is, or for a pronoun or a role noun
the nearest person (an organisation for "the ministry", "it") named before it; a pronoun's
speaker is the previous quote's when that was a person.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from etl.calendar_words import WEEKDAYS
from etl.enrich.sentences import MASK, SENTENCE_END, masked

SPEECH_VERBS = (
    "said|says|say|told|tells|tell|added|adds|wrote|writes|asked|asks|continued|continues|recalled|recalls|"
    "explained|explains|noted|notes|argued|argues|insisted|insists|declared|declares|stated|states|warned|warns|"
    "replied|replies|responded|responds|tweeted|posted|testified|testifies|acknowledged|acknowledges|"
    "claimed|claims|conceded|concedes|admitted|admits|announced|announces|joked|jokes|quipped|remarked|"
    "observed|observes|predicted|predicts|promised|promises|complained|complains|suggested|suggests|"
    "contended|contends|maintained|maintains|emphasized|emphasised|stressed|stresses|cautioned|cautions|"
    "countered|counters|concluded|concludes|reported|reports|recounted|recounts|shouted|yelled|chanted|"
    "whispered|boasted|boasts|commented|comments|urged|urges|wondered|pleaded|demanded|vowed|pledged|sang|"
    "sings|read|reads|pointed out|went on"
)
# The same verbs as a participle after the speaker's own clause: "Trump attacked Clinton, saying, “".
PARTICIPLES = (
    "saying|adding|asking|telling|writing|tweeting|noting|arguing|explaining|insisting|declaring|warning|"
    "shouting|chanting|singing|calling|replying|responding|recalling|boasting|joking|claiming|stating"
)
_VERB = rf"(?:{SPEECH_VERBS})"
# Indirect speech also reports what someone thinks, finds or wants: "X believes that",
# "a poll found that", "the report shows".
REPORTING_VERBS = (
    "believes|believe|believed|thinks|think|thought|found|finds|find|shows|showed|show|wants|want|wanted|"
    "hopes|hope|hoped|expects|expect|expected|fears|fear|feared|estimates|estimated|agreed|agrees|agree|"
    "called for|calls for|cited|cites|urged|urges|denied|denies|confirmed|confirms|indicated|indicates|"
    "revealed|reveals|alleged|alleges|accused|accuses|charged|charges|insist|argue|note|claim|know|knows|knew|"
    "learned|has learned|has said|have said|had said|has argued|has called for|would say|will say"
)
_INDIRECT_VERB = rf"(?:{SPEECH_VERBS}|{REPORTING_VERBS})"
PRONOUNS = {"he", "she", "they", "i", "we", "it", "you"}
# Institutions a speaker may be ("the ministry said"): a pronoun or a role of these kinds
# stands for the nearest organisation, any other for the nearest person.
ORG_ROLES = (
    "ministry|department|agency|company|firm|campaign|committee|group|government|office|bank|party|police|"
    "court|army|white house|administration|council|organization|organisation|union|report|ruling|statement|"
    "newspaper|paper|magazine|network|website|site|fund|board|commission|institute|university|center|centre"
)
# What speaks for whoever issued it: "the statement said" after the State Department's quote.
DOCUMENTS = {"statement", "report", "release", "letter", "ruling", "filing", "memo", "announcement", "notice"}
# Words a speaker phrase may hold between the quote and the cue (no sentence punctuation):
# "he", "Trump", "IMF chief economist Maury Obstfeld", "the band leader", "Obama's former
# campaign strategist", "Scott Pruitt, the Republican attorney general of Oklahoma,".
_PHRASE = r"[^.!?“”\"\n;:]{1,90}?"
_ADVERB = (
    r"(?:(?:also|then|later|often|once|again|further|quickly|simply|flatly|repeatedly|has|had|have|was|would|will)\s+)?"
)
# After a quote: ", he said", " said David Plouffe, the architect of ...", " my father often said".
_AFTER_SPEAKER_VERB = re.compile(rf"[\s,]*(?P<speaker>{_PHRASE})(?:,)?\s+{_ADVERB}(?P<cue>{_VERB})\b")
_AFTER_VERB_SPEAKER = re.compile(rf"[\s,]*(?P<cue>{_VERB})\s+(?P<speaker>[^,.!?“”\"\n;:()]{{1,60}})")
# A quote signed with a dash: "“...” — Pamela Padilla".
_AFTER_DASH = re.compile(r"\s*(?P<cue>[—―–]|--)\s*(?P<speaker>[A-Z][^,.!?“”\"\n;:()]{1,60})")
# Before a quote, in its sentence: "Trump said: “", "the announcer said, “", "Said Ellis: “",
# "Trump attacked Clinton ..., saying, “", "a friend commented: “".
_BEFORE = re.compile(
    rf"(?:^|[,;]\s+|\b(?:and|but|as|while|when)\s+)(?P<speaker>{_PHRASE})\s+{_ADVERB}(?P<cue>{_VERB})\b[^.!?“”\"]{{0,60}}?[:,]?\s*$"
)
_BEFORE_AT = re.compile(
    rf"(?P<speaker>{_PHRASE})\s+{_ADVERB}(?:\w+\s+and\s+)?(?P<cue>{_VERB})\b[^.!?“”\"]{{0,60}}?[:,]?\s*$"
)
_BEFORE_INVERTED = re.compile(rf"(?P<cue>Said|Says|Asked|Added|Wrote)\s+(?P<speaker>{_PHRASE})[:,]?\s*$")
_BEFORE_PARTICIPLE = re.compile(
    rf"(?P<speaker>[^,;]{{1,60}}?)\s+[a-z]\w*\b[^.!?“”\"]*,\s+(?P<cue>{PARTICIPLES})[,:]?\s*$"
)
# Indirect: "X said (that) ...", "..., X said.", "according to X, ...", "..., according to X."
_INDIRECT_LEAD = re.compile(
    rf"(?P<speaker>{_PHRASE})\s+{_ADVERB}(?P<cue>{_INDIRECT_VERB})(?:\s+(?!that\b)\w+){{0,3}}?\s+(?:that\s+)?(?P<content>.{{12,}})$"
)
# "..., X said." and "It was, the president said, a stone ..." (the attribution inside).
_INDIRECT_TAIL = re.compile(
    rf"^(?P<content>.{{12,}}?),\s+(?P<speaker>{_PHRASE})\s+{_ADVERB}(?P<cue>{_INDIRECT_VERB})\b(?:[^,]{{0,40}}$|[^,]{{0,30}},\s+(?P<rest>.{{8,}})$)"
)
_ACCORDING_LEAD = re.compile(r"^(?P<cue>[Aa]ccording to)\s+(?P<speaker>[^,]{1,80}),\s+(?P<content>.{12,})$")
_ACCORDING_TAIL = re.compile(r"^(?P<content>.{12,}?),?\s+(?P<cue>according to)\s+(?P<speaker>[^,.]{1,80})")

OPENING, CLOSING = "“«", "”»"
DIRECT_MIN_WORDS = 4


@dataclass
class Quote:
    start: int  # the content, without its quotation marks (an indirect one: the reported clause)
    end: int
    kind: str  # direct | mixed | indirect
    cue: tuple[int, int] | None = None
    speaker: tuple[int, int] | None = None  # the speaker's mention as written
    entity: int | None = None  # index of the speaker's entity in the article's entities
    tone: float | None = None  # VADER's compound score of its text (etl/enrich/tone.py)

    @property
    def direct(self) -> bool:
        return self.kind == "direct"


def find_quotes(text: str, paragraphs: Sequence[tuple[int, int]], entities: Sequence) -> list[Quote]:
    """Every quotation of an article: paragraphs are (start, end) offsets into `text` of the
    segments read (body and captions); entities the article's (their mentions' offsets)."""
    mentions = sorted(((m.start, m.end, i, e.type) for i, e in enumerate(entities) for m in e.mentions))
    # Offsets unchanged; only the patterns read this copy: abbreviations' full stops masked,
    # and a doubled apostrophe (''...'', some newspapers' quotation marks) read as one mark.
    text = masked(text).replace("''", '"' + MASK)
    quotes: list[Quote] = []
    previous: Quote | None = None  # the last direct quote, for a quote without its own cue
    carried = False  # the previous paragraph's quote ran on unclosed
    for start, end in paragraphs:
        spans, runs_on = _quoted_spans(text, start, end)
        in_paragraph = []
        for i, (s, e) in enumerate(spans):
            q = Quote(s, e, _kind(text, start, s, e))
            if q.direct:
                _attribute(text, q, start, end, mentions)
                if (
                    q.speaker is None
                    and previous is not None
                    and (in_paragraph or (i == 0 and carried) or _opens(text, start, s))
                ):
                    q.cue, q.speaker, q.entity = None, previous.speaker, previous.entity
                if q.speaker is not None:
                    q.entity = _speaker_entity(text, q.speaker, mentions, previous)
                    previous = q
            in_paragraph.append(q)
        quotes.extend(in_paragraph)
        quotes.extend(_indirect(text, start, end, mentions, previous, skip=spans))
        carried = runs_on
    return sorted(quotes, key=lambda q: q.start)


def _quoted_spans(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], bool]:
    """The quoted stretches of one paragraph (content without its marks), and whether its
    last quote is left open (it runs on into the next paragraph)."""
    spans, open_at = [], None
    for i in range(start, end):
        ch = text[i]
        if ch in OPENING or (ch == '"' and open_at is None):
            if open_at is None:
                open_at = i
        elif ch in CLOSING or ch == '"':
            if open_at is not None:
                spans.append((open_at + 1, i))
                open_at = None
            elif not spans and text[start:i].strip():
                spans.append((start, i))  # closes a quote the paragraph did not open
    runs_on = open_at is not None
    if runs_on:
        spans.append((open_at + 1, end))
    return [(s, e) for s, e in spans if text[s:e].strip()], runs_on


def _kind(text: str, paragraph_start: int, s: int, e: int) -> str:
    """direct: a statement of its own; mixed: quoted words inside the writer's sentence."""
    words = len(re.findall(r"\w+", text[s:e]))
    if words < DIRECT_MIN_WORDS:
        return "mixed"
    before = text[paragraph_start : max(paragraph_start, s - 1)].rstrip()
    starts_statement = (
        not before or before[-1] in ".!?:" or re.search(rf"\b{_VERB}\b[^.!?]{{0,40}},?$", before) is not None
    )
    ends_sentence = text[max(s, e - 1) : e + 1] and re.search(r"[.!?,]$", text[s:e].rstrip()) is not None
    return "direct" if starts_statement or (ends_sentence and text[s].isupper()) else "mixed"


def _opens(text: str, paragraph_start: int, s: int) -> bool:
    """The paragraph opens with this quote."""
    return not text[paragraph_start : max(paragraph_start, s - 1)].strip()


def _attribute(text: str, q: Quote, start: int, end: int, mentions) -> None:
    """The quote's cue and speaker mention, read after it, else before it."""
    after_at = q.end + 1
    after = text[after_at : min(end, after_at + 160)]
    after = after[: m.start() + 1] if (m := SENTENCE_END.search(after)) else after
    for pattern in (_AFTER_SPEAKER_VERB, _AFTER_VERB_SPEAKER, _AFTER_DASH):
        m = pattern.match(after)
        if m and _plausible(m.group("speaker")):
            q.cue = (after_at + m.start("cue"), after_at + m.end("cue"))
            q.speaker = _trim(text, after_at + m.start("speaker"), after_at + m.end("speaker"))
            return
    sentence_start = _sentence_start(text, start, q.start)
    before = text[sentence_start : max(sentence_start, q.start - 1)]
    if not before.strip():
        # "He said:" closing the paragraph before: the quote is the next paragraph.
        lead = text[max(0, start - 200) : start].rstrip()
        if lead.endswith(":"):
            sentence_start = max(0, start - 200) + _sentence_start(lead, 0, len(lead))
            before = text[sentence_start : sentence_start + len(lead) - _sentence_start(lead, 0, len(lead))]
    for pattern in (_BEFORE_INVERTED, _BEFORE, _BEFORE_PARTICIPLE):
        m = _first_plausible(pattern, before)
        if m:
            q.cue = (sentence_start + m.start("cue"), sentence_start + m.end("cue"))
            q.speaker = _trim(text, sentence_start + m.start("speaker"), sentence_start + m.end("speaker"))
            return


def _first_plausible(pattern: re.Pattern, clause: str) -> re.Match | None:
    """The pattern's match from the earliest clause boundary (the start, after a comma, a
    semicolon or a conjunction) whose speaker is plausible: "During the speech, Trump said"."""
    # Clause boundaries, then the start of each capitalised word ("In a Bloomberg interview
    # Trump declared").
    starts = [0] + [m.end() for m in re.finditer(r"[,;]\s+|\b(?:and|but|as|while|when|which)\s+", clause)]
    starts += [m.start() for m in re.finditer(r"(?<=\s)[A-Z]", clause)]
    for at in starts:
        m = _BEFORE_AT.match(clause, at) if pattern is _BEFORE else pattern.match(clause, at)
        if m and _plausible(m.group("speaker")):
            return m
    return None


_NOT_SPEAKERS = {
    "but",
    "and",
    "so",
    "then",
    "this",
    "that",
    "these",
    "those",
    "there",
    "the",
    "a",
    "an",
    "when",
    "while",
    "as",
    "if",
    "yesterday",
    "today",
    "later",
    "earlier",
    "in",
    "on",
    "also",
    "what",
    "who",
    "which",
    "where",
    "why",
    "how",
    "during",
    "at",
    "after",
    "before",
    "to",
    "for",
    "with",
    "from",
    "by",
    "of",
    "about",
    "under",
    "over",
    "since",
    "although",
    "though",
    "because",
    "meanwhile",
    "still",
    "yet",
    "now",
    "here",
    "instead",
    "asked",
    "last",
    "next",
    "once",
    "even",
    "just",
    "only",
    "not",
    "no",
    "all",
    "both",
    "each",
    "every",
    # Sentence adverbs and prepositions that open a clause before its speaker.
    "specifically",
    "regarding",
    "however",
    "additionally",
    "separately",
    "furthermore",
    "moreover",
    "similarly",
    "likewise",
    "finally",
    "indeed",
    "overall",
    "again",
} | set(WEEKDAYS)


def _plausible(speaker: str) -> bool:
    """A speaker phrase: a pronoun, a name, or a determiner and a noun ("the announcer"); not
    a sentence's opening word that only looks like a name ("But", "Monday") nor a clause."""
    words = speaker.split()
    if not words or len(words) > 14:
        return False
    first = words[0].strip("(,;:").lower()
    if first in PRONOUNS:
        return len(words) == 1
    if first in {"the", "a", "an", "his", "her", "their", "its", "my", "our", "one", "another", "some", "two", "three"}:
        return len(words) <= 8 and not re.search(r"\b(?:that|which|who|because|if)\b", speaker)
    if first in _NOT_SPEAKERS:
        return False
    if not words[0][0].isupper() and not any(w[0].isupper() for w in words[1:]):
        # A group: "experts", "top black lawmakers", "those close to him".
        return (
            len(words) <= 4
            and (words[-1].endswith("s") or first == "those")
            and not re.search(r"\b(?:that|who|which)\b", speaker)
        )
    return not re.search(r"\b(?:that|because|if|when)\b", speaker)


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while e > s and text[e - 1] in " ,":
        e -= 1
    return (s, e)


def _sentence_start(text: str, paragraph_start: int, at: int) -> int:
    starts = [paragraph_start] + [paragraph_start + m.end() for m in SENTENCE_END.finditer(text[paragraph_start:at])]
    return starts[-1]


def _speaker_entity(text: str, speaker: tuple[int, int], mentions, previous: Quote | None) -> int | None:
    """The entity a speaker mention stands for: the entity whose mention it overlaps; for a
    pronoun or a role noun, the previous quote's person, else the nearest entity before it
    of the right kind (a person; an organisation for "it", "they" and institutions)."""
    s, e = speaker
    # A phrase naming several ("IMF chief economist Maury Obstfeld"): its last person, else its last entity.
    inside = [(etype == "PERSON", ms, i) for ms, me, i, etype in mentions if ms < e and s < me]
    if inside:
        return max(inside)[2]
    words = text[s:e].lower().split()
    institution = words[0] in {"it"} or (
        len(words) > 1 and re.search(rf"\b(?:{ORG_ROLES})$", " ".join(words)) is not None
    )
    # "he" after a person's quote is that person; "the statement" after a quote is its speaker's.
    document = len(words) > 1 and words[-1] in DOCUMENTS
    if (
        previous is not None
        and previous.entity is not None
        and ((words[0] in PRONOUNS and not institution) or document)
    ):
        return previous.entity
    wanted = {"ORG"} if institution else {"PERSON"}
    before = [i for ms, me, i, etype in mentions if me <= s and etype in wanted]
    return before[-1] if before else None


def _indirect(
    text: str, start: int, end: int, mentions, previous: Quote | None, skip: Sequence[tuple[int, int]] = ()
) -> list[Quote]:
    """Attributions without quotation marks, sentence by sentence ("X said that ...")."""
    out = []
    s = start
    bounds = [start + m.end() for m in SENTENCE_END.finditer(text[start:end])] + [end]
    for e in bounds:
        sentence = text[s:e].rstrip()
        if sentence and not any(qs - 1 <= s + len(sentence) and s <= qe + 1 for qs, qe in skip):
            q = _indirect_one(text, s, sentence)
            if q is not None:
                q.entity = _speaker_entity(text, q.speaker, mentions, previous)
                out.append(q)
        s = e
    return out


def _indirect_one(text: str, s: int, sentence: str) -> Quote | None:
    for pattern in (_ACCORDING_LEAD, _ACCORDING_TAIL, _INDIRECT_TAIL, _INDIRECT_LEAD):
        m = pattern.match(sentence) if pattern is not _INDIRECT_LEAD else _first_plausible(pattern, sentence)
        if m and _plausible(m.group("speaker")):
            cs, ce = m.span("content")
            if pattern is _INDIRECT_TAIL and m.group("rest"):
                ce = m.end("rest")  # the attribution sits inside what was said
            content = sentence[cs:ce].rstrip(" .")
            return Quote(
                s + cs,
                s + cs + len(content),
                "indirect",
                (s + m.start("cue"), s + m.end("cue")),
                _trim(text, s + m.start("speaker"), s + m.end("speaker")),
            )
    return None
