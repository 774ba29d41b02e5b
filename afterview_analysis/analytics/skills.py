"""Skill trends, weak areas and the practice list.

An *area* is a skill of the rubric (scored once per interview) or a question category
(its score in an interview is the mean of that interview's questions in the category).
Time is the interview's start; the unit of every trend is "score points per 30 days".

* :func:`score_history` -- every dated score per area, with the rolling mean of the last
  ``window`` interviews.
* :func:`skill_trends` -- per area: n, mean, recent level (with its t interval), the
  least-squares slope per 30 days with its 95 % t interval, and a verdict
  (:func:`trends_from_history` of a history).
* :func:`weak_areas` -- skills and categories ranked weakest first (:func:`rank_areas` of
  a trends table).
* :func:`focus_next` -- the ``k`` weakest areas and the lowest-scored questions in them
  (:func:`practice_list` of a ranking).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from afterview_analysis.analytics._frames import (
    AnalysisError,
    interviews,
    rows_of_interviews,
    scores,
    table,
)
from afterview_analysis.analytics._stats import CONFIDENCE, linear_trend, t_quantile
from afterview_analysis.analytics.bank import practice_since
from afterview_analysis.rules import GOOD_PRACTICE, MIN_FOCUS_N, SKILL_ADVICE, SKILL_CATEGORIES

__all__ = [
    "FLAT_MARGIN",
    "MIN_FOCUS_N",
    "MIN_TREND_N",
    "MIN_TREND_SPAN_DAYS",
    "SCALE",
    "SKILL_ADVICE",
    "SKILL_CATEGORIES",
    "WINDOW",
    "focus_next",
    "practice_list",
    "rank_areas",
    "score_history",
    "skill_trends",
    "trends_from_history",
    "weak_areas",
]

#: A trend needs at least this many dated interviews scoring the area ...
MIN_TREND_N = 6
#: ... spread over at least this many days; below either: "not enough data".
MIN_TREND_SPAN_DAYS = 30
#: "flat" only when the whole 95 % interval of the slope lies within +/- this many points
#: per 30 days (0.05 a month is under 0.6 points a year); a wide interval that straddles
#: zero is "no clear trend", not "flat".
FLAT_MARGIN = 0.05
#: The recent level and the rolling mean use the last this many interviews of the area.
WINDOW = 5
#: Scores run from 1 to 5; an interval of a mean score is clipped to this range.
SCALE = (1.0, 5.0)

_DAYS = pd.Timedelta(days=30)
_KINDS = {"skill": ("skill_scores", "skill"), "category": ("questions", "category")}

_HISTORY_COLUMNS = {
    "kind": "category",
    "area": "category",
    "interview_id": "str",
    "at": "datetime64[us, UTC]",
    "score": "float64",
    "n_questions": "int64",
    "rolling_mean": "float64",
}
_TREND_COLUMNS = ["kind", "area", "n", "first_at", "last_at", "mean", "recent", "recent_n",
                  "recent_low", "recent_high", "slope_30d", "ci_low", "ci_high", "verdict"]


def _kinds(by: str) -> list[str]:
    if by == "both":
        return list(_KINDS)
    if by not in _KINDS:
        raise AnalysisError(f"by = {by!r}: must be 'skill', 'category' or 'both'")
    return [by]


def _check_window(window: int) -> None:
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise AnalysisError(f"window = {window!r}: must be a whole number of at least 1")


def _areas(column: pd.Series) -> pd.Categorical:
    """The area labels as a categorical: a categorical column keeps its categories (the
    journal's order), text gets its values sorted."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return pd.Categorical.from_codes(column.cat.codes,
                                         categories=column.cat.categories.astype("str"))
    return pd.Categorical(column.astype("str"))


