"""Imports are bounded whatever a file claims (issue 14, class 6).

Every hostile file is imported by ``afterview import`` in a child process whose memory is
capped with ``resource.setrlimit``: an XLSX whose ``dimension`` claims a million rows, a
CSV zip that unpacks a hundredfold, very long rows. Special files in a folder are refused
without being opened; every parse error is one line; a failed import leaves no new
journal file.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from afterview_analysis.journal import Journal
from afterview_analysis.records import Interview, Question
from afterview_analysis.spreadsheets import export_csv, export_xlsx

pytestmark = pytest.mark.slow  # each import runs in a child process

MEMORY_LIMIT = 1024 * 1024 * 1024  # address space of the importing process
INTERVIEWS_SHEET = "xl/worksheets/sheet3.xml"

CHILD = r"""
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from afterview_analysis.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _import(source: Path, journal: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    code = CHILD.format(limit=MEMORY_LIMIT)
    return subprocess.run([sys.executable, "-c", code, "import", str(source), "--journal",
                           str(journal)], capture_output=True, text=True, timeout=timeout)


def _refused(done: subprocess.CompletedProcess, journal: Path, *words: str) -> None:
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    for word in words:
        assert word in done.stderr, done.stderr
    leftovers = [p.name for p in journal.parent.iterdir() if p.name.startswith(journal.name)]
    assert leftovers == [], "a failed import leaves no new journal file"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A small journal exported as XLSX and CSV."""
    folder = tmp_path_factory.mktemp("small")
    with Journal(":memory:") as j:
        iv = Interview(company="Acme", role="Analyst", starts_at="2026-03-02T09:30Z")
        j.save_interview(iv, questions=[
            Question(interview_id=iv.id, text="Why us?", category="motivation", score=4)])
        export_xlsx(j, folder / "small.xlsx")
        export_csv(j, folder / "small.zip")
    return folder


def _rewrite(archive: Path, target: Path, member: str, change) -> Path:
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(target, "w",
                                                          zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            out.writestr(info.filename, change(data) if info.filename == member else data)
    return target


def test_the_small_files_import_under_the_memory_limit(small, tmp_path):
    """The other side of every test here: honest files import in the same child."""
    for name in ("small.xlsx", "small.zip"):
        done = _import(small / name, tmp_path / f"{name}.sqlite")
        assert done.returncode == 0, done.stderr
        assert "imported 1 interviews" in done.stdout


def test_an_xlsx_dimension_claiming_a_million_rows_imports_what_is_there(small, tmp_path):
    source = _rewrite(small / "small.xlsx", tmp_path / "lie.xlsx", INTERVIEWS_SHEET,
                      lambda x: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD'
                                       b'1048576"', x))
    done = _import(source, tmp_path / "lie.sqlite", timeout=60)
    assert done.returncode == 0, done.stderr
    assert "imported 1 interviews" in done.stdout


def test_a_row_a_million_rows_down_is_one_line(small, tmp_path):
    far = (b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
           b"</sheetData>")
    source = _rewrite(small / "small.xlsx", tmp_path / "far.xlsx", INTERVIEWS_SHEET,
                      lambda x: x.replace(b"</sheetData>", far))
    _refused(_import(source, tmp_path / "far.sqlite", timeout=60), tmp_path / "far.sqlite",
             "interviews")


@pytest.mark.parametrize(("name", "change", "words"), [
    ("truncated", lambda x: x[: len(x) // 2], ["sheet interviews: cannot be read"]),
    ("bad number", lambda x: x.replace(b"</sheetData>", b'<row r="3"><c r="G3" t="n"><v>abc'
                                       b"</v></c></row></sheetData>"), ["sheet interviews"]),
    ("bad date", lambda x: x.replace(b"</sheetData>", b'<row r="3"><c r="F3" t="d"><v>not a '
                                     b"date</v></c></row></sheetData>"), ["sheet interviews"]),
    ("not xml", lambda x: b"\x00\xff" * 100, ["xlsx"]),
])
def test_a_broken_sheet_is_one_line(small, tmp_path, name, change, words):
    source = _rewrite(small / "small.xlsx", tmp_path / "broken.xlsx", INTERVIEWS_SHEET, change)
    _refused(_import(source, tmp_path / "new.sqlite"), tmp_path / "new.sqlite", *words)


def _bomb(path: Path, member: str, size: int, header: bytes = b"") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open(member, "w", force_zip64=True) as f:
        f.write(header)
        chunk = b"0" * (1024 * 1024)
        for _ in range(size // len(chunk)):
            f.write(chunk)
    return path


def test_a_csv_zip_that_unpacks_a_hundredfold_is_refused(tmp_path):
    source = _bomb(tmp_path / "bomb.zip", "interviews.csv", 200 * 1024 * 1024, b"id\n")
    assert source.stat().st_size < 2 * 1024 * 1024
    _refused(_import(source, tmp_path / "new.sqlite"), tmp_path / "new.sqlite", "zip bomb")


def test_a_sheet_that_unpacks_a_hundredfold_is_refused(small, tmp_path):
    source = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(small / "small.xlsx") as src, zipfile.ZipFile(
            source, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, src.read(info))
        with out.open("xl/padding.xml", "w", force_zip64=True) as f:
            for _ in range(200):
                f.write(b" " * (1024 * 1024))
    _refused(_import(source, tmp_path / "new.sqlite"), tmp_path / "new.sqlite", "zip bomb")


def test_a_member_larger_than_it_declares_is_one_line(small, tmp_path):
    """A zip whose header understates a member's size: reading stops at the declared size
    and the check fails, in one line."""
    data = bytearray((small / "small.zip").read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("interviews.csv")
    # the central directory's uncompressed size of that member, made smaller
    start = data.rfind(b"PK\x01\x02" + data[info.header_offset + 4:info.header_offset + 16])
    data[start + 24:start + 28] = (5).to_bytes(4, "little")
    source = tmp_path / "short.zip"
    source.write_bytes(bytes(data))
    _refused(_import(source, tmp_path / "new.sqlite"), tmp_path / "new.sqlite")


@pytest.mark.parametrize("kind", ["a long cell", "a long row"])
def test_very_long_rows_are_one_line(tmp_path, kind):
    folder = tmp_path / "csv"
    folder.mkdir()
    if kind == "a long cell":
        body = b"id,company\r\nx," + b"a" * 5_000_000 + b"\r\n"
    else:
        body = b"id,company\r\n" + b",".join([b"x"] * 2_000_000) + b"\r\n"
    (folder / "interviews.csv").write_bytes(body)
    _refused(_import(folder, tmp_path / "new.sqlite"), tmp_path / "new.sqlite",
             "interviews.csv")


@pytest.mark.parametrize("special", ["fifo", "symlink to a fifo", "symlink to /dev/zero"])
def test_special_files_in_a_folder_are_refused_without_opening(small, tmp_path, special):
    folder = tmp_path / "csv"
    with zipfile.ZipFile(small / "small.zip") as z:
        z.extractall(folder)
    (folder / "questions.csv").unlink()
    if special == "fifo":
        os.mkfifo(folder / "questions.csv")
    elif special == "symlink to a fifo":
        os.mkfifo(tmp_path / "pipe")
        (folder / "questions.csv").symlink_to(tmp_path / "pipe")
    else:
        (folder / "questions.csv").symlink_to("/dev/zero")
    _refused(_import(folder, tmp_path / "new.sqlite", timeout=30), tmp_path / "new.sqlite",
             "questions.csv is not a regular file")


def test_a_special_file_given_directly_is_refused(tmp_path):
    os.mkfifo(tmp_path / "backup.json")
    _refused(_import(tmp_path / "backup.json", tmp_path / "new.sqlite", timeout=30),
             tmp_path / "new.sqlite", "not a regular file")


@pytest.mark.parametrize(("name", "text", "words"), [
    ("huge integer", '{"format": "afterview-journal", "schema_version": ' + "9" * 5000 + "}",
     ["not an afterview export"]),
    ("huge integer in a row", '{"format": "afterview-journal", "schema_version": 3, "tables":'
     ' {"questions": [{"score": ' + "9" * 5000 + "}]}}", ["not an afterview export"]),
    ("a bad row", None, ["questions row 1", "score"]),
])
def test_a_json_parse_or_row_error_is_one_line_and_leaves_no_journal(tmp_path, name, text,
                                                                      words):
    if text is None:
        with Journal(":memory:") as j:
            iv = Interview(company="Acme", role="Analyst", starts_at="2026-03-02T09:30Z")
            j.save_interview(iv, questions=[
                Question(interview_id=iv.id, text="Why?", category="motivation", score=4)])
            from afterview_analysis.exchange import journal_dict

            doc = journal_dict(j)
        doc["tables"]["questions"][0]["score"] = 9
        text = json.dumps(doc)
    source = tmp_path / "in.json"
    source.write_text(text)
    _refused(_import(source, tmp_path / "new.sqlite"), tmp_path / "new.sqlite", *words)


def test_a_failed_import_into_an_existing_journal_keeps_it(tmp_path, capsys):
    """The other side: an existing journal is never removed, only left unchanged."""
    from afterview_analysis.cli import main

    journal = tmp_path / "mine.sqlite"
    Journal(journal).close()
    before = journal.read_bytes()
    (tmp_path / "bad.json").write_text("{}")
    assert main(["import", str(tmp_path / "bad.json"), "--journal", str(journal)]) == 2
    assert journal.read_bytes() == before
