"""SQLite's failures are sentences (issue 14, class 3), and a backup is one moment of the
journal (class 2).

A corrupt file, a read-only file or folder (reading still works), a locked file: one line
naming the file and what to do, exit code 2 (``check`` reports damage with exit 1), no
traceback, nothing half-written. The full disk is in ``tests/test_outputs.py``.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

from afterview_analysis import journal as journal_module
from afterview_analysis.cli import main
from afterview_analysis.exchange import export_json, import_json
from afterview_analysis.journal import Journal
from afterview_analysis.records import Interview, Question

READERS = [["check"], ["export"], ["agenda", "--today", "2026-11-20"]]
WRITER = ["log", "--company", "A", "--role", "R", "--when", "2026-03-14T09:30Z"]


def _one_line_error(err: str) -> None:
    assert err.count("\n") == 1 and err.startswith("afterview ") and "Traceback" not in err, err


# --------------------------------------------------------------------------- corrupt


@pytest.mark.parametrize("where", ["middle", "schema page"])
def test_a_corrupt_journal_is_reported_in_sentences(demo_file, tmp_path, capsys, where):
    path = tmp_path / "journal.sqlite"
    with Journal(demo_file, create=False) as src:
        src.backup(path)
    data = bytearray(path.read_bytes())
    start = len(data) // 2 // 4096 * 4096 if where == "middle" else 100
    data[start:start + 4096 - (start % 4096)] = b"\xa5" * (4096 - (start % 4096))
    path.write_bytes(bytes(data))
    code = main(["check", "--journal", str(path)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert err and all(line.startswith("problem: ") for line in err.splitlines()), err
    assert "damaged" in err
    for argv in (["export"], ["agenda", "--today", "2026-11-20"], ["report"], WRITER):
        code = main([*argv, "--journal", str(path)])
        err = capsys.readouterr().err
        assert code in (0, 2), argv  # a read that misses the damaged page may succeed
        if code == 2:
            _one_line_error(err)


def test_check_on_a_healthy_journal_says_ok(demo_journal, capsys):
    """The other side: no problem lines, exit 0."""
    assert main(["check", "--journal", str(demo_journal.path)]) == 0
    assert "integrity: ok" in capsys.readouterr().out


# --------------------------------------------------------------------------- read-only


@contextlib.contextmanager
def _read_only(path: Path):
    """``path`` (a file or a folder) read-only for this process. Root writes through
    permissions, so as root it becomes a read-only bind mount instead (EROFS)."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    mounted = subprocess.run(["mount", "--bind", str(path), str(path)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot make a read-only bind mount here: {mounted.stderr.strip()}")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(path)], check=True,
                       capture_output=True)
        yield
    finally:
        subprocess.run(["umount", str(path)], check=False, capture_output=True)


@pytest.fixture
def copy(demo_file, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    with Journal(demo_file, create=False) as src:
        src.backup(folder / "journal.sqlite")
    return folder / "journal.sqlite"


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_journal_can_be_read_but_not_changed(copy, capsys, what):
    before = copy.read_bytes()
    with _read_only(copy if what == "file" else copy.parent):
        for argv in READERS:
            code = main([*argv, "--journal", str(copy)])
            out, err = capsys.readouterr()
            assert code == 0, (argv, err)
            if argv == ["export"]:
                assert len(json.loads(out)["tables"]["interviews"]) == 44
        code = main([*WRITER, "--journal", str(copy)])
        err = capsys.readouterr().err
        assert code == 2
        _one_line_error(err)
        assert "read-only" in err and str(copy) in err
        refused = [["demo"]]
        if what == "folder":
            refused.append(["export", "--out", str(copy.parent / "b.json")])
        for argv in refused:
            code = main([*argv, "--journal", str(copy)])
            err = capsys.readouterr().err
            assert code == 2, argv
            _one_line_error(err)
    assert copy.read_bytes() == before


def test_a_writable_journal_takes_the_same_write(copy, capsys):
    """The other side of the line: the same command on the same file, writable."""
    assert main([*WRITER, "--journal", str(copy)]) == 0, capsys.readouterr().err


# --------------------------------------------------------------------------- locked


def test_a_locked_journal_refuses_the_write_in_one_line(journal_file, capsys, monkeypatch):
    monkeypatch.setattr(journal_module, "BUSY_TIMEOUT_MS", 300)
    holder = sqlite3.connect(journal_file.path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program in the middle of a long write
    try:
        code = main([*WRITER, "--journal", str(journal_file.path)])
        err = capsys.readouterr().err
        assert code == 2
        _one_line_error(err)
        assert "locked by another program" in err
        assert main(["export", "--journal", str(journal_file.path)]) == 0  # reading works
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert main([*WRITER, "--journal", str(journal_file.path)]) == 0  # and after: it writes


def test_a_journal_locked_even_for_reading_is_one_line(journal_file, capsys, monkeypatch):
    monkeypatch.setattr(journal_module, "BUSY_TIMEOUT_MS", 300)
    journal_file.close()
    holder = sqlite3.connect(journal_file.path, isolation_level=None)
    holder.execute("PRAGMA journal_mode = DELETE")
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        for argv in (["check"], ["export"], WRITER):
            code = main([*argv, "--journal", str(journal_file.path)])
            err = capsys.readouterr().err
            assert code == 2, argv
            _one_line_error(err)
            assert "locked by another program" in err
    finally:
        holder.execute("ROLLBACK")
        holder.close()


# --------------------------------------------------------------------------- one moment


def test_an_export_is_one_moment_while_a_notebook_saves(journal_file, tmp_path):
    """A writer saves interviews with their questions without pause; every export made
    meanwhile holds whole interviews only, and imports."""
    path = journal_file.path
    stop = threading.Event()

    def write() -> None:
        with Journal(path, create=False) as j:
            n = 0
            while not stop.is_set():
                iv = Interview(company=f"Co {n}", role="R", starts_at="2026-03-14T09:30Z")
                j.save_interview(iv, questions=[
                    Question(interview_id=iv.id, text=f"Q{k}", category="technical", score=3)
                    for k in range(5)])
                n += 1

    writer = threading.Thread(target=write)
    writer.start()
    try:
        exports = []
        with Journal(path, create=False) as reader:
            deadline = time.monotonic() + 20
            while len(exports) < 15 or len({len(d["tables"]["interviews"]) for d in exports}) < 3:
                exports.append(json.loads(export_json(reader)))
                if time.monotonic() > deadline:
                    break
    finally:
        stop.set()
        writer.join()
    grew = {len(doc["tables"]["interviews"]) for doc in exports}
    assert len(grew) > 1  # the writer really wrote while exports were made
    for n, doc in enumerate(exports):
        ids = {iv["id"] for iv in doc["tables"]["interviews"]}
        questions = doc["tables"]["questions"]
        assert {q["interview_id"] for q in questions} <= ids
        assert len(questions) == 5 * len(ids)
        if n % 5 == 0:
            with Journal(tmp_path / f"restore-{n}.sqlite") as fresh:
                assert import_json(fresh, json.dumps(doc))["questions"] == len(questions)
