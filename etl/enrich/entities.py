"""Entities: spaCy's NER as the first pass, then repairs and canonical entities per document.

The model's spans are cleaned (titles, possessives, "the"), repaired where news text fools
it (name particles: "Ursula von" + "der Leyen"; split organisation names), and grouped into
the document's entities: a surname joins the full name mentioned in the same document, an
acronym in parentheses joins its long form, every entity takes one type by vote, and places
take their name and country from the gazetteer. Headlines in title or upper case fool the
model, so a headline only keeps the names the body confirms.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from etl.calendar_words import MONTHS, WEEKDAYS
from etl.enrich.dates.normalisers import HOLIDAYS
from etl.enrich.gazetteer import (
    MAJOR_CITY_POPULATION,
    REGION_NAMES,
    GeoPlace,
    Place,
    gazetteer,
    lookup_place,
    place_abbreviation,
)
from etl.names import fold

ENTITY_LABELS = {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}

# Words that precede a name without being part of it ("Secretary Blinken", "President Biden").
TITLES = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "president",
    "vice",
    "prime",
    "minister",
    "secretary",
    "general",
    "state",
    "acting",
    "assistant",
    "deputy",
    "chancellor",
    "senator",
    "sen",
    "rep",
    "representative",
    "governor",
    "gov",
    "mayor",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "judge",
    "justice",
    "ambassador",
    "envoy",
    "chief",
    "commissioner",
    "chairman",
    "chairwoman",
    "chair",
    "ceo",
    "director",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "coach",
    "captain",
    "manager",
    "leader",
    "foreign",
    "defence",
    "defense",
    "finance",
    "interior",
    "former",
    "late",
    "colonel",
    "col",
    "major",
    "maj",
    "gen",
    "lt",
    "sgt",
    "admiral",
    "adm",
    "officer",
    "head",
    "high",
    "u.s.",
    "us",
    "eu",
    "un",
    "nato",
    "first",
}
# Lower-case particles inside personal names ("Ursula von der Leyen", "Charles de Gaulle").
NAME_PARTICLES = {
    "von",
    "van",
    "der",
    "den",
    "de",
    "del",
    "della",
    "da",
    "di",
    "du",
    "la",
    "le",
    "bin",
    "ibn",
    "al",
    "el",
    "ter",
    "zu",
}

_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$")


@dataclass
class Mention:
    start: int
    end: int
    text: str
    label: str


@dataclass
class Entity:
    canonical: str
    type: str
    country_code: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    key: str = ""  # how the entity is known across documents (see entity_key)
    acronym: str | None = None  # folded acronym tied to this long form in the document
    geo: GeoPlace | None = None  # the GeoNames place it is, or (a demonym) refers to
    geo_confidence: float | None = None
    tone: float | None = None  # the mean tone of the sentences of the article that name it

    @property
    def aliases(self) -> list[str]:
        return sorted({fold(m.text) for m in self.mentions} | {fold(self.canonical)})

    @property
    def forms(self) -> list[str]:
        """Every spelling seen, once each."""
        return sorted({re.sub(r"\s+", " ", m.text) for m in self.mentions})


# --------------------------------------------------------------------------- span repair


def raw_mentions(doc, base: int, original: str) -> list[Mention]:
    """The model's entity spans of one segment, repaired (REPAIRS) and cleaned, with file offsets.

    `original` is the file text; `doc` was made from a same-length normalised copy of the
    segment starting at `base`.
    """
    out: list[Mention] = []
    ents = [e for e in doc.ents if e.label_ in ENTITY_LABELS]
    i = 0
    while i < len(ents):
        span = TokenSpan(ents[i].start, ents[i].end, ents[i].label_)
        for repair in REPAIRS:
            span = repair(doc, span, original)
        # A repaired span swallows the model's spans it now covers.
        while i + 1 < len(ents) and ents[i + 1].start < span.end:
            i += 1
        i += 1
        mention = _clean(doc[span.start : span.end], base, original, span.label)
        if mention:
            out.append(mention)
    return out


@dataclass(frozen=True)
class TokenSpan:
    """An entity span in tokens, as a repair sees it."""

    start: int
    end: int
    label: str


def join_name_particles(doc, span: TokenSpan, original: str) -> TokenSpan:
    """ "Ursula von" [PERSON] + "der" + "Leyen" [GPE]: a name with particles."""
    if span.label != "PERSON":
        return span
    j = span.end
    while j < len(doc) and (
        doc[j].lower_ in NAME_PARTICLES or (doc[j].is_title and j > span.end and doc[j - 1].lower_ in NAME_PARTICLES)
    ):
        j += 1
    while j > span.end and doc[j - 1].lower_ in NAME_PARTICLES:
        j -= 1
    return TokenSpan(span.start, max(j, span.end), span.label)


def join_split_organisation(doc, span: TokenSpan, original: str) -> TokenSpan:
    """ "the Bureau of European" + "and Eurasian Affairs": one organisation name, whatever the
    model made of the second half."""
    end = span.end
    if (
        span.label == "ORG"
        and end - span.start >= 3
        and doc[end - 2].lower_ == "of"
        and end + 1 < len(doc)
        and doc[end].lower_ in {"and", "&"}
        and doc[end + 1].is_title
    ):
        end += 1
        while end < len(doc) and doc[end].is_title:
            end += 1
    return TokenSpan(span.start, end, span.label)


def team_named_after_place(doc, span: TokenSpan, original: str) -> TokenSpan:
    """ "Indianapolis Colts quarterback ... the Colts": a place followed by a capitalised plural
    the model left out, and that the document also calls "the Colts", is a team."""
    end = span.end
    if (
        span.label == "GPE"
        and end < len(doc)
        and _team_word(doc[end])
        and not any(e.start <= end < e.end for e in doc.ents)
        and re.search(r"\b[Tt]he\s+" + re.escape(doc[end].text) + r"\b", original)
    ):
        return TokenSpan(span.start, end + 1, "ORG")
    return span


def drop_common_plural_after_acronym(doc, span: TokenSpan, original: str) -> TokenSpan:
    """ "NATO Allies": a capitalised plural the document also writes in lower case ("allies")
    after an acronym is a common noun, not part of the name."""
    end = span.end
    if (
        span.label == "ORG"
        and end - span.start == 2
        and doc[span.start].is_upper
        and len(doc[span.start]) >= 2
        and doc[end - 1].is_title
        and re.fullmatch(r"[A-Z][a-z]+[^s]s", doc[end - 1].text)
        and re.search(r"\b" + re.escape(doc[end - 1].lower_) + r"\b", original)
    ):
        return TokenSpan(span.start, end - 1, span.label)
    return span


def person_before_administration(doc, span: TokenSpan, original: str) -> TokenSpan:
    """ "the Biden administration": a surname before "administration" is a person."""
    if span.end - span.start == 1 and span.end < len(doc) and doc[span.end].lower_ in {"administration", "presidency"}:
        return TokenSpan(span.start, span.end, "PERSON")
    return span


# Where news text fools the model, in the order they apply to each of its spans.
REPAIRS = (
    join_name_particles,
    join_split_organisation,
    team_named_after_place,
    drop_common_plural_after_acronym,
    person_before_administration,
)


_WEEKDAYS_MONTHS = set(WEEKDAYS) | set(MONTHS)


def _team_word(tok) -> bool:
    """A capitalised plural that can name a team after a place ("Colts", "Angels"): not a
    title, a weekday or a sentence start, and not followed by another capitalised word."""
    return (
        re.fullmatch(r"[A-Z][a-z]+[^s]s", tok.text) is not None
        and tok.i + 1 < len(tok.doc)
        and not tok.doc[tok.i + 1].is_title
        and tok.is_title
        and tok.is_alpha
        and not tok.is_sent_start
        and tok.lower_ not in TITLES
        and tok.lower_ not in _WEEKDAYS_MONTHS
        and tok.i > 0
        and tok.doc[tok.i - 1].whitespace_ != ""
        and tok.doc[tok.i - 1].text not in {".", "!", "?", ":", ";"}
    )


def _clean(span, base: int, original: str, label: str) -> Mention | None:
    """Strip "the", titles before a person's name, and a possessive; reject what is left bare."""
    toks = list(span)
    while toks and toks[0].lower_ in {"the", "a", "an"}:
        toks = toks[1:]
    if label == "PERSON":
        while len(toks) > 1 and toks[0].lower_.rstrip(".") in TITLES:
            toks = toks[1:]
    while toks and toks[-1].text in {"'s", "’s", "'", "’"}:
        toks = toks[:-1]
    while toks and not any(ch.isalnum() for ch in toks[-1].text):
        toks = toks[:-1]
    if not toks:
        return None
    start = base + toks[0].idx
    end = base + toks[-1].idx + len(toks[-1].text)
    text = original[start:end]
    m = _POSSESSIVE.search(text)
    if m and label != "NORP" and len(text) > 3:
        end -= len(m.group(0)) if m.group(0)[0] in "'’" else 1
        text = original[start:end]
    # A closing bracket glued to the name: "(Sports Network)-Wladimir Klitschko".
    if (m := re.match(r"[^()\[\]]*[)\]][-–—\s]*", text)) and m.end() < len(text):
        start += m.end()
        text = original[start:end]
    # A place with the sentence's full stop ("Brussels."); abbreviations keep theirs ("Calif.",
    # "U.S."), and so do organisations and people ("Corp.", "Bros.", "Jr.").
    if text.endswith(".") and label in PLACE_LABELS and not _keeps_full_stop(text):
        end -= 1
        text = original[start:end]
    # A lone title ("State", "President") is no entity, nor a sentence adverb ("Specifically,").
    if len(toks) == 1 and toks[0].lower_.rstrip(".") in TITLES and not toks[0].is_upper:
        return None
    if (
        len(toks) == 1
        and toks[0].lower_.endswith("ly")
        and toks[0].i + 1 < len(toks[0].doc)
        and toks[0].nbor().text == ","
    ):
        return None
    if not any(ch.isalpha() for ch in text):
        return None
    # A holiday is a date ("Easter", "Christmas Day"), which the date tagger reads; the
    # model, taught on news that does not mark them, guesses a place or an organisation.
    if re.sub(r"['’]", "'", text.lower()) in HOLIDAYS:
        return None
    # A competition is an event, whatever its sponsor's or its town's name ("UEFA Cup",
    # "Greater Milwaukee Open", "World Series").
    if label in ("ORG", "GPE", "LOC", "FAC", "PERSON") and len(toks) > 1 and _COMPETITION.search(text):
        label = "EVENT"
    return Mention(start, end, text, label)


