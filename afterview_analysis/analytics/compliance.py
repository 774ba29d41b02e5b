"""Playbook compliance: was each after-interview step done, and done on time?

Due moments are :func:`afterview_analysis.rules.deadline`'s, the function the agenda
uses, for every interview. The follow-up is "not needed" when the employer answered
before it fell due. A step counts as done as the agenda counts it: ticked on the form, or
the matching message (thank-you, follow-up, heads-up) marked sent, or a reference's
heads-up sent.

* :func:`step_deadlines` -- per interview and step: due, done, status.
* :func:`playbook_compliance` -- per step (and period): share done on time, with n and
  a 95 % Wilson interval (:func:`summarise_compliance` of a deadlines table).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from afterview_analysis.analytics._frames import (
    as_of_timestamp,
    interviews,
    period_start,
    user_zone,
)
from afterview_analysis.analytics._stats import wilson_interval
from afterview_analysis.analytics._steps import done_by_step, due_moments
from afterview_analysis.analytics.responses import employer_response_times
from afterview_analysis.records import Step
from afterview_analysis.rules import DEADLINES

__all__ = ["STATUSES", "playbook_compliance", "step_deadlines", "summarise_compliance"]

#: The status of a step, as :func:`step_deadlines` gives it (a categorical, in this order).
STATUSES = ["on time", "late", "missing", "open", "not needed"]
_STEPS = [s.value for s in Step]
_JUDGED = ["on time", "late", "missing"]


def step_deadlines(frames: Mapping[str, pd.DataFrame], as_of: Any = None) -> pd.DataFrame:
    """Per interview (ended by ``as_of``) and playbook step: when it was due and done.

    Columns: ``interview_id``, ``starts_at``, ``step``, ``due_at``, ``done_at`` (when the
    step was marked done, NaT if not or after ``as_of``), ``status``: "on time" (done by
    the due moment), "late", "missing" (due moment passed, not done), "open" (not due
    yet, not done), "not needed" (a follow-up when the employer answered before it fell
    due). ``step`` and ``status`` are categoricals (the playbook's order;
    :data:`STATUSES`). Rows by step, then by the interview's start (undated last).

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> d = step_deadlines(tiny_frames(), as_of="2026-04-01")
    >>> d[d.step == "thank_you"][["interview_id", "status"]].to_numpy().tolist()
    [['a', 'on time'], ['b', 'late'], ['c', 'on time']]
    """
    now = as_of_timestamp(as_of)
    times = (employer_response_times(frames, now)
             .merge(interviews(frames, ["starts_at"]), on="interview_id", how="left")
             .sort_values("starts_at", kind="stable", na_position="last")
             .reset_index(drop=True))
    due = due_moments(times, user_zone(frames))
    done = done_by_step(frames, now, times["interview_id"])
    parts = []
    for step in (s for s in Step if s in DEADLINES):
        part = times[["interview_id", "starts_at"]].assign(
            step=step.value, due_at=due[step.value], done_at=done[step.value])
        answered = times["first_response_at"] <= part["due_at"]
        part["status"] = pd.Series("open", index=part.index, dtype="str").case_when([
            (part["done_at"] <= part["due_at"], "on time"),
            (part["done_at"].notna(), "late"),
            ((step == Step.FOLLOW_UP) & answered, "not needed"),
            (part["due_at"] < now, "missing"),
        ])
        parts.append(part)
    cols = ["interview_id", "starts_at", "step", "due_at", "done_at", "status"]
    if times.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    out = pd.concat(parts, ignore_index=True)
    return out.astype({"interview_id": "str", "step": pd.CategoricalDtype(_STEPS),
                       "status": pd.CategoricalDtype(STATUSES)})[cols]


def summarise_compliance(deadlines: pd.DataFrame, freq: str | None = None) -> pd.DataFrame:
    """:func:`playbook_compliance` of a :func:`step_deadlines` table."""
    judged = deadlines[deadlines["status"].astype("str").isin(_JUDGED)
                       & deadlines["step"].astype("str").isin(_STEPS)]
    step = pd.Categorical(judged["step"].astype("str"), categories=_STEPS)
    flags = pd.get_dummies(pd.Categorical(judged["status"].astype("str"),
                                          categories=_JUDGED)).set_axis(judged.index)
    if freq is None:
        counts = flags.groupby(step, observed=False).sum().rename_axis("step")
    else:
        period = period_start(judged["starts_at"], freq).rename("period")
        counts = (flags.assign(step=step, period=period).dropna(subset=["period"])
                  .groupby(["step", "period"], observed=True).sum())
    out = (counts.rename(columns={"on time": "on_time"}).reset_index()
           .assign(due=lambda d: d[["on_time", "late", "missing"]].sum(axis=1)))
    out["share_on_time"] = (out["on_time"] / out["due"]).where(out["due"] > 0)
    out["low"], out["high"] = wilson_interval(out["on_time"], out["due"])
    cols = ["step", *(["period"] if freq else []), "due", "on_time", "late", "missing",
            "share_on_time", "low", "high"]
    ints = {c: "int64" for c in ("due", "on_time", "late", "missing")}
    return out[cols].astype({"step": "str"} | ints)


def playbook_compliance(
    frames: Mapping[str, pd.DataFrame], freq: str | None = None, as_of: Any = None
) -> pd.DataFrame:
    """Per playbook step (and per period of the interview's start when ``freq`` is
    "MS", "QS" or "YS"): ``due`` (steps whose due moment has passed or that were done,
    "not needed" excluded), ``on_time``, ``late``, ``missing``, ``share_on_time`` =
    on_time / due with its 95 % Wilson interval ``low``/``high``. Without ``freq`` every
    step is listed, in the playbook's order; with it, the (step, period) pairs that
    occur, by step, then period.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> c = playbook_compliance(tiny_frames(), as_of="2026-04-01")
    >>> c[c.step == "thank_you"][["due", "on_time", "late", "share_on_time"]].round(3)
    ... # doctest: +NORMALIZE_WHITESPACE
       due  on_time  late  share_on_time
    4    3        2     1          0.667
    """
    return summarise_compliance(step_deadlines(frames, as_of), freq)
