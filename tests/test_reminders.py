"""The .ics export, read back by two independent parsers (icalendar and vobject)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from afterview_analysis.journal import Journal
from afterview_analysis.records import EmployerEvent, Interview, PlaybookStep, Profile
from afterview_analysis.reminders import agenda_ics, day_alarm, is_day_deadline
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
        assert entry["description"] == item.reason
        assert "Acme, Inc; \"Labs\"" in entry["summary"]
        if is_day_deadline(item):  # due 23:59: rings at 09:00 that day, an absolute moment
            ring = item.due_at.replace(hour=9, minute=0)
            assert entry["alarm"] == ("DISPLAY", ring, None)
            assert "by the end of the day" in entry["summary"]
            if component == "event":
                assert (entry["start"], entry["due"]) == (ring, ring + timedelta(minutes=30))
            else:
                assert entry["due"] == item.due_at
            continue
        assert entry["due"] == item.due_at
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
    timed = [e for e, i in zip(read_vobject(data, "VEVENT"), [i for i in items if i.is_open],
                               strict=True) if not is_day_deadline(i)]
    assert timed and {e["alarm"][1] for e in timed} == {-timedelta(minutes=15)}


@pytest.mark.parametrize("component", ["event", "todo"])
def test_day_deadlines_ring_at_the_chosen_hour_in_the_users_zone(component):
    """Berlin user, interview 2 March: assessing is due 23:59 Berlin (22:59 UTC) that day;
    its reminder rings at 07:30 Berlin (06:30 UTC) that day, never between 23:29 and 23:59.
    The thank-you (due at a moment, 48 h after) still rings an hour before its due time."""
    berlin = ZoneInfo("Europe/Berlin")
    iv = make_interview(starts_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    items = agenda([Profile(timezone="Europe/Berlin"), iv], NOW)
    data = agenda_ics(items, component=component, now=NOW, day_alarm_at=time(7, 30),
                      zone="Europe/Berlin")
    name = "VEVENT" if component == "event" else "VTODO"
    by_uid = {e["uid"]: e for e in read_icalendar(data, name)}
    assess = by_uid[f"{iv.id}-assess_performance@afterview"]
    assert assess["alarm"][1] == datetime(2026, 3, 2, 6, 30, tzinfo=UTC)
    assert assess["alarm"][1].astimezone(berlin).strftime("%H:%M") == "07:30"
    follow = by_uid[f"{iv.id}-follow_up@afterview"]
    assert follow["alarm"][1].astimezone(berlin).strftime("%H:%M") == "07:30"
    thanks = by_uid[f"{iv.id}-thank_you@afterview"]
    assert thanks["alarm"] == ("DISPLAY", -timedelta(hours=1), "END")
    for entry in by_uid.values():
        ring = entry["alarm"][1]
        if isinstance(ring, datetime):
            assert not time(23, 29) <= ring.astimezone(berlin).time() <= time(23, 59)


def test_day_alarm_without_a_zone_is_the_hour_of_the_due_day():
    """The due day is the one whose 23:59 the due time is: 22:59 UTC is 23:59 in Berlin."""
    iv = make_interview(starts_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    (assess,) = [i for i in agenda([Profile(timezone="Europe/Berlin"), iv], NOW)
                 if i.step == "assess_performance"]
    assert assess.due_at == datetime(2026, 3, 2, 22, 59, tzinfo=UTC)
    assert day_alarm(assess, time(9, 0)) == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    assert day_alarm(assess, time(9, 0), "Europe/Berlin") == datetime(2026, 3, 2, 8, 0,
                                                                      tzinfo=UTC)


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


def test_the_remind_command_takes_the_day_alarm_hour(tmp_path, demo_journal):
    """`afterview remind --day-alarm 08:15`: day deadlines ring at 08:15 in the profile's
    zone; a time that is not one is refused in one line, exit 2, nothing written."""
    import subprocess
    import sys

    cli = [sys.executable, "-m", "afterview_analysis.cli"]
    out = tmp_path / "r.ics"
    journal = str(demo_journal.path)
    demo_journal.close()
    ok = subprocess.run([*cli, "remind", "--journal", journal, "--ics", str(out),
                         "--today", "2026-11-20", "--day-alarm", "08:15"],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    with Journal(journal) as j:
        zone = ZoneInfo(j.profile().timezone)
    rings = [e["alarm"][1] for e in read_icalendar(out.read_bytes(), "VEVENT")
             if isinstance(e["alarm"][1], datetime)]
    assert rings and {r.astimezone(zone).strftime("%H:%M") for r in rings} == {"08:15"}
    bad = subprocess.run([*cli, "remind", "--journal", journal, "--ics",
                          str(tmp_path / "bad.ics"), "--day-alarm", "25:00"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "--day-alarm" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "bad.ics").exists()