def score_history(
    frames: Mapping[str, pd.DataFrame], by: str = "both", window: int = WINDOW
) -> pd.DataFrame:
    """Every dated score per area, oldest first, with a rolling mean.

    One row per (area, interview): ``kind`` ("skill" or "category"), ``area``,
    ``interview_id``, ``at`` (interview start, UTC), ``score`` (the skill score, or the mean
    of the interview's questions in the category), ``n_questions`` (1 for skills) and
    ``rolling_mean`` (simple moving average of this and the previous ``window - 1`` scores
    of the area). Rows are sorted by kind, area, then time (ties by interview id);
    ``kind`` and ``area`` are categoricals, as the journal's skill and category columns
    are. Scores of interviews without a start date are left out.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> h = score_history(tiny_frames(), by="skill", window=2)
    >>> h[h.area == "communication"][["score", "rolling_mean"]].to_numpy().tolist()
    [[2.0, 2.0], [3.0, 2.5], [4.0, 3.5]]
    """
    _check_window(window)
    start = interviews(frames, ["starts_at"]).set_index("interview_id")["starts_at"]
    parts = []
    for kind in _kinds(by):
        name, col = _KINDS[kind]
        src = table(frames, name, ["interview_id", col, "score"])
        ids = src["interview_id"].astype("str")
        per = (pd.DataFrame({"interview_id": ids, "area": _areas(src[col]),
                             "score": scores(src["score"]),
                             "at": start.reindex(ids).set_axis(ids.index)})
               .dropna(subset=["area", "score", "at"])  # only dated interviews of the journal
               .groupby(["area", "at", "interview_id"], observed=True)["score"]
               .agg(score="mean", n_questions="size")
               .reset_index())
        if len(per):
            parts.append(per.assign(kind=kind))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in _HISTORY_COLUMNS.items()})
    # one categorical of every area and of the kinds, so that the parts stack as they are
    areas = list(dict.fromkeys(a for p in parts for a in p["area"].cat.categories))
    kinds = pd.CategoricalDtype([p["kind"].iloc[0] for p in parts])
    out = pd.concat([p.assign(area=p["area"].cat.set_categories(areas),
                              kind=p["kind"].astype(kinds)) for p in parts],
                    ignore_index=True).astype({"interview_id": "str", "n_questions": "int64"})
    out["rolling_mean"] = (out.groupby(["kind", "area"], observed=True)["score"]
                           .rolling(window, min_periods=1).mean()
                           .droplevel(["kind", "area"]))
    return out[list(_HISTORY_COLUMNS)]


def _trend_row(area: pd.DataFrame, x: pd.Series, window: int, min_n: int,
               confidence: float) -> dict:
    """One row of :func:`trends_from_history` from one area's rows, oldest first."""
    fit = linear_trend(x[area.index], area["score"], confidence)
    recent = area["score"].tail(window)
    half = (t_quantile(0.5 + confidence / 2, len(recent) - 1) * recent.std(ddof=1)
            / math.sqrt(len(recent)) if len(recent) >= 2 else math.nan)
    span_days = (area["at"].iloc[-1] - area["at"].iloc[0]) / pd.Timedelta(days=1)
    return {
        "n": len(area), "first_at": area["at"].iloc[0], "last_at": area["at"].iloc[-1],
        "mean": area["score"].mean(), "recent": recent.mean(), "recent_n": len(recent),
        # a mean of 1-5 scores lies in 1-5: so does its interval (clipped, as said)
        "recent_low": max(recent.mean() - half, SCALE[0]),
        "recent_high": min(recent.mean() + half, SCALE[1]),
        "slope_30d": fit["slope"], "ci_low": fit["ci_low"], "ci_high": fit["ci_high"],
        "verdict": _verdict(fit, len(area), span_days, min_n),
    }


def trends_from_history(
    history: pd.DataFrame,
    window: int = WINDOW,
    min_n: int = MIN_TREND_N,
    confidence: float = CONFIDENCE,
) -> pd.DataFrame:
    """:func:`skill_trends` from a :func:`score_history` frame (sorted by area, then
    time); areas in the order they first appear."""
    _check_window(window)
    if history.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in _TREND_COLUMNS}).astype(
            {"kind": "str", "area": "str", "n": "int64", "verdict": "str"})
    x = (history["at"] - history["at"].min()) / _DAYS
    rows = [{"kind": kind, "area": area} | _trend_row(part, x, window, min_n, confidence)
            for (kind, area), part in history.groupby(["kind", "area"], sort=False,
                                                      observed=True, dropna=False)]
    out = pd.DataFrame(rows, columns=_TREND_COLUMNS)
    return out.astype({"kind": "str", "area": "str", "verdict": "str",
                       "first_at": "datetime64[us, UTC]", "last_at": "datetime64[us, UTC]"})


def _verdict(fit: dict[str, float], n: int, span_days: float, min_n: int) -> str:
    if n < min_n or span_days < MIN_TREND_SPAN_DAYS or math.isnan(fit["ci_low"]):
        return "not enough data"
    if fit["ci_low"] > 0:
        return "improving"
    if fit["ci_high"] < 0:
        return "declining"
    if max(abs(fit["ci_low"]), abs(fit["ci_high"])) <= FLAT_MARGIN:
        return "flat"
    return "no clear trend"


