"""The playbook's clock: when each after-interview step is due, and the agenda.

Deadlines (the contract analysis and the agenda share):

* ask for next steps: at the interview's end;
* assess your performance: the same day (23:59 in the user's zone);
* review online profiles, contact references: within 24 h of the end;
* thank-you: within 48 h of the end (earlier is better);
* follow-up: 7 days after the promised feedback date has passed with no employer
  response (none is due if they answered);
* reply to an information request: within 24 h of the request.

Public API (pure functions over records; this module never imports pandas, so
``afterview agenda`` stays quick):

* :func:`deadlines` ``(ends_at, feedback_by, zone) -> {Step: due}``: the one definition of
  every playbook deadline. It takes one interview's end and promised date, or the columns
  of a whole table of interviews (pandas Series: the analysis computes every interview's
  deadlines in one pass with the same function); :func:`deadline` and :func:`due_at` ask
  it about one step of one interview.
* :func:`steps_for` ``(interview, steps_done, events, messages, zone, *, now, heads_ups,
  profile) -> list[AgendaItem]``: the six steps (and one item per information request)
  of one interview, with due time, status and reason. The interview form uses it.
* :func:`agenda` ``(journal_or_records, now) -> list[AgendaItem]``: every step of every
  interview, soonest first.
* :func:`open_items` / :func:`format_agenda`: what the ``afterview agenda`` command prints.

Statuses: ``done`` (done at or before ``now``; ``late`` says whether after its due time),
``due`` (not done, due time still ahead), ``overdue`` (not done, due time passed), and
``missed`` (not done, and no longer worth doing: the interview's outcome is known, or the
step is more than :data:`STALE_AFTER` overdue). Anything recorded after ``now`` counts as
not yet happened, so an agenda for a past date shows what was due then.

>>> from datetime import datetime, timezone
>>> from afterview_analysis.records import Interview
>>> iv = Interview(company="Acme", role="Analyst", duration_minutes=60,
...                starts_at=datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
>>> now = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)
>>> [(i.step, i.status, f"{i.due_at:%d %H:%M}") for i in steps_for(iv, [], [], [],
...                                                                   "Europe/Berlin", now=now)]
... # doctest: +NORMALIZE_WHITESPACE
[('ask_next_steps', 'overdue', '02 10:00'), ('assess_performance', 'due', '02 22:59'),
 ('review_profiles', 'due', '03 10:00'), ('contact_references', 'due', '03 10:00'),
 ('thank_you', 'due', '04 10:00'), ('follow_up', 'due', '16 22:59')]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from afterview_analysis import records
from afterview_analysis.records import (
    Channel,
    EmployerEvent,
    EventKind,
    HeadsUp,
    Interview,
    Message,
    MessageKind,
    Outcome,
    PlaybookStep,
    Profile,
    Step,
)

if TYPE_CHECKING:  # pandas only for the type hints: the agenda never imports it
    import pandas as pd

__all__ = [
    "DEADLINES",
    "DECIDED",
    "END_OF_DAY",
    "FEEDBACK_ASSUMED_AFTER",
    "FOLLOW_UP_AFTER",
    "FOLLOW_UP_AGAIN",
    "FOLLOW_UP_TOLERANCE",
    "GOOD_PRACTICE",
    "INFO_REPLY",
    "INFO_REPLY_WITHIN",
    "MIN_FOCUS_N",
    "SKILL_ADVICE",
    "SKILL_CATEGORIES",
    "STALE_AFTER",
    "STEP_TITLES",
    "THANK_YOU_WITHIN",
    "TICKED_BY_LOGGING",
    "AgendaItem",
    "agenda",
    "deadline",
    "deadlines",
    "due_at",
    "end_of_day",
    "format_agenda",
    "open_items",
    "profile_links",
    "steps_done_by_logging",
    "steps_for",
]

#: Step -> (anchor, offset). Anchors: "end" (interview end), "end_of_day" (23:59 local on
#: the interview's day), "feedback_by" (end of the promised feedback date, local).
DEADLINES: dict[Step, tuple[str, timedelta]] = {
    Step.ASK_NEXT_STEPS: ("end", timedelta(0)),
    Step.ASSESS_PERFORMANCE: ("end_of_day", timedelta(0)),
    Step.REVIEW_PROFILES: ("end", timedelta(hours=24)),
    Step.CONTACT_REFERENCES: ("end", timedelta(hours=24)),
    Step.THANK_YOU: ("end", timedelta(hours=48)),
    Step.FOLLOW_UP: ("feedback_by", timedelta(days=7)),
}
INFO_REPLY_WITHIN = timedelta(hours=24)
THANK_YOU_WITHIN = DEADLINES[Step.THANK_YOU][1]
FOLLOW_UP_AFTER = DEADLINES[Step.FOLLOW_UP][1]
#: "About a week after": a follow-up sent within this much of its due time, before or
#: after, is on time; earlier is too early, later is late (the analysis's one definition).
FOLLOW_UP_TOLERANCE = timedelta(days=2)

#: "End of the day" in the user's zone.
END_OF_DAY = time(23, 59)
#: When the employer named no feedback date, the follow-up clock assumes one this long
#: after the interview's day (then waits FOLLOW_UP_AFTER on top, as for a named date).
FEEDBACK_ASSUMED_AFTER = timedelta(days=7)
#: "Focus next": an area needs this many scored interviews before it can lead the list
#: of weak areas (one low score must not outrank a weakness seen again and again).
MIN_FOCUS_N = 3
#: "Focus next" takes practice into account: a question practised since it was last
#: asked, whose latest practice self-score is at least this ("good" on the 1-5 scale),
#: goes after the other questions of its area (a lower practice score keeps its place).
GOOD_PRACTICE = 4
#: Which kinds of question practise which rubric skill (declared, not guessed): the
#: practice list of a skill draws its questions from these categories. A skill without
#: categories gets advice instead (:data:`SKILL_ADVICE`).
SKILL_CATEGORIES: dict[str, tuple[str, ...]] = {
    "technical depth": ("technical", "system_design"),
    "problem solving": ("system_design", "technical"),
    "communication": ("behavioural", "motivation"),
    "culture fit": ("culture", "behavioural", "motivation"),
    "preparation": ("motivation", "salary", "culture"),
    "questions asked": (),
}
#: What to do for a skill no kind of question practises.
SKILL_ADVICE: dict[str, str] = {
    "questions asked": "Prepare three questions of your own for the next interview: about "
                       "the team, the work of the first months, and how success is measured.",
}
#: A step left undone this long past its due time is ``missed``, not ``overdue``.
STALE_AFTER = timedelta(days=30)
#: The agenda's name for "reply to an information request" (not one of the six Steps).
INFO_REPLY = "info_reply"
#: The agenda's name for the next follow-up after a call in which they named a new date.
FOLLOW_UP_AGAIN = "follow_up_again"

STEP_TITLES: dict[str, str] = {
    Step.ASK_NEXT_STEPS: "ask for next steps",
    Step.ASSESS_PERFORMANCE: "assess your performance",
    Step.REVIEW_PROFILES: "review online profiles",
    Step.CONTACT_REFERENCES: "contact references",
    Step.THANK_YOU: "send the thank-you",
    Step.FOLLOW_UP: "follow up",
    INFO_REPLY: "answer their request",
    FOLLOW_UP_AGAIN: "follow up again",
}
_ORDER = {name: i for i, name in enumerate(STEP_TITLES)}

#: Messages that, once sent, count as the step done (a sent heads-up counts for
#: contact_references too). The compliance analysis uses the same table.
MESSAGE_STEP = records.MESSAGE_STEP
#: Outcomes that settle an interview: the employer answered (no follow-up needed) or you
#: withdrew. Today's "decided" and the analysis's "decided" use the same set.
DECIDED = frozenset({Outcome.ADVANCED, Outcome.OFFER, Outcome.REJECTED, Outcome.WITHDRAWN})
_PROFILE_LINKS = (
    ("linkedin", "LinkedIn"),
    ("github", "GitHub"),
    ("x", "X"),
    ("facebook", "Facebook"),
    ("website", "website"),
)


@dataclass(frozen=True)
class AgendaItem:
    """One step of one interview: when it is due, whether it is done, and why."""

    interview_id: str
    company: str
    role: str
    step: str  #: a :class:`Step` value, or :data:`INFO_REPLY`
    due_at: datetime  #: UTC
    status: str  #: "done", "due", "overdue" or "missed"
    reason: str
    done_at: datetime | None = None
    event_id: str | None = None  #: the information request, for INFO_REPLY items

    @property
    def title(self) -> str:
        return STEP_TITLES[self.step]

    @property
    def is_open(self) -> bool:
        return self.status in ("due", "overdue")

    @property
    def late(self) -> bool:
        """Done, but after the due time."""
        return self.done_at is not None and self.done_at > self.due_at

    @property
    def uid(self) -> str:
        """Stable identity of the item (calendar exports use it)."""
        return f"{self.interview_id}-{self.event_id or self.step}"


# --------------------------------------------------------------------------- time helpers


def _zone(zone: str | tzinfo | None) -> tzinfo:
    if zone is None:
        return UTC
    return ZoneInfo(zone) if isinstance(zone, str) else zone


def end_of_day(day: date | pd.Series, zone: str | tzinfo | None) -> datetime | pd.Series:
    """:data:`END_OF_DAY` on the calendar ``day`` in ``zone``, as UTC: what "the same
    day" and "by that date" mean everywhere (the agenda and the analysis).

    ``day`` may also be a pandas Series of days (naive midnights; NaT stays NaT): each
    distinct day is looked up once, and a ``datetime64[us, UTC]`` Series comes back.

    >>> end_of_day(date(2026, 3, 9), "Europe/Berlin").isoformat()
    '2026-03-09T22:59:00+00:00'
    >>> import pandas as pd
    >>> days = pd.Series(pd.to_datetime(["2026-03-28", "2026-03-29", None]))
    >>> end_of_day(days, "Europe/Berlin").dt.strftime("%d %H:%M").tolist()  # CET, CEST
    ['28 22:59', '29 21:59', nan]
    """
    z = _zone(zone)
    if _is_column(day):
        ends = {d: _end_of_day(d.date(), z) for d in day.dropna().unique().to_pydatetime()}
        return day.map(ends).astype("datetime64[us, UTC]")
    return _end_of_day(day, z)


@lru_cache(maxsize=8192)  # the analysis asks for the same few hundred days many times
def _end_of_day(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, END_OF_DAY, tzinfo=zone).astimezone(UTC)


def _is_column(value: Any) -> bool:
    """A pandas Series (a column of many interviews), not one value."""
    return hasattr(value, "dt")


def _local_day(moment: datetime | pd.Series, zone: tzinfo) -> date | pd.Series:
    """The calendar day of ``moment`` (or of each moment of a UTC column) in ``zone``."""
    if _is_column(moment):
        return moment.dt.tz_convert(zone).dt.tz_localize(None).dt.normalize()
    return moment.astimezone(zone).date()


def _promised(feedback_by: date | pd.Series | None,
              assumed: date | pd.Series) -> date | pd.Series:
    """The promised feedback day, or ``assumed`` where none was said."""
    if _is_column(feedback_by):
        return feedback_by.dt.normalize().fillna(assumed)
    return feedback_by or assumed


def _show(moment: datetime, zone: tzinfo) -> str:
    local = moment.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def _show_day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _span(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    if hours < 1:
        return f"{max(1, round(hours * 60))} min"
    if hours < 48:
        return f"{round(hours)} h"
    return f"{round(hours / 24)} days"


def due_at(interview: Interview, step: Step | str, zone: str | tzinfo | None) -> datetime:
    """When ``step`` is due for ``interview`` (UTC): :func:`deadline` of its end and its
    promised feedback date.

    >>> from datetime import datetime, timezone
    >>> iv = Interview(company="A", role="B", duration_minutes=30, feedback_by="2026-03-09",
    ...                starts_at=datetime(2026, 3, 2, 23, 29, tzinfo=timezone.utc))
    >>> due_at(iv, Step.FOLLOW_UP, "UTC").isoformat()
    '2026-03-16T23:59:00+00:00'
    """
    return deadline(step, interview.ends_at, interview.feedback_by, zone)


def deadline(
    step: Step | str, ends_at: datetime, feedback_by: date | None, zone: str | tzinfo | None
) -> datetime:
    """When ``step`` is due (UTC) for an interview that ended at ``ends_at`` and whose
    employer promised feedback by ``feedback_by`` (None: not said), by :data:`DEADLINES`.
    The one definition of every playbook deadline: the agenda (:func:`due_at`) and the
    analysis (``analytics.step_deadlines``, ``own_response_times``) both call it.

    "Same day" and "end of the feedback date" are 23:59 in ``zone`` (the user's zone,
    ``Profile.timezone``): an interview that ends at 23:59 in New York ends at 05:59 the
    next day in Berlin, and a Berlin user has until 23:59 that next day to assess it.
    Without a promised date the follow-up clock assumes one
    :data:`FEEDBACK_ASSUMED_AFTER` after the interview's local day.

    >>> from datetime import datetime, timezone
    >>> end = datetime(2026, 3, 2, 23, 59, tzinfo=timezone.utc)
    >>> deadline(Step.ASSESS_PERFORMANCE, end, None, "UTC").isoformat()
    '2026-03-02T23:59:00+00:00'
    >>> deadline(Step.ASSESS_PERFORMANCE, end, None, "Europe/Berlin").isoformat()
    '2026-03-03T22:59:00+00:00'
    >>> deadline(Step.THANK_YOU, end, None, "UTC").isoformat()
    '2026-03-04T23:59:00+00:00'
    """
    return deadlines(ends_at, feedback_by, zone)[Step(step)]


def deadlines(
    ends_at: datetime | pd.Series, feedback_by: date | pd.Series | None,
    zone: str | tzinfo | None,
) -> dict[Step, datetime | pd.Series]:
    """:func:`deadline` of every step in :data:`DEADLINES`, in its order.

    For one interview: ``ends_at`` an aware datetime, ``feedback_by`` a date or None. For
    a table of interviews, in one pass: ``ends_at`` a ``datetime64[..., UTC]`` Series and
    ``feedback_by`` a Series of days (naive midnights, NaT where none was said) on the
    same index; each due moment is then a ``datetime64[us, UTC]`` Series. The same rule
    either way (the agenda asks per interview, the analysis for all at once).

    >>> from datetime import datetime, timezone
    >>> end = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)
    >>> [f"{d:%d %H:%M}" for d in deadlines(end, date(2026, 3, 9), "UTC").values()]
    ['02 10:00', '02 23:59', '03 10:00', '03 10:00', '04 10:00', '16 23:59']
    >>> import pandas as pd
    >>> ends = pd.Series(pd.to_datetime(["2026-03-02T10:00Z", "2026-03-02T23:30Z"]))
    >>> said = pd.Series(pd.to_datetime(["2026-03-09", None]))
    >>> due = deadlines(ends, said, "Europe/Berlin")
    >>> due[Step.FOLLOW_UP].dt.strftime("%d %H:%M").tolist()  # no date: 10 March + 7 days
    ['16 22:59', '17 22:59']
    """
    z = _zone(zone)
    day = _local_day(ends_at, z)
    promised = _promised(feedback_by, day + FEEDBACK_ASSUMED_AFTER)
    anchors = {"end": ends_at, "end_of_day": end_of_day(day, z)}
    out = {}
    for step, (anchor, offset) in DEADLINES.items():
        if anchor == "feedback_by":
            # wall-clock days in the user's zone (a DST change does not shift 23:59)
            out[step] = end_of_day(promised + offset, z)
        else:
            out[step] = anchors[anchor] + offset
    return out


def profile_links(profile: Profile | None) -> list[tuple[str, str]]:
    """The user's online profiles to review, as (label, url), LinkedIn first."""
    if profile is None:
        return []
    return [(label, getattr(profile, name)) for name, label in _PROFILE_LINKS
            if getattr(profile, name)]


