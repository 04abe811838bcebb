"""Parse: decoded file bytes -> Article (title, source, author, dateline, publication date, body, captions).

Every piece keeps its character offsets into the decoded text, because entity and date
mentions are stored as offsets into that text. News files come in a few shapes:

    date 2021-03-23 UrduPoint.com            <- optional header: date and outlet
    NOVEMBER 15, 2007, 7: 40 AM              <- or a date/time line before the headline
    ******PREVIEW - Blinken Visiting ...     <- title (first line; flash markers dropped)

    WASHINGTON (UrduPoint News / Sputnik - 23rd March, 2021) US Secretary ...   <- dateline

    LONDON 1996-08-30                        <- a dateline on a line of its own (CoNLL)
    PARIS, March 3 (Reuters) - ...           <- place, date, agency
        By Patti Domm, Reuters               <- a byline: author and agency
        GREAT NECK, N.Y., March 26 - Exovir  <- wire copy: place parts, a date without a year,
    Inc said the European Patent Office...      a body hard-wrapped at ~70 columns
     Reuter                                  <- a one-word sign-off: the agency

Hard-wrapped paragraphs are one segment each (the model reads their line breaks as spaces),
so a name broken over two lines stays one name. Trailing boilerplate ("Leave a Comment",
sign-offs, "(Reporting by ...; Editing by ...)") is cut off, and photo captions that a scraper
glued between two sentences ("...together.”Banners displaying ..., March 18, 2021.After four
years") are split out of the body. A first line that reads as a sentence is body, not a title.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from etl.calendar_dates import calendar_dates
from etl.calendar_words import MONTH_NAME, month_number
from etl.errors import BadInputFile
from etl.names import fold

PARSER_VERSION = "parse-2"

# A month's name in any case ("MARCH 31").
_MONTH = "(?i:" + MONTH_NAME + ")"

# Longer paragraphs are cut into pieces of at most this many characters (at a space), far
# below the model's max_length, so a 5 MB single-line file is read piece by piece.
MAX_SEGMENT_CHARS = 100_000


@dataclass(frozen=True)
class Segment:
    """A stretch of the decoded text that enrichment reads: title, source, dateline, body, caption."""

    start: int
    end: int
    kind: str


@dataclass
class Article:
    text: str
    title: str | None = None
    source: str | None = None
    source_aliases: list[str] = field(default_factory=list)  # the outlet's other spellings in the file
    author: str | None = None  # the byline's or the "(Reporting by ...)" tail's name
    dateline_place: str | None = None
    dateline_agency: str | None = None
    dateline_date: date | None = None
    published: date | None = None
    published_basis: str | None = None  # header | dateline; the pipeline falls back to partition
    body: str = ""
    captions: list[str] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    language: str = "en"


# --------------------------------------------------------------------------- decoding


def decode(data: bytes) -> str:
    """Bytes -> text. UTF-8 first (with or without BOM), UTF-16/32 by BOM, then cp1252.

    Raises BadInputFile for what is not text: empty files, NUL bytes, binary junk.
    """
    if not data.strip():
        raise BadInputFile("empty file (no text, or only whitespace)")
    fallback = False
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as e:
                raise BadInputFile(
                    f"not valid {codec} despite its byte-order mark: {e.reason} at byte {e.start}"
                ) from e
            break
    else:
        if b"\x00" in data:
            raise BadInputFile(f"binary content: NUL byte at offset {data.index(0)}")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Older feeds are Windows-1252 or Latin-1; cp1252 leaves 5 bytes undefined.
            fallback = True
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    if "\x00" in text:
        raise BadInputFile("binary content: NUL character in the decoded text")
    if not text.strip():
        raise BadInputFile("empty file (no text, or only whitespace)")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > max(3, len(text) // 1000):
        raise BadInputFile(f"binary content: {controls} control characters in {len(text)} characters")
    reason = not_text_reason(text, fallback)
    if reason:
        raise BadInputFile(reason)
    return text


def not_text_reason(text: str, single_byte_fallback: bool = False) -> str | None:
    """Why decoded text is not prose, or None: too few letters and digits, or (for a file that
    was not UTF-8) too many characters outside ASCII, as bytes 0x80-0xFF read as cp1252 give."""
    visible = [ch for ch in text if not ch.isspace()]
    if len(visible) < 20:
        return None
    n = len(visible)
    if single_byte_fallback:
        # A Windows-1252 article is Western European prose: mostly ASCII with some accents.
        outside = sum(ord(ch) > 127 for ch in visible)
        if outside > 0.3 * n:
            return f"not text: {outside} of {n} characters outside ASCII in a file that is not UTF-8"
    wordy = sum(ch.isalnum() for ch in visible)
    if wordy < 0.5 * n:
        return f"not text: only {wordy} of {n} characters are letters or digits"
    return None


# --------------------------------------------------------------------------- lines and paragraphs


@dataclass(frozen=True)
class _Line:
    start: int
    end: int  # end of the text, without the line break
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def indented(self) -> bool:
        return not self.blank and self.text[:1].isspace()

    @property
    def width(self) -> int:
        return len(self.text.rstrip())


def _lines(text: str) -> list[_Line]:
    out = []
    for m in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", text):
        raw = m.group(0)
        if not raw and m.start() >= len(text):
            break
        body = raw.rstrip("\r\n")
        out.append(_Line(m.start(), m.start() + len(body), body))
    return out


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past surrounding whitespace (NBSP included)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def is_hard_wrapped(lines: list[_Line]) -> bool:
    """True when line breaks were put in by width (wire copy at ~70 columns), not by paragraph."""
    widths = [ln.width for ln in lines if not ln.blank]
    if len(widths) < 3 or not 50 <= max(widths) <= 100:
        return False
    # Without indented or blank-line paragraphs a line break may end a sentence (one sentence a
    # line, as in CoNLL), so only text that marks its paragraphs is reflowed.
    marked = any(ln.indented for ln in lines) or any(a.blank and not b.blank for a, b in zip(lines[1:], lines[2:]))
    wrap = max(widths)
    return marked and sum(w >= 0.75 * wrap for w in widths) >= 0.5 * len(widths)


def paragraphs(text: str, lines: list[_Line]) -> list[tuple[int, int]]:
    """The paragraphs of lines as (start, end) spans, reflowing hard-wrapped text.

    Unwrapped text: every non-blank line is a paragraph. Hard-wrapped text: a paragraph ends
    at a blank line, before an indented line (when indentation marks paragraphs) and after a
    line that stops well short of the wrap width.
    """
    if not is_hard_wrapped(lines):
        return [span for ln in lines if not ln.blank for span in [_strip_span(text, ln.start, ln.end)]]
    wrap = max(ln.width for ln in lines if not ln.blank)
    indents_mark = any(ln.indented for ln in lines) and any(not ln.indented and not ln.blank for ln in lines)
    out: list[tuple[int, int]] = []
    prev: _Line | None = None
    for ln in lines:
        if ln.blank:
            prev = None
            continue
        new = prev is None or (indents_mark and ln.indented) or prev.width < 0.6 * wrap
        s, e = _strip_span(text, ln.start, ln.end)
        if new or not out:
            out.append((s, e))
        else:
            out[-1] = (out[-1][0], e)
        prev = ln
    return out


def split_long(text: str, start: int, end: int, limit: int = MAX_SEGMENT_CHARS) -> list[tuple[int, int]]:
    """[start, end) cut at spaces into pieces of at most `limit` characters."""
    pieces = []
    while end - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit)
        cut = cut if cut > start else start + limit
        s, e = _strip_span(text, start, cut)
        if e > s:
            pieces.append((s, e))
        start = cut
    s, e = _strip_span(text, start, end)
    if e > s:
        pieces.append((s, e))
    return pieces


def flat(s: str) -> str:
    """A wrapped paragraph as one line."""
    return re.sub(r"[ \t]*(?:\r\n|\r|\n)\s*", " ", s)


# --------------------------------------------------------------------------- header, title, dateline

_HEADER = re.compile(r"^\s*date[:\s]\s*(\d{4}-\d{2}-\d{2})(?:[T ][\d:]+Z?)?\s*(.*?)\s*$", re.I)

# Priority and flash markers before a wire headline: "******", "URGENT -", "UPDATE 2-".
_FLASH = re.compile(
    r"^\s*(?:(?:[*+=#]{2,}|(?:FLASH|URGENT|BULLETIN|ALERT|BREAKING(?: NEWS)?|ADVISORY|REFILE|RPT|REPEAT|CORRECTED|UPDATE\s*\d*|WRAPUP\s*\d*)\s*[-:|])\s*)+"
)

# A line that only gives a date and perhaps a time: "NOVEMBER 15, 2007, 7: 40 AM", "May 2, 2013 | 5: 03pm".
_TIME_LEFT = re.compile(
    r"^[\s,|:·•–—-]*(?:(?:at\s+)?\d{1,2}\s*[:.]\s*\d{2}(?:\s*[:.]\s*\d{2})?\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4})?[\s,|·•–—-]*)?$",
    re.I,
)

_PLACE_UPPER = r"[A-Z][A-Z.'’\-]*(?:(?:\s+|/)(?:[A-Z][A-Z.'’\-]*|de|la|du|el|of))*"
_PLACE_TITLE = r"[A-Z][a-z]+(?:(?:\s+|/)[A-Z][a-z]+)*"
# "N.Y.", "Texas", "West Germany": a state or country after the city, never the date itself.
_REGION = r"(?!" + _MONTH + r"\s+\d)[A-Z][A-Za-z.'’\-]*(?:\s+[A-Z][A-Za-z.'’\-]*){0,2}"
_DAY_DATE = _MONTH + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s*\d{4})?"
# A date word the tagger cannot read ("Macrh 31"): the dateline still gives its place.
_BAD_DATE = r"[A-Z][a-z]{2,8}\.?\s+\d{1,2}"

# WIRE: GREAT NECK, N.Y., March 26 - | DALLAS/FORT WORTH, Texas, March 3 - | MANILA, April 1, Reuter -
_DATELINE_WIRE = re.compile(
    r"^(?P<place>" + _PLACE_UPPER + r"|" + _PLACE_TITLE + r")(?P<regions>(?:,\s*" + _REGION + r"){0,2}),\s*"
    r"(?:(?P<pdate>" + _DAY_DATE + r")|(?P<baddate>" + _BAD_DATE + r"))"
    r"(?:,\s*(?P<agency>[A-Z][A-Za-z&.]+(?:\s+[A-Z][A-Za-z&.]+){0,2}))?"
    r"(?:\s*\((?P<inside>[^()\n]{2,80})\))?\s*[-–—]{1,2}\s*"
)
# WASHINGTON (UrduPoint News / Sputnik - 23rd March, 2021) ...  |  PARIS, March 3 (Reuters) - ...
_DATELINE_PAREN = re.compile(
    r"^(?P<place>" + _PLACE_UPPER + r")(?P<regions>(?:,\s*" + _REGION + r"){0,2})"
    r"(?:,\s*(?P<pdate>" + _DAY_DATE + r"|[A-Z][a-z]+))?"
    r"\s*\((?P<inside>[^()\n]{2,80})\)\s*(?:[-–—:]+\s*)?"
)
# LONDON 1996-08-30   (a line of its own)
_DATELINE_ISO = re.compile(r"^(?P<place>[A-Z][A-Z.'’\- ]{1,40}?[A-Z.])\s+(?P<iso>\d{4}-\d{2}-\d{2})\s*$")
# WASHINGTON — ... (no date)
_DATELINE_DASH = re.compile(
    r"^(?P<place>" + _PLACE_UPPER + r")(?P<regions>(?:,\s*" + _REGION + r"){0,2})\s*[–—-]{1,2}\s+"
)

# By Patti Domm, Reuters | BY JANE DOE | by Robert Green, Reuters
_BYLINE = re.compile(
    r"^(?:By|BY|by)\s+(?P<name>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|da|and|AND)){1,5})"
    r"(?:\s*(?:,|/|\s-\s|\bof\b)\s*(?P<agency>[A-Z][\w.&'’ -]{1,40}?))?\s*$"
)
# (Reporting by Jane Doe; Editing by John Roe) and its variants, as the story's last words.
_REPORTING_TAIL = re.compile(
    r"(?:^|\s)\(?\s*(?:(?:Additional\s+)?[Rr]eporting|Writing|Editing|Compiled|Written)\s+by\s+(?P<names>[^;)]*)[^)]*\)?\s*$"
)
# A one-word sign-off line ("Reuter", "REUTER^M", "REUTER..."), or glued to the last sentence.
_SIGN_OFF_LINE = re.compile(r"^(?P<word>[A-Za-z][A-Za-z&-]{1,24})(?:\^M|\.{2,})?$")
_SIGN_OFF_GLUED = re.compile(r"(?<=[.!?\"”'])\s+(?P<word>[A-Z][A-Z&-]{2,24})(?:\^M|\.{2,})?$")


def parse_calendar_date(s: str) -> date | None:
    """The first full calendar date written in s ("23rd March, 2021", "March 23, 2021", ISO)."""
    found = calendar_dates(s)
    return found[0].day if found else None


# A date and a clock time fit in far less; a longer line is prose (and a 5 MB one-line file
# is not searched for dates here).
_DATE_LINE_MAX_CHARS = 120


def date_line(line: str) -> date | None:
    """The date of a line that gives only a date and perhaps a clock time, else None."""
    if len(line) > _DATE_LINE_MAX_CHARS:
        return None
    for written in calendar_dates(line):
        rest = line[: written.start] + " " + line[written.end :]
        if not line[: written.start].strip(" ,|") and _TIME_LEFT.match(rest.strip()):
            return written.day
    return None


def yearless_date(month: int, day: int, partition: date | None) -> date | None:
    """A "March 26" dateline's day: the year that puts it nearest the partition, at most a day after it."""
    if partition is None:
        return None
    latest = partition + timedelta(days=1)
    candidates = []
    for year in (partition.year - 1, partition.year, partition.year + 1):
        try:
            d = date(year, month, day)
        except ValueError:
            continue
        if d <= latest:
            candidates.append(d)
    return max(candidates) if candidates else None


