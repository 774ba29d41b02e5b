"""What the "after the interview" form holds, apart from any widget.

:class:`InterviewFormState` keeps the raw values a user typed (text stays text, so a
wrong value is never lost), builds the records with :mod:`afterview_analysis.records`
validation (:meth:`InterviewFormState.to_log`) and is built back from a stored
:class:`~afterview_analysis.journal.InterviewLog` (:meth:`InterviewFormState.from_log`).
Errors come back as :class:`FormError`, keyed by the form field they belong to:
``"company"``, ``"starts_at"``, ``"interviewers.0.email"``, ``"questions.2.score"``,
``"skills.communication"``.

>>> from datetime import date
>>> state = InterviewFormState.blank(["communication"], zone="UTC")
>>> state.company, state.role, state.start_date = "Acme", "Analyst", date(2026, 3, 2)
>>> state.questions[0].text, state.questions[0].score = "Why us?", "7"
>>> try:
...     state.to_log()
... except FormError as exc:
...     print(exc.errors)
{'questions.0.score': 'Score must be a whole number from 1 to 5'}
>>> state.questions[0].score = "4"
>>> log = state.to_log()
>>> log.interview.company, log.questions[0].score
('Acme', 4)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from afterview_analysis.journal import InterviewLog
from afterview_analysis.records import (
    Category,
    ContactRole,
    EmployerEvent,
    EventKind,
    Format,
    Interview,
    Interviewer,
    Outcome,
    PlaybookStep,
    Question,
    Record,
    RecordError,
    Reference,
    SkillScore,
    Stage,
    Step,
    new_id,
    utc_now,
)
from afterview_analysis.widgets._common import combine_local, split_local

__all__ = [
    "FIELD_LABELS",
    "REFERENCE_LABELS",
    "STEP_LABELS",
    "EventFormState",
    "FormError",
    "InterviewFormState",
    "InterviewerRow",
    "QuestionRow",
    "ReferenceRow",
    "build_record",
    "check_fields",
    "outcome_for_event",
    "probe_interview",
]

#: Words for each form field, used in error messages ("Email must be ...").
FIELD_LABELS: dict[str, str] = {
    "company": "Company",
    "role": "Role",
    "stage": "Stage",
    "format": "Format",
    "starts_at": "Start",
    "duration_minutes": "Length (minutes)",
    "location": "Location",
    "job_url": "Job ad URL",
    "notes": "Notes",
    "process_length": "Process length",
    "feedback_by": "Feedback by",
    "keep_in_touch": "Keep in touch",
    "recall_point": "Point worth recalling",
    "forgotten_strength": "Strength not mentioned",
    "predicted_chance": "Predicted chance (%)",
    "outcome": "Outcome",
    "outcome_on": "Outcome date",
    "name": "Name",
    "title": "Title",
    "email": "Email",
    "phone": "Phone",
    "profile_url": "Profile URL",
    "contact_role": "Role",
    "contact_id": "From",
    "text": "Question",
    "category": "Category",
    "answer": "Answer",
    "score": "Score",
    "minutes": "Minutes",
    "next_time": "Next time",
    "kind": "Event",
    "at": "When",
    "note": "Note",
}

#: Words for the reference fields ("They can speak to must be ...").
REFERENCE_LABELS: dict[str, str] = {
    "name": "Reference's name",
    "relationship": "Relationship",
    "email": "Reference's email",
    "phone": "Reference's phone",
    "speaks_to": "They can speak to",
}

STEP_LABELS: dict[Step, str] = {
    Step.ASK_NEXT_STEPS: "Ask for next steps (process, feedback date, contacts)",
    Step.ASSESS_PERFORMANCE: "Assess your performance (questions, answers, scores)",
    Step.REVIEW_PROFILES: "Review your online profiles",
    Step.CONTACT_REFERENCES: "Give your references a heads-up",
    Step.THANK_YOU: "Send the thank-you letter",
    Step.FOLLOW_UP: "Follow up if you have not heard back",
}

KEEP_IN_TOUCH = {"not discussed": None, "yes": True, "no": False}

# Interview fields the form edits as text/choices one to one (starts_at is built apart).
_INTERVIEW_FIELDS = (
    "company", "role", "stage", "format", "duration_minutes", "location", "job_url",
    "notes", "process_length", "feedback_by", "keep_in_touch", "recall_point",
    "forgotten_strength", "predicted_chance", "outcome", "outcome_on",
)


class FormError(ValueError):
    """Every problem found in a form: ``errors`` maps a field key to words for the user."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{key}: {msg}" for key, msg in self.errors.items()))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def check_fields(
    kind: type[Record], values: dict[str, Any], prefix: str, labels: dict[str, str] | None = None
) -> dict[str, str]:
    """Run each field's records.py check on its own, so every bad field is reported."""
    labels = FIELD_LABELS if labels is None else labels
    checks = kind.checks()
    errors: dict[str, str] = {}
    for name, raw in values.items():
        try:
            checks[name](raw)
        except Exception as exc:  # the check's rule in words (records._InvalidError)
            errors[prefix + name] = f"{labels.get(name, name)} {exc}"
    return errors


