"""CSV and XLSX exports: formula-safe in a spreadsheet, and lossless when imported back.

A spreadsheet runs a cell starting with = + - @ (or tab / carriage return) as a formula
(OWASP "CSV injection"). These tests store every hostile payload in every text field, look
at the raw files the way Excel would, and import them back to compare with the journal.
"""

from __future__ import annotations

import csv
import io
import subprocess
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from afterview_analysis.cli import main
from afterview_analysis.exchange import ExchangeError, export_json, import_path
from afterview_analysis.journal import Journal
from afterview_analysis.records import (
    RECORD_TYPES,
    EmployerEvent,
    Interview,
    Profile,
    Question,
    Reference,
    Text,
)
from afterview_analysis.spreadsheets import (
    export_csv,
    export_xlsx,
    import_csv,
    import_xlsx,
    neutralise,
    restore,
)
from tests.hostile import ALL_HOSTILE, FORMULA_PAYLOADS, is_single_line

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
WHEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

BASE: dict[str, dict] = {
    "skills": dict(position=9),
    "interviews": dict(starts_at=WHEN),
    "interviewers": dict(),
    "questions": dict(score=3),
    "skill_scores": dict(skill="communication", score=4),
    "playbook_steps": dict(step="thank_you", done_at=WHEN),
    "references_": dict(),
    "heads_ups": dict(),
    "employer_events": dict(kind="feedback", at=WHEN),
    "messages": dict(kind="thank_you"),
}


def _fit(payload: str, check: Text) -> str:
    """The payload as the field accepts it: cut to length, line breaks out of single lines."""
    if check.single_line and not is_single_line(payload):
        for brk in ("\r\n", "\r", "\n", "\u2028", "\u2029", "\x85"):
            payload = payload.replace(brk, " ")
    payload = payload[: check.max_len]
    return payload if payload.strip() else "x" + payload


def _text_values(table: str, payload: str) -> dict[str, str]:
    return {
        name: _fit(payload, check)
        for name, check in RECORD_TYPES[table].checks().items()
        if isinstance(check, Text)
    }


def fill_hostile(j: Journal, payloads=ALL_HOSTILE) -> None:
    """Every payload in every text field of every table (one record per payload)."""
    j.update(Profile(**_text_values("profile", payloads[0])))
    rows = []
    for i, payload in enumerate(payloads):
        iv = Interview(**{**BASE["interviews"], "starts_at": WHEN + timedelta(days=i)},
                       **_text_values("interviews", payload))
        ref = Reference(**_text_values("references_", payload))
        event = EmployerEvent(interview_id=iv.id, kind="info_request", at=WHEN,
                              note=_fit(payload, Text(5000)))
        rows += [iv, ref, event]
        for table in ("interviewers", "questions", "playbook_steps", "heads_ups", "messages"):
            extra = {"interview_id": iv.id}
            if table == "heads_ups":
                extra["reference_id"] = ref.id
            if table == "messages":
                extra["reply_to_event_id"] = event.id
            rows.append(RECORD_TYPES[table](**BASE[table], **extra,
                                            **_text_values(table, payload)))
        rows.append(RECORD_TYPES["skill_scores"](**BASE["skill_scores"], interview_id=iv.id))
        rows.append(RECORD_TYPES["skills"](**BASE["skills"], name=f"skill {i}",
                                           description=_fit(payload, Text(500))))
    j.add_many(rows)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.sqlite"
    with Journal(path) as j:
        fill_hostile(j)
        assert j.check() == []
    return path


@pytest.fixture
def hostile_journal(hostile):
    j = Journal(hostile, create=False)
    yield j
    j.close()


def _csv_cells(archive: Path) -> list[str]:
    cells = []
    with zipfile.ZipFile(archive) as z:
        for name in z.namelist():
            if name.endswith(".csv"):
                text = z.read(name).decode("utf-8-sig")
                for row in csv.reader(io.StringIO(text, newline="")):
                    cells += row
    return cells


# --------------------------------------------------------------------------- neutralising


@given(st.text())
def test_neutralise_then_restore_is_the_identity(text):
    assert restore(neutralise(text)) == text
    assert not neutralise(text).startswith(DANGEROUS)


