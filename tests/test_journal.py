"""The journal: CRUD for every record, one-transaction saves, migrations, frames' dtypes."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from afterview_analysis import schema as schema_module
from afterview_analysis.journal import (
    Journal,
    JournalError,
    default_path,
    workbook_root,
)
from afterview_analysis.records import (
    DEFAULT_SKILLS,
    RECORD_TYPES,
    EmployerEvent,
    HeadsUp,
    Interview,
    Interviewer,
    Message,
    PlaybookStep,
    Practice,
    Profile,
    Question,
    QuestionGroup,
    QuestionPin,
    RecordError,
    Reference,
    Skill,
    SkillScore,
)
from afterview_analysis.schema import MIGRATIONS, SCHEMA_VERSION, TABLES
from tests.conftest import make_interview

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def children_of(iv: Interview) -> dict[str, list]:
    return dict(
        interviewers=[Interviewer(interview_id=iv.id, name="Maya Keller", email="m@acme.io")],
        questions=[
            Question(interview_id=iv.id, position=0, text="Why Acme?", category="motivation",
                     score=4),
            Question(interview_id=iv.id, position=1, text="Design a metrics store",
                     category="system_design", score=2, minutes=14, next_time="Draw first"),
        ],
        skill_scores=[SkillScore(interview_id=iv.id, skill="communication", score=4)],
        steps=[PlaybookStep(interview_id=iv.id, step="ask_next_steps", done_at=iv.ends_at)],
    )


# --------------------------------------------------------------------------- opening


def test_new_journal_has_schema_rubric_and_profile(tmp_path):
    path = tmp_path / "sub" / "j.sqlite"
    with Journal(path) as j:
        assert path.is_file() and j.version == SCHEMA_VERSION
        assert j.skills() == list(DEFAULT_SKILLS)
        assert j.profile() == Profile()
        assert j.is_empty() and j.check() == []
        mode = j.conn.execute("PRAGMA journal_mode").fetchone()[0]
        fks = j.conn.execute("PRAGMA foreign_keys").fetchone()[0]
        timeout = j.conn.execute("PRAGMA busy_timeout").fetchone()[0]
    assert (mode, fks) == ("wal", 1) and timeout >= 5000


def test_opening_twice_is_idempotent(tmp_path):
    path = tmp_path / "j.sqlite"
    Journal(path).close()
    with Journal(path) as j:
        assert j.counts()["skills"] == len(DEFAULT_SKILLS)


def test_missing_journal_refused_without_create(tmp_path):
    with pytest.raises(JournalError, match=r"no journal at .*afterview init"):
        Journal(tmp_path / "nope.sqlite", create=False)
    assert not (tmp_path / "nope.sqlite").exists()


def test_not_a_journal(tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(JournalError, match=r"not an afterview journal .*left untouched"):
        Journal(junk)
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.close()
    with pytest.raises(JournalError, match="not an afterview journal"):
        Journal(other)


def test_default_path_is_the_workbook_data_folder_from_anywhere(monkeypatch, tmp_path):
    monkeypatch.delenv("AFTERVIEW_JOURNAL", raising=False)
    monkeypatch.chdir(tmp_path)
    root = workbook_root()
    assert (root / "notebooks").is_dir() and (root / "pyproject.toml").is_file()
    assert default_path() == root / "data" / "journal.sqlite"
    monkeypatch.setenv("AFTERVIEW_JOURNAL", str(tmp_path / "elsewhere.sqlite"))
    assert default_path() == tmp_path / "elsewhere.sqlite"


# --------------------------------------------------------------------------- CRUD


def test_add_get_update_delete_every_record_type(journal):
    iv = make_interview()
    ref = Reference(name="Ruth Adeyemi", email="ruth@example.com")
    event = EmployerEvent(interview_id=iv.id, kind="info_request", at=T0 + timedelta(days=2))
    records = [
        iv,
        Skill(name="listening", position=9),
        Interviewer(interview_id=iv.id, name="Maya"),
        Question(interview_id=iv.id, text="Q?", score=3),
        SkillScore(interview_id=iv.id, skill="listening", score=2),
        PlaybookStep(interview_id=iv.id, step="thank_you", done_at=T0 + timedelta(hours=5)),
        ref,
        HeadsUp(interview_id=iv.id, reference_id=ref.id),
        event,
        Message(interview_id=iv.id, kind="info_reply", recipient="Maya", body="Here you go",
                reply_to_event_id=event.id),
    ]
    group = QuestionGroup(title="Why us?", best_answer="Because ...")
    records += [
        group,
        QuestionPin(question_id=records[3].id, group_id=group.id),
        Practice(group_id=group.id, practised_at=T0 + timedelta(days=1), score=4),
    ]
    for record in records:
        assert journal.add(record) == record.id
        assert journal.get(type(record), record.id) == record
    assert {type(r) for r in records} | {Profile} == set(RECORD_TYPES.values())

    renamed = dataclasses.replace(iv, role="Senior Data Analyst", outcome="advanced",
                                  outcome_on="2026-03-06")
    journal.update(renamed)
    assert journal.get(Interview, iv.id) == renamed
    journal.update(Profile(name="Alex", timezone="Europe/Berlin"))
    assert journal.profile().timezone == "Europe/Berlin"

    assert journal.find(Question, interview_id=iv.id)[0].text == "Q?"
    journal.delete(Question, records[3].id)
    assert journal.find(Question, interview_id=iv.id) == []
    with pytest.raises(JournalError, match="no questions row"):
        journal.delete(Question, records[3].id)
    with pytest.raises(JournalError, match="no interviews row"):
        journal.get(Interview, "missing")
    with pytest.raises(JournalError, match="no interviews row"):
        journal.update(make_interview())


def test_deleting_an_interview_takes_its_children(journal):
    iv = make_interview()
    journal.save_interview(iv, **children_of(iv))
    journal.delete(Interview, iv.id)
    counts = journal.counts()
    assert all(counts[t] == 0 for t in TABLES if t not in ("skills", "profile"))
    assert journal.check() == []


def test_children_need_an_existing_parent(journal):
    with pytest.raises(JournalError, match="refers to a record that does not exist"):
        journal.add(Question(interview_id="ghost", text="Q?", score=3))
    with pytest.raises(JournalError, match="does not exist"):
        journal.add(SkillScore(interview_id="ghost", skill="communication", score=3))
    assert journal.is_empty()


def test_duplicate_ids_refused(journal):
    iv = make_interview()
    journal.add(iv)
    with pytest.raises(JournalError, match="already exists"):
        journal.add(iv)
    assert journal.counts()["interviews"] == 1


def test_skill_scores_must_name_a_rubric_skill(journal):
    iv = make_interview()
    journal.add(iv)
    with pytest.raises(JournalError):
        journal.add(SkillScore(interview_id=iv.id, skill="juggling", score=3))
    journal.add(Skill(name="juggling", position=10))
    journal.add(SkillScore(interview_id=iv.id, skill="juggling", score=3))
    assert "juggling" in journal.skills()


def test_find_rejects_unknown_fields(journal):
    with pytest.raises(JournalError, match="has no field 'colour'"):
        journal.find(Question, colour="red")


# --------------------------------------------------------------------------- transactions


def test_save_interview_round_trips_everything(journal):
    iv = make_interview(keep_in_touch=True, notes="Long\nnotes")
    kids = children_of(iv)
    log = journal.save_interview(iv, **kids)
    assert log.interview == iv
    assert log.interviewers == kids["interviewers"]
    assert log.questions == kids["questions"]
    assert log.skill_scores == kids["skill_scores"]
    assert log.steps == kids["steps"]
    assert journal.load_interview(iv.id) == log


def test_save_interview_replaces_given_lists_and_keeps_others(journal):
    iv = make_interview()
    journal.save_interview(iv, **children_of(iv))
    edited = dataclasses.replace(iv, company="Acme Group")
    q = Question(interview_id=iv.id, text="New question", score=5)
    log = journal.save_interview(edited, questions=[q])
    assert log.interview.company == "Acme Group"
    assert log.questions == [q]
    assert len(log.interviewers) == 1 and len(log.skill_scores) == 1
    log = journal.save_interview(edited, interviewers=[])
    assert log.interviewers == [] and log.questions == [q]


def test_failing_save_leaves_nothing_behind(journal_file):
    iv = make_interview()
    kids = children_of(iv)
    bad = SkillScore(interview_id=iv.id, skill="not in the rubric", score=3)
    with pytest.raises(JournalError):
        journal_file.save_interview(iv, **{**kids, "skill_scores": [bad]})
    assert journal_file.is_empty()
    with Journal(journal_file.path) as other:  # and another connection sees nothing either
        assert other.is_empty()


def test_failing_update_keeps_the_old_children(journal):
    iv = make_interview()
    journal.save_interview(iv, **children_of(iv))
    before = journal.load_interview(iv.id)
    bad = [Question(interview_id=iv.id, text="Fine", score=4),
           SkillScore(interview_id=iv.id, skill="communication", score=4)]
    with pytest.raises(JournalError):
        journal.save_interview(dataclasses.replace(iv, role="Changed"),
                               questions=[bad[0]], skill_scores=[bad[1], bad[1]])
    assert journal.load_interview(iv.id) == before


def test_children_of_another_interview_refused(journal):
    iv, other = make_interview(), make_interview()
    stray = Question(interview_id=other.id, text="Q", score=3)
    with pytest.raises(JournalError, match="belongs to interview"):
        journal.save_interview(iv, questions=[stray])
    assert journal.is_empty()


def test_exception_inside_transaction_rolls_back(journal):
    with pytest.raises(RuntimeError), journal.transaction():
        journal.add(make_interview())
        raise RuntimeError("crash mid-write")
    assert journal.is_empty()


def test_add_many_is_all_or_nothing(journal):
    iv = make_interview()
    good = Question(interview_id=iv.id, text="Q", score=3)
    orphan = Question(interview_id="ghost", text="Q", score=3)
    with pytest.raises(JournalError):
        journal.add_many([iv, good, orphan])
    assert journal.is_empty()
    assert journal.add_many([iv, good]) == 2


def test_schema_checks_guard_even_raw_sql(journal):
    iv = make_interview()
    journal.add(iv)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        journal.conn.execute(
            "INSERT INTO questions (id, interview_id, position, text, category, score) "
            "VALUES ('q1', ?, 0, 'Q', 'other', 7)",
            (iv.id,),
        )


def test_two_connections_can_both_write(tmp_path):
    path = tmp_path / "j.sqlite"
    a, b = Journal(path), Journal(path)
    try:
        with a.transaction():
            a.add(make_interview(company="A"))
        b.add(make_interview(company="B"))
        assert {r.company for r in a.find(Interview)} == {"A", "B"}
    finally:
        a.close()
        b.close()


# --------------------------------------------------------------------------- migrations


def make_v1(path) -> dict[str, int]:
    """A journal as the first schema left it, with rows in every v1 table."""
    con = sqlite3.connect(path)
    for statement in MIGRATIONS[0]:
        con.execute(statement)
    con.execute("INSERT INTO skills VALUES ('s1', 'communication', 0, NULL)")
    con.execute(
        "INSERT INTO interviews (id, company, role, stage, format, starts_at, duration_minutes,"
        " outcome, created_at, feedback_by) VALUES ('iv1', 'Acme', 'Analyst', 'screen', 'video',"
        " '2025-01-02T09:00:00+00:00', 30, 'pending', '2025-01-02T10:00:00+00:00', '2025-01-09')"
    )
    con.execute("INSERT INTO interviewers (id, interview_id, name) VALUES ('p1', 'iv1', 'Maya')")
    con.execute(
        "INSERT INTO questions (id, interview_id, position, text, category, score)"
        " VALUES ('q1', 'iv1', 0, 'Why us?', 'motivation', 3)"
    )
    con.execute("INSERT INTO skill_scores VALUES ('k1', 'iv1', 'communication', 4)")
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    return {"skills": 1, "interviews": 1, "interviewers": 1, "questions": 1, "skill_scores": 1}


def test_migrating_from_the_first_schema_keeps_rows_and_backs_up(tmp_path):
    path = tmp_path / "old.sqlite"
    expected = make_v1(path)
    original = path.read_bytes()
    with Journal(path) as j:
        assert j.version == SCHEMA_VERSION
        counts = j.counts()
        assert {t: counts[t] for t in expected} == expected
        iv = j.get(Interview, "iv1")
        assert iv.company == "Acme" and iv.predicted_chance is None and iv.keep_in_touch is None
        assert j.profile() == Profile()
        assert j.check() == []
        j.add(PlaybookStep(interview_id="iv1", step="thank_you", done_at=iv.ends_at))
    backup = tmp_path / "old.v1-backup.sqlite"
    assert backup.is_file()
    con = sqlite3.connect(backup)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM questions").fetchone()[0] == 1
    con.close()
    assert len(original) > 0


def test_failed_migration_step_leaves_the_old_version(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite"
    make_v1(path)
    broken = [*MIGRATIONS[1][:3], "THIS IS NOT SQL"]
    monkeypatch.setattr(schema_module, "MIGRATIONS", [MIGRATIONS[0], broken])
    with pytest.raises(JournalError):
        Journal(path)
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 1
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    con.close()
    assert "profile" not in tables  # the half-run step was rolled back


def test_newer_journal_is_refused_untouched(tmp_path):
    path = tmp_path / "future.sqlite"
    Journal(path).close()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(JournalError, match=r"newer afterview .* left untouched"):
        Journal(path)
    assert path.read_bytes() == before


# --------------------------------------------------------------------------- frames


def test_frames_have_tidy_dtypes(journal):
    iv = make_interview(keep_in_touch=True, outcome="offer", outcome_on="2026-03-20")
    journal.save_interview(iv, **children_of(iv))
    frames = journal.frames()
    assert list(frames) == list(TABLES)
    ivs = frames["interviews"]
    assert str(ivs["starts_at"].dtype) == "datetime64[us, UTC]"
    assert ivs.loc[0, "ends_at"] == pd.Timestamp(iv.ends_at)
    assert str(ivs["feedback_by"].dtype) == "datetime64[us]"
    assert isinstance(ivs["stage"].dtype, pd.CategoricalDtype)
    assert list(ivs["stage"].cat.categories) == ["screen", "technical", "onsite", "final", "other"]
    assert str(ivs["predicted_chance"].dtype) == "Int64"
    assert str(ivs["keep_in_touch"].dtype) == "boolean"
    assert ivs.loc[0, "company"] == "Acme Analytics"
    qs = frames["questions"]
    assert qs["score"].tolist() == [4, 2] and str(qs["score"].dtype) == "Int64"
    assert qs["minutes"].isna().tolist() == [True, False]
    assert list(frames["skill_scores"]["skill"].cat.categories) == list(DEFAULT_SKILLS)


def test_frames_of_an_empty_journal_keep_their_columns_and_dtypes(journal):
    frames = journal.frames()
    assert frames["interviews"].empty
    assert "ends_at" in frames["interviews"]
    assert str(frames["questions"]["score"].dtype) == "Int64"
    assert str(frames["interviews"]["starts_at"].dtype) == "datetime64[us, UTC]"
    assert list(frames["skills"]["name"]) == list(DEFAULT_SKILLS)


def test_frames_do_not_share_state_with_the_journal(journal):
    iv = make_interview()
    journal.save_interview(iv, **children_of(iv))
    df = journal.frame("questions")
    df.loc[0, "score"] = 1
    assert journal.frame("questions").loc[0, "score"] == 4


def test_find_can_filter_on_a_field_called_kind(journal):
    iv = make_interview()
    journal.add(iv)
    journal.add(EmployerEvent(interview_id=iv.id, kind="offer", at=T0 + timedelta(days=9)))
    journal.add(EmployerEvent(interview_id=iv.id, kind="feedback", at=T0 + timedelta(days=3)))
    assert [e.kind for e in journal.find(EmployerEvent, kind="offer")] == ["offer"]
    assert [e.kind for e in journal.find(EmployerEvent, order_by="at")] == ["feedback", "offer"]


def test_a_journal_opened_in_one_thread_works_from_another(journal_file):
    # ipykernel may run widget callbacks on its comm thread; a Save there must work.
    import threading

    iv = make_interview()
    errors: list[BaseException] = []

    def save_elsewhere():
        try:
            journal_file.save_interview(iv, **children_of(iv))
        except BaseException as exc:  # reported below
            errors.append(exc)

    worker = threading.Thread(target=save_elsewhere)
    worker.start()
    worker.join()
    assert errors == []
    assert journal_file.load_interview(iv.id).interview == iv


def question_rows(iv, n):
    return [Question(interview_id=iv.id, position=i, text=f"Q{i}", score=1 + i % 5).to_row()
            for i in range(n)]


def test_add_validated_checks_and_writes_in_chunks(journal_file):
    iv = make_interview()
    journal_file.add(iv)
    rows = question_rows(iv, 23)
    assert journal_file.add_validated(Question, rows, chunk=5) == 23  # five chunks, threaded
    assert [q.to_row() for q in journal_file.find(Question, order_by="position")] == rows


@pytest.mark.parametrize("chunk", [5, 100])
def test_add_validated_names_a_bad_row_in_a_later_chunk_and_writes_nothing(journal_file, chunk):
    iv = make_interview()
    journal_file.add(iv)
    rows = question_rows(iv, 23)
    rows[17] = {**rows[17], "score": 9}
    with pytest.raises(RecordError) as info:
        journal_file.add_validated(Question, rows, chunk=chunk)
    assert (info.value.row, info.value.field) == (18, "score")
    assert journal_file.counts()["questions"] == 0


def test_add_validated_refuses_an_id_repeated_across_chunks(journal_file):
    iv = make_interview()
    journal_file.add(iv)
    rows = question_rows(iv, 12)
    rows[11] = {**rows[11], "id": rows[2]["id"]}
    with pytest.raises(RecordError, match="duplicate id") as info:
        journal_file.add_validated(Question, rows, chunk=4)
    assert info.value.row == 12
    assert journal_file.counts()["questions"] == 0
