"""The Messages view, driven in the kernel: choose, edit, save, export, mark sent."""

from __future__ import annotations

import base64
import re
from datetime import UTC, date, datetime

import pytest

from afterview_analysis.journal import Journal
from afterview_analysis.records import Message, Profile, Reference, Step
from afterview_analysis.widgets import InterviewFormView
from afterview_analysis.widgets.messages import MessagesView
from tests.views import html_values

NOW = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def journal(tmp_path):
    j = Journal(tmp_path / "journal.sqlite")
    j.update(Profile(name="Ada Lovelace", email="ada@example.org", timezone="Europe/Berlin"))
    yield j
    j.close()


def log_interview(journal, interviewer="Maya Keller", company="Acme", day=date(2026, 3, 2)):
    """Log an interview through the form, as the user does in notebook 1."""
    form = InterviewFormView(journal, now=lambda: NOW)
    f = form.fields
    f["company"].value, f["role"].value = company, "Data analyst"
    f["start_date"].value, f["start_time"].value = day, "09:30"
    f["recall_point"].value = "their move to a semantic layer"
    f["forgotten_strength"].value = "mentoring juniors"
    row = form.interviewer_rows[0].fields
    row["name"].value, row["email"].value = interviewer, "maya@acme.example"
    form.add_interviewer_button.click()
    form.interviewer_rows[1].fields["name"].value = "Jonas Okafor"
    form.skill_controls["communication"].value = 5
    form.save_button.click()
    assert "Saved" in form.status.value, form.status.value
    return form.state.id


@pytest.fixture
def view(journal, tmp_path):
    log_interview(journal)
    return MessagesView(journal, now=lambda: NOW, export_dir=tmp_path / "exports")


def test_a_thank_you_draft_appears_for_the_first_interviewer(view):
    assert [label for label, _ in view.recipient.options] == ["Maya Keller", "Jonas Okafor"]
    body = view.fields["body"].value
    assert "Maya" in body and "semantic layer" in body and "Ada Lovelace" in body
    assert view.fields["recipient_email"].value == "maya@acme.example"
    view.recipient.value = "Jonas Okafor"
    assert "Jonas" in view.fields["body"].value
    assert view.fields["recipient_email"].value == ""
    view.tone.value = "brief"
    assert view.fields["subject"].value == "Thank you, Jonas"


def test_changing_a_picker_never_throws_away_unsaved_edits(view):
    edited = view.fields["body"].value + "\nP.S. My own words, typed by hand."
    view.fields["body"].value = edited
    view.tone.value = "formal"
    assert view.fields["body"].value == edited
    assert "not saved" in view.status.value
    view.draft_button.click()  # the user asks for a fresh draft: now it may replace
    assert "My own words" not in view.fields["body"].value
    view.tone.value = "brief"  # no edits pending: the picker redrafts at once
    assert view.fields["subject"].value == "Thank you, Maya"


def test_edited_draft_is_saved_once_and_updated_in_place(view, journal):
    view.fields["body"].value += "\nP.S. The notebook I mentioned is attached."
    view.save_button.click()
    (stored,) = journal.find(Message)
    assert stored.body.endswith("P.S. The notebook I mentioned is attached.")
    assert stored.recipient == "Maya Keller" and stored.sent_at is None
    view.fields["subject"].value = "Thanks again"
    view.save_button.click()
    (stored,) = journal.find(Message)
    assert stored.subject == "Thanks again"
    assert "Saved the draft" in view.status.value


def test_bad_values_are_named_next_to_the_field_and_nothing_is_written(view, journal):
    view.fields["recipient_email"].value = "maya at acme"
    view.fields["subject"].value = "Hi\nBcc: everyone@example.org"
    view.fields["body"].value = "my edited text"
    view.save_button.click()
    assert "email address" in view.errors["recipient_email"].value
    assert "single line" in view.errors["subject"].value
    assert view.errors["body"].value == ""
    assert journal.find(Message) == []
    assert view.fields["body"].value == "my edited text"
    view.fields["body"].value = " "
    view.fields["recipient_email"].value = ""
    view.fields["subject"].value = "Hi"
    view.save_button.click()
    assert "required" in view.errors["body"].value
    assert journal.find(Message) == []


