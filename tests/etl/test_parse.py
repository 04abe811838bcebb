import codecs
import json
from datetime import date

import pytest

from etl.errors import BadInputFile
from etl.parse import decode, parse_article, parse_calendar_date
from tests.conftest import DEMO_LANDING, SAMPLES

EXPECTED = json.loads((SAMPLES / "expected.json").read_text())


def _sample(name):
    return parse_article(decode((DEMO_LANDING / "2021-03-22" / name).read_bytes()))


@pytest.mark.parametrize("name", sorted(EXPECTED["articles"]))
def test_parse_sample_matches_expected(name):
    want = EXPECTED["articles"][name]
    a = _sample(name)
    assert a.title == want["title"]
    assert a.published == (date.fromisoformat(want["published"]) if want["published"] else None)
    for junk in want.get("boilerplate_removed", []):
        assert junk not in a.body and junk in a.boilerplate
    if "caption" in want:
        assert a.captions == [want["caption"]]
        assert want["caption"] not in a.body
        # The sentences on both sides of the glued caption stay in the body.
        assert "face together.”" in a.body and "After four years" in a.body
    if "dateline" in want:
        assert a.dateline_place.upper() == want["dateline"]["place"]
        assert a.dateline_agency == want["dateline"]["agency"]
        assert a.dateline_date == date.fromisoformat(want["dateline"]["date"])
    if want["source"]:
        assert a.source == "UrduPoint.com" and a.published_basis == "header"
    else:
        assert a.source is None and a.published_basis is None


def test_parse_segments_are_offsets_into_the_text():
    a = _sample("004_c5d559a7d65a04c6.txt")
    kinds = [s.kind for s in a.segments]
    assert kinds[:4] == ["source", "title", "dateline", "body"]
    spans = [a.text[s.start : s.end] for s in a.segments]
    assert spans[0] == "UrduPoint.com"
    assert spans[2] == "WASHINGTON (UrduPoint News / Sputnik - 23rd March, 2021)"
    # The header's date is metadata, not text to find dates in.
    assert all(s.start > a.text.index("2021-03-23") for s in a.segments)


def test_parse_reuters_dateline_on_its_own_line():
    a = parse_article("SOCCER - BARCELONA WIN.\nBARCELONA 1996-08-30\nBarcelona beat Madrid 2-1 on Friday.\n")
    assert a.title == "SOCCER - BARCELONA WIN."
    assert (a.dateline_place, a.published, a.published_basis) == ("Barcelona", date(1996, 8, 30), "dateline")
    assert a.body == "Barcelona beat Madrid 2-1 on Friday."


def test_parse_agency_dateline_with_place_and_date():
    a = parse_article("Markets fall\n\nPARIS, March 3, 2021 (Reuters) - Shares fell on Wednesday.\n")
    assert (a.dateline_place, a.dateline_agency, a.source) == ("Paris", "Reuters", "Reuters")
    assert a.body == "Shares fell on Wednesday."


def test_parse_title_only_file_is_an_article():
    a = parse_article("Just a headline\n")
    assert a.title == "Just a headline" and a.body == ""


def test_parse_bbc_shape_title_blank_paragraphs():
    a = parse_article("Ad sales boost Time Warner profit\n\nQuarterly profits jumped.\n\nThe firm benefited.\n")
    assert a.title == "Ad sales boost Time Warner profit"
    assert a.body == "Quarterly profits jumped.\n\nThe firm benefited."
    assert a.published is None and a.captions == []


def test_parse_non_english_article_records_its_language():
    text = "Le gouvernement\n\n" + "Le président de la République a annoncé hier soir une nouvelle loi sur les retraites, que le Parlement examinera au printemps. " * 3
    assert parse_article(text).language == "fr"


@pytest.mark.parametrize(
    "data, expected",
    [
        ("Grüße aus Köln\n".encode("utf-8"), "Grüße aus Köln\n"),
        (codecs.BOM_UTF8 + "café\n".encode("utf-8"), "café\n"),
        ("Ça va\r\n".encode("utf-16"), "Ça va\r\n"),  # BOM-marked UTF-16
        ("Wilmès said\n".encode("latin-1"), "Wilmès said\n"),  # not UTF-8: cp1252 fallback
        ("“Quoted”\n".encode("cp1252"), "“Quoted”\n"),
    ],
)
def test_decode_accepts_text_in_common_encodings(data, expected):
    assert decode(data) == expected


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b" \n\t\r\n ", "empty"),
        (b"text\x00more", "NUL"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_decode_rejects_what_is_not_text(data, reason):
    with pytest.raises(BadInputFile, match=reason):
        decode(data)


@pytest.mark.parametrize(
    "s, expected",
    [("23rd March, 2021", date(2021, 3, 23)), ("March 18, 2021", date(2021, 3, 18)), ("1996-08-30", date(1996, 8, 30)), ("no date", None)],
)
def test_parse_calendar_date(s, expected):
    assert parse_calendar_date(s) == expected
