"""Places: every place entity of an article grounded in GeoNames, and the article's focus.

A name alone rarely says which place it is (34 populated places are called Springfield), so a
place is chosen among the gazetteer's candidates by what the article says around it:

- a container written after it ("Paris, Texas", "Cairns, Queensland", "Salem, Ore.");
- the countries and divisions of the article's other places, its dateline's above all;
- nearness to the article's other places;
- what kind of place it is (a country, a division, a capital) and how many people live
  there, the prior when nothing else speaks;
- for a dateline, that it names a town or city.

Each candidate gets a score, a weighted sum of those signals (WEIGHTS, fitted on the
GeoWebNews and TR-News development sets: `news-etl dev evaluate places`); the article's other
places speak through their own best candidates, found first from the priors and then again
with each other's context. The confidence of the best candidate is its share of the scores'
softmax; below MIN_CONFIDENCE the place stays ungrounded: no coordinates, never a guess.

A demonym ("Turkish", "Americans") is grounded to its country as a place reference; it stays
the entity it is (NORP).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from etl.enrich.entities import known_by_one_word_only
from etl.enrich.gazetteer import MAJOR_CITY_POPULATION, REGION_NAMES, GeoPlace, gazetteer
from etl.enrich.gazetteer_data import haversine_km
from etl.names import fold


@dataclass(frozen=True)
class Weights:
    population: float = 0.7  # per power of ten of people
    alternate_name: float = -1.0  # known by one of its other names, not its own
    country: float = 3.3  # kinds of place: a country, a first-level division, a capital, ...
    division: float = -0.5
    capital: float = 1.0
    major_city: float = 1.0  # a city of a million or more: known by its name alone
    continent: float = 2.0
    container: float = 3.0  # written "town, container" with this container
    same_country: float = 2.5  # share of the article's other places in its country
    same_division: float = 5.3  # ... in its division
    near: float = 1.1  # another town of the article within NEAR_KM
    dateline_country: float = 1.5  # in the dateline place's country
    dateline_town: float = 2.0  # the dateline's place is a town or city


WEIGHTS = Weights()
NEAR_KM = 200.0
SAME_ANSWER_KM = 100.0
# Below this confidence a place keeps no coordinates (docs/enrichment.md, "Places").
MIN_CONFIDENCE = 0.2
PLACE_TYPES = {"GPE", "LOC", "FAC"}

# Words a place's name carries in news that GeoNames' does not ("Oaxaca State", "Calamba City").
_GENERIC_TAIL = re.compile(r"\s+(?:state|province|governorate|region|district|city|prefecture|municipality|oblast)$")
# "Salem, Ore." / "Paris, Texas" / "Cairns, Queensland": the container after a place's name.
_CONTAINER_AFTER = re.compile(r"\s*,\s*((?:[A-Z][\w'’-]*\.?)(?:\s+[A-Z][\w'’-]*\.?){0,3}|(?:[A-Z]\.){2,3})")


@dataclass(frozen=True)
class Grounding:
    place: GeoPlace
    confidence: float


@dataclass(frozen=True)
class Focus:
    """What an article is about, where: its main country and its main place."""

    country: GeoPlace | None
    place: GeoPlace | None


@dataclass
class _Candidate:
    place: GeoPlace
    kind: str  # name | alternate | demonym
    contained: bool = False  # written "town, container" with a container that holds it


def towns_taken_for_people(text: str, entities: Sequence, groundings: dict[int, Grounding]) -> list[int]:
    """The entities typed as people that are towns or divisions of the article's own countries
    by name ("Samos" in a story of Greek islands, "Cirencester" beside Gloucestershire), when
    the article never treats them as a person's name (known_by_one_word_only)."""
    countries = {g.place.country_code for g in groundings.values() if g.place.country_code}
    return [
        i
        for i, e in enumerate(entities)
        if known_by_one_word_only(text, e)
        and any(
            kind == "name" and p.feature_class in ("P", "A") and p.country_code in countries
            for p, kind in gazetteer().candidates(fold(e.canonical))
        )
    ]


