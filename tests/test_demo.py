"""The demo history: deterministic, believable, and shaped the way the docs say."""

from __future__ import annotations

import statistics
from collections import Counter

from afterview_analysis.demo import (
    DEMO_END,
    IMPROVING_SKILLS,
    WEAK_CATEGORY,
    WEAK_SKILL,
    demo_records,
    load_demo,
)
from afterview_analysis.exchange import export_json
from afterview_analysis.journal import Journal
from afterview_analysis.records import (
    EmployerEvent,
    Interview,
    Message,
    Outcome,
    Question,
    SkillScore,
)


def test_same_seed_same_history_other_seed_other_history():
    assert demo_records() == demo_records()
    assert demo_records(seed=1) != demo_records()


def test_loaded_demo_is_identical_across_journals():
    a, b = Journal(":memory:"), Journal(":memory:")
    load_demo(a)
    load_demo(b)
    assert export_json(a) == export_json(b)
    assert a.check() == []


def test_shape_of_the_search():
    records = demo_records()
    interviews = [r for r in records if isinstance(r, Interview)]
    assert 35 <= len(interviews) <= 50
    assert len({i.company for i in interviews}) == 25
    rounds = Counter(i.company for i in interviews)
    assert max(rounds.values()) >= 3
    span = max(i.starts_at for i in interviews) - min(i.starts_at for i in interviews)
    assert 450 <= span.days <= 550  # about 18 months
    assert max(i.starts_at.date() for i in interviews) <= DEMO_END
    outcomes = Counter(i.outcome for i in interviews)
    assert outcomes[Outcome.OFFER] >= 2 and outcomes[Outcome.GHOSTED] >= 2
    assert outcomes[Outcome.REJECTED] >= 5 and outcomes[Outcome.PENDING] >= 1


def test_skills_move_as_documented():
    records = demo_records()
    when = {r.id: r.starts_at for r in records if isinstance(r, Interview)}
    order = sorted(when, key=when.get)
    early, late = set(order[: len(order) // 3]), set(order[-len(order) // 3 :])

    def mean(skill, ids):
        return statistics.mean(
            r.score for r in records
            if isinstance(r, SkillScore) and r.skill == skill and r.interview_id in ids
        )

    for skill in IMPROVING_SKILLS:
        assert mean(skill, late) - mean(skill, early) >= 1.0
    assert mean(WEAK_SKILL, late) <= 2.6
    assert abs(mean(WEAK_SKILL, late) - mean(WEAK_SKILL, early)) < 0.6
    weak_q = [r.score for r in records if isinstance(r, Question) and r.category == WEAK_CATEGORY]
    all_q = [r.score for r in records if isinstance(r, Question)]
    assert statistics.mean(weak_q) < statistics.mean(all_q) - 0.5


def test_thank_yous_mostly_within_48_hours_and_some_ghosting():
    records = demo_records()
    ends = {r.id: r.ends_at for r in records if isinstance(r, Interview)}
    delays = [
        (m.sent_at - ends[m.interview_id]).total_seconds() / 3600
        for m in records if isinstance(m, Message) and m.kind == "thank_you"
    ]
    within = sum(d <= 48 for d in delays) / len(delays)
    assert 0.6 <= within < 1.0
    answered = {e.interview_id for e in records if isinstance(e, EmployerEvent)}
    ghosted = [i for i in records if isinstance(i, Interview) and i.outcome == "ghosted"]
    assert ghosted and not answered & {i.id for i in ghosted}


def test_each_demo_question_has_its_own_answer_and_note():
    """A first look at the bank, the prep sheet or an export shows answers that belong to
    their questions, not one sentence copied everywhere."""
    questions = [r for r in demo_records() if isinstance(r, Question)]
    answers = {q.text: q.answer for q in questions}
    assert len(set(answers.values())) == len(answers) >= 15  # one answer per question
    assert all(q.answer and q.answer == answers[q.text] for q in questions)  # the same
    notes = {q.next_time for q in questions if q.next_time}
    low = {q.text for q in questions if q.score is not None and q.score <= 2}
    assert len(notes) == len(low) >= 5  # a note per badly answered question
    assert all(q.next_time is None for q in questions if q.score is not None and q.score > 2)
