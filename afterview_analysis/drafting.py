"""Messages drafted from the reflection: thank-you, follow-up, information reply, heads-up.

Public API (what the Messages notebook and ``afterview draft`` call):

* :func:`draft_message` ``(journal, interview_id, kind, to=None, tone="warm",
  form="email", *, skills=None, variant=None, event_id=None, now=None,
  template_dir=None) -> Message``: one draft, not yet saved.
* :func:`draft_all` ``(journal, interview_id, kind, **same) -> list[Message]``: one
  thank-you per interviewer, or one heads-up per reference (other kinds: one draft).
* :func:`save_draft`, :func:`edit_draft`, :func:`mark_sent`: keep a draft in the journal,
  change its text, record when it went out (``Message.sent_at`` feeds the response-time
  analysis and ticks the playbook step on the agenda).
* :func:`to_eml` ``(message, profile) -> bytes`` and :func:`mailto_link`
  ``(message) -> str``: hand a draft to a mail client.
* :func:`render_template` ``(name, fields, template_dir=None) -> str`` and
  :func:`strongest_skills`: the building blocks.

Templates are Jinja2 files (``afterview_analysis/templates/*.j2``); a file of the same
name under ``data/templates/`` at the workbook root (or ``$AFTERVIEW_TEMPLATES``, or
``template_dir=``) replaces the built-in one. The first line of a rendered template is
``Subject: ...``; the rest is the body. Templates render in Jinja2's sandbox with strict
undefined variables: a field the template needs but the interview lacks stops the draft
with a message naming the field (:class:`MissingFieldError`), never a blank in a letter;
a template reaching for Python internals (``{{ ''.__class__ }}``) is refused
(:class:`TemplateSecurityError`). Templates are limited to :data:`TEMPLATE_LIMIT` bytes
and their output to :data:`OUTPUT_LIMIT` characters.

The fields a template sees are listed in :data:`FIELDS`. Optional ones are *undefined*
(not empty) when the interview does not have them: test them with ``is defined``.

>>> from datetime import datetime, timezone
>>> from afterview_analysis.journal import Journal
>>> from afterview_analysis.records import Interview, Interviewer, Profile
>>> j = Journal(":memory:")
>>> j.update(Profile(name="Alex Morgan", timezone="Europe/Berlin"))
>>> iv = Interview(company="Acme", role="Data Analyst", recall_point="their semantic layer",
...                starts_at=datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc))
>>> _ = j.save_interview(iv, interviewers=[Interviewer(interview_id=iv.id, name="Maya Keller")])
>>> msg = draft_message(j, iv.id, "thank_you", tone="brief",
...                     now=datetime(2026, 3, 2, 15, 0, tzinfo=timezone.utc))
>>> msg.subject, msg.recipient
('Thank you, Maya', 'Maya Keller')
>>> print(msg.body)  # doctest: +NORMALIZE_WHITESPACE
Hi Maya,
<BLANKLINE>
Thanks again for your time on Monday 2 March; I enjoyed talking about the Data
Analyst role at Acme.
<BLANKLINE>
Our conversation about your semantic layer stayed with me.
<BLANKLINE>
Looking forward to the next steps.
<BLANKLINE>
Best,
Alex Morgan
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError, TemplateNotFound, TemplateSyntaxError, UndefinedError

from afterview_analysis import wording
from afterview_analysis.draft_checker import Hint, check_text, greeting_line
from afterview_analysis.records import (
    CLOSINGS,
    FORMS,
    KIND_ALIASES,
    MESSAGE_STEP,
    TONES,
    AfterviewError,
    Channel,
    ContactRole,
    EmployerEvent,
    EventKind,
    HeadsUp,
    Interview,
    Interviewer,
    Message,
    MessageKind,
    Profile,
    Reference,
    Skill,
    SkillScore,
    utc_now,
)
from afterview_analysis.sandbox import BoundedSandbox, TemplateLimitError, deadline, explain

__all__ = [
    "CALL_KINDS",
    "FIELDS",
    "FORMS",
    "KIND_ALIASES",
    "OUTPUT_LIMIT",
    "TEMPLATE_LIMIT",
    "TONES",
    "DraftError",
    "MissingFieldError",
    "TemplateSecurityError",
    "check_message",
    "contacts_for",
    "draft_all",
    "draft_message",
    "earlier_greetings",
    "edit_draft",
    "log_call",
    "mailto_link",
    "mark_sent",
    "message_kind",
    "render_template",
    "save_draft",
    "strongest_skills",
    "template_dirs",
    "to_eml",
    "unmark_sent",
]

#: The kinds a call sheet exists for (one phones to follow up, or to answer a request).
CALL_KINDS = (MessageKind.FOLLOW_UP, MessageKind.INFO_REPLY)
TEMPLATE_LIMIT = 64 * 1024
OUTPUT_LIMIT = 50_000  # Message.body's limit
PACKAGE_TEMPLATES = Path(__file__).resolve().parent / "templates"

#: Every field a template may use, and where it comes from (named in error messages).
FIELDS: dict[str, str] = {
    "kind": "the message kind (thank_you, follow_up, info_reply, reference_heads_up)",
    "tone": "formal, warm or brief",
    "form": "email, letter or call (a call sheet)",
    "variant": "1 for the first follow-up, 2 for the later one",
    "today": "the date the draft is written, in your zone",
    "company": "Interview.company",
    "role": "Interview.role",
    "stage": "Interview.stage",
    "interview_date": "the interview's day in your zone, 'Monday 2 March' (the year only "
                      "when it is not this year's)",
    "feedback_by": "the date they promised news by: Interview.feedback_by, or a later date "
                   "they gave on a call (Message.promised_on)",
    "process_length": "Interview.process_length",
    "recall_point": "Interview.recall_point, the conversation point worth recalling",
    "forgotten_strength": "Interview.forgotten_strength, the strength you forgot to mention",
    "skills": "your strongest skills in natural words ('how I break a problem down'), at "
              "most two: top SkillScore scores, or the ones you chose",
    "recipient_name": "the interviewer's or reference's name",
    "recipient_first_name": "the recipient's given name (the first word after a title)",
    "recipient_phone": "Interviewer.phone or Reference.phone (call sheets)",
    "recipient_role": "interviewer, recruiter or hr (Interviewer.contact_role)",
    "greeting": "the greeting line: the one earlier messages to this person used, else the "
                "tone's (formal: Dear and the full name; warm: Dear and the given name; "
                "brief: Hi and the given name)",
    "closing": "the one closing line, from the tone (Kind regards, Warm regards, Best)",
    "recall_topic": "the point worth recalling as a topic, to follow 'our conversation "
                    "about' (third person turned to 'you')",
    "recall_remark": "the point worth recalling as a clause, to follow 'hearing that'",
    "strength": "the forgotten strength, to follow 'I did not get to mention'",
    "feedback_passed": "true when the date they promised news by has passed",
    "pitch_sentence": "Profile.pitch as a first-person sentence ('I am a data analyst ...')",
    "request": "what their request asked for, to follow 'asking for' (from its note)",
    "speaks_to": "Reference.speaks_to, what the reference can speak to",
    "recipient_title": "Interviewer.title",
    "recipient_email": "Interviewer.email or Reference.email",
    "recipient_company": "the recipient's organisation (the company, for interviewers)",
    "reference_relationship": "Reference.relationship",
    "call_window": "when a reference may be called: 'before <the feedback date>', 'any day "
                   "now' once that date has passed, 'in the coming weeks' without one",
    "request_date": "when the employer asked for information (EmployerEvent.at)",
    "request_note": "what they asked for (EmployerEvent.note)",
    "my_name": "Profile.name",
    "my_email": "Profile.email",
    "my_phone": "Profile.phone",
    "signature": "Profile.signature: your name and contact lines (never a closing)",
    "pitch": "Profile.pitch, why you fit",
}


class DraftError(AfterviewError):
    """A draft cannot be made (no interviewer, no request to answer, a bad template, ...)."""


class MissingFieldError(DraftError):
    """A template needs a field that this interview does not have."""

    def __init__(self, template: str, field: str):
        self.template, self.field = template, field
        where = FIELDS.get(field)
        hint = f" ({where}): fill it in, or" if where else ": it is not a known field;"
        super().__init__(
            f"template {template} needs {field!r}, which is missing{hint} "
            "edit the template to test it with `{% if " + field + " is defined %}`"
        )


class TemplateSecurityError(DraftError):
    """A template tried to reach Python internals; the sandbox refused it."""


# --------------------------------------------------------------------------- templates


class _Loader(jinja2.FileSystemLoader):
    """User folders first, then the package; refuses odd names and oversized files."""

    _name = re.compile(r"[A-Za-z0-9_-]{1,64}\.j2")

    def get_source(self, environment, template):  # type: ignore[override]
        if not self._name.fullmatch(template):
            raise DraftError(f"template name {template!r}: use letters, digits, _ and .j2")
        source, filename, uptodate = super().get_source(environment, template)
        size = len(source.encode("utf-8"))
        if size > TEMPLATE_LIMIT:
            raise DraftError(
                f"template {filename} is {size:,} bytes; the limit is {TEMPLATE_LIMIT:,}"
            )
        return source, filename, uptodate


def _join_and(items: Iterable[Any]) -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _sentence(text: Any) -> str:
    text = str(text).strip()
    return text if text[-1:] in ".!?…" else text + "."


def _capfirst(text: Any) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


def template_dirs(template_dir: str | os.PathLike[str] | None = None) -> list[Path]:
    """Where templates are looked up, first match wins: ``template_dir`` (or
    ``$AFTERVIEW_TEMPLATES``, or ``<workbook root>/data/templates``), then the package."""
    if template_dir is None:
        env = os.environ.get("AFTERVIEW_TEMPLATES")
        if env:
            template_dir = Path(env).expanduser()
        else:
            from afterview_analysis.journal import workbook_root

            template_dir = workbook_root() / "data" / "templates"
    return [Path(template_dir), PACKAGE_TEMPLATES]


def _environment(dirs: Sequence[Path]) -> BoundedSandbox:
    env = BoundedSandbox(
        loader=_Loader([str(d) for d in dirs]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain-text mail and letters, never HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_refuse_none,
    )
    env.globals = {"range": env.globals["range"]}
    env.filters.update(join_and=_join_and, sentence=_sentence, capfirst=_capfirst)
    return env


def _refuse_none(value: Any) -> Any:
    if value is None:
        raise DraftError("a template printed an empty value (None); test it with `is defined`")
    return value


@functools.lru_cache(maxsize=16)
def _cached_environment(dirs: tuple[Path, ...]) -> BoundedSandbox:
    """One environment per folder list: Jinja2 then compiles each template once and
    recompiles it when its file changes (``auto_reload``), so a draft takes milliseconds."""
    return _environment(dirs)


_CHECKED: dict[tuple[str, str], bool] = {}


def _check_internals_once(env: BoundedSandbox, name: str) -> None:
    """:func:`_check_internals`, remembered until any template file in the folders changes
    (an included template is checked again too)."""
    files = []
    for folder in env.loader.searchpath:
        try:
            files += [(str(p), p.stat().st_mtime_ns, p.stat().st_size)
                      for p in Path(folder).glob("*.j2")]
        except OSError:
            continue
    key = (name, tuple(sorted(files)))
    if key not in _CHECKED:
        _check_internals(env, name)
        if len(_CHECKED) > 256:
            _CHECKED.clear()
        _CHECKED[key] = True


def _check_internals(env: BoundedSandbox, name: str, seen: set[str] | None = None) -> None:
    """Refuse, before rendering, any template that names an attribute starting with ``_``."""
    seen = set() if seen is None else seen
    if name in seen:
        return  # a template that includes itself: checked once; the render stops it
    seen.add(name)
    source, filename, _ = env.loader.get_source(env, name)
    try:
        tree = env.parse(source, name, filename)
    except TemplateSyntaxError as exc:
        raise DraftError(f"template {filename}, line {exc.lineno}: {exc.message}") from None
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Name)):
        attr = None
        if isinstance(node, nodes.Getattr):
            attr = node.attr
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            attr = node.arg.value if isinstance(node.arg.value, str) else None
        elif isinstance(node, nodes.Name):
            attr = node.name
        if attr and attr.startswith("_"):
            raise TemplateSecurityError(
                f"template {filename}, line {node.lineno}: refused: it reaches for {attr!r}, "
                "a Python internal; templates may only use the message's fields"
            )
    for child in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        if isinstance(child.template, nodes.Const):
            _check_internals(env, child.template.value, seen)


def render_template(
    name: str, fields: dict[str, Any], template_dir: str | os.PathLike[str] | None = None
) -> str:
    """Render template ``name`` (e.g. ``"thank_you.j2"``) with ``fields``, in the sandbox.

    Fields whose value is ``None`` are left undefined. The output is tidied: trailing
    spaces go, runs of blank lines become one, and it ends with one newline.

    >>> render_template("_letterhead.j2", {"my_name": "Ann Lee", "today": "1 May 2026",
    ...                                    "recipient_name": "Jo Park"})
    'Ann Lee\\n\\n1 May 2026\\n\\nJo Park\\n'
    >>> render_template("_letterhead.j2", {"my_name": "Ann Lee"})
    Traceback (most recent call last):
    ...
    afterview_analysis.drafting.MissingFieldError: template _letterhead.j2 needs 'today', \
