"""`afterview report`: the demo's story comes out, user text is escaped, JSON has the numbers."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pandas as pd
import pytest

from afterview_analysis.cli import main
from afterview_analysis.demo import IMPROVING_SKILLS, WEAK_SKILL
from afterview_analysis.records import Interview, Question, SkillScore
from afterview_analysis.report import build_report, render, render_json, render_text


@pytest.fixture(scope="module")
def demo_text(demo_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "reflection.txt"
    assert main(["report", "--journal", str(demo_file), "--out", str(out),
                 "--as-of", "2026-11-21"]) == 0
    return out.read_text(encoding="utf-8")


def test_demo_report_names_the_weak_skill_as_the_top_focus(demo_text):
    focus = demo_text.split("Focus next", 1)[1].split("\n\n", 1)[0]
    first = re.search(r"^1\. (.+?):", focus, re.MULTILINE)
    assert first and first.group(1) == WEAK_SKILL
    assert "practise \"" in focus  # with questions to practise


def test_demo_report_shows_the_improving_skills_as_improving(demo_text):
    for skill in IMPROVING_SKILLS:
        line = next(x for x in demo_text.splitlines() if re.match(rf"skill\s+{skill}\s", x))
        assert line.rstrip().endswith("improving"), line
    weak = next(x for x in demo_text.splitlines() if re.match(rf"skill\s+{WEAK_SKILL}\s", x))
    assert not weak.rstrip().endswith("improving")


def test_every_section_carries_n(demo_text):
    for heading in ("How fast employers answer", "How fast you answer", "Funnel",
                    "How well your gut feeling", "Playbook steps done on time"):
        section = demo_text.split(heading, 1)[1].split("\n\n", 1)[0]
        assert re.search(r"\bn = \d+|\d+ of \d+", section), heading


def test_json_carries_the_numbers_the_text_shows(demo_file, tmp_path):
    out = tmp_path / "r.json"
    assert main(["report", "--journal", str(demo_file), "--format", "json", "--out", str(out),
                 "--as-of", "2026-11-21"]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    trends = {(r["kind"], r["area"]): r for r in doc["tables"]["trends"]}
    comm = trends[("skill", "communication")]
    text = render(_frames(demo_file), "text", as_of="2026-11-21")
    line = next(x for x in text.splitlines() if re.match(r"skill\s+communication\s", x))
    assert (f"{comm['slope_30d']:+.2f} per 30 days [{comm['ci_low']:+.2f}, "
            f"{comm['ci_high']:+.2f}]") in line
    assert doc["tables"]["focus_next"][0]["area"] == WEAK_SKILL
    assert doc["definitions"]["min_trend_n"] >= 3
    assert doc["tables"]["calibration"][0]["n"] > 0


def _frames(path):
    from afterview_analysis.journal import Journal

    with Journal(path, create=False) as j:
        return j.frames()


def test_html_escapes_user_text_and_embeds_figures(journal, tmp_path):
    evil = '<script>alert("x")</script>'
    iv = Interview(company=evil, role="R&D <lead>", starts_at=datetime(2026, 1, 5, tzinfo=UTC))
    journal.add_many([
        iv,
        SkillScore(interview_id=iv.id, skill="problem solving", score=1),
        Question(interview_id=iv.id, text="<img src=x onerror=alert(1)>", score=1,
                 category="system_design", next_time="Say <b>less</b> & breathe"),
    ])
    page = render(journal.frames(), "html", as_of="2026-02-01")
    assert "<script>" not in page and "<img src=x" not in page and "<b>less" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "Say &lt;b&gt;less&lt;/b&gt; &amp; breathe" in page
    assert page.count('src="data:image/png;base64,') == 8


def test_empty_journal_says_not_enough_data_in_every_format(journal):
    frames = journal.frames()
    text = render(frames, "text", as_of="2026-01-01")
    assert "No interviews logged yet" in text
    assert text.count("not enough data") + text.count("Not enough") >= 6
    doc = json.loads(render(frames, "json", as_of="2026-01-01"))
    assert doc["interviews"] == 0 and doc["tables"]["trends"] == []
    assert "not enough data" in render(frames, "html", as_of="2026-01-01")


def test_one_interview_and_pending_outcome(journal):
    iv = Interview(company="Acme", role="R", starts_at=datetime(2026, 1, 5, tzinfo=UTC),
                   predicted_chance=70, feedback_by="2026-01-12")
    journal.add_many([iv, SkillScore(interview_id=iv.id, skill="communication", score=3)])
    report = build_report(journal.frames(), as_of="2026-01-08")
    text = render_text(report)
    focus = text.split("Focus next", 1)[1].split("\n\n", 1)[0]
    assert "1. communication" in focus and "not enough data (n = 1)" in focus
    assert "Not enough outcomes" in text  # the only interview is still pending
    json.loads(render_json(report))  # no NaN leaks into JSON


def test_cli_refuses_bad_input(tmp_path, capsys):
    assert main(["report", "--journal", str(tmp_path / "none.sqlite")]) == 2
    assert "no journal" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["report", "--journal", str(tmp_path / "x.sqlite"), "--format", "pdf"])
    assert exc.value.code == 2
    assert not (tmp_path / "x.sqlite").exists()


def test_five_verdicts_or_more_come_with_the_chance_of_a_wrong_one(demo_text, journal):
    # the demo's trends hold a dozen verdicts
    assert "about one in twenty of them will be wrong by chance" in demo_text
    # one interview: no verdict at all, so no such note
    iv = Interview(company="Acme", role="R", starts_at=datetime(2026, 1, 5, tzinfo=UTC))
    journal.add_many([iv, SkillScore(interview_id=iv.id, skill="communication", score=3)])
    text = render_text(build_report(journal.frames(), as_of="2026-01-08"))
    assert "one in twenty" not in text


def test_as_of_replays_the_past_in_every_table():
    """As of 5 February, interview c and everything after that moment do not exist yet:
    the same tables as a journal that holds only what had happened by then."""
    from afterview_analysis.analytics._examples import tiny_frames

    moment = "2026-02-05T00:00Z"
    full = tiny_frames()
    past = dict(full)  # what the journal held on 5 February, written out by hand
    iv = full["interviews"]
    past["interviews"] = iv[iv["id"] != "c"].assign(
        outcome=iv["outcome"].where(iv["id"] != "b", "pending"),
        outcome_on=iv["outcome_on"].where(iv["id"] != "b"))
    past["interviews"] = past["interviews"].astype(iv.dtypes.to_dict())
    for name in ("questions", "skill_scores"):
        past[name] = full[name][full[name]["interview_id"] != "c"]
    ev = full["employer_events"]
    past["employer_events"] = ev[ev["interview_id"] == "a"]  # b's came on 02-06 and 02-09
    steps = full["playbook_steps"]
    past["playbook_steps"] = steps[steps["interview_id"] == "a"]
    msg = full["messages"]
    past["messages"] = msg.assign(sent_at=msg["sent_at"].where(msg["interview_id"] == "a"))
    replayed = build_report(full, as_of=moment)
    written = build_report(past, as_of=moment)
    assert replayed.interviews == 2
    for name, table in written.tables.items():
        pd.testing.assert_frame_equal(replayed.tables[name].reset_index(drop=True),
                                      table.reset_index(drop=True), obj=name)
    assert "anything recorded later is left out" in render_text(replayed).splitlines()[0]


def test_a_bare_as_of_date_is_midnight_in_the_users_zone(journal):
    from afterview_analysis.records import Profile

    journal.update(Profile(timezone="Europe/Berlin"))
    report = build_report(journal.frames(), as_of="2026-03-14")
    assert report.as_of == pd.Timestamp("2026-03-13T23:00:00Z")
    assert "2026-03-14 00:00 Europe/Berlin" in render_text(report)