def ground_places(
    text: str, entities: Sequence, dateline_place: str | None = None, weights: Weights = WEIGHTS
) -> dict[int, Grounding]:
    """Entity index -> its grounding, for the place and demonym entities of one article.

    `entities` are the article's entities (etl.enrich.entities.Entity): their type and
    mentions (offsets into `text`) are read.
    """
    candidates = {i: c for i, e in enumerate(entities) if (c := _candidates_of(text, e))}
    if not candidates:
        return {}
    weight = {i: len(entities[i].mentions) for i in candidates}
    dateline = _dateline_entity(entities, candidates, dateline_place)
    # Round one: each place by its own signals; then each with the others' best candidates
    # as its context, twice (a place's choice can change another's).
    best = {i: max(cs, key=lambda c: _score(c, weights, None, i, dateline, weight)) for i, cs in candidates.items()}
    for _ in range(2):
        context = dict(best)
        best = {}
        scored = {}
        for i, cs in candidates.items():
            scores = [_score(c, weights, context, i, dateline, weight) for c in cs]
            top = max(range(len(cs)), key=lambda k: (scores[k], -cs[k].place.geonameid))
            best[i] = cs[top]
            scored[i] = (scores, top)
    groundings = {}
    for i, (scores, top) in scored.items():
        confidence = _confidence(candidates[i], scores, top)
        if confidence >= MIN_CONFIDENCE and best[i].place.latitude is not None:
            groundings[i] = Grounding(best[i].place, round(confidence, 3))
    return groundings


def _candidates_of(text: str, entity) -> list[_Candidate]:
    """Every place the entity's spellings may mean; a demonym's country for a NORP entity."""
    gaz = gazetteer()
    demonym_only = entity.type == "NORP"
    if not demonym_only and entity.type not in PLACE_TYPES:
        return []
    found: dict[int, _Candidate] = {}
    if any(fold(m.text) in REGION_NAMES for m in entity.mentions):
        return []  # a region ("Middle East", "Atlantic") the gazetteer has no point for
    for m in entity.mentions:
        abbreviated = gaz.abbreviation(m.text)
        options = [(abbreviated, "name")] if abbreviated else list(gaz.candidates(fold(m.text)))
        if not options:
            options = [o for alternative in _name_variants(fold(m.text)) for o in gaz.candidates(alternative)]
        containers = _containers_after(text, m.end)
        for place, kind in options:
            if (kind == "demonym") != demonym_only:
                continue
            c = found.setdefault(place.geonameid, _Candidate(place, kind))
            if kind == "name":
                c.kind = "name"
            c.contained |= any(_holds(container, place) for container in containers)
    if demonym_only and found:
        # "American" names the United States, not each of its territories.
        top = max(found.values(), key=lambda c: (c.place.population, -c.place.geonameid))
        return [top]
    return list(found.values())


def _name_variants(folded: str) -> list[str]:
    """Other ways the gazetteer may write a name: without a generic word ("Oaxaca State"),
    with "County" spelled out ("Plymouth Co.")."""
    variants = [_GENERIC_TAIL.sub("", folded), re.sub(r"\bco$", "county", folded)]
    return [v for v in dict.fromkeys(variants) if v != folded]


def _containers_after(text: str, end: int) -> list[GeoPlace]:
    """Divisions and countries written right after a place's name ("Salem, Ore.")."""
    m = _CONTAINER_AFTER.match(text, end)
    if not m:
        return []
    gaz = gazetteer()
    written = m.group(1)
    out = []
    for form in dict.fromkeys([written, written.rstrip(".")]):
        abbreviated = gaz.abbreviation(form)
        if abbreviated:
            out.append(abbreviated)
        out.extend(p for p, kind in gaz.candidates(fold(form)) if kind == "name" and (p.is_country or p.is_division))
    return out


def _holds(container: GeoPlace, place: GeoPlace) -> bool:
    if container.geonameid == place.geonameid or container.country_code != place.country_code:
        return False
    return container.is_country or (
        container.is_division and container.admin1_code == place.admin1_code and not place.is_country
    )


def _dateline_entity(entities: Sequence, candidates: dict, dateline_place: str | None) -> int | None:
    if not dateline_place:
        return None
    folded = fold(dateline_place)
    for i in candidates:
        if any(fold(m.text) == folded for m in entities[i].mentions):
            return i
    return None


