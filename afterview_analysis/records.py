"""The vocabulary of afterview: one frozen dataclass per thing the playbook talks about.

Every record validates itself when it is built (and again on :func:`dataclasses.replace`).
A bad value raises :class:`RecordError`, which names the record, the field, the value and
the rule it broke, so a form or the CLI can show it next to the field in plain words.

Validation is declarative: each field carries a *check* (``Text``, ``Score``, ``Email``,
``Url``, ``AwareDatetime``, ...) in its metadata. The same checks tell the journal which
pandas dtype a column gets. We use the standard library rather than pydantic here because
``afterview agenda`` and ``afterview draft`` must answer within a few times a bare Python
start-up, and pydantic's import alone costs about four of those; the rules below are few,
explicit and tested one by one in ``tests/test_records.py``.

>>> from datetime import datetime, timezone
>>> q = Question(interview_id="abc123", text="Tell me about a conflict", score=4)
>>> q.category
<Category.OTHER: 'other'>
>>> Question(interview_id="abc123", text="Why us?", score=7)
Traceback (most recent call last):
...
afterview_analysis.records.RecordError: Question.score = 7: must be a whole number from 1 to 5
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import MISSING, dataclass, field, fields
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any, ClassVar
from urllib.parse import urlsplit

__all__ = [
    "CLOSINGS",
    "CONTACT_ROLE_WORDS",
    "DEFAULT_SKILLS",
    "FORMS",
    "KIND_ALIASES",
    "KIND_WORDS",
    "MESSAGE_STEP",
    "RECORD_TYPES",
    "TIMED_KINDS",
    "TONES",
    "AfterviewError",
    "Category",
    "Channel",
    "ContactRole",
    "EmployerEvent",
    "EventKind",
    "Format",
    "HeadsUp",
    "Interview",
    "Interviewer",
    "Message",
    "MessageKind",
    "Outcome",
    "PlaybookStep",
    "Practice",
    "Profile",
    "Question",
    "QuestionGroup",
    "QuestionPin",
    "RecordError",
    "Reference",
    "Skill",
    "SkillScore",
    "Stage",
    "Step",
    "new_id",
    "utc_now",
]

UTC = UTC


class AfterviewError(Exception):
    """Base of every error afterview raises on purpose (bad input, refused journal, ...)."""


class RecordError(AfterviewError, ValueError):
    """A value broke a rule. ``record``, ``field``, ``value`` and ``rule`` say which."""

    def __init__(self, record: str, field: str, value: Any, rule: str):
        self.record, self.field, self.value, self.rule = record, field, value, rule
        self.row: int | None = None  # set by bulk validation: the 1-based row number
        shown = repr(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        super().__init__(f"{record}.{field} = {shown}: {rule}")


class _InvalidError(Exception):
    """Raised by a check; turned into a RecordError that names the field."""


# --------------------------------------------------------------------------- vocabularies


class Stage(StrEnum):
    SCREEN = "screen"
    TECHNICAL = "technical"
    ONSITE = "onsite"
    FINAL = "final"
    OTHER = "other"


class Format(StrEnum):
    PHONE = "phone"
    VIDEO = "video"
    IN_PERSON = "in_person"


class Category(StrEnum):
    TECHNICAL = "technical"
    BEHAVIOURAL = "behavioural"
    SYSTEM_DESIGN = "system_design"
    CULTURE = "culture"
    MOTIVATION = "motivation"
    SALARY = "salary"
    OTHER = "other"


class Outcome(StrEnum):
    PENDING = "pending"
    ADVANCED = "advanced"
    OFFER = "offer"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    GHOSTED = "ghosted"


class Step(StrEnum):
    """The six steps of the after-interview playbook, in order."""

    ASK_NEXT_STEPS = "ask_next_steps"
    ASSESS_PERFORMANCE = "assess_performance"
    REVIEW_PROFILES = "review_profiles"
    CONTACT_REFERENCES = "contact_references"
    THANK_YOU = "thank_you"
    FOLLOW_UP = "follow_up"


class EventKind(StrEnum):
    FEEDBACK = "feedback"
    INFO_REQUEST = "info_request"
    NEXT_ROUND = "next_round"
    OFFER = "offer"
    REJECTION = "rejection"
    OTHER = "other"


class ContactRole(StrEnum):
    """Who a person at the employer is: thank-yous go to interviewers, replies and
    follow-ups to the recruiter or HR contact when there is one."""

    INTERVIEWER = "interviewer"
    RECRUITER = "recruiter"
    HR = "hr"


class MessageKind(StrEnum):
    THANK_YOU = "thank_you"
    FOLLOW_UP = "follow_up"
    INFO_REPLY = "info_reply"
    REFERENCE_HEADS_UP = "reference_heads_up"


#: The command-line names of the message kinds (``afterview draft thank-you``).
KIND_ALIASES: dict[str, MessageKind] = {
    "thank-you": MessageKind.THANK_YOU,
    "follow-up": MessageKind.FOLLOW_UP,
    "info-reply": MessageKind.INFO_REPLY,
    "reference": MessageKind.REFERENCE_HEADS_UP,
}
#: The tones a draft can take, and the forms it can have (a call sheet is a form).
TONES = ("formal", "warm", "brief")
FORMS = ("email", "letter", "call")

#: Each message kind in words (forms, lists, the command line's help).
KIND_WORDS: dict[MessageKind, str] = {
    MessageKind.THANK_YOU: "thank-you letter",
    MessageKind.FOLLOW_UP: "follow-up",
    MessageKind.INFO_REPLY: "reply to their request for information",
    MessageKind.REFERENCE_HEADS_UP: "heads-up to a reference",
}
#: Each contact role in words.
CONTACT_ROLE_WORDS: dict[ContactRole, str] = {
    ContactRole.INTERVIEWER: "interviewer",
    ContactRole.RECRUITER: "recruiter",
    ContactRole.HR: "HR",
}

#: The playbook step a sent message of each kind does (an information reply answers a
#: request instead: the agenda's ``info_reply`` item). rules, the analysis and the views
#: all read this one table.
MESSAGE_STEP: dict[MessageKind, Step] = {
    MessageKind.THANK_YOU: Step.THANK_YOU,
    MessageKind.FOLLOW_UP: Step.FOLLOW_UP,
    MessageKind.REFERENCE_HEADS_UP: Step.CONTACT_REFERENCES,
}

#: The messages whose speed the analysis's "how fast you answer" measures, in the order
#: it lists them. Each has a deadline in ``rules``: the thank-you and the follow-up by
#: their playbook step (:data:`MESSAGE_STEP`), the information reply 24 h after the
#: request.
TIMED_KINDS: tuple[MessageKind, ...] = (
    MessageKind.THANK_YOU,
    MessageKind.INFO_REPLY,
    MessageKind.FOLLOW_UP,
)


class Channel(StrEnum):
    EMAIL = "email"
    LETTER = "letter"
    PHONE = "phone"


#: Closing lines a letter ends with (before the name). A draft has exactly one, from its
#: tone; a profile signature is the name and contact lines only, so schema version 3
#: removes any of these from the start of a stored signature.
CLOSINGS = (
    "Yours sincerely,", "Yours faithfully,", "Yours truly,", "Sincerely,",
    "Kind regards,", "Best regards,", "Warm regards,", "With warm regards,",
    "With best regards,", "With kind regards,", "Warmest regards,", "Regards,",
    "Best wishes,", "All the best,", "Many thanks,", "Thanks,", "Thank you,", "Cheers,",
    "Best,",
)

DEFAULT_SKILLS = (
    "technical depth",
    "problem solving",
    "communication",
    "culture fit",
    "questions asked",
    "preparation",
)


def new_id() -> str:
    """A new random record id: 12 lowercase hex digits (48 bits)."""
    return uuid.uuid4().hex[:12]


def utc_now() -> datetime:
    """The current time, timezone-aware, in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


