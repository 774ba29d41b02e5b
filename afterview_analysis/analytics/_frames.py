"""Checks and small helpers shared by the analysis modules (no statistics here)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from afterview_analysis.records import AfterviewError

__all__ = ["AnalysisError", "as_of_timestamp", "categorical", "interviews", "local_date",
           "period_start", "rows_of_interviews", "scores", "table", "user_zone", "utc"]


class AnalysisError(AfterviewError, ValueError):
    """The frames handed to an analysis function lack a table or a column it needs."""


def table(frames: Mapping[str, pd.DataFrame], name: str, columns: Iterable[str]) -> pd.DataFrame:
    """``frames[name]``, checked to have ``columns``; a missing table reads as empty.

    Raises AnalysisError naming the table and the missing column otherwise.
    """
    if not isinstance(frames, Mapping):
        raise AnalysisError(
            f"expected the dict from Journal.frames(), got {type(frames).__name__}"
        )
    columns = list(columns)
    df = frames.get(name)
    if df is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    if not isinstance(df, pd.DataFrame):
        raise AnalysisError(f"frames[{name!r}] must be a DataFrame, not {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise AnalysisError(f"frames[{name!r}] has no column {missing[0]!r}")
    return df


def utc(series: pd.Series) -> pd.Series:
    """A column as timezone-aware UTC datetimes (naive values are taken as UTC)."""
    if series.empty:
        return pd.Series(index=series.index, dtype="datetime64[us, UTC]", name=series.name)
    out = pd.to_datetime(series, errors="coerce")
    if getattr(out.dt, "tz", None) is None:
        out = out.dt.tz_localize("UTC")
    return out.dt.tz_convert("UTC").astype("datetime64[us, UTC]")


def categorical(column: pd.Series, categories: list[str]) -> pd.Categorical:
    """A text or categorical column as a Categorical of ``categories`` (other values
    become missing).

    >>> categorical(pd.Series(["late", "open"], dtype="category"), ["on time", "late"])
    ['late', NaN]
    Categories (2, str): ['on time', 'late']
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.set_categories(categories).array
    return pd.Categorical(column, categories=categories)


def scores(series: pd.Series) -> pd.Series:
    """A score or count column as floats (NaN where missing or not a number)."""
    return pd.to_numeric(series, errors="coerce").astype("float64")


def interviews(frames: Mapping[str, pd.DataFrame], columns: Iterable[str] = ()) -> pd.DataFrame:
    """``frames["interviews"]`` with ``id`` as text, renamed ``interview_id``, plus
    ``columns``; ``starts_at`` and ``ends_at`` as UTC (``ends_at`` from
    ``duration_minutes`` when the frame has no such column). An id given twice is an
    error: every analysis joins its rows to the interviews on it."""
    columns = list(columns)
    computed = [c for c in ("ends_at",) if c in columns]
    iv = table(frames, "interviews", ["id", *[c for c in columns if c not in computed]])
    out = iv[[c for c in columns if c not in computed or c in iv]].assign(
        interview_id=iv["id"].astype("str"))
    if out["interview_id"].duplicated().any():
        dup = out.loc[out["interview_id"].duplicated(), "interview_id"].iloc[0]
        raise AnalysisError(f"frames['interviews'] has the id {dup!r} more than once")
    if "starts_at" in out:
        out["starts_at"] = utc(out["starts_at"])
    if computed and "ends_at" in iv:
        out["ends_at"] = utc(iv["ends_at"])
    elif computed and "duration_minutes" in iv:
        out["ends_at"] = utc(iv["starts_at"]) + pd.to_timedelta(
            scores(iv["duration_minutes"]), "m")
    elif computed:
        raise AnalysisError("frames['interviews'] has no column 'ends_at'")
    return out[["interview_id", *columns]]


def rows_of_interviews(
    frames: Mapping[str, pd.DataFrame], name: str, columns: Iterable[str]
) -> pd.DataFrame:
    """The rows of ``frames[name]`` whose interview is in ``frames["interviews"]``, with
    ``interview_id`` as text and ``columns``, in their own order (a journal can hold
    scores of an interview a caller has filtered out: they are left out everywhere)."""
    columns = [c for c in columns if c != "interview_id"]
    df = table(frames, name, ["interview_id", *columns])
    known = table(frames, "interviews", ["id"])["id"].astype("str")
    out = df[columns].assign(interview_id=df["interview_id"].astype("str"))
    return out[out["interview_id"].isin(known)][["interview_id", *columns]]


