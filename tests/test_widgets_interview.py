"""The "after the interview" form, driven in the kernel as a user would drive it.

Each test sets widget values, clicks buttons, and checks the journal (a real SQLite file)
and what the form shows.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from afterview_analysis.demo import load_demo
from afterview_analysis.journal import Journal
from afterview_analysis.records import (
    EmployerEvent,
    Interview,
    PlaybookStep,
    Profile,
    Step,
)
from afterview_analysis.widgets import InterviewFormView
from tests.views import classes, html_values

NOW = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def journal(tmp_path):
    j = Journal(tmp_path / "journal.sqlite")
    j.update(Profile(name="Ada", timezone="Europe/Berlin"))
    yield j
    j.close()


def fill_new(view, *, company="Acme", n_questions=3):
    """Type a complete new interview, as a user would."""
    f = view.fields
    f["company"].value = company
    f["role"].value = "Data analyst"
    f["stage"].value = "technical"
    f["format"].value = "in_person"
    f["start_date"].value = date(2026, 3, 2)
    f["start_time"].value = "09:30"
    f["duration_minutes"].value = "45"
    f["location"].value = "Berlin office"
    f["job_url"].value = "https://acme.example/jobs/42"
    f["notes"].value = "Panel of two.\nFriendly."
    f["process_length"].value = "three rounds over four weeks"
    f["feedback_by"].value = date(2026, 3, 10)
    f["keep_in_touch"].value = "yes"
    f["recall_point"].value = "their move to a semantic layer"
    f["forgotten_strength"].value = "mentoring juniors"
    f["predicted_chance"].value = "60"
    row = view.interviewer_rows[0].fields
    row["name"].value = "Maya Keller"
    row["title"].value = "Head of Data"
    row["email"].value = "maya@acme.example"
    row["phone"].value = "+49 30 1234567"
    row["profile_url"].value = "https://linkedin.example/in/maya"
    view.add_interviewer_button.click()
    view.interviewer_rows[1].fields["name"].value = "Jonas Okafor"
    for i in range(n_questions):
        if i >= len(view.question_rows):
            view.add_question_button.click()
        q = view.question_rows[i].fields
        q["text"].value = f"Question {i + 1}?"
        q["category"].value = "technical" if i % 2 else "behavioural"
        q["answer"].value = f"Answer {i + 1}"
        q["score"].value = str(i + 2)
        q["minutes"].value = str(5 + i)
        q["next_time"].value = f"Better {i + 1}"
    view.skill_controls["communication"].value = 4
    view.skill_controls["problem solving"].value = 2


def rows_by_id(journal, table):
    return sorted(journal.rows(table), key=lambda row: row["id"])


def stored(journal, iid):
    log = journal.load_interview(iid)
    return log


def only_interview(journal):
    (iv,) = journal.find(Interview)
    return iv


# ---------------------------------------------------------------- new interview


def test_a_new_interview_is_saved_with_everything_typed(journal):
    view = InterviewFormView(journal, now=lambda: NOW)
    fill_new(view)
    view.save_button.click()

    iv = only_interview(journal)
    assert (iv.company, iv.role, iv.stage.value, iv.format.value) == (
        "Acme", "Data analyst", "technical", "in_person")
    # 09:30 in Berlin (winter, UTC+1) is 08:30 UTC
    assert iv.starts_at == datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
    assert iv.duration_minutes == 45 and iv.predicted_chance == 60
    assert iv.feedback_by == date(2026, 3, 10) and iv.keep_in_touch is True
    assert iv.recall_point == "their move to a semantic layer"
    assert iv.notes == "Panel of two.\nFriendly."
    log = stored(journal, iv.id)
    assert [p.name for p in log.interviewers] == ["Maya Keller", "Jonas Okafor"]
    assert log.interviewers[0].email == "maya@acme.example"
    assert [(q.text, q.score, q.minutes, q.position) for q in log.questions] == [
        ("Question 1?", 2, 5, 0), ("Question 2?", 3, 6, 1), ("Question 3?", 4, 7, 2)]
    assert {s.skill: s.score for s in log.skill_scores} == {
        "communication": 4, "problem solving": 2}
    assert "Saved new interview Acme" in view.status.value
    assert "2 interviewers, 3 questions, 2 skill scores" in view.status.value
    # the picker now points at the saved interview
    assert view.picker.value == iv.id


def test_blank_rows_are_not_saved(journal):
    view = InterviewFormView(journal, now=lambda: NOW)
    view.fields["company"].value = "Acme"
    view.fields["role"].value = "Analyst"
    view.add_question_button.click()  # two empty question rows, one empty interviewer row
    view.save_button.click()
    counts = journal.counts()
    assert (counts["interviews"], counts["questions"], counts["interviewers"]) == (1, 0, 0)


# ---------------------------------------------------------------- bad input


def test_bad_values_show_next_to_their_fields_and_write_nothing(journal):
    view = InterviewFormView(journal, now=lambda: NOW)
    fill_new(view, company="")
    view.question_rows[1].fields["score"].value = "7"
    view.interviewer_rows[0].fields["email"].value = "maya at acme"
    before = journal.counts()

    view.save_button.click()

    assert journal.counts() == before
    assert "Company" in view.errors["company"].value
    assert "required" in view.errors["company"].value
    assert "1 to 5" in view.question_rows[1].errors["score"].value
    assert view.question_rows[0].errors["score"].value == ""
    assert "email address" in view.interviewer_rows[0].errors["email"].value
    assert view.errors["role"].value == ""
    assert "Not saved: 3 problems" in view.status.value
    # everything typed is still there
    assert view.question_rows[1].fields["score"].value == "7"
    assert view.interviewer_rows[0].fields["email"].value == "maya at acme"
    assert view.fields["role"].value == "Data analyst"
    assert view.question_rows[2].fields["answer"].value == "Answer 3"

    # fix them and save: the errors go away and it is stored
    view.fields["company"].value = "Acme"
    view.question_rows[1].fields["score"].value = "5"
    view.interviewer_rows[0].fields["email"].value = "maya@acme.example"
    view.save_button.click()
    assert "Saved" in view.status.value
    assert view.errors["company"].value == ""
    assert journal.counts()["questions"] == 3


@pytest.mark.parametrize(
    ("field", "value", "slot", "words"),
    [
        ("start_time", "25:99", "starts_at", "09:30"),
        ("duration_minutes", "0", "duration_minutes", "1 to 720"),
        ("predicted_chance", "150", "predicted_chance", "0 to 100"),
        ("job_url", "acme.example", "job_url", "http"),
    ],
)
def test_each_bad_interview_field_is_named(journal, field, value, slot, words):
    view = InterviewFormView(journal, now=lambda: NOW)
    fill_new(view)
    view.fields[field].value = value
    view.save_button.click()
    assert words in view.errors[slot].value
    assert journal.counts()["interviews"] == 0
    assert view.fields[field].value == value


def test_cross_field_rule_lands_on_its_field(journal):
    view = InterviewFormView(journal, now=lambda: NOW)
    fill_new(view)
    view.fields["feedback_by"].value = date(2026, 2, 1)  # before the interview
    view.save_button.click()
    assert "before the interview" in view.errors["feedback_by"].value
    assert journal.counts()["interviews"] == 0


# ---------------------------------------------------------------- editing


def test_editing_loads_and_round_trips_every_field(journal):
    first = InterviewFormView(journal, now=lambda: NOW)
    fill_new(first)
    first.save_button.click()
    iid = only_interview(journal).id
    first.step_buttons[Step.THANK_YOU].click()
    before = {t: rows_by_id(journal, t) for t in ("interviews", "interviewers", "questions",
                                            "skill_scores", "playbook_steps")}

    view = InterviewFormView(journal, now=lambda: NOW)
    view.picker.value = iid
    f = view.fields
    assert (f["company"].value, f["role"].value, f["stage"].value, f["format"].value) == (
        "Acme", "Data analyst", "technical", "in_person")
    assert (f["start_date"].value, f["start_time"].value) == (date(2026, 3, 2), "09:30")
    assert f["duration_minutes"].value == "45" and f["predicted_chance"].value == "60"
    assert f["feedback_by"].value == date(2026, 3, 10) and f["keep_in_touch"].value == "yes"
    assert f["notes"].value == "Panel of two.\nFriendly."
    assert f["forgotten_strength"].value == "mentoring juniors"
    assert [r.fields["name"].value for r in view.interviewer_rows] == [
        "Maya Keller", "Jonas Okafor"]
    assert view.interviewer_rows[0].fields["profile_url"].value == (
        "https://linkedin.example/in/maya")
    assert [r.fields["score"].value for r in view.question_rows] == ["2", "3", "4"]
    assert view.question_rows[2].fields["next_time"].value == "Better 3"
    assert view.skill_controls["communication"].value == 4
    assert view.skill_controls["culture fit"].value == 0
    assert "done" in view.step_labels[Step.THANK_YOU].value

    view.save_button.click()
    assert "Saved changes to Acme" in view.status.value
    after = {t: rows_by_id(journal, t) for t in before}
    assert after == before


def test_every_demo_interview_round_trips_unchanged(tmp_path):
    j = Journal(tmp_path / "demo.sqlite")
    load_demo(j)
    tables = ("interviews", "interviewers", "questions", "skill_scores", "playbook_steps")
    before = {t: rows_by_id(j, t) for t in tables}
    view = InterviewFormView(j, now=lambda: NOW)
    for _label, iid in view.picker.options[1:]:
        view.picker.value = iid
        view.save_button.click()
        assert "Saved changes" in view.status.value, view.status.value
    assert {t: rows_by_id(j, t) for t in tables} == before
    j.close()


def test_changes_and_removed_rows_are_stored(journal):
    view = InterviewFormView(journal, now=lambda: NOW)
    fill_new(view)
    view.save_button.click()
    iid = only_interview(journal).id
    view.interviewer_rows[1].remove_button.click()
    view.question_rows[0].remove_button.click()
    view.question_rows[0].fields["score"].value = "5"
    view.fields["outcome"].value = "rejected"
    view.fields["outcome_on"].value = date(2026, 3, 9)
    view.skill_controls["problem solving"].value = 0  # no longer scored
    view.save_button.click()
    log = stored(journal, iid)
    assert [p.name for p in log.interviewers] == ["Maya Keller"]
    assert [(q.text, q.score, q.position) for q in log.questions] == [
        ("Question 2?", 5, 0), ("Question 3?", 4, 1)]
    assert log.interview.outcome.value == "rejected"
    assert log.interview.outcome_on == date(2026, 3, 9)
    assert [s.skill for s in log.skill_scores] == ["communication"]


def test_new_button_starts_a_blank_form(journal):
    view = InterviewFormView(journal, now=lambda: NOW)
    fill_new(view)
    view.save_button.click()
    view.new_button.click()
    assert view.picker.value == ""
    assert view.fields["company"].value == ""
    assert view.fields["start_date"].value == date(2026, 3, 3)  # today, in Berlin
    view.fields["company"].value = "Beta"
    view.fields["role"].value = "Analyst"
    view.save_button.click()
    assert sorted(i.company for i in journal.find(Interview)) == ["Acme", "Beta"]


# ---------------------------------------------------------------- the checklist


def test_steps_show_due_times_from_the_rules(journal):
    view = InterviewFormView(journal, now=lambda: NOW)
    fill_new(view)
    # ends 10:15 Berlin on 2 March; thank-you due 48 h later; assessment at 23:59 that day
    assert "<b>due</b> by Wed 4 Mar 2026 10:15" in view.step_labels[Step.THANK_YOU].value
    assert "<b>overdue</b> since Mon 2 Mar 2026 23:59" in view.step_labels[
        Step.ASSESS_PERFORMANCE].value
    assert "Tue 17 Mar 2026 23:59" in view.step_labels[Step.FOLLOW_UP].value
    # each row says "due" once: not "— due · due 2026-03-04"
    for label in view.step_labels.values():
        assert label.value.count("due") - label.value.count("overdue") <= 1, label.value
    # the review step links the profiles to review (none yet: where to add them)
    assert "Your profile" in view.step_labels[Step.REVIEW_PROFILES].value
    view.fields["start_time"].value = "nonsense"
    assert "once the date and time are valid" in view.step_labels[Step.THANK_YOU].value


def test_done_on_a_saved_interview_is_written_at_once(journal):
    view = InterviewFormView(journal, now=lambda: NOW)
    fill_new(view)
    view.save_button.click()
    iid = only_interview(journal).id
    ticked_by_saving = {Step.ASK_NEXT_STEPS, Step.ASSESS_PERFORMANCE}
    assert {s.step for s in journal.find(PlaybookStep, interview_id=iid)} == ticked_by_saving
    view.step_buttons[Step.REVIEW_PROFILES].click()
    (done,) = journal.find(PlaybookStep, interview_id=iid, step=Step.REVIEW_PROFILES)
    assert done.done_at == NOW
    assert "done Tue 3 Mar 13:00" in view.step_labels[Step.REVIEW_PROFILES].value
    view.step_buttons[Step.REVIEW_PROFILES].click()  # undo
    assert {s.step for s in journal.find(PlaybookStep, interview_id=iid)} == ticked_by_saving


def test_done_on_a_new_interview_is_saved_with_it(journal):
    view = InterviewFormView(journal, now=lambda: NOW)
    fill_new(view)
    view.step_buttons[Step.ASK_NEXT_STEPS].click()
    assert journal.counts()["playbook_steps"] == 0
    assert "will be saved" in view.steps_status.value
    view.save_button.click()
    steps = {s.step: s for s in journal.find(PlaybookStep)}
    assert steps[Step.ASK_NEXT_STEPS].note is None  # ticked by hand, not by the save
    assert set(steps) == {Step.ASK_NEXT_STEPS, Step.ASSESS_PERFORMANCE}


# ---------------------------------------------------------------- employer events


def test_employer_events_are_recorded_on_the_same_interview(journal):
    view = InterviewFormView(journal, now=lambda: NOW)
    ev = view.events
    fill_new(view)
    ev.record_button.click()  # not saved yet
    assert "Save the interview first" in ev.status.value
    assert journal.counts()["employer_events"] == 0
    view.save_button.click()
    iid = only_interview(journal).id

    ev.kind.value = "info_request"
    ev.day.value = date(2026, 3, 3)
    ev.clock.value = "10:00"
    ev.note.value = "They want a work sample"
    ev.record_button.click()
    assert "they asked for information" in view.requests.value
    assert "work sample" in view.requests.value
    ev.kind.value = "offer"
    ev.day.value = date(2026, 3, 12)
    ev.record_button.click()

    events = journal.find(EmployerEvent, order_by="at", interview_id=iid)
    assert [(e.kind.value, e.at) for e in events] == [
        ("info_request", datetime(2026, 3, 3, 9, 0, tzinfo=UTC)),
        ("offer", datetime(2026, 3, 12, 9, 0, tzinfo=UTC))]
    assert events[0].note == "They want a work sample"
    iv = journal.get(Interview, iid)
    assert (iv.outcome.value, iv.outcome_on) == ("offer", date(2026, 3, 12))
    assert view.fields["outcome"].value == "offer"
    assert "outcome set to offer" in ev.status.value
    assert "work sample" in ev.listing.value
    # (NOW is before the offer, so the follow-up is still on the list)
    later = InterviewFormView(journal, now=lambda: datetime(2026, 3, 13, tzinfo=UTC))
    later.picker.value = iid
    assert "not needed" in later.step_labels[Step.FOLLOW_UP].value
    # saving the form afterwards keeps the outcome
    view.save_button.click()
    assert journal.get(Interview, iid).outcome.value == "offer"


def test_a_bad_event_time_is_named_and_nothing_is_written(journal):
    view = InterviewFormView(journal, now=lambda: NOW)
    fill_new(view)
    view.save_button.click()
    view.events.clock.value = "noon"
    view.events.note.value = "kept"
    view.events.record_button.click()
    assert "09:30" in view.events.errors["at"].value
    assert journal.counts()["employer_events"] == 0
    assert view.events.note.value == "kept"


# ---------------------------------------------------------------- safety and hooks


def test_hostile_text_never_reaches_html_unescaped(journal):
    view = InterviewFormView(journal, now=lambda: NOW)
    fill_new(view, company=HOSTILE)
    view.fields["role"].value = HOSTILE
    view.interviewer_rows[0].fields["name"].value = HOSTILE
    view.question_rows[0].fields["text"].value = HOSTILE
    view.interviewer_rows[0].fields["email"].value = HOSTILE  # an error message too
    view.save_button.click()
    assert all("<img" not in v for v in html_values(view))
    view.interviewer_rows[0].fields["email"].value = ""
    view.save_button.click()
    assert "&lt;img src=x" in view.status.value  # the company, escaped, in the confirmation
    view.events.note.value = HOSTILE
    view.events.record_button.click()
    assert "&lt;img" in view.events.listing.value
    fresh = InterviewFormView(journal, now=lambda: NOW)
    fresh.picker.value = only_interview(journal).id
    for v in (view, fresh):
        assert all("<img" not in value for value in html_values(v))


def test_a_hostile_skill_name_is_shown_as_text(journal):
    from afterview_analysis.records import Skill

    journal.add(Skill(name="<b>x</b>", position=99))
    view = InterviewFormView(journal, now=lambda: NOW)
    assert all("<b>x" not in v for v in html_values(view))
    assert view.skill_controls["<b>x</b>"].description_allow_html is False


def test_empty_journal_and_css_hooks(journal):
    view = InterviewFormView(journal, now=lambda: NOW)
    assert view.picker.options == (("+ New interview", ""),)
    # plain ASCII: the heavy plus sign showed as a missing glyph in the browser
    assert all(label.isascii() for label, _ in view.picker.options)
    assert view.zone == "Europe/Berlin"
    expected = {
        "av-interview-picker", "av-new", "av-company", "av-role", "av-start-date",
        "av-start-time", "av-save", "av-status", "av-error-company", "av-error-starts-at",
        "av-add-interviewer", "av-interviewer-row", "av-iv-name", "av-iv-email",
        "av-error-iv-email", "av-add-question", "av-question-row", "av-q-text", "av-q-score",
        "av-error-q-score", "av-skill-communication", "av-step-done-thank-you",
        "av-event-kind", "av-event-record", "av-event-status", "av-predicted-chance",
    }
    assert expected <= classes(view)


def test_picking_another_interview_never_throws_away_unsaved_typing(journal):
    view = InterviewFormView(journal, now=lambda: NOW)
    fill_new(view, company="First")
    assert view.save_button.click() is None and journal.counts()["interviews"] == 1
    first = view.state.id
    view.new_button.click()
    fill_new(view, company="Second, not saved yet")
    view.picker.value = first  # would load the saved interview over the typing
    assert view.fields["company"].value == "Second, not saved yet"
    assert "not saved" in view.status.value
    assert journal.counts()["interviews"] == 1
    view.picker.value = first  # asked twice: the user chose to discard
    assert view.fields["company"].value == "First"
    view.fields["role"].value = "Changed role"
    view.new_button.click()
    assert view.fields["role"].value == "Changed role"
    view.save_button.click()
    assert journal.get(Interview, first).role == "Changed role"
    view.new_button.click()  # nothing pending now: opens a blank form at once
    assert view.fields["company"].value == ""


def test_keep_in_touch_reads_not_discussed_on_a_new_form(tmp_path):
    """A blank answer shows as the words "not discussed", never as an empty box."""
    with Journal(tmp_path / "j.sqlite") as j:
        form = InterviewFormView(j)
        assert form.fields["keep_in_touch"].value == "not discussed"
        assert form.fields["keep_in_touch"].label == "not discussed"
        assert form.read_state().keep_in_touch is None
        form.fields["keep_in_touch"].value = "no"
        assert form.read_state().keep_in_touch is False


def test_a_failed_save_puts_the_cursor_in_the_highest_bad_field(journal):
    """The summary sits at Save, far below: the form focuses (so the browser scrolls to)
    the first problem from the top, and the summary names it."""
    view = InterviewFormView(journal, now=lambda: NOW)
    fill_new(view)
    view.question_rows[1].fields["score"].value = "9"
    view.save_button.click()
    assert view.focused == "questions.1.score"
    view.fields["job_url"].value = "not a link"  # higher up than the questions
    view.save_button.click()
    assert view.focused == "job_url"
    assert "The first: Job ad URL" in view.status.value
    view.fields["start_time"].value = "25:99"  # higher still: the start's time field
    view.save_button.click()
    assert view.focused == "starts_at"
    assert journal.find(Interview) == []


def test_saving_next_steps_and_scores_ticks_those_steps_at_that_moment(journal):
    """What was logged does the step: next steps saved -> "ask for next steps"; a scored
    question or the rubric -> "assess your performance"; each at the save, shown as such."""
    clock = {"now": NOW}
    view = InterviewFormView(journal, now=lambda: clock["now"])
    f = view.fields
    f["company"].value, f["role"].value = "Acme", "Data analyst"
    f["start_date"].value, f["start_time"].value = date(2026, 3, 2), "09:30"
    view.interviewer_rows[0].fields["name"].value = "Maya Keller"
    view.save_button.click()  # nothing about next steps or scores yet: nothing ticked
    iid = view.state.id
    assert journal.find(PlaybookStep, interview_id=iid) == []
    assert "ticked when you saved" not in view.step_labels[Step.ASK_NEXT_STEPS].value

    clock["now"] = NOW.replace(hour=14)
    f["feedback_by"].value = date(2026, 3, 10)
    view.add_question_button.click()
    view.question_rows[0].fields["text"].value = "Why Acme?"
    view.question_rows[0].fields["score"].value = "4"
    view.save_button.click()
    assert "Ticked" in view.status.value, view.status.value
    steps = {s.step: s for s in journal.find(PlaybookStep, interview_id=iid)}
    assert set(steps) == {Step.ASK_NEXT_STEPS, Step.ASSESS_PERFORMANCE}
    assert {s.done_at for s in steps.values()} == {NOW.replace(hour=14)}
    assert "1 scored question" in steps[Step.ASSESS_PERFORMANCE].note
    for step in (Step.ASK_NEXT_STEPS, Step.ASSESS_PERFORMANCE):
        label = view.step_labels[step].value
        assert "done" in label and "ticked when you saved" in label, label
    assert "ticked when you saved" not in view.step_labels[Step.THANK_YOU].value

    clock["now"] = NOW.replace(hour=16)  # a later save keeps the first tick's time
    view.save_button.click()
    steps = {s.step: s for s in journal.find(PlaybookStep, interview_id=iid)}
    assert steps[Step.ASSESS_PERFORMANCE].done_at == NOW.replace(hour=14)


def test_the_rubric_alone_ticks_assessing(journal):
    view = InterviewFormView(journal, now=lambda: NOW)
    f = view.fields
    f["company"].value, f["role"].value = "Acme", "Data analyst"
    f["start_date"].value, f["start_time"].value = date(2026, 3, 2), "09:30"
    view.skill_controls["communication"].value = 4
    view.save_button.click()
    steps = {s.step for s in journal.find(PlaybookStep, interview_id=view.state.id)}
    assert steps == {Step.ASSESS_PERFORMANCE}


def test_references_are_kept_once_and_given_per_interview(journal):
    from afterview_analysis.records import HeadsUp, Reference

    view = InterviewFormView(journal, now=lambda: NOW)
    fill_new(view)
    ref = view.reference_fields
    ref["name"].value, ref["relationship"].value = "Ruth Adeyemi", "former manager"
    ref["email"].value = "ruth@example"  # not an address: refused, nothing written
    ref["speaks_to"].value = "my work on the billing migration"
    view.save_button.click()
    assert "Not saved" in view.status.value
    assert "Reference&#x27;s email must be an email address" in view.errors[
        "reference.email"].value
    assert journal.counts()["interviews"] == 0 and journal.find(Reference) == []
    assert ref["speaks_to"].value == "my work on the billing migration"  # typing kept
    ref["email"].value = "ruth@example.com"
    view.save_button.click()
    assert "Saved new interview" in view.status.value, view.status.value
    (kept,) = journal.find(Reference)
    assert kept.speaks_to == "my work on the billing migration"
    first = view.state.id
    assert [h.reference_id for h in journal.find(HeadsUp, interview_id=first)] == [kept.id]
    assert view.reference_picker.value == (kept.id,) and ref["name"].value == ""

    view.new_button.click()  # a second interview gives the same reference: kept once
    fill_new(view, company="Bolt")
    view.reference_picker.value = (kept.id,)
    view.save_button.click()
    assert len(journal.find(Reference)) == 1
    assert len(journal.find(HeadsUp, reference_id=kept.id)) == 2
    view.reference_picker.value = ()  # no longer given for this one
    view.save_button.click()
    assert len(journal.find(HeadsUp, reference_id=kept.id)) == 1


def test_an_information_request_records_who_sent_it(journal):
    view = InterviewFormView(journal, now=lambda: NOW)
    fill_new(view)
    view.add_interviewer_button.click()
    row = view.interviewer_rows[-1].fields
    row["name"].value, row["contact_role"].value = "Lena Hoffmann", "recruiter"
    view.save_button.click()
    events = view.events
    assert [label for label, _ in events.sender.options][-1] == "Lena Hoffmann (recruiter)"
    events.kind.value = "info_request"
    events.sender.value = events.sender.options[-1][1]
    events.note.value = "Could you send two work samples?"
    events.record_button.click()
    (event,) = journal.find(EmployerEvent)
    lena = next(p for p in journal.load_interview(view.state.id).interviewers
                if p.name == "Lena Hoffmann")
    assert event.contact_id == lena.id and lena.contact_role == "recruiter"
    assert "from Lena Hoffmann" in events.listing.value
    assert "info request" in events.listing.value


def test_an_open_review_step_links_each_profile_once(journal):
    journal.update(Profile(linkedin="https://linkedin.com/in/alex",
                           github="https://github.com/alex"))
    view = InterviewFormView(journal, now=lambda: NOW)
    fill_new(view)
    view.save_button.click()
    label = view.step_labels[Step.REVIEW_PROFILES].value
    assert label.count('href="https://linkedin.com/in/alex"') == 1
    assert label.count("LinkedIn") == 1 and "check LinkedIn" not in label
    view.step_buttons[Step.REVIEW_PROFILES].click()  # done: the time it was done, no links
    done = view.step_labels[Step.REVIEW_PROFILES].value
    assert "done Tue 3 Mar 12:00" in done and "href=" not in done
