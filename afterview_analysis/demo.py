"""A believable, seeded 18-month job search, so every chart shows something on first run.

The history is deterministic: the same seed gives the same records, ids included. Its
shape is known, so tests and the README can say what the analysis should find:

* :data:`IMPROVING_SKILLS` climb by about two points over the search;
* :data:`WEAK_SKILL` stays around 2 of 5 throughout, and :data:`WEAK_CATEGORY` questions
  stay low too;
* employers answer in a few days to a few weeks, some never (ghosting), a few make offers;
* thank-you notes mostly go out within 48 hours, not always; some information requests
  get answered late.

>>> from afterview_analysis.journal import Journal
>>> j = Journal(":memory:")
>>> counts = load_demo(j)
>>> 35 <= counts["interviews"] <= 50, len({r["company"] for r in j.rows("interviews")})
(True, 25)
"""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from afterview_analysis.journal import Journal, JournalError
from afterview_analysis.records import (
    Category,
    Channel,
    ContactRole,
    EmployerEvent,
    EventKind,
    Format,
    HeadsUp,
    Interview,
    Interviewer,
    Message,
    MessageKind,
    Outcome,
    PlaybookStep,
    Practice,
    Profile,
    Question,
    QuestionGroup,
    QuestionPin,
    Record,
    Reference,
    SkillScore,
    Stage,
    Step,
)

__all__ = [
    "DEMO_END",
    "DEMO_SEED",
    "IMPROVING_SKILLS",
    "WEAK_CATEGORY",
    "WEAK_SKILL",
    "demo_records",
    "load_demo",
]

DEMO_SEED = 20261125
DEMO_END = date(2026, 11, 20)
DEMO_MONTHS = 18
DEMO_ZONE = "Europe/Berlin"

WEAK_SKILL = "problem solving"
WEAK_CATEGORY = Category.SYSTEM_DESIGN
IMPROVING_SKILLS = ("communication", "technical depth")

# skill -> (level at the start, change over the whole search), on the 1-5 scale
_SKILL_PATH = {
    "technical depth": (2.4, 1.9),
    "problem solving": (2.1, 0.0),
    "communication": (2.2, 2.2),
    "culture fit": (3.6, 0.2),
    "questions asked": (3.0, 0.5),
    "preparation": (3.1, 0.6),
}
_CATEGORY_PATH = {
    Category.TECHNICAL: (2.6, 1.5),
    Category.BEHAVIOURAL: (2.5, 1.8),
    Category.SYSTEM_DESIGN: (2.0, 0.1),
    Category.CULTURE: (3.6, 0.2),
    Category.MOTIVATION: (3.2, 0.8),
    Category.SALARY: (2.8, 0.5),
}

_COMPANIES = [
    "Northwind Analytics", "Bluepeak Health", "Copperleaf Energy", "Driftwood Games",
    "Elmstreet Bank", "Fjord Logistics", "Greenline Mobility", "Harbor Insurance",
    "Ironbark Robotics", "Juniper Retail", "Kestrel Aerospace", "Lumen Learning",
    "Maple & Finch Media", "Nimbus Cloudworks", "Orchard Foods", "Pinecrest Pharma",
    "Quarry Labs", "Riverstone Capital", "Saltmarsh Travel", "Tidewater Telecom",
    "Umber Design Studio", "Vantage Civic Tech", "Willow Property", "Yarrow Biotech",
    "Zephyr Weather",
]
_ROLES = ["Data Analyst", "Senior Data Analyst", "Analytics Engineer", "Data Scientist"]
_FIRST = ["Maya", "Jonas", "Priya", "Tomás", "Aiko", "Lena", "Omar", "Grace", "Felix",
          "Sofia", "Daniel", "Amara", "Henrik", "Chloe", "Ravi", "Ines", "Marco", "Yuki"]
_LAST = ["Keller", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Brennan", "Haddad",
         "Novak", "Castillo", "Weber", "Singh", "Rossi", "Kowalski", "Nakamura"]