_COMPETITION = re.compile(
    r"\s(?:Cup|Open|Classic|Championships?|Grand Prix|Trophy|Olympics|Series|Invitational|Masters|Marathon)$", re.I
)


def _keeps_full_stop(text: str) -> bool:
    last = re.split(r"[\s/-]+", text)[-1]
    return (
        len(last) <= 4  # Inc., Co., Jr., St.
        or "." in last[:-1]  # U.S., N.Y.
        or place_abbreviation(last) is not None  # Calif., Mass.
    )


# --------------------------------------------------------------------------- headlines


def headline_mentions(headline: str, base: int, body_mentions: list[Mention]) -> list[Mention]:
    """Names in a title-case or upper-case headline: those the body confirms, and places.

    The model reads "Blinken Heads to Europe" as a person "Blinken Heads"; instead, find the
    body's entity names (any case) in the headline, and gazetteer places.
    """
    # One label per name, as most of the body's mentions of it have ("MILAN" in the dateline
    # is a place, "Milan" three times in the body a club); ties in a fixed order, so the
    # result never depends on set order.
    votes: dict[str, Counter] = defaultdict(Counter)
    for m in body_mentions:
        votes[fold(m.text)][m.label] += 1
    names = sorted({m.text for m in body_mentions}, key=lambda n: (-len(n), n))
    labels = {n: vote(votes[fold(n)]) for n in names}
    taken = [False] * len(headline)
    out = []
    for name in names:
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", headline, re.I):
            if any(taken[m.start() : m.end()]):
                continue
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
            out.append(Mention(base + m.start(), base + m.end(), m.group(0), labels[name]))
    for m in re.finditer(r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*", headline):
        # Try the longest run of capitalised words, then each word, against the gazetteer.
        words = list(re.finditer(r"[A-Z][\w.-]*", m.group(0)))
        for w in [m, *words]:
            s, e = (m.start() + w.start(), m.start() + w.end()) if w is not m else (m.start(), m.end())
            if headline[s:e].endswith(".") and not _keeps_full_stop(headline[s:e]):
                e -= 1  # "Brussels." at the end of a headline sentence
            if any(taken[s:e]):
                continue
            place = lookup_place(headline[s:e])
            if place and (" " in headline[s:e].strip() or _known_alone(place)):
                taken[s:e] = [True] * (e - s)
                out.append(Mention(base + s, base + e, headline[s:e], place.type))
    return out


def _known_alone(place: Place) -> bool:
    """A place a capitalised word of a headline names by itself, unconfirmed by the body: a
    country, a division, a continent or a city of a million; in title case a smaller town's
    name is as often a word ("Nice Weather", "Overturn Bush Rules")."""
    found = gazetteer().place(place.geonameid) if place.geonameid else None
    return found is None or found.feature_class != "P" or found.population >= MAJOR_CITY_POPULATION


def dateline_mentions(text: str, start: int, end: int, place: str | None, agency: str | None) -> list[Mention]:
    """The place and the agencies of a dateline ("WASHINGTON (UrduPoint News / Sputnik - ...)").

    The parser already knows which part is which; the model would read the whole
    parenthesis as one organisation.
    """
    out = []
    segment = text[start:end]
    if place:
        m = re.match(re.escape(place), segment, re.I)
        if m:
            out.append(Mention(start + m.start(), start + m.end(), m.group(0), "GPE"))
    if agency:
        at = segment.find(agency)
        for part in re.finditer(r"[^/,;]+", agency):
            name = part.group(0).strip()
            if at >= 0 and name and any(c.isalpha() for c in name):
                s = start + at + part.start() + (len(part.group(0)) - len(part.group(0).lstrip()))
                out.append(Mention(s, s + len(name), name, "ORG"))
    return out


# A press abbreviation after a comma: "Hazard, Ky.", "Kamloops, B.C.".
_ABBREVIATION_AFTER_COMMA = re.compile(r",\s+((?:[A-Z]\.){2,3}|[A-Z][a-z]{1,5}\.)")


def abbreviation_mentions(text: str, start: int, end: int, found: list[Mention]) -> list[Mention]:
    """Divisions written as press abbreviations after a town ("Hazard, Ky."), which the
    model rarely marks; only those no mention already covers."""
    out = []
    for m in _ABBREVIATION_AFTER_COMMA.finditer(text, start, end):
        s, e = m.span(1)
        if place_abbreviation(m.group(1)) and not any(f.start < e and s < f.end for f in found):
            out.append(Mention(s, e, m.group(1), "GPE"))
    return out


# Words that are places' names in the gazetteer but, inside an organisation's name, say where it
# works rather than name a place ("South Central Ambulance Service", "Far North Queensland").
_NOT_A_PLACE_WITHIN = {
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "centre",
    "center",
    "far north",
    "upper",
    "lower",
    "greater",
    "commonwealth",
}
_WORD = re.compile(r"[^\s,()]+")


def places_within(mentions: list[Mention]) -> list[Mention]:
    """Places named inside organisations' names ("Los Angeles County Fire Department",
    "University of Manitoba", "Environment Canada"): the organisation keeps its mention and the
    place gets one of its own, as geoparsers count them (it says where the news is). Only
    well-known places (lookup_place) and counties named in full, written in capitals, never
    the whole name."""
    out = []
    for m in mentions:
        if m.label != "ORG" or _well_known_place_type(m.text) is not None:
            continue  # a club or a paper called by its town ("NEW YORK"): not "York" within
        words = list(_WORD.finditer(m.text))
        taken: set[int] = set()
        for size in range(min(4, len(words) - 1), 0, -1):  # the longest place first
            for i in range(len(words) - size + 1):
                run = words[i : i + size]
                if taken & set(range(i, i + size)) or not all(w.group()[0].isupper() for w in run):
                    continue
                name = re.sub(r"['’]s$", "", m.text[run[0].start() : run[-1].end()])
                if len(name) < 3 and not name.isupper():
                    continue  # "Concerto No 2"; "UK" and "US" count
                label = _well_known_place_type(name)
                if label is None or fold(name) in _NOT_A_PLACE_WITHIN or fold(name) in REGION_NAMES:
                    continue
                start = m.start + run[0].start()
                out.append(Mention(start, start + len(name), name, label))
                taken |= set(range(i, i + size))
    return out


def _well_known_place_type(name: str) -> str | None:
    """The type of a well-known place (lookup_place) or of a county or parish named in full."""
    place = lookup_place(name)
    if place is not None:
        return place.type
    if _DIVISION_WORD.search(name) and any(p.is_division for p, _ in gazetteer().candidates(fold(name))):
        return "GPE"
    return None


_DIVISION_WORD = re.compile(r"\s(?:County|Parish|Province|Prefecture)$")


def is_shouting(text: str) -> bool:
    """True for a headline in title case or upper case, where capitals carry no signal."""
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", text) if len(w) > 3]
    if not words:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised / len(words) >= 0.7


# --------------------------------------------------------------------------- canonical entities


def _person_parts(name: str) -> list[str]:
    return [p for p in re.split(r"\s+", name) if p]


def retype_unknown_places(mentions: list[Mention]) -> list[Mention]:
    """A one-word name the model typed as a place that the gazetteer does not know, and that
    is a word of a longer name of a person or an organisation in the document, is of that
    name's type ("Najib" with "Najib Razak", "Wedbush" with "Wedbush Securities"): the model
    guesses "place" for a name it has not seen."""
    words_of = defaultdict(set)
    for m in mentions:
        if m.label in ("PERSON", "ORG") and " " in m.text.strip():
            for word in m.text.split():
                words_of[word].add(m.label)
    out = []
    for m in mentions:
        labels = words_of.get(m.text, ())
        if m.label in PLACE_LABELS and len(labels) == 1 and not _known_place_name(m.text):
            m = Mention(m.start, m.end, m.text, next(iter(labels)))
        out.append(m)
    return out


def _known_place_name(name: str) -> bool:
    """Whether the gazetteer knows the name as any place at all (a village counts)."""
    return lookup_place(name) is not None or bool(gazetteer().candidates(fold(name)))


def trim_glued_words(mentions: list[Mention]) -> list[Mention]:
    """A span that ends with the full name of a person the document names, with words glued
    before it ("Moviemaker Gary Ross", "Academy Picked Ellen DeGeneres" in a headline), is a
    mention of that person."""
    people = {m.text for m in mentions if m.label == "PERSON" and len(m.text.split()) >= 2}
    surnames = {m.text for m in mentions if m.label == "PERSON" and " " not in m.text}
    out = []
    for m in mentions:
        if m.label == "PERSON":  # "Filip De Wilde", "Aung San Suu Kyi": a name's own words
            out.append(m)
            continue
        words = m.text.split()
        person = next((p for p in people if len(p) < len(m.text) and m.text.endswith(" " + p)), None)
        if not person and len(words) >= 3 and words[-1] in surnames and same_given_name_known(words[-2]):
            person = re.search(r"\S+\s+\S+$", m.text).group(0)  # "Moviemaker Gary Ross", then "Ross"
        glued = m.text[: len(m.text) - len(person)].split() if person else []
        # Not when the words before may be the person's own ("W. Mark Felt", "John Paul
        # Jones"), nor another name ("Driefontein Consolidated and Gold Fields").
        if glued and not any(
            len(w.rstrip(".")) == 1
            or w.lower() in NAME_PARTICLES
            or w.lower() in ("and", "&")
            or same_given_name_known(w)
            for w in glued
        ):
            m = Mention(m.end - len(person), m.end, person, "PERSON")
        out.append(m)
    return out


def resolve_document(text: str, mentions: list[Mention]) -> list[Entity]:
    """Group one document's mentions into entities with a canonical name, one type and a key."""
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m in retype_unknown_places(trim_glued_words(mentions)):
        place = lookup_place(m.text) if m.label in PLACE_LABELS else None
        # Spellings of one place group by the gazetteer's name ("U.S.", "US", "the United States").
        groups[f"place:{fold(place.name)}" if place else fold(m.text)].append(m)
    parent = {key: key for key in groups}

    def root(k: str) -> str:
        while parent[k] != k:
            k = parent[k]
        return k

    # "North American Treaty Organization (NATO)": the acronym joins its long form.
    ties = tie_acronyms(text, mentions)
    for acronym, long_form in ties.items():
        if acronym in groups and long_form in groups and root(long_form) != root(acronym):
            parent[root(acronym)] = root(long_form)

    # Variants of one person's name join ("W. Mark Felt", "Mark Felt", "Mark Felt Sr."; "Fred
    # Smith", "Frederick C. Smith") when nothing contradicts it (join_name_variants).
    person_votes = {k: sum(m.label == "PERSON" for m in ms) for k, ms in groups.items()}
    full_names = [k for k in groups if person_votes[k] and person_name(k) is not None and not k.startswith("place:")]
    for name, target in join_name_variants(full_names).items():
        if root(name) != root(target):
            parent[root(name)] = root(target)
    # "Mikhail Gorbachov" in a story about Mikhail Gorbachev: a misspelt surname joins the
    # spelling the document uses more (join_misspelt_surnames).
    counts = {k: len(groups[k]) for k in full_names}
    for name, target in join_misspelt_surnames(full_names, counts).items():
        if root(name) != root(target):
            parent[root(name)] = root(target)
    # A surname, or any shorter tail of a full name, joins the full name mentioned in the
    # document ("Blinken" -> "Antony Blinken"), whatever the model typed it as; only when
    # exactly one person fits.
    for key in groups:
        if key in full_names or key.startswith("place:"):
            continue
        words = key.split()
        fits = {root(f) for f in full_names if len(f.split()) > len(words) and _ends_with_surname(f, key)}
        if len(fits) == 1 and (person_votes[key] or len(words) == 1):
            parent[key] = fits.pop()

    # "Colts" / "Indianapolis Colts", "Fed" / "Federal Reserve": a short name joins the one
    # longer organisation name of the document it abbreviates, and the document records the
    # tie so that the short name alone joins the long form in other documents too.
    short_ties = {
        short: long_form
        for short, long_form in tie_short_names(text, groups, person_votes).items()
        if root(short) == short  # not a surname already joined to its person
    }
    for short, long_form in short_ties.items():
        if root(short) != root(long_form):
            parent[root(short)] = root(long_form)
        # The organisation's short name, whatever the model took it for ("Magna" a person).
        groups[short] = [Mention(m.start, m.end, m.text, "ORG") for m in groups[short]]
    ties = {**short_ties, **ties}

    members: dict[str, list[str]] = defaultdict(list)
    for key in groups:
        members[root(key)].append(key)
    acronym_of = {root(long_form): acronym for acronym, long_form in ties.items() if long_form in groups}
    by_key: dict[str, Entity] = {}
    for head, keys in members.items():
        e = _entity(text, [m for k in keys for m in groups[k]], head, acronym_of.get(head))
        if e.key in by_key:  # two groups the gazetteer or the key names alike: one entity
            e = _entity(text, by_key[e.key].mentions + e.mentions, head, acronym_of.get(head) or by_key[e.key].acronym)
        by_key[e.key] = e
    return sorted(by_key.values(), key=lambda e: e.mentions[0].start)


PLACE_LABELS = {"GPE", "LOC", "FAC"}


def tie_short_names(text: str, groups: dict[str, list[Mention]], person_votes: dict[str, int]) -> dict[str, str]:
    """Folded short name -> folded long organisation name it abbreviates in this document.

    A short name is the tail of a long name ("Red Sox" of "Boston Red Sox"), its first word
    ("Promises" of "Promises Treatment Center"), or a clipped first word ("Fed" of "Federal
    Reserve"); only when exactly one long name of the document fits, neither is a person or
    a gazetteer place, and the short name is not a common noun of the document ("the bank").
    A first word the model took for a person's name counts too when it is no given name
    ("Magna" of "Magna International Inc"): a company is often called by its first word.
    """

    def org_like(key: str) -> bool:
        labels = Counter(m.label for m in groups[key])
        return not key.startswith("place:") and not person_votes.get(key) and labels["ORG"] * 2 > sum(labels.values())

    longs = [k for k in groups if len(k.split()) >= 2 and org_like(k)]
    written_lower = _lowercase_phrases(text, max((len(k.split()) for k in groups), default=1))
    ties = {}
    for short in groups:
        words = short.split()
        # An acronym has its own tie ("North Atlantic Treaty Organization (NATO)").
        acronym = all(m.text.isupper() for m in groups[short])
        # A place's name alone is the place, not the organisation named after it ("Boston",
        # "Boston Herald").
        first_word_only = len(words) == 1 and bool(person_votes.get(short)) and not same_given_name_known(short)
        if not (org_like(short) or first_word_only) or acronym or len(short) < 3:
            continue
        if short in written_lower or lookup_place(short):
            continue
        fits = {
            long
            for long in longs
            if len(long.split()) > len(words)
            and (
                long.startswith(short + " ")
                or (
                    not first_word_only
                    and (long.endswith(" " + short) or (len(words) == 1 and long.split()[0].startswith(short)))
                )
            )
        }
        if len(fits) == 1:
            ties[short] = fits.pop()
    return ties


def _lowercase_phrases(text: str, max_words: int) -> set[str]:
    """Every run of up to max_words words the document writes in lower case, one space
    apart ("the bank", "red sox"): a name written so too is a common noun. One pass over the
    text, whatever the number of names (a name-by-name search was quadratic in a long file)."""
    words = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"[\w&]+", text)]
    phrases = set()
    for i, (start, _end, word) in enumerate(words):
        if not word[0].islower() or (start and text[start - 1] == "."):
            continue
        phrase, last = word, i
        phrases.add(phrase)
        for j in range(i + 1, min(i + max_words, len(words))):
            if text[words[last][1] : words[j][0]] != " " or not words[j][2][0].islower():
                break
            phrase, last = f"{phrase} {words[j][2]}", j
            phrases.add(phrase)
    return phrases


