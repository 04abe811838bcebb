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
   (that) ...`, `X criticized the plan`, `..., X said.`, `..., said X, the ...`, `It was, X
   said, ...`, `according to X, ...`; a participle clause after a speaker's clause or quote
   (`..., saying (that) ...`, `,” he said, adding ...`); and the headline's (`X: ...`, `X Says
   ...`, `..., X Says`).

A speaker is its mention as written (a name, "he", "the spokesman") and the entity it
stands for in the article: the entity whose mention it is, or for a pronoun or a role noun
the nearest person (an organisation for "the ministry", "it") named before it; a pronoun's
speaker is the previous quote's when that was a person.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from etl.calendar_words import MONTHS, WEEKDAYS
from etl.enrich.sentences import MASK, SENTENCE_END, masked
from etl.names import fold

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
# And what someone's words do to a person, a plan or an idea (PolNeAR's attributions take
# these too): "X criticized the plan", "X called on Congress to act", "X declined to comment".
STANCE_VERBS = (
    "criticized|criticizes|criticize|praised|praises|praise|attacked|attacks|attack|called on|calls on|"
    "called|calls|described|describes|describe|declined|declines|rejected|rejects|reject|questioned|"
    "questions|mentioned|mentions|proposed|proposes|propose|defended|defends|defend|endorsed|endorses|"
    "endorse|supported|supports|support|opposed|opposes|oppose|backed|backs|dismissed|dismisses|blamed|"
    "blames|blame|offered|offers|referred to|refers to|pointed to|points to|talked about|talks about|"
    "discussed|discusses|expressed|expresses|disputed|disputes|touted|touts|hailed|hails|condemned|"
    "condemns|condemn|slammed|slams|blasted|blasts|highlighted|highlights|recommended|recommends|sought|"
    "seeks|seek|refused|refuses|mocked|mocks|challenged|challenges|welcomed|welcomes|lamented|laments|"
    "decried|decries|denounced|denounces|reiterated|reiterates|asserted|asserts|disclosed|discloses|"
    "vowed|vows|pledged|pledges|demanded|demands|accepted|accepts|acknowledge|admit|deny|"
    "announce|promise|warn|urge|suggest|predict|recommend|propose"
)
# Without quotation marks, "states" is mostly the noun ("in 30 states") and "continues" mostly
# "continues to (grow)".
_INDIRECT_VERB = rf"(?!(?:states|continues|continued)\b)(?:{SPEECH_VERBS}|{REPORTING_VERBS}|{STANCE_VERBS})"
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
# "..., X said." and "It was, the president said, a stone ..." (the attribution inside), tried
# at each comma in turn: "..., especially one considered an adversary, she said" is her's.
# The speaker holds no comma but may close an appositive ("Mark Jones, a political
# scientist at Rice, said"); what follows the cue is a modifier ("on Tuesday", "in a
# statement"), the cue's object ("told reporters") or the rest of what was said.
_INDIRECT_TAIL = re.compile(
    rf",\s+(?P<speaker>[^,.!?“”\"\n;:]{{1,90}}?),?\s+{_ADVERB}(?P<cue>{_INDIRECT_VERB})\b(?P<after>[^,]{{0,50}}?)"
    rf"(?:,\s+(?P<rest>[^,].{{7,}}))?[.!?]?$"
)
# "..., said Mark Jones, a political scientist at Rice University."
_INDIRECT_TAIL_INVERTED = re.compile(
    r",\s+(?P<cue>said|says|added|adds|wrote|writes|explained|noted|argued|recalled|warned)\s+"
    r"(?P<speaker>[^,.!?“”\"\n;:]{1,60}?)(?:,\s+[^,]{1,120})?[.!?]?$"
)
# What may follow a closing cue without being said: a time, a place, a medium, a manner.
_MODIFIER = re.compile(
    r"(?:on|in|at|during|last|this|that|earlier|later|yesterday|today|recently|before|after|when|while|from|"
    r"by|with|through|over|to|of|about|afterward|privately|publicly|repeatedly|again|\d+|"
    + "|".join(WEEKDAYS)
    + "|"
    + "|".join(MONTHS)
    + r")\b",
    re.IGNORECASE,
)
# Cues whose object may follow them in the closing attribution: "..., he told reporters."
_OBJECT_CUES = {"told", "tells", "tell", "asked", "asks", "wrote", "writes", "warned", "warns", "reminded"}
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


def find_quotes(
    text: str, paragraphs: Sequence[tuple[int, int]], entities: Sequence, headline: tuple[int, int] | None = None
) -> list[Quote]:
    """Every quotation of an article: paragraphs are (start, end) offsets into `text` of the
    segments read (body and captions), headline its title's; entities the article's (their
    mentions' offsets)."""
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
            if _is_title(text, start, s, e):
                continue
            q = Quote(s, e, _kind(text, start, s, e))
            label = _SPEAKER_LABEL.match(text, s, e)
            if label:  # a transcript's line: "PENCE: Well, look, ..."
                q = Quote(label.end(), e, "direct", label.span("cue"), label.span("speaker"))
                q.entity = _labelled_entity(text, q.speaker, mentions)
                previous = q
            elif q.direct:
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
        quotes.extend(_indirect(text, start, end, mentions, previous, in_paragraph))
        carried = runs_on
    said = _headline_quote(text, *headline) if headline else None
    if said is not None:
        said.entity = _speaker_entity(text, said.speaker, mentions, None)
        quotes.append(said)
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


# A quoted name after a preposition or a possessive: "on CNN's “State of the Union”",
# "an episode of “The Morning Show,”", "taking part in “Election Day,”".
_BEFORE_TITLE = re.compile(r"(?:\b(?:of|on|in|at|for|to|from|with|by|about|called|titled|dubbed)|['’]s?)\s*[“\"«]?$")


def _is_title(text: str, paragraph_start: int, s: int, e: int) -> bool:
    """A title in quotation marks (a show, a book, an event), not a quotation: a few words
    in title case, after a preposition or a possessive."""
    words = re.findall(r"[A-Za-z][\w'’-]*", text[s:e])
    if not 1 <= len(words) <= 8 or any(w[0].islower() and len(w) > 3 for w in words):
        return False
    return _BEFORE_TITLE.search(text[max(paragraph_start, s - 30) : s]) is not None


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


def _first_plausible(pattern: re.Pattern, clause: str, also=lambda speaker: True) -> re.Match | None:
    """The pattern's match from the earliest clause boundary (the start, after a comma, a
    semicolon or a conjunction) whose speaker is plausible: "During the speech, Trump said"."""
    # Clause boundaries, then the start of each capitalised word ("In a Bloomberg interview
    # Trump declared").
    starts = [0] + [m.end() for m in re.finditer(r"[,;]\s+|\b(?:and|but|as|while|when|which)\s+", clause)]
    starts += [m.start() for m in re.finditer(r"(?<=\s)[A-Z]", clause)]
    for at in starts:
        m = _BEFORE_AT.match(clause, at) if pattern is _BEFORE else pattern.match(clause, at)
        if m and _plausible(m.group("speaker")) and also(m.group("speaker")):
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


def _plausible(speaker: str, closing: bool = False) -> bool:
    """A speaker phrase: a pronoun, a name, or a determiner and a noun ("the announcer"); not
    a sentence's opening word that only looks like a name ("But", "Monday") nor a clause.
    Closing a sentence (", police said.") a bare noun or two is one too ("police", "aides")."""
    words = speaker.split()
    if closing and 1 <= len(words) <= 3 and all(w.isalpha() and w.islower() for w in words):
        if words[0] not in _NOT_SPEAKERS and words[0] not in PRONOUNS:
            return True
    if not words or len(words) > 14:
        return False
    first = words[0].strip("(,;:").lower()
    if re.fullmatch(r"[A-Z][^,]*,\s+(?:the|a|an)\s+[^,]+,?", speaker.strip()) and first not in _NOT_SPEAKERS:
        return True  # a name and its appositive: "Acme Corp., the company that runs the mine,"
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


# A transcript's speaker label opening a quoted line: "PENCE:", "SEN. KAINE:", "Q:" is not one.
_SPEAKER_LABEL = re.compile(r"(?P<speaker>[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3})(?P<cue>:)\s+")


def _labelled_entity(text: str, label: tuple[int, int], mentions) -> int | None:
    """The entity a transcript label names: its mention, else the person the article names
    with that surname ("PENCE" -> Mike Pence)."""
    s, e = label
    inside = [i for ms, me, i, _t in mentions if ms < e and s < me]
    if inside:
        return inside[-1]
    surname = fold(text[s:e].split()[-1])
    people = {i for ms, me, i, etype in mentions if etype == "PERSON" and fold(text[ms:me].split()[-1]) == surname}
    return people.pop() if len(people) == 1 else None


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
    text: str, start: int, end: int, mentions, previous: Quote | None, quoted: Sequence[Quote] = ()
) -> list[Quote]:
    """Attributions without quotation marks, sentence by sentence ("X said that ..."), and the
    participle clause that follows a speaker's clause ("..., saying that ...")."""
    out = []
    s = start
    bounds = [start + m.end() for m in SENTENCE_END.finditer(text[start:end])] + [end]
    for e in bounds:
        sentence = text[s:e].rstrip()
        inside = [q for q in quoted if q.start - 1 <= s + len(sentence) and s <= q.end + 1]
        found = []
        if sentence and not inside:
            q = _indirect_one(text, s, sentence)
            if q is not None:
                q.entity = _speaker_entity(text, q.speaker, mentions, previous)
                found.append(q)
        # "..., saying ...": after the sentence's last quotation, or in a sentence without one.
        after = max((q.end + 1 for q in inside), default=s)
        p = _participle(text, after, text[after : s + len(sentence)], found, inside, mentions, s)
        if p is not None:
            found = [_cut(text, q, p.cue[0]) for q in found] + [p]
            p.entity = _speaker_entity(text, p.speaker, mentions, previous)
        out.extend(q for q in found if q.end - q.start >= 12)
        s = e
    return out


def _cut(text: str, q: Quote, at: int) -> Quote:
    """The attribution's content ends before a participle clause that says more."""
    if q.start < at < q.end:
        q.end = at
        while q.end > q.start and text[q.end - 1] in " ,":
            q.end -= 1
    return q


# "..., saying (that) ...": the speaker's own clause goes on with what else they said.
_PARTICIPLE = re.compile(
    r",\s+(?:and\s+)?(?P<cue>saying|adding|arguing|noting|citing|claiming|promising|suggesting|warning|insisting|"
    r"explaining|telling|asking|urging|accusing|blaming|praising|criticizing|criticising|describing|declaring|"
    r"announcing|vowing|pledging|stating|asserting|contending|acknowledging|admitting|denying|predicting|"
    r"complaining|charging|questioning|emphasizing|stressing|recalling|threatening|demanding|calling for|"
    r"calling on|calling|pointing out|referring to)\b(?:\s+that\b)?\s+(?P<content>[^,].{10,})$"
)


def _participle(text, at, clause, found, inside, mentions, sentence_start) -> Quote | None:
    """The participle clause of a sentence and its speaker: the speaker of the sentence's
    attribution or quotation, else the subject it opens with (its first name or pronoun)."""
    m = _PARTICIPLE.search(clause)
    if m is None:
        return None
    cue = (at + m.start("cue"), at + m.end("cue"))
    speaker = next((q.speaker for q in inside + found if q.speaker is not None), None)
    if speaker is None:
        speaker = _subject_of(text, sentence_start, cue[0], mentions)
    if speaker is None:
        return None
    content = clause[m.start("content") :].rstrip(" .")
    return Quote(at + m.start("content"), at + m.start("content") + len(content), "indirect", cue, speaker)


def _subject_of(text: str, s: int, e: int, mentions) -> tuple[int, int] | None:
    """The first name or pronoun of text[s:e], as its subject."""
    pronoun = re.search(r"(?:^|(?<=, ))(?:he|she|they|it|we|I|He|She|They|It|We)\b", text[s:e])
    first = next(((ms, me) for ms, me, _i, etype in mentions if s <= ms and me <= e and etype in _SPEAKER_TYPES), None)
    if pronoun is not None and (first is None or s + pronoun.start() < first[0]):
        return (s + pronoun.start(), s + pronoun.end())
    return first


_SPEAKER_TYPES = {"PERSON", "ORG", "NORP", "GPE"}


# A headline's attribution: "Mayor: Budget Cuts Are Over", "Mayor Says Budget Cuts Are Over",
# "Budget Cuts Are Over, Mayor Says".
_HEADLINE_COLON = re.compile(r"^(?P<speaker>[A-Z][^:;.!?]{1,50}?)(?P<cue>:)\s+(?P<content>.{8,})$")
_HEADLINE_LEAD = re.compile(
    rf"^(?P<speaker>[A-Z][^:;,.!?]{{1,50}}?)\s+(?P<cue>(?i:{_INDIRECT_VERB}))\s+(?:[Tt]hat\s+)?(?P<content>.{{8,}})$"
)
_HEADLINE_TAIL = re.compile(rf"^(?P<content>.{{8,}}),\s+(?P<speaker>[A-Z][^,]{{1,50}}?)\s+(?P<cue>(?i:{_VERB}))[.!?]?$")


def _headline_quote(text: str, start: int, end: int) -> Quote | None:
    """The attribution of the article's headline (text[start:end])."""
    line = text[start:end].strip()
    if not line or "\n" in line or '"' in line or "“" in line:
        return None
    origin = start + text[start:end].index(line)
    at = 0
    colon = _HEADLINE_COLON.match(line)
    if colon and not _speaker_label(colon.group("speaker")):
        at = colon.start("content")  # "The Latest: Mayor urges ...": the mayor's, if so written
    for pattern in (_HEADLINE_TAIL, _HEADLINE_LEAD, _HEADLINE_COLON):
        m = pattern.match(line[at:]) if pattern is not _HEADLINE_COLON else colon
        shift = origin + (at if pattern is not _HEADLINE_COLON else 0)
        if m and len(m.group("speaker").split()) <= 6 and not _speaker_label(m.group("speaker")):
            if pattern is _HEADLINE_COLON and line.endswith("?"):
                return None  # "Mayor: hero or villain?" asks; it reports no one's words
            content = m.group("content").rstrip(" .")
            return Quote(
                shift + m.start("content"),
                shift + m.start("content") + len(content),
                "indirect",
                (shift + m.start("cue"), shift + m.end("cue")),
                _trim(text, shift + m.start("speaker"), shift + m.end("speaker")),
            )
    return None


def _speaker_label(speaker: str) -> bool:
    """A headline's label, not a speaker: "BREAKING", "The Latest", "Revealed"."""
    words = speaker.split()
    return (
        speaker.isupper() or words[0] == "The" or (len(words) == 1 and re.search(r"(?:ed|ing)$", words[0]) is not None)
    )


def _indirect_one(text: str, s: int, sentence: str) -> Quote | None:
    for pattern in (_ACCORDING_LEAD, _ACCORDING_TAIL):
        m = pattern.match(sentence)
        if m and _plausible(m.group("speaker")):
            return _indirect_quote(text, s, sentence, m, m.span("content"))
    m = _tail(sentence)
    if m is not None:
        rest = m.groupdict().get("rest")
        content = (0, m.end("rest")) if rest else (0, m.start())
        return _indirect_quote(text, s, sentence, m, content)
    m = _first_plausible(_INDIRECT_LEAD, sentence, _subject)
    if m:
        return _indirect_quote(text, s, sentence, m, m.span("content"))
    return None


# Words that end no subject: "his support", "in 30 states", "Sanders' attacks" (the cue is a
# noun there).
_NO_SUBJECT_END = re.compile(
    r"(?:\b(?:the|a|an|his|her|their|its|our|my|your|this|these|those|of|in|for|on|with|by|to|from|at|and|"
    r"or|no|any|some|more|most|many|much|few|recent|new|strong|growing|own|such|[\d,.%]+)|['’]s?)$",
    re.IGNORECASE,
)


def _subject(speaker: str) -> bool:
    """A speaker read before its cue ends as a subject does, not as a noun's modifier."""
    return _NO_SUBJECT_END.search(speaker.strip(" ,")) is None


def _tail(sentence: str) -> re.Match | None:
    """The closing attribution of "..., X said (on Tuesday)." or "..., said X.", or the one
    inside "It was, X said, a stone ...": tried at each comma, the first that reads as one."""
    for comma in (m.start() for m in re.finditer(",", sentence)):
        m = _INDIRECT_TAIL_INVERTED.match(sentence, comma)
        if m and _plausible(m.group("speaker"), closing=True):
            return m
        m = _INDIRECT_TAIL.match(sentence, comma)
        if m and _plausible(m.group("speaker"), closing=True) and _closing(m.group("cue"), m.group("after")):
            return m
    return None


def _closing(cue: str, after: str) -> bool:
    """What follows a closing cue is no clause of its own: nothing, a modifier ("on Tuesday"),
    or the object of a cue that takes one ("told reporters")."""
    after = after.strip()
    if not after:
        return True
    if cue.lower() in _OBJECT_CUES and len(after.split()) <= 6:
        return True
    return _MODIFIER.match(after) is not None and not re.search(r"\b(?:that|he|she|they|it|we|I)\b", after)


def _indirect_quote(text: str, s: int, sentence: str, m: re.Match, content: tuple[int, int]) -> Quote | None:
    cs, ce = content
    body = sentence[cs:ce].rstrip(" .,")
    if len(body) < 12:
        return None
    return Quote(
        s + cs,
        s + cs + len(body),
        "indirect",
        (s + m.start("cue"), s + m.end("cue")),
        _trim(text, s + m.start("speaker"), s + m.end("speaker")),
    )
