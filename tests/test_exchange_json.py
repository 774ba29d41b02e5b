"""The JSON form of the journal: documented, lossless, and all-or-nothing on import."""

from __future__ import annotations

import json

import pytest

from afterview_analysis.exchange import ExchangeError, export_json, import_json, read_json
from afterview_analysis.journal import Journal
from afterview_analysis.records import Interview, Question
from afterview_analysis.schema import SCHEMA_VERSION, TABLES


def test_round_trip_is_byte_identical(demo_journal, tmp_path):
    first = export_json(demo_journal)
    with Journal(tmp_path / "restored.sqlite") as fresh:
        counts = import_json(fresh, first)
        assert counts == demo_journal.counts()
        assert export_json(fresh) == first
        assert fresh.check() == []
        some = demo_journal.find(Interview)[3]
        assert fresh.load_interview(some.id) == demo_journal.load_interview(some.id)


def test_export_shape_is_documented(demo_journal):
    doc = json.loads(export_json(demo_journal))
    assert doc["format"] == "afterview-journal" and doc["schema_version"] == SCHEMA_VERSION
    assert list(doc["tables"]) == list(TABLES)
    interview = doc["tables"]["interviews"][0]
    assert interview["starts_at"].endswith("+00:00")
    assert set(interview) == set(Interview.columns())
    assert [row["id"] for row in doc["tables"]["skills"]][:2] == [
        "technical-depth", "problem-solving"]


def test_import_refuses_a_journal_that_holds_data(demo_journal):
    text = export_json(demo_journal)
    before = demo_journal.counts()
    with pytest.raises(ExchangeError, match="already holds interviews"):
        import_json(demo_journal, text)
    assert demo_journal.counts() == before


def bad_export(mutate) -> str:
    with Journal(":memory:") as j:
        iv = Interview(company="Acme", role="Analyst", starts_at="2026-03-02T09:00+00:00")
        j.save_interview(iv, questions=[Question(interview_id=iv.id, text="Q", score=3)])
        doc = json.loads(export_json(j))
    mutate(doc)
    return json.dumps(doc)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["tables"]["questions"][0].update(score=9), r"questions row 1: .*score"),
        (lambda d: d["tables"]["interviews"][0].update(company=""), r"interviews row 1: .*compa"),
        (lambda d: d["tables"]["questions"][0].update(interview_id="ghost"), "does not exist"),
        (lambda d: d["tables"]["questions"].append(d["tables"]["questions"][0]), "duplicate id"),
        (lambda d: d.update(schema_version=99), "schema_version 99"),
        (lambda d: d.update(format="other"), "not an afterview export"),
        (lambda d: d["tables"].update(extra=[]), "unknown table 'extra'"),
        (lambda d: d["tables"].update(questions={}), "must be a list"),
        (lambda d: d["tables"]["questions"][0].update(colour="red"), "colour"),
    ],
)
def test_bad_files_name_the_problem_and_write_nothing(mutate, message):
    with Journal(":memory:") as target:
        with pytest.raises(ExchangeError, match=message):
            import_json(target, bad_export(mutate))
        assert target.is_empty()


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty"), (b"\xff\xfe\x00bad", "not UTF-8"), (b"{", "not valid JSON"),
     (b"[]", "not an afterview export")],
)
def test_unreadable_files(data, message):
    with pytest.raises(ExchangeError, match=message):
        read_json(data)
