"""Quotations: marks of every style, cues and speakers, running quotes, paraphrase, indirect speech."""

from __future__ import annotations

from datetime import date

import pytest

from etl.enrich import enrich_articles
from etl.parse import parse_article
from etl.settings import load_settings

MODEL = load_settings({}).spacy_model


def _quotes(text: str):
    article = parse_article(text)
    result = enrich_articles([(article, date(2021, 3, 22))], MODEL)[0]
    out = []
    for q in result.quotes:
        speaker = text[q.speaker[0] : q.speaker[1]] if q.speaker else None
        entity = result.entities[q.entity].canonical if q.entity is not None else None
        out.append((text[q.start : q.end], q.kind, speaker, entity))
    return out


@pytest.mark.parametrize(
    "body, content, speaker, entity",
    [
        (
            "“We will not give up on this,” Maria Lopez said.",
            "We will not give up on this,",
            "Maria Lopez",
            "Maria Lopez",
        ),
        (
            '"We will not give up on this," said Maria Lopez, the mayor.',
            "We will not give up on this,",
            "Maria Lopez",
            "Maria Lopez",
        ),
        (
            "Maria Lopez said: «We will not give up on this.»",
            "We will not give up on this.",
            "Maria Lopez",
            "Maria Lopez",
        ),
        ("“We will not give up on this.” — Maria Lopez", "We will not give up on this.", "Maria Lopez", "Maria Lopez"),
    ],
)
def test_a_direct_quote_in_any_mark_style_has_its_speaker(body, content, speaker, entity):
    quotes = _quotes("Talks\n\n" + body + "\n")
    assert (content, "direct", speaker, entity) in quotes


def test_a_pronoun_speaker_is_the_person_named_before_and_an_interrupted_quote_keeps_it():
    text = (
        "Budget\n\nGovernor Anna Weber presented the budget on Monday.\n\n"
        "“This plan protects schools,” she said. “It also cuts waste in every department.”\n"
    )
    quotes = _quotes(text)
    assert ("This plan protects schools,", "direct", "she", "Anna Weber") in quotes
    assert ("It also cuts waste in every department.", "direct", "she", "Anna Weber") in quotes


def test_a_quote_running_over_paragraphs_is_one_speakers():
    text = (
        "Storm\n\nThe mayor, Tom Reilly, spoke to reporters on Tuesday.\n\n"
        "“The water came up faster than anyone expected, and we moved people out of the low streets,” Reilly said.\n\n"
        "“We opened three shelters overnight and more are ready.\n\n"
        "“Nobody should go back before the engineers say it is safe.”\n"
    )
    quotes = _quotes(text)
    assert ("We opened three shelters overnight and more are ready.", "direct", "Reilly", "Tom Reilly") in quotes
    assert ("Nobody should go back before the engineers say it is safe.", "direct", "Reilly", "Tom Reilly") in quotes


def test_an_organisation_speaks_and_quoted_words_in_a_sentence_are_paraphrase():
    text = (
        "Sanctions\n\n“The measures take effect immediately,” the State Department said on Friday.\n\n"
        "Critics called the plan “a disgrace” and vowed to fight it.\n"
    )
    quotes = _quotes(text)
    assert ("The measures take effect immediately,", "direct", "the State Department", "State Department") in quotes
    assert any(content == "a disgrace" and kind == "mixed" for content, kind, _s, _e in quotes)


def test_a_transcripts_quoted_line_is_its_labels_speakers():
    text = (
        "Interview\n\nSenator Maria Okafor spoke to the host, Dan Reyes. Partial transcript:\n\n"
        '"REYES: Will you run for governor next year?"\n\n'
        '"OKAFOR: I have not decided, and I will not decide this month."\n'
    )
    quotes = _quotes(text)
    assert ("Will you run for governor next year?", "direct", "REYES", "Dan Reyes") in quotes
    assert ("I have not decided, and I will not decide this month.", "direct", "OKAFOR", "Maria Okafor") in quotes


def test_a_title_in_quotation_marks_is_no_quotation():
    text = (
        "Television\n\nThe senator spoke on KXRT's “Morning Round Table,” and then in “Harbour Lights Week.”\n\n"
        "“Round Table Talks Are Over,” the mayor said.\n"
    )
    quotes = [content for content, _kind, _s, _e in _quotes(text)]
    assert quotes == ["Round Table Talks Are Over,"]  # said, though in title case


