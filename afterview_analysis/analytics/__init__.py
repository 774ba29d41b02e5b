"""Reflection analytics: pure functions from ``Journal.frames()`` to tidy DataFrames.

Every function takes the dict of frames from :meth:`Journal.frames` (or a subset with the
tables it needs), never mutates it, and returns a new DataFrame. Every level, rate or
trend comes with its n and a 95 % interval, and says "not enough data" when it has to.
Functions that judge deadlines take ``as_of`` (default: now). A function that summarises
another's table has a twin that takes that table (``summarise_employer_times(times)``
for ``employer_response_summary(frames)``), so ``report.build_report`` computes each
table once.

Public functions (one module per topic):

* skills -- :func:`score_history`, :func:`skill_trends` (:func:`trends_from_history`),
  :func:`weak_areas` (:func:`rank_areas`), :func:`focus_next` (:func:`practice_list`)
* employer -- :func:`employer_response_times`, :func:`employer_response_summary`
  (:func:`summarise_employer_times`)
* responses -- :func:`own_response_times` (:func:`message_times`),
  :func:`own_response_summary` (:func:`summarise_own_times`), :func:`answer_minutes`
* calibration -- :func:`calibration_points`, :func:`calibration` (:func:`brier_score`),
  :func:`reliability_table` (:func:`reliability_bins`), :func:`self_score_vs_outcome`
  (:func:`compare_self_scores`)
* funnel -- :func:`funnel`
* compliance -- :func:`step_deadlines` (every step of every interview, and every
  information request: the one table of "on time"), :func:`playbook_compliance`
  (:func:`summarise_compliance`)

>>> from afterview_analysis.journal import Journal
>>> frames = Journal(":memory:").frames()
>>> skill_trends(frames).empty, calibration(frames)["verdict"].item()
(True, 'not enough outcomes')
"""

from __future__ import annotations

from afterview_analysis.analytics._frames import AnalysisError
from afterview_analysis.analytics.calibration import (
    MIN_OUTCOMES,
    brier_score,
    calibration,
    calibration_points,
    compare_self_scores,
    reliability_bins,
    reliability_table,
    self_score_vs_outcome,
)
from afterview_analysis.analytics.compliance import (
    JUDGED,
    STATUSES,
    STEPS,
    playbook_compliance,
    step_deadlines,
    summarise_compliance,
)
from afterview_analysis.analytics.employer import (
    GHOSTING_AFTER,
    employer_response_summary,
    employer_response_times,
    summarise_employer_times,
)
from afterview_analysis.analytics.funnel import funnel
from afterview_analysis.analytics.responses import (
    FOLLOW_UP_TOLERANCE,
    OWN_KINDS,
    TIMINGS,
    answer_minutes,
    message_times,
    own_response_summary,
    own_response_times,
    summarise_own_times,
)
from afterview_analysis.analytics.skills import (
    FLAT_MARGIN,
    MIN_FOCUS_N,
    MIN_TREND_N,
    MIN_TREND_SPAN_DAYS,
    SKILL_ADVICE,
    SKILL_CATEGORIES,
    WINDOW,
    focus_next,
    practice_list,
    rank_areas,
    score_history,
    skill_trends,
    trends_from_history,
    weak_areas,
)

__all__ = [
    "FLAT_MARGIN",
    "FOLLOW_UP_TOLERANCE",
    "GHOSTING_AFTER",
    "JUDGED",
    "MIN_FOCUS_N",
    "MIN_OUTCOMES",
    "MIN_TREND_N",
    "MIN_TREND_SPAN_DAYS",
    "OWN_KINDS",
    "SKILL_ADVICE",
    "SKILL_CATEGORIES",
    "STATUSES",
    "STEPS",
    "TIMINGS",
    "WINDOW",
    "AnalysisError",
    "answer_minutes",
    "brier_score",
    "calibration",
    "calibration_points",
    "compare_self_scores",
    "employer_response_summary",
    "employer_response_times",
    "focus_next",
    "funnel",
    "message_times",
    "own_response_summary",
    "own_response_times",
    "playbook_compliance",
    "practice_list",
    "rank_areas",
    "reliability_bins",
    "reliability_table",
    "score_history",
    "self_score_vs_outcome",
    "skill_trends",
    "step_deadlines",
    "summarise_compliance",
    "summarise_employer_times",
    "summarise_own_times",
    "trends_from_history",
    "weak_areas",
]
