"""`afterview agenda | draft | mark-sent | remind`: output, files, errors, and staying light."""

from __future__ import annotations

import email.parser
import email.policy
import json
import subprocess
import sys
from datetime import UTC, datetime

import pytest
import vobject

from afterview_analysis.cli import main
from afterview_analysis.journal import Journal
from afterview_analysis.records import Interview, Interviewer, Message
from afterview_analysis.rules import agenda, open_items

TODAY = "2026-11-20"
HEAVY = ("pandas", "numpy", "matplotlib", "ipywidgets", "pydantic")


@pytest.fixture(autouse=True)
def no_user_templates(tmp_path, monkeypatch):
    monkeypatch.setenv("AFTERVIEW_TEMPLATES", str(tmp_path / "no-user-templates"))


def two_interviewer_interview(journal: Journal) -> Interview:
    """The most recent demo interview with two interviewers."""
    ivs = journal.find(Interview, order_by="starts_at")
    return [iv for iv in ivs if len(journal.find(Interviewer, interview_id=iv.id)) == 2][-1]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", [
    ["agenda", "--today", TODAY],
    ["draft", "thank-you", "--interview", "IID", "--tone", "formal", "--mailto"],
    ["draft", "follow-up", "--interview", "IID", "--form", "letter"],
])
def test_agenda_and_draft_do_not_import_heavy_libraries(demo_file, command):
    """Run the command in a fresh interpreter and look at what it imported."""
    with Journal(demo_file, create=False) as j:
        iid = two_interviewer_interview(j).id
    argv = [a.replace("IID", iid) for a in command] + ["--journal", str(demo_file)]
    probe = (
        "import sys, json\n"
        "from afterview_analysis.cli import main\n"
        f"code = main({argv!r})\n"
        "sys.stdout.flush()\n"
        "print(json.dumps([code, sorted(m.split('.')[0] for m in sys.modules)]),"
        " file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120)
    code, modules = json.loads(proc.stderr.strip().splitlines()[-1])
    assert code == 0, proc.stderr
    assert proc.stdout.strip()
    assert sorted(set(HEAVY) & set(modules)) == []
    assert "icalendar" not in modules  # only `remind` needs it
    if command[0] == "agenda":
        assert "jinja2" not in modules and "email" not in modules


def test_agenda_prints_the_open_items_soonest_first(demo_journal, capsys):
    code, out, _ = run(capsys, "agenda", "--journal", str(demo_journal.path), "--today", TODAY)
    assert code == 0
    now = datetime(2026, 11, 19, 23, 0, tzinfo=UTC)  # 00:00 on 20 November in Berlin
    shown = open_items(agenda(demo_journal, now), now)
    lines = out.splitlines()
    assert lines[0].startswith("Agenda at Fri 20 Nov 00:00 2026 (Europe/Berlin): ")
    assert len(lines) == 1 + 2 * len(shown)
    for item, line in zip(shown, lines[1::2], strict=True):
        assert line.startswith(item.status.upper()) and f"[{item.interview_id}]" in line
    assert "OVERDUE" in out and "DUE" in out
    code, out_all, _ = run(capsys, "agenda", "--journal", str(demo_journal.path),
                           "--today", TODAY, "--all")
    assert "MISSED" in out_all and len(out_all) > len(out)


def test_agenda_with_a_time_and_zone(demo_journal, capsys):
    code, out, _ = run(capsys, "agenda", "--journal", str(demo_journal.path),
                       "--today", "2026-11-20T15:00+01:00")
    assert code == 0 and out.startswith("Agenda at Fri 20 Nov 15:00 2026")


def test_draft_one_thank_you_per_interviewer_and_eml_files(demo_journal, capsys, tmp_path):
    iv = two_interviewer_interview(demo_journal)
    names = [p.name for p in demo_journal.find(Interviewer, interview_id=iv.id)]
    target = tmp_path / "out" / "thanks.eml"
    code, out, err = run(capsys, "draft", "thank-you", "--interview", iv.id, "--journal",
                         str(demo_journal.path), "--eml", str(target), "--today", TODAY)
    assert code == 0
    for name in names:
        assert f"To: {name} <" in out
    files = sorted((tmp_path / "out").glob("thanks-*.eml"))
    assert len(files) == 2 and all(f"wrote {f}" in err for f in files)
    parsed = [email.parser.BytesParser(policy=email.policy.default).parsebytes(f.read_bytes())
              for f in files]
    assert sorted(p["To"].addresses[0].display_name for p in parsed) == sorted(names)
    for p in parsed:
        assert p["X-Unsent"] == "1" and iv.company in p["Subject"]
        assert iv.recall_point in p.get_content()
    # nothing saved without --save
    assert demo_journal.find(Message, interview_id=iv.id, sent_at=None) == []


def test_draft_save_then_mark_sent(demo_journal, capsys):
    iv = two_interviewer_interview(demo_journal)
    j = str(demo_journal.path)
    second = demo_journal.find(Interviewer, interview_id=iv.id)[1].name
    code, out, err = run(capsys, "draft", "follow-up", "--interview", iv.id, "--journal", j,
                         "--to", second, "--save", "--today", TODAY)
    assert code == 0
    [draft] = demo_journal.find(Message, interview_id=iv.id, sent_at=None)
    assert draft.kind == "follow_up" and f"afterview mark-sent {draft.id}" in err
    assert draft.body in out
    code, out, _ = run(capsys, "mark-sent", draft.id, "--journal", j,
                       "--at", "2026-11-21T09:15+01:00")
    assert code == 0 and "marked sent at 2026-11-21 08:15 UTC" in out
    assert demo_journal.get(Message, draft.id).sent_at == datetime(2026, 11, 21, 8, 15,
                                                                    tzinfo=UTC)
    code, _, err = run(capsys, "mark-sent", draft.id, "--journal", j)
    assert code == 2 and "already marked sent" in err and "Traceback" not in err


@pytest.mark.parametrize(("argv", "message"), [
    (["draft", "thank-you", "--interview", "nosuchid"], "no interviews row with id 'nosuchid'"),
    (["draft", "info-reply", "--interview", "IID"], "no information request"),
    (["agenda", "--today", "20/11/2026"], "give a date like 2026-11-20"),
    (["mark-sent", "nosuchid"], "no messages row"),
    (["mark-sent", "MID", "--at", "21 Nov 09:15"], "with its zone"),
    (["remind", "--ics", "OUT", "--alarm-minutes", "-5"], "0 or more"),
    (["remind", "--ics", "OUT", "--alarm-minutes", "1440000000000"], "at most 40320"),
    (["remind", "--ics", "OUT", "--alarm-minutes", "40321"], "at most 40320"),
])
def test_bad_input_is_one_line_and_exit_2(demo_journal, capsys, tmp_path, argv, message):
    iv = two_interviewer_interview(demo_journal)
    msg = demo_journal.find(Message)[0]
    argv = [a.replace("IID", iv.id).replace("MID", msg.id).replace("OUT", str(tmp_path / "x"))
            for a in argv]
    code, out, err = run(capsys, *argv, "--journal", str(demo_journal.path))
    assert code == 2 and message in err
    assert len(err.strip().splitlines()) == 1 and out == ""
    assert not (tmp_path / "x").exists()


def test_a_recipient_with_a_line_break_writes_nothing(demo_journal, capsys, tmp_path):
    iv = two_interviewer_interview(demo_journal)
    target = tmp_path / "t.eml"
    code, _, err = run(capsys, "draft", "thank-you", "--interview", iv.id, "--journal",
                       str(demo_journal.path), "--to", "Ann\nBcc: all@evil.example",
                       "--eml", str(target), "--save")
    assert code == 2 and "recipient" in err and "single line" in err
    assert not target.exists()
    assert demo_journal.find(Message, interview_id=iv.id, sent_at=None) == []


def test_draft_refuses_a_missing_journal(tmp_path, capsys):
    code, _, err = run(capsys, "agenda", "--journal", str(tmp_path / "none.sqlite"))
    assert code == 2 and "no journal" in err
    assert not (tmp_path / "none.sqlite").exists()


def test_remind_writes_the_open_agenda_as_ics(demo_journal, capsys, tmp_path):
    target = tmp_path / "cal" / "agenda.ics"
    code, _, err = run(capsys, "remind", "--ics", str(target), "--journal",
                       str(demo_journal.path), "--today", TODAY, "--todo")
    assert code == 0
    now = datetime(2026, 11, 19, 23, 0, tzinfo=UTC)
    expected = [i for i in agenda(demo_journal, now) if i.is_open]
    cal = vobject.readOne(target.read_text(encoding="utf-8"))
    todos = [c for c in cal.getChildren() if c.name == "VTODO"]
    assert [t.uid.value for t in todos] == [f"{i.uid}@afterview" for i in expected]
    assert f"{len(expected)} reminders" in err
