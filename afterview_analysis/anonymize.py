"""Anonymised copies of the journal, to share with a coach.

Always removed: the profile (but its time zone), every
name, email, phone number and web address of interviewers and references, interview
locations and job links, message recipients. Companies become "Company XXXX" and people
"Interviewer XXXX" / "Reference XXXX": a keyed hash (HMAC-SHA256) of the name, so the
same company gets the same pseudonym in every export made with the same key, and nobody
without the key can test a guess. Free-text notes (NOTE_FIELDS) are dropped unless
keep_notes=True, in which case they, like the text always kept (roles, questions, titles),
are scrubbed: known company and person names become their pseudonyms, and emails, web
addresses and phone numbers become [email], [url], [phone]. Scrubbing is best effort
(a nickname or a misspelt name gets through), which is why notes are off by default.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from typing import Any

from afterview_analysis.exchange import journal_dict
from afterview_analysis.journal import Journal

__all__ = ["anonymize", "anonymize_key", "pseudonym"]

#: Free-text fields dropped unless ``keep_notes`` (a required one becomes "[removed]").
NOTE_FIELDS: dict[str, tuple[str, ...]] = {
    "interviews": ("notes", "recall_point", "forgotten_strength", "process_length"),
    "questions": ("answer", "next_time"),
    "playbook_steps": ("note",),
    "heads_ups": ("note",),
    "employer_events": ("note",),
    "messages": ("subject", "body"),
    "references_": ("speaks_to",),
    "question_groups": ("best_answer",),
    "practice": ("answer",),
}
#: Personal fields always cleared.
PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "interviews": ("location", "job_url"),
    "interviewers": ("email", "phone", "profile_url"),
    "references_": ("email", "phone"),
    "messages": ("recipient_email",),
}
#: Text kept (scrubbed) in an anonymized copy.
SCRUBBED_FIELDS: dict[str, tuple[str, ...]] = {
    "interviews": ("role",),
    "questions": ("text",),
    "interviewers": ("title",),
    "references_": ("relationship",),
    "question_groups": ("title",),
}

_EMAIL_IN_TEXT = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
_URL_IN_TEXT = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|org|net|io|de)/\S*", re.I)
_PHONE_IN_TEXT = re.compile(r"(?<![\w+])\+?\(?\d[\d ()./-]{5,}\d(?!\w)")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _normal(name: str) -> str:
    return " ".join(name.casefold().split())


def pseudonym(name: str, key: bytes, prefix: str = "Company", length: int = 4) -> str:
    """A stable pseudonym for ``name``: ``prefix`` + base32 of HMAC-SHA256(key, name).

    Case and spacing do not matter; a different key gives unrelated pseudonyms.

    >>> pseudonym("Acme Analytics", b"k") == pseudonym("  acme   ANALYTICS", b"k")
    True
    >>> pseudonym("Acme Analytics", b"k")
    'Company ZOJI'
    """
    digest = hmac.new(key, _normal(name).encode("utf-8"), hashlib.sha256).digest()
    return f"{prefix} {base64.b32encode(digest).decode()[:length]}"


def _pseudonyms(names: Iterable[str], key: bytes, prefix: str) -> dict[str, str]:
    """Pseudonyms for distinct names, lengthened until no two names share one."""
    distinct = sorted({_normal(n) for n in names if n})
    for length in range(4, 53, 2):
        out = {n: pseudonym(n, key, prefix, length) for n in distinct}
        if len(set(out.values())) == len(out):
            return out
    raise AssertionError("unreachable: SHA-256 collision")  # pragma: no cover


class _Scrubber:
    """Replaces known names, and any email, URL or phone number, in free text."""

    def __init__(self, names: dict[str, str]):
        self.patterns: list[tuple[re.Pattern[str], str]] = []
        for name, alias in sorted(names.items(), key=lambda kv: -len(kv[0])):
            words = [re.escape(w) for w in name.split()]
            self.patterns.append((re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)",
                                             re.I), alias))
        # single words of person names (a first name alone), case-sensitive, 3+ letters
        singles: dict[str, str] = {}
        for name, alias in names.items():
            if alias.startswith(("Interviewer", "Reference", "[")):
                for word in name.split():
                    if len(word) >= 3:
                        singles.setdefault(word, alias)
        for word, alias in singles.items():
            pattern = re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)", re.I)
            self.patterns.append((pattern, alias))

    def __call__(self, text: str | None) -> str | None:
        if not text:
            return text
        text = _EMAIL_IN_TEXT.sub("[email]", text)
        text = _URL_IN_TEXT.sub("[url]", text)
        for pattern, alias in self.patterns:
            text = pattern.sub(alias, text)

        def phone(m: re.Match[str]) -> str:
            found = m.group(0)
            if _ISO_DATE.fullmatch(found) or sum(c.isdigit() for c in found) < 7:
                return found
            return "[phone]"

        return _PHONE_IN_TEXT.sub(phone, text)


def anonymize_key(journal: Journal) -> bytes:
    """The journal's pseudonym key: ``<journal file>.anonymize-key`` beside it, made once.

    Keep it private (it is as git-ignored as the journal): with it, anyone could test
    whether "Company LNLE" is Acme. A journal in memory gets a fresh key each time.
    """
    if str(journal.path) == ":memory:":
        return secrets.token_bytes(32)
    path = journal.path.with_name(journal.path.name + ".anonymize-key")
    try:
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
        if len(key) >= 16:
            return key
    except (OSError, ValueError):
        pass
    key = secrets.token_bytes(32)
    path.write_text(key.hex() + "\n", encoding="ascii")
    with contextlib.suppress(OSError):
        path.chmod(0o600)
    return key


def anonymize(
    journal: Journal, *, key: bytes | None = None, keep_notes: bool = False
) -> dict[str, Any]:
    """An export document with the personal data removed (see the comment above).

    The result is still a valid afterview export: a coach can ``afterview import`` it and
    see every chart. ``key`` defaults to :func:`anonymize_key`.

    >>> from afterview_analysis.journal import Journal
    >>> from afterview_analysis.records import Interview, Interviewer
    >>> j = Journal(":memory:")
    >>> iv = Interview(company="Acme", role="Analyst at Acme", starts_at="2026-03-02T09:30Z",
    ...                notes="Ann said call 030 1234567")
    >>> log = j.save_interview(iv, interviewers=[
    ...     Interviewer(interview_id=iv.id, name="Ann Lee", email="ann@acme.example")])
    >>> doc = anonymize(j, key=b"k", keep_notes=True)
    >>> row = doc["tables"]["interviews"][0]
    >>> row["company"], row["role"], row["notes"]
    ('Company 5MWS', 'Analyst at Company 5MWS', 'Interviewer 4DN6 said call [phone]')
    >>> person = doc["tables"]["interviewers"][0]
    >>> person["name"], person["email"]
    ('Interviewer 4DN6', None)
    """
    key = anonymize_key(journal) if key is None else key
    doc = journal_dict(journal)
    tables = doc["tables"]
    companies = _pseudonyms((r["company"] for r in tables["interviews"]), key, "Company")
    interviewers = _pseudonyms((r["name"] for r in tables["interviewers"]), key, "Interviewer")
    references = _pseudonyms((r["name"] for r in tables["references_"]), key, "Reference")
    me = tables["profile"][0].get("name") if tables["profile"] else None
    known = {**companies, **references, **interviewers}
    for row in tables["messages"]:
        known.setdefault(_normal(row["recipient"]), "[name]")
    if me:
        known[_normal(me)] = "[me]"
    scrub = _Scrubber(known)

    for row in tables["profile"]:
        for name in row:
            if name not in ("id", "timezone"):
                row[name] = None
    for table, rows in tables.items():
        for row in rows:
            for name in PERSONAL_FIELDS.get(table, ()):
                row[name] = None
            for name in SCRUBBED_FIELDS.get(table, ()):
                row[name] = scrub(row[name])
            for name in NOTE_FIELDS.get(table, ()):
                if keep_notes:
                    row[name] = scrub(row[name])
                elif name == "body":
                    row[name] = "[removed]"
                else:
                    row[name] = None
    for row in tables["interviews"]:
        row["company"] = companies[_normal(row["company"])]
    for row in tables["interviewers"]:
        row["name"] = interviewers[_normal(row["name"])]
    for row in tables["references_"]:
        row["name"] = references[_normal(row["name"])]
    for row in tables["messages"]:
        row["recipient"] = known.get(_normal(row["recipient"]), "[name]")
        if row["recipient"].startswith("Company"):
            row["recipient"] = "[name]"
    return doc