# --------------------------------------------------------------------------- checks
# A check turns a raw value (from a form, the CLI, JSON or SQLite) into the canonical one,
# or raises _InvalidError with the rule in words. ``dtype`` names the pandas dtype of its column.

_CONTROL_CHARS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
# Lone UTF-16 surrogates (JSON "\ud800") are valid Python text but cannot be stored as UTF-8.
_SURROGATE_CHARS = r"\ud800-\udfff"
_LINE_BREAK_CHARS = r"\r\n\u2028\u2029\x85"
_CONTROL = re.compile(f"[{_CONTROL_CHARS}]")
_SURROGATE = re.compile(f"[{_SURROGATE_CHARS}]")
# A whole number typed as text: ASCII digits only (int() also takes "²" and "٣" and fails
# on them, or on 5,000 digits), short enough to convert.
_INT_TEXT = re.compile(r"\s*[+-]?[0-9]{1,18}\s*")
_LINE_BREAK = re.compile(f"[{_LINE_BREAK_CHARS}]")
# The same characters as _CONTROL, _SURROGATE (and _LINE_BREAK), in one pass (bulk checks).
_MULTI_LINE_BAD = re.compile(f"[{_CONTROL_CHARS}{_SURROGATE_CHARS}]")
_SINGLE_LINE_BAD = re.compile(f"[{_CONTROL_CHARS}{_SURROGATE_CHARS}{_LINE_BREAK_CHARS}]")


