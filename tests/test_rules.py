"""The playbook's due-time rules, each pinned with an explicit clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from afterview_analysis import rules
from afterview_analysis.records import (
    EmployerEvent,
    HeadsUp,
    Interview,
    Message,
    PlaybookStep,
    Profile,
    Reference,
    Step,
)
from tests.conftest import make_interview

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def by_step(items):
    return {i.step: i for i in items}


def plan(interview, *, now, steps=(), events=(), messages=(), heads_ups=(), zone="UTC"):
    return by_step(rules.steps_for(interview, steps, events, messages, zone, now=now,
                                   heads_ups=heads_ups))


# an interview Monday 2 March 2026, 09:30-10:30 UTC, feedback promised by Monday 9 March
IV = make_interview(duration_minutes=60)
END = utc(2026, 3, 2, 10, 30)


def test_the_contract_constants_keep_their_meaning():
    assert rules.DEADLINES[Step.THANK_YOU] == ("end", timedelta(hours=48))
    assert rules.DEADLINES[Step.FOLLOW_UP] == ("feedback_by", timedelta(days=7))
    assert timedelta(hours=24) == rules.INFO_REPLY_WITHIN
    assert timedelta(hours=48) == rules.THANK_YOU_WITHIN
    assert timedelta(days=7) == rules.FOLLOW_UP_AFTER


class TestDueTimes:
    def test_each_step_due_time_in_utc(self):
        items = plan(IV, now=END)
        assert items[Step.ASK_NEXT_STEPS].due_at == END
        assert items[Step.ASSESS_PERFORMANCE].due_at == utc(2026, 3, 2, 23, 59)
        assert items[Step.REVIEW_PROFILES].due_at == utc(2026, 3, 3, 10, 30)
        assert items[Step.CONTACT_REFERENCES].due_at == utc(2026, 3, 3, 10, 30)
        assert items[Step.THANK_YOU].due_at == utc(2026, 3, 4, 10, 30)
        # end of 9 March, plus seven days
        assert items[Step.FOLLOW_UP].due_at == utc(2026, 3, 16, 23, 59)

    def test_interview_ending_2359_in_new_york_for_a_berlin_user(self):
        # 23:29-23:59 on 2 March in New York is 05:29-05:59 on 3 March in Berlin
        start = datetime(2026, 3, 2, 23, 29, tzinfo=NEW_YORK)
        iv = make_interview(starts_at=start, duration_minutes=30, feedback_by="2026-03-09")
        end = iv.ends_at
        assert end == utc(2026, 3, 3, 4, 59)
        berlin = plan(iv, now=end, zone="Europe/Berlin")
        # "the same day" is the user's day: 3 March, until 23:59 Berlin (22:59 UTC)
        assert berlin[Step.ASSESS_PERFORMANCE].due_at == datetime(2026, 3, 3, 23, 59,
                                                                   tzinfo=BERLIN)
        assert berlin[Step.ASSESS_PERFORMANCE].status == "due"
        # a New York user has no time left that day
        ny = plan(iv, now=end + timedelta(minutes=1), zone="America/New_York")
        assert ny[Step.ASSESS_PERFORMANCE].due_at == end
        assert ny[Step.ASSESS_PERFORMANCE].status == "overdue"
        # the 48 h and 24 h rules count from the moment, whatever the zone
        assert berlin[Step.THANK_YOU].due_at == ny[Step.THANK_YOU].due_at == utc(2026, 3, 5, 4, 59)
        # the feedback date is read in the user's zone
        assert berlin[Step.FOLLOW_UP].due_at == datetime(2026, 3, 16, 23, 59, tzinfo=BERLIN)
        assert ny[Step.FOLLOW_UP].due_at == datetime(2026, 3, 16, 23, 59, tzinfo=NEW_YORK)

    def test_follow_up_across_a_daylight_saving_change_stays_at_2359_local(self):
        iv = make_interview(starts_at=utc(2026, 3, 20, 9, 0), feedback_by="2026-03-25")
        due = plan(iv, now=utc(2026, 3, 20, 12), zone="Europe/Berlin")[Step.FOLLOW_UP].due_at
        assert due == utc(2026, 4, 1, 21, 59)  # 23:59 CEST (UTC+2), a week after 25 March

    def test_no_feedback_date_assumes_one_week_then_waits_one_more(self):
        iv = make_interview(feedback_by=None)
        item = plan(iv, now=END)[Step.FOLLOW_UP]
        assert item.due_at == utc(2026, 3, 16, 23, 59)
        assert "no feedback date" in item.reason


    @pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/New_York",
                                      "Australia/Lord_Howe", "Asia/Kathmandu"])
    def test_a_table_of_interviews_gets_the_deadlines_one_interview_gets(self, zone):
        """rules.deadlines is one function for one interview (the agenda) and for a table
        of interviews (the analysis): the same moments for ends around midnight, across
        the spring and autumn clock changes, with and without a promised date."""
        import pandas as pd

        ends = [utc(2026, month, day, hour, minute)
                for month, day in ((3, 28), (3, 29), (10, 24), (10, 25), (4, 4), (4, 5))
                for hour, minute in ((0, 0), (10, 45), (13, 0), (22, 59), (23, 59))]
        said = [None if i % 3 == 0 else (end + timedelta(days=i % 9)).date()
                for i, end in enumerate(ends)]
        table = rules.deadlines(pd.Series(ends), pd.Series(pd.to_datetime(said)), zone)
        for i, (end, day) in enumerate(zip(ends, said, strict=True)):
            one = rules.deadlines(end, day, zone)
            assert list(one) == list(table) == list(rules.DEADLINES)
            assert [table[step].iloc[i] for step in one] == list(one.values()), (end, day)
        assert all(str(col.dtype) == "datetime64[us, UTC]" for col in table.values())


class TestStatus:
    def test_due_then_overdue_as_the_clock_passes_the_deadline(self):
        due = utc(2026, 3, 4, 10, 30)
        assert plan(IV, now=due)[Step.THANK_YOU].status == "due"
        assert plan(IV, now=due + timedelta(seconds=1))[Step.THANK_YOU].status == "overdue"

    def test_a_ticked_step_is_done_and_on_time_or_late(self):
        early = PlaybookStep(interview_id=IV.id, step="thank_you",
                             done_at=END + timedelta(hours=3))
        item = plan(IV, now=utc(2026, 3, 10), steps=[early])[Step.THANK_YOU]
        assert (item.status, item.done_at, item.late) == ("done", early.done_at, False)
        late = PlaybookStep(interview_id=IV.id, step="thank_you",
                            done_at=END + timedelta(hours=60))
        item = plan(IV, now=utc(2026, 3, 10), steps=[late])[Step.THANK_YOU]
        assert item.status == "done" and item.late
        assert "12 h late" in item.reason

    def test_a_sent_thank_you_message_counts_a_draft_does_not(self):
        draft = Message(interview_id=IV.id, kind="thank_you", recipient="Ann", body="Thanks")
        assert plan(IV, now=utc(2026, 3, 3), messages=[draft])[Step.THANK_YOU].status == "due"
        sent = Message(interview_id=IV.id, kind="thank_you", recipient="Ann", body="Thanks",
                       sent_at=END + timedelta(hours=5))
        item = plan(IV, now=utc(2026, 3, 3), messages=[draft, sent])[Step.THANK_YOU]
        assert item.status == "done" and item.done_at == sent.sent_at

    def test_a_sent_heads_up_counts_as_contacting_references(self):
        ref = Reference(name="Ruth")
        hu = HeadsUp(interview_id=IV.id, reference_id=ref.id, sent_at=END + timedelta(hours=2))
        item = plan(IV, now=utc(2026, 3, 3), heads_ups=[hu])[Step.CONTACT_REFERENCES]
        assert item.status == "done"

    def test_anything_recorded_after_now_has_not_happened_yet(self):
        tick = PlaybookStep(interview_id=IV.id, step="thank_you", done_at=utc(2026, 3, 3, 12))
        assert plan(IV, now=utc(2026, 3, 3, 11), steps=[tick])[Step.THANK_YOU].status == "due"
        assert plan(IV, now=utc(2026, 3, 3, 12), steps=[tick])[Step.THANK_YOU].status == "done"

    def test_records_of_other_interviews_are_ignored(self):
        other = make_interview()
        tick = PlaybookStep(interview_id=other.id, step="thank_you", done_at=END)
        assert plan(IV, now=utc(2026, 3, 3), steps=[tick])[Step.THANK_YOU].status == "due"

    def test_a_known_outcome_turns_overdue_steps_into_missed(self):
        iv = make_interview(outcome="rejected", outcome_on="2026-03-05")
        items = plan(iv, now=utc(2026, 3, 6))
        assert items[Step.THANK_YOU].status == "missed"
        # before the outcome was known, the same step was simply overdue
        assert plan(iv, now=utc(2026, 3, 4, 23))[Step.THANK_YOU].status == "overdue"

    def test_a_step_left_a_month_past_due_is_missed(self):
        due = utc(2026, 3, 4, 10, 30)
        assert plan(IV, now=due + rules.STALE_AFTER)[Step.THANK_YOU].status == "overdue"
        after = due + rules.STALE_AFTER + timedelta(minutes=1)
        assert plan(IV, now=after)[Step.THANK_YOU].status == "missed"


class TestFollowUp:
    DUE = utc(2026, 3, 16, 23, 59)

    def test_feedback_date_passed_without_an_answer(self):
        # the promised date (9 March) has passed: not yet time to follow up ...
        assert plan(IV, now=utc(2026, 3, 12))[Step.FOLLOW_UP].status == "due"
        # ... a week later it is, and then it is overdue
        assert plan(IV, now=self.DUE + timedelta(hours=1))[Step.FOLLOW_UP].status == "overdue"

    @pytest.mark.parametrize("kind", ["feedback", "next_round", "rejection", "offer", "other"])
    def test_no_follow_up_once_the_employer_answered(self, kind):
        answer = EmployerEvent(interview_id=IV.id, kind=kind, at=utc(2026, 3, 8, 14))
        assert Step.FOLLOW_UP not in plan(IV, now=self.DUE + timedelta(days=1), events=[answer])
        # an answer after the follow-up was due also removes it (nothing to chase any more)
        late = EmployerEvent(interview_id=IV.id, kind=kind, at=self.DUE + timedelta(days=2))
        assert Step.FOLLOW_UP not in plan(IV, now=self.DUE + timedelta(days=3), events=[late])
        # ... but until that answer arrives, the follow-up is overdue
        before = plan(IV, now=self.DUE + timedelta(days=1), events=[late])
        assert before[Step.FOLLOW_UP].status == "overdue"

    def test_an_information_request_is_not_an_answer_about_next_steps(self):
        ask = EmployerEvent(interview_id=IV.id, kind="info_request", at=utc(2026, 3, 5, 9))
        items = plan(IV, now=self.DUE + timedelta(hours=1), events=[ask])
        assert items[Step.FOLLOW_UP].status == "overdue"

    def test_a_known_outcome_without_an_event_is_an_answer(self):
        iv = make_interview(outcome="advanced", outcome_on="2026-03-10")
        assert Step.FOLLOW_UP not in plan(iv, now=utc(2026, 3, 20))

    def test_a_sent_follow_up_stays_on_the_agenda_as_done_even_after_they_answer(self):
        sent = Message(interview_id=IV.id, kind="follow_up", recipient="Ann", body="Hello",
                       sent_at=utc(2026, 3, 16, 9))
        answer = EmployerEvent(interview_id=IV.id, kind="rejection", at=utc(2026, 3, 18, 9))
        item = plan(IV, now=utc(2026, 3, 20), messages=[sent], events=[answer])[Step.FOLLOW_UP]
        assert item.status == "done" and item.done_at == sent.sent_at and not item.late

    def test_ghosted_follow_up_not_sent_is_missed(self):
        iv = make_interview(outcome="ghosted")
        assert plan(iv, now=utc(2026, 3, 20))[Step.FOLLOW_UP].status == "missed"


class TestInformationRequests:
    ASKED = utc(2026, 3, 5, 16, 0)

    def ask(self, **kw):
        return EmployerEvent(interview_id=IV.id, kind="info_request", at=self.ASKED,
                             note="Could you send two work samples?", **kw)

    def reply(self, event, hours, **kw):
        return Message(interview_id=IV.id, kind="info_reply", recipient="Ann", body="Here",
                       reply_to_event_id=event.id, sent_at=self.ASKED + timedelta(hours=hours),
                       **kw)

    def replies(self, now, events, messages=()):
        items = rules.steps_for(IV, [], events, messages, "UTC", now=now)
        return [i for i in items if i.step == rules.INFO_REPLY]

    def test_due_24_hours_after_the_request_with_the_request_in_the_reason(self):
        ev = self.ask()
        [item] = self.replies(self.ASKED + timedelta(hours=1), [ev])
        assert item.due_at == utc(2026, 3, 6, 16, 0) and item.status == "due"
        assert item.event_id == ev.id and "two work samples" in item.reason
        [item] = self.replies(self.ASKED + timedelta(hours=25), [ev])
        assert item.status == "overdue"

    def test_answered_in_time_and_answered_late(self):
        ev = self.ask()
        [item] = self.replies(utc(2026, 3, 10), [ev], [self.reply(ev, 3)])
        assert item.status == "done" and not item.late
        [item] = self.replies(utc(2026, 3, 10), [ev], [self.reply(ev, 30)])
        assert item.status == "done" and item.late and "6 h late" in item.reason

    def test_only_a_sent_reply_to_that_request_counts(self):
        first, second = self.ask(), self.ask()
        unsent = Message(interview_id=IV.id, kind="info_reply", recipient="Ann", body="Draft",
                         reply_to_event_id=first.id)
        items = self.replies(utc(2026, 3, 10), [first, second],
                             [self.reply(second, 2), unsent])
        status = {i.event_id: i.status for i in items}
        assert status == {first.id: "overdue", second.id: "done"}

    def test_a_request_in_the_future_of_now_is_not_listed(self):
        assert self.replies(self.ASKED - timedelta(minutes=1), [self.ask()]) == []


class TestAgenda:
    def test_whole_journal_soonest_first_in_the_profile_zone(self, journal):
        journal.update(Profile(timezone="America/New_York",
                               linkedin="https://linkedin.com/in/me"))
        a = make_interview(starts_at=utc(2026, 3, 2, 9, 0))
        b = make_interview(company="Beta", starts_at=utc(2026, 3, 1, 9, 0))
        journal.add_many([a, b])
        journal.add(PlaybookStep(interview_id=a.id, step="thank_you", done_at=utc(2026, 3, 2, 14)))
        items = rules.agenda(journal, now=utc(2026, 3, 2, 12))
        assert [i.due_at for i in items] == sorted(i.due_at for i in items)
        assert len(items) == 12
        assert items[0].company == "Beta" and items[0].step == Step.ASK_NEXT_STEPS
        # the zone comes from the profile: the same day ends at 23:59 New York time
        assess = next(i for i in items if i.interview_id == a.id
                      and i.step == Step.ASSESS_PERFORMANCE)
        assert assess.due_at == datetime(2026, 3, 2, 23, 59, tzinfo=NEW_YORK)
        review = next(i for i in items if i.step == Step.REVIEW_PROFILES)
        assert "LinkedIn" in review.reason
        # the tick is in the future of "now": not done yet
        assert next(i for i in items if i.interview_id == a.id
                    and i.step == Step.THANK_YOU).status == "due"

    def test_records_and_journal_give_the_same_agenda(self, demo_journal):
        now = utc(2026, 11, 20, 12)
        records = [r for kind in (Profile, Interview, PlaybookStep, EmployerEvent, Message,
                                  HeadsUp) for r in demo_journal.find(kind)]
        assert rules.agenda(records, now) == rules.agenda(demo_journal, now)

    def test_demo_agenda_is_consistent(self, demo_journal):
        now = utc(2026, 11, 20, 12)
        items = rules.agenda(demo_journal, now)
        interviews = demo_journal.find(Interview)
        assert {i.interview_id for i in items} == {iv.id for iv in interviews}
        assert all(i.done_at <= now for i in items if i.status == "done")
        assert all(i.due_at < now for i in items if i.status in ("overdue", "missed"))
        shown = rules.open_items(items, now)
        assert shown and all(i.is_open or i.status == "done" for i in shown)
        # the demo's late information replies show up as late
        info = [i for i in items if i.step == rules.INFO_REPLY]
        assert info and any(i.late for i in info) and any(not i.late for i in info)

    def test_format_agenda_names_company_step_and_reason(self):
        now = utc(2026, 3, 3, 12)
        items = rules.agenda([IV], now)
        text = rules.format_agenda(rules.open_items(items, now), now, "UTC")
        assert text.startswith("Agenda at Tue 3 Mar 12:00 2026 (UTC): 4 overdue, 2 due, 0 done")
        assert "OVERDUE" in text and "Acme Analytics" in text and "within 48 h" in text