def _dateline_date(written: str, partition: date | None) -> date | None:
    full = parse_calendar_date(written)
    if full:
        return full
    m = re.match(r"(?P<month>[A-Za-z]+)\.?\s+(?P<day>\d{1,2})", written)
    if not m:
        return None
    month = month_number(m["month"])
    return yearless_date(month, int(m["day"]), partition) if month else None


def _split_agency(inside: str) -> tuple[str | None, date | None]:
    """'UrduPoint News / Sputnik - 23rd March, 2021' -> ('UrduPoint News / Sputnik', 2021-03-23)."""
    when = parse_calendar_date(inside)
    agency = re.split(r"\s+[-–—]\s+|,\s*(?=\d)", inside, maxsplit=1)[0].strip(" -–—,")
    if parse_calendar_date(agency) or not re.search(r"[A-Za-z]", agency):
        agency = None
    return agency or None, when


def _title_case_place(place: str) -> str:
    place = re.sub(r"\s+", " ", place.strip())
    return place if not place.isupper() else re.sub(r"[A-Za-z][A-Za-z'’]*", lambda m: m.group(0).capitalize(), place)


def is_sentence(line: str) -> bool:
    """A line of running text, not a headline: it ends a sentence and has lower-case words."""
    line = line.strip()
    words = line.split()
    if _SLUG.match(line):
        return False  # "PRESS DIGEST - Indonesian newspapers - August 30.": a wire slug
    if re.search(r"[.!][\"'”’)]*$", line):
        pass
    elif not (re.search(r"\?[\"'”’)]*$", line) and len(words) >= 12):
        return False
    # Title case leaves only small words in lower case ("to", "of", "and"); a sentence has others.
    lower = [
        w
        for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", line)
        if w[0].islower() and w.lower() not in _TITLE_CASE_SMALL_WORDS
    ]
    return len(words) >= 5 and len(lower) >= 1


