"""Playbook compliance: was each after-interview step done, and done on time?

Due moments are those of :func:`afterview_analysis.rules.due_at` (the agenda's), from
:data:`~afterview_analysis.rules.DEADLINES`, computed for all interviews at once:
"end" is the interview's end, "end_of_day" rules.END_OF_DAY on the local day the
interview ended, "feedback_by" END_OF_DAY on the promised date (or the assumed one,
rules.FEEDBACK_ASSUMED_AFTER after the interview) plus the offset in wall-clock days.
The follow-up is "not needed" when the employer answered before it fell due.

A step counts as done as the agenda counts it: ticked on the form, or the matching message
(thank-you, follow-up, heads-up) marked sent, or a reference's heads-up sent.

* :func:`step_deadlines` -- per interview and step: due, done, status.
* :func:`playbook_compliance` -- per step (and period): share done on time, with n and
  a 95 % Wilson interval.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from afterview_analysis.analytics._frames import (
    AnalysisError,
    as_of_timestamp,
    end_of_local_day,
    local_date,
    table,
    user_zone,
    utc,
)
from afterview_analysis.analytics._stats import wilson_interval
from afterview_analysis.analytics.responses import (
    _period,
    employer_response_times,
    follow_up_due,
)
from afterview_analysis.records import Step
from afterview_analysis.rules import DEADLINES, MESSAGE_STEP

__all__ = ["playbook_compliance", "step_deadlines"]


def _anchor(kind: str, times: pd.DataFrame, zone: str) -> pd.Series:
    if kind == "end":
        return times["ends_at"]
    if kind == "end_of_day":
        return end_of_local_day(local_date(times["ends_at"], zone), zone)
    raise AnalysisError(f"rules.DEADLINES uses an anchor this analysis does not know: {kind!r}")


def _done_moments(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Every moment a step counted as done, as the agenda counts it (rules.steps_for):
    ticked on the form, or the matching message sent (rules.MESSAGE_STEP), or a
    reference's heads-up sent. Columns: interview_id, step, done_at (UTC)."""
    st = table(frames, "playbook_steps", ["interview_id", "step", "done_at"])
    msg = table(frames, "messages", ["interview_id", "kind", "sent_at"])
    heads = table(frames, "heads_ups", ["interview_id", "sent_at"])
    kinds = {kind.value: step.value for kind, step in MESSAGE_STEP.items()}
    msg = msg[msg["kind"].astype("str").isin(list(kinds)) & msg["interview_id"].notna()]
    parts = [
        (st["interview_id"], st["step"].astype("str"), st["done_at"]),
        (msg["interview_id"], msg["kind"].astype("str").map(kinds), msg["sent_at"]),
        (heads["interview_id"], pd.Series(Step.CONTACT_REFERENCES.value, index=heads.index),
         heads["sent_at"]),
    ]
    done = pd.concat(
        [pd.DataFrame({"interview_id": i.astype("str").to_numpy(),
                       "step": s.astype("str").to_numpy(),
                       "done_at": pd.to_datetime(utc(t), utc=True).array})
         for i, s, t in parts],
        ignore_index=True,
    )
    done["done_at"] = pd.to_datetime(done["done_at"], utc=True)
    return done


