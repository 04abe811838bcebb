"""Parse: decoded file bytes -> Article (title, source, dateline, publication date, body, captions).

Every piece keeps its character offsets into the decoded text, because entity and date
mentions are stored as offsets into that text. News files come in a few shapes:

    date 2021-03-23 UrduPoint.com            <- optional header: date and outlet
    PREVIEW - Blinken Visiting Brussels ...  <- title (first line)

    WASHINGTON (UrduPoint News / Sputnik - 23rd March, 2021) US Secretary ...   <- dateline

    LONDON 1996-08-30                        <- a dateline on a line of its own (Reuters)
    PARIS, March 3 (Reuters) - ...           <- place, date, agency

Trailing boilerplate ("Leave a Comment", "Share this article") is cut off, and photo captions
that a scraper glued between two sentences ("...together.”Banners displaying ..., March 18,
2021.After four years") are split out of the body.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from datetime import date

from etl.enrich.dates import MONTH, find_dates
from etl.errors import BadInputFile

PARSER_VERSION = "parse-1"

# The month names of the date tagger, without its capture group, for dateline shapes.
_MONTH = MONTH.replace("(?P<month>", "(?:")


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
                raise BadInputFile(f"not valid {codec} despite its byte-order mark: {e.reason} at byte {e.start}")
            break
    else:
        if b"\x00" in data:
            raise BadInputFile(f"binary content: NUL byte at offset {data.index(0)}")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Older feeds are Windows-1252 or Latin-1; cp1252 leaves 5 bytes undefined.
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
    return text


# --------------------------------------------------------------------------- lines


@dataclass(frozen=True)
class _Line:
    start: int
    end: int  # end of the text, without the line break
    text: str


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


# --------------------------------------------------------------------------- header and dateline

_HEADER = re.compile(r"^\s*date[:\s]\s*(\d{4}-\d{2}-\d{2})(?:[T ][\d:]+Z?)?\s*(.*?)\s*$", re.I)

# WASHINGTON (UrduPoint News / Sputnik - 23rd March, 2021) ...  |  PARIS, March 3 (Reuters) - ...
_DATELINE_PAREN = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’\- ]{1,40}?[A-Z.])"
    r"(?:,\s*(?P<pdate>" + _MONTH + r"\s+\d{1,2}(?:,\s*\d{4})?|[A-Z][a-z]+))?"
    r"\s*\((?P<inside>[^()\n]{2,80})\)\s*(?:[-–—:]+\s*)?"
)
# LONDON 1996-08-30   (a line of its own)
_DATELINE_ISO = re.compile(r"^(?P<place>[A-Z][A-Z.'’\- ]{1,40}?[A-Z.])\s+(?P<iso>\d{4}-\d{2}-\d{2})\s*$")
# WASHINGTON, March 23 — ... | WASHINGTON — ...
_DATELINE_DASH = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’\- ]{1,40}?[A-Z.])(?:,\s*(?P<pdate>" + _MONTH + r"\s+\d{1,2}(?:,\s*\d{4})?))?\s*[–—-]{1,2}\s+"
)

def parse_calendar_date(s: str) -> date | None:
    """The first full calendar date written in s ("23rd March, 2021", "March 23, 2021", ISO)."""
    for mention in find_dates(s, None):
        if mention.granularity == "day" and mention.end_value is None:
            return date.fromisoformat(mention.value)
    return None


def _split_agency(inside: str) -> tuple[str | None, date | None]:
    """'UrduPoint News / Sputnik - 23rd March, 2021' -> ('UrduPoint News / Sputnik', 2021-03-23)."""
    when = parse_calendar_date(inside)
    agency = re.split(r"\s+[-–—]\s+|,\s*(?=\d)", inside, maxsplit=1)[0].strip(" -–—,")
    if parse_calendar_date(agency) or not re.search(r"[A-Za-z]", agency):
        agency = None
    return agency or None, when


def _title_case_place(place: str) -> str:
    return place.strip() if not place.isupper() else " ".join(w.capitalize() for w in place.split())


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
        piece = para[a:b].lstrip("\"”’")
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


def parse_article(text: str) -> Article:
    """Split decoded text into title, dateline, body paragraphs and captions, with offsets."""
    article = Article(text=text)
    lines = [ln for ln in _lines(text) if ln.text.strip()]
    if not lines:
        raise BadInputFile("empty file (no text, or only whitespace)")

    # Header: "date 2021-03-23 UrduPoint.com"
    m = _HEADER.match(lines[0].text)
    if m:
        try:
            article.published = date.fromisoformat(m.group(1))
            article.published_basis = "header"
        except ValueError:
            pass
        article.source = m.group(2) or None
        if article.source:
            # The outlet is an organisation the file names: enriched like the dateline's agency.
            at = lines[0].start + lines[0].text.rindex(article.source)
            article.segments.append(Segment(at, at + len(article.source), "source"))
        lines = lines[1:]

    # Trailing boilerplate, from the end up.
    while lines and len(lines[-1].text) < 160 and _BOILERPLATE.match(lines[-1].text):
        article.boilerplate.append(lines[-1].text.strip())
        lines = lines[:-1]
    article.boilerplate.reverse()
    if not lines:
        raise BadInputFile("no article text: only a header and boilerplate")

    # Title: the first line, unless it is a whole paragraph of running text.
    first = lines[0]
    if len(first.text) <= 300 and not _DATELINE_PAREN.match(first.text) or len(lines) == 1:
        s, e = _strip_span(text, first.start, first.end)
        article.title = text[s:e]
        article.segments.append(Segment(s, e, "title"))
        lines = lines[1:]

    body_segments: list[Segment] = []
    for i, line in enumerate(lines):
        if _BOILERPLATE.match(line.text) and len(line.text) < 160:
            article.boilerplate.append(line.text.strip())
            continue
        s, e = _strip_span(text, line.start, line.end)
        if i == 0 and article.dateline_place is None:
            s = _take_dateline(article, text, s, e)
            if s >= e:
                continue
        if _CAPTION_LINE.match(text[s:e]):
            body_segments.append(Segment(s, e, "caption"))
        else:
            body_segments.extend(_split_glued_captions(text, s, e))

    article.segments.extend(body_segments)
    article.segments.sort(key=lambda seg: seg.start)
    article.body = "\n\n".join(text[g.start : g.end] for g in body_segments if g.kind == "body")
    article.captions = [text[g.start : g.end] for g in body_segments if g.kind == "caption"]
    article.language = detect_language(" ".join(filter(None, [article.title, article.body])))
    return article


def _take_dateline(article: Article, text: str, s: int, e: int) -> int:
    """Record a dateline at text[s:e]'s start; return where the rest of the paragraph starts."""
    line = text[s:e]
    m = _DATELINE_ISO.match(line)
    if m:
        article.dateline_place = _title_case_place(m.group("place"))
        article.dateline_date = parse_calendar_date(m.group("iso"))
    else:
        m = _DATELINE_PAREN.match(line) or _DATELINE_DASH.match(line)
        if not m:
            return s
        article.dateline_place = _title_case_place(m.group("place"))
        inside = m.groupdict().get("inside")
        if inside:
            article.dateline_agency, article.dateline_date = _split_agency(inside)
    if article.dateline_date and article.published is None:
        article.published = article.dateline_date
        article.published_basis = "dateline"
    if article.source is None and article.dateline_agency:
        article.source = article.dateline_agency
    # The dateline is its own segment, so its place and agency are enriched too.
    ds, de = _strip_span(text, s, s + m.end())
    article.segments.append(Segment(ds, de, "dateline"))
    return _strip_span(text, s + m.end(), e)[0]


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
