"""Following up by phone: the call sheet, the call on the record, and what it changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from afterview_analysis import drafting
from afterview_analysis.analytics import own_response_times
from afterview_analysis.drafting import DraftError, draft_message, log_call
from afterview_analysis.records import Interviewer, Message, Profile
from afterview_analysis.rules import FOLLOW_UP_AGAIN, steps_for
from tests.conftest import make_interview

INTERVIEW_END = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
CALLED = datetime(2026, 3, 17, 9, 0, tzinfo=UTC)  # a week after the promised 9 March


@pytest.fixture(autouse=True)
def no_user_templates(tmp_path, monkeypatch):
    monkeypatch.setenv("AFTERVIEW_TEMPLATES", str(tmp_path / "no-user-templates"))


@pytest.fixture
def setup(journal):
    journal.update(Profile(name="Alex Morgan", email="alex@example.org",
                           timezone="Europe/Berlin"))
    iv = make_interview()
    journal.save_interview(iv, interviewers=[
        Interviewer(interview_id=iv.id, name="Maya Keller", email="maya@acme.example"),
        Interviewer(interview_id=iv.id, name="Lena Hoffmann", contact_role="recruiter",
                    phone="+49 30 555 0101")])
    return journal, iv


def agenda_of(journal, iv, now):
    return {i.step: i for i in steps_for(iv, [], [], journal.find(Message), "Europe/Berlin",
                                         now=now)}


def test_the_call_sheet_says_who_to_call_and_what_to_say(setup):
    journal, iv = setup
    sheet = draft_message(journal, iv.id, "follow-up", form="call", now=CALLED)
    assert sheet.recipient == "Lena Hoffmann"  # the recruiter, not the interviewer
    assert sheet.channel == "phone" and sheet.sent_at is None
    body = sheet.body
    assert "Who to call: Lena Hoffmann at Acme Analytics\nNumber: +49 30 555 0101" in body
    assert '"Hello Lena, this is Alex Morgan.' in body
    assert "You mentioned I would hear back by Monday 9 March, and that date has passed." in body
    assert "especially after our conversation about your move to a semantic layer." in body
    assert "- Where does the process stand?" in body and "\nNotes\n" in body
    assert drafting.check_message(journal, sheet) == []


def test_no_number_is_said_plainly_with_where_to_add_it(setup):
    journal, iv = setup
    sheet = draft_message(journal, iv.id, "follow-up", to="Maya Keller", form="call",
                          now=CALLED)
    assert ("Number: none saved yet. Add it to this person on the interview form in "
            "1-after-the-interview, or ask for it at maya@acme.example.") in sheet.body


def test_a_thank_you_has_no_call_sheet(setup):
    journal, iv = setup
    with pytest.raises(DraftError, match="call sheet is for a follow-up"):
        draft_message(journal, iv.id, "thank_you", form="call", now=CALLED)


def test_a_logged_call_ticks_the_follow_up_and_counts_as_an_answer(setup):
    journal, iv = setup
    before = agenda_of(journal, iv, CALLED)["follow_up"]
    assert before.status == "overdue"
    call = log_call(journal, iv.id, who="Lena Hoffmann", at=CALLED - timedelta(hours=1),
                    outcome="They are still deciding.", notes="Two more candidates.",
                    now=CALLED)
    assert (call.channel, call.subject, call.sent_at) == ("phone", "They are still deciding",
                                                          CALLED - timedelta(hours=1))
    stored = journal.get(Message, call.id)
    assert stored.body == "Two more candidates." and stored.recipient == "Lena Hoffmann"
    after = agenda_of(journal, iv, CALLED)["follow_up"]
    assert after.status == "done" and after.done_at == CALLED - timedelta(hours=1)
    assert FOLLOW_UP_AGAIN not in agenda_of(journal, iv, CALLED)  # no new date was named
    times = own_response_times(journal.frames(), as_of=CALLED)
    follow = times[times["kind"] == "follow_up"]
    assert len(follow) == 1 and follow["sent_at"].iloc[0] == CALLED - timedelta(hours=1)
    assert follow["timing"].iloc[0] == "on time"


def test_a_new_date_moves_the_next_follow_up_to_a_week_after_it(setup):
    journal, iv = setup
    log_call(journal, iv.id, who="Lena", at=CALLED, promised_on=date(2026, 3, 20),
             now=CALLED)
    again = agenda_of(journal, iv, CALLED + timedelta(days=1))[FOLLOW_UP_AGAIN]
    assert again.status == "due" and again.title == "follow up again"
    # 23:59 Berlin, a week after the 20th
    assert again.due_at == datetime(2026, 3, 27, 22, 59, tzinfo=UTC)
    assert "Fri 20 Mar" in again.reason
    assert agenda_of(journal, iv, datetime(2026, 3, 28, 9, tzinfo=UTC))[
        FOLLOW_UP_AGAIN].status == "overdue"
    # another follow-up after the call does it
    log_call(journal, iv.id, who="Lena", at=datetime(2026, 3, 28, 9, tzinfo=UTC),
             now=datetime(2026, 3, 28, 10, tzinfo=UTC))
    done = agenda_of(journal, iv, datetime(2026, 3, 28, 10, tzinfo=UTC))[FOLLOW_UP_AGAIN]
    assert done.status == "done"


@pytest.mark.parametrize(("options", "words"), [
    ({"who": "  "}, "With whom"),
    ({"at": CALLED + timedelta(minutes=1)}, "in the future"),
    ({"promised_on": date(2026, 3, 1)}, "cannot be before the call"),
    ({"kind": "thank_you"}, "follow-up or as the answer"),
])
def test_bad_calls_are_refused_in_one_line_and_nothing_is_written(setup, options, words):
    journal, iv = setup
    values = {"who": "Lena Hoffmann", "at": CALLED, "now": CALLED} | options
    with pytest.raises(DraftError, match=words) as exc:
        log_call(journal, iv.id, **values)
    assert "\n" not in str(exc.value)
    assert journal.find(Message) == []


def test_a_call_at_the_present_moment_is_accepted(setup):
    journal, iv = setup
    log_call(journal, iv.id, who="Lena Hoffmann", at=CALLED, now=CALLED)
    assert len(journal.find(Message)) == 1


def test_the_command_line_prints_the_call_sheet(tmp_path, capsys):
    from afterview_analysis.cli import main
    from afterview_analysis.journal import Journal

    path = tmp_path / "j.sqlite"
    with Journal(path) as j:
        j.update(Profile(name="Alex Morgan", timezone="Europe/Berlin"))
        iv = make_interview()
        j.save_interview(iv, interviewers=[Interviewer(interview_id=iv.id, name="Lena Hoffmann",
                                                       phone="+49 30 555 0101")])
    code = main(["draft", "follow-up", "--form", "call", "--interview", iv.id,
                 "--journal", str(path), "--today", "2026-03-17"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Who to call: Lena Hoffmann at Acme Analytics" in out
    assert "Number: +49 30 555 0101" in out and "Questions to ask" in out


def test_today_offers_a_draft_for_the_next_follow_up_after_a_call(setup):
    from afterview_analysis.widgets.today import TodayView

    journal, iv = setup
    log_call(journal, iv.id, who="Lena Hoffmann", at=CALLED, promised_on=date(2026, 3, 20),
             now=CALLED)
    later = datetime(2026, 3, 28, 9, tzinfo=UTC)
    view = TodayView(journal, now=lambda: later)
    (row,) = [r for r in view.rows.values() if r.item.step == FOLLOW_UP_AGAIN]
    assert row.act.description == "Draft" and row.done.disabled
    view.act(row.item)
    messages = view._messages()
    assert messages.state.draft.kind == "follow_up"
    assert messages.state.draft.recipient == "Lena Hoffmann"


def test_the_next_follow_up_refers_to_the_date_given_on_the_call(setup):
    journal, iv = setup
    log_call(journal, iv.id, who="Lena Hoffmann", at=CALLED, promised_on=date(2026, 3, 20),
             now=CALLED)
    later = datetime(2026, 3, 28, 9, tzinfo=UTC)
    m = draft_message(journal, iv.id, "follow-up", now=later)
    assert "You mentioned I would hear back by Friday 20 March" in m.body
    assert drafting.check_message(journal, m) == []
