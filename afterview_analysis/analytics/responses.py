"""How fast the employer answers, and how fast the user does.

Deadlines are :func:`afterview_analysis.rules.deadline`'s, the agenda's own (thank-you
within 48 h of the end, information reply within 24 h of the request, follow-up a week
after the promised date). A promised feedback date means the end of that day in the
user's zone (the profile's). Summaries are medians with the interquartile range (pandas'
linear quantiles) and n; shares carry a 95 % Wilson interval. ``as_of`` (default: now)
is the moment the journal is read at: later events are ignored, and nothing is
"missing" before its deadline.

* :func:`employer_response_times` -- per interview: days to the first employer response,
  days late or early against the promised date, status (answered, waiting, ghosting
  candidate).
* :func:`employer_response_summary` -- the same by company, stage or overall
  (:func:`summarise_employer_times` of a times table).
* :func:`own_response_times` -- per thank-you, information reply and follow-up: hours
  taken, within the deadline or not; follow-ups classed too early / on time / late /
  missing.
* :func:`own_response_summary` -- per kind: median and IQR of hours, share on time
  (:func:`summarise_own_times` of a times table).
* :func:`answer_minutes` -- minutes per answer by question category and period.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from afterview_analysis.analytics._frames import (
    AnalysisError,
    as_of_timestamp,
    interviews,
    period_start,
    rows_of_interviews,
    scores,
    table,
    user_zone,
    utc,
)
from afterview_analysis.analytics._stats import wilson_interval
from afterview_analysis.analytics._steps import done_by_step, due_moments, end_of_day
from afterview_analysis.records import Step
from afterview_analysis.rules import FOLLOW_UP_AFTER, INFO_REPLY_WITHIN, THANK_YOU_WITHIN

__all__ = [
    "FOLLOW_UP_TOLERANCE",
    "GHOSTING_AFTER",
    "OWN_KINDS",
    "TIMINGS",
    "answer_minutes",
    "employer_response_summary",
    "employer_response_times",
    "own_response_summary",
    "own_response_times",
    "summarise_employer_times",
    "summarise_own_times",
]

#: No answer this long after the promised date: a ghosting candidate (the follow-up fell
#: due a week after the date, and another week passed).
GHOSTING_AFTER = 2 * FOLLOW_UP_AFTER
#: A follow-up within this much of its due moment is "on time" ("about a week after").
FOLLOW_UP_TOLERANCE = pd.Timedelta(days=2)
#: The messages :func:`own_response_times` expects, in its order (its ``kind`` categories).
OWN_KINDS = ["thank_you", "info_reply", "follow_up"]
#: Its ``timing`` categories: the first four for every message, the last two for
#: follow-ups only.
TIMINGS = ["on time", "late", "missing", "open", "too early", "not needed"]

_DAY = pd.Timedelta(days=1)
_HOUR = pd.Timedelta(hours=1)
_QUARTILES = {"q1": 0.25, "median": 0.5, "q3": 0.75}


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
    after the promised date (or the user marked it ghosted); "waiting" otherwise (also
    when no date was promised). Interviews that have not ended by ``as_of`` are left
    out. Rows by the interview's end.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> r = employer_response_times(tiny_frames(), as_of="2026-04-01")
    >>> r[["interview_id", "days_to_response", "days_late", "status"]].round(2).to_numpy().tolist()
    [['a', 6.92, 2.38, 'answered'], ['b', 5.17, -1.37, 'answered'], ['c', nan, nan, 'ghosting candidate']]
    """  # noqa: E501
    now = as_of_timestamp(as_of)
    iv = interviews(frames, ["company", "stage", "outcome", "ends_at", "feedback_by"])
    ev = rows_of_interviews(frames, "employer_events", ["kind", "at"])
    answers = (ev.assign(at=utc(ev["at"]), kind=ev["kind"].astype("str"))
               .query("at <= @now and kind != 'info_request'")
               .sort_values("at", kind="stable")
               .drop_duplicates("interview_id")
               .rename(columns={"at": "first_response_at", "kind": "first_response_kind"}))
    out = (iv[iv["ends_at"] <= now]
           .astype({"company": "str", "stage": "str", "outcome": "str"})
           .assign(feedback_by=lambda d: pd.to_datetime(d["feedback_by"], errors="coerce")
                   .astype("datetime64[us]"))
           .merge(answers, on="interview_id", how="left"))
    out["promised_at"] = end_of_day(out["feedback_by"], user_zone(frames))
    out["days_to_response"] = (out["first_response_at"] - out["ends_at"]) / _DAY
    out["days_late"] = (out["first_response_at"] - out["promised_at"]) / _DAY
    answered = out["first_response_at"].notna()
    overdue = out["promised_at"].notna() & (now > out["promised_at"] + GHOSTING_AFTER)
    ghosted = ~answered & (overdue | (out["outcome"] == "ghosted"))
    out["status"] = pd.Series("waiting", index=out.index, dtype="str").case_when(
        [(answered, "answered"), (ghosted, "ghosting candidate")])
    cols = ["interview_id", "company", "stage", "ends_at", "feedback_by", "promised_at",
            "first_response_at", "first_response_kind", "days_to_response", "days_late",
            "status"]
    return out[cols].sort_values("ends_at", kind="stable").reset_index(drop=True)


