"""Where each interview stands: the pipeline the Today screen opens with.

Every interview falls in exactly one group, checked in this order:

* ``decided``: its outcome is known (offer, rejected, withdrawn, advanced to the next
  round), as of ``now``;
* ``gone quiet``: the user marked it ghosted, or the employer has not answered (an
  information request is not an answer) :data:`GONE_QUIET_AFTER` after the date they
  promised (the same two weeks after which the analysis calls an employer a "ghosting
  candidate"; with no promised date, the date the follow-up clock assumes, a week after
  the interview);
* ``your move``: a playbook step or an information request is overdue, or a step other
  than the follow-up is still open (the thank-you, the heads-up, ...);
* ``waiting``: nothing is the user's to do before the follow-up falls due: they wait
  for the employer, and the entry says how many days are left to the promised date.

Public API (records only, no pandas, so it is as quick as the agenda):

* :func:`pipeline` ``(journal_or_records, now) -> list[PipelineEntry]``, grouped in
  :data:`GROUPS` order; "your move" overdue first, "waiting" soonest promised date first,
  "gone quiet" longest silence first, "decided" newest first.

>>> from datetime import datetime, timezone
>>> from afterview_analysis.records import Interview, PlaybookStep, Profile, Step
>>> iv = Interview(company="Acme", role="Analyst", feedback_by="2026-03-09",
...                starts_at=datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
>>> ticks = [PlaybookStep(interview_id=iv.id, step=s,
...                       done_at=datetime(2026, 3, 2, 12, tzinfo=timezone.utc))
...          for s in list(Step)[:5]]
>>> entry, = pipeline([Profile(), iv, *ticks], datetime(2026, 3, 4, tzinfo=timezone.utc))
>>> entry.group, entry.days_left, entry.detail
('waiting', 5, 'they promised an answer by Mon 9 Mar: 5 days left')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from afterview_analysis.records import EmployerEvent, EventKind, Interview, Outcome, Profile
from afterview_analysis.rules import (
    DECIDED,
    FEEDBACK_ASSUMED_AFTER,
    FOLLOW_UP_AFTER,
    INFO_REPLY,
    AgendaItem,
    agenda,
    end_of_day,
)

__all__ = ["GONE_QUIET_AFTER", "GROUPS", "PipelineEntry", "pipeline"]

#: No answer this long after the promised date: gone quiet (the follow-up fell due a
#: week after it, and another week passed). Equal to ``analytics.GHOSTING_AFTER``.
GONE_QUIET_AFTER = 2 * FOLLOW_UP_AFTER
#: The groups, in the order Today shows them, with their headings.
GROUPS: dict[str, str] = {
    "your move": "Your move",
    "waiting": "Waiting for them",
    "gone quiet": "Gone quiet",
    "decided": "Decided",
}
_OUTCOME_WORDS = {
    Outcome.OFFER: "an offer",
    Outcome.REJECTED: "rejected",
    Outcome.WITHDRAWN: "you withdrew",
    Outcome.ADVANCED: "advanced to the next round",
}


@dataclass(frozen=True)
class PipelineEntry:
    """One interview and where it stands."""

    interview: Interview
    group: str  #: a key of :data:`GROUPS`
    detail: str  #: one line in words: why it is in its group
    promised: date  #: the promised answer date (or the one the follow-up clock assumes)
    days_left: int | None = None  #: "waiting": days to the promised date (negative: passed)
    quiet_days: int | None = None  #: "gone quiet": days since the promised date
    overdue: int = 0  #: "your move": overdue items
    items: tuple[AgendaItem, ...] = field(default=(), repr=False)  #: its open items


def _day(d: date, today: date | None = None) -> str:
    """"Mon 9 Mar", with the year when it is not ``today``'s."""
    year = f" {d.year}" if today is not None and d.year != today.year else ""
    return f"{d:%a} {d.day} {d:%b}{year}"


def _days(n: int) -> str:
    return f"{n} day{'' if abs(n) == 1 else 's'}"


