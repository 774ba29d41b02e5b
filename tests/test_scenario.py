"""A scenario journal with planted truths, each checked against an independent
computation (numpy, scipy, plain Python) on the numbers the scenario was built from."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from scipy import stats

from afterview_analysis import story
from afterview_analysis.journal import Journal
from afterview_analysis.records import (
    EmployerEvent,
    Interview,
    Message,
    SkillScore,
)
from afterview_analysis.report import build_report

START = datetime(2025, 1, 6, 10, tzinfo=UTC)
N = 10
COMMUNICATION = [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]  # improving
PROBLEM_SOLVING = [5, 5, 5, 4, 4, 4, 3, 3, 3, 2]  # declining
CULTURE_FIT = [1] * N  # the weakest, and flat
ANSWER_DAYS = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]  # the employer's answer, days after the end
THANKS_HOURS = [2, 3, 60, 4, 5, 70, 6, 7, 80, 1]  # three late (over 48 h)
PREDICTED = [90, 80, 70, 60, 50, 40, 30, 20, 10, 60]
ADVANCED = [1, 1, 1, 0, 1, 0, 0, 0, 0, 1]
AS_OF = "2026-06-01"


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    j = Journal(tmp_path_factory.mktemp("scenario") / "s.sqlite")
    records = []
    for i in range(N):
        start = START + timedelta(days=30 * i)
        iv = Interview(id=f"i{i}", company=f"Co{i}", role="Analyst", stage="screen",
                       starts_at=start, duration_minutes=60, predicted_chance=PREDICTED[i],
                       feedback_by=(start + timedelta(days=7)).date(),
                       outcome="advanced" if ADVANCED[i] else "rejected",
                       outcome_on=(start + timedelta(days=ANSWER_DAYS[i])).date())
        end = iv.ends_at
        records += [
            iv,
            SkillScore(interview_id=iv.id, skill="communication", score=COMMUNICATION[i]),
            SkillScore(interview_id=iv.id, skill="problem solving", score=PROBLEM_SOLVING[i]),
            SkillScore(interview_id=iv.id, skill="culture fit", score=CULTURE_FIT[i]),
            EmployerEvent(interview_id=iv.id, kind="next_round" if ADVANCED[i] else "rejection",
                          at=end + timedelta(days=ANSWER_DAYS[i])),
            Message(interview_id=iv.id, kind="thank_you", recipient="Sam", body="Thanks",
                    created_at=end, sent_at=end + timedelta(hours=THANKS_HOURS[i])),
        ]
    # an information request answered 5 hours later by a reply not linked to it
    ask = EmployerEvent(id="ask", interview_id="i0", kind="info_request",
                        at=START + timedelta(days=1))
    reply = Message(interview_id="i0", kind="info_reply", recipient="Sam", body="Here",
                    created_at=ask.at, sent_at=ask.at + timedelta(hours=5))
    j.add_many([*records, ask, reply])
    yield build_report(j.frames(), as_of=AS_OF), j
    j.close()


def _days(i: int) -> float:
    return 30.0 * i


def test_planted_slopes_match_linregress(scenario):
    report, _ = scenario
    trends = report.tables["trends"].set_index("area")
    for area, scores, verdict in (("communication", COMMUNICATION, "improving"),
                                  ("problem solving", PROBLEM_SOLVING, "declining")):
        fit = stats.linregress([_days(i) / 30 for i in range(N)], scores)
        half = stats.t.ppf(0.975, N - 2) * fit.stderr
        row = trends.loc[area]
        assert row["slope_30d"] == pytest.approx(fit.slope)
        assert row["ci_low"] == pytest.approx(fit.slope - half)
        assert row["verdict"] == verdict
    assert trends.loc["culture fit", "verdict"] == "flat"


def test_planted_weakest_skill_leads_focus_next(scenario):
    report, _ = scenario
    assert report.tables["focus_next"]["area"].iloc[0] == "culture fit"
    assert report.tables["weak_areas"]["area"].iloc[0] == "culture fit"


def test_planted_response_delays(scenario):
    report, _ = scenario
    o = report.tables["employer_overall"].iloc[0]
    ends_to_answer = np.array(ANSWER_DAYS, dtype=float)
    assert o["days_n"] == N
    assert o["days_median"] == pytest.approx(np.median(ends_to_answer))
    assert o["days_q1"] == pytest.approx(np.quantile(ends_to_answer, 0.25))


def test_planted_on_time_shares_and_the_unlinked_reply(scenario):
    report, _ = scenario
    s = report.tables["own_summary"].set_index("kind")
    on_time = sum(h <= 48 for h in THANKS_HOURS)
    assert (s.loc["thank_you", "on_time"], s.loc["thank_you", "due"]) == (on_time, N)
    # the reply names no request; it is the first reply after it: found, and on time
    assert (s.loc["info_reply", "on_time"], s.loc["info_reply", "due"]) == (1, 1)
    habits = report.tables["compliance"].set_index("step")
    assert habits.loc["thank_you", "on_time"] == on_time
    assert habits.loc["info_reply", "on_time"] == 1


def test_planted_brier_score(scenario):
    report, _ = scenario
    p, y = np.array(PREDICTED) / 100, np.array(ADVANCED)
    brier = np.mean((p - y) ** 2)
    base = y.mean()
    paired = (p - y) ** 2 - (base - y) ** 2
    c = report.tables["calibration"].iloc[0]
    assert c["brier"] == pytest.approx(brier)
    assert c["diff"] == pytest.approx(paired.mean())
    ci = stats.ttest_1samp(paired, 0).confidence_interval(0.95)
    assert (c["diff_low"], c["diff_high"]) == pytest.approx((ci.low, ci.high))
    verdict = ("better than the base rate" if ci.high < 0 else "worse than the base rate"
               if ci.low > 0 else "not clearly better than the base rate")
    assert c["verdict"] == verdict


def test_the_story_tells_the_planted_truths(scenario):
    _, journal = scenario
    r = story.Reflection(journal, as_of=AS_OF)
    assert story.practise_next(r).answer.startswith("Practise culture fit next")
    improving = story.improving(r).answer
    assert "improving: communication" in improving and "declining: problem solving" in improving
    on_time = story.on_time(r).answer
    # each share carries its 95 % Wilson score interval, worked out here by scipy
    wilson = stats.binomtest(7, 10).proportion_ci(0.95, method="wilson")
    assert (f"On time: 7 of 10 thank-you notes (95 % range {wilson.low:.0%} to "
            f"{wilson.high:.0%}); 1 of 1 replies") in on_time, on_time
    habits = story.habits(r).answer
    said = re.findall(r"(\d+) of (\d+), 95 % range (\d+)% to (\d+)%", habits)
    assert len(said) == 2, habits  # the best habit and the worst, each with its range
    for k, n, low, high in said:
        ci = stats.binomtest(int(k), int(n)).proportion_ci(0.95, method="wilson")
        assert (int(low), int(high)) == (round(ci.low * 100), round(ci.high * 100)), habits