class Check:
    dtype = "str"
    required = False

    def __call__(self, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip() and not self.required):
            if self.required:
                raise _InvalidError("is required")
            return None
        return self.convert(value)

    def convert(self, value: Any) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def column(self, values: list[Any]) -> list[Any] | None:
        """Check a whole column at once (bulk import): the canonical values, or None when
        the shortcut does not apply and each value must go through ``__call__``.

        Each distinct value is checked once. Values that compare equal across types
        (``True == 1 == 1.0``) could share a verdict wrongly, so such columns go the long way.
        Raises ``_InvalidError`` when a value is bad (the caller then finds which row).
        """
        try:
            distinct = set(values)
        except TypeError:  # unhashable values (a list, say)
            return None
        if len({type(v) for v in distinct} & {bool, int, float}) > 1:
            return None
        canonical = {v: self(v) for v in distinct}
        return [canonical[v] for v in values]


@dataclass(frozen=True)
class Text(Check):
    max_len: int = 5000
    required: bool = False
    single_line: bool = False

    def __call__(self, value: Any) -> Any:
        if value is None or (type(value) is str and not value.strip()):
            if self.required:
                raise _InvalidError("is required and cannot be empty")
            return None
        return self.convert(value)

    def convert(self, value: Any) -> str:
        if not isinstance(value, str):
            raise _InvalidError(f"must be text, not {type(value).__name__}")
        if self.single_line:
            value = value.strip()
            if _LINE_BREAK.search(value):
                raise _InvalidError("must be a single line (no line breaks)")
        if _CONTROL.search(value):
            raise _InvalidError("must not contain control characters")
        if _SURROGATE.search(value):
            raise _InvalidError("must be valid Unicode text (it has a lone surrogate)")
        if len(value) > self.max_len:
            raise _InvalidError(f"must be at most {self.max_len} characters (got {len(value)})")
        return value

    def column(self, values: list[Any]) -> list[Any] | None:
        # Free text is mostly unique, so check the column as one string: the same rules as
        # ``convert``, run by the regex engine over all values joined by a space.
        present = [v for v in values if v is not None]
        if len(present) < len(values) and self.required:
            return None
        if not present:
            return values
        if not all(type(v) is str for v in present):
            return None
        lengths = list(map(len, present))
        if min(lengths) == 0 or max(lengths) > self.max_len:  # empty or too long: long way
            return None
        if any(map(str.isspace, present)):  # blank values become None: the long way
            return None
        joined = " ".join(present)
        bad = _SINGLE_LINE_BAD if self.single_line else _MULTI_LINE_BAD
        if bad.search(joined):
            return None
        if self.single_line and list(map(str.strip, present)) != present:
            return None
        return values


@dataclass(frozen=True)
class Id(Check):
    required: bool = True
    _pattern: ClassVar[re.Pattern[str]] = re.compile(r"[A-Za-z0-9_-]{1,64}")
    _many: ClassVar[re.Pattern[str]] = re.compile(r"[A-Za-z0-9_-]{1,64}(?: [A-Za-z0-9_-]{1,64})*")

    def convert(self, value: Any) -> str:
        if not isinstance(value, str) or not self._pattern.fullmatch(value):
            raise _InvalidError("must be an id of 1-64 letters, digits, '-' or '_'")
        return value

    def column(self, values: list[Any]) -> list[Any] | None:
        if not all(type(v) is str for v in values):
            return None
        joined = " ".join(values)
        if values and (joined.count(" ") != len(values) - 1 or not self._many.fullmatch(joined)):
            return None
        return values


