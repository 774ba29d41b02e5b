"""Skill trends, weak areas and the practice list: hand-computed values and edge cases."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from afterview_analysis.analytics import (
    MIN_FOCUS_N,
    SKILL_CATEGORIES,
    AnalysisError,
    focus_next,
    practice_list,
    score_history,
    skill_trends,
    weak_areas,
)
from afterview_analysis.analytics._examples import tiny_frames
from afterview_analysis.records import Interview, Question, SkillScore


def _copy(frames):
    return {k: v.copy(deep=True) for k, v in frames.items()}


def _monthly(journal, scores, skill="communication", start=datetime(2025, 1, 1, tzinfo=UTC)):
    """One interview every 30 days with these scores for ``skill``."""
    for i, s in enumerate(scores):
        iv = Interview(company=f"Co{i}", role="Analyst", starts_at=start + timedelta(days=30 * i))
        journal.add_many([iv, SkillScore(interview_id=iv.id, skill=skill, score=s)])
    return journal.frames()


def test_history_has_per_interview_category_means_and_rolling_means():
    h = score_history(tiny_frames(), window=2)
    design = h[h["area"] == "system_design"]
    assert design["score"].tolist() == [1.0, 2.0]
    assert design["rolling_mean"].tolist() == [1.0, 1.5]
    ps = h[h["area"] == "problem solving"]
    assert ps["rolling_mean"].tolist() == [1.0, 1.5, 1.5]  # (1), (1+2)/2, (2+1)/2
    assert (h.groupby("area")["at"].apply(lambda s: s.is_monotonic_increasing)).all()
    assert str(h["at"].dtype) == "datetime64[us, UTC]"


def test_history_averages_several_questions_of_one_category(journal):
    iv = Interview(company="Acme", role="Analyst",
                   starts_at=datetime(2026, 1, 5, 10, tzinfo=UTC))
    journal.add_many([iv] + [
        Question(interview_id=iv.id, text=f"Q{s}", category="technical", score=s)
        for s in (1, 2, 4)
    ])
    h = score_history(journal.frames(), by="category")
    assert h["score"].tolist() == [pytest.approx(7 / 3)]
    assert h["n_questions"].tolist() == [3]


def test_trend_on_tiny_journal_by_hand():
    t = skill_trends(tiny_frames(), by="skill", min_n=3).set_index("area")
    comm = t.loc["communication"]
    assert comm["slope_30d"] == pytest.approx(1.0)  # 2, 3, 4 at 30-day steps
    assert comm["ci_low"] == pytest.approx(1.0) and comm["ci_high"] == pytest.approx(1.0)
    assert comm["verdict"] == "improving"
    ps = t.loc["problem solving"]  # 1, 2, 1: slope 0, SSE 2/3, se = sqrt(1/3), t(.975, 1)
    half = 12.706204736174698 * math.sqrt(1 / 3)
    assert ps["slope_30d"] == pytest.approx(0.0, abs=1e-12)
    assert ps["ci_high"] == pytest.approx(half) and ps["ci_low"] == pytest.approx(-half)
    assert ps["verdict"] == "no clear trend"
    assert ps["recent"] == pytest.approx(4 / 3) and ps["recent_n"] == 3


def test_below_the_stated_minimum_the_verdict_is_not_enough_data():
    t = skill_trends(tiny_frames())  # default MIN_TREND_N = 6 > 3 interviews
    assert set(t["verdict"]) == {"not enough data"}


def test_empty_journal_gives_empty_tables_with_columns(journal):
    frames = journal.frames()
    assert score_history(frames).empty
    t = skill_trends(frames)
    assert t.empty and {"area", "slope_30d", "verdict", "n"} <= set(t.columns)
    assert weak_areas(frames).empty
    assert focus_next(frames).empty


def test_one_interview_is_not_enough(journal):
    t = skill_trends(_monthly(journal, [3])).set_index("area")
    assert t.loc["communication", "n"] == 1
    assert t.loc["communication", "verdict"] == "not enough data"
    assert math.isnan(t.loc["communication", "slope_30d"])


def test_all_equal_scores_are_flat_with_a_zero_width_interval(journal):
    t = skill_trends(_monthly(journal, [3] * 8)).set_index("area").loc["communication"]
    assert t["slope_30d"] == 0.0 and t["ci_low"] == 0.0 and t["ci_high"] == 0.0
    assert t["verdict"] == "flat"
    assert t["recent_low"] == 3.0 and t["recent_high"] == 3.0


def test_declining_and_noisy_verdicts(journal):
    frames = _monthly(journal, [5, 5, 4, 4, 3, 3, 2, 2])
    assert skill_trends(frames).set_index("area").loc["communication", "verdict"] == "declining"


def test_all_on_one_day_is_not_enough_data(journal):
    start = datetime(2026, 1, 5, tzinfo=UTC)
    for i, s in enumerate([1, 2, 3, 4, 5, 3, 2]):
        iv = Interview(company=f"Co{i}", role="R", starts_at=start + timedelta(hours=i))
        journal.add_many([iv, SkillScore(interview_id=iv.id, skill="communication", score=s)])
    t = skill_trends(journal.frames()).set_index("area")
    assert t.loc["communication", "verdict"] == "not enough data"


def test_undated_interviews_are_left_out():
    frames = tiny_frames()
    iv = frames["interviews"].copy()
    iv.loc[iv["id"] == "c", "starts_at"] = pd.NaT
    frames["interviews"] = iv
    h = score_history(frames, by="skill")
    assert "c" not in set(h["interview_id"])
    assert skill_trends(frames, by="skill").set_index("area").loc["communication", "n"] == 2


def test_history_does_not_depend_on_the_order_rows_are_stored_in():
    """Time first, ties by interview id, whatever order the tables hold their rows in."""
    at = pd.Timestamp("2026-01-05 10:00", tz="UTC")
    frames = {
        "interviews": pd.DataFrame({"id": ["z", "m", "a", "q"],
                                    "starts_at": [at, at, at - pd.Timedelta(days=1), at]}),
        "skill_scores": pd.DataFrame({"interview_id": ["z", "m", "a", "q"],
                                      "skill": ["communication"] * 4, "score": [4, 2, 1, 3]}),
    }
    h = score_history(frames, by="skill", window=2)
    assert h["interview_id"].tolist() == ["a", "m", "q", "z"]
    assert h["rolling_mean"].tolist() == [1.0, 1.5, 2.5, 3.5]
    shuffled = {k: v.iloc[::-1].reset_index(drop=True) for k, v in frames.items()}
    pd.testing.assert_frame_equal(score_history(shuffled, by="skill", window=2), h)


def test_functions_do_not_mutate_their_input():
    frames = tiny_frames()
    before = _copy(frames)
    score_history(frames)
    skill_trends(frames)
    focus_next(frames=frames, by="both")
    for name, df in frames.items():
        pd.testing.assert_frame_equal(df, before[name])


def test_weak_areas_rank_by_recent_level():
    w = weak_areas(tiny_frames(), by="both", window=2)
    # recent (last 2): system_design (1+2)/2, problem solving (2+1)/2 -> tie at 1.5; areas
    # scored in fewer than MIN_FOCUS_N interviews come after the rest, each part by level
    few = w["n"] < MIN_FOCUS_N
    assert few.is_monotonic_increasing
    assert w.loc[~few, "recent"].is_monotonic_increasing
    assert w.loc[few, "recent"].is_monotonic_increasing
    assert w["rank"].tolist() == list(range(1, len(w) + 1))
    assert w["area"].iloc[0] == "problem solving"  # system_design: 2 interviews only


def test_focus_next_lists_the_lowest_questions_with_notes():
    f = focus_next(tiny_frames(), k=2, by="both", window=2)
    design = f[f["category"] == "system_design"]
    assert design["question"].tolist() == ["Design a cache", "Design a feed"]
    assert design["next_time"].tolist() == ["Start from the access pattern.",
                                            "Name the trade-offs."]
    assert design["score"].tolist() == [1, 2]
    assert f["question"].dropna().is_unique  # one question, one place in the list


def _repeated(journal):
    """Problem solving low in five interviews; communication scored once, lower still; a
    design question asked three times (scored 1, then 2, then 4)."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(5):
        iv = Interview(company=f"Co{i}", role="R", starts_at=start + timedelta(days=10 * i))
        records = [iv, SkillScore(interview_id=iv.id, skill="problem solving", score=2)]
        if i == 4:
            records.append(SkillScore(interview_id=iv.id, skill="communication", score=1))
        if i >= 2:
            records.append(Question(interview_id=iv.id, text="Design a feed", score=i - 1,
                                    category="system_design", next_time=f"note {i}"))
        records.append(Question(interview_id=iv.id, text=f"Why us ({i})?", score=1,
                                category="motivation"))
        journal.add_many(records)
    return journal.frames()


