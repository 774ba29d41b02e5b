"""How fast you answer: thank-you notes, replies to information requests, follow-ups.

The rows are those of :func:`~afterview_analysis.analytics.step_deadlines` (one table
for every "on time" of the reflection), for the three messages. Summaries are medians
with the interquartile range (pandas' linear quantiles) and n; shares carry a 95 % Wilson
interval. ``as_of`` (default: now) is the moment the journal is read at: later events are
ignored, and nothing is "missing" before its deadline.

* :func:`own_response_times` -- per thank-you, information reply and follow-up: hours
  taken, on time or not (:func:`message_times` of a deadlines table).
* :func:`own_response_summary` -- per kind: median and IQR of hours, share on time
  (:func:`summarise_own_times` of a times table).
* :func:`answer_minutes` -- minutes per answer by question category and period.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from afterview_analysis.analytics._frames import (
    categorical,
    interviews,
    period_start,
    scores,
    table,
)
from afterview_analysis.analytics._stats import quartiles, wilson_interval
from afterview_analysis.analytics.compliance import JUDGED, STATUSES, step_deadlines
from afterview_analysis.analytics.employer import GHOSTING_AFTER
from afterview_analysis.records import TIMED_KINDS, MessageKind
from afterview_analysis.rules import (
    FOLLOW_UP_AFTER,
    FOLLOW_UP_TOLERANCE,
    INFO_REPLY_WITHIN,
    THANK_YOU_WITHIN,
)

__all__ = [
    "FOLLOW_UP_TOLERANCE",
    "GHOSTING_AFTER",
    "OWN_KINDS",
    "TIMINGS",
    "answer_minutes",
    "message_times",
    "own_response_summary",
    "own_response_times",
    "summarise_own_times",
]

#: The messages :func:`own_response_times` expects, in its order (its ``kind`` categories):
#: the message kinds the records vocabulary declares timed (``records.TIMED_KINDS``).
OWN_KINDS = [kind.value for kind in TIMED_KINDS]
#: Its ``timing`` categories: the statuses of :func:`step_deadlines`.
TIMINGS = STATUSES

_HOUR = pd.Timedelta(hours=1)


def message_times(deadlines: pd.DataFrame) -> pd.DataFrame:
    """:func:`own_response_times` of a :func:`step_deadlines` table."""
    rows = deadlines[deadlines["step"].isin(OWN_KINDS)]
    kind = categorical(rows["step"], OWN_KINDS)
    out = (rows.assign(kind=kind, sent_at=rows["done_at"], timing=rows["status"])
           .sort_values(["kind", "anchor_at"], kind="stable", na_position="last")
           .reset_index(drop=True))
    out["within"] = (out["timing"] == "on time").astype("boolean").mask(
        out["timing"].isin(["open", "not needed"]))
    return out[["kind", "interview_id", "company", "anchor_at", "due_at", "sent_at", "hours",
                "within", "timing"]]


def own_response_times(frames: Mapping[str, pd.DataFrame], as_of: Any = None) -> pd.DataFrame:
    """Per thank-you, information reply and follow-up: how long the user took.

    One row per expected message. Columns: ``kind`` ("thank_you", "info_reply",
    "follow_up"), ``interview_id``, ``company``, ``anchor_at`` (interview end; the
    employer's request; the follow-up's due moment), ``due_at``, ``sent_at`` (the first
    such message sent, or the playbook step marked done), ``hours`` = (sent - anchor) in
    hours, ``within`` (on time: True/False, NA while still open or not needed) and
    ``timing``, the step's status in :func:`step_deadlines`: "on time", "late",
    "missing" (its window passed, nothing sent), "open" (not due yet); for follow-ups
    also "too early" (more than :data:`FOLLOW_UP_TOLERANCE` before the due moment) and
    "not needed" (the employer answered before it fell due); a follow-up within the
    tolerance after the due moment is "on time". ``kind`` and ``timing`` are
    categoricals (:data:`OWN_KINDS`, :data:`TIMINGS`). Rows by kind, then by anchor.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> o = own_response_times(tiny_frames(), as_of="2026-04-01")
    >>> o[["kind", "interview_id", "hours", "timing"]].round(1).to_numpy().tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['thank_you', 'a', 4.0, 'on time'], ['thank_you', 'b', 73.0, 'late'],
     ['thank_you', 'c', 2.0, 'on time'], ['info_reply', 'b', 11.0, 'on time'],
     ['follow_up', 'a', nan, 'not needed'], ['follow_up', 'b', nan, 'not needed'],
     ['follow_up', 'c', 10.0, 'on time']]
    """
    return message_times(step_deadlines(frames, as_of))


def summarise_own_times(times: pd.DataFrame) -> pd.DataFrame:
    """:func:`own_response_summary` of an :func:`own_response_times` table."""
    kinds = list(_TARGETS)
    judged = times[times["timing"].isin(JUDGED)]
    kind = categorical(judged["kind"], kinds)
    counts = (pd.get_dummies(categorical(judged["timing"], TIMINGS))
              .set_axis(judged.index).groupby(kind, observed=False).sum())
    out = pd.concat([
        judged.groupby(kind, observed=False).size().rename("due"),
        judged["sent_at"].notna().groupby(kind, observed=False).sum().rename("sent"),
        quartiles(scores(judged["hours"]), [kind], "hours").drop(columns="hours_n"),
        counts.rename(columns=lambda c: c.replace(" ", "_"))[
            ["on_time", "too_early", "late", "missing"]],
    ], axis=1).rename_axis("kind").reset_index()
    out.insert(1, "target", out["kind"].map(_TARGETS))
    out = out.astype({"kind": "str", "target": "str"} | {
        c: "int64" for c in ("due", "sent", "on_time", "too_early", "late", "missing")})
    out["share_on_time"] = (out["on_time"] / out["due"]).where(out["due"] > 0)
    out["low"], out["high"] = wilson_interval(out["on_time"], out["due"])
    return out[["kind", "target", "due", "sent", "hours_median", "hours_q1", "hours_q3",
                "on_time", "too_early", "late", "missing", "share_on_time", "low", "high"]]


#: Each timed message's target, in words (one per kind of :data:`OWN_KINDS`, in its order).
_TARGET_WORDS = {
    MessageKind.THANK_YOU: f"within {THANK_YOU_WITHIN / _HOUR:.0f} h of the end",
    MessageKind.INFO_REPLY: f"within {INFO_REPLY_WITHIN / _HOUR:.0f} h of the request",
    MessageKind.FOLLOW_UP: f"{FOLLOW_UP_AFTER.days} days after the promised date "
                           f"(+/- {FOLLOW_UP_TOLERANCE.days} days)",
}
_TARGETS = {kind.value: _TARGET_WORDS[kind] for kind in TIMED_KINDS}


def own_response_summary(
    frames: Mapping[str, pd.DataFrame], as_of: Any = None
) -> pd.DataFrame:
    """Per kind of message: how fast and how often on time.

    Columns: ``kind``, ``target`` (in words), ``due`` (rows whose deadline has passed or
    that were sent, excluding "not needed"), ``sent``, ``hours_median``/``hours_q1``/
    ``hours_q3`` of the sent ones (follow-ups: hours after the due moment), ``on_time``,
    ``share_on_time`` with its 95 % Wilson interval ``low``/``high``, and, for
    follow-ups, counts per timing (``too_early``, ``late``, ``missing``).

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> s = own_response_summary(tiny_frames(), as_of="2026-04-01")
    >>> s[["kind", "due", "on_time", "hours_median"]].round(1).to_numpy().tolist()
    [['thank_you', 3, 2, 4.0], ['info_reply', 1, 1, 11.0], ['follow_up', 1, 1, 10.0]]
    """
    return summarise_own_times(own_response_times(frames, as_of))


def answer_minutes(frames: Mapping[str, pd.DataFrame], freq: str = "QS") -> pd.DataFrame:
    """Minutes per answer by question category and period, where logged.

    Columns: ``category``, ``period`` (start of the calendar period of the interview,
    ``freq`` as in pandas: "MS" months, "QS" quarters, "YS" years), ``n`` (answers with
    minutes), ``median``, ``q1``, ``q3``. Categories by name, then periods in time order.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> m = answer_minutes(tiny_frames(), freq="YS")
    >>> m[["category", "n", "median"]].to_numpy().tolist()
    [['motivation', 1, 3.0], ['system_design', 2, 11.0], ['technical', 1, 5.0]]
    """
    starts = interviews(frames, ["starts_at"])
    period = period_start(starts["starts_at"], freq)
    src = table(frames, "questions", ["interview_id", "category", "minutes"])
    q = (src[["category", "minutes"]].assign(interview_id=src["interview_id"].astype("str"))
         # a question of an interview not in the journal gets no period: left out below
         .merge(starts.assign(period=period), on="interview_id", how="left")
         .assign(minutes=lambda d: scores(d["minutes"]))
         .dropna(subset=["minutes", "period", "category"]))
    cols = ["category", "period", "n", "median", "q1", "q3"]
    if q.empty:
        return pd.DataFrame(columns=cols)
    category = q["category"].astype("category")
    category = category.cat.reorder_categories(sorted(category.cat.categories))  # by name
    out = quartiles(q["minutes"], [category, q["period"]], "x")
    out = out.set_axis([c.removeprefix("x_") for c in out.columns], axis=1).reset_index()
    out = out[out["n"] > 0].reset_index(drop=True)
    return out.astype({"category": "str", "period": "datetime64[us]", "n": "int64"})[cols]

