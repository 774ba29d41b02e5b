"""The .ics export, read back by two independent parsers (icalendar and vobject)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
import vobject

from afterview_analysis.records import EmployerEvent, Interview, PlaybookStep
from afterview_analysis.reminders import agenda_ics
from afterview_analysis.rules import agenda
from tests.conftest import make_interview
from tests.hostile import HEADER_INJECTIONS

NOW = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def read_icalendar(data: bytes, name: str) -> list[dict]:
    cal = icalendar.Calendar.from_ical(data)
    out = []
    for comp in cal.walk(name):
        [alarm] = comp.subcomponents
        trigger = alarm["TRIGGER"]
        out.append({
            "uid": str(comp["UID"]),
            "summary": str(comp["SUMMARY"]),
            "description": str(comp["DESCRIPTION"]),
            "due": _utc(comp.decoded("DTEND" if name == "VEVENT" else "DUE")),
            "start": _utc(comp.decoded("DTSTART")) if name == "VEVENT" else None,
            "alarm": (str(alarm["ACTION"]), trigger.dt, trigger.params.get("RELATED")),
        })
    return out


def read_vobject(data: bytes, name: str) -> list[dict]:
    cal = vobject.readOne(data.decode("utf-8"))
    out = []
    for comp in cal.getChildren():
        if comp.name != name:
            continue
        [alarm] = [c for c in comp.getChildren() if c.name == "VALARM"]
        out.append({
            "uid": comp.uid.value,
            "summary": comp.summary.value,
            "description": comp.description.value,
            "due": _utc(comp.dtend.value if name == "VEVENT" else comp.due.value),
            "start": _utc(comp.dtstart.value) if name == "VEVENT" else None,
            "alarm": (alarm.action.value, alarm.trigger.value,
                      alarm.trigger.params.get("RELATED", [None])[0]),
        })
    return out


@pytest.fixture
def items():
    iv = make_interview(company="Acme, Inc; \"Labs\"", starts_at=datetime(2026, 3, 2, 9, 0,
                                                                           tzinfo=UTC))
    done = PlaybookStep(interview_id=iv.id, step="ask_next_steps", done_at=iv.ends_at)
    ask = EmployerEvent(interview_id=iv.id, kind="info_request", at=datetime(2026, 3, 3, 9,
                                                                              tzinfo=UTC),
                        note="Two work samples, please;\nand your notice period, thanks")
    return agenda([iv, done, ask], NOW)


@pytest.mark.parametrize(("component", "name"), [("event", "VEVENT"), ("todo", "VTODO")])
def test_both_parsers_read_the_same_reminders(items, component, name):
    data = agenda_ics(items, component=component, now=NOW)
    assert b"\r\n" in data and data.startswith(b"BEGIN:VCALENDAR")
    ours, theirs = read_icalendar(data, name), read_vobject(data, name)
    assert ours == theirs
    open_items = [i for i in items if i.is_open]
    # one entry per open step, none for the done one
    assert len(ours) == len(open_items) == 6
    assert {e["uid"] for e in ours} == {f"{i.uid}@afterview" for i in open_items}
    for entry, item in zip(ours, open_items, strict=True):
        assert entry["due"] == item.due_at
        assert entry["description"] == item.reason
        assert "Acme, Inc; \"Labs\"" in entry["summary"]
        assert entry["alarm"] == ("DISPLAY", -timedelta(hours=1), "END")
        if component == "event":
            assert entry["start"] == item.due_at - timedelta(minutes=30)
    # the request's note, line break and all, is one escaped property
    reply = next(e for e in ours if "request" in e["uid"] or "answer" in e["summary"].lower())
    assert "notice period" in reply["description"] and "\n" in reply["description"]
    overdue = [e for e, i in zip(ours, open_items, strict=True) if i.status == "overdue"]
    assert overdue and all(e["summary"].endswith("(overdue)") for e in overdue)


def test_alarm_lead_time_is_configurable(items):
    data = agenda_ics(items, alarm_before=timedelta(minutes=15), now=NOW)
    assert {e["alarm"][1] for e in read_vobject(data, "VEVENT")} == {-timedelta(minutes=15)}


def test_nothing_open_gives_an_empty_but_valid_calendar():
    assert read_icalendar(agenda_ics([], now=NOW), "VEVENT") == []
    assert read_vobject(agenda_ics([], now=NOW), "VEVENT") == []


@pytest.mark.parametrize("payload", [p for p in HEADER_INJECTIONS if "\n" in p or "\r" in p])
def test_line_breaks_in_text_cannot_add_properties_or_events(payload):
    iv = make_interview(notes=None, starts_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    ask = EmployerEvent(interview_id=iv.id, kind="info_request", note=payload,
                        at=datetime(2026, 3, 3, 9, tzinfo=UTC))
    data = agenda_ics(agenda([iv, ask], NOW), now=NOW)
    events = read_vobject(data, "VEVENT")
    assert len(events) == 7 == data.count(b"\r\nBEGIN:VEVENT")  # six steps, the reply
    assert b"\r\nBcc:" not in data and b"\r\nATTENDEE" not in data
    assert b"\r\nSUMMARY:injected" not in data


def test_refuses_an_unknown_component(items):
    with pytest.raises(ValueError, match="'event' or 'todo'"):
        agenda_ics(items, component="journal")


def test_demo_reminders_parse_with_both(demo_journal):
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    data = agenda_ics(agenda(demo_journal, now), now=now)
    ours, theirs = read_icalendar(data, "VEVENT"), read_vobject(data, "VEVENT")
    assert ours == theirs and len(ours) >= 1
    assert len({e["uid"] for e in ours}) == len(ours)
    assert all(isinstance(i, Interview) for i in demo_journal.find(Interview))


def test_alarm_lead_time_is_bounded(items):
    assert agenda_ics(items, alarm_before=timedelta(weeks=4), now=NOW)
    for bad in (timedelta(weeks=4, minutes=1), timedelta(minutes=-1)):
        with pytest.raises(ValueError, match="alarm_before must be between 0 and"):
            agenda_ics(items, alarm_before=bad, now=NOW)
