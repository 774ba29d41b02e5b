"""Calibration: Brier score against its textbook formula, reliability bins, Welch."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from afterview_analysis.analytics import (
    AnalysisError,
    calibration,
    calibration_points,
    reliability_table,
    self_score_vs_outcome,
)
from afterview_analysis.analytics._examples import tiny_frames
from afterview_analysis.records import Interview, Question


def _journal_with(journal, predicted, advanced, scores=None):
    start = datetime(2025, 1, 1, tzinfo=UTC)
    records = []
    for i, (p, a) in enumerate(zip(predicted, advanced, strict=True)):
        iv = Interview(company=f"Co{i}", role="R", starts_at=start + timedelta(days=7 * i),
                       predicted_chance=p, outcome="advanced" if a else "rejected",
                       outcome_on=(start + timedelta(days=7 * i + 3)).date())
        records.append(iv)
        if scores is not None:
            records.append(Question(interview_id=iv.id, text="Q", score=scores[i]))
    journal.add_many(records)
    return journal.frames()


@pytest.mark.parametrize("seed", range(5))
def test_brier_matches_the_textbook_formula_on_random_data(journal, seed):
    rng = np.random.default_rng(seed)
    n = 40
    p = rng.integers(0, 21, n) * 5  # 0, 5, ..., 100 %
    y = (rng.random(n) < p / 100).astype(int)
    c = calibration(_journal_with(journal, p.tolist(), y.tolist()))
    brier = np.mean((p / 100 - y) ** 2)  # Brier (1950): mean squared probability error
    assert c["n"].item() == n
    assert c["brier"].item() == pytest.approx(brier)
    assert c["base_rate"].item() == pytest.approx(y.mean())
    assert c["reference"].item() == pytest.approx(y.mean() * (1 - y.mean()))
    sq = (p / 100 - y) ** 2
    half = stats.t.ppf(0.975, n - 1) * sq.std(ddof=1) / math.sqrt(n)
    assert c["brier_high"].item() == pytest.approx(brier + half)
    # the comparison with the base rate: a paired t interval of the per-interview
    # differences, as scipy's one-sample t test on them gives it
    base = y.mean()
    d = sq - (base - y) ** 2
    assert c["diff"].item() == pytest.approx(brier - base * (1 - base))
    ci = stats.ttest_1samp(d, 0).confidence_interval(0.95)
    assert c["diff_low"].item() == pytest.approx(ci.low)
    assert c["diff_high"].item() == pytest.approx(ci.high)


def test_outcomes_that_say_nothing_are_left_out():
    pts = calibration_points(tiny_frames())
    assert pts["interview_id"].tolist() == ["a", "b"]  # c is still pending


def test_too_few_outcomes_is_said_plainly():
    c = calibration(tiny_frames())
    assert c["verdict"].item() == "not enough outcomes" and c["n"].item() == 2
    assert self_score_vs_outcome(tiny_frames())["verdict"].item() == "not enough outcomes"


def test_perfect_and_useless_forecasters(journal):
    good = calibration(_journal_with(journal, [100] * 6 + [0] * 6, [1] * 6 + [0] * 6))
    assert good["brier"].item() == 0.0
    assert good["verdict"].item() == "better than the base rate"


def test_reliability_bins_by_hand(journal):
    frames = _journal_with(journal, [10, 20, 30, 90, 100, 95], [0, 1, 0, 1, 1, 0])
    r = reliability_table(frames, bins=5).set_index("bin")
    assert r.loc["0-20 %", "n"] == 2  # 10 % and 20 % (upper edge belongs to the bin)
    assert r.loc["0-20 %", "mean_predicted"] == pytest.approx(0.15)
    assert r.loc["0-20 %", "observed_rate"] == 0.5
    assert r.loc["80-100 %", "n"] == 3
    assert r.loc["80-100 %", "observed_rate"] == pytest.approx(2 / 3)
    assert r.loc["40-60 %", "n"] == 0 and math.isnan(r.loc["40-60 %", "observed_rate"])
    assert r["n"].sum() == 6
    with pytest.raises(AnalysisError, match="bins = 0"):
        reliability_table(frames, bins=0)


def test_self_score_difference_matches_welch(journal):
    adv = [1] * 6 + [0] * 6
    scores = [4, 5, 4, 3, 5, 4, 2, 3, 2, 1, 3, 2]
    s = self_score_vs_outcome(_journal_with(journal, [50] * 12, adv, scores))
    a, b = np.array(scores[:6], float), np.array(scores[6:], float)
    ci = stats.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
    assert s["diff"].item() == pytest.approx(a.mean() - b.mean())
    assert s["ci_low"].item() == pytest.approx(ci.low)
    assert s["ci_high"].item() == pytest.approx(ci.high)
    assert s["verdict"].item() == "higher when advancing"


def test_empty_journal(journal):
    frames = journal.frames()
    c = calibration(frames)
    assert c["n"].item() == 0 and math.isnan(c["brier"].item())
    assert reliability_table(frames)["n"].sum() == 0
    assert self_score_vs_outcome(frames)["n_advanced"].item() == 0


def test_missing_predictions_are_skipped():
    frames = tiny_frames()
    iv = frames["interviews"].copy()
    iv.loc[iv["id"] == "a", "predicted_chance"] = pd.NA
    before = iv.copy()
    frames["interviews"] = iv
    assert calibration(frames)["n"].item() == 1
    pd.testing.assert_frame_equal(frames["interviews"], before)
