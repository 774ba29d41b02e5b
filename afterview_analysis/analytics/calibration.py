"""How well the user's gut feeling predicts what happens.

An interview *advanced* when its outcome is "advanced" or "offer", and did *not* when it
is "rejected" or "ghosted"; "pending" and "withdrawn" (the user's own decision) are left
out. The prediction is the interview's ``predicted_chance`` (0-100 %) as a probability.

* :func:`calibration_points` -- per resolved interview: predicted, advanced, self-score.
* :func:`calibration` -- Brier score (mean squared error of the probabilities, Brier 1950)
  with a t interval, against the reference of always guessing the observed base rate
  (:func:`brier_score` of the points).
* :func:`reliability_table` -- bins of predicted chance: mean predicted, observed rate
  (Wilson interval), n (:func:`reliability_bins` of the points).
* :func:`self_score_vs_outcome` -- mean self-score of interviews that advanced vs not,
  with the difference's Welch interval (:func:`compare_self_scores` of the points).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from afterview_analysis.analytics._frames import (
    AnalysisError,
    interviews,
    scores,
    table,
)
from afterview_analysis.analytics._stats import (
    CONFIDENCE,
    t_quantile,
    welch_interval,
    wilson_interval,
)

__all__ = [
    "MIN_OUTCOMES",
    "brier_score",
    "calibration",
    "calibration_points",
    "compare_self_scores",
    "reliability_bins",
    "reliability_table",
    "self_score_vs_outcome",
]

#: Below this many resolved interviews with a prediction, calibration says "not enough
#: outcomes" (its numbers are still given, with their wide intervals).
MIN_OUTCOMES = 10

_YES = ("advanced", "offer")
_NO = ("rejected", "ghosted")


def calibration_points(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Per resolved interview: ``predicted`` (0-1, NaN if not given), ``advanced`` (0/1),
    ``outcome``, ``self_score`` (mean of its question scores; of its skill scores when no
    question was logged; NaN if neither), ``interview_id``, ``starts_at``.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> calibration_points(tiny_frames())[["interview_id", "predicted", "advanced",
    ...                                    "self_score"]].to_numpy().tolist()
    [['a', 0.3, 0, 2.0], ['b', 0.7, 1, 4.0]]
    """
    iv = interviews(frames, ["starts_at", "predicted_chance", "outcome"])
    questions = _mean_score(frames, "questions")
    skills = _mean_score(frames, "skill_scores")
    outcome = iv["outcome"].astype("str")
    out = pd.DataFrame({
        "interview_id": iv["interview_id"],
        "starts_at": iv["starts_at"],
        "outcome": outcome,
        "predicted": scores(iv["predicted_chance"]) / 100.0,
        "advanced": outcome.isin(_YES).astype("int64"),
        "self_score": iv["interview_id"].map(questions).fillna(
            iv["interview_id"].map(skills)).astype("float64"),
    })
    return out[outcome.isin(_YES + _NO)].reset_index(drop=True)


def _mean_score(frames: Mapping[str, pd.DataFrame], name: str) -> pd.Series:
    """Mean score of each interview's rows in ``frames[name]``, by interview id (the
    caller looks up the interviews of the journal)."""
    rows = table(frames, name, ["interview_id", "score"])
    return scores(rows["score"]).groupby(rows["interview_id"].astype("str"), sort=False).mean()


def calibration(frames: Mapping[str, pd.DataFrame], min_n: int = MIN_OUTCOMES) -> pd.DataFrame:
    """The Brier score of the predicted chances, with context. One row.

    Brier = mean over interviews of (predicted - advanced)^2 (0 is perfect; always saying
    50 % scores 0.25). ``brier_low``/``brier_high``: 95 % t interval of that mean.
    ``base_rate``: share that advanced; ``reference`` = base_rate * (1 - base_rate), the
    Brier score of always predicting the base rate; ``skill`` = 1 - brier / reference
    (above 0: better than that constant guess). ``diff`` = brier - reference, as the mean
    of the paired per-interview differences (your squared error minus the base rate's on
    the same interview), with its 95 % paired t interval ``diff_low``/``diff_high``.
    ``verdict``: "not enough outcomes" below ``min_n``, else "better than the base rate"
    / "worse than the base rate" when that interval lies wholly below / above 0, or "not
    clearly better than the base rate".

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> c = calibration(tiny_frames())
    >>> c[["n", "brier", "base_rate", "reference", "verdict"]].round(3).to_numpy().tolist()
    [[2, 0.09, 0.5, 0.25, 'not enough outcomes']]
    """
    return brier_score(calibration_points(frames), min_n)


