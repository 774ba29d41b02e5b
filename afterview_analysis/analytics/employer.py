"""How fast the employer answers, and whether they keep the date they gave.

A promised feedback date means the end of that day in the user's zone
(:func:`afterview_analysis.rules.end_of_day`). Summaries are medians with the
interquartile range (pandas' linear quantiles) and n; shares carry a 95 % Wilson
interval. ``as_of`` (default: now) is the moment the journal is read at: later events are
ignored.

* :func:`employer_response_times` -- per interview: days to the first employer response,
  days late or early against the promised date, status (answered, waiting, ghosting
  candidate).
* :func:`employer_response_summary` -- the same by company, stage or overall
  (:func:`summarise_employer_times` of a times table).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from afterview_analysis.analytics._frames import (
    AnalysisError,
    as_of_timestamp,
    interviews,
    rows_of_interviews,
    scores,
    user_zone,
    utc,
)
from afterview_analysis.analytics._stats import quartiles, wilson_interval
from afterview_analysis.records import Stage
from afterview_analysis.rules import DECIDED, FEEDBACK_ASSUMED_AFTER, FOLLOW_UP_AFTER, end_of_day

__all__ = ["GHOSTING_AFTER", "employer_response_summary", "employer_response_times",
           "summarise_employer_times"]

#: No answer this long after the promised date: a ghosting candidate (the follow-up fell
#: due a week after the date, and another week passed).
GHOSTING_AFTER = 2 * FOLLOW_UP_AFTER

_DAY = pd.Timedelta(days=1)


def ended(frames: Mapping[str, pd.DataFrame], now: pd.Timestamp,
          columns: Sequence[str] = ()) -> pd.DataFrame:
    """The interviews that ended by ``now``: ``interview_id``, ``company`` (text),
    ``ends_at``, ``feedback_by`` (the promised day, NaT when none) and ``columns``.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> ended(tiny_frames(), pd.Timestamp("2026-02-05", tz="UTC"))["interview_id"].tolist()
    ['a', 'b']
    """
    iv = interviews(frames, ["company", "ends_at", "feedback_by", *columns])
    return (iv[iv["ends_at"] <= now]
            .astype({"company": "str"})
            .assign(feedback_by=lambda d: pd.to_datetime(d["feedback_by"], errors="coerce")
                    .astype("datetime64[us]")))


def first_answers(frames: Mapping[str, pd.DataFrame], now: pd.Timestamp) -> pd.DataFrame:
    """Per interview the employer answered by ``now``: ``first_response_at`` and
    ``first_response_kind``, its earliest event other than a request for information.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> a = first_answers(tiny_frames(), pd.Timestamp("2026-04-01", tz="UTC"))
    >>> a[["interview_id", "first_response_kind"]].to_numpy().tolist()
    [['a', 'rejection'], ['b', 'next_round']]
    """
    ev = rows_of_interviews(frames, "employer_events", ["kind", "at"])
    return (ev.assign(at=utc(ev["at"]), kind=ev["kind"].astype("str"))
            .loc[lambda d: (d["at"] <= now) & (d["kind"] != "info_request")]
            .sort_values("at", kind="stable")
            .drop_duplicates("interview_id")
            .rename(columns={"at": "first_response_at", "kind": "first_response_kind"}))


def employer_response_times(
    frames: Mapping[str, pd.DataFrame], as_of: Any = None
) -> pd.DataFrame:
    """Per interview: how long the employer took, and whether they kept their date.

    Columns: ``interview_id``, ``company``, ``stage``, ``ends_at``, ``feedback_by`` (the
    promised date), ``promised_at`` (its end, in the user's zone, as UTC),
    ``first_response_at`` and ``first_response_kind`` (the earliest employer event up to
    ``as_of`` other than a request for more information, which is not an answer),
    ``days_to_response`` = (first response - interview end) in days, ``days_late`` =
    (first response - promised_at) in days (negative: early; NaN without either), and
    ``status``: "answered"; "ghosting candidate" when nothing came :data:`GHOSTING_AFTER`
    after the promised date (with no promised date, after the date the follow-up clock
    assumes, :data:`~afterview_analysis.rules.FEEDBACK_ASSUMED_AFTER` after the interview's
    day: the same rule as Today's "gone quiet"), or the user marked it ghosted; "decided"
    when an outcome (offer, rejected, withdrawn, advanced) is known by ``as_of`` with no
    answer recorded (as Today's "decided": such an interview never goes quiet); "waiting"
    otherwise. ``days_late`` stays NaN without a promised date. Interviews that have not ended by ``as_of`` are left
    out. Rows by the interview's end.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> r = employer_response_times(tiny_frames(), as_of="2026-04-01")
    >>> r[["interview_id", "days_to_response", "days_late", "status"]].round(2).to_numpy().tolist()
    [['a', 6.92, 2.38, 'answered'], ['b', 5.17, -1.37, 'answered'], ['c', nan, nan, 'ghosting candidate']]
    """  # noqa: E501
    now = as_of_timestamp(as_of)
    out = (ended(frames, now, ["stage", "outcome", "outcome_on"])
           .astype({"stage": "str", "outcome": "str"})
           .merge(first_answers(frames, now), on="interview_id", how="left"))
    zone = user_zone(frames)
    out["promised_at"] = end_of_day(out["feedback_by"], zone)
    out["days_to_response"] = (out["first_response_at"] - out["ends_at"]) / _DAY
    out["days_late"] = (out["first_response_at"] - out["promised_at"]) / _DAY
    answered = out["first_response_at"].notna()
    assumed_day = (out["ends_at"].dt.tz_convert(zone).dt.tz_localize(None).dt.normalize()
                   + FEEDBACK_ASSUMED_AFTER)
    quiet_from = out["promised_at"].fillna(end_of_day(assumed_day, zone))
    overdue = quiet_from.notna() & (now > quiet_from + GHOSTING_AFTER)
    # an outcome set on the form with no answer recorded: decided (as on Today), never quiet
    decided_on = (pd.to_datetime(out["outcome_on"], errors="coerce").astype("datetime64[us]")
                  .dt.tz_localize(zone, ambiguous="NaT", nonexistent="shift_forward"))
    decided = (out["outcome"].isin([o.value for o in DECIDED])
               & (decided_on.isna() | (decided_on <= now)))
    ghosted = ~answered & ~decided & (overdue | (out["outcome"] == "ghosted"))
    out["status"] = pd.Series("waiting", index=out.index, dtype="str").case_when(
        [(answered, "answered"), (decided, "decided"), (ghosted, "ghosting candidate")])
    cols = ["interview_id", "company", "stage", "ends_at", "feedback_by", "promised_at",
            "first_response_at", "first_response_kind", "days_to_response", "days_late",
            "status"]
    return out[cols].sort_values("ends_at", kind="stable").reset_index(drop=True)


def summarise_employer_times(times: pd.DataFrame, by: str | None = "stage") -> pd.DataFrame:
    """:func:`employer_response_summary` of an :func:`employer_response_times` table."""
    if by not in ("stage", "company", None):
        raise AnalysisError(f"by = {by!r}: must be 'stage', 'company' or None")
    cols = ([by] if by else []) + ["interviews"] + [
        f"{p}_{s}" for p in ("days", "late") for s in ("n", "median", "q1", "q3")
    ] + ["ghosting", "ghosting_share", "ghosting_low", "ghosting_high"]
    if times.empty and by:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols})
    if by == "stage":  # the stages that occur, in process order
        stage = times[by].astype("str")
        seen = set(stage.dropna())
        order = [s.value for s in Stage if s.value in seen] + sorted(seen - set(Stage))
        key = stage.astype(pd.CategoricalDtype(order))
    elif by:  # by name; a categorical key is factorised once for the five groupings
        key = times[by].astype("str").astype("category")
    else:
        key = pd.Series(0, index=times.index).astype(pd.CategoricalDtype([0]))
    ghosting = (times["status"] == "ghosting candidate").astype("int64")
    out = pd.concat([
        ghosting.groupby(key, observed=False).size().rename("interviews"),
        quartiles(scores(times["days_to_response"]), [key], "days"),
        quartiles(scores(times["days_late"]), [key], "late"),
        ghosting.groupby(key, observed=False).sum().rename("ghosting"),
    ], axis=1)
    out = out.reset_index(names=by) if by else out.reset_index(drop=True)
    out = out.astype({c: "int64" for c in ("interviews", "days_n", "late_n", "ghosting")})
    if by:
        out[by] = out[by].astype("str")
    out["ghosting_share"] = out["ghosting"] / out["interviews"]
    out["ghosting_low"], out["ghosting_high"] = wilson_interval(out["ghosting"],
                                                                out["interviews"])
    return out[cols]


def employer_response_summary(
    frames: Mapping[str, pd.DataFrame], by: str | None = "stage", as_of: Any = None
) -> pd.DataFrame:
    """Employer response times by ``by`` ("stage", "company" or None for overall).

    Per group (stages in process order, companies by name; one row when ``by`` is None):
    ``interviews``; ``days_n``/``days_median``/``days_q1``/``days_q3`` of
    :func:`employer_response_times`' ``days_to_response``; the same for ``days_late``
    (``late_*``); ``ghosting`` (count), ``ghosting_share`` of the interviews and its
    95 % Wilson interval ``ghosting_low``/``ghosting_high``.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> s = employer_response_summary(tiny_frames(), by=None, as_of="2026-04-01")
    >>> s[["interviews", "days_n", "days_median", "ghosting"]].round(2).to_numpy().tolist()
    [[3.0, 2.0, 6.04, 1.0]]
    """
    if by not in ("stage", "company", None):
        raise AnalysisError(f"by = {by!r}: must be 'stage', 'company' or None")
    return summarise_employer_times(employer_response_times(frames, as_of), by)