def _ends_with_surname(full: str, tail: str) -> bool:
    name = person_name(full)
    return full.endswith(" " + tail) or (
        name is not None and (name.surname == tail or name.surname.endswith(" " + tail))
    )


# --------------------------------------------------------------------------- person names

# "O'Brien" folds to "o brien": the letter belongs to the surname. (Not "d": "D. Fleming" is an
# initial far more often than "D'Angelo" is a surname.)
_ELIDED_PARTICLES = {"o"}

# Generational suffixes: part of a name, never its surname ("Arcade Joseph Comeaux Jr.").
NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}


@dataclass(frozen=True)
class PersonName:
    """A folded person name in parts: "w mark felt sr" -> forename mark, initials (w,), surname felt, suffix sr."""

    forename: str | None  # the first given name longer than an initial
    initials: tuple[str, ...]  # the initials of the other given names, leading and middle
    surname: str
    suffix: str | None
    middle_names: tuple[str, ...] = ()  # the given names after the forename, written in full


@lru_cache(maxsize=1 << 16)  # the resolution asks for the same keys' parts several times
def person_name(folded: str) -> PersonName | None:
    """The parts of a folded name of two words or more, else None."""
    words = folded.split(":", 1)[-1].split()
    suffix = words.pop() if len(words) >= 3 and words[-1] in NAME_SUFFIXES else None
    if len(words) < 2:
        return None
    surname = words.pop()
    while words and (words[-1] in _ELIDED_PARTICLES or (len(words) > 1 and words[-1] in NAME_PARTICLES)):
        surname = words.pop() + " " + surname
    if not words:
        return None  # a surname alone: "o brien"
    forename = next((w for w in words if len(w) > 1), None)
    initials = tuple(w[0] for w in words if w is not forename)
    middle_names = tuple(w for w in words[words.index(forename) + 1 :] if len(w) > 1) if forename else ()
    return PersonName(forename, initials, surname, suffix, middle_names)