which is missing (the date the draft is written, in your zone): fill it in, or edit the \
template to test it with `{% if today is defined %}`
    """
    env = _cached_environment(tuple(template_dirs(template_dir)))
    try:
        _check_internals_once(env, name)
        template = env.get_template(name)
        chunks, size = [], 0
        with deadline(name):
            for chunk in template.generate({k: v for k, v in fields.items() if v is not None}):
                size += len(chunk)
                if size > OUTPUT_LIMIT:
                    raise DraftError(
                        f"template {name} produced more than {OUTPUT_LIMIT:,} characters"
                    )
                chunks.append(chunk)
    except TemplateNotFound as exc:
        raise DraftError(f"no template named {exc.name!r}") from None
    except (SecurityError, OverflowError) as exc:  # OverflowError: the sandbox's range()
        raise TemplateSecurityError(explain(exc, name)) from None
    except UndefinedError as exc:
        found = re.search(r"'([A-Za-z_][A-Za-z0-9_]*)' is undefined", str(exc))
        if found:
            raise MissingFieldError(name, found.group(1)) from None
        raise DraftError(f"template {name}: {exc}") from None
    except TemplateSyntaxError as exc:
        raise DraftError(f"template {exc.filename or name}, line {exc.lineno}: "
                         f"{exc.message}") from None
    except TemplateLimitError as exc:
        raise DraftError(str(exc)) from None
    except AfterviewError:
        raise
    except Exception as exc:  # anything else a template can raise: one line, its name
        raise DraftError(explain(exc, name)) from None
    text = "".join(chunks)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n") + "\n"


def _split_subject(text: str) -> tuple[str | None, str]:
    first, _, rest = text.partition("\n")
    if first.startswith("Subject:"):
        return first[len("Subject:"):].strip() or None, rest.strip("\n") + "\n"
    return None, text


# --------------------------------------------------------------------------- fields


def strongest_skills(scores: Iterable[SkillScore], n: int = 3) -> list[str]:
    """The user's strongest skills in one interview: scores of 4-5, best first, at most
    ``n``; when none reaches 4, the ones at 3. Ties keep rubric (stored) order.

    >>> s = [SkillScore(interview_id="a", skill=k, score=v)
    ...      for k, v in [("sql", 3), ("communication", 5), ("design", 4), ("tests", 4)]]
    >>> strongest_skills(s, n=2)
    ['communication', 'design']
    """
    scores = list(scores)
    for floor in (4, 3):
        good = [s for s in scores if s.score >= floor]
        if good:
            good.sort(key=lambda s: -s.score)  # stable: rubric order within a score
            return [s.skill for s in good[:n]]
    return []


def _long_date(moment: datetime | date, zone: ZoneInfo) -> str:
    day = moment.astimezone(zone).date() if isinstance(moment, datetime) else moment
    return f"{day:%A} {day.day} {day:%B %Y}"


def _day_words(day: date, today: date) -> str:
    """"Monday 8 December", with the year only when it is not this year's."""
    text = f"{day:%A} {day.day} {day:%B}"
    return text if day.year == today.year else f"{text} {day.year}"


