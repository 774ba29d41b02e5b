"""The vocabulary is declared once: every schema CHECK list equals its enum in records.py.

The schema is read back from a freshly created journal (``sqlite_master`` holds each table
as the migrations left it, ALTER TABLE columns included), so the test holds wherever the
migration SQL lives. Adding an enum member needs a migration that rebuilds the table's
CHECK; CONTRIBUTING.md lists the steps.
"""

from __future__ import annotations

import re

import pytest

from afterview_analysis.journal import Journal
from afterview_analysis.records import RECORD_TYPES, Choice, MessageKind

_CHECK_IN = re.compile(r"CHECK\s*\(\s*(\w+)\s+IN\s*\(([^)]*)\)\s*\)", re.S)


def _schema_checks() -> dict[tuple[str, str], set[str]]:
    with Journal(":memory:") as j:
        rows = j.conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
        found = {}
        for table, sql in rows:
            for column, values in _CHECK_IN.findall(sql):
                items = re.findall(r"'([^']*)'|(-?\d+)", values)
                found[(table, column)] = {text or number for text, number in items}
    return found


CHOICES = [
    (table, name, check.enum)
    for table, kind in RECORD_TYPES.items()
    for name, check in kind.checks().items()
    if isinstance(check, Choice)
]


@pytest.mark.parametrize(("table", "column", "enum"), CHOICES,
                         ids=[f"{t}.{c}" for t, c, _ in CHOICES])
def test_every_schema_check_list_equals_its_enum(table, column, enum):
    checks = _schema_checks()
    assert (table, column) in checks, f"{table}.{column} has no CHECK (... IN ...) list"
    assert checks[(table, column)] == {m.value for m in enum}


def test_every_text_check_list_in_the_schema_belongs_to_an_enum():
    """A CHECK list with no enum behind it would be vocabulary declared twice."""
    known = {(t, c) for t, c, _ in CHOICES}
    lists = {key for key, values in _schema_checks().items()
             if not values <= {"0", "1"}}  # yes/no flags are not vocabulary
    assert lists - known == set()


def test_the_checker_catches_a_drifted_list(monkeypatch):
    """The comparison can fail: an enum with one more member than its CHECK list."""
    from enum import StrEnum

    grown = StrEnum("MessageKind", {m.name: m.value for m in MessageKind} | {"X": "x"})
    assert _schema_checks()[("messages", "kind")] != {m.value for m in grown}


def test_the_timed_messages_are_the_vocabularys():
    """How fast you answer measures the message kinds records.TIMED_KINDS declares, in
    its order: each has rows in the deadlines table (a step of its own name) and a target
    in words, and a kind outside it (the heads-up) is not measured there."""
    from afterview_analysis.analytics import compliance, responses
    from afterview_analysis.analytics._examples import tiny_frames
    from afterview_analysis.records import TIMED_KINDS

    assert [kind.value for kind in TIMED_KINDS] == responses.OWN_KINDS
    assert all(kind.value in compliance.STEPS for kind in TIMED_KINDS)
    summary = responses.own_response_summary(tiny_frames(), as_of="2026-04-01")
    assert summary["kind"].tolist() == responses.OWN_KINDS
    assert summary["target"].str.len().gt(0).all()
    assert MessageKind.REFERENCE_HEADS_UP not in TIMED_KINDS
    assert "reference_heads_up" not in set(
        responses.own_response_times(tiny_frames(), as_of="2026-04-01")["kind"])