_TITLES = ["Head of Data", "Analytics Manager", "Senior Data Scientist", "Recruiter",
           "Engineering Manager", "Product Lead", "Talent Partner"]

_QUESTIONS = {
    Category.TECHNICAL: [
        "How would you deduplicate a table of customer records?",
        "Explain the difference between a left join and an anti join.",
        "How do you test a data pipeline?",
        "Walk me through a window function you wrote recently.",
        "How would you detect an anomaly in daily sales?",
    ],
    Category.BEHAVIOURAL: [
        "Tell me about a time you disagreed with a stakeholder.",
        "Describe a project that failed and what you learned.",
        "How do you prioritise competing requests?",
        "Tell me about explaining a result to a non-technical audience.",
    ],
    Category.SYSTEM_DESIGN: [
        "Design a metrics platform for a team of fifty analysts.",
        "How would you build a near-real-time dashboard on event data?",
        "Design the data model for a subscription business.",
    ],
    Category.CULTURE: [
        "What kind of team do you do your best work in?",
        "How do you like to receive feedback?",
    ],
    Category.MOTIVATION: [
        "Why do you want to work here?",
        "Where do you see yourself in three years?",
    ],
    Category.SALARY: ["What are your salary expectations?"],
}
#: What the made-up candidate answered to each question, and what to say next time when
#: it went badly (no random draws: the rest of the demo stays as it was).
_ANSWERS: dict[str, tuple[str, str]] = {
    "How would you deduplicate a table of customer records?": (
        "Normalise names and emails, block on postcode, then rank candidate pairs with a "
        "window function and keep the newest record.",
        "Say how I would measure false merges before deleting anything."),
    "Explain the difference between a left join and an anti join.": (
        "A left join keeps every left row with matches or nulls; an anti join keeps only "
        "the left rows without a match.",
        "Give the NOT EXISTS example straight away; I drew it on paper too slowly."),
    "How do you test a data pipeline?": (
        "Schema and row-count checks on every load, dbt tests on keys, and a small fixture "
        "dataset run in CI.",
        "Mention the incident the fixture tests caught at my last job."),
    "Walk me through a window function you wrote recently.": (
        "A 28-day rolling retention rate per cohort with ROWS BETWEEN and a partition by "
        "signup week.",
        "Start from the business question, then the SQL."),
    "How would you detect an anomaly in daily sales?": (
        "A seasonal baseline per weekday with a rolling median and an alert outside three "
        "MADs, reviewed weekly.",
        "Explain why median and MAD rather than mean and standard deviation."),
    "Tell me about a time you disagreed with a stakeholder.": (
        "The churn definition: I showed both numbers side by side and we agreed on one, "
        "written down for both teams.",
        "Name the result: the two dashboards finally matched."),
    "Describe a project that failed and what you learned.": (
        "A forecasting model nobody used because I never asked how planners worked; now I "
        "sit with users first.",
        "Keep it under two minutes and end on what I do differently."),
    "How do you prioritise competing requests?": (
        "Impact against effort in a shared board, reviewed every Monday with the people "
        "asking.",
        "Give a concrete week, not the framework."),
    "Tell me about explaining a result to a non-technical audience.": (
        "One chart, one sentence of conclusion, and the caveat last: how I presented the "
        "pricing test to sales.",
        "Bring the actual slide; describing it lost them."),
    "Design a metrics platform for a team of fifty analysts.": (
        "A semantic layer over the warehouse, certified metrics owned by teams, and a "
        "catalogue with lineage.",
        "Start with who uses it and how many metrics, before the tools."),
    "How would you build a near-real-time dashboard on event data?": (
        "Stream events into a queue, aggregate per minute into a fast store, and show "
        "freshness on the dashboard.",
        "Ask how fresh is fresh enough before designing anything."),
    "Design the data model for a subscription business.": (
        "Customers, subscriptions with start and end dates, plan changes as events, and "
        "invoices.",
        "Cover upgrades mid-cycle and refunds: they asked and I stalled."),
    "What kind of team do you do your best work in?": (
        "Small, with clear owners, written decisions and a habit of reviewing each "
        "other's queries.",
        "Tie it to how their team works, from the job ad."),
    "How do you like to receive feedback?": (
        "Early and specific, ideally in the pull request or right after a meeting.",
        "Give an example of feedback that changed how I work."),
    "Why do you want to work here?": (
        "Their data is the product, and the role owns the metrics the whole company "
        "steers by.",
        "Name the product and the team, not the industry."),
    "Where do you see yourself in three years?": (
        "Leading analytics for a product area and mentoring two or three analysts.",
        "Connect it to the growth path they described."),
    "What are your salary expectations?": (
        "The researched range for the city and level, and openness about the whole "
        "package.",
        "Say the range first, then ask about the package."),
}
_STAGE_CATEGORIES = {
    Stage.SCREEN: [Category.MOTIVATION, Category.BEHAVIOURAL, Category.SALARY,
                   Category.CULTURE],
    Stage.TECHNICAL: [Category.TECHNICAL, Category.TECHNICAL, Category.SYSTEM_DESIGN,
                      Category.BEHAVIOURAL],
    Stage.ONSITE: [Category.SYSTEM_DESIGN, Category.TECHNICAL, Category.BEHAVIOURAL,
                   Category.CULTURE],
    Stage.FINAL: [Category.MOTIVATION, Category.CULTURE, Category.BEHAVIOURAL,
                  Category.SALARY],
}
_RECALL = [
    "their plan to move reporting onto a shared semantic layer",
    "the story of how the team cut dashboard load time in half",
    "their question about how I would onboard new analysts",
    "the new product line launching in spring",
    "how they run blameless post-mortems on data incidents",
]
_FORGOT = [
    "I mentored two junior analysts through their first year",
    "I led the migration of 120 reports to dbt without downtime",
    "I have presented quarterly results to the board",
    "I built the forecasting model that is still in production",
]


