"""The prep sheet: `afterview prep`, what it shows, hostile text, and how light it starts."""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from afterview_analysis import prep
from afterview_analysis.analytics.skills import WINDOW, weak_areas
from afterview_analysis.cli import main
from afterview_analysis.records import AfterviewError
from tests.hostile import XSS_PAYLOADS, add_hostile_interview


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def busiest(journal) -> str:
    counts: dict[str, int] = {}
    for iv in journal.rows("interviews"):
        counts[iv["company"]] = counts.get(iv["company"], 0) + 1
    return max(sorted(counts), key=counts.get)


def test_prep_writes_a_printable_page_for_a_company(demo_journal, capsys, tmp_path):
    company = busiest(demo_journal)
    out = tmp_path / "prep.html"
    code, _, err = run(capsys, "prep", "--company", company.upper(), "--stage", "final",
                       "--out", str(out), "--journal", str(demo_journal.path))
    assert code == 0 and "wrote" in err
    page = out.read_text(encoding="utf-8")
    assert "@media print" in page and f"Prep sheet: {company}" in page
    for heading in ("Ask before you leave", f"Questions {company} asked before",
                    "Asked at the final stage elsewhere", "Focus on",
                    "Strengths you forgot to mention", "Questions to ask them",
                    "Interviewers, recruiter and HR"):
        assert heading in page, heading
    assert "When can I expect to hear back" in page and "business card" in page


def test_the_sheet_lists_this_company_first_then_the_stage_elsewhere(demo_journal):
    company = busiest(demo_journal)
    sheet = prep.prep_sheet(demo_journal, company, "technical")
    assert sheet["asked_here"] and sheet["met_before"] >= 2
    assert all(a["company"] == company for g in sheet["asked_here"] for a in g["askings"])
    assert all(a["stage"] == "technical" and a["company"] != company
               for g in sheet["asked_at_stage"] for a in g["askings"])
    here = {g["title"] for g in sheet["asked_here"]}
    assert not here & {g["title"] for g in sheet["asked_at_stage"]}
    best = [g for g in sheet["asked_here"] + sheet["asked_at_stage"] if g["best_answer"]]
    assert best, "the demo's best answers reach the sheet"
    assert sheet["interviewers"] and sheet["forgotten_strengths"]


def test_a_skill_without_questions_says_why_and_strengths_are_listed_once(demo_journal):
    from afterview_analysis.rules import SKILL_ADVICE

    company = busiest(demo_journal)
    sheet = prep.prep_sheet(demo_journal, company)
    assert len(sheet["forgotten_strengths"]) == len(set(sheet["forgotten_strengths"]))
    page = prep.render_html(sheet)
    asked = [f for f in sheet["focus"] if f["skill"] == "questions asked"]
    assert asked and not asked[0]["questions"]  # the demo's "questions asked" is weak
    assert asked[0]["advice"] == SKILL_ADVICE["questions asked"]
    assert SKILL_ADVICE["questions asked"] in page


def test_focus_skills_are_reflects_focus_next(demo_journal):
    ranked = weak_areas(demo_journal.frames(), by="skill")["area"].tolist()[:3]
    sheet = prep.prep_sheet(demo_journal, "Nobody Ltd")
    assert [f["skill"] for f in sheet["focus"]] == ranked
    from afterview_analysis.rules import SKILL_CATEGORIES

    # every skill some kind of question practises gets questions ("questions asked" gets
    # advice in Reflect instead)
    assert all(f["questions"] for f in sheet["focus"] if SKILL_CATEGORIES.get(f["skill"]))
    assert prep.WINDOW == WINDOW


def test_focus_questions_take_practice_into_account_as_reflect_does(demo_journal):
    from datetime import UTC, datetime

    from afterview_analysis import questions as qb
    from afterview_analysis.analytics import focus_next
    from afterview_analysis.analytics.bank import bank_askings

    def both():
        ours = [[q["text"] for q in f["questions"]]
                for f in prep.prep_sheet(demo_journal, "Nobody Ltd")["focus"]]
        theirs = focus_next(demo_journal.frames())
        return ours, [theirs.loc[theirs["rank"] == r, "question"].dropna().tolist()
                      for r in (1, 2, 3)]

    ours, theirs = both()
    assert ours == theirs
    a = bank_askings(demo_journal.frames())
    first = a[a["text"] == ours[0][0]]
    qb.record_practice(demo_journal, first["group"].iloc[0], first["id"].tolist(), 2,
                       at=datetime(2030, 1, 1, tzinfo=UTC))
    assert both() == (ours, theirs)  # practised, but a self-score of 2: it stays first
    qb.record_practice(demo_journal, first["group"].iloc[0], first["id"].tolist(), 4,
                       at=datetime(2030, 1, 2, tzinfo=UTC))
    after, theirs_after = both()
    assert after == theirs_after and ours[0][0] not in after[0][:1]  # it gave way