def same_given_name(a: str, b: str) -> bool:
    """Equal, or one a nickname of the other by the `nicknames` package ("fred" / "frederick")."""
    if a == b:
        return True
    nn = _nicknamer()
    return b in nn.canonicals_of(a) or a in nn.canonicals_of(b)


@lru_cache(maxsize=1)
def _nicknamer():
    from nicknames import NickNamer

    return NickNamer()


def at_most_as_specific(a: PersonName, b: PersonName) -> bool:
    """True when name a may be a shorter way of writing name b: the same surname, given names
    that agree (a nickname or an initial of b's, or b's middle name, by which some go:
    "Joseph Comeaux Jr." of "Arcade Joseph Comeaux Jr."), no initials or suffix that b lacks."""
    if a.surname != b.surname:
        return False
    if a.forename and b.forename:
        if not same_given_name(a.forename, b.forename) and (a.initials or a.forename not in b.middle_names):
            return False
    elif a.forename and not b.forename:
        return False
    elif b.forename and a.initials[:1] and a.initials[0] != b.forename[0]:
        return False
    if a.initials and a.initials != b.initials and (a.forename or a.initials[1:] != b.initials):
        return False
    return a.suffix is None or a.suffix == b.suffix


def _specificity(folded: str, name: PersonName) -> tuple:
    return (name.forename is not None, len(name.initials), name.suffix is not None, len(name.forename or ""), folded)


