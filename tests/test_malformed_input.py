"""Malformed input at every entry point: one clear error naming the field, nothing written.

Property-based (hypothesis, profile "ci" by default, HYPOTHESIS_PROFILE=thorough for a long
run). The entry points: record constructors, JSON import, CSV import, and every command of
the ``afterview`` CLI run in-process. For each, the properties are the ones a user relies on:

* a bad value gives an :class:`AfterviewError` (RecordError names the field), never a
  traceback of another type;
* a value that *is* accepted is stored and reads back equal (no "saved but unreadable");
* after a refused import or command the journal is unchanged (same JSON export).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import zipfile
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from afterview_analysis.exchange import ExchangeError, export_json, import_json
from afterview_analysis.journal import Journal, JournalError
from afterview_analysis.records import (
    RECORD_TYPES,
    Interview,
    Profile,
    Record,
    RecordError,
)
from tests.hostile import ALL_HOSTILE

# --------------------------------------------------------------------------- valid bases

IV, REF, EV = "iv0001", "ref001", "ev0001"
QID, GRP = "q00001", "grp001"
WHEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

VALID: dict[str, dict] = {
    "profile": dict(name="Sam Doe", email="sam@example.com", timezone="Europe/Berlin"),
    "skills": dict(name="negotiation", position=7),
    "interviews": dict(company="Acme", role="Analyst", starts_at=WHEN, feedback_by="2026-03-09"),
    "interviewers": dict(interview_id=IV, name="Ann Lee", email="ann@acme.example"),
    "questions": dict(interview_id=IV, text="Why Acme?", score=3),
    "skill_scores": dict(interview_id=IV, skill="communication", score=4),
    "playbook_steps": dict(interview_id=IV, step="thank_you", done_at=WHEN),
    "references_": dict(name="Bo Chen", phone="+49 30 123456"),
    "heads_ups": dict(interview_id=IV, reference_id=REF, sent_at=WHEN),
    "employer_events": dict(interview_id=IV, kind="feedback", at=WHEN),
    "messages": dict(interview_id=IV, kind="thank_you", recipient="Ann Lee", body="Thank you!"),
    "question_groups": dict(title="Why us?", best_answer="Because", best_answer_at=WHEN),
    "question_pins": dict(question_id=QID, group_id=GRP, pinned_at=WHEN),
    "practice": dict(group_id=GRP, practised_at=WHEN, score=4, answer="Better"),
}

# Fields a cross-field rule may blame when another field changes.
CONSISTENCY = {"interviews": {"feedback_by", "outcome_on"}}


def parents() -> Journal:
    """A journal holding the parent rows the VALID children point to."""
    from afterview_analysis.records import EmployerEvent, Question, QuestionGroup, Reference

    j = Journal(":memory:")
    j.add(Interview(id=IV, company="Acme", role="Analyst", starts_at=WHEN))
    j.add(Question(id=QID, interview_id=IV, text="Why Acme?", score=3))
    j.add(QuestionGroup(id=GRP))
    j.add(Reference(id=REF, name="Bo Chen"))
    j.add(EmployerEvent(id=EV, interview_id=IV, kind="info_request", at=WHEN))
    return j


# --------------------------------------------------------------------------- bad values

surrogates = st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
                     min_size=1, max_size=3)
any_text = st.text(alphabet=st.characters(codec=None), max_size=60)
bad_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    any_text,
    st.builds(lambda a, s: a + s, any_text, surrogates),
    st.sampled_from(ALL_HOSTILE),
    st.sampled_from(["", " ", "\x00", "²", "٣", "9" * 5000, "+-3", "1e3", "0x10", "3.0",
                     "x" * 60_000, "2026-02-30", "2026-03-14T09:30", "1970-01-01T01:00+05:00",
                     "2200-12-31T23:00-05:00", "javascript:alert(1)", "http://", "a@b",
                     "Mars/Olympus", "../../etc/passwd", "NaN", "true", "1"]),
    st.binary(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                 timezones=st.one_of(st.none(), st.just(UTC),
                                     st.builds(lambda h: timezone(timedelta(hours=h)),
                                               st.integers(-23, 23)))),
    st.dates(),
)


def _field_and_value():
    return st.sampled_from(sorted(RECORD_TYPES)).flatmap(
        lambda table: st.tuples(
            st.just(table), st.sampled_from(RECORD_TYPES[table].columns()), bad_values
        )
    )


def _store_and_reload(kind: type[Record], record: Record) -> None:
    j = parents()
    try:
        try:
            if kind is Profile:
                j.update(record)
            else:
                j.add(record)
        except JournalError:
            return  # a clear refusal (unknown parent, duplicate): fine
        assert j.get(kind, record.id) == record, "stored but reads back different"
    finally:
        j.close()


@given(_field_and_value())
@example(("questions", "score", "²"))
@example(("questions", "score", "9" * 5000))
@example(("interviews", "starts_at", "1970-01-01T01:00+05:00"))
@example(("interviews", "company", "Acme\ud800"))
@example(("profile", "website", "https://example.com/\udfff"))
def test_record_constructors_refuse_with_the_field_or_store_and_read_back(case):
    table, name, value = case
    kind = RECORD_TYPES[table]
    values = {**VALID[table], name: value}
    if table == "profile" and name == "id":
        assume(value == "me")
    try:
        record = kind(**values)
    except RecordError as exc:
        assert exc.field in {name} | CONSISTENCY.get(table, set()), str(exc)
        assert "\n" not in str(exc)
        return
    # Accepted: it must be what it says, and survive the round trip through SQLite.
    assert kind.from_row(record.to_row()) == record
    _store_and_reload(kind, record)


def test_the_bugs_this_file_found_stay_fixed():
    """Each of these once escaped as ValueError/UnicodeEncodeError or saved unreadably."""
    with pytest.raises(RecordError, match="score"):
        RECORD_TYPES["questions"](interview_id=IV, text="q", score="²")
    with pytest.raises(RecordError, match="score"):
        RECORD_TYPES["questions"](interview_id=IV, text="q", score="9" * 5000)
    with pytest.raises(RecordError, match=r"starts_at.*1970"):
        Interview(company="A", role="B", starts_at="1970-01-01T01:00+05:00")
    with pytest.raises(RecordError, match=r"company.*surrogate"):
        Interview(company="A\ud800", role="B", starts_at=WHEN)
    with pytest.raises(ExchangeError, match="nested"):
        import_json(Journal(":memory:"), "[" * 100_000 + "]" * 100_000)


# --------------------------------------------------------------------------- JSON import


@pytest.fixture(scope="module")
def small_export() -> str:
    """A small but complete export: every table has at least one row."""
    parent = parents()
    for table, values in VALID.items():
        if table == "profile":
            parent.update(Profile(**values))
        else:
            parent.add(RECORD_TYPES[table](**values))
    text = export_json(parent)
    parent.close()
    return text


def _import_is_all_or_nothing(data, importer=import_json) -> None:
    """Importing ``data`` either works (and leaves a sound journal) or is refused with one
    line and writes nothing."""
    j = Journal(":memory:")
    before = export_json(j)
    try:
        importer(j, data)
    except ExchangeError as exc:
        assert "\n" not in str(exc) and str(exc)
        assert export_json(j) == before, "a refused import wrote something"
    else:
        assert j.check() == []
    finally:
        j.close()


@given(st.data())
def test_json_import_with_one_bad_value_names_it_and_writes_nothing(small_export, data):
    doc = json.loads(small_export)
    tables = [t for t, rows in doc["tables"].items() if rows]
    table = data.draw(st.sampled_from(tables))
    rows = doc["tables"][table]
    row = rows[data.draw(st.integers(0, len(rows) - 1))]
    name = data.draw(st.sampled_from([*row, "not_a_column"]))
    value = data.draw(bad_values.filter(lambda v: not isinstance(v, bytes | date)))
    row[name] = value
    try:
        text = json.dumps(doc, allow_nan=True)
    except (TypeError, ValueError):
        return
    _import_is_all_or_nothing(text)


@given(st.binary(max_size=400))
@example(b"")
@example(b"   \n")
@example(b"\xff\xfe{\x00}\x00")
@example(b"\xef\xbb\xbf{}")
@example(b'{"format": "afterview-journal", "schema_version": 99, "tables": {}}')
@example(b'{"format": "afterview-journal", "schema_version": true, "tables": {}}')
@example(b'{"format": "afterview-journal", "schema_version": 2, "tables": []}')
@example(b'{"format": "afterview-journal", "schema_version": 2, "tables": {"x": []}}')
@example(b'{"format": "afterview-journal", "schema_version": 2, "tables": {"interviews": [1]}}')
@example(b'{"format": "afterview-journal", "schema_version": 2, "tables": {"skills": {}}}')
@example(b'{"format": "afterview-journal", "schema_version": 2, "tables": {"interviews": '
         b'[{"id": "a", "company": "\\ud800", "role": "r", "starts_at": "2026-01-01T00:00Z"}]}}')
def test_json_import_of_arbitrary_bytes_is_refused_cleanly(data):
    _import_is_all_or_nothing(data)


def test_json_import_refuses_duplicate_ids_and_huge_fields(small_export):
    doc = json.loads(small_export)
    doc["tables"]["questions"].append(dict(doc["tables"]["questions"][0]))
    with pytest.raises(ExchangeError, match="duplicate id"):
        import_json(Journal(":memory:"), json.dumps(doc))
    doc = json.loads(small_export)
    doc["tables"]["interviews"][0]["notes"] = "n" * 1_000_000
    with pytest.raises(ExchangeError, match=r"notes.*at most 20000"):
        import_json(Journal(":memory:"), json.dumps(doc))


def test_a_surrogate_in_json_is_refused_not_a_crash(small_export):
    doc = json.loads(small_export)
    doc["tables"]["questions"][0]["answer"] = "\ud83d"  # half an emoji
    with pytest.raises(ExchangeError, match="answer"):
        import_json(Journal(":memory:"), json.dumps(doc))


def test_not_a_number_anywhere_is_refused(small_export):
    doc = json.loads(small_export)
    doc["tables"]["questions"][0]["score"] = math.nan
    with pytest.raises(ExchangeError, match="score"):
        import_json(Journal(":memory:"), json.dumps(doc))



# --------------------------------------------------------------------------- CSV import


@pytest.fixture(scope="module")
def small_csv(small_export, tmp_path_factory) -> dict[str, bytes]:
    """The small export as CSV files, by name."""
    from afterview_analysis.spreadsheets import export_csv

    j = Journal(":memory:")
    import_json(j, small_export)
    folder = export_csv(j, tmp_path_factory.mktemp("csv") / "csv")
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def _csv_import_is_all_or_nothing(files: dict[str, bytes]) -> None:
    from afterview_analysis.spreadsheets import import_csv

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    _import_is_all_or_nothing(buf.getvalue(), import_csv)


@given(st.data())
def test_csv_import_with_one_bad_cell_names_it_and_writes_nothing(small_csv, data):
    files = dict(small_csv)
    name = data.draw(st.sampled_from(sorted(n for n in files if n.endswith(".csv"))))
    rows = list(csv.reader(io.StringIO(files[name].decode("utf-8-sig"), newline="")))
    r = data.draw(st.integers(0, len(rows) - 1))
    c = data.draw(st.integers(0, len(rows[r]) - 1))
    value = data.draw(bad_values.filter(lambda v: not isinstance(v, bytes)))
    rows[r][c] = str(value)
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    try:
        files[name] = out.getvalue().encode("utf-8")
    except UnicodeEncodeError:
        files[name] = out.getvalue().encode("utf-8", "surrogatepass")  # not UTF-8 at all
    _csv_import_is_all_or_nothing(files)


@given(st.binary(max_size=300), st.sampled_from(["interviews.csv", "questions.csv",
                                                 "afterview.json", "other.csv"]))
@example(b"", "interviews.csv")
@example(b"\xef\xbb\xbf", "interviews.csv")
@example(b"\x00\x00\x00", "questions.csv")
@example(b'id,"unterminated', "interviews.csv")
def test_csv_import_of_arbitrary_bytes_is_refused_cleanly(small_csv, data, name):
    _csv_import_is_all_or_nothing({**small_csv, name: data})


# --------------------------------------------------------------------------- every command

CLI_EXAMPLES = int(os.environ.get("AFTERVIEW_CLI_EXAMPLES", "300" if os.environ.get(
    "HYPOTHESIS_PROFILE") == "thorough" else "12"))


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    from afterview_analysis.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


# What a user can type in a shell: no NUL; undecodable bytes arrive as surrogate escapes.
_typed = st.text(
    st.characters(codec="utf-8", exclude_characters="\x00/\\")
    | st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF),
    max_size=30,
)
_argument = st.one_of(
    _typed,
    st.sampled_from([p for p in ALL_HOSTILE if "/" not in p and "\x00" not in p]),
    st.sampled_from(["", "-1", "0", "1", "2", "99999999999999999999", "nan", "2026-03-14",
                     "2026-11-20T09:30+01:00", "2026-02-30", "soon", "0x1f", "1e9",
                     "-", "--", "thank-you", "email", "json", "csv", "xlsx", "html",
                     "out.zip", "out.xlsx", "out.json", "out.ics", "out.eml", "."]),
)


def _argv_for(name: str, parser: argparse.ArgumentParser, ids: list[str]):
    """Random argv for one command: any of its options, with hostile or odd values."""
    options = [a for a in parser._actions
               if not isinstance(a, argparse._HelpAction) and a.dest != "journal"]

    @st.composite
    def build(draw):
        argv = [name]
        for action in options:
            values = _argument | st.sampled_from(ids) if ids else _argument
            if action.choices:
                values = st.sampled_from([str(c) for c in action.choices]) | values
            if not action.option_strings:  # positional: always there
                argv.append(draw(values))
                continue
            if not draw(st.booleans()):
                continue
            if action.nargs == 0:
                argv.append(action.option_strings[0])
            else:
                argv += [action.option_strings[-1], draw(values)]
        return argv

    return build()


@pytest.fixture(scope="module")
def cli_ids(demo_file) -> list[str]:
    with Journal(demo_file, create=False) as j:
        return [j.rows("interviews")[0]["id"], j.rows("messages")[0]["id"],
                j.rows("employer_events")[0]["id"]]


@pytest.mark.slow
@pytest.mark.parametrize("command", sorted(_subcommands()))
def test_every_command_refuses_bad_input_in_one_line_and_writes_nothing(
    command, demo_file, cli_ids, tmp_path, monkeypatch, capsys
):
    """exit 0, or exit 2 with a one-line message and the journal as it was: never a crash."""
    from afterview_analysis.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    path = tmp_path / "journal.sqlite"
    monkeypatch.setenv("AFTERVIEW_JOURNAL", str(path))
    src = Journal(demo_file, create=False)
    src.backup(path)
    src.close()
    with Journal(path, create=False) as j:
        pristine = export_json(j)

    @settings(max_examples=CLI_EXAMPLES)
    @given(_argv_for(command, _subcommands()[command], cli_ids))
    def run(argv):
        with Journal(path, create=False) as j:
            before = export_json(j)
        try:
            code = main([*argv, "--journal", str(path)])
        except SystemExit as exc:  # argparse refuses before main's handler runs
            code = exc.code
        _, err = capsys.readouterr()
        assert code in (0, 2), f"{argv!r}: exit {code}\n{err[-2000:]}"
        assert "Traceback" not in err, f"{argv!r}\n{err[-3000:]}"
        if code == 2:
            assert err.count("\n") == 1 and err.startswith("afterview"), f"{argv!r}: {err!r}"
            with Journal(path, create=False) as j:
                assert export_json(j) == before, f"{argv!r} failed but changed the journal"
        if code == 0 and export_json(Journal(path, create=False)) != pristine:
            src = Journal(demo_file, create=False)  # start the next example afresh
            path.unlink()
            src.backup(path)
            src.close()

    run()