def _first_name(name: str) -> str:
    return wording.first_name(name)


def _pick(people: Sequence[Any], to: str | None, what: str) -> Any | None:
    if to is None:
        return people[0] if people else None
    wanted = to.strip().casefold()
    exact = [p for p in people if p.name.casefold() == wanted]
    if exact:
        return exact[0]
    partial = [p for p in people if wanted in p.name.casefold().split()]
    if len(partial) > 1:
        names = ", ".join(p.name for p in partial)
        raise DraftError(f"{to!r} matches several {what}s ({names}); give the full name")
    return partial[0] if partial else None


def contacts_for(journal: Any, interview_id: str, kind: str | MessageKind,
                 event_id: str | None = None) -> list[Any]:
    """The people a message of ``kind`` may go to, the right one first.

    A thank-you goes to each interviewer (recruiters and HR only when no interviewer was
    logged); a follow-up to the recruiter or HR contact, else the first interviewer; an
    information reply to whoever sent the request, else as a follow-up. A heads-up goes
    to the references given for this interview, then the other references.
    """
    kind = message_kind(kind)
    if kind == MessageKind.REFERENCE_HEADS_UP:
        refs = journal.find(Reference)
        given = [h.reference_id for h in journal.find(HeadsUp, interview_id=interview_id)]
        return sorted(refs, key=lambda r: (r.id not in given, given.index(r.id)
                                           if r.id in given else 0))
    people = journal.find(Interviewer, interview_id=interview_id)
    interviewers = [p for p in people if p.contact_role == ContactRole.INTERVIEWER]
    office = [p for p in people if p.contact_role != ContactRole.INTERVIEWER]
    if kind == MessageKind.THANK_YOU:
        return interviewers + office if interviewers else office
    first: list[Any] = []
    if kind == MessageKind.INFO_REPLY:
        try:
            event = _request(journal, journal.get(Interview, interview_id), event_id)
        except (DraftError, AfterviewError):
            event = None
        if event is not None and event.contact_id:
            first = [p for p in people if p.id == event.contact_id]
    rest = [p for p in office + interviewers if p not in first]
    return first + rest


