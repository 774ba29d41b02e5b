"""No output can destroy the journal or a good file; a failing command writes nothing
(issue 14, classes 1 and 10).

Every command that writes a file (``export --out``, ``report --out``, ``remind --ics``,
``draft --eml``) refuses the journal, its ``-wal``/``-shm``, its backups, a symlink to any
of them and any other SQLite file; and writes through a temporary file renamed into place,
so a full disk leaves the previous file whole and no temporary file behind.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from afterview_analysis import outputs
from afterview_analysis.cli import main
from afterview_analysis.journal import Journal, JournalError
from afterview_analysis.outputs import OutputError, check_target, safe_name, write_atomic
from afterview_analysis.records import Interview, Interviewer, Message, Profile

TODAY = "2026-11-20"


@pytest.fixture(autouse=True)
def no_user_templates(tmp_path, monkeypatch):
    monkeypatch.setenv("AFTERVIEW_TEMPLATES", str(tmp_path / "no-user-templates"))


@pytest.fixture
def folder(demo_file, tmp_path):
    """A folder holding a copy of the demo journal (WAL files present: it is open) and a
    v1 backup beside it, as a migration leaves one."""
    where = tmp_path / "data"
    where.mkdir()
    with Journal(demo_file, create=False) as src:
        src.backup(where / "journal.sqlite")
        src.backup(where / "journal.v1-backup.sqlite")
    return where


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


def _interview_id(path: Path) -> str:
    with Journal(path, create=False) as j:
        return j.find(Interview, order_by="starts_at")[-1].id


def _commands(journal: Path, target: Path) -> list[list[str]]:
    iid = _interview_id(journal)
    base = ["--journal", str(journal)]
    return [
        ["export", "--out", str(target), *base],
        ["export", "--format", "csv", "--out", str(target), *base],
        ["export", "--format", "xlsx", "--out", str(target), *base],
        ["export", "--anonymize", "--out", str(target), *base],
        ["report", "--out", str(target), *base],
        ["remind", "--ics", str(target), "--today", TODAY, *base],
        ["draft", "follow-up", "--interview", iid, "--eml", str(target), "--save", *base],
    ]


TARGETS = {
    "the journal": lambda f: f / "journal.sqlite",
    "its -wal": lambda f: f / "journal.sqlite-wal",
    "its -shm": lambda f: f / "journal.sqlite-shm",
    "its backup": lambda f: f / "journal.v1-backup.sqlite",
    "a future backup's name": lambda f: f / "journal.v7-backup.sqlite",
    "a symlink to it": lambda f: f / "link.json",
    "another SQLite file": lambda f: f / "other.db",
    "the anonymize key": lambda f: f / "journal.sqlite.anonymize-key",
    "a device": lambda f: Path("/dev/null"),
}


@pytest.mark.parametrize("kind", list(TARGETS))
def test_no_command_writes_over_the_journal_or_a_database(folder, capsys, kind):
    journal = folder / "journal.sqlite"
    (folder / "link.json").symlink_to(journal)
    shutil.copy(journal, folder / "other.db")
    with Journal(journal, create=False) as j:  # keep it open: -wal and -shm exist
        assert (folder / "journal.sqlite-wal").exists()
        before = _digest(folder)
        messages = len(j.find(Message))
        for argv in _commands(journal, TARGETS[kind](folder)):
            assert main(argv) == 2, (kind, argv)
            err = capsys.readouterr().err
            assert err.count("\n") == 1 and "choose another file name" in err, err
        assert len(j.find(Message)) == messages  # draft --save saved nothing
        assert j.check() == []
    assert _digest(folder) == before or set(_digest(folder)) <= set(before)
    assert Path("/dev/null").is_char_device()


@given(name=st.text(st.characters(codec="utf-8", exclude_characters="/\0"), min_size=1,
                    max_size=30))
def test_check_target_refuses_exactly_the_journal_and_its_companions(tmp_path, name):
    journal = tmp_path / "journal.sqlite"
    protected = {"journal.sqlite", "journal.sqlite-wal", "journal.sqlite-shm",
                 "journal.sqlite-journal", "journal.sqlite.anonymize-key"}
    if name in (".", ".."):
        return
    refused = name in protected or (name.startswith("journal.v") and "-backup" in name
                                    and name[9:name.index("-backup")].isdigit())
    try:
        check_target(tmp_path / name, journal=journal)
    except OutputError:
        assert refused, name
    else:
        assert not refused, name


def test_a_full_disk_leaves_the_previous_backup_and_no_temporary_file(folder, capsys,
                                                                       monkeypatch):
    """An injected ENOSPC at the moment the new file is flushed to disk."""
    backup = folder.parent / "backup.json"
    assert main(["export", "--out", str(backup), "--journal", str(folder / "journal.sqlite")]) == 0
    previous = backup.read_bytes()
    capsys.readouterr()

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outputs.os, "fsync", full)
    for fmt in ("json", "csv", "xlsx"):
        target = backup if fmt == "json" else folder.parent / f"backup.{fmt}"
        if fmt == "csv":
            target = folder.parent / "backup.zip"
        code = main(["export", "--format", fmt, "--out", str(target), "--journal",
                     str(folder / "journal.sqlite")])
        err = capsys.readouterr().err
        assert code == 2 and err.count("\n") == 1 and "the disk is full" in err, err
    assert backup.read_bytes() == previous
    assert sorted(p.name for p in folder.parent.iterdir()) == ["backup.json", "data"]


def test_a_full_csv_folder_export_keeps_the_previous_folder(folder, capsys, monkeypatch):
    out = folder.parent / "csv"
    journal = str(folder / "journal.sqlite")
    assert main(["export", "--format", "csv", "--out", str(out), "--journal", journal]) == 0
    before = _digest(out)
    monkeypatch.setattr(outputs.os, "fsync", lambda fd: (_ for _ in ()).throw(
        OSError(errno.ENOSPC, "No space left on device")))
    assert main(["export", "--format", "csv", "--out", str(out), "--journal", journal]) == 2
    assert "the disk is full" in capsys.readouterr().err
    assert _digest(out) == before
    assert sorted(p.name for p in folder.parent.iterdir()) == ["csv", "data"]


def _mount_tmpfs(where: Path, size: str) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True)
    return done.returncode == 0


def test_a_real_full_disk_leaves_the_previous_backup_whole(folder, tmp_path, capsys):
    """The real thing, where this machine allows it: a 512 KiB tmpfs, nearly full."""
    disk = tmp_path / "small-disk"
    if not _mount_tmpfs(disk, "512k"):
        pytest.skip("mounting a tmpfs needs root (the injected-failure tests above run "
                    "everywhere)")
    try:
        backup = disk / "backup.json"
        backup.write_text('{"an": "old backup"}\n')
        filler = disk / "filler"
        with filler.open("wb") as f:  # leave about 8 KiB: far less than the export
            f.write(b"\0" * (512 * 1024 - 16 * 1024))
        journal = str(folder / "journal.sqlite")
        for fmt, name in (("json", "backup.json"), ("csv", "b.zip"), ("xlsx", "b.xlsx")):
            code = main(["export", "--format", fmt, "--out", str(disk / name),
                         "--journal", journal])
            err = capsys.readouterr().err
            assert code == 2 and err.count("\n") == 1 and "the disk is full" in err, err
        assert backup.read_text() == '{"an": "old backup"}\n'
        assert sorted(p.name for p in disk.iterdir()) == ["backup.json", "filler"]
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_a_journal_on_a_full_disk_refuses_the_write_in_one_line(tmp_path, capsys):
    disk = tmp_path / "small-disk"
    if not _mount_tmpfs(disk, "1m"):
        pytest.skip("mounting a tmpfs needs root (the injected-failure tests run everywhere)")
    try:
        journal = disk / "journal.sqlite"
        assert main(["init", "--journal", str(journal)]) == 0
        filler = disk / "filler"
        with filler.open("wb", buffering=0) as f:
            try:
                while True:
                    f.write(b"\0" * 4096)
            except OSError:
                pass
        code = main(["log", "--company", "A" * 50, "--role", "R" * 200, "--when",
                     "2026-03-14T09:30Z", "--journal", str(journal)])
        err = capsys.readouterr().err
        if code == 0:  # it fitted in the WAL's free space: try something that cannot
            with Journal(journal) as j, pytest.raises(JournalError, match="disk holding"):
                j.add_many(Interview(company=f"C{n}", role="R" * 200,
                                     starts_at="2026-03-14T09:30Z") for n in range(3000))
        else:
            assert code == 2 and "is full" in err and err.count("\n") == 1, err
        filler.unlink()
        with Journal(journal, create=False) as j:
            assert j.check() == []
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_draft_save_with_an_unwritable_eml_saves_nothing(demo_journal, tmp_path, capsys):
    iid = _interview_id(demo_journal.path)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    before = len(demo_journal.find(Message))
    code = main(["draft", "follow-up", "--interview", iid, "--save", "--eml",
                 str(blocker / "x.eml"), "--journal", str(demo_journal.path)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "nothing was written" in err, err
    assert len(demo_journal.find(Message)) == before
    assert list(tmp_path.glob("**/*.eml")) == [] and list(tmp_path.glob("**/.*.part")) == []


def test_draft_save_with_a_writable_eml_saves_and_writes(demo_journal, tmp_path, capsys):
    """The other side: the same command with a good path does both."""
    iid = _interview_id(demo_journal.path)
    before = len(demo_journal.find(Message))
    code = main(["draft", "follow-up", "--interview", iid, "--save", "--eml",
                 str(tmp_path / "out" / "x.eml"), "--journal", str(demo_journal.path)])
    assert code == 0, capsys.readouterr().err
    assert len(demo_journal.find(Message)) == before + 1
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["x.eml"]


def test_per_recipient_eml_names_are_safe_and_unique(journal_file, tmp_path, capsys):
    journal_file.update(Profile(name="Ann Example", email="ann@example.org"))
    iv = Interview(company="Acme", role="Analyst", starts_at="2026-11-18T09:30Z")
    names = ["Sam Lee", "Sam  Lee", "A/B Tester", "../../etc", "Zoë"]
    journal_file.save_interview(iv, interviewers=[
        Interviewer(interview_id=iv.id, name=n, email=f"p{k}@acme.example")
        for k, n in enumerate(names)])
    out = tmp_path / "out"
    code = main(["draft", "thank-you", "--interview", iv.id, "--eml", str(out / "t.eml"),
                 "--journal", str(journal_file.path), "--today", TODAY])
    assert code == 0, capsys.readouterr().err
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == len(names)
    assert files == ["t-a-b-tester.eml", "t-etc.eml", "t-sam-lee-2.eml", "t-sam-lee.eml",
                     "t-zoë.eml"]
    assert list(tmp_path.glob("**/*.part")) == []


def test_safe_name_never_leaves_the_folder():
    taken: set[str] = set()
    for text in ["..", ".", "/", "\\", "a/../../b", "\0", "-", "—", "x" * 500]:
        name = safe_name(text, taken)
        assert name and "/" not in name and "\\" not in name and not name.startswith(".")
        assert len(name) <= 45
    assert len(taken) == 9


def test_write_atomic_replaces_whole_files(tmp_path):
    target = tmp_path / "a.txt"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two" and [p.name for p in tmp_path.iterdir()] == ["a.txt"]
    with pytest.raises(OutputError, match="it is a folder; nothing was written"):
        write_atomic(tmp_path, b"x")


def test_a_failed_anonymized_export_leaves_no_key_behind(folder, capsys):
    journal = folder / "journal.sqlite"
    (folder.parent / "a-file").write_text("not a folder")
    code = main(["export", "--anonymize", "--out", str(folder.parent / "a-file" / "x.json"),
                 "--journal", str(journal)])
    assert code == 2 and "nothing was written" in capsys.readouterr().err
    assert sorted(p.name for p in folder.iterdir()) == ["journal.sqlite",
                                                        "journal.v1-backup.sqlite"]
    assert main(["export", "--anonymize", "--out", str(folder.parent / "x.json"),
                 "--journal", str(journal)]) == 0
    assert (folder / "journal.sqlite.anonymize-key").exists()  # the other side
