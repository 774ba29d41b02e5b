"""Every record validates its fields: good values pass (normalised), bad ones name the rule."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from afterview_analysis.records import (
    RECORD_TYPES,
    Category,
    EmployerEvent,
    HeadsUp,
    Interview,
    Interviewer,
    Message,
    Outcome,
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
    Stage,
)
from tests.conftest import make_interview

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def error_of(fn, **kwargs) -> RecordError:
    with pytest.raises(RecordError) as info:
        fn(**kwargs)
    return info.value


# --------------------------------------------------------------------------- interview


def test_interview_defaults_and_normalisation():
    iv = make_interview(company="  Acme  ", starts_at="2026-03-02T10:30+01:00")
    assert iv.company == "Acme"
    assert iv.starts_at == T0 and iv.starts_at.tzinfo == UTC
    assert iv.stage is Stage.TECHNICAL and iv.outcome is Outcome.PENDING
    assert iv.feedback_by == date(2026, 3, 9)
    assert iv.ends_at == T0 + timedelta(minutes=60)
    assert len(iv.id) == 12


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("company", "", "is required"),
        ("company", "   ", "is required"),
        ("role", None, "is required"),
        ("company", "Acme\nBcc: x@y.z", "single line"),
        ("company", "x" * 201, "at most 200"),
        ("company", 42, "must be text"),
        ("stage", "lunch", "must be one of: screen, technical"),
        ("format", "telepathy", "must be one of"),
        ("starts_at", datetime(2026, 3, 2, 9, 30), "time zone"),
        ("starts_at", "2026-02-30T10:00+00:00", "date and time"),
        ("starts_at", "yesterday", "date and time"),
        ("duration_minutes", 0, "from 1 to 720"),
        ("duration_minutes", True, "whole number"),
        ("job_url", "javascript:alert(1)", "http:// or https://"),
        ("job_url", "https://exa mple.com", "http:// or https://"),
        ("feedback_by", "2026-02-30", "real date"),
        ("feedback_by", "2026-02-20", "before the interview"),
        ("predicted_chance", 101, "from 0 to 100"),
        ("predicted_chance", -1, "from 0 to 100"),
        ("predicted_chance", 50.5, "whole number"),
        ("outcome", "maybe", "must be one of"),
        ("keep_in_touch", "sure", "yes (true) or no (false)"),
        ("notes", "bell\x07", "control characters"),
    ],
)
def test_interview_rejects(field, value, rule):
    err = error_of(make_interview, **{field: value})
    assert err.record == "Interview" and err.field == field and err.value == value
    assert rule in err.rule
    assert str(err).startswith(f"Interview.{field} = ")


def test_outcome_date_needs_an_outcome_and_cannot_precede_interview():
    assert error_of(make_interview, outcome_on="2026-03-05").field == "outcome_on"
    err = error_of(make_interview, outcome="rejected", outcome_on="2026-01-05")
    assert err.field == "outcome_on" and "before the interview" in err.rule
    ok = make_interview(outcome="offer", outcome_on="2026-03-20")
    assert ok.outcome_on == date(2026, 3, 20)


def test_feedback_date_on_the_local_day_of_a_late_evening_interview_is_fine():
    # 23:30 in Los Angeles is the next morning in UTC; the same local day must be allowed.
    la = datetime(2026, 3, 2, 23, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
    iv = make_interview(starts_at=la, feedback_by="2026-03-02")
    assert iv.starts_at.date() == date(2026, 3, 3)


def test_replace_revalidates():
    iv = make_interview()
    with pytest.raises(RecordError, match=r"predicted_chance"):
        dataclasses.replace(iv, predicted_chance=300)
    assert dataclasses.replace(iv, role="Lead").role == "Lead"


def test_records_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        make_interview().company = "Other"  # type: ignore[misc]


# --------------------------------------------------------------------------- children


@pytest.mark.parametrize("score", [1, 3, 5])
def test_question_scores_in_range(score):
    q = Question(interview_id="abc", text="Why us?", score=score, category="motivation")
    assert q.score == score and q.category is Category.MOTIVATION


@pytest.mark.parametrize("score", [0, 6, -1, 2.5, "high", None, True])
def test_question_scores_out_of_range(score):
    err = error_of(Question, interview_id="abc", text="Why us?", score=score)
    assert err.field == "score"
    assert "1 to 5" in err.rule or "required" in err.rule


def test_question_rules():
    assert error_of(Question, interview_id="abc", text="", score=3).field == "text"
    err = error_of(Question, interview_id="abc", text="Q", score=3, category="trivia")
    assert err.field == "category" and "system_design" in err.rule
    assert error_of(Question, interview_id="abc", text="Q", score=3, minutes=0).field == "minutes"
    assert Question(interview_id="abc", text="Q", score=3, minutes="12").minutes == 12
    assert error_of(Question, interview_id="a b", text="Q", score=3).field == "interview_id"


@pytest.mark.parametrize(
    "email",
    ["ana@example.com", "first.last+tag@sub.example.co.uk", "o'neil@example.ie"],
)
def test_good_emails(email):
    assert Interviewer(interview_id="abc", name="Ana", email=email).email == email


@pytest.mark.parametrize(
    "email",
    [
        "ana",
        "ana@",
        "@example.com",
        "ana@example",
        "ana smith@example.com",
        "ana@example.com\nBcc: all@example.com",
        "ana..b@example.com",
        ".ana@example.com",
        "ana@-example.com",
    ],
)
def test_bad_emails(email):
    err = error_of(Interviewer, interview_id="abc", name="Ana", email=email)
    assert err.field == "email" and "email address" in err.rule


def test_phone_and_profile_url():
    ok = Interviewer(interview_id="a", name="A", phone="+44 (20) 7946-0001 ext. 12")
    assert ok.phone.startswith("+44")
    assert error_of(Interviewer, interview_id="a", name="A", phone="call me").field == "phone"
    assert error_of(Interviewer, interview_id="a", name="A", phone="12").field == "phone"
    err = error_of(Interviewer, interview_id="a", name="A", profile_url="ftp://x.org")
    assert err.field == "profile_url"


def test_skill_score_and_skill():
    assert SkillScore(interview_id="a", skill="communication", score=4).score == 4
    assert error_of(SkillScore, interview_id="a", skill="communication", score=9).field == "score"
    assert error_of(SkillScore, interview_id="a", skill="", score=3).field == "skill"
    assert error_of(Skill, name="  ").field == "name"


def test_playbook_step_event_message_reference_headsup():
    assert PlaybookStep(interview_id="a", step="thank_you", done_at=T0).step == "thank_you"
    assert error_of(PlaybookStep, interview_id="a", step="lunch", done_at=T0).field == "step"
    err = error_of(PlaybookStep, interview_id="a", step="thank_you", done_at="2026-03-02 10:00")
    assert err.field == "done_at" and "time zone" in err.rule
    assert EmployerEvent(interview_id="a", kind="info_request", at=T0).kind == "info_request"
    assert error_of(EmployerEvent, interview_id="a", kind="silence", at=T0).field == "kind"
    m = Message(kind="thank_you", recipient="Ana", body="Thanks", created_at=T0)
    assert m.sent_at is None and m.channel == "email"
    err = error_of(Message, kind="thank_you", recipient="Ana", body="Hi", subject="Hi\r\nBcc: x")
    assert err.field == "subject"
    assert error_of(Message, kind="thank_you", recipient="", body="x").field == "recipient"
    assert Reference(name="Ruth", email="ruth@example.com").name == "Ruth"
    assert error_of(Reference, name="Ruth", email="ruth").field == "email"
    assert HeadsUp(interview_id="a", reference_id="b").sent_at is None


def test_profile():
    p = Profile(name="Alex", timezone="Europe/Berlin", linkedin="https://linkedin.com/in/a")
    assert p.id == "me" and p.timezone == "Europe/Berlin"
    assert error_of(Profile, timezone="Mars/Olympus").field == "timezone"
    assert error_of(Profile, github="github.com/alex").field == "github"


# --------------------------------------------------------------------------- row form


@pytest.mark.parametrize("kind", list(RECORD_TYPES.values()), ids=list(RECORD_TYPES))
def test_every_record_round_trips_through_its_row(kind):
    samples = {
        Profile: Profile(name="Alex", email="a@example.org"),
        Skill: Skill(name="listening", position=7),
        Interview: make_interview(keep_in_touch=False, outcome="offer", outcome_on="2026-03-20"),
        Interviewer: Interviewer(interview_id="a", name="Ana", email="ana@example.com"),
        Question: Question(interview_id="a", text="Q?", score=2, minutes=5),
        SkillScore: SkillScore(interview_id="a", skill="communication", score=4),
        PlaybookStep: PlaybookStep(interview_id="a", step="follow_up", done_at=T0),
        Reference: Reference(name="Ruth"),
        HeadsUp: HeadsUp(interview_id="a", reference_id="b", sent_at=T0),
        EmployerEvent: EmployerEvent(interview_id="a", kind="offer", at=T0),
        Message: Message(kind="follow_up", recipient="Ana", body="Hello", sent_at=T0),
        QuestionGroup: QuestionGroup(title="Why us?", best_answer="Because", best_answer_at=T0),
        QuestionPin: QuestionPin(question_id="q", group_id="g", pinned_at=T0),
        Practice: Practice(group_id="g", practised_at=T0, score=3, answer="Better"),
    }
    record = samples[kind]
    row = record.to_row()
    assert list(row) == kind.columns()
    assert all(v is None or isinstance(v, str | int) for v in row.values())
    assert kind.from_row(row) == record


def test_from_row_rejects_unknown_fields():
    err = error_of(Question.from_row, row={"interview_id": "a", "text": "Q", "score": 3, "x": 1})
    assert err.field == "x"


# --------------------------------------------------------------------------- bulk validation


def test_bulk_validation_equals_one_record_at_a_time():
    from afterview_analysis.demo import demo_records

    by_table: dict[str, list] = {"skills": [Skill(name="listening"), Skill(name="grit")]}
    for record in demo_records():
        by_table.setdefault(record.__table__, []).append(record)
    assert set(by_table) == set(RECORD_TYPES)
    for table, records in by_table.items():
        kind = RECORD_TYPES[table]
        rows = [r.to_row() for r in records]
        assert kind.validate_rows(rows) == [r.to_tuple() for r in records], table


def test_bulk_validation_normalises_like_the_constructor():
    rows = [
        {"company": " Acme ", "role": "Analyst", "starts_at": "2026-03-02T10:30+01:00",
         "keep_in_touch": True},
        {"company": "Beta", "role": "Lead", "starts_at": "2026-03-03T09:00Z",
         "keep_in_touch": 1, "notes": "   "},
    ]
    records = [make_interview(**r) for r in rows]
    raw = [{**record.to_row(), **r} for record, r in zip(records, rows, strict=True)]
    assert Interview.validate_rows(raw) == [record.to_tuple() for record in records]


@pytest.mark.parametrize(
    ("column", "bad", "field"),
    [
        ("score", 6, "score"),
        ("score", True, "score"),
        ("category", "trivia", "category"),
        ("text", "", "text"),
        ("text", "bell\x07", "text"),
        ("id", "has space", "id"),
        ("minutes", 2.5, "minutes"),
        ("answer", ["a", "list"], "answer"),
    ],
)
def test_bulk_validation_names_the_row_and_field(column, bad, field):
    rows = [Question(interview_id="iv", text=f"Q{n}", score=3).to_row() for n in range(5)]
    rows[3] = {**rows[3], column: bad}
    with pytest.raises(RecordError) as info:
        Question.validate_rows(rows)
    assert (info.value.row, info.value.field) == (4, field)


def test_bulk_validation_applies_cross_field_rules():
    rows = [make_interview().to_row() for _ in range(3)]
    rows[2] = {**rows[2], "outcome_on": "2026-03-20"}  # still pending
    with pytest.raises(RecordError) as info:
        Interview.validate_rows(rows)
    assert (info.value.row, info.value.field) == (3, "outcome_on")
