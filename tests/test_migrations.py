"""Old journals open with the current code; newer ones are refused and left alone.

``tests/fixtures/journal-v<N>.sqlite`` is a journal as schema version N left it (made by
``tests/fixtures/make_fixture.py N`` and committed as bytes). Opening a copy must migrate
it to :data:`SCHEMA_VERSION`, keep every row and every value, and leave a backup of the
old file beside it.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from afterview_analysis import schema as schema_module
from afterview_analysis.cli import main
from afterview_analysis.journal import Journal, JournalError
from afterview_analysis.records import Interview, Question
from afterview_analysis.schema import MIGRATIONS, SCHEMA_VERSION

FIXTURES = Path(__file__).parent / "fixtures"
OLD_VERSIONS = range(1, SCHEMA_VERSION)


def _raw(path: Path) -> dict[str, list[dict]]:
    """Every row of every table, as stored, without going through afterview."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: [dict(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY rowid")]
                for t in names}
    finally:
        conn.close()


def _version(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_there_is_a_fixture_for_every_earlier_schema_version():
    missing = [v for v in OLD_VERSIONS if not (FIXTURES / f"journal-v{v}.sqlite").exists()]
    assert missing == [], (
        f"add tests/fixtures/journal-v{missing[0]}.sqlite "
        f"(python tests/fixtures/make_fixture.py {missing[0]}) before changing the schema"
    )


@pytest.fixture(params=list(OLD_VERSIONS), ids=lambda v: f"v{v}")
def old(request, tmp_path) -> tuple[int, Path]:
    version = request.param
    source = FIXTURES / f"journal-v{version}.sqlite"
    assert _version(source) == version
    target = tmp_path / "journal.sqlite"
    shutil.copyfile(source, target)
    return version, target


def test_an_old_journal_migrates_and_keeps_every_row(old):
    _, path = old
    before = _raw(path)
    assert sum(len(rows) for rows in before.values()) > 50  # a realistic file, not an empty one
    with Journal(path, create=False) as j:
        assert j.version == SCHEMA_VERSION
        assert j.check() == []
        after = _raw(path)
        for table, rows in before.items():
            assert len(after[table]) == len(rows), table
            for old_row, new_row in zip(rows, after[table], strict=True):
                assert {k: new_row[k] for k in old_row} == old_row, table
        # and it is a working journal: every interview loads, frames build, writes work
        for row in before["interviews"]:
            log = j.load_interview(row["id"])
            assert len(log.questions) == sum(
                q["interview_id"] == row["id"] for q in before["questions"])
        assert len(j.frames()["interviews"]) == len(before["interviews"])
        iv = Interview(company="After migration", role="R", starts_at="2026-11-01T10:00Z")
        j.save_interview(iv, questions=[Question(interview_id=iv.id, text="q", score=4)])


def test_migration_leaves_a_backup_of_the_old_file_beside_it(old):
    version, path = old
    before = _raw(path)
    Journal(path, create=False).close()
    backup = path.with_name(f"journal.v{version}-backup.sqlite")
    assert backup.exists()
    assert _version(backup) == version
    assert _raw(backup) == before
    Journal(path, create=False).close()  # already migrated: no second backup
    assert sorted(p.name for p in path.parent.glob("*backup*")) == [backup.name]


def test_a_backup_is_one_self_contained_file(journal_file, tmp_path):
    """Copy the backup anywhere on its own: it is not in WAL mode, so it has no -wal part."""
    target = journal_file.backup(tmp_path / "copy.sqlite")
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_a_failed_migration_changes_nothing(old, monkeypatch):
    """A migration step that fails half-way rolls back: still the old version, same rows."""
    version, path = old
    before = _raw(path)
    broken = [list(step) for step in MIGRATIONS]
    broken[version].append("INSERT INTO no_such_table VALUES (1)")  # after real statements
    monkeypatch.setattr(schema_module, "MIGRATIONS", broken)
    with pytest.raises(JournalError):
        Journal(path, create=False)
    assert _version(path) == version
    assert _raw(path) == before
    monkeypatch.undo()
    with Journal(path, create=False) as j:
        assert j.version == SCHEMA_VERSION and j.check() == []


def _newer(tmp_path: Path) -> Path:
    path = tmp_path / "newer.sqlite"
    with Journal(path) as j:
        j.add(Interview(company="Future", role="R", starts_at="2027-01-01T10:00Z"))
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.execute("ALTER TABLE interviews ADD COLUMN from_the_future TEXT")
    conn.commit()
    conn.close()
    return path


def test_a_newer_journal_is_refused_and_left_byte_identical(tmp_path):
    path = _newer(tmp_path)
    before = _digest(tmp_path)
    with pytest.raises(JournalError, match=rf"newer afterview \(schema version "
                       rf"{SCHEMA_VERSION + 1}; this one knows up to {SCHEMA_VERSION}\)"):
        Journal(path, create=False)
    assert _digest(tmp_path) == before


def test_the_cli_refuses_a_newer_journal_in_one_line(tmp_path, capsys):
    path = _newer(tmp_path)
    before = _digest(tmp_path)
    for argv in (["check"], ["export"], ["log", "--company", "A", "--role", "R",
                                         "--when", "2026-03-14T09:30Z"]):
        assert main([*argv, "--journal", str(path)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "newer afterview" in err
    assert _digest(tmp_path) == before


def test_someone_elses_sqlite_file_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO photos (name) VALUES ('beach.jpg')")
    conn.commit()
    conn.close()
    before = _digest(tmp_path)
    with pytest.raises(JournalError, match="not an afterview journal"):
        Journal(path)
    assert _digest(tmp_path) == before


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"these are my notes, not a database\n" * 200)
    before = _digest(tmp_path)
    with pytest.raises(JournalError, match=r"not an afterview journal .*left untouched"):
        Journal(path)
    assert _digest(tmp_path) == before


def test_version_4_takes_the_closing_out_of_a_signature(tmp_path):
    """A v3 profile whose signature starts with a closing ("Best regards,") keeps only the
    name and contact lines, so a draft never signs off twice; other signatures stay."""
    cases = {
        "Best regards,\nAlex Morgan\n+49 30 1234 5678": "Alex Morgan\n+49 30 1234 5678",
        "  warm regards,\r\nAlex": "Alex",
        "With warm regards,\nAlex": "Alex",
        "Alex Morgan\nalex@example.org": "Alex Morgan\nalex@example.org",
        "Bestie Ltd\nAlex": "Bestie Ltd\nAlex",  # a word that merely starts like one
        "Best,": None,
    }
    for number, (stored, expected) in enumerate(cases.items()):
        path = tmp_path / f"j{number}.sqlite"
        shutil.copyfile(FIXTURES / "journal-v3.sqlite", path)
        conn = sqlite3.connect(path)
        conn.execute("UPDATE profile SET signature = ?", (stored,))
        conn.commit()
        conn.close()
        with Journal(path, create=False) as j:
            assert j.profile().signature == expected, stored
            iv = j.load_interview(j.find(Interview)[0].id)
            assert {p.contact_role for p in iv.interviewers} <= {"interviewer"}


def test_version_6_adds_your_questions_to_ask_to_the_profile(tmp_path):
    """A v5 journal's profile keeps every value and gets no questions to ask (the prep
    sheet shows suggestions); questions kept afterwards are read back."""
    from dataclasses import replace

    path = tmp_path / "journal.sqlite"
    shutil.copyfile(FIXTURES / "journal-v5.sqlite", path)
    before = _raw(path)["profile"][0]
    with Journal(path, create=False) as j:
        after = _raw(path)["profile"][0]
        assert {k: after[k] for k in before} == before and after["questions_to_ask"] is None
        assert j.profile().questions() == []
        j.update(replace(j.profile(), questions_to_ask="Who is on the team?"))
    with Journal(path, create=False) as j:
        assert j.profile().questions() == ["Who is on the team?"]