def test_export_eml_writes_a_file_and_offers_a_download(view, tmp_path):
    view.fields["body"].value = "Dear Maya,\nthanks.\n"
    path = view.export_eml()
    assert path.parent == tmp_path / "exports" and path.suffix == ".eml"
    data = path.read_bytes()
    assert b"X-Unsent: 1" in data and b"To: Maya Keller <maya@acme.example>" in data
    assert b"thanks." in data
    link = re.search(r'href="data:message/rfc822;base64,([^"]+)"', view.download.value)
    assert base64.b64decode(link[1]) == data


def test_mailto_link_carries_the_edited_text(view):
    view.fields["subject"].value = "Thanks & more"
    view.save_button.click()
    assert 'href="mailto:maya@acme.example?subject=Thanks%20%26%20more' in view.mailto.value


def test_mark_sent_records_the_time_and_ticks_the_playbook(view, journal):
    iid = view.interview.value
    view.sent_button.click()
    (sent,) = journal.find(Message)
    assert sent.sent_at == NOW
    assert "Marked sent" in view.status.value
    form = InterviewFormView(journal, now=lambda: NOW, interview_id=iid)
    assert "<b>done</b>" in form.step_labels[Step.THANK_YOU].value
    view.sent_button.click()  # a second time is refused, not a second record
    assert "Already marked sent on Tue 3 Mar 2026 13:00; nothing changed" in view.status.value
    assert len(journal.find(Message)) == 1


def test_export_ics_writes_the_open_agenda(view):
    path = view.export_ics()
    text = path.read_text()
    assert text.startswith("BEGIN:VCALENDAR") and "Acme" in text
    assert text.count("BEGIN:VEVENT") >= 1
    assert "av-ics-link" in view.download.value


def test_a_reply_without_a_request_says_why_and_clears_the_draft(view):
    view.kind.value = "info_reply"
    assert "No draft" in view.status.value and "information request" in view.status.value
    assert view.fields["body"].value == ""


def test_heads_up_lists_references(journal, tmp_path):
    log_interview(journal)
    journal.add(Reference(name="Dr. Ruth Adeyemi", email="ruth@uni.example"))
    view = MessagesView(journal, now=lambda: NOW, export_dir=tmp_path)
    view.kind.value = "reference_heads_up"
    assert view.recipient.options == (("Dr. Ruth Adeyemi", "Dr. Ruth Adeyemi"),)
    assert "Ruth" in view.fields["body"].value


def test_empty_journal_shows_what_to_do(journal, tmp_path):
    view = MessagesView(journal, now=lambda: NOW, export_dir=tmp_path)
    assert "No interviews yet" in view.empty.value
    assert view.save_button.disabled and view.sent_button.disabled
    assert view.export_ics().exists()  # an empty calendar is still a valid file


def test_hostile_names_never_reach_html_unescaped(journal, tmp_path):
    log_interview(journal, interviewer=HOSTILE, company=HOSTILE)
    view = MessagesView(journal, now=lambda: NOW, export_dir=tmp_path)
    assert HOSTILE in view.fields["body"].value or "<img" in view.fields["body"].value
    view.save_button.click()
    assert "Saved the draft to &lt;img src=x" in view.status.value
    assert all("<img" not in value for value in html_values(view))
    view.export_eml()
    view.fields["subject"].value = HOSTILE + "\nBcc: x@example.org"
    view.save_button.click()
    assert all("<img" not in value for value in html_values(view))


