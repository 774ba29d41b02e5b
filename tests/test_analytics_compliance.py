"""Playbook compliance: due moments from rules.DEADLINES, statuses, shares."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from afterview_analysis.analytics import playbook_compliance, step_deadlines
from afterview_analysis.analytics._examples import tiny_frames
from afterview_analysis.records import Interview, PlaybookStep, Profile, Step
from afterview_analysis.rules import DEADLINES, INFO_REPLY, agenda

AS_OF = "2026-04-01T00:00:00Z"


def test_due_moments_follow_the_rules_contract():
    d = step_deadlines(tiny_frames(), as_of=AS_OF)
    a = d[d["interview_id"] == "a"].set_index("step")["due_at"]
    end = pd.Timestamp("2026-01-05T11:00:00Z")
    assert a["thank_you"] == end + DEADLINES[Step.THANK_YOU][1]
    assert a["review_profiles"] == end + DEADLINES[Step.REVIEW_PROFILES][1]
    assert a["assess_performance"] == pd.Timestamp("2026-01-05T23:59:00Z")
    assert a["follow_up"] == pd.Timestamp("2026-01-16T23:59:00Z")  # promised 01-09 + 7 days


def test_due_moments_agree_with_the_agenda_on_the_demo(demo_file):
    """The vectorised due times equal rules.due_at (the agenda's) for every interview."""
    from afterview_analysis.journal import Journal
    from afterview_analysis.rules import due_at

    with Journal(demo_file, create=False) as j:
        frames = j.frames()
        zone = j.profile().timezone
        interviews = {iv.id: iv for iv in j.find(Interview)}
    d = step_deadlines(frames, as_of="2030-01-01")
    steps = d[d["step"] != "info_reply"]
    assert len(steps) == len(interviews) * len(Step)
    for row in steps.itertuples():
        assert row.due_at == due_at(interviews[row.interview_id], row.step, zone), row
    # the replies to information requests: the agenda's items, one for one
    with Journal(demo_file, create=False) as j:
        items = agenda(j, datetime(2030, 1, 1, tzinfo=UTC))
    replies = d[d["step"] == "info_reply"]
    assert len(replies) > 0
    assert sorted(zip(replies["interview_id"], replies["due_at"], strict=True)) == sorted(
        (i.interview_id, pd.Timestamp(i.due_at)) for i in items if i.step == INFO_REPLY)


def test_follow_up_without_a_promised_date_assumes_one(journal):
    from afterview_analysis.rules import due_at

    iv = Interview(id="n", company="A", role="R", starts_at=datetime(2026, 1, 5, 9, tzinfo=UTC))
    journal.add(iv)
    d = step_deadlines(journal.frames(), as_of=AS_OF).set_index("step")
    assert d.loc["follow_up", "due_at"] == due_at(iv, Step.FOLLOW_UP, "UTC")
    # as the README says: no date given, a week after the interview is taken as the date,
    # and the follow-up falls due a week after that
    assert d.loc["follow_up", "due_at"] == pd.Timestamp("2026-01-19T23:59:00Z")
    assert d.loc["follow_up", "status"] == "missing"
    agenda_item = next(i for i in agenda([iv], datetime(2026, 1, 6, tzinfo=UTC))
                       if i.step == Step.FOLLOW_UP)
    assert agenda_item.due_at == datetime(2026, 1, 19, 23, 59, tzinfo=UTC)
    assert "assumed a week after the interview" in agenda_item.reason


def test_statuses_by_hand():
    d = step_deadlines(tiny_frames(), as_of=AS_OF).set_index(["interview_id", "step"])["status"]
    assert d["a", "ask_next_steps"] == "on time"  # marked at 11:00, the end itself: not late
    assert d["b", "thank_you"] == "late" and d["a", "thank_you"] == "on time"
    assert d["a", "follow_up"] == "not needed"  # they answered before it fell due
    # 03-21 10:00, due 03-20 23:59: within the 2 days either side of "a week after"
    assert d["c", "follow_up"] == "on time"
    assert d["b", "review_profiles"] == "missing"


def test_end_of_day_is_in_the_users_zone(journal):
    journal.update(Profile(timezone="America/New_York"))
    iv = Interview(id="x", company="A", role="R", starts_at=datetime(2026, 1, 5, 23, tzinfo=UTC))
    journal.add(iv)  # ends 19:00 in New York on 01-05: due 01-05 23:59 EST = 01-06 04:59 UTC
    d = step_deadlines(journal.frames(), as_of=AS_OF).set_index("step")
    assert d.loc["assess_performance", "due_at"] == pd.Timestamp("2026-01-06T04:59:00Z")


def test_shares_by_hand_and_over_time():
    c = playbook_compliance(tiny_frames(), as_of=AS_OF).set_index("step")
    assert c.loc["thank_you", ["due", "on_time", "late", "missing"]].tolist() == [3, 2, 1, 0]
    assert c.loc["thank_you", "share_on_time"] == pytest.approx(2 / 3)
    assert c.loc["follow_up", "due"] == 1  # a and b were not needed
    by_month = playbook_compliance(tiny_frames(), freq="MS", as_of=AS_OF)
    ty = by_month[by_month["step"] == "thank_you"]
    assert ty["period"].tolist() == [pd.Timestamp(f"2026-0{m}-01") for m in (1, 2, 3)]
    assert ty["share_on_time"].tolist() == [1.0, 0.0, 1.0]


def test_open_steps_are_not_counted(journal):
    iv = Interview(id="n", company="A", role="R", starts_at=datetime(2026, 3, 31, 9, tzinfo=UTC))
    journal.add_many([iv, PlaybookStep(interview_id="n", step="ask_next_steps",
                                       done_at=datetime(2026, 3, 31, 9, 30, tzinfo=UTC))])
    c = playbook_compliance(journal.frames(), as_of="2026-03-31T12:00:00Z").set_index("step")
    assert c.loc["ask_next_steps", "on_time"] == 1
    assert c.loc["thank_you", "due"] == 0  # not due until 04-02


def test_empty_journal(journal):
    c = playbook_compliance(journal.frames())
    assert c["step"].tolist() == [*(s.value for s in Step), "info_reply"]
    assert (c["due"] == 0).all()
    assert step_deadlines(journal.frames()).empty


def test_done_counts_as_the_agenda_counts_it(journal):
    """A thank-you marked sent (never ticked) and a heads-up sent are done in both places."""
    from datetime import timedelta

    from afterview_analysis.records import HeadsUp, Message, Reference
    from afterview_analysis.rules import steps_for

    iv = Interview(id="m", company="A", role="R", starts_at=datetime(2026, 1, 5, 9, tzinfo=UTC))
    ref = Reference(name="Ruth")
    thanks = Message(interview_id="m", kind="thank_you", recipient="Maya", body="Thanks",
                     created_at=iv.ends_at, sent_at=iv.ends_at + timedelta(hours=60))
    heads = HeadsUp(interview_id="m", reference_id=ref.id, sent_at=iv.ends_at + timedelta(hours=2))
    for record in (iv, ref, thanks, heads):
        journal.add(record)
    now = datetime(2026, 4, 1, tzinfo=UTC)
    d = step_deadlines(journal.frames(), as_of=now).set_index("step")
    assert d.loc["thank_you", "status"] == "late"  # sent after 48 h
    assert d.loc["thank_you", "done_at"] == pd.Timestamp(thanks.sent_at)
    assert d.loc["contact_references", "status"] == "on time"
    agenda = {i.step: i for i in steps_for(iv, [], [], [thanks], "UTC", now=now,
                                           heads_ups=[heads])}
    assert agenda[Step.THANK_YOU].done_at == thanks.sent_at
    assert agenda[Step.CONTACT_REFERENCES].done_at == heads.sent_at
