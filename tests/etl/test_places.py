"""Places: the gazetteer, grounding by the article's context, demonyms, focus, the warehouse's places."""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa

from etl import pipeline
from etl.enrich import enrich_articles
from etl.enrich.entities import Mention, place_reading, places_within
from etl.enrich.gazetteer import demonym_country, gazetteer, lookup_place, place_abbreviation
from etl.enrich.gazetteer_data import haversine_km
from etl.enrich.jsonl import enrich_jsonl
from etl.parse import parse_article
from etl.settings import load_settings

MODEL = load_settings({}).spacy_model
WASHINGTON_DC, WASHINGTON_STATE = 4140963, 5815135


def _enriched(text: str):
    return enrich_articles([(parse_article(text), date(2021, 3, 22))], MODEL)[0]


def _place(text: str, name: str):
    """The GeoNames place the article grounds the entity named `name` to (None: ungrounded)."""
    [entity] = [e for e in _enriched(text).entities if e.canonical == name or name in {m.text for m in e.mentions}]
    return entity.geo


# --------------------------------------------------------------------------- the gazetteer


def test_the_gazetteer_holds_towns_divisions_countries_and_continents_with_points():
    summary = gazetteer().summary()
    codes = summary["by_feature_code"]
    assert codes["PPL"] > 200_000 and codes["ADM1"] > 3_000 and codes["PCLI"] > 240 and codes["CONT"] == 7
    edmonton = [p for p, _kind in gazetteer().candidates("edmonton") if p.country_code == "CA"]
    assert [(p.admin1_name, round(p.latitude), round(p.longitude)) for p in edmonton] == [("Alberta", 54, -113)]
    # A country's point lies in its main territory (the contiguous states, not Alaska).
    us = gazetteer().country("US")
    assert 30 < us.latitude < 45 and -105 < us.longitude < -90


def test_press_abbreviations_demonyms_and_news_names_are_known():
    assert place_abbreviation("Alta.").name == "Alberta" and place_abbreviation("Calif.").name == "California"
    assert demonym_country("Turkish").name == "Turkey"
    # The demonym of the United States and of its territories: the country.
    assert demonym_country("Americans").country_code == "US"
    assert lookup_place("Britain").name == "United Kingdom"
    # A country's initials, as written: "UAE" is the Emirates; "Car" is no Central African Republic.
    assert lookup_place("UAE").country_code == "AE" and lookup_place("Car") is None


# --------------------------------------------------------------------------- grounding


@pytest.mark.parametrize(
    "text, name, country, division",
    [
        ("Storm\n\nThe storm hit Paris, Texas, on Monday.", "Paris", "US", "Texas"),
        ("Fair\n\nThe fair opened in Springfield, Ill., on Monday.", "Springfield", "US", "Illinois"),
        ("Concert\n\nThe band played in London, Ontario, on Monday.", "London", "CA", "Ontario"),
    ],
)
def test_a_container_written_after_a_town_decides_which_town_it_is(text, name, country, division):
    place = _place(text, name)
    assert (place.country_code, place.admin1_name) == (country, division)


def test_the_articles_other_places_decide_an_ambiguous_name():
    canada = _place("Tour\n\nThe band played Toronto and Hamilton, then London and Ottawa.", "London")
    britain = _place("Tour\n\nThe band played Manchester and Birmingham, then London and Glasgow.", "London")
    assert (canada.country_code, britain.country_code) == ("CA", "GB")


def test_a_dateline_names_a_city_the_capital_not_the_state():
    place = _place("Talks\n\nWASHINGTON (Reuters) - Officials met on Monday to discuss the budget.", "Washington")
    assert place.geonameid == WASHINGTON_DC


GEO_FIELDS = ("geonameid", "lat", "lon", "feature_code", "country_code", "admin1")


def test_a_name_the_article_does_not_pin_down_gets_no_coordinates(tmp_path):
    text = "Meeting\n\nThe meeting was held in Franklin on Monday."
    assert _place(text, "Franklin") is None
    docs, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    docs.write_text(
        json.dumps({"id": 1, "text": text + " Officials flew in from Brussels.", "published": "2021-03-22"}) + "\n"
    )
    enrich_jsonl(docs, out, load_settings({}))
    mentions = {e["text"]: e for e in json.loads(out.read_text())["entities"]}
    # enrich's contract: a place mention carries its GeoNames fields, null when ungrounded.
    assert {k: mentions["Franklin"][k] for k in GEO_FIELDS} == dict.fromkeys(GEO_FIELDS)
    assert {k: mentions["Brussels"][k] for k in GEO_FIELDS} == {
        "geonameid": 2800866,
        "lat": 50.85045,
        "lon": 4.34878,
        "feature_code": "PPLC",
        "country_code": "BE",
        "admin1": "Bruxelles-Capitale, Région de",
    }


def test_one_place_is_one_entity_whatever_its_spelling():
    entities = _enriched(
        "Markets\n\nTraders in Bombay said on Monday that shares rose. Mumbai is India's financial capital."
    ).entities
    [mumbai] = [e for e in entities if e.key == "geo:1275339"]
    assert mumbai.canonical == "Mumbai" and {m.text for m in mumbai.mentions} == {"Bombay", "Mumbai"}