def skill_trends(
    frames: Mapping[str, pd.DataFrame],
    by: str = "both",
    window: int = WINDOW,
    min_n: int = MIN_TREND_N,
) -> pd.DataFrame:
    """Per area: level, recent level and the least-squares trend, with a verdict.

    Columns: ``kind``, ``area``, ``n`` (dated interviews scoring the area), ``first_at``,
    ``last_at``, ``mean``; ``recent`` = mean of the last ``window`` scores (``recent_n`` of
    them) with its 95 % t interval ``recent_low``/``recent_high``, clipped to the 1-5
    scale (:data:`SCALE`); ``slope_30d`` =
    ordinary least-squares slope of score on time, in points per 30 days, with its 95 %
    t interval (n - 2 df) ``ci_low``/``ci_high``; ``verdict``:

    * "not enough data": fewer than ``min_n`` (default :data:`MIN_TREND_N`) interviews, or
      spread over less than :data:`MIN_TREND_SPAN_DAYS` days;
    * "improving" / "declining": the whole interval is above / below zero;
    * "flat": the interval lies within +/- :data:`FLAT_MARGIN` points per 30 days;
    * "no clear trend": the interval straddles zero but is too wide to call it flat.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> t = skill_trends(tiny_frames(), by="skill", min_n=3)
    >>> print(t[["area", "n", "slope_30d", "verdict"]].to_string(index=False))
               area  n  slope_30d        verdict
    problem solving  3        0.0 no clear trend
      communication  3        1.0      improving
    """
    return trends_from_history(score_history(frames, by, window), window, min_n)


def rank_areas(trends: pd.DataFrame, by: str = "both") -> pd.DataFrame:
    """:func:`weak_areas` of a :func:`skill_trends` table."""
    kinds = _kinds(by)
    # an area seen in fewer than MIN_FOCUS_N interviews comes after every area seen more
    # often: one low score cannot outrank a weakness seen again and again
    return (trends[trends["kind"].isin(kinds)]
            .assign(_few=trends["n"] < MIN_FOCUS_N, _slope=trends["slope_30d"].fillna(0.0))
            .sort_values(["_few", "recent", "_slope", "kind", "area"], kind="stable")
            .drop(columns=["_few", "_slope"])
            .reset_index(drop=True)
            .assign(rank=lambda d: range(1, len(d) + 1)))


def weak_areas(
    frames: Mapping[str, pd.DataFrame],
    by: str = "both",
    window: int = WINDOW,
    min_n: int = MIN_TREND_N,
) -> pd.DataFrame:
    """Areas ranked weakest first: areas scored in at least :data:`MIN_FOCUS_N`
    interviews before the others (so a low score seen once does not outrank a weakness
    seen in five interviews), then by the recent level, then by slope (declining first).

    The :func:`skill_trends` columns plus ``rank`` (1 = weakest). Skills and question
    categories are ranked in one list when ``by="both"``.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> weak_areas(tiny_frames(), by="skill")["area"].tolist()
    ['problem solving', 'communication']
    """
    return rank_areas(skill_trends(frames, by, window, min_n), by)


_FOCUS_COLUMNS = ["rank", "kind", "area", "recent", "recent_n", "recent_low", "recent_high",
                  "verdict", "advice", "question", "category", "score", "latest_score",
                  "times_asked", "next_time", "company", "at", "practised_at",
                  "practice_score"]

_NO_MAP = "No kind of question is linked to this skill: note what to do differently."


