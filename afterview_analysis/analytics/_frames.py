"""Checks and small helpers shared by the analysis modules (no statistics here)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from afterview_analysis.records import AfterviewError

__all__ = ["AnalysisError", "as_of_timestamp", "local_date", "table", "user_zone"]


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
    out = pd.to_datetime(series, errors="coerce")
    if getattr(out.dt, "tz", None) is None:
        out = out.dt.tz_localize("UTC")
    return out.dt.tz_convert("UTC")


def utc64(series: pd.Series) -> np.ndarray:
    """A column as numpy ``datetime64[us]`` moments in UTC (NaT where missing)."""
    return utc(series).to_numpy(dtype="datetime64[us]")


def as_utc(moments: np.ndarray) -> pd.Series:
    """Naive ``datetime64`` UTC moments (as :func:`utc64` gives) as a UTC column."""
    return pd.Series(moments, dtype="datetime64[us]").dt.tz_localize("UTC")


def np_moment(moment: pd.Timestamp) -> np.datetime64:
    """A timestamp as a naive numpy UTC moment, to compare with :func:`utc64` arrays."""
    return np.datetime64(moment.tz_convert("UTC").tz_localize(None), "us")


def sort_key(moments: pd.Series) -> np.ndarray:
    """Integers that sort ``moments`` as pandas does (NaT last)."""
    key = moments.to_numpy(dtype="datetime64[us]").astype(np.int64)
    return np.where(moments.isna().to_numpy(), np.iinfo(np.int64).max, key)


_PERIOD_MONTHS = {"MS": 1, "QS": 3, "YS": 12}


def period_start(moments: np.ndarray, freq: str) -> np.ndarray:
    """Start (midnight) of the calendar month, quarter or year ("MS", "QS", "YS") of each
    ``datetime64`` moment, as ``datetime64[us]``; NaT stays NaT.

    >>> at = np.array(["2026-05-17T10:00", "2026-12-31T23:59"], dtype="datetime64[us]")
    >>> [str(d)[:10] for d in period_start(at, "QS")]
    ['2026-04-01', '2026-10-01']
    """
    if freq not in _PERIOD_MONTHS:
        raise AnalysisError(f"freq = {freq!r}: must be 'MS' (months), 'QS' (quarters) or 'YS'")
    months = moments.astype("datetime64[M]")
    step = _PERIOD_MONTHS[freq]
    if step > 1:  # months since 1970-01, which starts a quarter and a year
        count = months.astype(np.int64)
        months = (count - count % step).astype("datetime64[M]")
        months[np.isnat(moments)] = np.datetime64("NaT")
    return months.astype("datetime64[us]")


def user_zone(frames: Mapping[str, pd.DataFrame]) -> str:
    """The user's IANA zone from the profile table; UTC when unknown."""
    profile = frames.get("profile")
    if isinstance(profile, pd.DataFrame) and "timezone" in profile and len(profile):
        zone = profile["timezone"].iloc[0]
        if isinstance(zone, str) and zone:
            return zone
    return "UTC"


def end_of_local_day(days: pd.Series, zone: str) -> pd.Series:
    """rules.END_OF_DAY (23:59) on each calendar date in ``zone``, as UTC (NaT stays NaT)."""
    d = pd.to_datetime(days, errors="coerce")
    if getattr(d.dt, "tz", None) is not None:
        d = d.dt.tz_localize(None)
    from afterview_analysis.rules import END_OF_DAY

    at = pd.Timedelta(hours=END_OF_DAY.hour, minutes=END_OF_DAY.minute)
    local = (d.dt.normalize() + at).dt.tz_localize(
        zone, ambiguous="NaT", nonexistent="shift_forward"
    )
    return local.dt.tz_convert("UTC")


def as_of_timestamp(as_of: Any = None) -> pd.Timestamp:
    """``as_of`` as a UTC timestamp; now when None (naive values are taken as UTC)."""
    if as_of is None:
        return pd.Timestamp(datetime.now().astimezone()).tz_convert("UTC")
    ts = pd.Timestamp(as_of)
    if ts.tzinfo is None:
        ts = ts.tz_localize("UTC")
    return ts.tz_convert("UTC")


def local_date(moments: pd.Series, zone: str) -> pd.Series:
    """The calendar date (naive midnight) of each UTC moment in ``zone``."""
    return pd.to_datetime(moments, utc=True).dt.tz_convert(zone).dt.tz_localize(None) \
        .dt.normalize()