def step_deadlines(
    frames: Mapping[str, pd.DataFrame], as_of: Any = None,
    *, employer: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per interview (ended by ``as_of``) and playbook step: when it was due and done.

    Columns: ``interview_id``, ``starts_at``, ``step``, ``due_at``, ``done_at`` (when the
    step was marked done, NaT if not or after ``as_of``), ``status``: "on time" (done by
    the due moment), "late", "missing" (due moment passed, not done), "open" (not due
    yet, not done), "not needed" (a follow-up when the employer answered before it fell
    due).

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> d = step_deadlines(tiny_frames(), as_of="2026-04-01")
    >>> d[d.step == "thank_you"][["interview_id", "status"]].to_numpy().tolist()
    [['a', 'on time'], ['b', 'late'], ['c', 'on time']]
    """
    now = as_of_timestamp(as_of)
    zone = user_zone(frames)
    times = employer_response_times(frames, now) if employer is None else employer
    iv = table(frames, "interviews", ["id", "starts_at"])
    starts = pd.Series(utc(iv["starts_at"]).array, index=iv["id"].astype("str").to_numpy())
    times = times.assign(
        starts_at=starts.reindex(times["interview_id"].astype("str").to_numpy()).array)
    done = _done_moments(frames)
    done = done[done["done_at"].notna() & (done["done_at"] <= now)]
    done = done.sort_values("done_at").drop_duplicates(["interview_id", "step"])
    parts = []
    for step, (anchor, offset) in DEADLINES.items():
        if anchor == "feedback_by":  # wall-clock days in the user's zone, as rules.due_at
            due = follow_up_due(times, zone, offset)
        else:
            due = _anchor(anchor, times, zone) + offset
        part = pd.DataFrame({"interview_id": times["interview_id"], "starts_at":
                             times["starts_at"], "step": step.value, "due_at": due,
                             "first_response_at": times["first_response_at"]})
        parts.append(part)
    cols = ["interview_id", "starts_at", "step", "due_at", "done_at", "status"]
    if not any(len(p) for p in parts):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    out = pd.concat(parts, ignore_index=True).merge(
        done, on=["interview_id", "step"], how="left")
    out["done_at"] = pd.to_datetime(out["done_at"], utc=True)
    status = np.select(
        [out["done_at"].notna() & (out["done_at"] <= out["due_at"]), out["done_at"].notna(),
         now > out["due_at"]],
        ["on time", "late", "missing"], "open").astype(object)
    not_needed = ((out["step"] == Step.FOLLOW_UP.value) & out["done_at"].isna()
                  & out["first_response_at"].notna()
                  & (out["first_response_at"] <= out["due_at"])).to_numpy()
    status[not_needed] = "not needed"
    out["status"] = status
    order = {s.value: i for i, s in enumerate(Step)}
    out = out.assign(_o=out["step"].map(order)).sort_values(["_o", "starts_at"], kind="stable")
    return out[cols].reset_index(drop=True).astype({"step": "str", "status": "str"})


def playbook_compliance(
    frames: Mapping[str, pd.DataFrame], freq: str | None = None, as_of: Any = None,
    *, deadlines: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per playbook step (and per period of the interview's start when ``freq`` is
    "MS", "QS" or "YS"): ``due`` (steps whose due moment has passed or that were done,
    "not needed" excluded), ``on_time``, ``late``, ``missing``, ``share_on_time`` =
    on_time / due with its 95 % Wilson interval ``low``/``high``.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> c = playbook_compliance(tiny_frames(), as_of="2026-04-01")
    >>> c[c.step == "thank_you"][["due", "on_time", "late", "share_on_time"]].round(3)
    ... # doctest: +NORMALIZE_WHITESPACE
       due  on_time  late  share_on_time
    4    3        2     1          0.667
    """
    d = step_deadlines(frames, as_of) if deadlines is None else deadlines
    d = d[~d["status"].isin(["open", "not needed"])]
    keys = ["step"]
    if freq is not None:
        at = pd.to_datetime(d["starts_at"], utc=True).dt.tz_localize(None)
        d = d.assign(period=at.dt.to_period(_period(freq)).dt.start_time)
        keys.append("period")
    counts = pd.crosstab([d[k] for k in keys], d["status"]) if len(d) else pd.DataFrame()
    counts = counts.reindex(columns=["on time", "late", "missing"], fill_value=0)
    if freq is None:
        counts = counts.reindex([s.value for s in Step], fill_value=0)
        counts.index.name = "step"
    out = counts.reset_index()
    out.columns.name = None
    out = out.rename(columns={"on time": "on_time"})
    out.insert(len(keys), "due", out[["on_time", "late", "missing"]].sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_on_time"] = np.where(out["due"] > 0,
                                        out["on_time"] / out["due"].clip(lower=1), np.nan)
    out["low"], out["high"] = wilson_interval(out["on_time"], out["due"])
    if freq is not None and len(out):
        order = {s.value: i for i, s in enumerate(Step)}
        out = out.assign(_o=out["step"].map(order)).sort_values(["_o", "period"]).drop(
            columns="_o")
    ints = ["due", "on_time", "late", "missing"]
    return out.astype({c: "int64" for c in ints}).reset_index(drop=True)