def _quartiles(values: pd.Series, groups: list[pd.Series], prefix: str) -> pd.DataFrame:
    """n, median, q1 and q3 of ``values`` per group (NaN left out), as ``prefix_*``."""
    g = values.groupby(groups[0] if len(groups) == 1 else groups, observed=False)
    out = g.quantile(list(_QUARTILES.values())).unstack()
    out = out.reindex(columns=list(_QUARTILES.values())).set_axis(list(_QUARTILES), axis=1)
    return pd.concat([g.count().rename("n"), out], axis=1).add_prefix(f"{prefix}_")


def summarise_employer_times(times: pd.DataFrame, by: str | None = "stage") -> pd.DataFrame:
    """:func:`employer_response_summary` of an :func:`employer_response_times` table."""
    if by not in ("stage", "company", None):
        raise AnalysisError(f"by = {by!r}: must be 'stage', 'company' or None")
    cols = ([by] if by else []) + ["interviews"] + [
        f"{p}_{s}" for p in ("days", "late") for s in ("n", "median", "q1", "q3")
    ] + ["ghosting", "ghosting_share", "ghosting_low", "ghosting_high"]
    if times.empty and by:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols})
    key = (times[by].astype("str") if by
           else pd.Series(0, index=times.index).astype(pd.CategoricalDtype([0])))
    ghosting = (times["status"] == "ghosting candidate").astype("int64")
    out = pd.concat([
        ghosting.groupby(key, observed=False).size().rename("interviews"),
        _quartiles(scores(times["days_to_response"]), [key], "days"),
        _quartiles(scores(times["days_late"]), [key], "late"),
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

    Per group (sorted; one row when ``by`` is None): ``interviews``;
    ``days_n``/``days_median``/``days_q1``/``days_q3`` of
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


def own_response_times(frames: Mapping[str, pd.DataFrame], as_of: Any = None) -> pd.DataFrame:
    """Per thank-you, information reply and follow-up: how long the user took.

    One row per expected message. Columns: ``kind`` ("thank_you", "info_reply",
    "follow_up"), ``interview_id``, ``company``, ``anchor_at`` (interview end; the
    employer's request; the follow-up's due moment), ``due_at``, ``sent_at`` (the first
    such message sent, or the playbook step marked done), ``hours`` = (sent - anchor) in
    hours, ``within`` (sent by the deadline: True/False, NA while still open) and
    ``timing``: "on time", "late", "missing" (deadline passed, nothing sent), "open"
    (not due yet); for follow-ups also "too early" (more than
    :data:`FOLLOW_UP_TOLERANCE` before the due moment) and "not needed" (the employer
    answered before it fell due). A follow-up within the tolerance after the due moment
    is "on time". ``kind`` and ``timing`` are categoricals (:data:`OWN_KINDS`,
    :data:`TIMINGS`). Rows by kind, then by anchor (undated last).

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> o = own_response_times(tiny_frames(), as_of="2026-04-01")
    >>> o[["kind", "interview_id", "hours", "timing"]].round(1).to_numpy().tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['thank_you', 'a', 4.0, 'on time'], ['thank_you', 'b', 73.0, 'late'],
     ['thank_you', 'c', 2.0, 'on time'], ['info_reply', 'b', 11.0, 'on time'],
     ['follow_up', 'a', nan, 'not needed'], ['follow_up', 'b', nan, 'not needed'],
     ['follow_up', 'c', 10.0, 'on time']]
    """
    now = as_of_timestamp(as_of)
    emp = employer_response_times(frames, now)
    done = done_by_step(frames, now, emp["interview_id"])
    due = due_moments(emp, user_zone(frames))
    follow_up = due[Step.FOLLOW_UP.value]
    parts = [
        emp[["interview_id", "company"]].assign(
            kind="thank_you", anchor_at=emp["ends_at"], due_at=due[Step.THANK_YOU.value],
            sent_at=done[Step.THANK_YOU.value]),
        _info_replies(frames, emp, now),
        emp[["interview_id", "company"]].assign(
            kind="follow_up", anchor_at=follow_up, due_at=follow_up + FOLLOW_UP_TOLERANCE,
            sent_at=done[Step.FOLLOW_UP.value], first_response_at=emp["first_response_at"]),
    ]
    out = pd.concat([p.sort_values("anchor_at", kind="stable", na_position="last")
                     for p in parts], ignore_index=True)
    out = out.reindex(columns=[*out.columns.drop("first_response_at", errors="ignore"),
                               "first_response_at"])
    for col in ("anchor_at", "due_at", "sent_at", "first_response_at"):
        out[col] = utc(out[col])
    out["hours"] = (out["sent_at"] - out["anchor_at"]) / _HOUR
    sent = out["sent_at"].notna()
    follow = out["kind"] == "follow_up"
    timing = pd.Series("open", index=out.index, dtype="str").case_when([
        (follow & (out["sent_at"] < out["anchor_at"] - FOLLOW_UP_TOLERANCE), "too early"),
        (follow & ~sent & (out["first_response_at"] <= out["anchor_at"]), "not needed"),
        (sent & (out["sent_at"] <= out["due_at"]), "on time"),
        (sent, "late"),
        (out["due_at"] < now, "missing"),
    ])
    out["kind"] = pd.Categorical(out["kind"], categories=OWN_KINDS)
    out["timing"] = pd.Categorical(timing, categories=TIMINGS)
    out["within"] = (timing == "on time").astype("boolean").mask(
        timing.isin(["open", "not needed"]))
    return out[["kind", "interview_id", "company", "anchor_at", "due_at", "sent_at", "hours",
                "within", "timing"]]


def _info_replies(
    frames: Mapping[str, pd.DataFrame], emp: pd.DataFrame, now: pd.Timestamp
) -> pd.DataFrame:
    """One row per information request by ``now`` (of an interview in the journal), with
    the first reply to it: the first reply linked to the request, else the first reply in
    the interview after it that is linked to no request."""
    events = table(frames, "employer_events", ["interview_id", "kind", "at"])
    ev = rows_of_interviews(frames, "employer_events",
                            ["kind", "at", *(["id"] if "id" in events else [])])
    requests = (ev.assign(event_id=ev["id"].astype("str") if "id" in ev
                          else ev.index.astype("str"), anchor_at=utc(ev["at"]))
                .query("kind == 'info_request' and anchor_at <= @now")
                [["event_id", "interview_id", "anchor_at"]])
    msg = table(frames, "messages", ["interview_id", "kind", "sent_at"])
    reply_to = (msg["reply_to_event_id"] if "reply_to_event_id" in msg
                else pd.Series(None, index=msg.index, dtype="object"))
    replies = (msg[["kind"]]
               .assign(interview_id=msg["interview_id"].astype("str"),
                       sent_at=utc(msg["sent_at"]), reply_to=reply_to)
               .query("kind == 'info_reply' and sent_at <= @now"))
    linked = (replies.dropna(subset=["reply_to"]).groupby("reply_to", as_index=False)
              ["sent_at"].min().rename(columns={"reply_to": "event_id"}))
    info = requests.merge(linked, on="event_id", how="left")
    # a reply linked to no request answers the first request of its interview before it
    unlinked = replies[replies["reply_to"].isna()]
    later = (info[info["sent_at"].isna()].reset_index()
             .merge(unlinked[["interview_id", "sent_at"]], on="interview_id",
                    suffixes=("_none", ""))
             .query("sent_at >= anchor_at")
             .groupby("index")["sent_at"].min())
    info["sent_at"] = info["sent_at"].fillna(utc(later))
    return (info.drop(columns="event_id")
            .merge(emp[["interview_id", "company"]], on="interview_id", how="left")
            .assign(kind="info_reply", due_at=lambda d: d["anchor_at"] + INFO_REPLY_WITHIN,
                    sent_at=lambda d: utc(d["sent_at"])))


def summarise_own_times(times: pd.DataFrame) -> pd.DataFrame:
    """:func:`own_response_summary` of an :func:`own_response_times` table."""
    kinds = list(_TARGETS)
    timing = times["timing"].astype("str")
    judged = times[~timing.isin(["open", "not needed"])]
    kind = pd.Categorical(judged["kind"].astype("str"), categories=kinds)
    counts = (pd.get_dummies(pd.Categorical(judged["timing"].astype("str"),
                                            categories=TIMINGS))
              .set_axis(judged.index).groupby(kind, observed=False).sum())
    out = pd.concat([
        judged.groupby(kind, observed=False).size().rename("due"),
        judged["sent_at"].notna().groupby(kind, observed=False).sum().rename("sent"),
        _quartiles(scores(judged["hours"]), [kind], "hours").drop(columns="hours_n"),
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


_TARGETS = {
    "thank_you": f"within {THANK_YOU_WITHIN / _HOUR:.0f} h of the end",
    "info_reply": f"within {INFO_REPLY_WITHIN / _HOUR:.0f} h of the request",
    "follow_up": f"{FOLLOW_UP_AFTER.days} days after the promised date "
                 f"(+/- {FOLLOW_UP_TOLERANCE.days} days)",
}


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
    q = (rows_of_interviews(frames, "questions", ["category", "minutes"])
         .merge(starts.assign(period=period), on="interview_id", how="left")
         .assign(minutes=lambda d: scores(d["minutes"]),
                 category=lambda d: d["category"].astype("str"))
         .dropna(subset=["minutes", "period", "category"]))
    cols = ["category", "period", "n", "median", "q1", "q3"]
    if q.empty:
        return pd.DataFrame(columns=cols)
    out = _quartiles(q["minutes"], [q["category"], q["period"]], "x")
    out = out.set_axis([c.removeprefix("x_") for c in out.columns], axis=1).reset_index()
    out = out[out["n"] > 0].reset_index(drop=True)
    return out.astype({"category": "str", "period": "datetime64[us]", "n": "int64"})[cols]