def _asked(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per question text: its lowest score (the latest asking that scored it),
    its latest score, how often it was asked, the latest "next time" note."""
    when = (interviews(frames, ["company", "starts_at"]).rename(columns={"starts_at": "at"})
            .set_index("interview_id"))
    src = rows_of_interviews(frames, "questions", ["text", "category", "score", "next_time"])
    q = (pd.DataFrame({"question": src["text"].astype("category"),  # few texts, many rows
                       "category": src["category"].astype("str"),
                       "score": scores(src["score"]), "next_time": src["next_time"]})
         .join(when.reindex(src["interview_id"]).set_axis(src.index))  # its interview's
         .sort_values("at", ascending=False, kind="stable", na_position="last"))
    latest = q.groupby("question", sort=False, observed=True).agg(
        latest_score=("score", "first"), times_asked=("score", "size"),
        next_time=("next_time", "first"))
    # each question's lowest-scored asking (the latest of equals; unscored only if never
    # scored), lowest first: the few rows with the lowest score, then a sort of those
    lowest_score = q.groupby("question", observed=True)["score"].transform("min")
    lowest = (q[(q["score"] == lowest_score) | lowest_score.isna()]
              .drop_duplicates("question")
              .sort_values(["score", "at"], ascending=[True, False], na_position="last",
                           kind="stable")[["question", "category", "score", "company", "at"]])
    out = (lowest.merge(latest.reset_index(), on="question", how="left")
           .astype({"question": "str"}))
    practice = frames.get("practice")
    if practice is None or practice.empty or out.empty:
        return out.assign(practised_at=pd.NaT, practice_score=pd.NA)
    # practised well since it was last asked: after the others, in the same order
    out = out.merge(practice_since(frames)[["question", "practised_at", "practice_score"]],
                    on="question", how="left")
    well = out["practice_score"].fillna(0).ge(GOOD_PRACTICE).to_numpy()
    return out.iloc[well.argsort(kind="stable")].reset_index(drop=True)


def practice_list(
    frames: Mapping[str, pd.DataFrame], weak: pd.DataFrame, k: int = 3, per_area: int = 3,
    by: str = "skill",
) -> pd.DataFrame:
    """:func:`focus_next` from a :func:`weak_areas` ranking of ``frames``."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise AnalysisError(f"k = {k!r}: must be a whole number of at least 1")
    table(frames, "questions", ["interview_id", "text", "category", "score", "next_time"])
    top = rank_areas(weak, by).head(k).assign(rank=lambda d: range(1, len(d) + 1))
    asked = _asked(frames)
    picked, used = [], set()
    for _, area in top.iterrows():
        if area["kind"] == "category":
            mine = asked[asked["category"] == area["area"]]
        else:
            mine = asked[asked["category"].isin(SKILL_CATEGORIES.get(area["area"], ()))]
        # lowest score first (unscored last), then the newest; a question once in the list
        chosen = mine[~mine["question"].isin(used)].head(per_area)
        used.update(chosen["question"])
        picked.append(chosen.assign(rank=area["rank"]))
    chosen = pd.concat([pd.DataFrame(columns=["rank", *_FOCUS_COLUMNS[9:]]), *picked],
                       ignore_index=True)
    advice = top.apply(lambda a: "" if a["kind"] == "category" else SKILL_ADVICE.get(
        a["area"], "" if SKILL_CATEGORIES.get(a["area"]) else _NO_MAP), axis=1)
    out = top[_FOCUS_COLUMNS[:8]].assign(advice=advice if len(top) else "").merge(
        chosen, on="rank", how="left")
    return out.astype({"rank": "int64", "advice": "str", "question": "str", "category": "str",
                       "score": "Int64", "latest_score": "Int64", "times_asked": "Int64",
                       "next_time": "str", "company": "str",
                       "at": "datetime64[us, UTC]", "practised_at": "datetime64[us, UTC]",
                       "practice_score": "Int64"})[_FOCUS_COLUMNS]


def focus_next(
    frames: Mapping[str, pd.DataFrame],
    k: int = 3,
    per_area: int = 3,
    by: str = "skill",
    window: int = WINDOW,
) -> pd.DataFrame:
    """A practice list: the ``k`` weakest areas and, in each, the lowest-scored questions.

    One row per (area, question): ``rank`` and ``area`` (from :func:`weak_areas`),
    ``recent`` (mean of the last ``window`` scores), its ``recent_n`` and 95 % t interval
    ``recent_low``/``recent_high``, and ``verdict`` of the area, then ``question``,
    ``advice`` (for a skill no kind of question practises), ``question``, ``category``,
    ``score`` (its lowest, at ``company`` on ``at``, the latest such asking),
    ``latest_score``, ``times_asked``, ``next_time`` (the latest "what to say next time"
    note). The questions of a *category* are its own; the questions of a *skill* come
    from the kinds of question that practise it (:data:`SKILL_CATEGORIES`, declared).
    Lowest score first, most recent first among equals; practice is taken into account:
    ``practised_at`` and ``practice_score`` are the latest practice of the question (its
    bank group, :func:`~afterview_analysis.analytics.bank.practice_since`) since it was
    last asked, and a question whose practice self-score is at least
    ``rules.GOOD_PRACTICE`` goes after the others of its area (the areas' ranking stays
    that of the interview scores). Each question text appears once in the whole list.
    Questions and scores whose interview is not in ``frames["interviews"]`` are left out.
    An area with no question still gets one row with empty question fields.

    The default ranks the rubric's skills (``by="skill"``): they are the user's own words
    for what to work on; ``by="both"`` mixes in question categories.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> f = focus_next(tiny_frames(), k=1, per_area=1)
    >>> f[["area", "question", "score"]].to_numpy().tolist()
    [['problem solving', 'Design a cache', 1]]
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise AnalysisError(f"k = {k!r}: must be a whole number of at least 1")
    return practice_list(frames, weak_areas(frames, by, window), k, per_area, by)