# --------------------------------------------------------------------------- one interview


def steps_for(
    interview: Interview,
    steps_done: Iterable[PlaybookStep],
    events: Iterable[EmployerEvent],
    messages: Iterable[Message],
    zone: str | tzinfo | None = None,
    *,
    now: datetime | None = None,
    heads_ups: Iterable[HeadsUp] = (),
    profile: Profile | None = None,
) -> list[AgendaItem]:
    """The playbook for one interview: its six steps and its information requests.

    A step is done when a :class:`PlaybookStep` marks it, or (thank-you, follow-up,
    contact references) when the matching message or heads-up was sent; the earliest
    counts. An information request is answered by a sent ``info_reply`` message whose
    ``reply_to_event_id`` is the request. The follow-up is left out when the employer
    answered (any event other than an information request, or a known outcome) and the
    user had not followed up. Records from other interviews are ignored; anything dated
    after ``now`` (default: the current time) is ignored.
    """
    z = _zone(zone)
    now = (now or datetime.now(UTC)).astimezone(UTC)
    iid = interview.id

    def past(moment: datetime | None) -> bool:
        return moment is not None and moment <= now

    done: dict[str, datetime] = {}

    def mark(step: str, moment: datetime | None) -> None:
        if past(moment) and (step not in done or moment < done[step]):
            done[step] = moment

    for s in steps_done:
        if s.interview_id == iid:
            mark(s.step, s.done_at)
    sent = [m for m in messages if m.interview_id == iid and past(m.sent_at)]
    for m in sent:
        if m.kind in MESSAGE_STEP:
            mark(MESSAGE_STEP[m.kind], m.sent_at)
    for h in heads_ups:
        if h.interview_id == iid:
            mark(Step.CONTACT_REFERENCES, h.sent_at)
    events = sorted((e for e in events if e.interview_id == iid and past(e.at)),
                    key=lambda e: e.at)

    answer = next((e for e in events if e.kind != EventKind.INFO_REQUEST), None)
    outcome_known = interview.outcome in DECIDED and (
        interview.outcome_on is None or datetime.combine(interview.outcome_on, time(0), z) <= now
    )
    closed = outcome_known or (
        interview.outcome == Outcome.GHOSTED
        and (interview.outcome_on is None
             or datetime.combine(interview.outcome_on, time(0), z) <= now)
    )

    def item(step: str, due: datetime, reason: str, event_id: str | None = None,
             done_at: datetime | None = None) -> AgendaItem:
        if done_at is not None:
            status = "done"
            when = f"done {_show(done_at, z)}"
            if done_at > due:
                when += f", {_span(done_at - due)} late"
            reason = f"{reason}; {when}"
        elif due >= now:
            status = "due"
        elif closed or now - due > STALE_AFTER:
            status = "missed"
        else:
            status = "overdue"
        return AgendaItem(iid, interview.company, interview.role, str(step), due, status,
                          reason, done_at, event_id)

    end = interview.ends_at
    end_txt = _show(end, z)
    out = [
        item(Step.ASK_NEXT_STEPS, due_at(interview, Step.ASK_NEXT_STEPS, z),
             "before leaving: the timeline, when feedback comes, whether to keep in touch, "
             "the interviewers' contacts", done_at=done.get(Step.ASK_NEXT_STEPS)),
        item(Step.ASSESS_PERFORMANCE, due_at(interview, Step.ASSESS_PERFORMANCE, z),
             f"the same day as the interview (ended {end_txt}): recall every question, "
             "score your answers, note what to improve",
             done_at=done.get(Step.ASSESS_PERFORMANCE)),
    ]
    links = ", ".join(label for label, _ in profile_links(profile)) or "LinkedIn and others"
    out.append(item(Step.REVIEW_PROFILES, due_at(interview, Step.REVIEW_PROFILES, z),
                    f"within a day of the interview: check {links}",
                    done_at=done.get(Step.REVIEW_PROFILES)))
    out.append(item(Step.CONTACT_REFERENCES, due_at(interview, Step.CONTACT_REFERENCES, z),
                    "within a day: tell your references they may be called",
                    done_at=done.get(Step.CONTACT_REFERENCES)))
    out.append(item(Step.THANK_YOU, due_at(interview, Step.THANK_YOU, z),
                    f"within 48 h of the end ({end_txt}); a few hours after is best",
                    done_at=done.get(Step.THANK_YOU)))

    follow_done = done.get(Step.FOLLOW_UP)
    if follow_done is not None or (answer is None and not outcome_known):
        if interview.feedback_by is not None:
            why = (f"they said feedback by {_show_day(interview.feedback_by)}; "
                   "follow up a week after that if they have not answered")
        else:
            why = ("no feedback date was given (assumed a week after the interview); "
                   "follow up a week after that if they have not answered")
        out.append(item(Step.FOLLOW_UP, due_at(interview, Step.FOLLOW_UP, z), why,
                        done_at=follow_done))

    again = _follow_up_again(interview, sent, events, z)
    if again is not None:
        due, why, done_at = again
        out.append(item(FOLLOW_UP_AGAIN, due, why, done_at=done_at))

    for e in events:
        if e.kind != EventKind.INFO_REQUEST:
            continue
        replies = [m.sent_at for m in sent
                   if m.kind == MessageKind.INFO_REPLY and m.reply_to_event_id == e.id]
        asked = f"they asked for information {_show(e.at, z)}"
        if e.note:
            note = e.note if len(e.note) <= 60 else e.note[:57] + "..."
            asked += f' ("{note}")'
        out.append(item(INFO_REPLY, e.at + INFO_REPLY_WITHIN, f"{asked}; answer within 24 h",
                        event_id=e.id, done_at=min(replies) if replies else None))
    return out