@dataclass(frozen=True)
class IntRange(Check):
    low: int = 0
    high: int = 100
    required: bool = False
    unit: str = ""
    dtype = "Int64"

    def convert(self, value: Any) -> int:
        if type(value) is int and self.low <= value <= self.high:
            return value  # the common case, first
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and _INT_TEXT.fullmatch(value):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise _InvalidError(self.rule)
        if not self.low <= value <= self.high:
            raise _InvalidError(self.rule)
        return value

    def column(self, values: list[Any]) -> list[Any] | None:
        present = [v for v in values if v is not None]
        if len(present) < len(values) and self.required:
            return None
        if not all(type(v) is int for v in present):
            return None
        if present and not (self.low <= min(present) and max(present) <= self.high):
            return None
        return values

    @property
    def rule(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"must be a whole number from {self.low} to {self.high}{unit}"


def Score(required: bool = True) -> IntRange:  # noqa: N802 - reads as a type in field specs
    """A self-assessment on the 1-5 scale."""
    return IntRange(1, 5, required=required)


@dataclass(frozen=True)
class Choice(Check):
    enum: type[StrEnum] = StrEnum
    required: bool = True
    dtype = "category"

    def convert(self, value: Any) -> StrEnum:
        member = self.enum._value2member_map_.get(value) if type(value) is str else None
        if member is not None:
            return member  # type: ignore[return-value]
        try:
            return self.enum(value)
        except ValueError:
            allowed = ", ".join(m.value for m in self.enum)
            raise _InvalidError(f"must be one of: {allowed}") from None


@dataclass(frozen=True)
class Flag(Check):
    dtype = "boolean"

    def convert(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        if value in (0, 1):
            return bool(value)
        raise _InvalidError("must be yes (true) or no (false)")


_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


@dataclass(frozen=True)
class Email(Check):
    required: bool = False

    def convert(self, value: Any) -> str:
        if not isinstance(value, str):
            raise _InvalidError(f"must be text, not {type(value).__name__}")
        value = value.strip()
        local = value.split("@", 1)[0]
        if (
            len(value) > 254
            or not _EMAIL.fullmatch(value)
            or local.startswith(".")
            or local.endswith(".")
            or ".." in local
        ):
            raise _InvalidError("must be an email address like name@example.com")
        return value


_PHONE = re.compile(r"\+?[0-9 ().\-/]{5,30}(?: ?(?:x|ext\.?) ?[0-9]{1,6})?")


@dataclass(frozen=True)
class Phone(Check):
    def convert(self, value: Any) -> str:
        if not isinstance(value, str):
            raise _InvalidError(f"must be text, not {type(value).__name__}")
        value = value.strip()
        if not _PHONE.fullmatch(value) or sum(c.isdigit() for c in value) < 5:
            raise _InvalidError("must be a phone number: digits, spaces, + - ( ) . / only")
        return value


@dataclass(frozen=True)
class Url(Check):
    def convert(self, value: Any) -> str:
        if not isinstance(value, str):
            raise _InvalidError(f"must be text, not {type(value).__name__}")
        value = value.strip()
        rule = "must be a web address starting with http:// or https://"
        if len(value) > 2000 or re.search(r"\s", value) or _CONTROL.search(value) \
                or _SURROGATE.search(value):
            raise _InvalidError(rule)
        try:
            parts = urlsplit(value)
        except ValueError:
            raise _InvalidError(rule) from None
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise _InvalidError(rule)
        return value


@dataclass(frozen=True)
class AwareDatetime(Check):
    """A moment in time with its zone; kept in UTC (shown in the user's zone)."""

    required: bool = True
    dtype = "datetime64[us, UTC]"

    def convert(self, value: Any) -> datetime:
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value.strip())
            except ValueError:
                rule = "must be a date and time like 2026-03-14T09:30+01:00"
                raise _InvalidError(rule) from None
        if not isinstance(value, datetime):
            raise _InvalidError(f"must be a date and time, not {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise _InvalidError("must include a time zone (e.g. +01:00 or Z)")
        # Checked before and after the move to UTC: 1970-01-01T01:00+05:00 is 1969 in UTC,
        # and a stored value must read back.
        if not 1970 <= value.year <= 2200 or not 1970 <= value.astimezone(UTC).year <= 2200:
            raise _InvalidError("must be between the years 1970 and 2200")
        return value.astimezone(UTC)


@dataclass(frozen=True)
class Day(Check):
    """A calendar date (no time)."""

    required: bool = False
    dtype = "datetime64[us]"

    def convert(self, value: Any) -> date:
        if isinstance(value, datetime):
            raise _InvalidError("must be a date without a time, like 2026-03-14")
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value.strip())
            except ValueError:
                raise _InvalidError("must be a real date like 2026-03-14") from None
        if not isinstance(value, date):
            raise _InvalidError(f"must be a date, not {type(value).__name__}")
        if not 1970 <= value.year <= 2200:
            raise _InvalidError("must be between the years 1970 and 2200")
        return value


@dataclass(frozen=True)
class Zone(Check):
    def convert(self, value: Any) -> str:
        from zoneinfo import ZoneInfo

        if not isinstance(value, str):
            raise _InvalidError(f"must be text, not {type(value).__name__}")
        try:
            ZoneInfo(value.strip())
        except (ValueError, KeyError, OSError):
            raise _InvalidError("must be an IANA time zone such as Europe/Paris or UTC") from None
        return value.strip()


def spec(check: Check, default: Any = MISSING, factory: Any = MISSING) -> Any:
    """A dataclass field that validates with ``check``."""
    if factory is not MISSING:
        return field(default_factory=factory, metadata={"check": check})
    return field(default=default, metadata={"check": check})


def text_spec(max_len: int = 5000, *, required: bool = False, line: bool = False) -> Any:
    """A text field: required ones have no default, optional ones default to None."""
    check = Text(max_len, required=required, single_line=line)
    return spec(check) if required else spec(check, None)


def id_field() -> Any:
    return spec(Id(), factory=new_id)


def ref_field(required: bool = True) -> Any:
    return spec(Id(required=required)) if required else spec(Id(required=False), None)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, kw_only=True)