def build_record(
    kind: type[Record],
    values: dict[str, Any],
    prefix: str,
    errors: dict[str, str],
    labels: dict[str, str] | None = None,
) -> Any:
    """Build one record, or None with ``errors`` filled (keys are ``prefix + field``).

    A cross-field RecordError lands on the field it names.
    """
    labels = FIELD_LABELS if labels is None else labels
    found = check_fields(kind, values, prefix, labels)
    if found:
        errors.update(found)
        return None
    try:
        return kind(**values)
    except RecordError as exc:
        errors[prefix + exc.field] = f"{labels.get(exc.field, exc.field)} {exc.rule}"
        return None


@dataclass
class InterviewerRow:
    """One interviewer as typed."""

    name: str = ""
    title: str = ""
    email: str = ""
    phone: str = ""
    profile_url: str = ""
    #: interviewer, recruiter or hr (who gets which message)
    contact_role: str = ContactRole.INTERVIEWER.value
    id: str = field(default_factory=new_id)

    def values(self) -> dict[str, Any]:
        names = ("name", "title", "email", "phone", "profile_url", "contact_role")
        return {k: getattr(self, k) for k in names}

    def is_blank(self) -> bool:
        return not any(v.strip() for k, v in self.values().items() if k != "contact_role")

    @classmethod
    def from_record(cls, r: Interviewer) -> InterviewerRow:
        return cls(
            id=r.id, name=r.name, title=_text(r.title), email=_text(r.email),
            phone=_text(r.phone), profile_url=_text(r.profile_url),
            contact_role=r.contact_role.value,
        )


@dataclass
class QuestionRow:
    """One remembered question as typed (score and minutes stay text until saved)."""

    text: str = ""
    category: str = Category.OTHER.value
    answer: str = ""
    score: str = ""
    minutes: str = ""
    next_time: str = ""
    id: str = field(default_factory=new_id)

    def values(self) -> dict[str, Any]:
        names = ("text", "category", "answer", "score", "minutes", "next_time")
        return {k: getattr(self, k) for k in names}

    def is_blank(self) -> bool:
        return not any(
            str(v).strip() for k, v in self.values().items() if k != "category"
        )

    @classmethod
    def from_record(cls, q: Question) -> QuestionRow:
        return cls(
            id=q.id, text=q.text, category=q.category.value, answer=_text(q.answer),
            score=str(q.score), minutes=_text(q.minutes), next_time=_text(q.next_time),
        )


@dataclass
class ReferenceRow:
    """A new reference as typed (kept once in the journal, given for this interview)."""

    name: str = ""
    relationship: str = ""
    email: str = ""
    phone: str = ""
    speaks_to: str = ""

    def values(self) -> dict[str, Any]:
        return {k: getattr(self, k)
                for k in ("name", "relationship", "email", "phone", "speaks_to")}

    def is_blank(self) -> bool:
        return not any(v.strip() for v in self.values().values())