def test_focus_next_is_robust_to_an_area_scored_once(journal):
    f = focus_next(_repeated(journal), k=2)
    # communication scored 1 once has no range yet: problem solving, low five times, first
    assert f["area"].iloc[0] == "problem solving"
    ranks = f.drop_duplicates("area").set_index("area")["rank"]
    assert ranks["problem solving"] < ranks["communication"]


def test_focus_next_draws_from_the_declared_categories_with_latest_and_lowest(journal):
    f = focus_next(_repeated(journal), k=2)
    solving = f[f["area"] == "problem solving"]
    assert set(solving["category"]) <= set(SKILL_CATEGORIES["problem solving"])
    feed = solving.set_index("question").loc["Design a feed"]
    assert (feed["score"], feed["latest_score"], feed["times_asked"]) == (1, 3, 3)
    assert feed["next_time"] == "note 4"  # the latest note
    # a skill no kind of question practises gets advice, not someone else's questions
    frames = _repeated(journal)
    trends = skill_trends(frames, by="skill")
    asked_skill = trends.assign(area="questions asked", recent=0.5, recent_high=0.9)
    plan = practice_list(frames, asked_skill.head(1), k=1)
    assert plan["question"].isna().all() and "questions of your own" in plan["advice"].iloc[0]


def test_bad_arguments_name_the_problem():
    with pytest.raises(AnalysisError, match="by = 'skills'"):
        skill_trends(tiny_frames(), by="skills")
    with pytest.raises(AnalysisError, match="window = 0"):
        score_history(tiny_frames(), window=0)
    with pytest.raises(AnalysisError, match="k = 0"):
        focus_next(tiny_frames(), k=0)
    frames = tiny_frames()
    frames["skill_scores"] = frames["skill_scores"].drop(columns="score")
    with pytest.raises(AnalysisError, match=r"frames\['skill_scores'\] has no column 'score'"):
        skill_trends(frames, by="skill")
    with pytest.raises(AnalysisError, match=r"Journal\.frames"):
        skill_trends([1, 2, 3])


