"""Files that are not afterview journals are never modified (issue 14, class 4).

Every afterview journal carries ``PRAGMA application_id``; a journal from before that mark
must have exactly the tables of its schema version. Anything else is refused with one
line before any write: no WAL switch, no backup beside it, no -wal or -shm left behind.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from afterview_analysis.cli import main
from afterview_analysis.journal import Journal, JournalError
from afterview_analysis.records import Interview
from afterview_analysis.schema import APPLICATION_ID, MARKED_SINCE, MIGRATIONS, SCHEMA_VERSION

FIXTURES = Path(__file__).parent / "fixtures"
COMMANDS = [
    ["check"],
    ["export"],
    ["agenda"],
    ["log", "--company", "A", "--role", "R", "--when", "2026-03-14T09:30Z"],
    ["demo"],
]


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _app_id(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA application_id").fetchone()[0]
    finally:
        conn.close()


def _refused_everywhere(path: Path, capsys, expected: str) -> None:
    """Every command refuses ``path`` in one line, exit 2, and the folder is unchanged."""
    before = _digest(path.parent)
    with pytest.raises(JournalError, match=expected):
        Journal(path)
    for argv in COMMANDS:
        assert main([*argv, "--journal", str(path)]) == 2, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err, err
        assert expected.split(".*")[0] in err
    assert _digest(path.parent) == before


def test_a_new_journal_carries_the_application_id(tmp_path):
    with Journal(tmp_path / "j.sqlite") as j:
        assert j.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert _app_id(tmp_path / "j.sqlite") == APPLICATION_ID


@pytest.mark.parametrize("version", range(1, MARKED_SINCE))
def test_an_old_journal_gets_the_application_id_by_migration(tmp_path, version):
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / f"journal-v{version}.sqlite", path)
    assert _app_id(path) == 0
    with Journal(path) as j:
        assert j.version == SCHEMA_VERSION and j.check() == []
    assert _app_id(path) == APPLICATION_ID


@pytest.mark.parametrize("version", range(1, MARKED_SINCE))
def test_another_programs_file_with_our_user_version_is_refused(tmp_path, capsys, version):
    """Another program that happens to use user_version 1 or 2 (many do)."""
    path = tmp_path / "photos.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO photos (name) VALUES ('beach.jpg')")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    _refused_everywhere(path, capsys, "not an afterview journal.*left untouched")


def test_a_look_alike_missing_one_column_is_refused(tmp_path, capsys):
    """The tables of schema version 1, but one column short: not something we wrote."""
    path = tmp_path / "almost.sqlite"
    conn = sqlite3.connect(path)
    for statement in MIGRATIONS[0]:
        conn.execute(statement.replace("        next_time TEXT)", "        extra TEXT)"))
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    _refused_everywhere(path, capsys, "not an afterview journal.*left untouched")


def test_a_file_with_another_application_id_is_refused(tmp_path, capsys):
    path = tmp_path / "app.sqlite"
    Journal(path).close()  # even with our very tables
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.commit()
    conn.close()
    _refused_everywhere(path, capsys, "another program's SQLite file.*left untouched")


def test_our_application_id_but_no_version_mark_is_not_enough_to_be_refused(tmp_path):
    """The other side of the line: an afterview journal at the last version opens."""
    path = tmp_path / "j.sqlite"
    Journal(path).close()
    with Journal(path, create=False) as j:
        assert j.version == SCHEMA_VERSION


def test_a_zero_byte_file_becomes_a_journal_only_by_init(tmp_path, capsys):
    path = tmp_path / "empty.sqlite"
    path.touch()
    _refused_everywhere(path, capsys, "an empty file, not a journal.*left untouched")
    assert path.stat().st_size == 0
    assert main(["init", "--journal", str(path)]) == 0
    with Journal(path, create=False) as j:
        assert j.version == SCHEMA_VERSION and j.counts()["skills"] == 6


def test_an_empty_sqlite_file_becomes_a_journal_only_by_init(tmp_path, capsys):
    path = tmp_path / "blank.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA page_size = 4096")
    conn.execute("VACUUM")  # a valid SQLite file with no tables
    conn.close()
    assert path.stat().st_size > 0
    _refused_everywhere(path, capsys, "an empty SQLite file, not a journal.*left untouched")
    assert main(["init", "--journal", str(path)]) == 0
    assert _app_id(path) == APPLICATION_ID


def _newer_with_wal(folder: Path) -> Path:
    """A newer afterview's journal as a crash left it: changes still in its -wal file."""
    src = folder / "src"
    src.mkdir()
    with Journal(src / "j.sqlite") as j:
        j.add(Interview(company="Old", role="R", starts_at="2027-01-01T10:00Z"))
    writer = sqlite3.connect(src / "j.sqlite", isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    writer.execute("ALTER TABLE interviews ADD COLUMN from_the_future TEXT")
    writer.execute("UPDATE interviews SET company = 'In the WAL only'")
    target = folder / "crashed"
    target.mkdir()
    for name in ("j.sqlite", "j.sqlite-wal"):  # copied while open: as a crash leaves them
        shutil.copy(src / name, target / name)
    writer.close()
    assert (target / "j.sqlite-wal").stat().st_size > 0
    return target / "j.sqlite"


def test_a_newer_journal_with_its_wal_is_left_byte_identical(tmp_path, capsys):
    path = _newer_with_wal(tmp_path)
    before = _digest(path.parent)
    assert set(before) == {"j.sqlite", "j.sqlite-wal"}
    _refused_everywhere(path, capsys, "newer afterview.*left untouched")
    assert _digest(path.parent) == before


def test_check_on_a_missing_journal_creates_nothing(tmp_path, capsys):
    path = tmp_path / "sub" / "none.sqlite"
    for argv in (["check"], ["export"], ["agenda"]):
        assert main([*argv, "--journal", str(path)]) == 2
        assert "no journal at" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_four_processes_creating_a_journal_leave_no_temporary_files(tmp_path):
    """New journals are made in a temporary file and put in place whole."""
    import concurrent.futures

    path = tmp_path / "new.sqlite"
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        for j in pool.map(lambda _: Journal(path), range(4)):
            j.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.sqlite"]
    assert _app_id(path) == APPLICATION_ID