@dataclass
class InterviewFormState:
    """Everything on the "after the interview" form, as the user typed it."""

    zone: str = "UTC"
    id: str = field(default_factory=new_id)
    is_new: bool = True
    company: str = ""
    role: str = ""
    stage: str = Stage.SCREEN.value
    format: str = Format.VIDEO.value
    start_date: date | None = None
    start_time: str = "09:00"
    duration_minutes: str = "60"
    location: str = ""
    job_url: str = ""
    notes: str = ""
    process_length: str = ""
    feedback_by: date | None = None
    keep_in_touch: bool | None = None
    recall_point: str = ""
    forgotten_strength: str = ""
    predicted_chance: str = ""
    outcome: str = Outcome.PENDING.value
    outcome_on: date | None = None
    created_at: datetime | None = None
    interviewers: list[InterviewerRow] = field(default_factory=list)
    questions: list[QuestionRow] = field(default_factory=list)
    #: skill name -> 1..5, or None when not scored
    skill_scores: dict[str, int | None] = field(default_factory=dict)
    #: skill name -> id of its stored score (kept so an edit does not renumber records)
    skill_ids: dict[str, str] = field(default_factory=dict)
    #: steps marked done, with their stored record (done time and note kept on edit)
    steps: dict[Step, PlaybookStep] = field(default_factory=dict)
    #: ids of the saved references given for this interview
    references: tuple[str, ...] = ()
    #: a new reference typed on this form (saved with the interview when not blank)
    new_reference: ReferenceRow = field(default_factory=ReferenceRow)

    # ---- building

    @classmethod
    def blank(
        cls, skills: list[str], zone: str = "UTC", today: date | None = None
    ) -> InterviewFormState:
        """A new form: today's date, one empty interviewer and question row."""
        today = today or datetime.now(ZoneInfo(zone)).date()
        return cls(
            zone=zone,
            start_date=today,
            interviewers=[InterviewerRow()],
            questions=[QuestionRow()],
            skill_scores=dict.fromkeys(skills),
        )

    @classmethod
    def from_log(cls, log: InterviewLog, skills: list[str], zone: str = "UTC"):
        """The form filled from a stored interview (every field)."""
        iv = log.interview
        day, clock = split_local(iv.starts_at, zone)
        scores: dict[str, int | None] = dict.fromkeys(skills)
        scores.update({s.skill: s.score for s in log.skill_scores})
        return cls(
            zone=zone,
            id=iv.id,
            is_new=False,
            company=iv.company,
            role=iv.role,
            stage=iv.stage.value,
            format=iv.format.value,
            start_date=day,
            start_time=clock,
            duration_minutes=str(iv.duration_minutes),
            location=_text(iv.location),
            job_url=_text(iv.job_url),
            notes=_text(iv.notes),
            process_length=_text(iv.process_length),
            feedback_by=iv.feedback_by,
            keep_in_touch=iv.keep_in_touch,
            recall_point=_text(iv.recall_point),
            forgotten_strength=_text(iv.forgotten_strength),
            predicted_chance=_text(iv.predicted_chance),
            outcome=iv.outcome.value,
            outcome_on=iv.outcome_on,
            created_at=iv.created_at,
            interviewers=[InterviewerRow.from_record(r) for r in log.interviewers],
            questions=[QuestionRow.from_record(q) for q in log.questions],
            skill_scores=scores,
            skill_ids={s.skill: s.id for s in log.skill_scores},
            steps={s.step: s for s in log.steps},
        )

    # ---- records

    def interview_values(self) -> dict[str, Any]:
        values = {name: getattr(self, name) for name in _INTERVIEW_FIELDS}
        values["id"] = self.id
        if self.created_at is not None:
            values["created_at"] = self.created_at
        return values

    def starts_at(self) -> datetime:
        """The start as an aware datetime; ValueError (in words) when it is not one."""
        return combine_local(self.start_date, self.start_time, self.zone)

    def to_log(self) -> InterviewLog:
        """Validate everything and build the records; :class:`FormError` lists all problems.

        Rows left completely empty are ignored (a blank row is not an interviewer).
        """
        errors: dict[str, str] = {}
        values = self.interview_values()
        try:
            values["starts_at"] = self.starts_at()
        except ValueError as exc:
            errors["starts_at"] = f"Start {exc}"
            values.pop("starts_at", None)
        interview = None
        if "starts_at" in values:
            interview = build_record(Interview, values, "", errors)
        else:
            errors.update(check_fields(Interview, values, ""))
        iid = self.id
        interviewers = []
        for i, row in enumerate(self.interviewers):
            if row.is_blank():
                continue
            rec = build_record(
                Interviewer,
                {"id": row.id, "interview_id": iid, **row.values()},
                f"interviewers.{i}.",
                errors,
            )
            interviewers.append(rec)
        questions = []
        for i, row in enumerate(self.questions):
            if row.is_blank():
                continue
            rec = build_record(
                Question,
                {"id": row.id, "interview_id": iid, "position": len(questions), **row.values()},
                f"questions.{i}.",
                errors,
            )
            questions.append(rec)
        skill_scores = []
        for name, score in self.skill_scores.items():
            if score is None:
                continue
            rec = build_record(
                SkillScore,
                {"id": self.skill_ids.get(name) or new_id(), "interview_id": iid,
                 "skill": name, "score": score},
                "skills.",
                errors,
            )
            if rec is None and "skills.score" in errors:
                errors[f"skills.{name}"] = errors.pop("skills.score")
            skill_scores.append(rec)
        if errors:
            raise FormError(errors)
        assert interview is not None
        return InterviewLog(
            interview=interview,
            interviewers=interviewers,
            questions=questions,
            skill_scores=skill_scores,
            steps=[self.steps[s] for s in Step if s in self.steps],
        )

    def reference_records(self) -> tuple[Reference | None, list[str]]:
        """The new reference to keep (None when its row is blank) and the ids of every
        reference given for this interview; :class:`FormError` keyed ``reference.<field>``.
        """
        new = None
        if not self.new_reference.is_blank():
            errors: dict[str, str] = {}
            new = build_record(Reference, self.new_reference.values(), "reference.", errors,
                               REFERENCE_LABELS)
            if errors:
                raise FormError(errors)
        given = list(dict.fromkeys(self.references))
        return new, given + ([new.id] if new is not None else [])

    def mark_done(self, step: Step, at: datetime | None = None) -> PlaybookStep:
        """Tick a playbook step (kept with its time; saved with the interview)."""
        record = PlaybookStep(interview_id=self.id, step=step, done_at=at or utc_now())
        self.steps[step] = record
        return record

    def mark_not_done(self, step: Step) -> PlaybookStep | None:
        return self.steps.pop(step, None)

    def summary(self) -> str:
        """What a save of this form stores, in words (for the confirmation)."""
        n_iv = sum(not r.is_blank() for r in self.interviewers)
        n_q = sum(not r.is_blank() for r in self.questions)
        n_s = sum(v is not None for v in self.skill_scores.values())
        day, clock = (self.start_date.isoformat() if self.start_date else "?"), self.start_time
        return (
            f"{self.company} ({self.role}) on {day} {clock} {self.zone}: "
            f"{_n(n_iv, 'interviewer')}, {_n(n_q, 'question')}, {_n(n_s, 'skill score')}, "
            f"{_n(len(self.steps), 'step')} done"
        )


