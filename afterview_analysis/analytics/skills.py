"""Skill trends, weak areas and the practice list.

An *area* is a skill of the rubric (scored once per interview) or a question category
(its score in an interview is the mean of that interview's questions in the category).
Time is the interview's start; the unit of every trend is "score points per 30 days".

* :func:`score_history` -- every dated score per area, with the rolling mean of the last
  ``window`` interviews.
* :func:`skill_trends` -- per area: n, mean, recent level (with its t interval), the
  least-squares slope per 30 days with its 95 % t interval, and a verdict.
* :func:`weak_areas` -- skills and categories ranked weakest first.
* :func:`focus_next` -- the ``k`` weakest areas and the lowest-scored questions in them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from afterview_analysis.analytics._frames import AnalysisError, table, utc
from afterview_analysis.analytics._stats import CONFIDENCE, t_quantile, trend_from_sums

__all__ = [
    "FLAT_MARGIN",
    "MIN_TREND_N",
    "MIN_TREND_SPAN_DAYS",
    "WINDOW",
    "focus_next",
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

_DAYS = 30.0
_KINDS = ("skill", "category")

_HISTORY_COLUMNS = {
    "kind": "str",
    "area": "str",
    "interview_id": "str",
    "at": "datetime64[us, UTC]",
    "score": "float64",
    "n_questions": "int64",
    "rolling_mean": "float64",
}


def _kinds(by: str) -> tuple[str, ...]:
    if by == "both":
        return _KINDS
    if by not in _KINDS:
        raise AnalysisError(f"by = {by!r}: must be 'skill', 'category' or 'both'")
    return (by,)


def _check_window(window: int) -> None:
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise AnalysisError(f"window = {window!r}: must be a whole number of at least 1")


def _when(frames: Mapping[str, pd.DataFrame]) -> tuple[pd.Index, np.ndarray]:
    iv = table(frames, "interviews", ["id", "starts_at"])
    ids = pd.Index(iv["id"].astype("str").to_numpy())
    at = utc(iv["starts_at"]).to_numpy(dtype="datetime64[us]")
    return ids, at


def _long(
    kind: str, names: list[str], pos: np.ndarray, code: np.ndarray, score: np.ndarray,
    count: np.ndarray, ids: pd.Index, at: np.ndarray, window: int,
) -> pd.DataFrame:
    """Sort per-(interview, area) scores by area then time; add the rolling mean."""
    when = at[pos]
    # ties in time are broken by interview id; ranking the ids once lets the sort
    # compare integers instead of strings
    id_rank = np.empty(len(ids), dtype=np.int64)
    id_rank[np.argsort(ids.to_numpy(), kind="stable")] = np.arange(len(ids))
    order = np.lexsort((id_rank[pos], when, code))
    pos, code, score, count = pos[order], code[order], score[order], count[order]
    when = when[order]
    n = len(code)
    idx = np.arange(n)
    is_start = np.ones(n, dtype=bool)
    if n:
        is_start[1:] = code[1:] != code[:-1]
    start = np.maximum.accumulate(np.where(is_start, idx, 0)) if n else idx
    lo = np.maximum(start, idx + 1 - window)
    cs = np.concatenate([[0.0], np.cumsum(score)])
    rolling = (cs[idx + 1] - cs[lo]) / (idx + 1 - lo) if n else score
    return pd.DataFrame(
        {
            "kind": pd.Series(np.full(n, kind, dtype=object), dtype="str"),
            "area": pd.Series(np.asarray(names, dtype=object)[code], dtype="str")
            if n else pd.Series([], dtype="str"),
            "interview_id": pd.Series(ids.to_numpy()[pos], dtype="str"),
            "at": pd.Series(when, dtype="datetime64[us]").dt.tz_localize("UTC"),
            "score": score.astype(float),
            "n_questions": count.astype("int64"),
            "rolling_mean": rolling.astype(float),
        }
    )


def score_history(
    frames: Mapping[str, pd.DataFrame], by: str = "both", window: int = WINDOW
) -> pd.DataFrame:
    """Every dated score per area, oldest first, with a rolling mean.

    One row per (area, interview): ``kind`` ("skill" or "category"), ``area``,
    ``interview_id``, ``at`` (interview start, UTC), ``score`` (the skill score, or the mean
    of the interview's questions in the category), ``n_questions`` (1 for skills) and
    ``rolling_mean`` (simple moving average of this and the previous ``window - 1`` scores
    of the area). Scores of interviews without a start date are left out.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> h = score_history(tiny_frames(), by="skill", window=2)
    >>> h[h.area == "communication"][["score", "rolling_mean"]].to_numpy().tolist()
    [[2.0, 2.0], [3.0, 2.5], [4.0, 3.5]]
    """
    _check_window(window)
    ids, at = _when(frames)
    parts = []
    for kind in _kinds(by):
        if kind == "skill":
            ss = table(frames, "skill_scores", ["interview_id", "skill", "score"])
            key, names_src = ss["skill"], ss["skill"]
            scores = ss["score"]
        else:
            qs = table(frames, "questions", ["interview_id", "category", "score"])
            key, names_src = qs["category"], qs["category"]
            scores = qs["score"]
        src = table(frames, "skill_scores" if kind == "skill" else "questions", ["interview_id"])
        pos = ids.get_indexer(src["interview_id"].astype("str").to_numpy())
        if isinstance(names_src.dtype, pd.CategoricalDtype):
            names = [str(c) for c in names_src.cat.categories]
            code = key.cat.codes.to_numpy()
        else:
            code, uniques = pd.factorize(key.astype("str"), sort=True)
            names = [str(u) for u in uniques]
        y = pd.to_numeric(scores, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        ok = (pos >= 0) & (code >= 0) & ~np.isnan(y)
        if len(pos):
            ok &= ~np.isnat(at[np.where(pos >= 0, pos, 0)]) if len(at) else False
        pos, code, y = pos[ok], code[ok], y[ok]
        # one score per (interview, area): the mean over the interview's rows
        k = max(len(names), 1)
        key2 = pos.astype(np.int64) * k + code
        uniq, inverse = np.unique(key2, return_inverse=True)
        sums = np.bincount(inverse, weights=y, minlength=len(uniq))
        counts = np.bincount(inverse, minlength=len(uniq))
        mean = sums / np.maximum(counts, 1)
        code = (uniq % k).astype(np.int64)
        parts.append(_long(kind, names, uniq // k, code, mean, counts, ids, at, window))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return out.astype(_HISTORY_COLUMNS) if len(out) else _empty_history()


def _empty_history() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in _HISTORY_COLUMNS.items()})


def trends_from_history(
    history: pd.DataFrame,
    window: int = WINDOW,
    min_n: int = MIN_TREND_N,
    confidence: float = CONFIDENCE,
) -> pd.DataFrame:
    """:func:`skill_trends` from a :func:`score_history` frame (sorted by area, then time)."""
    _check_window(window)
    cols = [
        "kind", "area", "n", "first_at", "last_at", "mean", "recent", "recent_n",
        "recent_low", "recent_high", "slope_30d", "ci_low", "ci_high", "verdict",
    ]
    if history.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols}).astype(
            {"kind": "str", "area": "str", "n": "int64", "verdict": "str"}
        )
    # one integer per (kind, area) pair, in order of first appearance: each column is
    # factorized on its own and the two codes combined (much cheaper than factorizing
    # a MultiIndex of strings)
    kind_code, kinds = pd.factorize(history["kind"].astype("str"))
    area_code, areas = pd.factorize(history["area"].astype("str"))
    code, pairs = pd.factorize(kind_code.astype("int64") * len(areas) + area_code)
    uniques = [(kinds[p // len(areas)], areas[p % len(areas)]) for p in pairs]
    g = len(uniques)
    y = history["score"].to_numpy(dtype=float)
    at = history["at"].to_numpy(dtype="datetime64[us]")
    x = (at - at.min()).astype("int64") / (86_400e6 * _DAYS)
    n = np.bincount(code, minlength=g)
    mx = np.bincount(code, weights=x, minlength=g) / n
    my = np.bincount(code, weights=y, minlength=g) / n
    xc, yc = x - mx[code], y - my[code]
    cxx = np.bincount(code, weights=xc * xc, minlength=g)
    cxy = np.bincount(code, weights=xc * yc, minlength=g)
    cyy = np.bincount(code, weights=yc * yc, minlength=g)
    order = np.arange(len(code))
    first_idx = pd.Series(order).groupby(code).min().to_numpy()
    last_idx = pd.Series(order).groupby(code).max().to_numpy()
    first, last = at[first_idx], at[last_idx]
    # recent: the last `window` rows of each group (history is sorted by time per area)
    rank_from_end = last_idx[code] - order
    recent_rows = rank_from_end < window
    rn = np.bincount(code[recent_rows], minlength=g)
    rsum = np.bincount(code[recent_rows], weights=y[recent_rows], minlength=g)
    rmean = rsum / np.maximum(rn, 1)
    rdev = y[recent_rows] - rmean[code[recent_rows]]
    rss = np.bincount(code[recent_rows], weights=rdev * rdev, minlength=g)
    rows = []
    for i, (kind, area) in enumerate(uniques):
        fit = trend_from_sums(
            int(n[i]), 0.0, 0.0, float(cxx[i]), float(cxy[i]), float(cyy[i]), confidence
        )
        span_days = (last[i] - first[i]).astype("int64") / 86_400e6
        if rn[i] >= 2:
            half = t_quantile(0.5 + confidence / 2, rn[i] - 1) * math.sqrt(
                rss[i] / (rn[i] - 1) / rn[i]
            )
        else:
            half = math.nan
        rows.append(
            {
                "kind": kind, "area": area, "n": int(n[i]),
                "first_at": first[i], "last_at": last[i], "mean": float(my[i]),
                "recent": float(rmean[i]), "recent_n": int(rn[i]),
                "recent_low": float(rmean[i]) - half, "recent_high": float(rmean[i]) + half,
                "slope_30d": fit["slope"], "ci_low": fit["ci_low"], "ci_high": fit["ci_high"],
                "verdict": _verdict(fit, int(n[i]), span_days, min_n),
            }
        )
    out = pd.DataFrame(rows, columns=cols)
    out["first_at"] = pd.to_datetime(out["first_at"]).dt.tz_localize("UTC")
    out["last_at"] = pd.to_datetime(out["last_at"]).dt.tz_localize("UTC")
    return out.astype({"kind": "str", "area": "str", "verdict": "str"})


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
    them) with its 95 % t interval ``recent_low``/``recent_high``; ``slope_30d`` =
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


def weak_areas(
    frames: Mapping[str, pd.DataFrame],
    by: str = "both",
    window: int = WINDOW,
    min_n: int = MIN_TREND_N,
    *,
    trends: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Areas ranked weakest first: by recent level, then by slope (declining first).

    The :func:`skill_trends` columns plus ``rank`` (1 = weakest). Skills and question
    categories are ranked in one list when ``by="both"``. Pass ``trends`` to reuse a
    :func:`skill_trends` result.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> weak_areas(tiny_frames(), by="skill")["area"].tolist()
    ['problem solving', 'communication']
    """
    t = skill_trends(frames, by, window, min_n) if trends is None else trends
    if by != "both":
        t = t[t["kind"] == by]
    slope = t["slope_30d"].fillna(0.0)
    out = (
        t.assign(_slope=slope)
        .sort_values(["recent", "_slope", "kind", "area"], kind="stable")
        .drop(columns="_slope")
        .reset_index(drop=True)
    )
    return out.assign(rank=np.arange(1, len(out) + 1))


def focus_next(
    frames: Mapping[str, pd.DataFrame],
    k: int = 3,
    per_area: int = 3,
    by: str = "skill",
    window: int = WINDOW,
    *,
    weak: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """A practice list: the ``k`` weakest areas and, in each, the lowest-scored questions.

    One row per (area, question): ``rank`` and ``area`` (from :func:`weak_areas`),
    ``recent`` (mean of the last ``window`` scores), its ``recent_n`` and 95 % t interval
    ``recent_low``/``recent_high``, and ``verdict`` of the area, then ``question``,
    ``category``, ``score``,
    ``next_time`` (the "what to say next time" note), ``company`` and ``at``. The
    questions of a *category* are its own questions; the questions of a *skill* are those
    asked in the interviews where the skill scored lowest (the skill is scored per
    interview, not per question). Lowest score first, most recent first among equals;
    a question text appears once per area (its latest asking). An area with no question
    still gets one row with empty question fields.

    The default ranks the rubric's skills (``by="skill"``): they are the user's own words
    for what to work on; ``by="both"`` mixes in question categories.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> f = focus_next(tiny_frames(), k=1, per_area=1)
    >>> f[["area", "question", "score"]].to_numpy().tolist()
    [['problem solving', 'Design a cache', 1]]
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise AnalysisError(f"k = {k!r}: must be a whole number of at least 1")
    weak = weak_areas(frames, by, window) if weak is None else weak
    weak = weak[weak["kind"] == by] if by != "both" else weak
    top = weak.head(k)
    qs = table(
        frames, "questions", ["interview_id", "text", "category", "score", "next_time"]
    )
    iv = table(frames, "interviews", ["id", "company", "starts_at"])
    info = iv.set_index(iv["id"].astype("str"))[["company", "starts_at"]]
    q = qs.assign(
        interview_id=qs["interview_id"].astype("str"), category=qs["category"].astype("str")
    )
    q = q.join(info, on="interview_id")
    ss = table(frames, "skill_scores", ["interview_id", "skill", "score"])
    rows = []
    for rank, (_, area) in enumerate(top.iterrows(), start=1):
        if area["kind"] == "category":
            pick = q[q["category"] == area["area"]]
        else:
            own = ss[ss["skill"].astype("str") == area["area"]]
            low = pd.to_numeric(own["score"], errors="coerce")
            worst = own.loc[low == low.min(), "interview_id"].astype("str") if len(own) else []
            pick = q[q["interview_id"].isin(set(worst))]
        pick = (
            pick.assign(_score=pd.to_numeric(pick["score"], errors="coerce"))
            .sort_values(["_score", "starts_at"], ascending=[True, False], kind="stable")
            .drop_duplicates("text")
            .head(per_area)
        )
        base = {
            "rank": rank, "kind": area["kind"], "area": area["area"],
            "recent": area["recent"], "recent_n": area["recent_n"],
            "recent_low": area["recent_low"], "recent_high": area["recent_high"],
            "verdict": area["verdict"],
        }
        if pick.empty:
            rows.append(base | dict.fromkeys(
                ["question", "category", "score", "next_time", "company", "at"]))
        for _, qrow in pick.iterrows():
            rows.append(base | {
                "question": qrow["text"], "category": qrow["category"],
                "score": _int_or_none(qrow["score"]),
                "next_time": None if pd.isna(qrow["next_time"]) else qrow["next_time"],
                "company": qrow["company"], "at": qrow["starts_at"],
            })
    cols = ["rank", "kind", "area", "recent", "recent_n", "recent_low", "recent_high",
            "verdict", "question", "category", "score", "next_time", "company", "at"]
    out = pd.DataFrame(rows, columns=cols)
    out["score"] = out["score"].astype("Int64")
    return out


def _int_or_none(value: object) -> int | None:
    try:
        return None if pd.isna(value) else int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