_SLUG = re.compile(r"^[A-Z][A-Z0-9&'’.]+(?: [A-Z][A-Z0-9&'’.]+)* [-–—] ")

_TITLE_CASE_SMALL_WORDS = {
    "a",
    "an",
    "the",
    "and",
    "but",
    "or",
    "nor",
    "for",
    "yet",
    "so",
    "as",
    "at",
    "by",
    "in",
    "of",
    "off",
    "on",
    "per",
    "to",
    "up",
    "via",
    "vs",
    "with",
    "from",
    "into",
    "over",
    "upon",
    "than",
    "amid",
}


def _is_dateline_line(line: str) -> bool:
    s = line.strip()
    return any(rx.match(s) for rx in (_DATELINE_ISO, _DATELINE_WIRE, _DATELINE_PAREN))


# --------------------------------------------------------------------------- boilerplate and captions

_BOILERPLATE = re.compile(
    r"^\s*(?:leave a (?:comment|reply)|\d+\s+comments?|comments?|share(?: this(?: article| story| post)?)?:?"
    r"|advertisement|advertising|sponsored(?: content)?|related(?: articles| stories| news)?:?"
    r"|read more(?: here)?:?.*|click here.*|sign up.*newsletter.*|subscribe.*|follow us.*"
    r"|(?:copyright|©).*|all rights reserved.*|print(?: this)?|email(?: this)?|tweet|like us on facebook.*"
    r"|tags?:.*|filed under:?.*)\s*$",
    re.I,
)
_CAPTION_LINE = re.compile(r"^\s*(?:photo|file photo|image caption|caption|picture|pictured)\s*[:\-–]", re.I)
# A scraper glues a caption between two sentences with no space: "together.”Banners ... 2021.After".
_GLUED = re.compile(r"(?<=[a-z0-9%)][.!?])[\"”’]?(?=[A-Z][a-z])|(?<=[.!?][\"”’])(?=[A-Z][a-z])")
_CAPTION_ENDS_WITH_DATE = re.compile(r",\s*" + _MONTH + r"\s+\d{1,2},\s*\d{4}\.?\s*$")