def _id(rng: random.Random) -> str:
    return f"{rng.getrandbits(48):012x}"


def _score(rng: random.Random, path: tuple[float, float], t: float) -> int:
    start, change = path
    return max(1, min(5, round(start + change * t + rng.gauss(0, 0.55))))


def demo_records(seed: int = DEMO_SEED, end: date = DEMO_END) -> list[Record]:
    """Every record of the demo history, parents before children, deterministic in ``seed``."""
    rng = random.Random(seed)
    zone = ZoneInfo(DEMO_ZONE)
    start = end - timedelta(days=round(DEMO_MONTHS * 30.44))
    span = (end - start).days
    out: list[Record] = [
        Profile(
            name="Alex Morgan",
            email="alex.morgan@example.org",
            phone="+49 30 1234 5678",
            signature="Alex Morgan\n+49 30 1234 5678",
            pitch="Data analyst who turns messy operational data into decisions people trust.",
            timezone=DEMO_ZONE,
            linkedin="https://www.linkedin.com/in/alex-morgan-demo",
            github="https://github.com/alex-morgan-demo",
            website="https://alexmorgan.example.org",
        )
    ]
    references = [
        Reference(id=_id(rng), name="Dr. Ruth Adeyemi", relationship="former manager",
                  email="ruth.adeyemi@example.com", phone="+44 20 7946 0001",
                  speaks_to="how I led the churn model from first draft to the board"),
        Reference(id=_id(rng), name="Sam Whitfield", relationship="former colleague",
                  email="sam.whitfield@example.com"),
        Reference(id=_id(rng), name="Prof. Lars Eriksen", relationship="thesis supervisor",
                  email="lars.eriksen@example.edu",
                  speaks_to="my thesis on forecasting demand from sparse sales data"),
    ]
    out += references

    companies = list(_COMPANIES)
    rng.shuffle(companies)
    first_days = sorted(rng.uniform(0, span - 10) for _ in companies)
    stages = [Stage.SCREEN, Stage.TECHNICAL, Stage.ONSITE, Stage.FINAL]
    for company, first_day in zip(companies, first_days, strict=True):
        rounds = rng.choices([1, 2, 3, 4], weights=[17, 4, 3, 2])[0]
        role = rng.choice(_ROLES)
        domain = company.lower().replace(" & ", "-").replace(" ", "") + ".example.com"
        day = start + timedelta(days=first_day)
        for r in range(rounds):
            if day > end - timedelta(days=2):
                break
            out += _interview(rng, zone, company, role, domain, stages[r], day, start, span,
                              last=r == rounds - 1, end=end, references=references)
            day += timedelta(days=rng.randint(7, 18))
    return out + _bank(random.Random(seed + 15), out)


