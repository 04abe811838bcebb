"""The gazetteer: GeoNames places by name, read from the index gazetteer_data builds.

Two questions are asked of it. Is this name a well-known place (lookup_place: countries,
first-level divisions, continents, regions, cities of 100,000+), which decides whether a name
the model typed otherwise is a place? And which places could a place mention mean
(Gazetteer.candidates: every populated place of 500+ people, division, country and continent
of that name), among which etl.enrich.places chooses by the article's context.
"""

from __future__ import annotations

import fcntl
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from etl.enrich import gazetteer_data
from etl.names import fold

# Cities this populous are well known enough that a name the model typed as a person or an
# organisation, in a context that does not make it one, is the city.
NOTABLE_CITY_POPULATION = 100_000
# A city of a million or more is known by its name alone (places' prior, headlines).
MAJOR_CITY_POPULATION = 1_000_000

# Regions newsrooms name that GeoNames' packaged data has no point for: places, never on a map.
REGIONS = [
    "Middle East",
    "Central Asia",
    "Southeast Asia",
    "East Asia",
    "South Asia",
    "Latin America",
    "Western Europe",
    "Eastern Europe",
    "Central Europe",
    "Balkans",
    "Caribbean",
    "Persian Gulf",
    "Mediterranean",
    "Pacific",
    "Atlantic",
    "Arctic",
    "Sahel",
    "Scandinavia",
]


@dataclass(frozen=True)
class GeoPlace:
    """One GeoNames place."""

    geonameid: int
    name: str
    feature_class: str  # A: country or division, P: populated place, L: continent
    feature_code: str  # PCLI, ADM1, ADM2, PPLC (a capital), PPL, CONT
    country_code: str | None
    admin1_code: str | None
    admin1_name: str | None
    latitude: float | None
    longitude: float | None
    population: int

    @property
    def type(self) -> str:
        """spaCy's label for it: a continent is a LOC, everything else a GPE."""
        return "LOC" if self.feature_class == "L" else "GPE"

    @property
    def is_country(self) -> bool:
        return self.feature_code.startswith("PCL")

    @property
    def is_division(self) -> bool:
        return self.feature_code.startswith("ADM")

    @property
    def is_notable(self) -> bool:
        """A country, a first-level division, a continent or a city of 100,000+."""
        if self.feature_class == "P":
            return self.population >= NOTABLE_CITY_POPULATION
        return self.feature_code in ("PCLI", "ADM1", "CONT")


@dataclass(frozen=True)
class Place:
    """A well-known place a name stands for: its name, spaCy type and country."""

    name: str
    type: str  # GPE or LOC
    country_code: str | None
    geonameid: int | None = None


class Gazetteer:
    """Read-only lookups in the index (one SQLite connection a process)."""

    def __init__(self, path: Path):
        self._db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)

    def summary(self) -> dict:
        """What the index holds: its version, places by feature code, spellings."""
        codes = dict(self._db.execute("select feature_code, count(*) from place group by 1 order by 2 desc").fetchall())
        names = self._db.execute("select count(*) from place_name").fetchone()[0]
        version = self._db.execute("select value from meta where key = 'version'").fetchone()[0]
        return {"version": version, "places": sum(codes.values()), "by_feature_code": codes, "spellings": names}

    @lru_cache(maxsize=1 << 16)
    def candidates(self, folded: str) -> tuple[tuple[GeoPlace, str], ...]:
        """Every place a folded name may mean, with how the name is known: name, alternate,
        or demonym (of a country); places by id, so the answer never depends on storage order."""
        rows = self._db.execute(
            "select p.*, min(case n.kind when 'name' then 0 when 'alternate' then 1 else 2 end)"
            " from place_name as n join place as p using (geonameid)"
            " where n.folded = ? and n.kind <> 'abbreviation' group by p.geonameid order by p.geonameid",
            (folded,),
        ).fetchall()
        return tuple((GeoPlace(*row[:10]), _KINDS[row[10]]) for row in rows)

    @lru_cache(maxsize=1 << 12)
    def abbreviation(self, text: str) -> GeoPlace | None:
        """The division a press abbreviation names, written exactly so ("Calif.", "N.Y.")."""
        row = self._db.execute(
            "select p.* from place_name as n join place as p using (geonameid)"
            " where n.folded = ? and n.kind = 'abbreviation' order by p.geonameid limit 1",
            (text.strip(),),
        ).fetchone()
        return GeoPlace(*row) if row else None

    @lru_cache(maxsize=1 << 14)
    def place(self, geonameid: int) -> GeoPlace | None:
        row = self._db.execute("select * from place where geonameid = ?", (geonameid,)).fetchone()
        return GeoPlace(*row) if row else None

    @lru_cache(maxsize=512)
    def country(self, country_code: str) -> GeoPlace | None:
        row = self._db.execute(
            "select * from place where country_code = ? and feature_code = 'PCLI'", (country_code,)
        ).fetchone()
        return GeoPlace(*row) if row else None

    @lru_cache(maxsize=1 << 12)
    def division(self, country_code: str, admin1_code: str) -> GeoPlace | None:
        row = self._db.execute(
            "select * from place where country_code = ? and admin1_code = ? and feature_code = 'ADM1'",
            (country_code, admin1_code),
        ).fetchone()
        return GeoPlace(*row) if row else None