@pytest.mark.parametrize("payload", FORMULA_PAYLOADS)
def test_every_formula_payload_is_inert_and_comes_back(payload):
    out = neutralise(payload)
    assert out.startswith("'") and restore(out) == payload


def test_csv_export_has_no_live_formula_and_round_trips(hostile_journal, tmp_path):
    archive = export_csv(hostile_journal, tmp_path / "out.zip")
    cells = _csv_cells(archive)
    assert len(cells) > 1000
    assert not [c for c in cells if c.startswith(DANGEROUS)]
    # the payloads are there, inert: "=1+1" is in the file as "'=1+1"
    assert "'=1+1" in cells and "'+49 30 1234567" in cells and "''already quoted" in cells
    fresh = Journal(":memory:")
    import_csv(fresh, archive)
    assert export_json(fresh) == export_json(hostile_journal)


def test_csv_folder_export_round_trips(hostile_journal, tmp_path):
    folder = export_csv(hostile_journal, tmp_path / "csv")
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{t}.csv" for t in RECORD_TYPES] + ["afterview.json"]
    )
    assert (folder / "interviews.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel BOM
    fresh = Journal(":memory:")
    import_path(fresh, folder)
    assert export_json(fresh) == export_json(hostile_journal)


def test_xlsx_export_has_no_formula_cell_and_round_trips(hostile_journal, tmp_path):
    from openpyxl import load_workbook

    path = export_xlsx(hostile_journal, tmp_path / "out.xlsx")
    book = load_workbook(path)  # not read-only: we want each cell's data type
    texts = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    texts += 1
                    assert not cell.value.startswith(DANGEROUS), cell.coordinate
    assert texts > 1000
    fresh = Journal(":memory:")
    import_xlsx(fresh, path)
    assert export_json(fresh) == export_json(hostile_journal)


def test_xlsx_keeps_carriage_returns_and_literal_ooxml_escapes(tmp_path):
    j = Journal(":memory:")
    iv = Interview(company="A", role="B", starts_at=WHEN)
    answers = ["line\r\nbreak", "old\rmac", "_x000D_ literally", "_x005F_x000D_", "\r=1",
               "_x0000\r", "_x0041\r\r_x0042_"]
    j.save_interview(iv, questions=[
        Question(interview_id=iv.id, text=f"q{i}", answer=a, score=3, position=i)
        for i, a in enumerate(answers)])
    fresh = Journal(":memory:")
    import_path(fresh, export_xlsx(j, tmp_path / "x.xlsx"))
    assert [q["answer"] for q in fresh.rows("questions")] == answers


_texts = st.lists(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"))
    | st.sampled_from(["\t", "\n", "\r", "'", "=", "_x000D_", "_x005F_", "+", " "]),
    min_size=1, max_size=40,
).map("".join)


@given(answer=_texts, company=_texts.filter(lambda t: t.strip() and is_single_line(t)))
def test_any_valid_text_round_trips_through_csv_and_xlsx(tmp_path_factory, answer, company):
    j = Journal(":memory:")
    iv = Interview(company=company, role="r", starts_at=WHEN)
    j.save_interview(iv, questions=[Question(interview_id=iv.id, text="q", answer=answer,
                                             score=2)])
    folder = tmp_path_factory.mktemp("rt")
    for path in (export_csv(j, folder / "a.zip"), export_xlsx(j, folder / "a.xlsx")):
        fresh = Journal(":memory:")
        import_path(fresh, path)
        assert export_json(fresh) == export_json(j), path.suffix


# --------------------------------------------------------------------------- the command


def test_cli_exports_and_imports_every_format(hostile, tmp_path, capsys):
    original = export_json(Journal(hostile, create=False))
    for fmt, out in (("csv", "e.zip"), ("csv", "folder"), ("xlsx", "e.xlsx"), ("json", "e.json")):
        target = tmp_path / out
        code = main(["export", "--journal", str(hostile), "--format", fmt, "--out", str(target)])
        assert code == 0 and target.exists()
        new = tmp_path / f"new-{out}.sqlite"
        assert main(["import", "--journal", str(new), str(target)]) == 0
        assert export_json(Journal(new, create=False)) == original, fmt
    capsys.readouterr()


def test_cli_spreadsheet_export_defaults_to_the_git_ignored_exports_folder(
    demo_file, tmp_path, monkeypatch, capsys
):
    import afterview_analysis.journal as journal_module

    root = Path(__file__).resolve().parent.parent
    monkeypatch.setattr(journal_module, "workbook_root", lambda: tmp_path)
    assert main(["export", "--journal", str(demo_file), "--format", "xlsx"]) == 0
    written = Path(capsys.readouterr().err.split("wrote ", 1)[1].strip())
    assert written.parent == tmp_path / "exports" and written.suffix == ".xlsx"
    inside = root / "exports" / written.name
    ignored = subprocess.run(["git", "check-ignore", "-q", str(inside)], cwd=root)
    assert ignored.returncode == 0, "exports/ must be git-ignored"


def test_keep_notes_needs_anonymize(demo_file, capsys):
    code = main(["export", "--journal", str(demo_file), "--keep-notes"])
    err = capsys.readouterr().err
    assert code == 2 and "--keep-notes" in err and err.count("\n") == 1


# --------------------------------------------------------------------------- bad files


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


HEADER = b"id,company,role,starts_at\r\n"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"interviews.csv": b""}, "empty"),
        ({"interviews.csv": b"\xff\xfeid\r\n"}, "not UTF-8"),
        ({"interviews.csv": b"id,colour\r\n"}, "unknown column 'colour'"),
        ({"interviews.csv": b"id,id\r\n"}, "twice"),
        ({"interviews.csv": HEADER + b"a,Acme,Analyst\r\n"}, "3 cells"),
        ({"interviews.csv": HEADER + b"a,Acme,Analyst,soon\r\n"}, "starts_at"),
        ({"interviews.csv": HEADER + b'a,"Acme\r\n'}, "not valid CSV"),
        ({"interviews.csv": HEADER + b"a,Acme,An," + b"x" * 2_000_000 + b"\r\n"}, "CSV"),
        ({"interviews.csv": HEADER + b"a,Acme,An,2026-03-02T09:30Z\r\n"
          b"a,Other,An,2026-03-02T09:30Z\r\n"}, "duplicate id"),
        ({"interviews.csv": HEADER + b"a,Acme,An," + b"9" * 5000 + b"\r\n"}, "starts_at"),
        ({"notes.txt": b"hi"}, "unexpected file"),
        ({"../evil.csv": b"id\r\n"}, "unexpected path"),
        ({}, "no <table>.csv"),
        ({"afterview.json": b"[", "interviews.csv": HEADER}, "manifest"),
        ({"afterview.json": b'{"schema_version": 99}', "interviews.csv": HEADER},
         "schema_version 99"),
        ({"questions.csv": b"id,interview_id,text,score\r\nq1,nope,Why?,3\r\n"},
         "does not exist"),
    ],
)
def test_bad_csv_archives_are_refused_and_write_nothing(files, message):
    j = Journal(":memory:")
    before = export_json(j)
    with pytest.raises(ExchangeError, match=message) as info:
        import_csv(j, _zip(files))
    assert "\n" not in str(info.value)
    assert export_json(j) == before


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04broken", b"not a workbook", _zip({"a": b"b"})])
def test_bad_xlsx_is_refused(data):
    j = Journal(":memory:")
    with pytest.raises(ExchangeError):
        import_xlsx(j, data)
    assert j.is_empty()


def test_import_refuses_a_non_empty_journal(hostile, tmp_path):
    archive = export_csv(Journal(hostile, create=False), tmp_path / "a.zip")
    with Journal(hostile, create=False) as j, pytest.raises(ExchangeError, match="empty"):
        import_csv(j, archive)



@example("_x0000\r")  # the carriage return's escape must not complete a code before it
@given(st.text(st.sampled_from(["_", "x", "0", "5", "F", "D", "\r", "a"]), max_size=40))
def test_ooxml_escape_is_reversible(text):
    from afterview_analysis.spreadsheets import _ooxml_escape, _ooxml_unescape

    assert "\r" not in _ooxml_escape(text)
    assert _ooxml_unescape(_ooxml_escape(text)) == text
