"""The question bank as tables: askings, groups, scores per theme, and what practice did.

The grouping itself lives one floor down (:mod:`afterview_analysis.questions`, plain
Python, so the prep sheet needs no pandas); these functions take the frames of
``Journal.frames()`` and return new DataFrames.

* :func:`bank_askings` -- every asking with its group, similarity and theme.
* :func:`theme_scores` -- the mean score per theme with n and a 95 % t interval.
* :func:`practice_effect` -- did practised questions score better than unpractised ones of
  the same category? A stratified difference in means with n and a 95 % interval, or
  "not enough data".
* :func:`practice_since` -- per question, its latest practice since it was last asked
  (what "focus next" reads to put a question practised well after the others).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from afterview_analysis import questions as qb
from afterview_analysis.analytics._frames import table
from afterview_analysis.analytics._stats import CONFIDENCE, t_quantile

__all__ = [
    "MIN_PRACTISED",
    "askings_frame",
    "bank_askings",
    "practice_effect",
    "practice_since",
    "theme_scores",
]

#: The practice comparison needs at least this many askings on each side ...
MIN_PRACTISED = 5


def _records(df: pd.DataFrame) -> list[dict]:
    return df.to_dict("records")


def bank_askings(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Every asking, oldest first: ``id``, ``text``, ``category``, ``score``, ``answer``,
    ``next_time``, ``company``, ``stage``, ``at``, ``group``, ``similarity`` (to the
    group's first wording), ``pinned`` (the user put it there) and ``theme``.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> bank_askings(tiny_frames())[["text", "group", "theme"]].shape[0]
    5
    """
    qs = table(frames, "questions", ["id", "interview_id", "text", "category", "score"])
    iv = table(frames, "interviews", ["id", "company", "stage", "starts_at"])
    pins = frames.get("question_pins")
    rows = qb.askings(_records(qs), _records(iv), [] if pins is None else _records(pins))
    return askings_frame(rows)


def askings_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows of :func:`afterview_analysis.questions.askings` as the frame
    :func:`bank_askings` gives (to reuse a grouping already made)."""
    cols = ["id", "interview_id", "text", "category", "score", "answer", "next_time",
            "company", "stage", "at", "group", "similarity", "pinned", "theme"]
    out = pd.DataFrame(rows, columns=cols)
    return out.astype({"score": "Int64", "similarity": "float64", "pinned": "bool"})


def _mean_interval(values: np.ndarray, confidence: float = CONFIDENCE) -> tuple[float, ...]:
    n = len(values)
    if n == 0:
        return 0, math.nan, math.nan, math.nan
    mean = float(values.mean())
    if n < 2:
        return n, mean, math.nan, math.nan
    half = t_quantile(0.5 + confidence / 2, n - 1) * float(values.std(ddof=1)) / math.sqrt(n)
    return n, mean, max(mean - half, 1.0), min(mean + half, 5.0)


def theme_scores(
    frames: Mapping[str, pd.DataFrame], askings: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per theme (in the order of :data:`~afterview_analysis.questions.THEMES`, then
    "other"): ``n`` askings, ``mean`` score and its 95 % t interval (Student's t, n - 1
    degrees of freedom) ``low``/``high``, clipped to the 1-5 scale (a score cannot lie
    outside it); NaN interval below 2 askings. Themes never asked
    are left out.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> theme_scores(tiny_frames())["n"].sum()
    np.int64(5)
    """
    a = bank_askings(frames) if askings is None else askings
    rows = []
    for theme in (*qb.THEMES, "other"):
        scores = pd.to_numeric(a.loc[a["theme"] == theme, "score"]).to_numpy(
            dtype=float, na_value=np.nan)
        scores = scores[~np.isnan(scores)]
        if len(scores):
            n, mean, low, high = _mean_interval(scores)
            rows.append({"theme": theme, "n": n, "mean": mean, "low": low, "high": high})
    return pd.DataFrame(rows, columns=["theme", "n", "mean", "low", "high"]).astype(
        {"n": "int64"})


def _practised_before(frames: Mapping[str, pd.DataFrame], a: pd.DataFrame) -> pd.Series:
    """Per asking: was its question practised before the interview?"""
    practice = frames.get("practice")
    if practice is None or practice.empty or a.empty:
        return pd.Series(False, index=a.index)
    first = practice.groupby("group_id")["practised_at"].min()
    when = a["group"].map(first)
    at = pd.to_datetime(a["at"], utc=True)
    return (when.notna() & (pd.to_datetime(when, utc=True) < at)).astype(bool)


