"""Agenda items as an iCalendar (``.ics``) file: one event or to-do per open step, with an alarm.

(Named ``reminders`` so it never shadows the standard library's ``calendar``.)

Public API:

* :func:`agenda_ics` ``(items, *, component="event", alarm_before=ALARM_BEFORE,
  now=None, day_alarm_at=DAY_ALARM_AT, zone=None) -> bytes``: every item still due or
  overdue becomes a ``VEVENT`` (or a ``VTODO`` with ``component="todo"``) with a
  ``VALARM``; done and missed items are left out.

Steps due at a moment (the thank-you 48 h after the interview) ring ``alarm_before`` that
moment. Steps due *by the end of a day* (assess your performance the same day; follow up a
week after the promised date) ring at ``day_alarm_at`` (09:00 unless the user chose another
hour) in the user's ``zone`` on that day, not at 22:59: the event is a 30-minute block at
that hour, the to-do keeps its real due time, and both carry an alarm at that moment.

Times are written in UTC (``...Z``), so no ``VTIMEZONE`` is needed and every client shows
them in its own zone. Each item has a stable ``UID`` (interview id + step or request id),
so importing a newer file updates the same entries instead of duplicating them. Text comes
from the journal and goes through the ``icalendar`` package, which escapes commas,
semicolons and line breaks; a line break can never start a new property.

>>> from datetime import datetime, timezone
>>> from afterview_analysis.records import Interview
>>> from afterview_analysis.rules import agenda
>>> iv = Interview(company="Acme", role="Analyst",
...                starts_at=datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
>>> now = datetime(2026, 3, 2, 10, 30, tzinfo=timezone.utc)
>>> ics = agenda_ics(agenda([iv], now), now=now)
>>> ics.count(b"BEGIN:VEVENT"), ics.count(b"BEGIN:VALARM")
(6, 6)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from afterview_analysis.records import Step
from afterview_analysis.rules import DEADLINES, END_OF_DAY, AgendaItem

__all__ = ["ALARM_BEFORE", "DAY_ALARM_AT", "EVENT_LENGTH", "PRODID", "agenda_ics",
           "day_alarm", "is_day_deadline"]

PRODID = "-//afterview//playbook reminders//EN"
#: How long before the due time the alarm rings.
ALARM_BEFORE = timedelta(hours=1)
#: The earliest an alarm may ring: four weeks before (the playbook's longest wait is a
#: week after the promised date; anything earlier is a typo, not a reminder).
MAX_ALARM_BEFORE = timedelta(weeks=4)
#: Events are short blocks ending at the due time (a to-do has just a due time).
EVENT_LENGTH = timedelta(minutes=30)
#: When a reminder for a day's deadline rings, in the user's zone, unless they choose.
DAY_ALARM_AT = time(9, 0)
_DAY_ANCHORS = ("end_of_day", "feedback_by")


def is_day_deadline(item: AgendaItem) -> bool:
    """True when the step is due by the end of a day (rules.DEADLINES anchors it there).

    >>> from datetime import datetime, timezone
    >>> from afterview_analysis.records import Interview
    >>> from afterview_analysis.rules import agenda
    >>> iv = Interview(company="A", role="B",
    ...                starts_at=datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
    >>> [i.step for i in agenda([iv]) if is_day_deadline(i)]
    ['assess_performance', 'follow_up']
    """
    return item.step in Step.__members__.values() and \
        DEADLINES[Step(item.step)][0] in _DAY_ANCHORS


def day_alarm(item: AgendaItem, at: time = DAY_ALARM_AT, zone: str | None = None) -> datetime:
    """When a day deadline's reminder rings (UTC): ``at`` on the due day, in ``zone``.

    Without a zone, the due day is the one whose END_OF_DAY the due time is (right but
    on a daylight-saving change day, when it may ring an hour off).
    """
    if zone:
        z = ZoneInfo(zone)
        return datetime.combine(item.due_at.astimezone(z).date(), at, z).astimezone(UTC)
    end = timedelta(hours=END_OF_DAY.hour, minutes=END_OF_DAY.minute)
    return (item.due_at - end + timedelta(hours=at.hour, minutes=at.minute)).astimezone(UTC)


def agenda_ics(
    items: Iterable[AgendaItem],
    *,
    component: str = "event",
    alarm_before: timedelta = ALARM_BEFORE,
    now: datetime | None = None,
    day_alarm_at: time = DAY_ALARM_AT,
    zone: str | None = None,
) -> bytes:
    """The open agenda items as an iCalendar file (RFC 5545), as bytes.

    ``component="event"`` (the default, shown by every calendar): a 30-minute ``VEVENT``
    ending at the due time. ``component="todo"``: a ``VTODO`` with ``DUE``. Either way an
    alarm rings ``alarm_before`` the due time. A step due by the end of a day instead
    rings at ``day_alarm_at`` on that day in ``zone`` (the user's, ``Profile.timezone``),
    and its event is a 30-minute block at that hour (module doc). Overdue items keep their
    real due time and say "(overdue)" in the summary.
    """
    from icalendar import Alarm, Calendar, Event, Todo

    if component not in ("event", "todo"):
        raise ValueError(f"component must be 'event' or 'todo', not {component!r}")
    if not timedelta(0) <= alarm_before <= MAX_ALARM_BEFORE:
        raise ValueError(f"alarm_before must be between 0 and {MAX_ALARM_BEFORE}, "
                         f"not {alarm_before}")
    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    for item in items:
        if not item.is_open:
            continue
        due = item.due_at.astimezone(UTC)
        ring = day_alarm(item, day_alarm_at, zone) if is_day_deadline(item) else None
        overdue = " (overdue)" if item.status == "overdue" else ""
        by_day = " (by the end of the day)" if ring is not None else ""
        summary = f"{item.title.capitalize()}: {item.company}, {item.role}{by_day}{overdue}"
        entry = Event() if component == "event" else Todo()
        entry.add("uid", f"{item.uid}@afterview")
        entry.add("dtstamp", stamp)
        entry.add("summary", summary)
        entry.add("description", item.reason)
        entry.add("categories", ["afterview", item.step])
        if component == "event":
            start = ring if ring is not None else due - EVENT_LENGTH
            entry.add("dtstart", start)
            entry.add("dtend", start + EVENT_LENGTH if ring is not None else due)
            entry.add("transp", "TRANSPARENT")
        else:
            entry.add("due", due)
            entry.add("status", "NEEDS-ACTION")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        if ring is not None:  # an absolute moment: that day, at the chosen hour
            alarm.add("trigger", ring)
        else:
            # RELATED=END: relative to DTEND (event) or DUE (to-do), i.e. to the due time
            alarm.add("trigger", -alarm_before, parameters={"RELATED": "END"})
        entry.add_component(alarm)
        cal.add_component(entry)
    return cal.to_ical()