def _split_glued_captions(text: str, start: int, end: int) -> list[Segment]:
    """Body segments of one paragraph, with glued-in photo captions as their own segments."""
    para = text[start:end]
    cuts = [m.start() for m in _GLUED.finditer(para)]
    if not cuts:
        return [Segment(start, end, "body")]
    bounds = [0, *cuts, len(para)]
    pieces = [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]
    out: list[Segment] = []
    for i, (a, b) in enumerate(pieces):
        # A caption sits between two glued boundaries and, by agency style, ends with its date.
        inner = 0 < i < len(pieces) - 1
        piece = para[a:b].lstrip('"”’')
        offset = len(para[a:b]) - len(piece)
        is_caption = inner and _CAPTION_ENDS_WITH_DATE.search(piece) is not None
        kind = "caption" if is_caption else "body"
        s, e = _strip_span(text, start + a + (offset if is_caption else 0), start + b)
        if e <= s:
            continue
        if out and out[-1].kind == "body" and kind == "body":
            out[-1] = Segment(out[-1].start, e, "body")
        else:
            out.append(Segment(s, e, kind))
    return out


# --------------------------------------------------------------------------- the parser


def parse_article(text: str, partition: date | None = None) -> Article:
    """Split decoded text into title, dateline, body paragraphs and captions, with offsets.

    partition: the arrival day, which dates a dateline written without a year ("March 26").
    """
    article = Article(text=text)
    lines = _lines(text)
    i = _next_line(lines, 0)
    if i is None:
        raise BadInputFile("empty file (no text, or only whitespace)")

    # Header: "date 2021-03-23 UrduPoint.com"
    m = _HEADER.match(lines[i].text)
    if m:
        try:
            article.published = date.fromisoformat(m.group(1))
            article.published_basis = "header"
        except ValueError:
            pass
        article.source = m.group(2) or None
        if article.source:
            # The outlet is an organisation the file names: enriched like the dateline's agency.
            at = lines[i].start + lines[i].text.rindex(article.source)
            article.segments.append(Segment(at, at + len(article.source), "source"))
        i = _next_line(lines, i + 1)
    # A date (and time) line before the headline is the article's own date.
    if i is not None and (when := date_line(lines[i].text)) and _next_line(lines, i + 1) is not None:
        if article.published is None:
            article.published, article.published_basis = when, "header"
        i = _next_line(lines, i + 1)
    if i is None:
        raise BadInputFile("no article text: only a header")

    i = _take_title(article, text, lines, i)
    spans = paragraphs(text, lines[i:]) if i is not None else []
    spans, sign_off = _take_tail(article, text, spans)
    if article.title is None and not spans:
        raise BadInputFile("no article text: only a header and boilerplate")
    spans = _take_head(article, text, spans, partition)

    body_segments: list[Segment] = []
    for s, e in spans:
        if _BOILERPLATE.match(text[s:e]) and e - s < 160:
            article.boilerplate.append(text[s:e].strip())
            continue
        for ps, pe in split_long(text, s, e):
            if _CAPTION_LINE.match(text[ps:pe]):
                body_segments.append(Segment(ps, pe, "caption"))
            else:
                body_segments.extend(_split_glued_captions(text, ps, pe))

    # The outlet: the header's, else the byline's, the dateline's agency, the sign-off's; the
    # others are spellings of the same outlet ("By Martin Hayes, Reuters" ... "Reuter").
    names = [n.strip() for n in (article.source, article.dateline_agency, sign_off) if n and n.strip()]
    article.source = names[0] if names else None
    article.source_aliases = list(dict.fromkeys(n for n in names[1:] if fold(n) != fold(names[0])))
    article.segments.extend(body_segments)
    article.segments.sort(key=lambda seg: seg.start)
    article.body = "\n\n".join(flat(text[g.start : g.end]) for g in body_segments if g.kind == "body")
    article.captions = [flat(text[g.start : g.end]) for g in body_segments if g.kind == "caption"]
    article.language = detect_language(" ".join(filter(None, [article.title, article.body])))
    return article


