"""The playbook, kept or not: every step of every interview, when it was due and done.

Due moments are :func:`afterview_analysis.rules.deadlines`', the function the agenda
uses; an information request adds a reply due :data:`~afterview_analysis.rules.INFO_REPLY_WITHIN`
after it. A step counts as done as the agenda counts it: ticked on the form, or the
matching message (thank-you, follow-up, heads-up) marked sent, or a reference's heads-up
sent; a reply counts when it is linked to the request, or, linked to none, is the first
one after it.

One definition of "on time", used by every table and view: done by the due moment; for
the follow-up ("about a week after the promised date"), within
:data:`~afterview_analysis.rules.FOLLOW_UP_TOLERANCE` of it, before or after, and "too
early" before that. The follow-up is "not needed" when the employer answered before it
fell due.

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
    categorical,
    period_start,
    rows_of_interviews,
    table,
    user_zone,
    utc,
)
from afterview_analysis.analytics._stats import wilson_interval
from afterview_analysis.analytics._steps import done_by_step
from afterview_analysis.analytics.employer import ended, first_answers
from afterview_analysis.records import Step
from afterview_analysis.rules import (
    DEADLINES,
    FOLLOW_UP_TOLERANCE,
    INFO_REPLY,
    INFO_REPLY_WITHIN,
    deadlines,
)

__all__ = ["JUDGED", "STATUSES", "STEPS", "playbook_compliance", "step_deadlines",
           "summarise_compliance"]

#: The status of a step, as :func:`step_deadlines` gives it (a categorical, in this order).
STATUSES = ["on time", "late", "missing", "open", "not needed", "too early"]
#: The statuses a share on time counts (its n): the step was due, or done.
JUDGED = ["on time", "too early", "late", "missing"]
#: The steps, in the playbook's order, then the reply to an information request.
STEPS = [s.value for s in Step] + [INFO_REPLY]
_HOUR = pd.Timedelta(hours=1)


def _never(index: pd.Index) -> pd.Series:
    """No moment (NaT) for each row: no step but the follow-up can be too early."""
    return pd.Series(pd.NaT, index=index, dtype="datetime64[us, UTC]")


def _status(rows: pd.DataFrame, now: pd.Timestamp, early: pd.Series, late: pd.Series,
            answered: pd.Series) -> pd.Series:
    """Each row's status from ``done_at`` and its on-time window (``early``, ``late``)."""
    done = rows["done_at"]
    return pd.Series("open", index=rows.index, dtype="str").case_when([
        (done < early, "too early"),
        (done <= late, "on time"),
        (done.notna(), "late"),
        (answered, "not needed"),
        (late < now, "missing"),
    ])


def _info_requests(frames: Mapping[str, pd.DataFrame], now: pd.Timestamp) -> pd.DataFrame:
    """One row per information request by ``now`` (of an interview in the journal): its
    ``interview_id``, ``anchor_at`` (the request) and ``done_at``, the first reply to it:
    the first reply linked to the request, else the first reply in the interview after it
    that is linked to no request."""
    events = table(frames, "employer_events", ["interview_id", "kind", "at"])
    ev = rows_of_interviews(frames, "employer_events",
                            ["kind", "at", *(["id"] if "id" in events else [])])
    requests = (ev.assign(event_id=ev["id"].astype("str") if "id" in ev
                          else ev.index.astype("str"), anchor_at=utc(ev["at"]))
                .loc[lambda d: (d["kind"] == "info_request") & (d["anchor_at"] <= now)]
                [["event_id", "interview_id", "anchor_at"]])
    msg = table(frames, "messages", ["interview_id", "kind", "sent_at"])
    reply_to = (msg["reply_to_event_id"] if "reply_to_event_id" in msg
                else pd.Series(None, index=msg.index, dtype="object"))
    replies = (msg[["kind"]]
               .assign(interview_id=msg["interview_id"].astype("str"),
                       sent_at=utc(msg["sent_at"]), reply_to=reply_to)
               .loc[lambda d: (d["kind"] == "info_reply") & (d["sent_at"] <= now)])
    linked = (replies.dropna(subset=["reply_to"]).groupby("reply_to", as_index=False)
              ["sent_at"].min().rename(columns={"reply_to": "event_id"}))
    info = requests.merge(linked, on="event_id", how="left")
    # a reply linked to no request answers the first request of its interview before it
    # (a missing link is missing: isna, never its spelling, which pandas 3 keeps missing)
    unlinked = replies[replies["reply_to"].isna()]
    later = (info[info["sent_at"].isna()].reset_index()
             .merge(unlinked[["interview_id", "sent_at"]], on="interview_id",
                    suffixes=("_none", ""))
             .loc[lambda d: d["sent_at"] >= d["anchor_at"]]
             .groupby("index")["sent_at"].min())
    info["sent_at"] = info["sent_at"].fillna(utc(later))
    return info.drop(columns="event_id").rename(columns={"sent_at": "done_at"})


