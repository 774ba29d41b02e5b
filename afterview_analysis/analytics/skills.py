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

from afterview_analysis.analytics._frames import AnalysisError, as_utc, table, utc64
from afterview_analysis.analytics._keys import (
    codes,
    equals,
    interview_index,
    positions,
    take_or_missing,
)
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
    "kind": "category",
    "area": "category",
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


def _time_rank(ids: pd.Index, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dated interviews in time order, ties broken by id: ``order`` lists their positions
    and ``rank[pos]`` is each one's place in it (-1 for an interview without a date)."""
    dated = np.flatnonzero(~np.isnat(at))
    order = dated[np.argsort(at[dated], kind="stable")]
    t = at[order]
    tie = np.flatnonzero(t[1:] == t[:-1])
    if len(tie):
        # only the interviews that share a start need their ids compared
        slots = np.union1d(tie, tie + 1)
        sub = order[slots]
        by_id = np.argsort(np.argsort(ids.to_numpy()[sub], kind="stable"), kind="stable")
        order[slots] = sub[np.lexsort((by_id, t[slots]))]
    rank = np.full(len(at), -1, dtype=np.int64)
    rank[order] = np.arange(len(order))
    return order, rank


def _per_interview_means(
    rank: np.ndarray, code: np.ndarray, y: np.ndarray, m: int, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Mean and count of ``y`` per (area code, interview time rank), sorted by area, then
    time: returns (code, rank, mean, count) of the pairs that have a score."""
    key = code * m + rank
    if k * m <= 4 * len(key) + 1_000_000:  # dense: a count per possible pair, no sort
        counts = np.bincount(key, minlength=k * m)
        hit = np.flatnonzero(counts)
        sums = np.bincount(key, weights=y, minlength=k * m)[hit]
        counts = counts[hit]
    else:
        hit, inverse = np.unique(key, return_inverse=True)
        sums = np.bincount(inverse, weights=y, minlength=len(hit))
        counts = np.bincount(inverse, minlength=len(hit))
    return hit // m, hit % m, sums / counts, counts


def _long(
    code: np.ndarray, pos: np.ndarray, score: np.ndarray, count: np.ndarray, window: int
) -> dict[str, np.ndarray]:
    """Per-(interview, area) scores, already sorted by area then time, with the rolling
    mean of the last ``window`` scores of the area (areas and interviews as codes)."""
    n = len(code)
    idx = np.arange(n)
    is_start = np.ones(n, dtype=bool)
    if n:
        is_start[1:] = code[1:] != code[:-1]
    start = np.maximum.accumulate(np.where(is_start, idx, 0)) if n else idx
    lo = np.maximum(start, idx + 1 - window)
    cs = np.concatenate([[0.0], np.cumsum(score)])
    rolling = (cs[idx + 1] - cs[lo]) / (idx + 1 - lo) if n else score
    return {"area": code, "interview_id": pos, "score": score.astype(float),
            "n_questions": count.astype("int64"), "rolling_mean": rolling.astype(float)}


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
    iv = table(frames, "interviews", ["id", "starts_at"])
    ids = interview_index(frames)
    at = utc64(iv["starts_at"])
    order, rank = _time_rank(ids, at)
    parts = []
    for kind in _kinds(by):
        name, col = ("skill_scores", "skill") if kind == "skill" else ("questions", "category")
        src = table(frames, name, ["interview_id", col, "score"])
        pos = positions(frames, name)
        code, labels = codes(src[col], sort=True)
        names = [str(label) for label in labels]
        y = pd.to_numeric(src["score"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        r = take_or_missing(rank, pos, -1)
        ok = (pos >= 0) & (r >= 0) & (code >= 0) & ~np.isnan(y)
        code, r, mean, count = _per_interview_means(r[ok], code[ok], y[ok], len(order),
                                                    len(names))
        parts.append((kind, names, _long(code, order[r], mean, count, window)))
    return _labelled(parts, ids, at)


def _labelled(
    parts: list[tuple[str, list[str], dict[str, np.ndarray]]], ids: pd.Index, at: np.ndarray
) -> pd.DataFrame:
    """One history frame from each kind's columns (areas and interviews still as integer
    codes): ``kind`` and ``area`` become categoricals, ``interview_id`` the ids as text,
    ``at`` the interview's start."""
    parts = [p for p in parts if len(p[2]["area"])]
    if not parts:
        return _empty_history()
    areas = list(dict.fromkeys(a for _, names, _ in parts for a in names))
    where = {a: i for i, a in enumerate(areas)}
    kinds = [kind for kind, _, _ in parts]
    area = np.concatenate([np.array([where[a] for a in names], dtype=np.int64)[cols["area"]]
                           for _, names, cols in parts])
    pos = np.concatenate([cols["interview_id"] for _, _, cols in parts])
    return pd.DataFrame({
        "kind": pd.Categorical.from_codes(
            np.repeat(np.arange(len(parts)), [len(cols["area"]) for _, _, cols in parts]),
            kinds),
        "area": pd.Categorical.from_codes(area, areas),
        "interview_id": pd.Series(ids.take(pos)),
        "at": as_utc(at[pos]),
        **{c: np.concatenate([cols[c] for _, _, cols in parts])
           for c in ("score", "n_questions", "rolling_mean")},
    }, copy=False)  # the arrays are new: no need to copy them again


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
    # coded on its own (free for the categoricals score_history gives) and the two
    # codes combined, much cheaper than factorizing pairs of strings
    kind_code, kinds = codes(history["kind"])
    area_code, areas = codes(history["area"])
    code, pairs = pd.factorize(kind_code * len(areas) + area_code)
    uniques = [(str(kinds[p // len(areas)]), str(areas[p % len(areas)])) for p in pairs]
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
    quantile: dict[int, float] = {}
    for i, (kind, area) in enumerate(uniques):
        fit = trend_from_sums(
            int(n[i]), 0.0, 0.0, float(cxx[i]), float(cxy[i]), float(cyy[i]), confidence
        )
        span_days = (last[i] - first[i]).astype("int64") / 86_400e6
        if rn[i] >= 2:
            if rn[i] not in quantile:  # most areas have a full window: one df for all
                quantile[rn[i]] = t_quantile(0.5 + confidence / 2, rn[i] - 1)
            half = quantile[rn[i]] * math.sqrt(
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
    a question text appears once per area (its latest asking). Questions and scores
    whose interview is not in ``frames["interviews"]`` are left out, as they are from the
    history. An area with no question still gets one row with empty question fields.

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
    q_pos = positions(frames, "questions")
    q_score = pd.to_numeric(qs["score"], errors="coerce").to_numpy(dtype=float,
                                                                    na_value=np.nan)
    iv_at = utc64(iv["starts_at"])
    # newest first, undated last: the order among questions of equal score
    recency = np.where(np.isnat(iv_at), np.iinfo(np.int64).max, -iv_at.astype(np.int64))
    q_recency = take_or_missing(recency, q_pos, np.iinfo(np.int64).max)
    text = qs["text"].to_numpy()
    category = qs["category"]
    ss = table(frames, "skill_scores", ["interview_id", "skill", "score"])
    low = pd.to_numeric(ss["score"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    rows = []
    for rank, (_, area) in enumerate(top.iterrows(), start=1):
        if area["kind"] == "category":
            pick = np.flatnonzero(equals(category, area["area"]) & (q_pos >= 0))
        else:
            # the questions of the interviews where the skill scored lowest
            s_pos = positions(frames, "skill_scores")
            own = equals(ss["skill"], area["area"]) & (s_pos >= 0)
            worst = np.zeros(len(iv), dtype=bool)
            if own.any() and not np.isnan(low[own]).all():
                worst[s_pos[own & (low == np.nanmin(low[own]))]] = True
            pick = np.flatnonzero(take_or_missing(worst, q_pos, False))
        base = {
            "rank": rank, "kind": area["kind"], "area": area["area"],
            "recent": area["recent"], "recent_n": area["recent_n"],
            "recent_low": area["recent_low"], "recent_high": area["recent_high"],
            "verdict": area["verdict"],
        }
        chosen = _lowest_distinct(pick, q_score, q_recency, text, per_area)
        if not chosen:
            rows.append(base | dict.fromkeys(
                ["question", "category", "score", "next_time", "company", "at"]))
        for i in chosen:
            p = q_pos[i]
            next_time = qs["next_time"].iloc[i]
            rows.append(base | {
                "question": text[i], "category": _text_or_none(category.iloc[i]),
                "score": _int_or_none(q_score[i]),
                "next_time": None if pd.isna(next_time) else next_time,
                "company": iv["company"].iloc[p] if p >= 0 else None,
                "at": iv["starts_at"].iloc[p] if p >= 0 else None,
            })
    cols = ["rank", "kind", "area", "recent", "recent_n", "recent_low", "recent_high",
            "verdict", "question", "category", "score", "next_time", "company", "at"]
    out = pd.DataFrame(rows, columns=cols)
    out["score"] = out["score"].astype("Int64")
    return out


def _lowest_distinct(
    rows: np.ndarray, score: np.ndarray, recency: np.ndarray, text: np.ndarray, k: int
) -> list[int]:
    """Up to ``k`` of ``rows``: lowest score first (NaN last), then by ``recency``
    (ascending; ties keep row order), each question text once (its first such row)."""
    out: list[int] = []
    seen: set = set()
    s = score[rows]
    levels = [rows[s == level] for level in np.unique(s[~np.isnan(s)])]
    levels.append(rows[np.isnan(s)])
    for level in levels:
        for i in level[np.argsort(recency[level], kind="stable")]:
            if text[i] not in seen:
                seen.add(text[i])
                out.append(int(i))
                if len(out) == k:
                    return out
    return out


def _text_or_none(value: object) -> str | None:
    return None if pd.isna(value) else str(value)


def _int_or_none(value: object) -> int | None:
    try:
        return None if pd.isna(value) else int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