def _n(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


# --------------------------------------------------------------------------- checklist


def probe_interview(state: InterviewFormState) -> Interview | None:
    """The interview as far as the form's timing fields make one (for due times).

    Company, role and reflection may still be invalid; only the start, length, feedback
    date and outcome matter for the playbook's clock. None when the start is not valid.

    >>> from datetime import date
    >>> st = InterviewFormState(start_date=date(2026, 3, 2), start_time="09:00")
    >>> probe_interview(st).ends_at.isoformat()
    '2026-03-02T10:00:00+00:00'
    >>> st.start_time = "9 o'clock"
    >>> probe_interview(st) is None
    True
    """
    try:
        starts_at = state.starts_at()
    except ValueError:
        return None
    base = {"id": state.id, "company": state.company.strip() or "-",
            "role": state.role.strip() or "-", "starts_at": starts_at}
    tries = [
        {"duration_minutes": state.duration_minutes, "feedback_by": state.feedback_by,
         "outcome": state.outcome, "outcome_on": state.outcome_on},
        {"duration_minutes": state.duration_minutes, "feedback_by": state.feedback_by},
        {"duration_minutes": state.duration_minutes},
        {},
    ]
    for extra in tries:
        for values in ({**base, **extra}, {**base, **extra, "company": "-", "role": "-"}):
            try:
                return Interview(**values)
            except RecordError:
                continue
    return None


# --------------------------------------------------------------------------- employer events

_EVENT_OUTCOME = {
    EventKind.OFFER: Outcome.OFFER,
    EventKind.REJECTION: Outcome.REJECTED,
    EventKind.NEXT_ROUND: Outcome.ADVANCED,
}


def outcome_for_event(kind: EventKind | str) -> Outcome | None:
    """The interview outcome an employer event settles, if any.

    >>> outcome_for_event("offer"), outcome_for_event("feedback")
    (<Outcome.OFFER: 'offer'>, None)
    """
    return _EVENT_OUTCOME.get(EventKind(kind))


@dataclass
class EventFormState:
    """An employer event as typed: kind, local date and time, note."""

    zone: str = "UTC"
    kind: str = EventKind.FEEDBACK.value
    day: date | None = None
    clock: str = "12:00"
    note: str = ""
    #: who sent it (an interviewer, recruiter or HR contact's id; "" when not said)
    contact_id: str = ""

    def to_record(self, interview_id: str) -> EmployerEvent:
        errors: dict[str, str] = {}
        try:
            at = combine_local(self.day, self.clock, self.zone)
        except ValueError as exc:
            errors["at"] = f"When {exc}"
            at = None
        values = {"interview_id": interview_id, "kind": self.kind, "note": self.note,
                  "contact_id": self.contact_id or None}
        if at is None:
            errors.update(check_fields(EmployerEvent, values, ""))
            raise FormError(errors)
        record = build_record(EmployerEvent, {**values, "at": at}, "", errors)
        if errors:
            raise FormError(errors)
        return record


def event_outcome_update(
    interview: Interview, event: EmployerEvent, zone: str = "UTC"
) -> Interview | None:
    """The interview with the outcome the event settles (None when it settles none)."""
    from dataclasses import replace

    outcome = outcome_for_event(event.kind)
    if outcome is None:
        return None
    day = event.at.astimezone(ZoneInfo(zone)).date()
    earliest = (interview.starts_at - timedelta(days=1)).date()
    return replace(interview, outcome=outcome, outcome_on=max(day, earliest))