def test_exports_go_beside_the_journal_in_use_and_day_deadlines_ring_at_the_chosen_hour(
        tmp_path, demo_file):
    """Without an export folder given, .eml and .ics land in exports/ beside the journal;
    the .ics's day deadlines ring at the hour picked next to the button."""
    import shutil

    import icalendar

    from afterview_analysis.journal import Journal

    folder = tmp_path / "elsewhere"
    folder.mkdir()
    shutil.copyfile(demo_file, folder / "journal.sqlite")
    with Journal(folder / "journal.sqlite") as j:
        view = MessagesView(j, now=lambda: datetime(2026, 11, 12, 9, 0, tzinfo=UTC))
        assert view.ics_button.layout.width == "auto"  # the label is never cut off
        view.day_alarm.value = "07:30"
        ics = view.export_ics()
        eml = view.export_eml()
        zone = j.profile().timezone
    assert ics.parent == folder / "exports" and eml.parent == folder / "exports"
    from zoneinfo import ZoneInfo

    rings = [c.subcomponents[0]["TRIGGER"].dt
             for c in icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")]
    absolute = {r.astimezone(ZoneInfo(zone)).strftime("%H:%M") for r in rings
                if hasattr(r, "hour")}
    assert absolute == {"07:30"}


def test_the_form_opens_pre_filled_for_an_agenda_row(journal, tmp_path):
    """Today's *Draft* button: interview, kind and recipient chosen, a draft shown."""
    iid = log_interview(journal)
    view = MessagesView(journal, now=lambda: NOW, export_dir=tmp_path / "e",
                        interview_id=iid, kind="follow_up", recipient="Jonas Okafor")
    assert (view.interview.value, view.kind.value) == (iid, "follow_up")
    assert view.recipient.value == "Jonas Okafor"
    assert view.state.draft.kind == "follow_up" and "Jonas" in view.fields["body"].value
    # an agenda step name works too, and the same view can be reopened on another row
    assert view.open_for(iid, "thank_you", "Maya Keller")
    assert view.state.draft.recipient == "Maya Keller"
    view.fields["body"].value += "\nMy own words."
    assert not view.open_for(iid, "follow_up")  # unsaved typing is kept
    assert "My own words." in view.fields["body"].value
    assert "not saved" in view.status.value


def test_history_shows_drafts_and_sent_messages_and_a_sent_mark_can_be_undone(view, journal):
    assert "Nothing saved or sent" in view.history.value
    view.save_button.click()
    assert "thank-you letter to Maya Keller" in view.history.value
    assert "<b>draft</b>" in view.history.value
    view.sent_button.click()
    assert "sent Tue 3 Mar 2026 13:00" in view.history.value
    assert not view.unsend_button.disabled
    view.unsend_button.click()
    (stored,) = journal.find(Message)
    assert stored.sent_at is None and "a draft again" in view.status.value
    assert "<b>draft</b>" in view.history.value
    view.unsend_button.click()  # nothing to undo now
    assert "not marked sent" in view.status.value
    # a saved message can be opened again from the history
    view.kind.value = "follow_up"
    assert view.state.draft.kind == "follow_up"
    view.history_picker.value = stored.id
    view.open_button.click()
    assert view.state.draft.id == stored.id and view.fields["body"].value == stored.body


def test_the_checker_hints_show_under_the_draft_as_the_user_types(view):
    assert "found nothing to fix" in view.hints.value
    view.fields["body"].value = view.fields["body"].value.replace(
        "Warm regards,", "Warm regards,\nBest regards,").replace(".", "..", 1)
    hints = view.hints.value
    assert "Doubled punctuation" in hints and "Closing" in hints
    view.fields["body"].value = view.fields["body"].value.replace(
        "Dear Maya,", "Dear <b>Maya</b>,")
    assert "<b>Maya</b>" not in view.hints.value  # user text is escaped


def test_a_recruiter_with_only_a_number_gets_a_call_sheet(journal, tmp_path):
    iid = log_interview(journal)
    log = journal.load_interview(iid)
    from afterview_analysis.records import Interviewer
    journal.save_interview(log.interview, interviewers=[
        *log.interviewers,
        Interviewer(interview_id=iid, name="Lena Hoffmann", contact_role="recruiter",
                    phone="+49 30 555 0101")])
    view = MessagesView(journal, now=lambda: NOW, export_dir=tmp_path / "e")
    assert list(view.form.options) == ["email", "letter"]  # no call sheet for a thank-you
    view.kind.value = "follow_up"
    assert list(view.form.options) == ["email", "letter", "call"]
    assert view.recipient.value == "Lena Hoffmann"  # the recruiter first
    assert view.form.value == "call"  # only a number: the call sheet is proposed
    assert "Who to call: Lena Hoffmann" in view.fields["body"].value
    assert "+49 30 555 0101" in view.channel_note.value
    assert view.eml_button.disabled
    view.recipient.value = "Jonas Okafor"  # no number, no address
    view.form.value = "call"
    assert "No phone number saved for Jonas Okafor" in view.channel_note.value
    assert "1-after-the-interview" in view.channel_note.value


def test_logging_a_call_ticks_the_follow_up_and_appears_in_the_history(view, journal):
    view.kind.value = "follow_up"
    call = view.call
    call.day.value, call.clock.value = date(2026, 3, 3), "12:30"
    call.who.value = "Maya Keller"
    call.outcome.value = "Still deciding; two more candidates"
    call.promised.value = date(2026, 3, 13)
    call.log_button.click()
    assert "Logged the call with Maya Keller" in call.status.value, call.status.value
    assert "a week after Fri 13 Mar" in call.status.value
    (logged,) = journal.find(Message)
    assert (logged.channel, logged.kind, logged.promised_on) == ("phone", "follow_up",
                                                                date(2026, 3, 13))
    assert "phone call with Maya Keller" in view.history.value
    form = InterviewFormView(journal, now=lambda: NOW, interview_id=view.interview.value)
    assert "<b>done</b>" in form.step_labels[Step.FOLLOW_UP].value


@pytest.mark.parametrize(("clock", "who", "words"), [
    ("13:30", "Maya Keller", "in the future"),  # NOW is 13:00 in Berlin
    ("12:30", "", "With whom"),
    ("half past", "Maya Keller", "When"),
])
def test_a_bad_call_is_refused_in_one_line_and_kept(view, journal, clock, who, words):
    call = view.call
    call.day.value, call.clock.value, call.who.value = date(2026, 3, 3), clock, who
    call.notes.value = "my notes"
    call.log_button.click()
    assert "Not logged" in call.status.value and words in call.status.value
    assert journal.find(Message) == []
    assert call.notes.value == "my notes"


def _files(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


def test_an_export_folder_that_cannot_be_created_is_one_line_and_writes_nothing(view, tmp_path):
    """exports/ beside the journal is a file here, so the folder cannot be made: both exports
    say so in the status line, offer no download and write nothing; once the file is gone
    the same clicks write both files."""
    blocker = tmp_path / "exports"
    blocker.write_text("my notes, not a folder")
    before = _files(tmp_path)
    for button in (view.eml_button, view.ics_button):
        view.download.value = "stale link"
        button.click()
        assert view.status.value.count("Not exported: cannot write") == 1, view.status.value
        assert "not a folder; nothing was written" in view.status.value
        assert view.download.value == ""
    assert _files(tmp_path) == before and blocker.read_text() == "my notes, not a folder"

    blocker.unlink()
    view.eml_button.click()
    view.ics_button.click()
    assert "Exported" in view.status.value
    assert _files(blocker) == ["afterview-agenda.ics", "thank_you-acme-maya-keller.eml"]


def test_eml_names_are_safe_and_unique_and_never_replace_another_file(journal, tmp_path):
    """"Sam Lee" and "Sam  Lee" (and "SAM LEE/..") get files of their own; exporting the
    same draft again reuses its file; an edited draft never replaces the earlier file."""
    form = InterviewFormView(journal, now=lambda: NOW)
    f = form.fields
    f["company"].value, f["role"].value = "Acme", "Data analyst"
    f["start_date"].value, f["start_time"].value = date(2026, 3, 2), "09:30"
    people = [("Sam Lee", "sam@acme.example"), ("Sam  Lee", "sam.lee@acme.example"),
              ("SAM LEE/..", "lee@acme.example")]
    for n, (name, email) in enumerate(people):
        if n:
            form.add_interviewer_button.click()
        row = form.interviewer_rows[n].fields
        row["name"].value, row["email"].value = name, email
    form.save_button.click()
    assert "Saved" in form.status.value, form.status.value
    out = tmp_path / "exports"
    view = MessagesView(journal, now=lambda: NOW, export_dir=out)
    for name, _ in people:
        view.recipient.value = name
        view.eml_button.click()
        assert "Exported" in view.status.value, view.status.value
    names = ["thank_you-acme-sam-lee-2.eml", "thank_you-acme-sam-lee-3.eml",
             "thank_you-acme-sam-lee.eml"]
    assert _files(out) == names
    to = {name: (out / name).read_bytes().split(b"To: ")[1].split(b"\r\n")[0] for name in names}
    assert to == {"thank_you-acme-sam-lee.eml": b"Sam Lee <sam@acme.example>",
                  "thank_you-acme-sam-lee-2.eml": b"Sam  Lee <sam.lee@acme.example>",
                  "thank_you-acme-sam-lee-3.eml": b"\"SAM LEE/..\" <lee@acme.example>"}

    view.eml_button.click()  # the same draft again: the same file, no fourth one
    assert _files(out) == names and "sam-lee-3.eml" in view.status.value
    first = (out / "thank_you-acme-sam-lee.eml").read_bytes()
    view.recipient.value = "Sam Lee"
    view.fields["body"].value = "Dear Sam,\nan edited thank-you.\n"
    view.eml_button.click()  # different bytes: a new name, the earlier file kept as it was
    assert _files(out) == sorted([*names, "thank_you-acme-sam-lee-4.eml"])
    assert (out / "thank_you-acme-sam-lee.eml").read_bytes() == first
    assert b"an edited thank-you." in (out / "thank_you-acme-sam-lee-4.eml").read_bytes()
    assert "sam-lee-4.eml" in view.status.value


def test_messages_opens_on_the_oldest_overdue_message_of_the_agenda(journal, tmp_path):
    """Two interviews: the older one's thank-you is overdue (49 h after its end), the newer
    one's is still due; the form opens on the overdue one, newest first notwithstanding."""
    old = log_interview(journal, company="Oldco")  # 2 Mar 09:30-10:30 Berlin
    newer = log_interview(journal, company="Newco", day=date(2026, 3, 3))
    later = datetime(2026, 3, 4, 10, 30, tzinfo=UTC)  # 49 h after Oldco's end (09:30 UTC)
    view = MessagesView(journal, now=lambda: later, export_dir=tmp_path / "e")
    assert view.interview.value == old and view.kind.value == "thank_you"
    assert "Next on your agenda: <b>send the thank-you</b> · Oldco" in view.next_note.value
    assert "overdue since" in view.next_note.value and "Dear Maya" in view.fields["body"].value
    # a minute before Oldco's 48 h run out, nothing is overdue: Oldco's is due soonest
    view = MessagesView(journal, now=lambda: datetime(2026, 3, 4, 9, 29, tzinfo=UTC),
                        export_dir=tmp_path / "e")
    assert view.interview.value == old and "due by" in view.next_note.value
    # once Oldco's thank-you is sent, Newco's is next
    view.mark_sent()
    view = MessagesView(journal, now=lambda: later, export_dir=tmp_path / "e")
    assert view.interview.value == newer and "Newco" in view.next_note.value
    view.kind.value = "follow_up"  # the user picks another message: the pointer goes
    assert view.next_note.value == ""


def test_messages_opens_on_a_due_thank_you_and_skips_a_heads_up_without_references(
        journal, tmp_path):
    """At 47 h nothing is overdue: the thank-you is due (the heads-up, due sooner, is
    skipped: no reference was given for this interview)."""
    iid = log_interview(journal)
    at_47h = datetime(2026, 3, 4, 8, 30, tzinfo=UTC)
    view = MessagesView(journal, now=lambda: at_47h, export_dir=tmp_path / "e")
    assert view.interview.value == iid and view.kind.value == "thank_you"
    assert "send the thank-you</b> · Acme (Data analyst), <span" in view.next_note.value
    assert "due by" in view.next_note.value


def test_with_nothing_open_messages_opens_on_the_newest_thank_you_without_a_banner(
        journal, tmp_path):
    log_interview(journal)
    months_later = datetime(2026, 9, 1, tzinfo=UTC)  # every step long missed
    view = MessagesView(journal, now=lambda: months_later, export_dir=tmp_path / "e")
    assert view.kind.value == "thank_you" and view.next_note.value == ""