def _group(iv: Interview, items: list[AgendaItem], answered: bool, now: datetime,
           z: tzinfo) -> PipelineEntry:
    today = now.astimezone(z).date()
    promised = iv.feedback_by or (iv.ends_at.astimezone(z).date() + FEEDBACK_ASSUMED_AFTER)
    said = "they promised an answer by" if iv.feedback_by else "no date given; assumed"
    open_items = tuple(i for i in items if i.is_open)
    decided_on = iv.outcome_on is None or datetime.combine(iv.outcome_on, time(0), z) <= now
    if iv.outcome in DECIDED and decided_on:
        when = f" on {_day(iv.outcome_on, today)}" if iv.outcome_on else ""
        return PipelineEntry(iv, "decided", f"{_OUTCOME_WORDS[iv.outcome]}{when}", promised,
                             items=open_items)
    promised_end = end_of_day(promised, z)  # the playbook's "by the end of that day"
    quiet = (iv.outcome == Outcome.GHOSTED and decided_on) or (
        not answered and now > promised_end + GONE_QUIET_AFTER)
    if quiet:
        days = (today - promised).days
        if iv.outcome == Outcome.GHOSTED:
            detail = f"you marked it ghosted; the answer was due {_day(promised, today)}"
        else:
            detail = f"no answer {_days(days)} after {_day(promised, today)}, the date " + (
                "they promised" if iv.feedback_by else "assumed (they gave none)")
        if open_items:  # the agenda still lists them: say so, so the two agree
            n = len(open_items)
            detail += f" ({n} step{'' if n == 1 else 's'} still open below)"
        return PipelineEntry(iv, "gone quiet", f"{iv.company} went quiet: {detail}",
                             promised, quiet_days=days, items=open_items)
    overdue = [i for i in open_items if i.status == "overdue"]
    mine = [i for i in open_items if i.step != "follow_up" or i.status == "overdue"]
    if mine:
        first = min(mine, key=lambda i: (i.status != "overdue", i.due_at))
        word = "overdue" if first.status == "overdue" else "next"
        more = f" (+{len(mine) - 1} more)" if len(mine) > 1 else ""
        return PipelineEntry(iv, "your move", f"{word}: {first.title}{more}", promised,
                             overdue=len(overdue), items=open_items)
    left = (promised - today).days
    if left > 0:
        detail = f"{said} {_day(promised, today)}: {_days(left)} left"
    elif left == 0:
        detail = f"{said} {_day(promised, today)}: today"
    else:
        follow = next((i for i in open_items if i.step == "follow_up"), None)
        then = ("; follow up on " + _day(follow.due_at.astimezone(z).date(), today)
                if follow else "")
        detail = f"{said} {_day(promised, today)}: {_days(-left)} ago{then}"
    return PipelineEntry(iv, "waiting", detail, promised, days_left=left, items=open_items)


def pipeline(source: Any, now: datetime | None = None,
             items: Iterable[AgendaItem] | None = None) -> list[PipelineEntry]:
    """Every interview of ``source`` (a Journal or records) in its group (module doc).

    ``items`` (the agenda of the same source and ``now``) is reused when given.
    """
    if hasattr(source, "find"):
        interviews = source.find(Interview)
        events = source.find(EmployerEvent)
        profile = source.profile()
    else:
        records = list(source)
        interviews = [r for r in records if isinstance(r, Interview)]
        events = [r for r in records if isinstance(r, EmployerEvent)]
        profile = next((r for r in records if isinstance(r, Profile)), None)
    z = ZoneInfo(profile.timezone if profile else "UTC")
    now = (now or datetime.now(UTC)).astimezone(UTC)
    if items is None:
        items = agenda(source if hasattr(source, "find") else records, now)
    per: dict[str, list[AgendaItem]] = {}
    for item in items:
        per.setdefault(item.interview_id, []).append(item)
    answered = {e.interview_id for e in events
                if e.kind != EventKind.INFO_REQUEST and e.at <= now}
    entries = [_group(iv, per.get(iv.id, []), iv.id in answered, now, z)
               for iv in interviews]

    def key(e: PipelineEntry) -> tuple:
        if e.group == "your move":
            return (0, -e.overdue, min((i.due_at for i in e.items), default=now))
        if e.group == "waiting":
            return (1, e.promised)
        if e.group == "gone quiet":
            return (2, -(e.quiet_days or 0))
        return (3, -e.interview.starts_at.timestamp())

    return sorted(entries, key=key)


def is_info_reply(item: AgendaItem) -> bool:
    """True for an "answer their request" item (it has no playbook step to tick)."""
    return item.step == INFO_REPLY