def test_demo_weak_skill_is_the_top_focus_and_improving_skills_improve(demo_file):
    from afterview_analysis.demo import IMPROVING_SKILLS, WEAK_SKILL
    from afterview_analysis.journal import Journal

    with Journal(demo_file, create=False) as j:
        frames = j.frames()
    focus = focus_next(frames, k=3)
    assert focus["area"].iloc[0] == WEAK_SKILL
    assert focus.loc[focus["area"] == WEAK_SKILL, "question"].notna().all()
    verdicts = skill_trends(frames).set_index("area")["verdict"]
    for skill in IMPROVING_SKILLS:
        assert verdicts[skill] == "improving"
    assert verdicts[WEAK_SKILL] in ("flat", "no clear trend")


def test_interviews_at_the_same_moment_are_ordered_by_id(journal):
    at = datetime(2026, 1, 5, 9, tzinfo=UTC)
    for iid, score in (("zz", 1), ("aa", 5), ("mm", 3)):
        journal.add(Interview(id=iid, company="A", role="R", starts_at=at))
        journal.add(SkillScore(interview_id=iid, skill="communication", score=score))
    h = score_history(journal.frames(), by="skill", window=2)
    assert h["interview_id"].tolist() == ["aa", "mm", "zz"]
    assert h["rolling_mean"].tolist() == [5.0, 4.0, 2.0]


@pytest.mark.parametrize(("scores", "clipped"),
                         [([1, 1, 1, 1, 2], True), ([2, 3, 3, 3, 4], False)])
def test_recent_interval_stays_on_the_1_to_5_scale(journal, scores, clipped):
    from scipy import stats

    t = skill_trends(_monthly(journal, scores)).set_index("area").loc["communication"]
    mean, sd = pd.Series(scores).mean(), pd.Series(scores).std(ddof=1)
    half = stats.t.ppf(0.975, len(scores) - 1) * sd / math.sqrt(len(scores))
    assert t["recent"] == pytest.approx(mean)
    if clipped:  # the raw interval would reach below 1, a score nobody can get
        assert mean - half < 1 and t["recent_low"] == 1.0
    else:
        assert t["recent_low"] == pytest.approx(mean - half) and mean - half > 1
    assert t["recent_high"] == pytest.approx(min(mean + half, 5.0))