class Record:
    """Base of every record: validates each field with its check after construction."""

    __table__: ClassVar[str] = ""

    def __post_init__(self) -> None:
        values = self.__dict__  # frozen: write through __dict__, as dataclasses itself does
        for name, check in self.checks().items():
            raw = values[name]
            try:
                values[name] = check(raw)
            except _InvalidError as exc:
                raise RecordError(type(self).__name__, name, raw, str(exc)) from None
        self.check_consistency()

    def check_consistency(self) -> None:
        """Rules across fields; raise RecordError naming the field at fault."""

    @classmethod
    def columns(cls) -> list[str]:
        """The field names, in declaration order (the table's column order)."""
        return list(cls.checks())

    @classmethod
    def checks(cls) -> dict[str, Check]:
        """Field name -> its check (computed once per class)."""
        cached = cls.__dict__.get("_checks")
        if cached is None:
            cached = {f.name: f.metadata["check"] for f in fields(cls)}
            cls._checks = cached  # type: ignore[attr-defined]
        return cached

    def to_row(self) -> dict[str, Any]:
        """The record as SQLite/JSON-ready values: ISO-8601 text, 0/1, plain str."""
        values = self.__dict__
        return {name: to_sql(values[name]) for name in self.checks()}

    def to_tuple(self) -> tuple[Any, ...]:
        """:meth:`to_row`'s values only, in column order (for ``executemany``)."""
        values = self.__dict__
        return tuple([to_sql(values[name]) for name in self.checks()])

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Record:
        """Build (and validate) a record from a stored row or a JSON object."""
        unknown = row.keys() - cls.checks().keys()
        if unknown:
            name = sorted(unknown)[0]
            raise RecordError(cls.__name__, name, row[name], "is not a field of this record")
        for f in fields(cls):
            if f.name not in row and f.default is MISSING and f.default_factory is MISSING:
                raise RecordError(cls.__name__, f.name, None, "is required")
        return cls(**row)

    @classmethod
    def validate_rows(cls, rows: Iterable[dict[str, Any]]) -> list[tuple[Any, ...]]:
        """Validate many rows in stored form at once; return them as column-ordered tuples.

        The result is exactly what building each record and calling :meth:`to_tuple` gives
        (``tests/test_records.py`` checks this on generated rows), only much faster for bulk
        imports: each column is checked as a whole (:meth:`Check.column`), falling back to
        value-by-value checks where a shortcut does not apply, and record objects are built
        only for record types with cross-field rules. A row lacking some columns (relying on
        defaults) takes the ordinary path. A bad row raises RecordError with ``row`` set to
        its 1-based number.

        >>> Question.validate_rows([{"id": "q1", "interview_id": "i1", "position": 0,
        ...     "text": "Why us?", "category": "motivation", "answer": None, "score": 4,
        ...     "minutes": None, "next_time": None}])
        [('q1', 'i1', 0, 'Why us?', 'motivation', None, 4, None, None)]
        """
        rows = list(rows)
        checks = cls.checks()
        # Plain dicts with exactly the record's columns take the fast path (equal sizes
        # and every column present mean the same key set); anything else, row by row.
        plain = set(map(type, rows)) <= {dict} and set(map(len, rows)) <= {len(checks)}
        try:
            extracted = {name: [row[name] for row in rows] for name in checks} if plain else {}
        except KeyError:
            plain = False
        if not plain:
            return [cls._row_tuple(number, row) for number, row in enumerate(rows, start=1)]
        columns: dict[str, list[Any]] = {}
        for name, check in checks.items():
            values = extracted[name]
            try:
                canonical = check.column(values)
            except _InvalidError:
                canonical = None
            if canonical is None:  # the long way, which also names the bad row
                canonical = []
                for number, raw in enumerate(values, start=1):
                    try:
                        canonical.append(check(raw))
                    except _InvalidError as exc:
                        error = RecordError(cls.__name__, name, raw, str(exc))
                        error.row = number
                        raise error from None
            columns[name] = canonical
        if cls.check_consistency is not Record.check_consistency:
            names = list(checks)
            for number, values in enumerate(zip(*columns.values(), strict=True), start=1):
                record = cls.__new__(cls)
                record.__dict__.update(zip(names, values, strict=True))
                try:
                    record.check_consistency()
                except RecordError as exc:
                    exc.row = number
                    raise
        stored = [
            col if checks[name].dtype in ("str", "Int64") else _to_sql_column(col)
            for name, col in columns.items()
        ]
        return list(zip(*stored, strict=True)) if rows else []

    @classmethod
    def _row_tuple(cls, number: int, row: Any) -> tuple[Any, ...]:
        try:
            if not isinstance(row, dict):
                raise RecordError(cls.__name__, "(row)", row, "must be an object of fields")
            return cls.from_row(row).to_tuple()
        except RecordError as exc:
            exc.row = number
            raise

    def _fail(self, field_name: str, rule: str) -> None:
        value = to_sql(getattr(self, field_name))  # as the user would have typed it
        raise RecordError(type(self).__name__, field_name, value, rule)