def _follow_up_again(
    interview: Interview, sent: list[Message], events: list[EmployerEvent], z: tzinfo
) -> tuple[datetime, str, datetime | None] | None:
    """After a follow-up (a call, usually) in which they named a new date: the next
    follow-up is due :data:`FOLLOW_UP_AFTER` after that date, done by any follow-up sent
    after it, and not needed once the employer answered. None when no date was named."""
    named = [m for m in sent if m.kind == MessageKind.FOLLOW_UP and m.promised_on]
    if not named:
        return None
    last = max(named, key=lambda m: m.sent_at)
    later = [m.sent_at for m in sent
             if m.kind == MessageKind.FOLLOW_UP and m.sent_at > last.sent_at]
    answered = any(e.kind != EventKind.INFO_REQUEST and e.at > last.sent_at for e in events)
    if answered and not later:
        return None
    how = "on the phone" if last.channel == Channel.PHONE else "in their answer"
    why = (f"{how} {_show(last.sent_at, z)} they gave a new date, {_show_day(last.promised_on)}"
           "; follow up a week after that if they have not answered")
    return _end_of_day(last.promised_on + FOLLOW_UP_AFTER, z), why, min(later, default=None)


# --------------------------------------------------------------------------- the journal


def _by_type(records: Iterable[Any]) -> dict[type, list[Any]]:
    groups: dict[type, list[Any]] = {}
    for r in records:
        groups.setdefault(type(r), []).append(r)
    return groups