def _next_line(lines: list[_Line], i: int) -> int | None:
    while i < len(lines) and lines[i].blank:
        i += 1
    return i if i < len(lines) else None


def _take_title(article: Article, text: str, lines: list[_Line], i: int) -> int | None:
    """Record the title at lines[i] (and a wrapped second line); return the first body line."""
    first = lines[i]
    flash = _FLASH.match(first.text)
    start = first.start + (flash.end() if flash else 0)
    headline = text[start : first.end]
    following = _next_line(lines, i + 1)
    if not flash:
        if len(first.text) > 300 or _is_dateline_line(first.text):
            return i
        if is_sentence(headline) and not (following is not None and _is_dateline_line(lines[following].text)):
            return i  # running text: the file has no title line (unless a dateline follows it)
    end = first.end
    nxt = i + 1
    # A wire headline wrapped onto a second line: upper case, not indented, not a dateline.
    if (
        following == i + 1
        and len(headline.strip()) >= 50
        and headline.strip().upper() == headline.strip()
        and not re.search(r"[.!?]$", headline.strip())
        and not lines[following].indented
        and lines[following].text.strip().upper() == lines[following].text.strip()
        and not _is_dateline_line(lines[following].text)
        and date_line(lines[following].text) is None
    ):
        end = lines[following].end
        nxt = following + 1
    s, e = _strip_span(text, start, end)
    if e <= s:
        return nxt
    article.title = re.sub(r"\s+", " ", text[s:e])
    article.segments.append(Segment(s, e, "title"))
    return nxt