def _to_sql_column(values: list[Any]) -> list[Any]:
    """``[to_sql(v) for v in values]``, converting each distinct value once."""
    stored = {v: to_sql(v) for v in set(values)}
    return [stored[v] for v in values]


def to_sql(value: Any) -> Any:
    """Canonical stored form of a field value."""
    kind = type(value)
    if kind is str or kind is int or value is None:
        return value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, StrEnum):
        return value.value
    return value


@dataclass(frozen=True, kw_only=True)
class Profile(Record):
    """The user: who signs the letters, and the online profiles to review after each interview."""

    __table__ = "profile"
    id: str = spec(Id(), "me")
    name: str | None = text_spec(200, line=True)
    email: str | None = spec(Email(), None)
    phone: str | None = spec(Phone(), None)
    signature: str | None = text_spec(2000)
    pitch: str | None = text_spec(2000)
    timezone: str = spec(Zone(), "UTC")
    linkedin: str | None = spec(Url(), None)
    facebook: str | None = spec(Url(), None)
    x: str | None = spec(Url(), None)
    github: str | None = spec(Url(), None)
    website: str | None = spec(Url(), None)
    #: The user's own questions to ask the interviewers, one a line (the prep sheet's).
    questions_to_ask: str | None = text_spec(4000)

    def questions(self) -> list[str]:
        """The questions to ask, one a line, blank lines and repeats left out.

        >>> Profile(questions_to_ask="Who is on the team?\\n\\n  How  is success measured?\\n"
        ...         "Who is on the team?").questions()
        ['Who is on the team?', 'How is success measured?']
        """
        lines = (" ".join(line.split()) for line in (self.questions_to_ask or "").splitlines())
        return list(dict.fromkeys(line for line in lines if line))