def join_name_variants(names: list[str]) -> dict[str, str]:
    """Each name that is a shorter variant of exactly one fullest name -> that name.

    "mark felt" and "w mark felt" join "w mark felt sr"; with "mark felt jr" there too, "mark
    felt" fits two people and stays apart ("two Felts in one story are two people").
    """
    parsed = {n: p for n in names if (p := person_name(n)) is not None}
    above = {
        a: [
            b
            for b in parsed
            if b != a
            and at_most_as_specific(parsed[a], parsed[b])
            and (
                not at_most_as_specific(parsed[b], parsed[a]) or _specificity(b, parsed[b]) > _specificity(a, parsed[a])
            )
        ]
        for a in parsed
    }
    fullest = {n for n in parsed if not above[n]}
    out = {}
    for a in parsed:
        if a in fullest:
            continue
        targets = {b for b in fullest if at_most_as_specific(parsed[a], parsed[b])}
        if len(targets) == 1:
            out[a] = targets.pop()
    return out


def join_misspelt_surnames(names: list[str], counts: dict[str, int]) -> dict[str, str]:
    """Full names alike but for one letter of a surname of five letters or more -> the spelling
    mentioned more often (then the first in `names`). Given names one letter apart are often two
    people (Alexis, Alexia), and short surnames too (Mark Kim, Mark Kin): those stay apart."""
    out: dict[str, str] = {}
    for a in names:
        for b in names:
            wa, wb = a.split(), b.split()
            if (
                a != b
                and len(wa) == len(wb) >= 2
                and wa[:-1] == wb[:-1]
                and min(len(wa[-1]), len(wb[-1])) >= 5
                and _one_edit_apart(wa[-1], wb[-1])
                and (counts[b], -names.index(b)) > (counts[a], -names.index(a))
            ):
                out[a] = b
    return out