_PERIODS = {"MS": "M", "QS": "Q", "YS": "Y"}


def period_start(moments: pd.Series, freq: str) -> pd.Series:
    """Start (midnight, UTC, naive) of the calendar month, quarter or year ("MS", "QS",
    "YS") of each moment; NaT stays NaT.

    >>> at = pd.Series(pd.to_datetime(["2026-05-17T10:00", "2026-12-31T23:59"], utc=True))
    >>> period_start(at, "QS").dt.strftime("%Y-%m-%d").tolist()
    ['2026-04-01', '2026-10-01']
    """
    if freq not in _PERIODS:
        raise AnalysisError(f"freq = {freq!r}: must be 'MS' (months), 'QS' (quarters) or 'YS'")
    naive = utc(moments).dt.tz_localize(None)
    return naive.dt.to_period(_PERIODS[freq]).dt.start_time.astype("datetime64[us]")


def user_zone(frames: Mapping[str, pd.DataFrame]) -> str:
    """The user's IANA zone from the profile table; UTC when unknown."""
    profile = frames.get("profile")
    if isinstance(profile, pd.DataFrame) and "timezone" in profile and len(profile):
        zone = profile["timezone"].iloc[0]
        if isinstance(zone, str) and zone:
            return zone
    return "UTC"


def as_of_timestamp(as_of: Any = None, zone: str = "UTC") -> pd.Timestamp:
    """``as_of`` as a UTC timestamp; now when None. A bare date or a time without a zone
    is read in ``zone`` (the user's: "2026-03-14" means midnight there, as for
    ``afterview agenda --today``).

    >>> as_of_timestamp("2026-03-14", "Europe/Berlin").isoformat()
    '2026-03-13T23:00:00+00:00'
    >>> as_of_timestamp("2026-03-29T02:30", "Europe/Berlin").isoformat()  # skipped: CET
    '2026-03-29T01:30:00+00:00'
    """
    if as_of is None:
        return pd.Timestamp(datetime.now().astimezone()).tz_convert("UTC")
    ts = pd.Timestamp(as_of)
    if ts.tzinfo is None:  # as the command line reads a time: a local time the clock
        # skips or repeats at a change is read with the offset before the change
        ts = pd.Timestamp(ts.to_pydatetime().replace(tzinfo=ZoneInfo(zone)))
    return ts.tz_convert("UTC")


def replay(frames: Mapping[str, pd.DataFrame], as_of: pd.Timestamp) -> dict[str, pd.DataFrame]:
    """The journal as it stood at ``as_of``: everything recorded after it left out.

    Interviews that start after it go, and with them their questions and scores (an
    interview is dated by when it happened, not by when it was typed in: a journal filled
    in later, or imported, replays the same); an outcome dated after it reads "pending";
    employer events, playbook ticks, heads-ups and practice after it go; a message sent
    after it is still a draft. A new dict of new frames; ``frames`` is not changed.

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> old = replay(tiny_frames(), pd.Timestamp("2026-02-05", tz="UTC"))
    >>> old["interviews"]["id"].tolist(), old["interviews"]["outcome"].astype(str).tolist()
    (['a', 'b'], ['rejected', 'pending'])
    """
    out = dict(frames)

    def after(df: pd.DataFrame, column: str) -> pd.Series:
        return utc(df[column]) > as_of if column in df else pd.Series(False, index=df.index)

    iv = frames.get("interviews")
    if iv is not None:
        iv = iv[~after(iv, "starts_at")]
        if "outcome_on" in iv:
            decided_later = pd.to_datetime(iv["outcome_on"]).dt.tz_localize(None) > \
                as_of.tz_convert(None)
            iv = iv.assign(
                outcome=iv["outcome"].mask(decided_later, "pending"),
                outcome_on=iv["outcome_on"].mask(decided_later))
        out["interviews"] = iv
    for name, column in (("employer_events", "at"), ("playbook_steps", "done_at"),
                         ("heads_ups", "sent_at"), ("practice", "practised_at")):
        df = frames.get(name)
        if df is not None:
            out[name] = df[~after(df, column)]
    msg = out.get("messages")
    if msg is not None and "sent_at" in msg:
        out["messages"] = msg.assign(sent_at=msg["sent_at"].mask(after(msg, "sent_at")))
    return out


def local_date(moments: pd.Series, zone: str) -> pd.Series:
    """The calendar date (naive midnight) of each UTC moment in ``zone``."""
    return pd.to_datetime(moments, utc=True).dt.tz_convert(zone).dt.tz_localize(None) \
        .dt.normalize()