@dataclass(frozen=True, kw_only=True)
class Skill(Record):
    """One line of the skill rubric (user-extensible); scored 1-5 per interview."""

    __table__ = "skills"
    id: str = id_field()
    name: str = text_spec(60, required=True, line=True)
    position: int = spec(IntRange(0, 10_000), 0)
    description: str | None = text_spec(500)


@dataclass(frozen=True, kw_only=True)
class Interview(Record):
    """One interview: what happened, what they said comes next, and how it ended."""

    __table__ = "interviews"
    id: str = id_field()
    company: str = text_spec(200, required=True, line=True)
    role: str = text_spec(200, required=True, line=True)
    stage: Stage = spec(Choice(Stage), Stage.SCREEN)
    format: Format = spec(Choice(Format), Format.VIDEO)
    starts_at: datetime = spec(AwareDatetime())
    duration_minutes: int = spec(IntRange(1, 720, required=True, unit="minutes"), 60)
    location: str | None = text_spec(500, line=True)
    job_url: str | None = spec(Url(), None)
    notes: str | None = text_spec(20_000)
    process_length: str | None = text_spec(500, line=True)
    feedback_by: date | None = spec(Day(), None)
    keep_in_touch: bool | None = spec(Flag(), None)
    recall_point: str | None = text_spec(2000)
    forgotten_strength: str | None = text_spec(2000)
    predicted_chance: int | None = spec(IntRange(0, 100, unit="%"), None)
    outcome: Outcome = spec(Choice(Outcome), Outcome.PENDING)
    outcome_on: date | None = spec(Day(), None)
    created_at: datetime = spec(AwareDatetime(), factory=utc_now)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    def check_consistency(self) -> None:
        # A date can be one calendar day "before" a UTC moment in zones west of UTC.
        earliest = (self.starts_at - timedelta(days=1)).date()
        if self.feedback_by is not None and self.feedback_by < earliest:
            self._fail("feedback_by", "cannot be before the interview")
        if self.outcome_on is not None:
            if self.outcome_on < earliest:
                self._fail("outcome_on", "cannot be before the interview")
            if self.outcome == Outcome.PENDING:
                self._fail("outcome_on", "needs an outcome other than pending")


@dataclass(frozen=True, kw_only=True)
class Interviewer(Record):
    __table__ = "interviewers"
    id: str = id_field()
    interview_id: str = ref_field()
    name: str = text_spec(200, required=True, line=True)
    title: str | None = text_spec(200, line=True)
    email: str | None = spec(Email(), None)
    phone: str | None = spec(Phone(), None)
    profile_url: str | None = spec(Url(), None)
    contact_role: ContactRole = spec(Choice(ContactRole), ContactRole.INTERVIEWER)


@dataclass(frozen=True, kw_only=True)
class Question(Record):
    """A question as remembered, the answer given, and a 1-5 self-score."""

    __table__ = "questions"
    id: str = id_field()
    interview_id: str = ref_field()
    position: int = spec(IntRange(0, 10_000), 0)
    text: str = text_spec(5000, required=True)
    category: Category = spec(Choice(Category), Category.OTHER)
    answer: str | None = text_spec(20_000)
    score: int = spec(Score())
    minutes: int | None = spec(IntRange(1, 240, unit="minutes"), None)
    next_time: str | None = text_spec(5000)


@dataclass(frozen=True, kw_only=True)
class SkillScore(Record):
    __table__ = "skill_scores"
    id: str = id_field()
    interview_id: str = ref_field()
    skill: str = text_spec(60, required=True, line=True)
    score: int = spec(Score())


@dataclass(frozen=True, kw_only=True)
class PlaybookStep(Record):
    """A playbook step marked done for one interview."""

    __table__ = "playbook_steps"
    id: str = id_field()
    interview_id: str = ref_field()
    step: Step = spec(Choice(Step))
    done_at: datetime = spec(AwareDatetime())
    note: str | None = text_spec(2000)