def _one_edit_apart(a: str, b: str) -> bool:
    """One letter replaced, added or dropped."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def tie_acronyms(text: str, mentions: list[Mention]) -> dict[str, str]:
    """Folded acronym -> folded long form, for every "Long Form (ACRONYM)" in the text."""
    ties = {}
    for m in sorted(mentions, key=lambda m: m.start):
        a = re.match(r"\s*(?:['’]s\s*)?\(([A-Z][A-Za-z.&]{1,9})\)", text[m.end : m.end + 20])
        if not a:
            continue
        acronym = a.group(1)
        initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", m.text) if w[0].isupper())
        if acronym.replace(".", "").upper() == initials.upper():
            ties[fold(acronym)] = fold(m.text)
    return ties


def _entity(text: str, mentions: list[Mention], head: str, acronym: str | None) -> Entity:
    votes = Counter(m.label for m in mentions)
    # A person named in full ("Antony Blinken") outvotes the model's other guesses for the
    # surname ("Blinken" as a place, "Reeker" as an organisation).
    if any(m.label == "PERSON" and len(m.text.split()) >= 2 for m in mentions):
        etype = "PERSON"
    else:
        etype = vote(votes)
    canonical = _canonical_name(mentions, etype)
    etype = place_reading(text, mentions, etype, canonical) or etype
    place = lookup_place(canonical) if etype in PLACE_LABELS else None
    country = None
    if place:
        # The gazetteer's name where the document writes it so, and a country's news name
        # ("United States" for "U.S."); else the document's own spelling ("Aleppo", not "Ḩalab").
        if place.name and (
            place.geonameid is None
            or fold(place.name) in {fold(m.text) for m in mentions}
            or lookup_place(place.name) == place
        ):
            canonical = place.name
        etype, country = place.type, place.country_code
    # An acronym tied to its long form is known by the long form ("name:european union").
    key = f"name:{head}" if acronym and not place else entity_key(canonical, etype, bool(place))
    return Entity(canonical, etype, country, sorted(mentions, key=lambda m: m.start), key, acronym)


# Words before a name that make it a place: "in Innisfail", "near Aleppo", "from the Ghouta".
_PLACE_PREPOSITION = re.compile(r"\b(?:in|at|near|outside|across|around|into|throughout)\s+(?:the\s+)?$", re.I)


def place_reading(text: str, mentions: list[Mention], etype: str, canonical: str) -> str | None:
    """The place type of a name the model typed as a person or an organisation, when the
    article reads it as a place; None when it stays what it is.

    A person that is a well-known place (a country, a division, a city of 100,000+:
    "Edmonton", "Aleppo") is the place, unless the article names a person so: in full ("Paris
    Hilton", "Campbell Paterson" then "Mr Paterson"), after a title, or it is a given name
    ("Tyler"). A name after a preposition of place ("in Innisfail", "near the Ghouta") that
    does not speak ("Noma said") is a place when the gazetteer knows a town of 5,000+ of that
    name (a person) or it is a well-known place (an organisation: "fans in Liverpool", while
    "Liverpool beat Chelsea" stays the club).
    """
    if etype not in ("PERSON", "ORG") or canonical.isupper():
        return None
    if etype == "PERSON" and _named_as_person(text, mentions, canonical):
        return None
    place = lookup_place(canonical)
    if etype == "PERSON" and place is not None and not same_given_name_known(canonical):
        return place.type
    if not any(_PLACE_PREPOSITION.search(text[max(0, m.start - 25) : m.start]) for m in mentions):
        return None
    if any(_SPEAKS.match(text, m.end) for m in mentions):
        return None
    if place is not None:
        return place.type
    towns = (p for p, kind in gazetteer().candidates(fold(canonical)) if kind == "name" and p.feature_class == "P")
    return "GPE" if etype == "PERSON" and any(p.population >= 5000 for p in towns) else None


_TITLE_BEFORE = re.compile(
    r"\b(?:" + "|".join(sorted(t for t in TITLES if t.isalpha() and len(t) > 1)) + r")\.?\s+$", re.I
)
_SPEAKS = re.compile(r"\s+(?:said|says|told|asked|added)\b")
_OFFICE_AFTER = re.compile(r"\s+(?:administration|presidency)\b", re.I)


def known_by_one_word_only(text: str, e: Entity) -> bool:
    """A "person" the article never treats as one: one word, no given name, no title, never
    speaking ("Samos", "Cirencester"): a town's name the model may have taken for a person's."""
    return (
        e.type == "PERSON"
        and len(e.canonical.split()) == 1
        and all(len(m.text.split()) == 1 for m in e.mentions)
        and not same_given_name_known(e.canonical)
        and not _named_as_person(text, e.mentions, e.canonical)
        and not any(_SPEAKS.match(text, m.end) for m in e.mentions)
    )


def _named_as_person(text: str, mentions: list[Mention], canonical: str) -> bool:
    """Whether the article names a person so: in full (a given name before it), after a title
    ("Mr Paterson", "President Tyler"), or before their office ("the Bush administration")."""
    if any(len(m.text.split()) >= 2 and same_given_name_known(m.text.split()[0]) for m in mentions):
        return True
    if len(canonical.split()) == 1 and any(
        same_given_name_known(g) for g in re.findall(r"\b([A-Z][a-z]+)\s+" + re.escape(canonical) + r"\b", text)
    ):
        return True  # "Campbell Paterson": the surname of someone named in full
    if any(_OFFICE_AFTER.match(text, m.end) for m in mentions):
        return True
    return any(_TITLE_BEFORE.search(text[max(0, m.start - 20) : m.start]) for m in mentions)


def same_given_name_known(word: str) -> bool:
    """True for a word the nicknames package knows as a given name ("Victoria", "Austin")."""
    nn = _nicknamer()
    w = fold(word)
    return bool(nn.nicknames_of(w) or nn.canonicals_of(w))


def entity_key(canonical: str, etype: str, is_place: bool) -> str:
    """The key an entity is known by across documents.

    place:<name>   a gazetteer place: the same key in every document
    person:<name>  a person named in full
    surname:<name> a person named by one word only: resolved across documents
    acronym:<A>    a bare acronym ("EU"): resolved to its long form across documents
    name:<name>    anything else
    """
    folded = fold(canonical)
    if is_place:
        return f"place:{folded}"
    if etype == "PERSON":
        return f"{'person' if person_name(folded) else 'surname'}:{folded}"
    if re.fullmatch(r"[A-Z][A-Z.&]{1,7}", canonical):
        return f"acronym:{folded}"
    if etype == "ORG":
        folded = fold(strip_org_suffix(canonical))
    return f"name:{folded}"


# Legal-form and outlet suffixes: "Time Warner Inc" and "Time Warner", "UrduPoint.com" and
# "UrduPoint News" name one organisation.
_ORG_SUFFIX = re.compile(
    r"(?:\.com|,?\s+(?:inc|corp|corporation|co|company|ltd|limited|plc|llc|ag|sa|nv|gmbh|group|holdings|news agency|news)\.?)$",
    re.I,
)


def strip_org_suffix(name: str) -> str:
    stripped = _ORG_SUFFIX.sub("", name).strip()
    return stripped if len(stripped) >= 2 else name


def vote(votes: Counter) -> str:
    """The entity type most votes give; ties go to the more specific reading (a person or a
    place over an organisation)."""
    order = ["PERSON", "GPE", "ORG", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"]
    return max(votes, key=lambda lab: (votes[lab], -order.index(lab)))


def _canonical_name(mentions: list[Mention], etype: str) -> str:
    return canonical_form(Counter(re.sub(r"\s+", " ", m.text) for m in mentions), etype)


def canonical_form(forms: Counter, etype: str) -> str:
    """The name to show for an entity, from its spellings and how often each was seen.

    A person: the fullest name. Others: the most frequent, then the longest; organisations
    without their legal-form suffix ("Time Warner", not "Time Warner Inc"). Accented
    spellings win over their folded twins ("Wilmès" over "Wilmes"), mixed case over upper
    case ("Washington" over "WASHINGTON").
    """

    def score(form: str):
        accented = any(ord(c) > 127 for c in form)
        shouting = form.isupper() and len(form) > 5
        if etype == "PERSON":
            return (len(form.split()), not shouting, accented, forms[form], form)
        return (not shouting, forms[form], len(form), accented, form)

    best = max(forms, key=score)
    if best.isupper() and len(best) > 5 and etype in {"PERSON", "GPE", "LOC"}:
        best = best.title()
    return strip_org_suffix(best) if etype == "ORG" else best
