"""Reflection analytics: pure functions from ``Journal.frames()`` to tidy DataFrames.

Every function takes the dict of frames from :meth:`Journal.frames` (or a subset with the
tables it needs), never mutates it, and returns a new DataFrame. Every level, rate or
trend comes with its n and a 95 % interval, and says "not enough data" when it has to.

Public functions (one module per topic):

* skills -- :func:`score_history`, :func:`skill_trends`, :func:`weak_areas`,
  :func:`focus_next`
"""

from __future__ import annotations

from afterview_analysis.analytics._frames import AnalysisError
from afterview_analysis.analytics.skills import (
    FLAT_MARGIN,
    MIN_TREND_N,
    MIN_TREND_SPAN_DAYS,
    WINDOW,
    focus_next,
    score_history,
    skill_trends,
    trends_from_history,
    weak_areas,
)

__all__ = [
    "FLAT_MARGIN",
    "MIN_TREND_N",
    "MIN_TREND_SPAN_DAYS",
    "WINDOW",
    "AnalysisError",
    "focus_next",
    "score_history",
    "skill_trends",
    "trends_from_history",
    "weak_areas",
]
