"""Where each interview stands (the pipeline Today opens with), group by group, with the
thresholds pinned on both sides."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from afterview_analysis.analytics.responses import GHOSTING_AFTER
from afterview_analysis.pipeline import GONE_QUIET_AFTER, pipeline
from afterview_analysis.records import EmployerEvent, PlaybookStep, Profile, Step
from tests.conftest import make_interview

# make_interview: 2 March 2026 09:30 UTC, 60 minutes, feedback promised by 9 March
PROMISED_END = datetime(2026, 3, 9, 23, 59, tzinfo=UTC)  # end of the promised day (UTC)


def _ticked(iv, *steps, at=datetime(2026, 3, 2, 12, 0, tzinfo=UTC)):
    return [PlaybookStep(interview_id=iv.id, step=s, done_at=at) for s in steps]


def _all_but_follow_up(iv):
    return _ticked(iv, *[s for s in Step if s != Step.FOLLOW_UP])


def _one(records, now):
    (entry,) = pipeline([Profile(timezone="UTC"), *records], now)
    return entry


def test_waiting_counts_the_days_left_to_the_promised_date():
    iv = make_interview()
    entry = _one([iv, *_all_but_follow_up(iv)], datetime(2026, 3, 4, 10, tzinfo=UTC))
    assert (entry.group, entry.days_left) == ("waiting", 5)
    assert "promised an answer by Mon 9 Mar: 5 days left" in entry.detail
    on_the_day = _one([iv, *_all_but_follow_up(iv)], datetime(2026, 3, 9, 10, tzinfo=UTC))
    assert (on_the_day.days_left, on_the_day.detail.endswith("today")) == (0, True)
    after = _one([iv, *_all_but_follow_up(iv)], datetime(2026, 3, 12, 10, tzinfo=UTC))
    assert after.group == "waiting" and after.days_left == -3
    assert "3 days ago; follow up on Mon 16 Mar" in after.detail


def test_an_open_step_other_than_the_follow_up_is_your_move():
    iv = make_interview()
    now = datetime(2026, 3, 2, 14, tzinfo=UTC)  # thank-you due, not yet overdue
    done = _ticked(iv, Step.ASK_NEXT_STEPS, Step.ASSESS_PERFORMANCE)
    entry = _one([iv, *done], now)
    assert entry.group == "your move" and entry.overdue == 0
    assert entry.detail.startswith("next: review online profiles")


def test_your_move_lists_overdue_interviews_first():
    calm = make_interview(company="Calm", starts_at=datetime(2026, 3, 4, 9, tzinfo=UTC))
    late = make_interview(company="Late", starts_at=datetime(2026, 3, 1, 9, tzinfo=UTC))
    entries = pipeline([Profile(), calm, late, *_ticked(calm, Step.ASK_NEXT_STEPS)],
                       datetime(2026, 3, 4, 12, tzinfo=UTC))
    assert [(e.interview.company, e.group) for e in entries] == [
        ("Late", "your move"), ("Calm", "your move")]
    assert entries[0].overdue > 0 and entries[0].detail.startswith("overdue:")


@pytest.mark.parametrize(("after", "group"), [
    (GONE_QUIET_AFTER - timedelta(hours=1), "your move"),  # the follow-up is overdue
    (GONE_QUIET_AFTER + timedelta(hours=1), "gone quiet"),
])
def test_gone_quiet_two_weeks_after_the_promised_date(after, group):
    iv = make_interview()
    entry = _one([iv, *_all_but_follow_up(iv)], PROMISED_END + after)
    assert entry.group == group
    if group == "gone quiet":
        assert entry.detail.startswith("Acme Analytics went quiet: no answer 15 days after")
        assert entry.quiet_days == 15  # calendar days since 9 March (24 March now)
        assert entry.detail.endswith("(1 step still open below)")  # the follow-up


def test_gone_quiet_is_the_analysis_ghosting_threshold():
    assert GONE_QUIET_AFTER.total_seconds() == GHOSTING_AFTER.total_seconds()


def test_an_answer_keeps_it_from_going_quiet_but_a_request_for_information_does_not():
    iv = make_interview()
    late = PROMISED_END + GONE_QUIET_AFTER + timedelta(days=3)
    feedback = EmployerEvent(interview_id=iv.id, kind="feedback",
                             at=datetime(2026, 3, 8, tzinfo=UTC))
    asked = EmployerEvent(interview_id=iv.id, kind="info_request",
                          at=datetime(2026, 3, 8, tzinfo=UTC))
    assert _one([iv, *_all_but_follow_up(iv), feedback], late).group == "waiting"
    assert _one([iv, *_all_but_follow_up(iv), asked], late).group == "gone quiet"


def test_no_promised_date_assumes_a_week_after_the_interview():
    iv = make_interview(feedback_by=None)
    entry = _one([iv, *_all_but_follow_up(iv)], datetime(2026, 3, 4, 10, tzinfo=UTC))
    assert entry.group == "waiting" and entry.days_left == 5
    assert entry.detail.startswith("no date given; assumed Mon 9 Mar")


@pytest.mark.parametrize(("outcome", "words"), [
    ("offer", "an offer"), ("rejected", "rejected"), ("withdrawn", "you withdrew"),
    ("advanced", "advanced to the next round")])
def test_a_known_outcome_is_decided(outcome, words):
    iv = make_interview(outcome=outcome, outcome_on="2026-03-12")
    entry = _one([iv], datetime(2026, 3, 12, 1, tzinfo=UTC))
    assert entry.group == "decided" and entry.detail == f"{words} on Thu 12 Mar"
    # recorded for a later day: not known yet on the 11th
    assert _one([iv], datetime(2026, 3, 11, 23, tzinfo=UTC)).group != "decided"


def test_marked_ghosted_is_gone_quiet_and_named():
    iv = make_interview(company="Zephyr", outcome="ghosted", outcome_on="2026-03-20")
    entry = _one([iv], datetime(2026, 3, 21, tzinfo=UTC))
    assert entry.group == "gone quiet" and entry.detail.startswith("Zephyr went quiet")


def test_every_demo_interview_is_in_exactly_one_group(demo_journal):
    now = datetime(2026, 11, 12, 9, tzinfo=UTC)
    entries = pipeline(demo_journal, now)
    ids = [e.interview.id for e in entries]
    assert len(ids) == len(set(ids)) == demo_journal.counts()["interviews"]
    groups = {e.group for e in entries}
    assert {"decided", "gone quiet"} <= groups


@pytest.mark.parametrize("feedback_by", ["2026-03-09", None])
@pytest.mark.parametrize(("after", "quiet"), [
    (GONE_QUIET_AFTER - timedelta(hours=1), False),
    (GONE_QUIET_AFTER + timedelta(hours=1), True),
])
def test_today_and_the_analysis_name_the_same_companies_gone_quiet(
        journal, feedback_by, after, quiet):
    """One definition: Today's "gone quiet" is the analysis's "ghosting candidate", on
    both sides of the threshold, with a promised date and with the assumed one (a week
    after the interview's day, 9 March here too)."""
    from afterview_analysis.analytics import employer_response_times

    iv = make_interview(feedback_by=feedback_by)
    journal.update(Profile(timezone="UTC"))
    journal.add_many([iv, *_all_but_follow_up(iv)])
    now = PROMISED_END + after
    entry = _one([iv, *_all_but_follow_up(iv)], now)
    (status,) = employer_response_times(journal.frames(), as_of=now)["status"]
    assert (entry.group == "gone quiet") is quiet
    assert (status == "ghosting candidate") is quiet


@pytest.mark.parametrize(("outcome_on", "group", "status"), [
    ("2026-03-20", "decided", "decided"),  # rejected before "now" (no answer recorded)
    ("2026-03-30", "gone quiet", "ghosting candidate"),  # the outcome is dated after it
])
def test_an_outcome_set_on_the_form_without_an_answer_is_decided_in_both(
        journal, outcome_on, group, status):
    """The user set "rejected" on the form and recorded no employer event: Today calls it
    decided, and the analysis no longer names the company as gone quiet; until the
    outcome's date both still count the silence."""
    from afterview_analysis.analytics import employer_response_times

    iv = make_interview(outcome="rejected", outcome_on=outcome_on)
    journal.update(Profile(timezone="UTC"))
    journal.add_many([iv, *_all_but_follow_up(iv)])
    now = PROMISED_END + GONE_QUIET_AFTER + timedelta(days=2)  # 25 March
    entry = _one([iv, *_all_but_follow_up(iv)], now)
    (row,) = employer_response_times(journal.frames(), as_of=now).to_dict("records")
    assert (entry.group, row["status"]) == (group, status)