def _score(c: _Candidate, w: Weights, context: dict | None, me: int, dateline: int | None, weight: dict) -> float:
    p = c.place
    s = w.population * math.log10(1 + p.population)
    if c.kind == "alternate":
        s += w.alternate_name
    if p.is_country:
        s += w.country
    elif p.feature_code == "ADM1":
        s += w.division
    elif p.feature_code == "PPLC":
        s += w.capital
    if p.feature_class == "P" and p.population >= MAJOR_CITY_POPULATION:
        s += w.major_city
    elif p.feature_class == "L":
        s += w.continent
    if c.contained:
        s += w.container
    if me == dateline and p.feature_class == "P":
        s += w.dateline_town
    if context:
        others = [(weight[j], o.place) for j, o in context.items() if j != me]
        total = sum(n for n, _ in others)
        if total:
            same_country = sum(n for n, o in others if o.country_code and o.country_code == p.country_code)
            s += w.same_country * same_country / total
            if p.admin1_code and not p.is_country:
                same_division = sum(
                    n
                    for n, o in others
                    if o.country_code == p.country_code and o.admin1_code == p.admin1_code and not o.is_country
                )
                s += w.same_division * same_division / total
        if (
            p.feature_class == "P"
            and p.latitude is not None
            and any(
                o.feature_class == "P"
                and o.latitude is not None
                and haversine_km(p.latitude, p.longitude, o.latitude, o.longitude) <= NEAR_KM
                for _n, o in others
            )
        ):
            s += w.near
        if dateline is not None and dateline != me and dateline in context:
            if context[dateline].place.country_code == p.country_code:
                s += w.dateline_country
    return s


def _confidence(candidates: list[_Candidate], scores: list[float], top: int) -> float:
    """The softmax share of the candidates that put the place where the best one does (Paris
    the city and Paris the département are one answer on a map)."""
    peak = max(scores)
    exps = [math.exp(s - peak) for s in scores]
    best = candidates[top].place
    same = sum(
        x
        for c, x in zip(candidates, exps)
        if c.place.latitude is not None
        and best.latitude is not None
        and haversine_km(best.latitude, best.longitude, c.place.latitude, c.place.longitude) <= SAME_ANSWER_KM
    )
    return same / sum(exps)


def focus_of(entities: Sequence, groundings: dict[int, Grounding], dateline_place: str | None = None) -> Focus:
    """The article's main country and main place, by mentions, the dateline's place counting
    two more: the country its places (towns, divisions, the country itself, demonyms) name
    most, and the town or division it names most."""
    if not groundings:
        return Focus(None, None)
    gaz = gazetteer()
    dateline = fold(dateline_place) if dateline_place else None
    votes: Counter = Counter()
    countries: Counter = Counter()
    first: dict = {}  # where the article first names a place or a country: ties go to the lede's
    places: dict[int, GeoPlace] = {}
    for i, g in groundings.items():
        n = len(entities[i].mentions)
        start = min(m.start for m in entities[i].mentions)
        if dateline and any(fold(m.text) == dateline for m in entities[i].mentions):
            n += 2
        if g.place.country_code:
            countries[g.place.country_code] += n
            first[g.place.country_code] = min(start, first.get(g.place.country_code, start))
        if (g.place.feature_class == "P" or g.place.is_division) and entities[i].type != "NORP":
            votes[g.place.geonameid] += n
            first[g.place.geonameid] = min(start, first.get(g.place.geonameid, start))
            places[g.place.geonameid] = g.place
    country = gaz.country(max(countries, key=lambda c: (countries[c], -first[c], c))) if countries else None
    place = places[max(votes, key=lambda k: (votes[k], -first[k], -k))] if votes else None
    return Focus(country, place)


def merge_by_place(entities: list, groundings: dict[int, Grounding]) -> dict[str, list[int]]:
    """Entity indexes that one place grounds, by its key (two spellings, one place)."""
    out: dict[str, list[int]] = defaultdict(list)
    for i, g in groundings.items():
        if entities[i].type != "NORP":
            out[place_key(g.place)].append(i)
    return out


def place_key(place: GeoPlace) -> str:
    """The key a grounded place is known by across documents: its GeoNames id."""
    return f"geo:{place.geonameid}"