def agenda(source: Any, now: datetime | None = None) -> list[AgendaItem]:
    """Every step of every interview in ``source``, soonest due first.

    ``source`` is a :class:`~afterview_analysis.journal.Journal` or an iterable of records
    (interviews, playbook steps, employer events, messages, heads-ups, the profile). The
    user's zone is ``Profile.timezone`` (UTC without a profile). Ties keep playbook order.

    >>> from datetime import datetime, timezone
    >>> from afterview_analysis.records import Interview, PlaybookStep, Profile
    >>> iv = Interview(company="Acme", role="Analyst",
    ...                starts_at=datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
    >>> tick = PlaybookStep(interview_id=iv.id, step="thank_you",
    ...                     done_at=datetime(2026, 3, 2, 15, 0, tzinfo=timezone.utc))
    >>> items = agenda([Profile(timezone="UTC"), iv, tick],
    ...                now=datetime(2026, 3, 3, 12, 0, tzinfo=timezone.utc))
    >>> [(i.step, i.status) for i in items][:5]  # doctest: +NORMALIZE_WHITESPACE
    [('ask_next_steps', 'overdue'), ('assess_performance', 'overdue'),
     ('review_profiles', 'overdue'), ('contact_references', 'overdue'), ('thank_you', 'done')]
    """
    if hasattr(source, "find"):
        groups = {
            kind: source.find(kind)
            for kind in (Interview, PlaybookStep, EmployerEvent, Message, HeadsUp, Profile)
        }
    else:
        groups = _by_type(source)
    profiles = groups.get(Profile) or [None]
    profile = profiles[0]
    zone = _zone(profile.timezone if profile else None)
    now = (now or datetime.now(UTC)).astimezone(UTC)

    def per_interview(kind: type) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {}
        for r in groups.get(kind, ()):
            out.setdefault(r.interview_id, []).append(r)
        return out

    steps, events = per_interview(PlaybookStep), per_interview(EmployerEvent)
    messages, heads = per_interview(Message), per_interview(HeadsUp)
    items: list[AgendaItem] = []
    for iv in groups.get(Interview, ()):
        items += steps_for(iv, steps.get(iv.id, ()), events.get(iv.id, ()),
                           messages.get(iv.id, ()), zone, now=now,
                           heads_ups=heads.get(iv.id, ()), profile=profile)
    return sorted(items, key=lambda i: (i.due_at, _ORDER[i.step], i.interview_id))