def earlier_greetings(journal: Any, name: str, exclude: str | None = None) -> list[str]:
    """Greeting lines of the messages already written to ``name`` (oldest first).

    Read from the stored rows, which were checked when written: the Messages form asks
    this on every tone or recipient change, and building a record of every message of
    the journal made each change take about 35 ms more on 1,000 interviews.
    """
    wanted = " ".join(name.casefold().split())
    created = Message.checks()["created_at"]  # the stored text as an aware datetime
    mine = [m for m in journal.rows("messages")
            if m["id"] != exclude and " ".join(m["recipient"].casefold().split()) == wanted]
    found = []
    for m in sorted(mine, key=lambda m: created(m["created_at"])):
        line = greeting_line(m["body"])
        if line:
            found.append(line)
    return found


def _signature_lines(profile: Profile) -> str:
    """The profile's signature without any closing line, starting with the name."""
    lines = [line.rstrip() for line in (profile.signature or "").strip().splitlines()]
    while lines and lines[0].strip().casefold() in {c.casefold() for c in CLOSINGS}:
        lines.pop(0)
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines or profile.name.casefold() not in lines[0].casefold():
        lines.insert(0, profile.name)
    return "\n".join(lines)


def _strengths(journal: Any, interview: Interview, skills: Sequence[str] | None) -> list[str]:
    rubric = {s.name.casefold(): s for s in journal.find(Skill)}
    if skills is None:
        skills = strongest_skills(journal.find(SkillScore, interview_id=interview.id))
        chosen_by_user = False
    else:
        chosen_by_user = True
    phrases = []
    for name in skills:
        skill = rubric.get(name.strip().casefold())
        if skill is not None:
            phrase = wording.skill_phrase(skill.name, skill.description)
        elif chosen_by_user:
            phrase = wording.tidy(name)  # the user's own words for it
        else:
            phrase = None
        if phrase and phrase not in phrases:
            phrases.append(phrase)
    return phrases[:2]