def practice_effect(
    frames: Mapping[str, pd.DataFrame],
    min_n: int = MIN_PRACTISED,
    confidence: float = CONFIDENCE,
    askings: pd.DataFrame | None = None,
) -> dict:
    """Did questions practised before an interview score better there than unpractised
    questions of the same category?

    Each asking is *practised* when its question (its bank group) has a practice record
    dated before the interview started. Within each category that has at least 2
    askings of each kind, the difference of mean scores (practised minus unpractised);
    overall, the stratified difference: the mean of the categories' differences weighted
    by ``n1 * n0 / (n1 + n0)`` (the Cochran-Mantel-Haenszel weights), with a normal
    approximation 95 % interval from the categories' sample variances. Returns ``diff``,
    ``low``, ``high``; ``n_practised`` and ``n_unpractised`` (every scored asking),
    ``n_compared_practised`` and ``n_compared_unpractised`` (those in the categories
    compared); ``n_practice`` (practice records in ``frames``); ``categories`` (a
    DataFrame per category) and ``verdict``: "practised questions scored higher", "...
    lower", "no clear difference", or "not enough data" (fewer than ``min_n`` askings on either
    side in the categories compared). Pass ``askings`` (from :func:`bank_askings`) to
    reuse a grouping already made.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> practice_effect(tiny_frames())["verdict"]
    'not enough data'
    """
    a = bank_askings(frames) if askings is None else askings
    a = a.assign(practised=_practised_before(frames, a),
                 score=pd.to_numeric(a["score"]).astype(float))
    rows = []
    for category, part in a.groupby("category", sort=True, observed=True):
        yes = part.loc[part["practised"], "score"].dropna().to_numpy()
        no = part.loc[~part["practised"], "score"].dropna().to_numpy()
        if len(yes) >= 2 and len(no) >= 2:
            rows.append({
                "category": category, "n_practised": len(yes), "mean_practised": yes.mean(),
                "n_unpractised": len(no), "mean_unpractised": no.mean(),
                "diff": yes.mean() - no.mean(),
                "var": yes.var(ddof=1) / len(yes) + no.var(ddof=1) / len(no),
                "weight": len(yes) * len(no) / (len(yes) + len(no)),
            })
    cats = pd.DataFrame(rows, columns=["category", "n_practised", "mean_practised",
                                       "n_unpractised", "mean_unpractised", "diff", "var",
                                       "weight"])
    n1, n0 = int(cats["n_practised"].sum()), int(cats["n_unpractised"].sum())
    scored = a.dropna(subset=["score"])
    out = {"diff": math.nan, "low": math.nan, "high": math.nan,
           "n_practised": int(scored["practised"].sum()),
           "n_unpractised": int((~scored["practised"]).sum()),
           "n_compared_practised": n1, "n_compared_unpractised": n0,
           "n_practice": len(frames.get("practice", ())),
           "categories": cats.drop(columns=["var", "weight"]), "verdict": "not enough data"}
    if n1 < min_n or n0 < min_n:
        return out
    w = cats["weight"].to_numpy()
    diff = float((w * cats["diff"]).sum() / w.sum())
    se = float(math.sqrt((w * w * cats["var"]).sum()) / w.sum())
    z = _normal_quantile(0.5 + confidence / 2)
    low, high = diff - z * se, diff + z * se
    verdict = ("practised questions scored higher" if low > 0 else
               "practised questions scored lower" if high < 0 else "no clear difference")
    out.update(diff=diff, low=low, high=high, verdict=verdict)
    return out


def _normal_quantile(p: float) -> float:
    """The standard normal quantile (bisection on erf; exact enough for intervals)."""
    lo, hi = -10.0, 10.0
    for _ in range(100):
        mid = (lo + hi) / 2
        if 0.5 * (1 + math.erf(mid / math.sqrt(2))) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def practice_since(
    frames: Mapping[str, pd.DataFrame], askings: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per question text: its bank ``group`` (that of its latest asking), ``last_asked``
    (the group's latest interview), and the latest practice of the group since then:
    ``practised_at`` (NaT when none) and ``practice_score`` (its 1-5 self-score). "Focus
    next" (:func:`~afterview_analysis.analytics.skills.focus_next`) puts a question whose
    ``practice_score`` is at least ``rules.GOOD_PRACTICE`` after the others of its area.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> practice_since(tiny_frames())["practised_at"].isna().all()
    np.True_
    """
    a = bank_askings(frames) if askings is None else askings
    last_asked = (pd.to_datetime(a["at"], utc=True).groupby(a["group"]).max()
                  .rename("last_asked").reset_index())
    out = (a.drop_duplicates("text", keep="last")[["text", "group"]]
           .rename(columns={"text": "question"})
           .merge(last_asked, on="group", how="left"))
    practice = frames.get("practice")
    if practice is None or practice.empty:
        return out.assign(practised_at=pd.Series(pd.NaT, index=out.index,
                                                 dtype="datetime64[us, UTC]"),
                          practice_score=pd.Series(pd.NA, index=out.index, dtype="Int64"))
    latest = (practice.assign(practised_at=pd.to_datetime(practice["practised_at"], utc=True))
              .rename(columns={"group_id": "group", "score": "practice_score"})
              .merge(last_asked, on="group", how="inner")
              .loc[lambda d: d["practised_at"] > d["last_asked"]]
              .sort_values(["group", "practised_at"], kind="stable")
              .drop_duplicates("group", keep="last")[["group", "practised_at",
                                                      "practice_score"]])
    out = out.merge(latest, on="group", how="left")
    return out.astype({"practised_at": "datetime64[us, UTC]", "practice_score": "Int64"})
