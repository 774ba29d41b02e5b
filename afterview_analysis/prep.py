"""The prep sheet: one printable page to read before the next interview.

It brings together, for one company (and the stage to come, if known):

* the playbook's step 1 as a checklist of things to ask before leaving;
* the questions this company asked before, then those asked at this stage elsewhere,
  each with the best answer so far and the "what to say next time" notes;
* the three focus skills and their practice questions (the weakest skills by their
  recent level, as in Reflect's "focus next");
* the strengths the user forgot to mention last time, and the points worth recalling;
* the user's own questions to ask them (``Profile.questions_to_ask``; a few suggestions,
  labelled as such, while there are none), and the interviewers' names if known.

Plain Python over :meth:`Journal.rows` (no pandas, numpy, matplotlib or ipywidgets), so
``afterview prep`` answers within a few times a bare Python start-up. Every user text is
escaped with :func:`html.escape`, as in the HTML report.

>>> from afterview_analysis.journal import Journal
>>> from afterview_analysis.records import Interview, Question
>>> j = Journal(":memory:")
>>> iv = Interview(company="Acme", role="Analyst", starts_at="2026-03-02T09:30Z")
>>> log = j.save_interview(iv, questions=[Question(interview_id=iv.id,
...     text="Why <b>Acme</b>?", category="motivation", score=2, next_time="Their mission")])
>>> sheet = prep_sheet(j, "acme")
>>> [g["title"] for g in sheet["asked_here"]]
['Why <b>Acme</b>?']
>>> "Why &lt;b&gt;Acme&lt;/b&gt;?" in render_html(sheet)
True
"""

from __future__ import annotations

import html
from collections import defaultdict
from datetime import datetime
from typing import Any

from afterview_analysis import questions as qb
from afterview_analysis.journal import Journal
from afterview_analysis.records import CONTACT_ROLE_WORDS, AfterviewError, Stage
from afterview_analysis.rules import (
    GOOD_PRACTICE,
    MIN_FOCUS_N,
    SKILL_ADVICE,
    SKILL_CATEGORIES,
)

__all__ = ["ASK_BEFORE_LEAVING", "FOCUS_SKILLS", "QUESTIONS_TO_ASK", "prep_sheet",
           "render_html"]

#: The playbook's step 1: what to ask before leaving the interview.
ASK_BEFORE_LEAVING = (
    "How long is the process, and what are the next steps?",
    "When can I expect to hear back (the feedback date)?",
    "May I keep in touch, and how do you prefer to be contacted?",
    "Could I have your business card (or your contact details)?",
)
#: Suggestions of questions to ask them, shown (as suggestions) until the user keeps their
#: own in the profile (``Profile.questions_to_ask``, edited on the Prepare page).
QUESTIONS_TO_ASK = (
    "What does success look like in this role after six months?",
    "What is the biggest challenge the team faces right now?",
    "How does the team decide what to work on next?",
    "What do you enjoy most about working here?",
)
#: How many skills the sheet focuses on, and practice questions per skill.
FOCUS_SKILLS = 3
PER_SKILL = 3
#: The recent level of a skill is the mean of its last this many scores (as in Reflect).
WINDOW = 5


