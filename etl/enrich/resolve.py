"""Entities across documents: one canonical entity per key, the same in any load order.

Each document's entities carry a key (entities.entity_key). Across documents:
- variants of one person's name join the fullest one they fit ("Mark Felt", "W. Mark Felt"
  -> "W. Mark Felt Sr."; "Fred X" -> "Frederick C. X"), unless they fit two people;
- a surname seen alone ("surname:stoltenberg") joins the one person named in full with that
  surname anywhere ("person:jens stoltenberg"); with two such people it stays a surname;
- a bare acronym ("acronym:eu") or short name ("name:colts") joins the long form some
  document tied it to ("European Union (EU)", "Indianapolis Colts ... the Colts"), the one
  most documents tie it to;
- one name typed two ways joins the person when more documents call it one ("Mo Cheeks"
  typed once as his team); a one-word name joins the one person of that surname unless more
  documents call it an organisation than name that person ("Ford" the carmaker);
- with no document tying them, initials join the one organisation they abbreviate ("USGS",
  "U.S. Geological Survey") and a name joins the one organisation that is a place and that
  name ("Red Sox", "Boston Red Sox"; implied_short_forms);
- the canonical name is a person's fullest name, else the spelling most documents use (ties:
  the longer): "NATO" over a misnamed long form seen once, "European Union" over "EU".

The inputs are counts per key, so the result depends only on the set of documents, never on
their order. A key's answer depends only on the keys that share a cluster label with it
(cluster_labels): the warehouse keeps the counts by deltas and re-resolves only the clusters
a load touches (etl/warehouse/entities.py).
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from etl.enrich.entities import canonical_form, join_name_variants, person_name, vote
from etl.enrich.gazetteer import lookup_place
from etl.ids import entity_id
from etl.names import fold

# Bump when a rule below (or cluster_labels) changes what keys resolve to: the warehouse
# then rebuilds its cross-document state in full once (news-etl init-db).
RESOLUTION_VERSION = "resolution-5"


@dataclass
class KeyStats:
    """What the documents say about one key: how many name it, how, and as what."""

    type_docs: Counter = field(default_factory=Counter)  # type -> documents
    form_docs: Counter = field(default_factory=Counter)  # spelling -> documents
    name_docs: Counter = field(default_factory=Counter)  # document-level canonical -> documents
    countries: Counter = field(default_factory=Counter)
    places: Counter = field(default_factory=Counter)  # GeoNames id (as text) -> documents


@dataclass(frozen=True)
class ResolvedEntity:
    entity_id: uuid.UUID
    key: str
    canonical_name: str
    entity_type: str
    country_code: str | None
    geonameid: int | None = None  # the place it is, or a demonym refers to


def cluster_labels(key: str, tied_short_forms=()) -> set[str]:
    """Labels shared by keys whose resolutions can depend on each other.

    A person, the other people of that surname, the surname written alone and a one-word
    name share "surname:<surname>" (cluster_label); a short form (an acronym, any name) and
    every long form a document tied it to share "short:<short form>". Keys connected through
    labels are one cluster: resolve_entities gives a key of the cluster the same answer on
    the cluster alone as on every key there is.
    """
    kind, name = key.split(":", 1)
    labels = {f"short:{short}" for short in tied_short_forms}
    if kind in ("person", "surname") or (kind == "name" and " " not in name):
        labels.add(f"surname:{cluster_label(key)}")
    if kind in ("acronym", "name", "person", "surname"):
        labels.add(f"short:{name}")  # a person and the same name typed otherwise share one too
    if kind == "name":
        labels |= {f"short:{short}" for short in implied_short_forms(name)}
    return labels


# Words an initialism skips: "U.S. Geological Survey" is USGS, "Bank of England" BOE.
_NOT_INITIALLED = {"of", "the", "and", "for", "in", "on", "at", "de", "du", "la", "le", "&"}


def implied_short_forms(name: str) -> set[str]:
    """Short forms a long organisation name implies without a document tying them: its
    initials when it has three words or more ("u s geological survey" -> "usgs"), and the
    name after a leading place ("boston red sox" -> "red sox", "indianapolis colts" ->
    "colts"): two words or more, or one plural word (a team's; never "university")."""
    words = name.split()
    out = set()
    initialled = [w for w in words if w not in _NOT_INITIALLED]
    if len(initialled) >= 3:
        out.add("".join(w[0] for w in initialled))
    for i in range(1, len(words)):
        rest = words[i:]
        if (len(rest) >= 2 or (len(rest[0]) > 3 and rest[0].endswith("s"))) and lookup_place(
            " ".join(words[:i])
        ) is not None:
            out.add(" ".join(rest))
    return out


def resolve_keys(keys: set[str], ties: Counter, types: dict[str, Counter] | None = None) -> dict[str, str]:
    """Each key -> the key of the entity it belongs to.

    ties: (short form, long key) -> documents, a short form being an acronym ("eu") or a short
    name the document used for the long one ("colts" for Indianapolis Colts). types: key ->
    documents per type; a one-word name the model did not call a person ("Stoltenberg" as a
    place) still joins the one person of that surname, unless most documents call it an
    organisation ("Ford" the carmaker).

    Each answer depends only on the keys of its cluster (cluster_label): the people of one
    surname, or a short form and the long forms tied to it.
    """
    types = types or {}
    mapping = {k: k for k in keys}
    docs = {k: sum(types.get(k, Counter()).values()) for k in keys}
    # One name typed two ways ("Mo Cheeks" once an organisation, four times a person) is the
    # person when more documents read it so.
    retyped = set()
    for k in keys:
        kind, name = k.split(":", 1)
        person = next((p for p in (f"person:{name}", f"surname:{name}") if p in keys), None)
        if kind == "name" and person and docs[k] < docs[person]:
            mapping[k] = person
            retyped.add(k)
    people_by_surname: dict[str, set[str]] = defaultdict(set)
    for k in keys:
        if k.startswith("person:"):
            people_by_surname[cluster_label(k)].add(k)
    # Variants of one name join the one fullest name they fit ("mark felt" -> "w mark felt sr");
    # a variant that fits two people stays apart (join_name_variants).
    people: dict[str, set[str]] = defaultdict(set)  # a surname as written alone -> its people
    for persons in people_by_surname.values():
        joined = join_name_variants([k.split(":", 1)[1] for k in persons])
        for name, target in joined.items():
            mapping[f"person:{name}"] = f"person:{target}"
        for k in persons:
            parts = person_name(k.split(":", 1)[1])
            surname = parts.surname if parts else k.rsplit(" ", 1)[-1]
            for alone in {surname, surname.split()[-1]}:  # "o brien" and "brien", "von der leyen" and "leyen"
                people[alone].add(mapping[k])
    long_forms: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for (short, long_key), docs in ties.items():
        long_forms[short].append((docs, long_key))
    implied: dict[str, set[str]] = defaultdict(set)  # a short form -> long names implying it
    for k in keys:
        if k.startswith("name:") and _mostly_org_type(types.get(k)):
            for short in implied_short_forms(k.split(":", 1)[1]):
                implied[short].add(k)
    for k in keys:
        kind, name = k.split(":", 1)
        one_word_name = kind == "name" and " " not in name and not _mostly_org(k, people.get(name, ()), types)
        if (kind == "surname" or one_word_name) and len(people.get(name, ())) == 1:
            mapping[k] = next(iter(people[name]))
        elif k in retyped:
            continue
        elif kind in ("acronym", "name") and long_forms.get(name) and not any(lk == k for _d, lk in long_forms[name]):
            # The long form most documents give; equal counts: the smaller key, so never by order.
            mapping[k] = max(long_forms[name], key=lambda c: (c[0], _neg(c[1])))[1]
        elif kind in ("acronym", "name") and _mostly_org_type(types.get(k)) and len(implied[name] - {k}) == 1:
            # "USGS" and the one "U.S. Geological Survey"; "Red Sox" and the one "Boston Red Sox".
            mapping[k] = next(iter(implied[name] - {k}))
    # A short form tied to a variant of a name joins what the variant joined.
    return {k: mapping.get(target, target) for k, target in mapping.items()}


def cluster_label(key: str) -> str:
    """The cluster a key is resolved in: a person's surname (its last word, suffixes aside),
    else the name itself (a surname, a one-word name, a short form and its ties)."""
    kind, name = key.split(":", 1)
    if kind == "person":
        parts = person_name(name)
        return (parts.surname if parts else name).split()[-1]
    if kind == "surname":
        return name.split()[-1]  # "o brien" is in the cluster of "brien"
    return name


def _mostly_org_type(type_docs: Counter | None) -> bool:
    return bool(type_docs) and 2 * type_docs.get("ORG", 0) > sum(type_docs.values())


def _mostly_org(key: str, people: set[str], types: dict[str, Counter]) -> bool:
    """Whether more documents call the word an organisation than name it, or the one person
    of that surname, as a person ("Ford" the carmaker; "Cheeks" typed as the team he coaches)."""
    as_org = types.get(key, Counter()).get("ORG", 0)
    surname = f"surname:{key.split(':', 1)[1]}"
    as_person = sum(types.get(k, Counter()).get("PERSON", 0) for k in {surname, *people})
    return as_org > as_person


def _neg(s: str) -> tuple:
    return tuple(-ord(c) for c in s)


def resolve_entities(stats: dict[str, KeyStats], ties: Counter) -> dict[str, ResolvedEntity]:
    """Each key -> its resolved entity (canonical name, type, country)."""
    mapping = resolve_keys(set(stats), ties, {k: s.type_docs for k, s in stats.items()})
    members: dict[str, list[str]] = defaultdict(list)
    for key, target in mapping.items():
        members[target].append(key)
    entities = {}
    for target, keys in members.items():
        s = stats[keys[0]] if len(keys) == 1 else _merged(stats[k] for k in keys)
        kind = target.split(":", 1)[0]
        etype = "PERSON" if kind in ("person", "surname") else vote(s.type_docs)
        # Places keep the gazetteer's name; others the spelling documents agree on.
        names = s.name_docs if kind in ("place", "geo") else s.form_docs
        country = max(s.countries, key=lambda c: (s.countries[c], c)) if s.countries else None
        # The place most documents ground it to (equal counts: the smaller id).
        place = int(max(s.places, key=lambda g: (s.places[g], -int(g)))) if s.places else None
        entities[target] = ResolvedEntity(
            entity_id(target), target, canonical_form(names, etype), etype, country, place
        )
    return {key: entities[target] for key, target in mapping.items()}


def _merged(many) -> KeyStats:
    into = KeyStats()
    for s in many:
        into.type_docs.update(s.type_docs)
        into.form_docs.update(s.form_docs)
        into.name_docs.update(s.name_docs)
        into.countries.update(s.countries)
        into.places.update(s.places)
    return into


def stats_from_documents(documents) -> tuple[dict[str, KeyStats], Counter]:
    """KeyStats and acronym ties from documents' entity lists (entities.Entity)."""
    stats: dict[str, KeyStats] = defaultdict(KeyStats)
    ties: Counter = Counter()
    for entities in documents:
        for e in entities:
            s = stats[e.key]
            s.type_docs[e.type] += 1
            s.form_docs.update(e.forms)
            s.name_docs[e.canonical] += 1
            if e.country_code:
                s.countries[e.country_code] += 1
            if e.geo:
                s.places[str(e.geo.geonameid)] += 1
            if e.acronym:
                ties[(e.acronym, e.key)] += 1
    return stats, ties


def apply_overrides(
    resolved: dict[str, ResolvedEntity], overrides: list[tuple[str, str, str | None]]
) -> dict[str, ResolvedEntity]:
    """Analysts' corrections (kind, name, target) on top of a resolution.

    alias: the key of that spelling joins the entity named target; merge: every key of the
    entity named name joins the entity named target; not_entity: keys of that spelling, or
    of an entity of that name, are dropped. An override whose target is unknown is skipped.
    """
    if not overrides:
        return resolved
    out = dict(resolved)
    by_name: dict[str, ResolvedEntity] = {}
    for key in sorted(out):
        by_name.setdefault(fold(out[key].canonical_name), out[key])
    for kind, name, target in sorted(overrides):
        name_f = fold(name)
        if kind == "not_entity":
            out = {k: r for k, r in out.items() if k.split(":", 1)[1] != name_f and fold(r.canonical_name) != name_f}
            continue
        into = by_name.get(fold(target or ""))
        if into is None:
            continue
        for k, r in list(out.items()):
            if (kind == "alias" and k.split(":", 1)[1] == name_f) or (
                kind == "merge" and fold(r.canonical_name) == name_f
            ):
                out[k] = into
    return out