def test_your_questions_to_ask_replace_the_suggestions(demo_journal, capsys, tmp_path):
    from dataclasses import replace

    sheet = prep.prep_sheet(demo_journal, "Acme")
    assert sheet["questions_to_ask"] == list(prep.QUESTIONS_TO_ASK)
    assert not sheet["questions_to_ask_are_yours"]
    assert "Suggestions" in prep.render_html(sheet)
    mine = "What would my first project be?\n  How is the team   measured?  \n\n"
    demo_journal.update(replace(demo_journal.profile(), questions_to_ask=mine))
    out = tmp_path / "p.html"
    code, _, _ = run(capsys, "prep", "--company", "Acme", "--out", str(out), "--journal",
                     str(demo_journal.path))
    page = out.read_text(encoding="utf-8")
    assert code == 0 and "<li>What would my first project be?</li>" in page
    assert "<li>How is the team measured?</li>" in page
    assert "Suggestions" not in page and prep.QUESTIONS_TO_ASK[0] not in page


def test_bad_input_is_one_line_and_writes_nothing(demo_journal, capsys, tmp_path):
    out = tmp_path / "p.html"
    code, _, err = run(capsys, "prep", "--company", "Acme", "--stage", "lunch", "--out",
                       str(out), "--journal", str(demo_journal.path))
    assert code == 2 and "stage 'lunch'" in err and err.count("\n") == 1
    assert not out.exists()
    with pytest.raises(AfterviewError, match="company"):
        prep.prep_sheet(demo_journal, "  ")


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs |= {name for name, _ in attrs}


def test_hostile_text_stays_inert(journal):
    for n, payload in enumerate(XSS_PAYLOADS):
        add_hostile_interview(journal, payload, day=n)
    page = prep.render_html(prep.prep_sheet(journal, busiest(journal), "onsite"))
    tags = Tags()
    tags.feed(page)
    assert tags.tags <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3",
                         "p", "ul", "li", "div", "b", "span"}
    assert tags.attrs <= {"lang", "charset", "class"}


def test_prep_starts_light_no_plots_widgets_or_pandas(demo_journal, tmp_path):
    code = (
        "import sys, json; from afterview_analysis.cli import main; "
        f"main(['prep', '--company', {busiest(demo_journal)!r}, '--journal', "
        f"{str(demo_journal.path)!r}, '--out', {str(tmp_path / 'p.html')!r}]); "
        "print(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    loaded = set(json.loads(done.stdout.splitlines()[-1]))
    assert "afterview_analysis" in loaded
    assert not loaded & {"matplotlib", "ipywidgets", "pandas", "numpy", "jinja2"}


def test_a_focus_skill_whose_questions_are_listed_under_another_says_so(journal):
    from datetime import UTC, datetime, timedelta

    from afterview_analysis.records import Interview, Question, SkillScore

    for day in range(3):  # one motivation question; communication and preparation both weak
        iv = Interview(company="Acme", role="Analyst",
                       starts_at=datetime(2026, 1, 5, 10, tzinfo=UTC) + timedelta(days=day))
        journal.save_interview(
            iv, questions=[Question(interview_id=iv.id, text="Why us?", category="motivation",
                                    score=2)],
            skill_scores=[SkillScore(interview_id=iv.id, skill="communication", score=1),
                          SkillScore(interview_id=iv.id, skill="preparation", score=2)])
    sheet = prep.prep_sheet(journal, "Acme")
    first, second = sheet["focus"][:2]
    assert (first["skill"], [q["text"] for q in first["questions"]]) == ("communication",
                                                                         ["Why us?"])
    assert second["skill"] == "preparation" and second["questions"] == []
    assert "No other question of the kinds that practise it yet" in prep.render_html(sheet)


def test_the_people_you_met_say_who_is_the_recruiter(journal):
    """An interviewer is listed by name and title; a recruiter or HR contact says so."""
    from afterview_analysis.records import Interview, Interviewer

    iv = Interview(company="Acme", role="Analyst", starts_at="2026-03-02T09:30Z")
    journal.save_interview(iv, interviewers=[
        Interviewer(interview_id=iv.id, name="Maya Keller", title="Head of Data"),
        Interviewer(interview_id=iv.id, name="Omar Diaz", contact_role="recruiter"),
        Interviewer(interview_id=iv.id, name="Ines Park", contact_role="hr")])
    page = prep.render_html(prep.prep_sheet(journal, "Acme"))
    assert "<li>Maya Keller, Head of Data</li>" in page
    assert "<li>Omar Diaz (recruiter)</li>" in page and "<li>Ines Park (HR)</li>" in page