def test_indirect_speech_is_attributed_without_quotation_marks():
    text = (
        "Trade\n\nFinance Minister Peter Novak said that the tariffs would be lifted next month.\n\n"
        "According to the central bank, inflation will slow in the spring.\n\n"
        "Specifically, regarding Iran, Novak said the sanctions would stay.\n"
    )
    quotes = _quotes(text)
    assert (
        "the tariffs would be lifted next month",
        "indirect",
        "Finance Minister Peter Novak",
        "Peter Novak",
    ) in quotes
    assert any(
        kind == "indirect" and speaker == "the central bank" and content.startswith("inflation will slow")
        for content, kind, speaker, _e in quotes
    )
    # An opening adverb or phrase is not part of the speaker.
    assert ("the sanctions would stay", "indirect", "Novak", "Peter Novak") in quotes


def test_the_samples_quotes_in_the_warehouse_name_their_speakers(engine, settings):
    """expected.json's speakers: Philip Reeker, quoted in both articles (as "Reeker" and in
    full), is one speaker; the State Department's statement is the State Department's."""
    import sqlalchemy as sa

    from etl import pipeline

    pipeline.run_partition(engine, settings, date(2021, 3, 22))
    with engine.connect() as conn:
        quotes = conn.execute(
            sa.text("select speaker, speaker_text, kind, tone from report.quotes where kind = 'direct'")
        ).all()
        tone = conn.execute(
            sa.text("select day, articles, tone from report.entity_tone_daily where canonical_name = 'Antony Blinken'")
        ).all()
        articles = conn.execute(sa.text("select tone, word_count from report.articles")).all()
    reeker = [q for q in quotes if q.speaker == "Philip Reeker"]
    assert len(reeker) >= 4 and {q.speaker_text for q in reeker} >= {"Reeker"}
    assert {q.speaker for q in quotes if q.speaker_text in ("the State Department", "the statement")} == {
        "State Department"
    }
    assert all(-1 <= q.tone <= 1 for q in quotes)
    # Both articles name him, one published on the 22nd, the other on the 23rd (its header's day).
    assert [(str(day), n) for day, n, _t in sorted(tone)] == [("2021-03-22", 1), ("2021-03-23", 1)]
    assert all(words > 100 and -100 <= t <= 100 for t, words in articles)


def test_closing_and_interrupting_attributions_with_any_speaker():
    text = (
        "Roads\n\nThe bridge on Elm Street, Mayor Tom Reilly said, was never built for heavy trucks.\n\n"
        "The county will reopen the old ferry landing next summer, officials said on Tuesday.\n\n"
        "Repairs will take longer than planned, said Anna Weber, the county engineer.\n\n"
        "Critics say the new tolls could push small shops out of the town centre.\n"
    )
    quotes = _quotes(text)
    # The attribution inside what was said, and one after a comma that is not its speaker's.
    assert any(
        kind == "indirect" and speaker == "Mayor Tom Reilly" and content.startswith("The bridge")
        for content, kind, speaker, _e in quotes
    )
    assert ("The county will reopen the old ferry landing next summer", "indirect", "officials", None) in [
        (c, k, s, None) for c, k, s, _e in quotes
    ]
    assert any(kind == "indirect" and speaker == "Anna Weber" for _c, kind, speaker, _e in quotes)
    assert any(
        kind == "indirect" and speaker == "Critics" and content.startswith("the new tolls")
        for content, kind, speaker, _e in quotes
    )


def test_a_participle_clause_and_a_stance_verb_report_what_was_said():
    text = (
        "Court\n\nA district judge rejected the request to seal the files, saying the public had a right to see them.\n\n"
        "“We will appeal this ruling at once,” Anna Weber said, adding that her clients had done nothing wrong.\n\n"
        "The council criticized the plan to close two libraries.\n"
    )
    quotes = _quotes(text)
    assert any(
        kind == "indirect" and content == "the public had a right to see them" and speaker
        for content, kind, speaker, _e in quotes
    )
    # The quote's speaker says the participle clause too; the rejection is its own attribution.
    assert ("her clients had done nothing wrong", "indirect", "Anna Weber", "Anna Weber") in quotes
    assert any(kind == "indirect" and content.startswith("the request to seal") for content, kind, _s, _e in quotes)
    assert any(
        kind == "indirect" and speaker == "The council" and content.startswith("the plan to close")
        for content, kind, speaker, _e in quotes
    )


def test_a_headline_names_who_said_it():
    quotes = _quotes("Mayor Reilly Says Ferry Service Will Return in May\n\nThe ferry stopped running in 2019.\n")
    assert any(
        kind == "indirect" and speaker == "Mayor Reilly" and content == "Ferry Service Will Return in May"
        for content, kind, speaker, _e in quotes
    )
    # A label before a colon is no speaker.
    labelled = _quotes("BREAKING: Ferry Service Will Return in May\n\nThe ferry stopped running in 2019.\n")
    assert not any(speaker == "BREAKING" for _c, _k, speaker, _e in labelled)
