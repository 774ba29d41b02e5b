"""How fast the employer answers, and how fast the user does.

Deadlines come from :mod:`afterview_analysis.rules` (thank-you within 48 h of the end,
information reply within 24 h of the request, follow-up a week after the promised date).
A promised feedback date means the end of that day in the user's zone (the profile's).
Summaries are medians with the interquartile range (pandas' linear quantiles) and n;
shares carry a 95 % Wilson interval. ``as_of`` (default: now) is the moment the journal
is read at: later events are ignored, and nothing is "missing" before its deadline.

* :func:`employer_response_times` -- per interview: days to the first employer response,
  days late or early against the promised date, status (answered, waiting, ghosting
  candidate).
* :func:`employer_response_summary` -- the same by company, stage or overall.
* :func:`own_response_times` -- per thank-you, information reply and follow-up: hours
  taken, within the deadline or not; follow-ups classed too early / on time / late /
  missing.
* :func:`own_response_summary` -- per kind: median and IQR of hours, share on time.
* :func:`answer_minutes` -- minutes per answer by question category and period.
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
    utc,
    utc64,
)
from afterview_analysis.analytics._keys import (
    codes,
    equals,
    first_rows,
    interview_index,
    positions,
    positions_of,
    take_or_missing,
)
from afterview_analysis.analytics._stats import grouped_quantiles, wilson_interval
from afterview_analysis.analytics._steps import done_moments
from afterview_analysis.records import Step
from afterview_analysis.rules import (
    FEEDBACK_ASSUMED_AFTER,
    FOLLOW_UP_AFTER,
    INFO_REPLY_WITHIN,
    THANK_YOU_WITHIN,
)

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
]

#: No answer this long after the promised date: a ghosting candidate (the follow-up fell
#: due a week after the date, and another week passed).
GHOSTING_AFTER = 2 * FOLLOW_UP_AFTER
#: A follow-up within this much of its due moment is "on time" ("about a week after").
FOLLOW_UP_TOLERANCE = pd.Timedelta(days=2)
#: The messages :func:`own_response_times` expects, in its order (its ``kind`` categories).
OWN_KINDS = ["thank_you", "info_reply", "follow_up"]
#: Its ``timing`` categories: 0-3 for every message, the last two for follow-ups only.
TIMINGS = ["on time", "late", "missing", "open", "too early", "not needed"]

_DAY = pd.Timedelta(days=1)
_HOUR = pd.Timedelta(hours=1)


def _interviews(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    iv = table(
        frames, "interviews",
        ["id", "company", "stage", "starts_at", "feedback_by", "outcome"],
    )
    starts = utc(iv["starts_at"])
    if "ends_at" in iv:
        ends = utc(iv["ends_at"])
    elif "duration_minutes" in iv:
        ends = starts + pd.to_timedelta(pd.to_numeric(iv["duration_minutes"]), "m")
    else:
        raise AnalysisError("frames['interviews'] has no column 'ends_at'")
    return pd.DataFrame(
        {
            "interview_id": iv["id"].astype("str").to_numpy(),
            "company": iv["company"].astype("str").to_numpy(),
            "stage": iv["stage"].astype("str").to_numpy(),
            "outcome": iv["outcome"].astype("str").to_numpy(),
            "starts_at": starts.array,
            "ends_at": ends.array,
            "feedback_by": pd.to_datetime(iv["feedback_by"], errors="coerce").to_numpy(),
        }
    ).astype({"starts_at": "datetime64[us, UTC]", "ends_at": "datetime64[us, UTC]"})


def follow_up_due(times: pd.DataFrame, zone: str, offset=FOLLOW_UP_AFTER) -> pd.Series:
    """When the follow-up falls due, as :func:`afterview_analysis.rules.due_at` has it:
    END_OF_DAY in ``zone`` on (the promised date, or the interview's local day plus
    FEEDBACK_ASSUMED_AFTER when none was given) + ``offset`` wall-clock days."""
    promised = pd.to_datetime(times["feedback_by"]).fillna(
        local_date(times["ends_at"], zone) + FEEDBACK_ASSUMED_AFTER)
    return end_of_local_day(promised + offset, zone)


def employer_response_times(
    frames: Mapping[str, pd.DataFrame], as_of: Any = None
) -> pd.DataFrame:
    """Per interview: how long the employer took, and whether they kept their date.

    Columns: ``interview_id``, ``company``, ``stage``, ``ends_at``, ``feedback_by`` (the
    promised date), ``promised_at`` (its end, in the user's zone, as UTC),
    ``first_response_at`` and ``first_response_kind`` (the earliest employer event up to
    ``as_of`` other than a request for more information, which is not an answer), ``days_to_response`` = (first response - interview end) in days,
    ``days_late`` = (first response - promised_at) in days (negative: early; NaN without
    either), and ``status``: "answered"; "ghosting candidate" when nothing came
    :data:`GHOSTING_AFTER` after the promised date (or the user marked it ghosted);
    "waiting" otherwise (also when no date was promised). Interviews that have not ended
    by ``as_of`` are left out.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> r = employer_response_times(tiny_frames(), as_of="2026-04-01")
    >>> r[["interview_id", "days_to_response", "days_late", "status"]].round(2).to_numpy().tolist()
    [['a', 6.92, 2.38, 'answered'], ['b', 5.17, -1.37, 'answered'], ['c', nan, nan, 'ghosting candidate']]
    """  # noqa: E501
    now = as_of_timestamp(as_of)
    zone = user_zone(frames)
    iv = _interviews(frames)  # row i is the interview at position i
    ev = table(frames, "employer_events", ["interview_id", "kind", "at"])
    pos = positions(frames, "employer_events")
    at = utc64(ev["at"])
    answer = np.flatnonzero((pos >= 0) & ~np.isnat(at) & (at <= np_moment(now))
                            & ~equals(ev["kind"], "info_request"))
    first = take_or_missing(answer, first_rows(pos[answer], at[answer], len(iv)), -1)
    kinds = ev["kind"].to_numpy(dtype=object)
    ended = (iv["ends_at"].notna() & (iv["ends_at"] <= now)).to_numpy()
    out = iv[ended].assign(
        first_response_at=as_utc(take_or_missing(at, first[ended])).array,
        first_response_kind=take_or_missing(kinds, first[ended], np.nan),
    )
    out["promised_at"] = end_of_local_day(out["feedback_by"], zone)
    out["days_to_response"] = (out["first_response_at"] - out["ends_at"]) / _DAY
    out["days_late"] = (out["first_response_at"] - out["promised_at"]) / _DAY
    answered = out["first_response_at"].notna()
    overdue = out["promised_at"].notna() & (now > out["promised_at"] + GHOSTING_AFTER)
    ghosted = ~answered & (overdue | (out["outcome"] == "ghosted"))
    out["status"] = np.where(answered, "answered", np.where(ghosted, "ghosting candidate",
                                                            "waiting"))
    cols = ["interview_id", "company", "stage", "ends_at", "feedback_by", "promised_at",
            "first_response_at", "first_response_kind", "days_to_response", "days_late",
            "status"]
    return out[cols].sort_values("ends_at", kind="stable").reset_index(drop=True)


def _summarise(
    df: pd.DataFrame, by: str | None, values: dict[str, str],
    counts: dict[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """Median, q1, q3 and n of each ``values`` column per group of ``by`` (groups sorted,
    rows without a group left out), and the sum of each ``counts`` mask per group."""
    if df.empty:
        if by:
            return pd.DataFrame()
        row: dict[str, Any] = {"interviews": 0}
        for prefix in values.values():
            row |= {f"{prefix}_n": 0, f"{prefix}_median": np.nan, f"{prefix}_q1": np.nan,
                    f"{prefix}_q3": np.nan}
        return pd.DataFrame([row | dict.fromkeys(counts or {}, 0)])
    if by:
        code, groups = pd.factorize(df[by].astype("str"), sort=True)
    else:
        code, groups = np.zeros(len(df), dtype=np.int64), None
    keep = code >= 0
    code = code[keep]
    size = len(groups) if by else 1
    out = pd.DataFrame({"interviews": np.bincount(code, minlength=size)})
    if by:
        out.insert(0, by, pd.Series(groups, dtype="str"))
    for col, prefix in values.items():
        v = pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        n, (q1, median, q3) = grouped_quantiles(code, v[keep], size)
        out[f"{prefix}_n"] = n
        out[f"{prefix}_median"], out[f"{prefix}_q1"], out[f"{prefix}_q3"] = median, q1, q3
    for name, mask in (counts or {}).items():
        out[name] = np.bincount(code[mask[keep]], minlength=size)
    return out


def employer_response_summary(
    frames: Mapping[str, pd.DataFrame], by: str | None = "stage", as_of: Any = None,
    *, times: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Employer response times by ``by`` ("stage", "company" or None for overall).

    Per group: ``interviews``; ``days_n``/``days_median``/``days_q1``/``days_q3`` of
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
    t = employer_response_times(frames, as_of) if times is None else times
    ghost = (t["status"] == "ghosting candidate").to_numpy(dtype=bool)
    out = _summarise(t, by, {"days_to_response": "days", "days_late": "late"},
                     {"ghosting": ghost})
    if out.empty:
        cols = ([by] if by else []) + ["interviews"] + [
            f"{p}_{s}" for p in ("days", "late") for s in ("n", "median", "q1", "q3")
        ] + ["ghosting", "ghosting_share", "ghosting_low", "ghosting_high"]
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols})
    low, high = wilson_interval(out["ghosting"], out["interviews"])
    out["ghosting_share"] = out["ghosting"] / out["interviews"]
    out["ghosting_low"], out["ghosting_high"] = low, high
    return out


def own_response_times(
    frames: Mapping[str, pd.DataFrame], as_of: Any = None,
    *, employer: pd.DataFrame | None = None,
) -> pd.DataFrame:
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
    is "on time". Without a promised date, the follow-up clock assumes one
    ``rules.FEEDBACK_ASSUMED_AFTER`` after the interview's day, as the agenda does.
    ``kind`` and ``timing`` are categoricals (:data:`OWN_KINDS`, :data:`TIMINGS`). Pass
    ``employer`` to reuse an :func:`employer_response_times` result for the same ``as_of``.

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
    emp = (employer_response_times(frames, now) if employer is None
           else employer.reset_index(drop=True))  # rows are matched by position below
    n = len(interview_index(frames))
    e_pos = positions_of(frames, emp)
    done = dict(zip(Step, done_moments(frames, now), strict=True))
    parts = []

    # thank-you: within THANK_YOU_WITHIN of the end (the message sent, or the step ticked)
    sent = done[Step.THANK_YOU]
    parts.append(pd.DataFrame({
        "interview_id": emp["interview_id"], "company": emp["company"],
        "anchor_at": emp["ends_at"], "kind": "thank_you",
        "due_at": emp["ends_at"] + THANK_YOU_WITHIN, "sent_at": _moments(sent, e_pos),
    }))

    # information replies: within INFO_REPLY_WITHIN of each request
    parts.append(_info_replies(frames, emp, e_pos, now, n))

    # follow-up: FOLLOW_UP_AFTER the promised (or assumed) date, unless they answered before
    anchor = follow_up_due(emp, user_zone(frames))
    sent = done[Step.FOLLOW_UP]
    parts.append(pd.DataFrame({
        "interview_id": emp["interview_id"], "company": emp["company"],
        "anchor_at": anchor, "due_at": anchor + FOLLOW_UP_TOLERANCE, "kind": "follow_up",
        "sent_at": _moments(sent, e_pos), "first_response_at": emp["first_response_at"],
    }))

    # each kind's rows by anchor (undated last), the kinds in the order above
    parts = [p.iloc[np.argsort(sort_key(p["anchor_at"]), kind="stable")] for p in parts
             if len(p)]
    if not parts:
        parts = [pd.DataFrame(columns=["kind", "interview_id", "company", "anchor_at",
                                       "due_at", "sent_at"])]
    out = pd.concat(parts, ignore_index=True)
    for col in ("anchor_at", "due_at", "sent_at", "first_response_at"):
        if col not in out:
            out[col] = pd.NaT
        if not isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = pd.to_datetime(out[col], utc=True)
    out["hours"] = (out["sent_at"] - out["anchor_at"]) / _HOUR
    anchor, due = utc64(out["anchor_at"]), utc64(out["due_at"])
    sent, first = utc64(out["sent_at"]), utc64(out["first_response_at"])
    was_sent = ~np.isnat(sent)  # comparisons with NaT are False below
    code = np.select([was_sent & (sent <= due), was_sent, due < np_moment(now)], [0, 1, 2], 3)
    kind = pd.Categorical(out["kind"], categories=OWN_KINDS)
    is_fu = kind.codes == OWN_KINDS.index("follow_up")
    code[is_fu & (sent < anchor - FOLLOW_UP_TOLERANCE.to_timedelta64())] = 4
    code[is_fu & (first <= anchor) & ~was_sent] = 5
    out["kind"], out["timing"] = kind, pd.Categorical.from_codes(code, TIMINGS)
    out["within"] = pd.arrays.BooleanArray(code == 0, np.isin(code, [3, 5]))
    cols = ["kind", "interview_id", "company", "anchor_at", "due_at", "sent_at", "hours",
            "within", "timing"]
    return out[cols]


def _moments(best: np.ndarray, pos: np.ndarray) -> pd.Series:
    """``best[pos]`` (naive UTC datetime64, NaT for pos -1) as a UTC column."""
    return as_utc(take_or_missing(best, pos))


def _info_replies(
    frames: Mapping[str, pd.DataFrame], emp: pd.DataFrame, e_pos: np.ndarray,
    now: pd.Timestamp, n: int,
) -> pd.DataFrame:
    """One row per information request by ``now`` (of an interview in the journal), with
    the first reply to it: the first reply linked to the request, else the first unlinked
    reply in the interview after it."""
    ev = table(frames, "employer_events", ["interview_id", "kind", "at"])
    at = utc64(ev["at"])
    r_pos = positions(frames, "employer_events")
    rows = np.flatnonzero(equals(ev["kind"], "info_request") & (at <= np_moment(now))
                          & (r_pos >= 0))
    ev_ids = (ev["id"].iloc[rows].astype("str") if "id" in ev
              else pd.Series(rows, dtype="str"))
    req = pd.DataFrame({"event_id": ev_ids.to_numpy(),
                        "interview_id": ev["interview_id"].iloc[rows].astype("str").to_numpy(),
                        "anchor_at": as_utc(at[rows])})
    msg = table(frames, "messages", ["interview_id", "kind", "sent_at"])
    m_at = utc64(msg["sent_at"])
    m_rows = np.flatnonzero(equals(msg["kind"], "info_reply") & (m_at <= np_moment(now)))
    reply_to = (msg["reply_to_event_id"].iloc[m_rows] if "reply_to_event_id" in msg
                else pd.Series([None] * len(m_rows)))
    replies = pd.DataFrame({
        "interview_id": msg["interview_id"].iloc[m_rows].astype("str").to_numpy(),
        "sent_at": as_utc(m_at[m_rows]),
        "reply_to": reply_to.astype("str").to_numpy(),
    })
    linked = replies.groupby("reply_to")["sent_at"].min()
    sent = (req["event_id"].map(linked) if len(linked) and len(req)
            else pd.Series(pd.NaT, index=req.index, dtype="datetime64[us, UTC]"))
    info = req[["event_id", "interview_id", "anchor_at"]].assign(
        sent_at=pd.to_datetime(sent, utc=True))
    # a reply not linked to its request: the first unlinked one in the interview after it
    unlinked = replies[replies["reply_to"].isin(["<NA>", "nan", "None"])]
    missing = info[info["sent_at"].isna()].reset_index()
    if len(missing) and len(unlinked):
        pairs = missing.merge(unlinked[["interview_id", "sent_at"]], on="interview_id",
                              suffixes=("_x", ""))
        pairs = pairs[pairs["sent_at"] >= pairs["anchor_at"]]
        first = pairs.groupby("index")["sent_at"].min()
        info.loc[first.index, "sent_at"] = first
    # the company as the employer table has it (interviews that have ended by now)
    emp_row = np.full(n, -1, dtype=np.int64)
    emp_row[e_pos[e_pos >= 0]] = np.flatnonzero(e_pos >= 0)
    company = take_or_missing(emp["company"].to_numpy(dtype=object),
                              take_or_missing(emp_row, r_pos[rows], -1), np.nan)
    return info.drop(columns="event_id").assign(
        company=company, kind="info_reply", due_at=info["anchor_at"] + INFO_REPLY_WITHIN)


def own_response_summary(
    frames: Mapping[str, pd.DataFrame], as_of: Any = None, *, times: pd.DataFrame | None = None
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
    t = own_response_times(frames, as_of) if times is None else times
    targets = {
        "thank_you": f"within {THANK_YOU_WITHIN / _HOUR:.0f} h of the end",
        "info_reply": f"within {INFO_REPLY_WITHIN / _HOUR:.0f} h of the request",
        "follow_up": f"{FOLLOW_UP_AFTER.days} days after the promised date "
                     f"(+/- {FOLLOW_UP_TOLERANCE.days} days)",
    }
    kinds = list(targets)
    kind = pd.Categorical(t["kind"], categories=kinds).codes.astype(np.int64)
    timing = t["timing"].to_numpy(dtype=object)
    judged = (kind >= 0) & ~np.isin(timing, ["open", "not needed"])
    code = kind[judged]
    _, (q1, median, q3) = grouped_quantiles(code, t["hours"].to_numpy(
        dtype=float, na_value=np.nan)[judged], len(kinds))

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(code[mask[judged]], minlength=len(kinds))

    sent = t["sent_at"].notna().to_numpy()
    rows = [{
        "kind": k, "target": targets[k], "due": int(due), "sent": int(sent_n),
        "hours_median": median[i], "hours_q1": q1[i], "hours_q3": q3[i],
        "on_time": int(on), "too_early": int(early), "late": int(late),
        "missing": int(miss),
    } for i, (k, due, sent_n, on, early, late, miss) in enumerate(zip(
        kinds, np.bincount(code, minlength=len(kinds)), count(sent),
        count(timing == "on time"), count(timing == "too early"), count(timing == "late"),
        count(timing == "missing"), strict=True))]
    out = pd.DataFrame(rows)
    low, high = wilson_interval(out["on_time"], out["due"])
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_on_time"] = np.where(out["due"] > 0, out["on_time"] / out["due"].clip(1),
                                        np.nan)
    out["low"], out["high"] = low, high
    return out


def answer_minutes(frames: Mapping[str, pd.DataFrame], freq: str = "QS") -> pd.DataFrame:
    """Minutes per answer by question category and period, where logged.

    Columns: ``category``, ``period`` (start of the calendar period of the interview,
    ``freq`` as in pandas: "MS" months, "QS" quarters, "YS" years), ``n`` (answers with
    minutes), ``median``, ``q1``, ``q3``.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> m = answer_minutes(tiny_frames(), freq="YS")
    >>> m[["category", "n", "median"]].to_numpy().tolist()
    [['motivation', 1, 3.0], ['system_design', 2, 11.0], ['technical', 1, 5.0]]
    """
    q = table(frames, "questions", ["interview_id", "category", "minutes"])
    iv = table(frames, "interviews", ["id", "starts_at"])
    period = take_or_missing(period_start(utc64(iv["starts_at"]), freq),
                             positions(frames, "questions"))
    minutes = pd.to_numeric(q["minutes"], errors="coerce").to_numpy(dtype=float,
                                                                    na_value=np.nan)
    code, names = codes(q["category"], sort=True)
    ok = ~np.isnan(minutes) & ~np.isnat(period) & (code >= 0)
    cols = ["category", "period", "n", "median", "q1", "q3"]
    if not ok.any():
        return pd.DataFrame(columns=cols)
    p_code, periods = pd.factorize(period[ok], sort=True)
    # categories by name, then periods in time order, as pandas' groupby sorts them
    by_name = np.argsort(np.argsort(np.asarray(names, dtype=str), kind="stable"))
    cell = by_name[code[ok]] * len(periods) + p_code
    n, (q1, median, q3) = grouped_quantiles(cell, minutes[ok], len(names) * len(periods))
    seen = np.flatnonzero(n)
    name_of = np.asarray(names, dtype=object)[np.argsort(by_name)]
    return pd.DataFrame({
        "category": pd.Series(name_of[seen // len(periods)], dtype="str"),
        "period": pd.Series(np.asarray(periods)[seen % len(periods)], dtype="datetime64[us]"),
        "n": n[seen].astype("int64"), "median": median[seen], "q1": q1[seen], "q3": q3[seen],
    })