def step_deadlines(frames: Mapping[str, pd.DataFrame], as_of: Any = None) -> pd.DataFrame:
    """Per interview (ended by ``as_of``) and playbook step, and per information request:
    when it was due and when done.

    Columns: ``interview_id``, ``company``, ``starts_at``, ``step`` (a :class:`Step`
    value, or "info_reply"), ``anchor_at`` (when its clock starts: the interview's end;
    the request; for the follow-up its due moment), ``due_at``, ``done_at`` (NaT if not
    done by ``as_of``), ``hours`` = done - anchor, and ``status``: "on time", "too
    early" (follow-ups only), "late", "missing" (its window passed, not done), "open"
    (not due yet, not done), "not needed" (a follow-up when the employer answered before
    it fell due). ``step`` and ``status`` are categoricals (:data:`STEPS`,
    :data:`STATUSES`). Rows by step, then by the interview's start (undated last), the
    requests by their time.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> d = step_deadlines(tiny_frames(), as_of="2026-04-01")
    >>> d[d.step == "thank_you"][["interview_id", "status"]].to_numpy().tolist()
    [['a', 'on time'], ['b', 'late'], ['c', 'on time']]
    """
    now = as_of_timestamp(as_of)
    times = (ended(frames, now, ["starts_at"])
             .merge(first_answers(frames, now), on="interview_id", how="left")
             .sort_values(["starts_at", "ends_at"], kind="stable", na_position="last")
             .reset_index(drop=True))
    due = deadlines(times["ends_at"], times["feedback_by"], user_zone(frames))
    done = done_by_step(frames, now, times["interview_id"])
    steps = pd.concat([times.assign(step=step.value, due_at=due[step], done_at=done[step.value])
                       for step in DEADLINES], ignore_index=True)
    # the follow-up's clock starts at its due moment, and it has a window either side
    follow_up = steps["step"] == Step.FOLLOW_UP.value
    steps["anchor_at"] = steps["due_at"].where(follow_up, steps["ends_at"])
    early = (steps["due_at"] - FOLLOW_UP_TOLERANCE).where(follow_up)
    late = (steps["due_at"] + FOLLOW_UP_TOLERANCE).where(follow_up, steps["due_at"])
    answered = (steps["first_response_at"] <= steps["due_at"]) & follow_up
    steps["status"] = _status(steps, now, early, late, answered)
    requests = (_info_requests(frames, now)
                .merge(times[["interview_id", "company", "starts_at"]], on="interview_id",
                       how="left")
                .sort_values("anchor_at", kind="stable")
                .assign(step=INFO_REPLY, due_at=lambda d: d["anchor_at"] + INFO_REPLY_WITHIN))
    never = pd.Series(False, index=requests.index)
    requests["status"] = _status(requests, now, _never(requests.index), requests["due_at"],
                                 never)
    cols = ["interview_id", "company", "starts_at", "step", "anchor_at", "due_at", "done_at",
            "hours", "status"]
    out = pd.concat([steps, requests], ignore_index=True)
    out = out.reindex(columns=cols).assign(
        hours=lambda d: (utc(d["done_at"]) - utc(d["anchor_at"])) / _HOUR)
    for col in ("starts_at", "anchor_at", "due_at", "done_at"):
        out[col] = utc(out[col])
    return out.astype({"interview_id": "str", "company": "str", "hours": "float64",
                       "step": pd.CategoricalDtype(STEPS),
                       "status": pd.CategoricalDtype(STATUSES)})


def summarise_compliance(deadlines: pd.DataFrame, freq: str | None = None) -> pd.DataFrame:
    """:func:`playbook_compliance` of a :func:`step_deadlines` table."""
    judged = deadlines[deadlines["status"].isin(JUDGED) & deadlines["step"].isin(STEPS)]
    step = categorical(judged["step"], STEPS)
    flags = pd.get_dummies(categorical(judged["status"], JUDGED)).set_axis(judged.index)
    if freq is None:
        counts = flags.groupby(step, observed=False).sum().rename_axis("step")
    else:
        period = period_start(judged["starts_at"], freq).rename("period")
        counts = (flags.assign(step=step, period=period).dropna(subset=["period"])
                  .groupby(["step", "period"], observed=True).sum())
    out = (counts.rename(columns=lambda c: c.replace(" ", "_")).reset_index()
           .assign(due=lambda d: d[[c.replace(" ", "_") for c in JUDGED]].sum(axis=1)))
    out["share_on_time"] = (out["on_time"] / out["due"]).where(out["due"] > 0)
    out["low"], out["high"] = wilson_interval(out["on_time"], out["due"])
    cols = ["step", *(["period"] if freq else []), "due", "on_time", "too_early", "late",
            "missing", "share_on_time", "low", "high"]
    ints = {c: "int64" for c in ("due", "on_time", "too_early", "late", "missing")}
    return out[cols].astype({"step": "str"} | ints)


def playbook_compliance(
    frames: Mapping[str, pd.DataFrame], freq: str | None = None, as_of: Any = None
) -> pd.DataFrame:
    """Per playbook step (and per period of the interview's start when ``freq`` is
    "MS", "QS" or "YS"): ``due`` (steps whose window has passed or that were done; "not
    needed" and "open" left out), ``on_time``, ``too_early``, ``late``, ``missing``,
    ``share_on_time`` = on_time / due with its 95 % Wilson interval ``low``/``high``.
    Without ``freq`` every step is listed (the reply to information requests last); with
    it, the (step, period) pairs that occur, by step, then period.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> c = playbook_compliance(tiny_frames(), as_of="2026-04-01")
    >>> c[c.step == "thank_you"][["due", "on_time", "late", "share_on_time"]].round(3)
    ... # doctest: +NORMALIZE_WHITESPACE
       due  on_time  late  share_on_time
    4    3        2     1          0.667
    """
    return summarise_compliance(step_deadlines(frames, as_of), freq)