def test_a_demonym_stays_what_it_is_and_refers_to_its_country():
    [turkish] = [e for e in _enriched("Trade\n\nTurkish officials met on Monday.").entities if e.canonical == "Turkish"]
    assert (turkish.type, turkish.key, turkish.geo.name, turkish.geo.feature_code) == (
        "NORP",
        "name:turkish",
        "Turkey",
        "PCLI",
    )


def test_a_place_named_inside_an_organisations_name_is_a_place_mention_too():
    text = "Fire\n\nThe Los Angeles County Fire Department and the University of Manitoba said so."
    found = places_within(
        [
            Mention(text.index("Los"), text.index(" and"), "Los Angeles County Fire Department", "ORG"),
            Mention(text.index("University"), text.index(" said"), "University of Manitoba", "ORG"),
            Mention(0, 4, "Fire", "ORG"),  # a name that is a place as a whole is not within
            Mention(5, 5 + len("South Central Ambulance"), "South Central Ambulance", "ORG"),  # compass words
            Mention(5, 5 + len("Piano Concerto No"), "Piano Concerto No", "ORG"),  # a word, not the town "No"
        ]
    )
    assert [(text[m.start : m.end], m.label) for m in found] == [("Los Angeles County", "GPE"), ("Manitoba", "GPE")]
    entities = _enriched(text).entities
    assert {"Los Angeles County Fire Department", "Manitoba"} <= {e.canonical for e in entities}
    [manitoba] = [e for e in entities if e.canonical == "Manitoba"]
    assert manitoba.geo.feature_code == "ADM1" and manitoba.geo.country_code == "CA"


def test_a_town_of_the_articles_country_taken_for_a_person_is_the_town():
    from etl.enrich.entities import Entity
    from etl.enrich.places import ground_places, towns_taken_for_people

    text = "Floods\n\nRain hit Gloucester and Cheltenham. Cirencester flooded too, Mr Bolton noted; Bolton left."

    def entity(name, etype, *starts):
        return Entity(name, etype, mentions=[Mention(s, s + len(name), name, etype) for s in starts])

    entities = [
        entity("Gloucester", "GPE", text.index("Gloucester")),
        entity("Cheltenham", "GPE", text.index("Cheltenham")),
        entity("Cirencester", "PERSON", text.index("Cirencester")),  # a town of England
        entity("Bolton", "PERSON", text.index("Bolton"), text.rindex("Bolton")),  # a town too, but Mr Bolton
    ]
    groundings = ground_places(text, entities)
    assert {groundings[i].place.country_code for i in (0, 1)} == {"GB"}
    assert towns_taken_for_people(text, entities, groundings) == [2]
    [cirencester] = [e for e in _enriched(text).entities if e.canonical == "Cirencester"]
    assert cirencester.type == "GPE" and cirencester.geo.country_code == "GB"


@pytest.mark.parametrize(
    "text, name, label, expected",
    [
        ("Fighting around Aleppo went on.", "Aleppo", "PERSON", "GPE"),  # a well-known place the model called a person
        ("Paris Hilton arrived.", "Paris Hilton", "PERSON", None),  # a person named in full
        ("Liverpool beat Chelsea.", "Liverpool", "ORG", None),  # the club
        ("Fans in Liverpool cheered.", "Liverpool", "ORG", "GPE"),  # the city
    ],
)
def test_a_name_the_model_typed_otherwise_is_a_place_where_the_article_reads_it_so(text, name, label, expected):
    start = text.index(name)
    assert place_reading(text, [Mention(start, start + len(name), name, label)], label, name) == expected


def test_the_focus_is_the_most_named_country_and_town_first_named_first():
    focus = _enriched(
        "Tour\n\nThe band played in Manchester on Monday. Manchester fans cheered; Birmingham is next. Britain loves them."
    ).focus
    assert (focus.country.name, focus.place.name) == ("United Kingdom", "Manchester")


# --------------------------------------------------------------------------- the warehouse


def test_the_samples_places_are_on_the_map(engine, settings):
    pipeline.run_partition(engine, settings, date(2021, 3, 22))
    with engine.connect() as conn:
        places = {r.canonical_name: r for r in conn.execute(sa.text("select * from report.places"))}
        focus = conn.execute(sa.text("select focus_place, latitude, longitude from report.article_focus")).all()
    brussels, washington = places["Brussels"], places["Washington"]
    assert haversine_km(brussels.latitude, brussels.longitude, 50.8467, 4.3525) <= 161
    # The dateline's WASHINGTON is the capital, not the state 3,000 km away.
    assert (
        washington.geonameid == WASHINGTON_DC
        and haversine_km(washington.latitude, washington.longitude, 38.8951, -77.0364) <= 161
    )
    assert places["Belgian"].entity_type == "NORP" and places["Belgian"].country_code == "BE"
    assert len(focus) == 2 and all(lat is not None for _p, lat, _lon in focus)


def test_one_place_is_one_entity_across_articles(engine, settings, landing):
    day = landing / "2021-03-25"
    day.mkdir()
    (day / "a.txt").write_text("Markets\n\nTraders in Bombay said on Monday that shares rose in India.\n")
    (day / "b.txt").write_text("Rains\n\nHeavy rain fell on Mumbai on Monday, India's weather office said.\n")
    pipeline.run_partition(engine, settings, date(2021, 3, 25))
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("select canonical_name, articles from report.places where geonameid = 1275339")
        ).all()
    assert rows == [("Mumbai", 2)]