# Best answers the demo user wrote for some questions of the bank (by question text).
_BEST_ANSWERS = {
    "Tell me about a time you disagreed with a stakeholder.":
        "The churn dashboard: I showed the cohort numbers side by side, we agreed on one "
        "definition, and I wrote it down for both teams.",
    "What are your salary expectations?":
        "Name the researched range for the city and level, then ask about the whole package.",
    "How would you deduplicate a table of customer records?":
        "Normalise names and emails, block on postcode, score pairs, review the borderline "
        "ones by hand, and keep a mapping table instead of deleting rows.",
    "Design a metrics platform for a team of fifty analysts.":
        "Start from the decisions the metrics serve, then one semantic layer, tests on every "
        "definition, and a catalogue people actually search.",
}


def _bank(rng: random.Random, records: list[Record]) -> list[Record]:
    """The demo's question bank: groups with a best answer (every asking pinned to its
    group), and practice sessions in the weeks before some interviews."""
    starts = {r.id: r.starts_at for r in records if isinstance(r, Interview)}
    out: list[Record] = []
    for text, best in _BEST_ANSWERS.items():
        askings = [q for q in records if isinstance(q, Question) and q.text == text]
        first = min(starts[q.interview_id] for q in askings)
        group = QuestionGroup(id=_id(rng), title=text, best_answer=best,
                              best_answer_at=first + timedelta(days=2),
                              created_at=first + timedelta(days=1))
        out.append(group)
        out += [QuestionPin(id=_id(rng), question_id=q.id, group_id=group.id,
                            pinned_at=group.created_at) for q in askings]
        later = sorted(starts[q.interview_id] for q in askings)[1:]
        for at in later[: rng.randint(2, 4)]:
            out.append(Practice(
                id=_id(rng), group_id=group.id,
                practised_at=at - timedelta(days=rng.randint(1, 4), hours=rng.randint(1, 9)),
                score=rng.randint(3, 5), answer=best if rng.random() < 0.5 else None,
            ))
    return out