def _fields(
    journal: Any,
    interview: Interview,
    kind: MessageKind,
    *,
    to: str | None,
    tone: str,
    form: str,
    skills: Sequence[str] | None,
    variant: int | None,
    event_id: str | None,
    now: datetime,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The template fields, and the message's own fields (recipient, email, event)."""
    profile: Profile = journal.profile()
    if not profile.name:
        raise DraftError("Profile.name is empty: add your name to the profile (letters are "
                         "signed with it)")
    zone = ZoneInfo(profile.timezone)
    today = now.astimezone(zone).date()
    recall = wording.recall_phrase(interview.recall_point)
    # the date they promised news by: the interview's, or a newer one given on a call
    promised = [m.promised_on for m in journal.find(Message, interview_id=interview.id)
                if m.promised_on and m.sent_at is not None]
    promised_by = max([*promised, *([interview.feedback_by] if interview.feedback_by else [])],
                      default=None)
    f: dict[str, Any] = {
        "kind": str(kind), "tone": tone, "form": form, "variant": 1,
        "today": _long_date(now, zone),
        "company": interview.company, "role": interview.role, "stage": str(interview.stage),
        "interview_date": _day_words(interview.starts_at.astimezone(zone).date(), today),
        "feedback_by": _day_words(promised_by, today) if promised_by else None,
        "feedback_passed": bool(promised_by and promised_by < today),
        "process_length": wording.tidy(interview.process_length) or None,
        "recall_point": interview.recall_point,
        "recall_topic": recall[1] if recall and recall[0] == "topic" else None,
        "recall_remark": recall[1] if recall and recall[0] == "remark" else None,
        "forgotten_strength": interview.forgotten_strength,
        "strength": wording.strength_phrase(interview.forgotten_strength),
        "skills": _strengths(journal, interview, skills),
        "my_name": profile.name, "my_email": profile.email, "my_phone": profile.phone,
        "signature": _signature_lines(profile), "pitch": profile.pitch,
        "pitch_sentence": wording.pitch_sentence(profile.pitch),
        "closing": _closing(tone, form),
    }
    msg: dict[str, Any] = {}
    people = contacts_for(journal, interview.id, kind, event_id)
    if kind == MessageKind.REFERENCE_HEADS_UP:
        who = _pick(people, to, "reference")
        if who is None and to is None:
            raise DraftError("no reference saved yet: add one under \u201cReferences\u201d "
                             "in 1-after-the-interview (or pass --to NAME)")
        name = who.name if who else to.strip()
        f.update(recipient_name=name, recipient_first_name=_first_name(name),
                 reference_relationship=who.relationship if who else None,
                 recipient_email=who.email if who else None,
                 recipient_phone=who.phone if who else None,
                 speaks_to=wording.tidy(who.speaks_to) or None if who else None)
        if promised_by and not f["feedback_passed"]:
            f["call_window"] = f"before {f['feedback_by']}"
        elif promised_by:  # "before 16 November", read on 2 December, would be wrong
            f["call_window"] = "any day now"
        else:
            f["call_window"] = "in the coming weeks"
    else:
        who = _pick(people, to, "contact")
        if who is None and to is None:
            raise DraftError(
                f"no one at {interview.company} is saved for this interview yet: add the "
                "interviewers (and the recruiter) on the interview form in "
                "1-after-the-interview (or pass --to NAME)"
            )
        name = who.name if who else to.strip()
        role = who.contact_role if who else ContactRole.INTERVIEWER
        f.update(recipient_name=name, recipient_first_name=_first_name(name),
                 recipient_title=who.title if who else None,
                 recipient_email=who.email if who else None,
                 recipient_phone=who.phone if who else None,
                 recipient_role=str(role),
                 recipient_company=interview.company)
    earlier = earlier_greetings(journal, name)
    f["greeting"] = earlier[0] if earlier else wording.greeting(tone, name)
    msg.update(recipient=f["recipient_name"], recipient_email=f.get("recipient_email"))

    if kind == MessageKind.FOLLOW_UP:
        if variant is None:
            sent = [m for m in journal.find(Message, interview_id=interview.id)
                    if m.kind == MessageKind.FOLLOW_UP and m.sent_at is not None]
            variant = 2 if sent else 1
        if variant not in (1, 2):
            raise DraftError(f"follow-up variant must be 1 or 2, not {variant!r}")
        f["variant"] = variant
    if kind == MessageKind.INFO_REPLY:
        event = _request(journal, interview, event_id)
        f.update(request_date=_day_words(event.at.astimezone(zone).date(), today),
                 request_note=event.note, request=wording.request_phrase(event.note))
        msg["reply_to_event_id"] = event.id
    return f, msg


def _closing(tone: str, form: str) -> str:
    """The one closing line a draft ends with, by tone (a letter is a little more formal)."""
    if tone == "formal":
        return "Yours sincerely," if form == "letter" else "Kind regards,"
    if tone == "warm":
        return "With warm regards," if form == "letter" else "Warm regards,"
    return "Best,"


def _request(journal: Any, interview: Interview, event_id: str | None) -> EmployerEvent:
    if event_id is not None:
        event = journal.get(EmployerEvent, event_id)
        if event.interview_id != interview.id or event.kind != EventKind.INFO_REQUEST:
            raise DraftError(f"event {event_id} is not an information request of "
                             f"interview {interview.id}")
        return event
    # (Journal.find cannot filter on a field named "kind": its first parameter has that name)
    requests = [e for e in journal.find(EmployerEvent, order_by="at", interview_id=interview.id)
                if e.kind == EventKind.INFO_REQUEST]
    if not requests:
        raise DraftError(f"interview {interview.id} has no information request recorded: "
                         "log the employer's request first")
    answered = {m.reply_to_event_id for m in journal.find(Message, interview_id=interview.id)
                if m.kind == MessageKind.INFO_REPLY and m.sent_at is not None}
    open_ = [e for e in requests if e.id not in answered]
    return (open_ or requests)[-1]


# --------------------------------------------------------------------------- drafts


def message_kind(kind: str | MessageKind) -> MessageKind:
    """The message kind named by ``kind``: a :class:`MessageKind` value, its command-line
    name, or the agenda step the message does.

    >>> message_kind("thank-you"), message_kind("contact_references")
    (<MessageKind.THANK_YOU: 'thank_you'>, <MessageKind.REFERENCE_HEADS_UP: 'reference_heads_up'>)
    """
    if isinstance(kind, str) and kind in KIND_ALIASES:
        return KIND_ALIASES[kind]
    by_step = {str(step): k for k, step in MESSAGE_STEP.items()}
    by_step["info_reply"] = MessageKind.INFO_REPLY
    by_step["follow_up_again"] = MessageKind.FOLLOW_UP  # the agenda's next follow-up
    if isinstance(kind, str) and kind in by_step and kind not in MessageKind._value2member_map_:
        return by_step[kind]
    try:
        return MessageKind(kind)
    except ValueError:
        allowed = ", ".join([*KIND_ALIASES, *(k.value for k in MessageKind)])
        raise DraftError(f"kind must be one of: {allowed}; not {kind!r}") from None


_kind = message_kind


def draft_message(
    journal: Any,
    interview_id: str,
    kind: str | MessageKind,
    to: str | None = None,
    tone: str = "warm",
    form: str = "email",
    *,
    skills: Sequence[str] | None = None,
    variant: int | None = None,
    event_id: str | None = None,
    now: datetime | None = None,
    template_dir: str | os.PathLike[str] | None = None,
) -> Message:
    """Draft one message for an interview (not saved: see :func:`save_draft`).

    ``to`` picks the interviewer (or, for a heads-up, the reference) by full or first name;
    a name matching nobody is used as given, without an address. Without ``to``: the
    first interviewer (or reference). ``skills`` overrides the strongest skills taken from
    the interview's scores. A follow-up is variant 2 (the later nudge) when one was
    already sent, unless ``variant`` says otherwise. An information reply answers
    ``event_id``, or the latest request still unanswered.
    """
    kind = _kind(kind)
    if tone not in TONES:
        raise DraftError(f"tone must be one of: {', '.join(TONES)}; not {tone!r}")
    if form not in FORMS:
        raise DraftError(f"form must be one of: {', '.join(FORMS)}; not {form!r}")
    if form == "call" and kind not in CALL_KINDS:
        raise DraftError("a call sheet is for a follow-up or for answering a request for "
                         "information; write this one as an email or a letter")
    now = (now or utc_now()).astimezone(UTC)
    interview = journal.get(Interview, interview_id)
    fields, msg = _fields(journal, interview, kind, to=to, tone=tone, form=form,
                          skills=skills, variant=variant, event_id=event_id, now=now)
    name = "call_sheet.j2" if form == "call" else f"{kind.value}.j2"
    text = render_template(name, fields, template_dir)
    subject, body = _split_subject(text)
    return Message(
        interview_id=interview.id, kind=kind, subject=subject, body=body,
        channel={"letter": Channel.LETTER, "call": Channel.PHONE}.get(form, Channel.EMAIL),
        created_at=now, **msg,
    )


def draft_all(journal: Any, interview_id: str, kind: str | MessageKind,
              **options: Any) -> list[Message]:
    """One draft per interviewer (thank-you) or per reference given for the interview
    (heads-up; every reference when none was given); otherwise one, to the right person
    (:func:`contacts_for`).

    Takes the same options as :func:`draft_message` except ``to``.
    """
    kind = _kind(kind)
    people = contacts_for(journal, interview_id, kind)
    if kind == MessageKind.THANK_YOU:
        names = [p.name for p in people
                 if p.contact_role == ContactRole.INTERVIEWER] or [p.name for p in people]
    elif kind == MessageKind.REFERENCE_HEADS_UP:
        given = {h.reference_id for h in journal.find(HeadsUp, interview_id=interview_id)}
        names = [r.name for r in people if r.id in given] or [r.name for r in people]
    else:
        names = []
    if not names:
        return [draft_message(journal, interview_id, kind, **options)]
    return [draft_message(journal, interview_id, kind, to=name, **options) for name in names]


def check_message(journal: Any, message: Message) -> list[Hint]:
    """The draft checker's hints for ``message`` (see :mod:`afterview_analysis.draft_checker`),
    with the greetings of earlier messages to the same person and the rubric's labels."""
    return check_text(
        message.body,
        earlier_greetings=earlier_greetings(journal, message.recipient, exclude=message.id),
        rubric=journal.skills(),
        letter=message.channel != Channel.PHONE,
    )


def save_draft(journal: Any, message: Message) -> str:
    """Store (or update) a draft in the journal; returns its id."""
    journal.upsert(message)
    return message.id


def edit_draft(journal: Any, message_id: str, **changes: Any) -> Message:
    """Change a saved draft's text or recipient (``subject=``, ``body=``, ...); a message
    already sent cannot be edited. The record's own rules apply (no line break in a
    subject, ...): a bad value raises and nothing is written."""
    allowed = {"subject", "body", "recipient", "recipient_email", "channel"}
    unknown = set(changes) - allowed
    if unknown:
        raise DraftError(f"cannot edit {', '.join(sorted(unknown))}; only {sorted(allowed)}")
    message = journal.get(Message, message_id)
    if message.sent_at is not None:
        raise DraftError(f"message {message_id} was sent {message.sent_at:%Y-%m-%d %H:%M} UTC;"
                         " it cannot be edited any more")
    edited = replace(message, **changes)
    journal.update(edited)
    return edited


def mark_sent(journal: Any, message_id: str, at: datetime | None = None) -> Message:
    """Record that a draft went out at ``at`` (default: now). A heads-up to a known
    reference also marks the reference told for the interview (:class:`HeadsUp`, added
    when the reference was not yet given for it). Refuses a message already marked sent,
    or a time before the draft was written."""
    message = journal.get(Message, message_id)
    if message.sent_at is not None:
        raise DraftError(f"this message was already marked sent on {_when(message.sent_at)} "
                         "UTC; undo that first if it was a mistake")
    at = (at or utc_now()).astimezone(UTC)
    if at < message.created_at:
        raise DraftError(f"sent_at {at:%Y-%m-%d %H:%M} UTC is before the draft was written "
                         f"({message.created_at:%Y-%m-%d %H:%M} UTC)")
    sent = replace(message, sent_at=at)
    with journal.transaction():
        journal.update(sent)
        ref = _reference_of(journal, message)
        if ref is not None:
            given = [h for h in journal.find(HeadsUp, interview_id=message.interview_id)
                     if h.reference_id == ref.id and h.sent_at is None]
            if given:
                journal.update(replace(given[0], sent_at=at))
            else:
                journal.add(HeadsUp(interview_id=message.interview_id, reference_id=ref.id,
                                    sent_at=at))
    return sent


def unmark_sent(journal: Any, message_id: str) -> Message:
    """Undo :func:`mark_sent`: the message is a draft again (and a heads-up's reference is
    given for the interview but not told). Refuses a message that was not marked sent."""
    message = journal.get(Message, message_id)
    if message.sent_at is None:
        raise DraftError("this message is not marked sent, so there is nothing to undo")
    draft = replace(message, sent_at=None)
    with journal.transaction():
        journal.update(draft)
        ref = _reference_of(journal, message)
        if ref is not None:
            for h in journal.find(HeadsUp, interview_id=message.interview_id):
                if h.reference_id == ref.id and h.sent_at == message.sent_at:
                    journal.update(replace(h, sent_at=None))
    return draft


def _reference_of(journal: Any, message: Message) -> Reference | None:
    if message.kind != MessageKind.REFERENCE_HEADS_UP or not message.interview_id:
        return None
    return next(iter(journal.find(Reference, name=message.recipient)), None)


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"


def log_call(
    journal: Any,
    interview_id: str,
    *,
    who: str,
    at: datetime,
    kind: str | MessageKind = MessageKind.FOLLOW_UP,
    outcome: str | None = None,
    promised_on: date | None = None,
    notes: str | None = None,
    event_id: str | None = None,
    now: datetime | None = None,
) -> Message:
    """Record a phone call that happened: a sent message on channel ``phone``.

    It counts as a sent follow-up (or information reply) does: it ticks the step, it is
    in the message history, and "how fast you answer" counts it. ``promised_on``, the new
    date they gave for news, moves the next follow-up to a week after it. Refused with a
    one-line :class:`DraftError`, nothing written: no person, a call in the future, a new
    date before the call, or a kind other than a follow-up or a reply.
    """
    kind = message_kind(kind)
    if kind not in CALL_KINDS:
        raise DraftError("a call is logged as a follow-up or as the answer to a request")
    now = (now or utc_now()).astimezone(UTC)
    if not (who or "").strip():
        raise DraftError("With whom: say who you spoke to")
    at = at.astimezone(UTC).replace(microsecond=0)
    if at > now:
        raise DraftError(f"When: the call is in the future ({_when(at)} UTC); log it once "
                         "it has happened")
    interview = journal.get(Interview, interview_id)
    if promised_on is not None and promised_on < at.date() - timedelta(days=1):
        raise DraftError("New date: the date they gave cannot be before the call")
    person = _pick(contacts_for(journal, interview_id, kind, event_id), who, "contact")
    reply_to = _request(journal, interview, event_id).id if kind == MessageKind.INFO_REPLY \
        else None
    call = Message(
        interview_id=interview_id, kind=kind, recipient=who.strip(),
        recipient_email=person.email if person else None,
        subject=wording.tidy(outcome) or "Phone call", body=(notes or "").strip() or "No notes.",
        channel=Channel.PHONE, reply_to_event_id=reply_to, created_at=at, sent_at=at,
        promised_on=promised_on,
    )
    journal.add(call)
    return call


# --------------------------------------------------------------------------- exports

_BREAK = re.compile(r"[\r\n\u2028\u2029\x85\x0b\x0c]")


def _one_line(name: str, value: str | None) -> str | None:
    """``value`` if it is safe as a mail header: one line, no control characters, also
    after decoding any RFC 2047 encoded words in it (``=?utf-8?q?...?=``), which a mail
    program would decode; else DraftError naming the field."""
    if value is None:
        return value
    for text, how in ((value, ""), (_decoded_words(value), " once its =?...?= part is decoded")):
        if _BREAK.search(text):
            raise DraftError(f"{name} contains a line break{how}; a mail header must be one "
                             "line: remove it")
        bad = next((c for c in text if unicodedata.category(c) == "Cc" and c != "\t"), None)
        if bad is not None:
            raise DraftError(f"{name} contains a control character (U+{ord(bad):04X}){how}; "
                             "remove it")
    return value


def _decoded_words(value: str) -> str:
    """``value`` with its RFC 2047 encoded words decoded, as a mail program shows it."""
    if "=?" not in value:
        return value
    from email.header import decode_header

    try:
        parts = decode_header(value)
    except Exception:  # an undecodable word stays as it is: text, not a header
        return value
    out = []
    for part, charset in parts:
        if isinstance(part, bytes):
            try:
                part = part.decode(charset or "ascii", "replace")
            except LookupError:  # a charset Python does not know: its bytes as they are
                part = part.decode("latin-1")
        out.append(part)
    return "".join(out)


def to_eml(message: Message, profile: Profile | None = None) -> bytes:
    """The draft as an ``.eml`` file a mail client opens as a draft (``X-Unsent: 1``).

    Built with the standard library's :mod:`email` (default policy, CRLF line ends):
    From (your name and address, if the profile has one), To (when the recipient has an
    address), Subject, Date, and the body as UTF-8 text. A header value with a line break
    is refused.

    >>> m = Message(kind="thank_you", recipient="Maya Keller",
    ...             recipient_email="maya@acme.example", subject="Thank you", body="Hi Maya\\n")
    >>> b"X-Unsent: 1" in to_eml(m)
    True
    """
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import format_datetime, formataddr

    subject = _one_line("subject", message.subject)
    recipient = _one_line("recipient", message.recipient)
    to_addr = _one_line("recipient_email", message.recipient_email)
    eml = EmailMessage(policy=SMTP)
    if profile is not None and profile.email:
        eml["From"] = formataddr((_one_line("your name", profile.name) or "", profile.email))
    if to_addr:
        eml["To"] = formataddr((recipient, to_addr))
    eml["Subject"] = subject or ""
    eml["Date"] = format_datetime(message.created_at)
    eml["X-Unsent"] = "1"
    eml.set_content(message.body, charset="utf-8")
    return eml.as_bytes()


def mailto_link(message: Message) -> str:
    """A ``mailto:`` link (RFC 6068) that opens the draft in the user's mail program.

    >>> m = Message(kind="follow_up", recipient="Jo", recipient_email="jo@acme.example",
    ...             subject="Next steps & timing?", body="Hi Jo,\\nany news?\\n")
    >>> mailto_link(m)
    'mailto:jo@acme.example?subject=Next%20steps%20%26%20timing%3F&body=Hi%20Jo%2C%0D%0Aany%20news%3F%0D%0A'
    """
    from urllib.parse import quote

    _one_line("subject", message.subject)
    to = quote(message.recipient_email or "", safe="@")
    body = message.body.replace("\r\n", "\n").replace("\n", "\r\n")
    query = f"subject={quote(message.subject or '', safe='')}&body={quote(body, safe='')}"
    return f"mailto:{to}?{query}"
