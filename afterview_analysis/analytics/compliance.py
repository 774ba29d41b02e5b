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
    as_utc,
    end_of_local_day,
    local_date,
    np_moment,
    period_start,
    sort_key,
    table,
    user_zone,
    utc64,
)
from afterview_analysis.analytics._keys import equals, positions_of, take_or_missing
from afterview_analysis.analytics._stats import wilson_interval
from afterview_analysis.analytics._steps import done_moments, step_codes
from afterview_analysis.analytics.responses import employer_response_times, follow_up_due
from afterview_analysis.records import Step
from afterview_analysis.rules import DEADLINES

__all__ = ["STATUSES", "playbook_compliance", "step_deadlines"]

#: The status of a step, as :func:`step_deadlines` gives it (a categorical, in this order).
STATUSES = ["on time", "late", "missing", "open", "not needed"]
_STEPS = [s.value for s in Step]


def _anchor(kind: str, times: pd.DataFrame, zone: str) -> pd.Series:
    if kind == "end":
        return times["ends_at"]
    if kind == "end_of_day":
        return end_of_local_day(local_date(times["ends_at"], zone), zone)
    raise AnalysisError(f"rules.DEADLINES uses an anchor this analysis does not know: {kind!r}")


def step_deadlines(
    frames: Mapping[str, pd.DataFrame], as_of: Any = None,
    *, employer: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per interview (ended by ``as_of``) and playbook step: when it was due and done.

    Columns: ``interview_id``, ``starts_at``, ``step``, ``due_at``, ``done_at`` (when the
    step was marked done, NaT if not or after ``as_of``), ``status``: "on time" (done by
    the due moment), "late", "missing" (due moment passed, not done), "open" (not due
    yet, not done), "not needed" (a follow-up when the employer answered before it fell
    due). ``step`` and ``status`` are categoricals (the playbook's order; :data:`STATUSES`).

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> d = step_deadlines(tiny_frames(), as_of="2026-04-01")
    >>> d[d.step == "thank_you"][["interview_id", "status"]].to_numpy().tolist()
    [['a', 'on time'], ['b', 'late'], ['c', 'on time']]
    """
    now = as_of_timestamp(as_of)
    zone = user_zone(frames)
    times = (employer_response_times(frames, now) if employer is None
             else employer.reset_index(drop=True))  # rows are matched by position below
    iv = table(frames, "interviews", ["id", "starts_at"])
    e_pos = positions_of(frames, times)
    starts = as_utc(take_or_missing(utc64(iv["starts_at"]), e_pos))
    done_by_step = done_moments(frames, now)
    first_response = utc64(times["first_response_at"])
    # rows by step, in the playbook's order; within a step by start (undated last)
    by_start = np.argsort(sort_key(starts), kind="stable")
    cols = ["interview_id", "starts_at", "step", "due_at", "done_at", "status"]
    steps = [(code, step) for code, step in enumerate(Step) if step in DEADLINES]
    if len(times) == 0 or not steps:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    due_at, done_at, status = [], [], []
    for code, step in steps:
        anchor, offset = DEADLINES[step]
        if anchor == "feedback_by":  # wall-clock days in the user's zone, as rules.due_at
            due = utc64(follow_up_due(times, zone, offset))
        else:
            due = utc64(_anchor(anchor, times, zone) + offset)
        done = take_or_missing(done_by_step[code], e_pos)
        is_done = ~np.isnat(done)
        state = np.select([is_done & (done <= due), is_done, due < np_moment(now)],
                          [0, 1, 2], 3)
        if step == Step.FOLLOW_UP:
            answered = first_response <= due  # NaT compares False
            state[~is_done & answered] = 4
        due_at.append(due[by_start])
        done_at.append(done[by_start])
        status.append(state[by_start])
    k = len(steps)
    return pd.DataFrame({
        "interview_id": pd.Series(np.tile(times["interview_id"].to_numpy(dtype=object)[by_start],
                                          k), dtype="str"),
        "starts_at": as_utc(np.tile(starts.to_numpy(dtype="datetime64[us]")[by_start], k)),
        "step": pd.Categorical.from_codes(np.repeat([code for code, _ in steps], len(times)),
                                          _STEPS),
        "due_at": as_utc(np.concatenate(due_at)),
        "done_at": as_utc(np.concatenate(done_at)),
        "status": pd.Categorical.from_codes(np.concatenate(status), STATUSES),
    })


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
    steps = list(Step)
    judged = ["on time", "late", "missing"]
    step = step_codes(d["step"], {s.value: s for s in steps})
    status = np.full(len(d), -1, dtype=np.int64)
    for code, value in enumerate(judged):
        status[equals(d["status"], value)] = code
    keep = (status >= 0) & (step >= 0)
    step, status = step[keep], status[keep]
    if freq is None:
        cell = step
        labels = pd.DataFrame({"step": [s.value for s in steps]})
    else:
        period = period_start(utc64(d["starts_at"])[keep], freq)
        dated = ~np.isnat(period)
        step, status, period = step[dated], status[dated], period[dated]
        pcode, periods = pd.factorize(period, sort=True)
        cell = step * max(len(periods), 1) + pcode
    counts = np.bincount(cell * 3 + status,
                         minlength=len(labels) * 3 if freq is None else 0)
    counts = np.pad(counts, (0, -len(counts) % 3)).reshape(-1, 3)
    if freq is not None:  # only the (step, period) pairs that occur, by step then period
        seen = np.flatnonzero(counts.sum(axis=1))
        n_p = max(len(periods), 1)
        labels = pd.DataFrame({
            "step": [steps[i].value for i in seen // n_p],
            "period": pd.Series(np.asarray(periods)[seen % n_p], dtype="datetime64[us]"),
        })
        counts = counts[seen]
    out = labels.assign(due=counts.sum(axis=1), on_time=counts[:, 0], late=counts[:, 1],
                        missing=counts[:, 2])
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_on_time"] = np.where(out["due"] > 0,
                                        out["on_time"] / out["due"].clip(lower=1), np.nan)
    out["low"], out["high"] = wilson_interval(out["on_time"], out["due"])
    ints = ["due", "on_time", "late", "missing"]
    return out.astype({"step": "str"} | {c: "int64" for c in ints})
