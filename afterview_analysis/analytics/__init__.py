"""Reflection analytics: pure functions from ``Journal.frames()`` to tidy DataFrames.

Every function takes the dict of frames from :meth:`Journal.frames` (or a subset with the
tables it needs), never mutates it, and returns a new DataFrame. Every level, rate or
trend comes with its n and a 95 % interval, and says "not enough data" when it has to.
Functions that judge deadlines take ``as_of`` (default: now). Rows are joined to their
interview by position, not by text id (``_keys``); ``report.build_report`` computes those
positions once for all the analyses it runs.

Public functions (one module per topic):

* skills -- :func:`score_history`, :func:`skill_trends`, :func:`weak_areas`,
  :func:`focus_next` (and :func:`trends_from_history` to reuse a history)
* responses -- :func:`employer_response_times`, :func:`employer_response_summary`,
  :func:`own_response_times`, :func:`own_response_summary`, :func:`answer_minutes`
* calibration -- :func:`calibration_points`, :func:`calibration`,
  :func:`reliability_table`, :func:`self_score_vs_outcome`
* funnel -- :func:`funnel`
* compliance -- :func:`step_deadlines`, :func:`playbook_compliance`

>>> from afterview_analysis.journal import Journal
>>> frames = Journal(":memory:").frames()
>>> skill_trends(frames).empty, calibration(frames)["verdict"].item()
(True, 'not enough outcomes')
"""

from __future__ import annotations

from afterview_analysis.analytics._frames import AnalysisError
from afterview_analysis.analytics.calibration import (
    MIN_OUTCOMES,
    calibration,
    calibration_points,
    reliability_table,
    self_score_vs_outcome,
)
from afterview_analysis.analytics.compliance import (
    STATUSES,
    playbook_compliance,
    step_deadlines,
)
from afterview_analysis.analytics.funnel import funnel
from afterview_analysis.analytics.responses import (
    FOLLOW_UP_TOLERANCE,
    GHOSTING_AFTER,
    OWN_KINDS,
    TIMINGS,
    answer_minutes,
    employer_response_summary,
    employer_response_times,
    own_response_summary,
    own_response_times,
)
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
    "FOLLOW_UP_TOLERANCE",
    "GHOSTING_AFTER",
    "MIN_OUTCOMES",
    "MIN_TREND_N",
    "MIN_TREND_SPAN_DAYS",
    "OWN_KINDS",
    "STATUSES",
    "TIMINGS",
    "WINDOW",
    "AnalysisError",
    "answer_minutes",
    "calibration",
    "calibration_points",
    "employer_response_summary",
    "employer_response_times",
    "focus_next",
    "funnel",
    "own_response_summary",
    "own_response_times",
    "playbook_compliance",
    "reliability_table",
    "score_history",
    "self_score_vs_outcome",
    "skill_trends",
    "step_deadlines",
    "trends_from_history",
    "weak_areas",
]