def _interview(rng, zone, company, role, domain, stage, day, start, span, *, last, end,
               references):
    t = (day - start).days / span
    local_start = datetime.combine(day, time(rng.choice([9, 10, 11, 13, 14, 15, 16]),
                                              rng.choice([0, 30])), zone)
    minutes = {Stage.SCREEN: 30, Stage.TECHNICAL: 60, Stage.ONSITE: 180, Stage.FINAL: 45}[stage]
    starts_at = local_start.astimezone(UTC)
    ends_at = starts_at + timedelta(minutes=minutes)
    iid = _id(rng)
    promised_days = rng.choice([3, 5, 7, 7, 10, 14])
    feedback_by = (local_start + timedelta(days=promised_days)).date()

    skills = {name: _score(rng, path, t) for name, path in _SKILL_PATH.items()}
    cats = _STAGE_CATEGORIES[stage]
    qs = []
    for pos in range(rng.randint(3, 6)):
        cat = cats[pos % len(cats)] if pos < len(cats) else rng.choice(cats)
        score = _score(rng, _CATEGORY_PATH[cat], t)
        qs.append((cat, rng.choice(_QUESTIONS[cat]), score))
    mean_score = sum(s for *_, s in qs) / len(qs)
    # the chance of advancing grows with how well it went; the user's guess is noisy
    p_true = 1 / (1 + math.exp(-1.6 * (mean_score - 3.0)))
    predicted = max(5, min(95, round(100 * p_true + rng.gauss(0, 18)) // 5 * 5))

    recent = (end - day).days < 21
    if not last:
        outcome, response_days = Outcome.ADVANCED, rng.lognormvariate(1.5, 0.5)
    elif recent:
        outcome, response_days = Outcome.PENDING, None
    else:
        roll = rng.random()
        if roll < 0.2:
            outcome, response_days = Outcome.GHOSTED, None
        elif roll < 0.22:
            outcome, response_days = Outcome.WITHDRAWN, rng.lognormvariate(1.4, 0.5)
        elif stage in (Stage.ONSITE, Stage.FINAL) and rng.random() < max(p_true, 0.55):
            outcome, response_days = Outcome.OFFER, rng.lognormvariate(1.7, 0.5)
        else:
            outcome, response_days = Outcome.REJECTED, rng.lognormvariate(2.0, 0.6)
    answered_at = (ends_at + timedelta(days=response_days)) if response_days else None
    if answered_at and answered_at.date() > end:
        outcome, answered_at = Outcome.PENDING, None

    interviewers = []
    for _ in range(1 if stage == Stage.SCREEN else rng.randint(1, 2)):
        first, last_name = rng.choice(_FIRST), rng.choice(_LAST)
        interviewers.append(Interviewer(
            id=_id(rng), interview_id=iid, name=f"{first} {last_name}",
            title=rng.choice(_TITLES),
            email=f"{first.lower().replace('á', 'a')}.{last_name.lower()}@{domain}",
            phone=f"+49 30 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
            if rng.random() < 0.4 else None,
        ))
    # recruiters and talent partners are the employer's office, not interviewers
    interviewers = [replace(p, contact_role=ContactRole.RECRUITER)
                    if p.title in ("Recruiter", "Talent Partner") else p for p in interviewers]
    office = [p for p in interviewers if p.contact_role == ContactRole.RECRUITER]
    out: list[Record] = [Interview(
        id=iid, company=company, role=role, stage=stage,
        format=Format.PHONE if stage == Stage.SCREEN else rng.choice(list(Format)),
        starts_at=starts_at, duration_minutes=minutes,
        location="Video call" if stage != Stage.ONSITE else f"{company} office",
        job_url=f"https://careers.{domain}/jobs/{rng.randint(1000, 9999)}",
        process_length=f"{rng.randint(2, 4)} rounds over {rng.randint(3, 6)} weeks",
        feedback_by=feedback_by, keep_in_touch=rng.random() < 0.9,
        recall_point=rng.choice(_RECALL), forgotten_strength=rng.choice(_FORGOT),
        predicted_chance=predicted, outcome=outcome,
        outcome_on=answered_at.astimezone(zone).date()
        if answered_at and outcome != Outcome.PENDING else None,
        created_at=ends_at + timedelta(minutes=rng.randint(20, 240)),
    )]
    out += interviewers
    for pos, (cat, text, score) in enumerate(qs):
        out.append(Question(
            id=_id(rng), interview_id=iid, position=pos, text=text, category=cat,
            answer=_ANSWERS[text][0],
            score=score, minutes=rng.randint(2, 15) if rng.random() < 0.7 else None,
            next_time=_ANSWERS[text][1] if score <= 2 else None,
        ))
    out += [SkillScore(id=_id(rng), interview_id=iid, skill=name, score=score)
            for name, score in skills.items()]

    def step(kind: Step, at: datetime) -> None:
        if at.date() <= end:
            out.append(PlaybookStep(id=_id(rng), interview_id=iid, step=kind, done_at=at))

    if rng.random() < 0.85:
        step(Step.ASK_NEXT_STEPS, ends_at)
    if rng.random() < 0.8:
        step(Step.ASSESS_PERFORMANCE, ends_at + timedelta(hours=rng.uniform(0.5, 6)))
    if rng.random() < 0.6:
        step(Step.REVIEW_PROFILES, ends_at + timedelta(hours=rng.uniform(2, 30)))
    if stage in (Stage.ONSITE, Stage.FINAL) and rng.random() < 0.7:
        ref = rng.choice(references)
        sent = ends_at + timedelta(hours=rng.uniform(3, 30))
        step(Step.CONTACT_REFERENCES, sent)
        out.append(HeadsUp(id=_id(rng), interview_id=iid, reference_id=ref.id, sent_at=sent))
    # thank-you: usually within a few hours, sometimes late, once in a while never
    if rng.random() < 0.92:
        delay = rng.uniform(2, 20) if rng.random() < 0.8 else rng.uniform(30, 80)
        sent = ends_at + timedelta(hours=delay)
        if sent.date() <= end:
            step(Step.THANK_YOU, sent)
            who = interviewers[0]
            out.append(Message(
                id=_id(rng), interview_id=iid, kind=MessageKind.THANK_YOU,
                recipient=who.name, recipient_email=who.email,
                subject=f"Thank you: {role} interview",
                body=f"Dear {who.name.split()[0]},\n\nThank you for your time today ...",
                channel=Channel.EMAIL, created_at=sent - timedelta(minutes=25), sent_at=sent,
            ))
    if answered_at:
        kind = {
            Outcome.ADVANCED: EventKind.NEXT_ROUND, Outcome.OFFER: EventKind.OFFER,
            Outcome.REJECTED: EventKind.REJECTION, Outcome.WITHDRAWN: EventKind.FEEDBACK,
        }[outcome]
        if rng.random() < 0.2 and (answered_at - ends_at).days >= 3:
            asked = ends_at + timedelta(days=rng.uniform(1, (answered_at - ends_at).days - 1))
            request_id = _id(rng)
            who = (office or interviewers)[0]
            out.append(EmployerEvent(id=request_id, interview_id=iid,
                                     kind=EventKind.INFO_REQUEST, at=asked,
                                     note="Could you send two work samples?",
                                     contact_id=who.id))
            replied = asked + timedelta(hours=rng.uniform(3, 20) if rng.random() < 0.75
                                        else rng.uniform(26, 60))
            out.append(Message(
                id=_id(rng), interview_id=iid, kind=MessageKind.INFO_REPLY,
                recipient=who.name, recipient_email=who.email,
                subject=f"Re: {role}: the work samples", body="Please find attached ...",
                reply_to_event_id=request_id, created_at=replied - timedelta(minutes=40),
                sent_at=replied,
            ))
        out.append(EmployerEvent(id=_id(rng), interview_id=iid, kind=kind, at=answered_at))
    # a follow-up when they were late: about a week after the promised date, give or take
    promised = datetime.combine(feedback_by, time(18, 0), zone).astimezone(UTC)
    silent_until = answered_at or datetime.combine(end, time(23, 0), UTC)
    follow = promised + timedelta(days=rng.choice([4, 6, 7, 7, 8, 9, 12]))
    if follow < silent_until and follow.date() <= end and rng.random() < 0.8:
        who = interviewers[0]
        step(Step.FOLLOW_UP, follow)
        out.append(Message(
            id=_id(rng), interview_id=iid, kind=MessageKind.FOLLOW_UP, recipient=who.name,
            recipient_email=who.email, subject=f"Following up: {role} interview",
            body="I wanted to follow up on ...", created_at=follow - timedelta(minutes=15),
            sent_at=follow,
        ))
    return out


def load_demo(journal: Journal, seed: int = DEMO_SEED) -> dict[str, int]:
    """Fill an empty journal with the demo history, in one transaction; rows per table."""
    if not journal.is_empty():
        raise JournalError(f"{journal.path} already holds data; the demo needs an empty journal")
    records = demo_records(seed)
    with journal.transaction():
        profile = next(r for r in records if isinstance(r, Profile))
        journal.update(profile)
        journal.add_many(r for r in records if not isinstance(r, Profile))
    return journal.counts()