@dataclass(frozen=True, kw_only=True)
class Reference(Record):
    """Someone who vouches for you: kept once, given for many interviews (:class:`HeadsUp`)."""

    __table__ = "references_"
    id: str = id_field()
    name: str = text_spec(200, required=True, line=True)
    relationship: str | None = text_spec(200, line=True)
    email: str | None = spec(Email(), None)
    phone: str | None = spec(Phone(), None)
    #: what they can speak to, finishing "they can speak to ...": "my work on the billing
    #: migration"
    speaks_to: str | None = text_spec(500, line=True)


@dataclass(frozen=True, kw_only=True)
class HeadsUp(Record):
    """A reference given for one interview; ``sent_at`` is when they were told that they
    may be called (None: given, not told yet)."""

    __table__ = "heads_ups"
    id: str = id_field()
    interview_id: str = ref_field()
    reference_id: str = ref_field()
    sent_at: datetime | None = spec(AwareDatetime(required=False), None)
    note: str | None = text_spec(2000)


@dataclass(frozen=True, kw_only=True)
class EmployerEvent(Record):
    """Something the employer did after the interview: feedback, a request, an offer, ..."""

    __table__ = "employer_events"
    id: str = id_field()
    interview_id: str = ref_field()
    kind: EventKind = spec(Choice(EventKind))
    at: datetime = spec(AwareDatetime())
    note: str | None = text_spec(5000)
    #: who at the employer sent it (an :class:`Interviewer` id: interviewer, recruiter, HR)
    contact_id: str | None = ref_field(required=False)


@dataclass(frozen=True, kw_only=True)
class Message(Record):
    """A drafted or sent message: thank-you, follow-up, information reply, heads-up.

    A phone call is a message with channel ``phone``: ``sent_at`` is when the call took
    place, ``subject`` its outcome in a line, ``body`` the notes (or, before the call,
    the call sheet), ``promised_on`` the new date they gave for news.
    """

    __table__ = "messages"
    id: str = id_field()
    interview_id: str | None = ref_field(required=False)
    kind: MessageKind = spec(Choice(MessageKind))
    recipient: str = text_spec(200, required=True, line=True)
    recipient_email: str | None = spec(Email(), None)
    subject: str | None = text_spec(300, line=True)
    body: str = text_spec(50_000, required=True)
    channel: Channel = spec(Choice(Channel), Channel.EMAIL)
    reply_to_event_id: str | None = ref_field(required=False)
    created_at: datetime = spec(AwareDatetime(), factory=utc_now)
    sent_at: datetime | None = spec(AwareDatetime(required=False), None)
    promised_on: date | None = spec(Day(), None)


@dataclass(frozen=True, kw_only=True)
class QuestionGroup(Record):
    """A question of the bank the user has confirmed, named, answered best or practised.

    The askings that belong to it are those pinned to it (:class:`QuestionPin`) plus any
    unpinned asking the similarity puts with them (see :mod:`afterview_analysis.questions`).
    """

    __table__ = "question_groups"
    id: str = id_field()
    title: str | None = text_spec(300, line=True)
    best_answer: str | None = text_spec(20_000)
    best_answer_at: datetime | None = spec(AwareDatetime(required=False), None)
    created_at: datetime = spec(AwareDatetime(), factory=utc_now)


@dataclass(frozen=True, kw_only=True)
class QuestionPin(Record):
    """The user's choice that an asking belongs to a group: it wins over the similarity."""

    __table__ = "question_pins"
    id: str = id_field()
    question_id: str = ref_field()
    group_id: str = ref_field()
    pinned_at: datetime = spec(AwareDatetime(), factory=utc_now)


@dataclass(frozen=True, kw_only=True)
class Practice(Record):
    """Practising a question of the bank: when, a 1-5 self-score, the improved answer."""

    __table__ = "practice"
    id: str = id_field()
    group_id: str = ref_field()
    practised_at: datetime = spec(AwareDatetime(), factory=utc_now)
    score: int = spec(Score())
    answer: str | None = text_spec(20_000)


#: Every record type by table name, parents before children (the order to insert in).
RECORD_TYPES: dict[str, type[Record]] = {
    cls.__table__: cls
    for cls in (
        Profile,
        Skill,
        Interview,
        Interviewer,
        Question,
        SkillScore,
        PlaybookStep,
        Reference,
        HeadsUp,
        EmployerEvent,
        Message,
        QuestionGroup,
        QuestionPin,
        Practice,
    )
}