def _take_tail(article: Article, text: str, spans: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], str | None]:
    """Drop trailing boilerplate, the sign-off and the "(Reporting by ...)" tail, from the end up.

    Returns the remaining paragraphs and the sign-off as an agency name ("REUTER" -> "Reuter").
    """
    tail: list[str] = []
    sign_off = None
    while spans:
        s, e = spans[-1]
        para = text[s:e]
        if e - s < 160 and _BOILERPLATE.match(para):
            tail.append(para.strip())
        elif len(spans) > 1 and sign_off is None and (m := _SIGN_OFF_LINE.match(para.strip())) and not date_line(para):
            sign_off = m["word"]
            tail.append(para.strip())
        elif (m := _REPORTING_TAIL.search(para)) and (m.start() == 0 or e - s - (m.end() - m.start()) > 0):
            if article.author is None:
                article.author = _first_name_list(m["names"])
            tail.append(para[m.start() :].strip())
            cut = _strip_span(text, s, s + m.start())
            if cut[1] <= cut[0]:
                spans = spans[:-1]
            else:
                spans = [*spans[:-1], cut]
            continue
        elif sign_off is None and (m := _SIGN_OFF_GLUED.search(para)):
            sign_off = m["word"]
            tail.append(para[m.start() :].strip())
            spans = [*spans[:-1], _strip_span(text, s, s + m.start())]
            continue
        else:
            break
        spans = spans[:-1]
    article.boilerplate.extend(reversed(tail))
    return spans, _agency_name(sign_off) if sign_off else None


