"""ipywidgets views of the workbook: one view per task, state kept apart from the view.

* :class:`InterviewFormView` (state :class:`InterviewFormState`) — after the interview:
  the interview, next steps, interviewers, questions, skills, the playbook checklist, and
  later :class:`EmployerEventsView` (feedback, information requests, outcomes).
* :class:`ProfileFormView` (state :class:`ProfileFormState`) — who you are, your zone.
* :class:`ReflectView` (state :class:`ReflectState`) — agenda, focus next, skill trends
  with skill and date pickers, weak areas, response times, calibration, funnel; an empty
  journal offers the demo in a separate journal.
* :class:`TodayView` (state :class:`TodayState`) — the first screen: the pipeline of
  interviews by where they stand, the agenda with *Done* and *Draft* per row, a quick
  "log an interview", the welcome and the demo button on an empty journal.
* :func:`open_journal`, :func:`page` — the journal every notebook shows (yours, or the
  demo once a page loaded it) and the links between the notebooks.
* :class:`MessagesView` (state :class:`MessageFormState`) — draft, edit, save, export
  ``.eml``, ``mailto:``, mark sent; the agenda as ``.ics``.
* :class:`BankView` (state :class:`BankState`), :class:`PrepView` — Prepare: the question
  bank (groups, best answers, practice; confirm, merge, split) and the prep sheet;
  :class:`PracticeView` — in Reflect: did practised questions score better?

Views hold no SQL and no statistics: they call the journal and the package's functions.
Every important control carries an ``av-...`` CSS class for browser tests. Names are
imported on first use, so ``import afterview_analysis.widgets`` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_WHERE = {
    "InterviewFormView": "interview_view",
    "EmployerEventsView": "interview_view",
    "InterviewFormState": "interview_state",
    "FormError": "interview_state",
    "ProfileFormView": "profile",
    "ProfileFormState": "profile",
    "MessagesView": "messages",
    "MessageFormState": "messages",
    "BankView": "bank",
    "BankState": "bank",
    "PracticeView": "bank",
    "PrepView": "bank",
    "ReflectView": "reflect",
    "ReflectState": "reflect",
    "TodayView": "today",
    "TodayState": "today",
    "open_journal": "workbook",
    "page": "workbook",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)
