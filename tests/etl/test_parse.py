import codecs
import json
from datetime import date

import pytest

from etl.errors import BadInputFile
from etl.parse import MAX_SEGMENT_CHARS, decode, parse_article, parse_calendar_date, yearless_date
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
    text = (
        "Le gouvernement\n\n"
        + "Le président de la République a annoncé hier soir une nouvelle loi sur les retraites, que le Parlement examinera au printemps. "
        * 3
    )
    assert parse_article(text).language == "fr"


@pytest.mark.parametrize(
    "data, expected",
    [
        ("Grüße aus Köln\n".encode(), "Grüße aus Köln\n"),
        (codecs.BOM_UTF8 + "café\n".encode(), "café\n"),
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
    [
        ("23rd March, 2021", date(2021, 3, 23)),
        ("March 18, 2021", date(2021, 3, 18)),
        ("1996-08-30", date(1996, 8, 30)),
        ("no date", None),
    ],
)
def test_parse_calendar_date(s, expected):
    assert parse_calendar_date(s) == expected


# --------------------------------------------------------------------------- wire copy (issue 13)

WIRE = (SAMPLES.parent / "wire_story.txt").read_text()  # laid out as 1987 Reuters wire copy


def test_parse_wire_story_byline_dateline_and_sign_off():
    a = parse_article(WIRE, date(1987, 3, 26))
    assert a.title == "U.S. TAX WRITERS SEEK ESTATE TAX CURBS"
    assert (a.author, a.source, a.source_aliases) == ("Patti Domm", "Reuters", ["Reuter"])
    assert (a.dateline_place, a.published, a.published_basis) == ("Great Neck", date(1987, 3, 26), "dateline")
    # Hard-wrapped lines are reflowed into paragraphs; the sign-off is boilerplate, not body.
    assert a.body.startswith(
        "French Prime Minister Edouard Balladur said on Thursday that senior officials of the World Bank had"
    )
    assert a.body.endswith("the company said.") and "Reuter" not in a.body and "Reuter" in a.boilerplate
    assert "Patti Domm" not in a.body
    body = [s for s in a.segments if s.kind == "body"]
    assert len(body) == 2
    # Offsets stay offsets into the file text, line breaks included.
    assert a.text[body[0].start : body[0].end].startswith("French Prime Minister Edouard\nBalladur")


def test_parse_wire_sign_off_makes_the_source_when_there_is_no_byline():
    a = parse_article(WIRE.replace("    By Patti Domm, Reuters\n", ""), date(1987, 3, 26))
    assert (a.source, a.source_aliases, a.author) == ("Reuter", [], None)


@pytest.mark.parametrize(
    "dateline, partition, place, published",
    [
        ("TOKYO, March 27 - ", date(1987, 3, 26), "Tokyo", date(1987, 3, 27)),  # filed in Asia: a day ahead
        ("MEXICO CITY, March 26 - ", date(1987, 3, 27), "Mexico City", date(1987, 3, 26)),
        ("LONDON, Dec 31 - ", date(1988, 1, 1), "London", date(1987, 12, 31)),  # across the new year
        ("DALLAS/FORT WORTH, Texas, March 3 - ", date(1987, 3, 3), "Dallas/Fort Worth", date(1987, 3, 3)),
        ("BRASILIA, MARCH 31 - ", date(1987, 3, 31), "Brasilia", date(1987, 3, 31)),
        ("Alexandria, March 30 - ", date(1987, 3, 30), "Alexandria", date(1987, 3, 30)),
        ("MANILA, April 1, Reuter - ", date(1987, 4, 1), "Manila", date(1987, 4, 1)),
        ("NEW YORK, March 31 -", date(1987, 3, 31), "New York", date(1987, 3, 31)),  # glued: "-<Ralph"
    ],
)
def test_parse_yearless_multi_part_datelines(dateline, partition, place, published):
    a = parse_article(
        f"HEADLINE HERE\n    {dateline}<Ralph Andrews> shares rose on\nthe news, the company said.\n Reuter\n",
        partition,
    )
    assert (a.dateline_place, a.published, a.published_basis) == (place, published, "dateline")
    assert a.body.endswith("the company said.")


def test_parse_yearless_dateline_never_more_than_a_day_after_the_partition():
    assert yearless_date(3, 28, date(1987, 3, 26)) == date(1986, 3, 28)
    assert yearless_date(3, 27, date(1987, 3, 26)) == date(1987, 3, 27)
    assert yearless_date(2, 29, date(1987, 3, 1)) == date(1984, 2, 29) or yearless_date(2, 29, date(1987, 3, 1)) is None
    assert yearless_date(3, 26, None) is None


def test_parse_dateline_on_a_line_of_its_own_and_a_typo_in_its_month():
    a = parse_article(
        "PROFIT UP\n    PARIS, March 27 -\n    Net profit 242.1 mln francs vs 240.1 mln.\n    Sales rose.\n REUTER\n",
        date(1987, 3, 27),
    )
    assert (a.dateline_place, a.published_basis, a.body) == (
        "Paris",
        "dateline",
        "Net profit 242.1 mln francs vs 240.1 mln.\n\nSales rose.",
    )
    b = parse_article("PROFIT UP\n    PARIS, Macrh 27 - Net profit rose, the company said.\n", date(1987, 3, 27))
    assert (b.dateline_place, b.published, b.body) == ("Paris", None, "Net profit rose, the company said.")


@pytest.mark.parametrize(
    "first, title",
    [
        ("******U.S. TAX WRITERS SEEK ESTATE TAX CURBS", "U.S. TAX WRITERS SEEK ESTATE TAX CURBS"),
        (
            "****** S. African Feb trade surplus 1.62 billion rand - official",
            "S. African Feb trade surplus 1.62 billion rand - official",
        ),
        ("URGENT - Fed raises discount rate", "Fed raises discount rate"),
        ("UPDATE 2-Oil prices jump", "Oil prices jump"),
    ],
)
def test_parse_flash_and_priority_markers_leave_the_title(first, title):
    a = parse_article(first + "\nBlah blah blah.\n")
    assert a.title == title
    assert a.text[a.segments[0].start : a.segments[0].end] == title


def test_parse_wire_title_wrapped_over_two_lines():
    a = parse_article(
        "******CPC INTERNATIONAL TO SELL STAKES IN ASIAN UNITS FOR 340\nMLN DLRS TO AJINOMOTO   \nBlah blah blah.\n"
    )
    assert a.title == "CPC INTERNATIONAL TO SELL STAKES IN ASIAN UNITS FOR 340 MLN DLRS TO AJINOMOTO"
    assert a.body == "Blah blah blah."


def test_parse_sign_off_glued_to_the_last_sentence_and_reporting_tail():
    a = parse_article("Talks end\n\nBritain opposes the proposed merger. REUTER\n")
    assert (a.body, a.source) == ("Britain opposes the proposed merger.", "Reuter")
    b = parse_article(
        "Talks end\n\nThe talks ended on Friday.\n\n(Reporting by Jane Doe and Ann Roe; Editing by John Poe)\n"
    )
    assert (b.body, b.author) == ("The talks ended on Friday.", "Jane Doe and Ann Roe")
    assert b.boilerplate == ["(Reporting by Jane Doe and Ann Roe; Editing by John Poe)"]


def test_parse_date_time_line_before_the_headline():
    a = parse_article(
        "NOVEMBER 15, 2007, 7: 40 AM\n\nHewlett-Packard Engineers Deal\n\nThe company said on Thursday it agreed.\n"
    )
    assert a.title == "Hewlett-Packard Engineers Deal"
    assert (a.published, a.published_basis) == (date(2007, 11, 15), "header")
    assert a.body == "The company said on Thursday it agreed."


@pytest.mark.parametrize(
    "text",
    [
        "Angela Merkel and Emmanuel Macron spoke on Monday about the European Medicines Agency.",
        "Perennial party girl Tara Reid checked herself into a clinic, her rep told reporters.\n\nShe is well.\n",
    ],
)
def test_parse_first_line_that_is_a_sentence_is_body(text):
    a = parse_article(text)
    assert a.title is None
    assert a.body.startswith(text.split("\n")[0])


def test_parse_sentence_case_headline_before_a_dateline_is_a_title():
    a = parse_article(
        "Dutch say no reason to reopen El Al cargo enquiry.\nTHE HAGUE 1996-08-30\nThe minister said so.\n"
    )
    assert (a.title, a.dateline_place) == ("Dutch say no reason to reopen El Al cargo enquiry.", "The Hague")


def test_decode_refuses_bytes_that_are_not_prose():
    junk = bytes(range(0x80, 0x100)) * 32  # 4 KB that decodes as Windows-1252 without error
    with pytest.raises(BadInputFile, match="not text"):
        decode(junk)
    with pytest.raises(BadInputFile, match="not text"):
        decode(("■□▲△●○◆◇" * 100).encode("utf-8"))
    # Accented prose in Windows-1252 and a table of figures are text.
    assert decode("Le président a réuni les ministres à l'Élysée.".encode("cp1252"))
    assert decode(b"Shr 12 cts vs 10 cts\nNet 1,234,000 vs 987,000\nRevs 45.6 mln vs 40.1 mln\n")


def test_parse_five_megabyte_single_line_is_cut_into_pieces():
    text = ("The minister met the delegation in Brussels on Monday. " * 91_000)[:5_000_000]
    a = parse_article(text)
    pieces = [s for s in a.segments if s.kind == "body"]
    assert len(pieces) >= 50
    assert all(s.end - s.start <= MAX_SEGMENT_CHARS for s in pieces)
    assert sum(s.end - s.start for s in pieces) >= len(text) - 2 * len(pieces)