def _first_name_list(names: str) -> str | None:
    names = re.sub(r"\s+", " ", names).strip(" ,.")
    return names or None


def _agency_name(word: str) -> str:
    """A sign-off as a name: "REUTER" -> "Reuter"."""
    return word.capitalize() if word.isupper() or word.islower() else word


def _take_head(
    article: Article, text: str, spans: list[tuple[int, int]], partition: date | None
) -> list[tuple[int, int]]:
    """A byline and a dateline at the start of the body; returns the body's paragraphs."""
    out = list(spans)
    for _ in range(2):
        if not out:
            break
        s, e = out[0]
        byline = _BYLINE.match(flat(text[s:e]))
        if byline and article.author is None:
            article.author = re.sub(r"\s+", " ", byline["name"]).strip()
            agency = (byline["agency"] or "").strip()
            if agency and article.source is None:
                article.source = agency
            article.boilerplate.append(flat(text[s:e]))
            out = out[1:]
            continue
        if article.dateline_place is None:
            rest = _take_dateline(article, text, s, e, partition)
            if rest != s:
                out = out[1:] if rest >= e else [(rest, e), *out[1:]]
                continue
        break
    return out


def _take_dateline(article: Article, text: str, s: int, e: int, partition: date | None) -> int:
    """Record a dateline at text[s:e]'s start; return where the rest of the paragraph starts."""
    line = flat(text[s:e])  # same offsets for a one-line dateline; a wrapped one is re-found below
    m = _DATELINE_ISO.match(line)
    if m:
        article.dateline_place = _title_case_place(m.group("place"))
        article.dateline_date = parse_calendar_date(m.group("iso"))
    else:
        m = _DATELINE_WIRE.match(line) or _DATELINE_PAREN.match(line) or _DATELINE_DASH.match(line)
        if not m:
            return s
        article.dateline_place = _title_case_place(m.group("place"))
        groups = m.groupdict()
        inside = groups.get("inside")
        if inside:
            article.dateline_agency, article.dateline_date = _split_agency(inside)
        if groups.get("agency"):
            article.dateline_agency = groups["agency"]
        if groups.get("pdate") and article.dateline_date is None:
            article.dateline_date = _dateline_date(groups["pdate"], partition)
    if article.dateline_date and article.published is None:
        article.published = article.dateline_date
        article.published_basis = "dateline"
    end = _offset_in(text, s, e, m.end())
    # The dateline is its own segment, so its place and agency are enriched too.
    ds, de = _strip_span(text, s, end)
    article.segments.append(Segment(ds, de, "dateline"))
    return _strip_span(text, end, e)[0]


def _offset_in(text: str, s: int, e: int, flat_offset: int) -> int:
    """The offset in text[s:e] of position flat_offset of flat(text[s:e])."""
    raw = text[s:e]
    if flat(raw) == raw:
        return s + flat_offset
    taken = 0
    for m in re.finditer(r"[ \t]*(?:\r\n|\r|\n)\s*|.", raw, re.S):
        if taken >= flat_offset:
            return s + m.start()
        taken += 1
    return e


# --------------------------------------------------------------------------- language

_identifier = None


def detect_language(text: str) -> str:
    """ISO 639-1 code; English unless the text is long enough and clearly something else."""
    global _identifier
    if len(text) < 200:
        return "en"
    if _identifier is None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    lang, prob = _identifier.classify(text[:3000])
    return lang if lang != "en" and prob >= 0.9 else "en"