def open_items(items: Sequence[AgendaItem], now: datetime,
               recent: timedelta = timedelta(days=7)) -> list[AgendaItem]:
    """What the agenda shows by default: every due or overdue item, and items done in the
    ``recent`` past (missed items and older done ones are left out)."""
    return [i for i in items if i.is_open
            or (i.status == "done" and i.done_at is not None and now - i.done_at <= recent)]


def format_agenda(items: Sequence[AgendaItem], now: datetime,
                  zone: str | tzinfo | None = None) -> str:
    """The agenda as plain text, one line per item plus a reason line."""
    z = _zone(zone)
    now = now.astimezone(UTC)
    counts = {s: sum(1 for i in items if i.status == s) for s in ("overdue", "due", "done")}
    head = (f"Agenda at {_show(now, z)} {now.astimezone(z):%Y} ({z}): "
            f"{counts['overdue']} overdue, {counts['due']} due, {counts['done']} done")
    lines = [head]
    if not items:
        lines.append("nothing due: log an interview with `afterview log` or the workbook")
    for i in items:
        if i.status == "due":
            when = f"in {_span(i.due_at - now)}"
        elif i.status == "overdue":
            when = f"{_span(now - i.due_at)} ago"
        else:
            when = i.status
        lines.append(
            f"{i.status.upper():8} {_show(i.due_at, z):16} {when:>10}  {i.title:24} "
            f"{i.company} · {i.role} [{i.interview_id}]"
        )
        lines.append(f"{'':8} {i.reason}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- ticked by logging

#: The note a step ticked by what was logged carries (the checklist shows it).
TICKED_BY_LOGGING = "ticked by what you logged"


def steps_done_by_logging(log: Any, at: datetime, before: Any = None) -> list[PlaybookStep]:
    """The playbook steps that saving ``log`` (an :class:`~afterview_analysis.journal.
    InterviewLog`) does by itself, at ``at``, when not already ticked.

    Next steps written down (process length, feedback date, or keep-in-touch answered)
    mean "ask for next steps" is done; at least one scored question, or any rubric score,
    means "assess your performance" is done. Each carries the note
    :data:`TICKED_BY_LOGGING` and what did it. ``before`` is the log as stored before this
    save (None for a new interview): only a save that adds the next steps (or the first
    scores) ticks, so re-saving an old interview, or one whose tick was undone, does not.

    >>> from datetime import datetime, timezone
    >>> from afterview_analysis.journal import InterviewLog
    >>> from afterview_analysis.records import Interview, Question
    >>> iv = Interview(company="A", role="B", feedback_by="2026-03-09",
    ...                starts_at=datetime(2026, 3, 2, 9, tzinfo=timezone.utc))
    >>> log = InterviewLog(iv, questions=[Question(interview_id=iv.id, text="Why?", score=3)])
    >>> [(s.step.value, s.note) for s in steps_done_by_logging(log, iv.ends_at)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('ask_next_steps', 'ticked by what you logged: the next steps they stated'),
     ('assess_performance', 'ticked by what you logged: 1 scored question')]
    """
    def next_steps(iv: Interview) -> bool:
        return bool(iv.process_length or iv.feedback_by or iv.keep_in_touch is not None)

    def assessed(entry: Any) -> bool:
        return bool(entry.questions or entry.skill_scores)

    iv = log.interview
    ticked = {s.step for s in log.steps}
    at = at.astimezone(UTC).replace(microsecond=0)
    out = []
    if Step.ASK_NEXT_STEPS not in ticked and next_steps(iv) and (
            before is None or not next_steps(before.interview)):
        out.append(PlaybookStep(interview_id=iv.id, step=Step.ASK_NEXT_STEPS, done_at=at,
                                note=f"{TICKED_BY_LOGGING}: the next steps they stated"))
    questions, scores = len(log.questions), len(log.skill_scores)
    if Step.ASSESS_PERFORMANCE not in ticked and assessed(log) and (
            before is None or not assessed(before)):
        what = [f"{questions} scored question{'s' if questions != 1 else ''}"] if questions \
            else []
        what += ["the skill rubric"] if scores else []
        out.append(PlaybookStep(interview_id=iv.id, step=Step.ASSESS_PERFORMANCE, done_at=at,
                                note=f"{TICKED_BY_LOGGING}: {' and '.join(what)}"))
    return out
