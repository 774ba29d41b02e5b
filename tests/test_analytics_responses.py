"""Response times, employer and own: values worked out by hand on the tiny journal."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from afterview_analysis.analytics import (
    AnalysisError,
    answer_minutes,
    employer_response_summary,
    employer_response_times,
    own_response_summary,
    own_response_times,
)
from afterview_analysis.analytics._examples import tiny_frames
from afterview_analysis.records import EmployerEvent, Interview, Message, Profile
from afterview_analysis.rules import FOLLOW_UP_AFTER

AS_OF = "2026-04-01T00:00:00+00:00"


def test_employer_times_by_hand():
    r = employer_response_times(tiny_frames(), as_of=AS_OF).set_index("interview_id")
    # a: ended 01-05 11:00, rejection 01-12 09:00 -> 6 d 22 h; promised 01-09 (until 23:59)
    assert r.loc["a", "days_to_response"] == pytest.approx(6 + 22 / 24)
    assert r.loc["a", "days_late"] == pytest.approx(2 + 9 / 24 + 1 / 1440)  # from 01-09 23:59
    # b: the information request on 02-06 is not an answer; next round 02-09 15:00
    assert r.loc["b", "first_response_kind"] == "next_round"
    assert r.loc["b", "days_late"] == pytest.approx(-(1 + 9 / 24 - 1 / 1440))
    # c: promised 03-13, nothing by 04-01 (more than two weeks after) -> ghosting candidate
    assert r.loc["c", "status"] == "ghosting candidate" and math.isnan(r.loc["c", "days_late"])


def test_waiting_until_well_past_the_promised_date():
    frames = tiny_frames()
    promised_end = pd.Timestamp("2026-03-13T23:59:00Z")
    just_before = promised_end + 2 * FOLLOW_UP_AFTER - pd.Timedelta(minutes=1)
    r = employer_response_times(frames, as_of=just_before).set_index("interview_id")
    assert r.loc["c", "status"] == "waiting"


def test_later_events_and_interviews_are_ignored_as_of_an_earlier_date():
    r = employer_response_times(tiny_frames(), as_of="2026-02-08T00:00:00Z")
    assert r["interview_id"].tolist() == ["a", "b"]  # c had not happened yet
    assert r.set_index("interview_id").loc["b", "status"] == "waiting"


def test_promised_date_is_read_in_the_users_zone(journal):
    journal.update(Profile(timezone="Asia/Tokyo"))  # UTC+9
    iv = Interview(id="x", company="Acme", role="R", feedback_by="2026-01-09",
                   starts_at=datetime(2026, 1, 5, 1, tzinfo=UTC))
    # 2026-01-09 20:00 UTC is already 01-10 05:00 in Tokyo: 5 h 1 min after 01-09 23:59
    ev = EmployerEvent(interview_id="x", kind="feedback", at=datetime(2026, 1, 9, 20, tzinfo=UTC))
    journal.add_many([iv, ev])
    r = employer_response_times(journal.frames(), as_of=AS_OF)
    assert r["days_late"].iloc[0] == pytest.approx((5 * 60 + 1) / 1440)


def test_summary_median_iqr_and_ghosting_share():
    s = employer_response_summary(tiny_frames(), by="company", as_of=AS_OF).set_index("company")
    assert s.loc["Beta", "interviews"] == 2 and s.loc["Beta", "days_n"] == 1
    assert s.loc["Beta", "ghosting"] == 1 and s.loc["Beta", "ghosting_share"] == 0.5
    assert 0 < s.loc["Beta", "ghosting_low"] < 0.5 < s.loc["Beta", "ghosting_high"] < 1
    overall = employer_response_summary(tiny_frames(), by=None, as_of=AS_OF)
    # two answered: 6.9167 and 5.1667 days -> median 6.0417, q1 5.6042, q3 6.4792
    assert overall["days_median"].item() == pytest.approx((6 + 22 / 24 + 5 + 4 / 24) / 2)
    assert overall["days_q1"].item() == pytest.approx(5 + 4 / 24 + 0.25 * (1 + 18 / 24))
    with pytest.raises(AnalysisError, match="by = 'role'"):
        employer_response_summary(tiny_frames(), by="role")


def test_own_times_by_hand():
    o = own_response_times(tiny_frames(), as_of=AS_OF)
    ty = o[o["kind"] == "thank_you"].set_index("interview_id")
    assert ty["hours"].tolist() == pytest.approx([4.0, 73.0, 2.0])
    assert ty["within"].tolist() == [True, False, True]
    info = o[o["kind"] == "info_reply"]
    assert info["hours"].tolist() == pytest.approx([11.0]) and info["within"].all()
    fu = o[o["kind"] == "follow_up"].set_index("interview_id")
    assert fu.loc["a", "timing"] == "not needed" and fu.loc["c", "timing"] == "on time"


def test_own_summary_shares():
    s = own_response_summary(tiny_frames(), as_of=AS_OF).set_index("kind")
    assert s.loc["thank_you", "share_on_time"] == pytest.approx(2 / 3)
    assert s.loc["thank_you", "hours_median"] == pytest.approx(4.0)
    assert s.loc["thank_you", "low"] < 2 / 3 < s.loc["thank_you", "high"]


def _follow_up_case(journal, days_after_promise):
    iv = Interview(id="f", company="Acme", role="R", feedback_by="2026-01-09",
                   starts_at=datetime(2026, 1, 5, 10, tzinfo=UTC))
    records = [iv]
    if days_after_promise is not None:
        sent = datetime(2026, 1, 9, 23, 59, tzinfo=UTC) + timedelta(days=days_after_promise)
        records.append(Message(interview_id="f", kind="follow_up", recipient="Sam", body="...",
                               created_at=sent, sent_at=sent))
    journal.add_many(records)
    o = own_response_times(journal.frames(), as_of=AS_OF)
    return o.loc[o["kind"] == "follow_up", "timing"].item()


@pytest.mark.parametrize(
    ("days", "timing"),
    [(2, "too early"), (5.5, "on time"), (7, "on time"), (8.9, "on time"), (10, "late"),
     (None, "missing")],
)
def test_follow_up_timing_about_a_week_after_the_promised_date(journal, days, timing):
    assert _follow_up_case(journal, days) == timing


def test_nothing_is_missing_before_its_deadline(journal):
    iv = Interview(company="Acme", role="R", starts_at=datetime(2026, 3, 31, 12, tzinfo=UTC),
                   duration_minutes=60, feedback_by="2026-04-10")
    journal.add(iv)
    o = own_response_times(journal.frames(), as_of=AS_OF)
    assert set(o["timing"]) == {"open"} and o["within"].isna().all()


def test_answer_minutes_by_category():
    m = answer_minutes(tiny_frames(), freq="MS")
    design = m[m["category"] == "system_design"]
    assert design["n"].tolist() == [1, 1] and design["median"].tolist() == [12.0, 10.0]
    assert "behavioural" not in set(m["category"])  # logged without minutes
    with pytest.raises(AnalysisError, match="freq = 'W'"):
        answer_minutes(tiny_frames(), freq="W")


def test_empty_journal(journal):
    frames = journal.frames()
    assert employer_response_times(frames).empty
    assert employer_response_summary(frames, by="stage").empty
    overall = employer_response_summary(frames, by=None)
    assert overall["interviews"].tolist() == [0] and overall["days_median"].isna().all()
    assert own_response_times(frames).empty
    s = own_response_summary(frames)
    assert s["due"].tolist() == [0, 0, 0] and s["share_on_time"].isna().all()
    assert answer_minutes(frames).empty


def test_does_not_mutate():
    frames = tiny_frames()
    before = {k: v.copy(deep=True) for k, v in frames.items()}
    own_response_summary(frames, as_of=AS_OF)
    employer_response_summary(frames, as_of=AS_OF)
    answer_minutes(frames)
    for k, v in frames.items():
        pd.testing.assert_frame_equal(v, before[k])


def test_interview_with_nothing_sent_yet(journal):
    journal.add(Interview(company="Acme", role="R", feedback_by="2026-01-12",
                          starts_at=datetime(2026, 1, 5, 10, tzinfo=UTC)))
    o = own_response_times(journal.frames(), as_of=AS_OF).set_index("kind")
    assert o.loc["thank_you", "timing"] == "missing"
    assert o.loc["follow_up", "timing"] == "missing"
