"""Anonymised copies of the journal, to share with a coach.

Every column that can hold text is listed in :data:`TEXT_COLUMNS` with what happens to it
(a test walks the schema, so a new column cannot be forgotten; one missing from the list
is dropped like a note). Always removed: the profile (but its time zone), every email,
phone number and web address of interviewers and references, interview locations and job
links. Companies become "Company XXXX" and people "Interviewer XXXX" / "Reference XXXX": a
keyed hash (HMAC-SHA256) of the name, so the same company gets the same pseudonym in every
export made with the same key, and nobody without the key can test a guess; message
recipients become those pseudonyms or "[name]". Free-text notes (notes, answers, message
bodies, skill descriptions, what a reference speaks to, ...) are dropped unless
``keep_notes=True``, in which case they, like the text always kept (roles, questions,
titles, skill names), are scrubbed: known names become their pseudonyms, as whole words in
the case they were written in, and emails, web addresses and phone numbers become [email],
[url], [phone]. Scrubbing is best effort (a nickname, a misspelt name, or a first name
that is also a word, "Will", at the start of a sentence gets through),
which is why notes are off by default.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from afterview_analysis.exchange import journal_dict
from afterview_analysis.journal import Journal
from afterview_analysis.records import RECORD_TYPES

__all__ = ["anonymize", "anonymize_key", "pseudonym"]

#: What happens to every column that can hold text, table by table (a test walks the
#: schema: a new text column must be added here). ``clear``: always removed; ``note``:
#: free text, removed unless ``keep_notes`` (then scrubbed); ``scrub``: kept, with names,
#: emails, links and phone numbers replaced; ``company`` / ``person`` / ``recipient``:
#: replaced by a pseudonym. A text column missing here is removed, as a note.
TEXT_COLUMNS: dict[str, dict[str, str]] = {
    "profile": {"name": "clear", "email": "clear", "phone": "clear", "signature": "clear",
                "pitch": "clear", "linkedin": "clear", "facebook": "clear", "x": "clear",
                "github": "clear", "website": "clear", "questions_to_ask": "clear"},
    "skills": {"name": "scrub", "description": "note"},
    "interviews": {"company": "company", "role": "scrub", "location": "clear",
                   "job_url": "clear", "notes": "note", "process_length": "note",
                   "recall_point": "note", "forgotten_strength": "note"},
    "interviewers": {"name": "person", "title": "scrub", "email": "clear", "phone": "clear",
                     "profile_url": "clear"},
    "questions": {"text": "scrub", "answer": "note", "next_time": "note"},
    "skill_scores": {"skill": "scrub"},
    "playbook_steps": {"note": "note"},
    "references_": {"name": "person", "relationship": "scrub", "email": "clear",
                    "phone": "clear", "speaks_to": "note"},
    "heads_ups": {"note": "note"},
    "employer_events": {"note": "note"},
    "messages": {"recipient": "recipient", "recipient_email": "clear", "subject": "note",
                 "body": "note"},
    "question_groups": {"title": "scrub", "best_answer": "note"},
    "practice": {"answer": "note"},
}
#: Check kinds of columns that hold free text (others hold ids, choices, times, numbers).
TEXT_CHECKS = ("Text", "Email", "Phone", "Url")
#: A note that must have a value becomes this.
REMOVED = "[removed]"

#: Words that are also first names or surnames ("Will", "Park"): replaced only as part of
#: the whole name, never alone, so "Will you..." stays as written.
COMMON_WORDS = frozenset((
    "amber", "and", "april", "art", "august", "baker", "bell", "bill", "black", "bob",
    "brown", "cash", "chase", "cook", "crystal", "dale", "data", "dawn", "day", "don", "drew",
    "faith", "field", "fisher", "for", "ford", "frank", "gene", "glen", "grace", "green",
    "guy", "hall", "hardy", "head", "hill", "holly", "hope", "hunter", "iris", "ivy", "jack",
    "jade", "joy", "june", "king", "lane", "lily", "little", "long", "love", "lucky", "mark",
    "max", "may", "miller", "new", "nick", "noble", "page", "park", "pat", "pearl", "penny",
    "price", "ray", "reed", "rice", "rich", "river", "rob", "rose", "ruby", "sky", "star",
    "stone", "storm", "sue", "summer", "sunny", "team", "the", "violet", "wade", "ward",
    "white", "will", "with", "wood", "young",
))

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
    """Replaces known names, and any email, URL or phone number, in free text.

    Names match as whole words, in the case they were written in (or all capitals): a
    whole name anywhere; a single word of a person's name (a first name alone) only when
    it is not also a common word (:data:`COMMON_WORDS`); a first name that is also a common
    word ("Mark") only when capitalised in the middle of a sentence and not followed by
    another capitalised word ("then Mark asked"), so "Mark my words.", "will" and "Senior
    Data Analyst" stay as written.
    """

    def __init__(self, names: dict[str, str], people: dict[str, str]):
        """``names``: every name as written -> its pseudonym; ``people``: the same for
        persons only (their single words are replaced too)."""
        self.patterns: list[tuple[re.Pattern[str], str]] = []
        for name, alias in sorted(names.items(), key=lambda kv: -len(kv[0])):
            for spelling in {name, name.upper(), name.title()}:
                words = [re.escape(w) for w in spelling.split()]
                if words:
                    self.patterns.append(
                        (re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)"), alias))
        singles: dict[str, str] = {}
        mid_sentence: dict[str, str] = {}  # "Mark": only "... asked Mark about"
        for name, alias in people.items():
            for word in name.split():
                if len(word) < 3:
                    continue
                if word.casefold() not in COMMON_WORDS:
                    singles.setdefault(word, alias)
                    singles.setdefault(word.upper(), alias)
                else:
                    mid_sentence.setdefault(word.title(), alias)
        for word, alias in singles.items():
            self.patterns.append((re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)"), alias))
        for word, alias in mid_sentence.items():
            # capitalised after a word or a comma and not in a run of capitalised words: a
            # name ("then Mark asked"), where a sentence's first word ("Will you..."), lower
            # case ("will") or a title ("Senior Data Analyst") is not one
            self.patterns.append((re.compile(
                r"(?<=[\w,;:)] )" + re.escape(word) + r"(?!\w)(?! [A-Z])"), alias))

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
    path = key_path(journal)
    try:
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
        if len(key) >= 16:
            return key
    except (OSError, ValueError):
        pass
    key = secrets.token_bytes(32)
    path.unlink(missing_ok=True)  # unreadable: replaced
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # private from the start
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key.hex() + "\n")
    return key


def key_path(journal: Journal) -> Path:
    """Where :func:`anonymize_key` keeps the journal's key."""
    return journal.path.with_name(journal.path.name + ".anonymize-key")


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
    aliases = {**companies, **references, **interviewers}  # by normalised name
    names: dict[str, str] = {}  # as written -> alias
    people: dict[str, str] = {}
    for table, column in (("interviews", "company"), ("interviewers", "name"),
                          ("references_", "name")):
        for row in tables[table]:
            names[row[column]] = aliases[_normal(row[column])]
            if table != "interviews":
                people[row[column]] = names[row[column]]
    for row in tables["messages"]:
        names.setdefault(row["recipient"], aliases.get(_normal(row["recipient"]), "[name]"))
    me = tables["profile"][0].get("name") if tables["profile"] else None
    if me:
        names[me] = people[me] = "[me]"
    scrub = _Scrubber(names, people)

    for table, rows in tables.items():
        kind = RECORD_TYPES[table]
        checks = kind.checks()
        text_columns = [c for c, check in checks.items()
                        if type(check).__name__ in TEXT_CHECKS]
        how = TEXT_COLUMNS.get(table, {})
        for row in rows:
            for column in text_columns:
                value = row.get(column)
                if value is None:
                    continue
                rule = how.get(column, "note")
                if rule == "clear":
                    row[column] = None
                elif rule == "scrub" or (rule == "note" and keep_notes):
                    row[column] = scrub(value)
                elif rule == "note":
                    row[column] = REMOVED if checks[column].required else None
                elif rule == "recipient":
                    alias = aliases.get(_normal(value), "[name]")
                    row[column] = "[name]" if alias.startswith("Company") else alias
                else:  # company, person
                    row[column] = aliases[_normal(value)]
    return doc