def _same(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").casefold().split()) == " ".join((b or "").casefold().split())


def prep_sheet(journal: Journal, company: str, stage: str | None = None) -> dict[str, Any]:
    """Everything the prep sheet shows, as plain data (see the module docstring)."""
    if not company or not company.strip():
        raise AfterviewError("company: name the company you are preparing for")
    if stage is not None:
        try:
            stage = Stage(stage).value
        except ValueError:
            raise AfterviewError(
                f"stage {stage!r}: must be one of {', '.join(s.value for s in Stage)}"
            ) from None
    interviews = journal.rows("interviews")
    questions = journal.rows("questions")
    groups = qb.bank(questions, interviews, journal.rows("question_pins"),
                     journal.rows("question_groups"), journal.rows("practice"))
    here = [iv for iv in interviews if _same(iv["company"], company)]
    here.sort(key=lambda iv: iv["starts_at"])
    here_ids = {iv["id"] for iv in here}
    shown = company.strip() if not here else here[-1]["company"]

    def card(group: dict, askings: list[dict]) -> dict:
        return {
            "title": group["title"], "theme": group["theme"],
            "askings": [{"company": a["company"], "stage": a["stage"], "at": a["at"][:10],
                         "score": a["score"]} for a in askings],
            "best_answer": group["best_answer"], "latest_answer": group["latest_answer"],
            "notes": group["notes"],
        }

    asked_here, asked_stage = [], []
    for group in groups:
        mine = [a for a in group["askings"] if a["interview_id"] in here_ids]
        if mine:
            asked_here.append(card(group, mine))
        elif stage is not None:
            elsewhere = [a for a in group["askings"] if a["stage"] == stage]
            if elsewhere:
                asked_stage.append(card(group, elsewhere))
    # each once, the latest first
    forgotten = list(dict.fromkeys(iv["forgotten_strength"] for iv in reversed(here)
                                   if iv["forgotten_strength"]))
    recall = list(dict.fromkeys(iv["recall_point"] for iv in reversed(here)
                                if iv["recall_point"]))
    if not forgotten:
        latest = sorted((iv for iv in interviews if iv["forgotten_strength"]),
                        key=lambda iv: iv["starts_at"])
        forgotten = [latest[-1]["forgotten_strength"]] if latest else []
    own = journal.profile().questions()
    people: dict[str, tuple[str | None, str]] = {}  # name -> (title, interviewer/recruiter/HR)
    for person in journal.rows("interviewers"):
        if person["interview_id"] in here_ids:
            role = CONTACT_ROLE_WORDS.get(person.get("contact_role"), "interviewer")
            people.setdefault(person["name"], (person["title"], role))
    return {
        "company": shown, "stage": stage, "met_before": len(here),
        "ask_before_leaving": list(ASK_BEFORE_LEAVING),
        "asked_here": asked_here, "asked_at_stage": asked_stage,
        "focus": focus_skills(journal, interviews, questions, groups=groups),
        "forgotten_strengths": forgotten, "recall_points": recall,
        "questions_to_ask": own or list(QUESTIONS_TO_ASK),
        "questions_to_ask_are_yours": bool(own),
        "interviewers": [{"name": n, "title": t, "role": r} for n, (t, r) in people.items()],
    }


def focus_skills(
    journal: Journal, interviews: list[dict], questions: list[dict], k: int = FOCUS_SKILLS,
    groups: list[dict] | None = None,
) -> list[dict]:
    """The ``k`` weakest skills and their practice questions, ranked as Reflect's focus
    next ranks them (:func:`afterview_analysis.analytics.skills.weak_areas`): by the mean
    of the last :data:`WINDOW` scores, then by the least-squares slope over time
    (declining first, none as 0), then by name, skills scored fewer than
    ``rules.MIN_FOCUS_N`` times last. A skill's practice questions are the lowest-scored
    questions of the kinds that practise it (``rules.SKILL_CATEGORIES``), each text once
    on the sheet, the most recent first among equal scores; as in
    :func:`afterview_analysis.analytics.skills.focus_next`, a question whose latest
    practice since it was last asked scored at least ``rules.GOOD_PRACTICE`` goes after
    the others (``groups``: the bank, from :func:`afterview_analysis.questions.bank`).
    """
    # per text, the group of its latest asking; per group, its latest practice since it
    # was last asked (as analytics.bank.practice_since)
    group_of: dict[str, str] = {}
    since: dict[str, dict] = {}
    for g in groups or ():
        for a in g["askings"]:
            group_of[a["text"]] = g["group"]
        last = max(datetime.fromisoformat(a["at"]) for a in g["askings"])
        later = [p for p in g["practice"] if datetime.fromisoformat(p["practised_at"]) > last]
        if later:
            since[g["group"]] = max(later, key=lambda p: datetime.fromisoformat(
                p["practised_at"]))
    starts = {iv["id"]: (datetime.fromisoformat(iv["starts_at"]), iv["id"]) for iv in interviews}
    scores: dict[str, list[tuple[tuple, int]]] = defaultdict(list)
    for s in journal.rows("skill_scores"):
        if s["interview_id"] in starts:
            scores[s["skill"]].append((starts[s["interview_id"]], s["score"]))
    ranked = []
    for skill, rows in scores.items():
        rows.sort()
        recent = [score for _, score in rows[-WINDOW:]]
        t0 = rows[0][0][0]
        xs = [(at - t0).total_seconds() / 86_400 for (at, _), _ in rows]
        ys = [score for _, score in rows]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        cxx = sum((x - mx) ** 2 for x in xs)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / cxx \
            if len(xs) >= 2 and cxx > 0 else 0.0
        ranked.append((sum(recent) / len(recent), slope, skill, rows))
    # as focus next ranks: areas scored in fewer than MIN_FOCUS_N interviews go last
    ranked.sort(key=lambda r: (len(r[3]) < MIN_FOCUS_N, r[0], r[1], r[2]))
    # each question text once: its lowest score, the latest asking with that score
    lowest: dict[str, dict] = {}
    for q in questions:
        if q["interview_id"] not in starts or q["score"] is None:
            continue
        at = starts[q["interview_id"]][0]
        best = lowest.get(q["text"])
        if best is None or (q["score"], -at.timestamp()) < (best["score"], -best["at"]):
            lowest[q["text"]] = q | {"at": at.timestamp()}
    used: set[str] = set()
    out = []
    for recent, _, skill, _rows in ranked[:k]:
        # the kinds of question that practise the skill (rules.SKILL_CATEGORIES), lowest
        # score first, the newest first among equals, those practised well since last;
        # a text once in the whole sheet
        def practice(q: dict) -> dict | None:
            return since.get(group_of.get(q["text"], ""))

        def well(q: dict) -> bool:
            p = practice(q)
            return p is not None and p["score"] >= GOOD_PRACTICE

        mine = sorted((q for q in lowest.values()
                       if q["category"] in SKILL_CATEGORIES.get(skill, ())
                       and q["text"] not in used),
                      key=lambda q: (well(q), q["score"], -q["at"]))[:PER_SKILL]
        used.update(q["text"] for q in mine)
        seen = []
        for q in mine:
            p = practice(q)
            seen.append({"text": q["text"], "score": q["score"], "next_time": q["next_time"],
                         "practice_score": p["score"] if p else None,
                         "practised_on": p["practised_at"][:10] if p else None})
        out.append({"skill": skill, "recent": round(recent, 1), "questions": seen,
                    "advice": "" if SKILL_CATEGORIES.get(skill) else SKILL_ADVICE.get(
                        skill, "")})
    return out


_STYLE = """
body{font-family:system-ui,sans-serif;max-width:50rem;margin:1.5rem auto;padding:0 1rem;
line-height:1.4;color:#111}
h1{margin-bottom:.2rem}h2{border-bottom:1px solid #999;margin-top:1.4rem;font-size:1.15rem}
.q{margin:.6rem 0;padding:.4rem .6rem;border-left:3px solid #4a6fa5;break-inside:avoid}
.q h3{margin:0;font-size:1rem}.meta{color:#555;font-size:.85rem}
.best{white-space:pre-wrap;margin:.3rem 0}.box{display:inline-block;width:.9em;height:.9em;
border:1px solid #333;margin-right:.4em;vertical-align:-.1em}
ul.check{list-style:none;padding-left:0}
@media print{body{margin:0;max-width:none;font-size:10.5pt}h2{break-after:avoid}
.q{border-left-color:#000}a{color:inherit;text-decoration:none}}
@page{margin:1.5cm}
"""


def _stage_word(stage: str | None) -> str:
    return {"screen": "screening", "technical": "technical", "onsite": "on-site",
            "final": "final", "other": "other"}.get(stage or "", stage or "")


def render_html(sheet: dict[str, Any]) -> str:
    """The sheet as one self-contained, printable HTML page (every user text escaped)."""
    e = html.escape
    title = f"Prep sheet: {sheet['company']}"
    if sheet["stage"]:
        title += f", {_stage_word(sheet['stage'])} interview"
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             f"<title>{e(title)}</title><style>{_STYLE}</style></head><body>",
             f"<h1>{e(title)}</h1>"]
    met = sheet["met_before"]
    times = f"{met} time{'s' if met != 1 else ''}"
    met_line = f"You have met them {times} before." if met else "Your first interview with them."
    parts.append(f'<p class="meta">{met_line}</p>')

    parts.append("<h2>Ask before you leave</h2><ul class=\"check\">")
    parts += [f'<li><span class="box"></span>{e(item)}</li>'
              for item in sheet["ask_before_leaving"]]
    parts.append("</ul>")

    def cards(heading: str, items: list[dict], empty: str) -> None:
        parts.append(f"<h2>{e(heading)}</h2>")
        if not items:
            parts.append(f"<p>{e(empty)}</p>")
        for item in items:
            asked = "; ".join(
                f"{a['company']}, {_stage_word(a['stage'])}, {a['at']}, scored {a['score']}/5"
                for a in item["askings"])
            theme = item["theme"].capitalize()
            parts.append(f'<div class="q"><h3>{e(item["title"])}</h3>'
                         f'<div class="meta">{e(theme)}. Asked: {e(asked)}</div>')
            if item["best_answer"]:
                parts.append(f'<div class="best"><b>Best answer so far:</b> '
                             f'{e(item["best_answer"])}</div>')
            elif item["latest_answer"]:
                parts.append(f'<div class="best"><b>Your last answer:</b> '
                             f'{e(item["latest_answer"])}</div>')
            if item["notes"]:
                parts.append("<div><b>Next time say:</b><ul>"
                             + "".join(f"<li>{e(n)}</li>" for n in item["notes"])
                             + "</ul></div>")
            parts.append("</div>")

    cards(f"Questions {sheet['company']} asked before", sheet["asked_here"],
          "None logged yet.")
    if sheet["stage"]:
        cards(f"Asked at the {_stage_word(sheet['stage'])} stage elsewhere",
              sheet["asked_at_stage"], "None logged yet.")

    parts.append("<h2>Focus on</h2>")
    if not sheet["focus"]:
        parts.append("<p>No skills scored yet.</p>")
    for f in sheet["focus"]:
        parts.append(f'<div class="q"><h3>{e(f["skill"])}</h3>'
                     f'<div class="meta">recent level {f["recent"]:.1f} of 5</div>')
        if not f["questions"]:
            parts.append(f"<p>{e(f['advice'])}</p>" if f["advice"] else
                         "<p>No other question of the kinds that practise it yet (each "
                         "question is listed once on this sheet).</p>")
        else:
            parts.append("<ul>")
            for q in f["questions"]:
                note = f" Next time: {q['next_time']}" if q["next_time"] else ""
                done = (f"; practised since: {q['practice_score']}/5 on {q['practised_on']}"
                        if q["practice_score"] is not None else "")
                parts.append(f"<li>{e(q['text'])} (scored {q['score']}/5{done}).{e(note)}"
                             "</li>")
            parts.append("</ul>")
        parts.append("</div>")

    parts.append("<h2>Strengths you forgot to mention</h2>")
    parts.append("<ul>" + "".join(f"<li>{e(s)}</li>" for s in sheet["forgotten_strengths"])
                 + "</ul>" if sheet["forgotten_strengths"] else "<p>None noted.</p>")
    if sheet["recall_points"]:
        parts.append("<h2>Points worth recalling</h2><ul>"
                     + "".join(f"<li>{e(s)}</li>" for s in sheet["recall_points"]) + "</ul>")
    parts.append("<h2>Questions to ask them</h2>")
    if not sheet["questions_to_ask_are_yours"]:
        parts.append('<p class="meta">Suggestions: keep your own questions on the Prepare '
                     "page of the workbook and they replace these.</p>")
    parts.append("<ul>" + "".join(f"<li>{e(q)}</li>" for q in sheet["questions_to_ask"])
                 + "</ul>")
    parts.append("<h2>Interviewers, recruiter and HR</h2>")
    if sheet["interviewers"]:
        parts.append("<ul>" + "".join(
            f"<li>{e(p['name'])}{', ' + e(p['title']) if p['title'] else ''}"
            f"{' (' + e(p['role']) + ')' if p['role'] != 'interviewer' else ''}</li>"
            for p in sheet["interviewers"]) + "</ul>")
    else:
        parts.append("<p>Not known yet.</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
