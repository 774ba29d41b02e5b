"""The draft checker: each rule on both sides, and every built-in draft passing it.

Every built-in template x kind x tone x form is drafted for every interview of the demo
and of a journal of odd but valid inputs (one-word notes, notes ending in punctuation,
notes in the third person, very long names, names with particles and titles, a
signature that still holds a closing), and read by :func:`check_text` as a recipient
would: no hint at all is allowed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from afterview_analysis import drafting
from afterview_analysis.draft_checker import MAX_WORDS, check_text
from afterview_analysis.drafting import DraftError, draft_message, save_draft
from afterview_analysis.records import (
    EmployerEvent,
    HeadsUp,
    Interview,
    Interviewer,
    Profile,
    Reference,
    Skill,
    SkillScore,
)
from tests.conftest import make_interview

KINDS = ["thank_you", "follow_up", "info_reply", "reference_heads_up"]
COMBOS = [(k, t, f) for k in KINDS for t in drafting.TONES for f in drafting.FORMS
          if f != "call" or k in drafting.CALL_KINDS]
LETTER = "Dear Jo,\n\n{}\n\nBest,\nAlex\n"


@pytest.fixture(autouse=True)
def no_user_templates(tmp_path, monkeypatch):
    monkeypatch.setenv("AFTERVIEW_TEMPLATES", str(tmp_path / "no-user-templates"))


def rules(text: str, **kw) -> list[str]:
    return [h.rule for h in check_text(text, **kw)]


# --------------------------------------------------------------------------- each rule


@pytest.mark.parametrize(("body", "flagged"), [
    ("We spoke about spring..", True),
    ("We spoke about spring.", False),
    ("Was it spring?.", True),
    ("We spoke, about spring.", False),
    ("We spoke about spring... and more.", False),  # an ellipsis is not a doubled stop
    ("Write to jo@acme.example.", False),
])
def test_doubled_punctuation(body, flagged):
    assert ("doubled punctuation" in rules(LETTER.format(body))) is flagged


def test_exactly_one_closing():
    assert "closing" not in rules("Hi Jo,\n\nThanks.\n\nBest,\nAlex\n")
    assert "closing" in rules("Hi Jo,\n\nThanks.\n\nWarm regards,\nBest regards,\nAlex\n")
    assert "closing" in rules("Hi Jo,\n\nThanks.\n\nAlex\n")
    assert "closing" not in rules("Call Jo.\n", letter=False)  # a call sheet has none


@pytest.mark.parametrize(("body", "flagged"), [
    ("Two rounds (case study, final).", False),
    ("Two rounds (case study (final)).", True),
    ("Two rounds (case study.", True),
    ("Two rounds case study).", True),
    ("[Write your answer here.]", False),
])
def test_brackets(body, flagged):
    assert ("brackets" in rules(LETTER.format(body))) is flagged


@pytest.mark.parametrize(("body", "flagged"), [
    ("About my problem_solving.", True),
    ("Mail first_last@acme.example.", False),
    ("I hope I showed my strengths in problem solving.", True),
    ("I hope I showed how I break a problem down.", False),
    ("I would bring my strengths in communication.", True),
    ("My communication is good.", False),  # the user's own words, not the rubric's label
])
def test_labels(body, flagged):
    rubric = ["problem solving", "communication"]
    assert ("label" in rules(LETTER.format(body), rubric=rubric)) is flagged


@pytest.mark.parametrize(("body", "rule"), [
    ("I enjoyed talking about .", "empty phrase"),
    ("Thanks for ().", "empty phrase"),
    ("It is exactly the kind of work I want to be part of.", None),
    ("Thanks for the the talk.", "duplicated phrase"),
    ("We talked about the semantic layer plan. Then we talked about the semantic layer "
     "plan again.", "duplicated phrase"),
])
def test_empty_and_duplicated_phrases(body, rule):
    found = rules(LETTER.format(body))
    if rule is None:
        assert found == []
    else:
        assert rule in found


def test_sentence_length_is_pinned_at_forty_words():
    at_limit = " ".join(["word"] * MAX_WORDS).replace("word word", "word wordy")
    over = at_limit + " more"
    assert MAX_WORDS == 40
    assert "long sentence" not in rules(LETTER.format(at_limit + "."))
    assert "long sentence" in rules(LETTER.format(over + "."))


def test_greeting_must_match_earlier_messages_to_the_same_person():
    text = "Dear Lena Hoffmann,\n\nAny news?\n\nKind regards,\nAlex\n"
    assert rules(text, earlier_greetings=["Dear Lena Hoffmann,"]) == []
    assert rules(text, earlier_greetings=["Dear Lena,"]) == ["greeting"]
    assert "greeting" in rules("Hi Jo,\n\nHello Jo,\n\nBest,\nAlex\n")  # two greetings


# --------------------------------------------------------------------------- every draft


def _draft_everything(journal, interview_ids, now_for) -> int:
    """Draft every combination for every interview; assert no hint. Returns how many."""
    count = 0
    for iid in interview_ids:
        now = now_for(iid)
        for kind, tone, form in COMBOS:
            for person in drafting.contacts_for(journal, iid, kind) or [None]:
                try:
                    m = draft_message(journal, iid, kind, to=person.name if person else None,
                                      tone=tone, form=form, now=now)
                except DraftError as exc:
                    assert kind == "info_reply" and "no information request" in str(exc)
                    continue
                hints = drafting.check_message(journal, m)
                assert hints == [], f"{kind}/{tone}/{form} to {m.recipient}:\n{m.body}\n{hints}"
                count += 1
    return count


def test_every_built_in_draft_of_the_demo_passes_the_checker(demo_journal):
    interviews = demo_journal.find(Interview)
    n = _draft_everything(demo_journal, [iv.id for iv in interviews],
                          lambda iid: demo_journal.get(Interview, iid).ends_at
                          + timedelta(hours=3))
    assert n > 44 * 24  # every interview, every kind, tone and form, every contact


ODD = [
    # (recall point, forgotten strength, interviewer, process length, request note)
    ("dbt", "Python.", "Anna van der Berg", "two rounds", "References?"),
    ("Lena said they are rebuilding the data platform in spring..",
     "led the dbt migration.", "Dr. Ruth Adeyemi", "2 rounds (case study, final).",
     "Priya asked for references and a salary range."),
    ("their semantic layer!!", "mentoring", "Maria-Fernanda de los Ángeles Ruiz-Picasso "
     "Montenegro y Bustamante", None, "Could you send two work samples?"),
    ("The team uses dbt and Airflow.", "I have presented quarterly results to the board.",
     "Jo", "3 weeks", "Notice period"),
    ("We talked about how they run blameless post-mortems", "My SQL is strong!",
     "Jean-Luc O'Neill", None, None),
    ("  the new product line launching in spring … ", "I mentored two juniors;",
     "Prof. Lars Eriksen", "four rounds over four weeks", "They want to see a case study."),
]


@pytest.fixture
def odd_journal(journal):
    journal.update(Profile(name="Alexandra Konstantinopoulou-Smith", email="alex@example.org",
                           phone="+49 30 1234567", timezone="Europe/Berlin",
                           signature="Best regards,\nAlexandra Konstantinopoulou-Smith",
                           pitch="Data analyst who turns messy data into decisions."))
    journal.add(Skill(name="SQL", position=9))  # a rubric label with no words behind it
    refs = [Reference(name="Sam van der Berg", speaks_to="my work on the billing migration."),
            Reference(name="Dr. Ruth Adeyemi", relationship="former manager")]
    journal.add_many(refs)
    ids = []
    for n, (recall, strength, person, process, note) in enumerate(ODD):
        iv = make_interview(company=f"Odd Co {n}", recall_point=recall,
                            forgotten_strength=strength, process_length=process,
                            feedback_by=None if n % 2 else "2026-03-09")
        people = [Interviewer(interview_id=iv.id, name=person),
                  Interviewer(interview_id=iv.id, name="Lena Hoffmann", contact_role="recruiter",
                              phone="+49 30 555 0101")]
        scores = [SkillScore(interview_id=iv.id, skill="SQL", score=5),
                  SkillScore(interview_id=iv.id, skill="problem solving", score=4)]
        journal.save_interview(iv, interviewers=people, skill_scores=scores)
        journal.add(HeadsUp(interview_id=iv.id, reference_id=refs[n % 2].id))
        journal.add(EmployerEvent(interview_id=iv.id, kind="info_request", note=note,
                                  at=datetime(2026, 3, 3, 9, tzinfo=UTC),
                                  contact_id=people[1].id))
        ids.append(iv.id)
    return journal, ids


def test_every_built_in_draft_of_odd_inputs_passes_the_checker(odd_journal):
    journal, ids = odd_journal
    n = _draft_everything(journal, ids, lambda _: datetime(2026, 3, 17, 9, tzinfo=UTC))
    # per interview: thank-you 3 tones x 2 forms x 2 people; follow-up and reply 3 x 3
    # forms x 2 people; heads-up 3 x 2 x 2 references
    assert n == len(ids) * (12 + 18 + 18 + 12)


def test_odd_inputs_read_as_clauses(odd_journal):
    journal, ids = odd_journal
    now = datetime(2026, 3, 17, 9, tzinfo=UTC)
    body = draft_message(journal, ids[1], "thank_you", tone="warm", now=now).body
    assert "glad to hear that you are rebuilding the data platform in spring;" in body
    assert "Lena said" not in body and "spring.." not in body
    assert "I did not get to mention that I led the dbt migration," in body
    assert "how I break a problem down" in body and "SQL" not in body
    assert body.count("regards") == 1 and body.rstrip().endswith(
        "Warm regards,\nAlexandra Konstantinopoulou-Smith")
    assert body.startswith("Dear Ruth,")
    formal = draft_message(journal, ids[0], "thank_you", tone="formal", now=now).body
    assert formal.startswith("Dear Anna van der Berg,")
    assert "our discussion of dbt." in formal
    reply = draft_message(journal, ids[1], "info_reply", tone="warm", now=now)
    assert reply.recipient == "Lena Hoffmann"  # who sent the request
    assert "asking for references and a salary range." in reply.body
    heads_up = draft_message(journal, ids[0], "reference_heads_up", tone="brief", now=now)
    assert heads_up.recipient == "Sam van der Berg"  # the reference given for it
    assert "hear about my work on the billing migration." in heads_up.body


def test_the_same_person_is_greeted_the_same_way_in_every_message(odd_journal):
    journal, ids = odd_journal
    now = datetime(2026, 3, 17, 9, tzinfo=UTC)
    first = draft_message(journal, ids[0], "thank_you", to="Anna van der Berg", tone="warm",
                          now=now)
    assert first.body.startswith("Dear Anna,")
    save_draft(journal, first)
    later = draft_message(journal, ids[0], "follow_up", to="Anna van der Berg",
                          tone="formal", now=now)
    assert later.body.startswith("Dear Anna,")  # not "Dear Anna van der Berg,"
    edited = later.body.replace("Dear Anna,", "Dear Anna van der Berg,", 1)
    from dataclasses import replace
    hints = drafting.check_message(journal, replace(later, body=edited))
    assert [h.rule for h in hints] == ["greeting"]
    assert "Dear Anna," in hints[0].message