_KINDS = ("name", "alternate", "demonym")


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """This process's gazetteer, building its index first when no process has yet."""
    from etl.settings import gazetteer_path

    path = gazetteer_path(gazetteer_data.GAZETTEER_VERSION)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # One builder at a time: the others wait for its file.
        with open(path.with_name(path.name + ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not path.exists():
                gazetteer_data.build(path)
    return Gazetteer(path)


def _prominence(place: GeoPlace) -> tuple:
    """Which of several well-known places a bare name means: a country, then a continent,
    then a division, then the most populous city ("Singapore" the country, "Paris" in France)."""
    rank = 3 if place.is_country else 2 if place.feature_class == "L" else 1 if place.is_division else 0
    return (rank, place.population, -place.geonameid)


def close_gazetteer() -> None:
    """Close this process's connection; the next lookup opens another (a process about to
    fork children closes it: an SQLite connection must not cross a fork)."""
    if gazetteer.cache_info().currsize:
        gazetteer()._db.close()
        gazetteer.cache_clear()


@lru_cache(maxsize=1 << 16)
def lookup_place(name: str) -> Place | None:
    """The well-known place a name stands for, if any (a press abbreviation counts)."""
    abbreviated = gazetteer().abbreviation(name)
    if abbreviated is not None:
        return Place(abbreviated.name, abbreviated.type, abbreviated.country_code, abbreviated.geonameid)
    folded = fold(name)
    if folded in REGION_NAMES:
        return Place(REGION_NAMES[folded], "LOC", None)
    # A city by its own name only: GeoNames' other names of towns include words ("Ipo").
    notable = [
        p
        for p, kind in gazetteer().candidates(folded)
        if p.is_notable and (kind == "name" or (kind == "alternate" and p.feature_class != "P"))
    ]
    if not notable:
        return None
    best = max(notable, key=_prominence)
    return Place(best.name, best.type, best.country_code, best.geonameid)


REGION_NAMES = {fold(r): r for r in REGIONS}


def place_abbreviation(text: str) -> Place | None:
    """The place a dotted abbreviation names, written exactly so ("Calif.", "N.Y."): without
    its dots "Mass", "Ill" or "Miss" are words, so only the dotted form counts."""
    found = gazetteer().abbreviation(text)
    return Place(found.name, found.type, found.country_code, found.geonameid) if found else None


def demonym_country(text: str) -> GeoPlace | None:
    """The country a demonym or nationality names ("Turkish", "Americans"), if any."""
    # "American" is the demonym of the United States and of its territories: the most populous.
    countries = [place for place, kind in gazetteer().candidates(fold(text)) if kind == "demonym"]
    return max(countries, key=lambda p: (p.population, -p.geonameid), default=None)