def brier_score(points: pd.DataFrame, min_n: int = MIN_OUTCOMES) -> pd.DataFrame:
    """:func:`calibration` of a :func:`calibration_points` table."""
    pts = points[points["predicted"].notna()]
    n = len(pts)
    nan = math.nan
    row = {"n": n, "brier": nan, "brier_low": nan, "brier_high": nan, "base_rate": nan,
           "reference": nan, "skill": nan, "diff": nan, "diff_low": nan, "diff_high": nan,
           "min_n": min_n}
    if n:
        outcome = pts["advanced"].astype("float64")
        base = float(outcome.mean())
        sq = (pts["predicted"] - outcome) ** 2
        # the same interviews scored by the constant forecast of the base rate
        paired = sq - (base - outcome) ** 2
        row.update(brier=sq.mean(), base_rate=base, reference=base * (1 - base),
                   diff=paired.mean())
        row["skill"] = 1 - row["brier"] / row["reference"] if row["reference"] > 0 else nan
        if n >= 2:
            t = t_quantile(0.5 + CONFIDENCE / 2, n - 1)
            half = t * sq.std(ddof=1) / math.sqrt(n)
            row.update(brier_low=max(row["brier"] - half, 0.0), brier_high=row["brier"] + half)
            half = t * paired.std(ddof=1) / math.sqrt(n)
            row.update(diff_low=row["diff"] - half, diff_high=row["diff"] + half)
    if n < min_n:
        verdict = "not enough outcomes"
    elif row["diff_high"] < 0:
        verdict = "better than the base rate"
    elif row["diff_low"] > 0:
        verdict = "worse than the base rate"
    else:
        verdict = "not clearly better than the base rate"
    row["verdict"] = verdict
    return pd.DataFrame([row])


def reliability_table(frames: Mapping[str, pd.DataFrame], bins: int = 5) -> pd.DataFrame:
    """Predicted chance against what happened, in ``bins`` equal-width bins of 0-100 %.

    Columns: ``bin`` (label like "20-40 %"), ``lower``, ``upper`` (0-1), ``n``,
    ``mean_predicted``, ``observed_rate`` and its 95 % Wilson interval ``low``/``high``.
    Every bin is listed; empty bins have n = 0 and NaN rates. A prediction equal to a
    bin's upper edge falls in that bin (100 % is in the last).

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> r = reliability_table(tiny_frames(), bins=2)
    >>> r[["bin", "n", "mean_predicted", "observed_rate"]].to_numpy().tolist()
    [['0-50 %', 1, 0.3, 0.0], ['50-100 %', 1, 0.7, 1.0]]
    """
    return reliability_bins(calibration_points(frames), bins)


def reliability_bins(points: pd.DataFrame, bins: int = 5) -> pd.DataFrame:
    """:func:`reliability_table` of a :func:`calibration_points` table."""
    if isinstance(bins, bool) or not isinstance(bins, int) or not 1 <= bins <= 100:
        raise AnalysisError(f"bins = {bins!r}: must be a whole number from 1 to 100")
    pts = points[points["predicted"].notna()]
    edges = np.linspace(0.0, 1.0, bins + 1)
    # bin i holds (edge i, edge i+1]; 0 % falls in the first
    which = (np.ceil(pts["predicted"] * bins).clip(1, bins) - 1).astype("int64")
    per_bin = (pts.groupby(which)
               .agg(n=("predicted", "size"), mean_predicted=("predicted", "mean"),
                    hits=("advanced", "sum"))
               .reindex(range(bins)))
    n = per_bin["n"].fillna(0).astype("int64").to_numpy()
    hits = per_bin["hits"].fillna(0).astype("float64").to_numpy()
    low, high = wilson_interval(hits, n)
    return pd.DataFrame({
        "bin": [f"{edges[i] * 100:g}-{edges[i + 1] * 100:g} %" for i in range(bins)],
        "lower": edges[:-1], "upper": edges[1:], "n": n,
        "mean_predicted": per_bin["mean_predicted"].to_numpy(dtype="float64"),
        "observed_rate": (per_bin["hits"] / per_bin["n"]).to_numpy(dtype="float64"),
        "low": low, "high": high,
    })


def self_score_vs_outcome(
    frames: Mapping[str, pd.DataFrame], min_n: int = MIN_OUTCOMES
) -> pd.DataFrame:
    """Mean self-score of interviews that advanced vs those that did not. One row.

    Columns: ``mean_advanced``, ``n_advanced``, ``mean_not``, ``n_not``, ``diff``
    (advanced minus not) with its 95 % Welch interval ``ci_low``/``ci_high`` and ``df``,
    and ``verdict``: "not enough outcomes" when fewer than ``min_n`` in all or fewer than
    2 in a group; "higher when advancing" / "lower when advancing" when the interval
    excludes 0; "no clear difference" otherwise.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> s = self_score_vs_outcome(tiny_frames())
    >>> s[["mean_advanced", "mean_not", "diff", "verdict"]].to_numpy().tolist()
    [[4.0, 2.0, 2.0, 'not enough outcomes']]
    """
    return compare_self_scores(calibration_points(frames), min_n)


def compare_self_scores(points: pd.DataFrame, min_n: int = MIN_OUTCOMES) -> pd.DataFrame:
    """:func:`self_score_vs_outcome` of a :func:`calibration_points` table."""
    pts = points[points["self_score"].notna()]
    yes = pts.loc[pts["advanced"] == 1, "self_score"]
    no = pts.loc[pts["advanced"] == 0, "self_score"]
    w = welch_interval(yes, no)
    if len(pts) < min_n or min(len(yes), len(no)) < 2:
        verdict = "not enough outcomes"
    elif w["ci_low"] > 0:
        verdict = "higher when advancing"
    elif w["ci_high"] < 0:
        verdict = "lower when advancing"
    else:
        verdict = "no clear difference"
    return pd.DataFrame([{
        "mean_advanced": w["mean_a"], "n_advanced": w["n_a"], "mean_not": w["mean_b"],
        "n_not": w["n_b"], "diff": w["diff"], "ci_low": w["ci_low"], "ci_high": w["ci_high"],
        "df": w["df"], "verdict": verdict,
    }])
