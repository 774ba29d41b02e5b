"""The journal: one SQLite file that holds every interview, and hands out tidy DataFrames.

* One file, default ``data/journal.sqlite`` at the workbook root, whichever folder the
  notebook or command runs from; ``AFTERVIEW_JOURNAL`` (or ``--journal``) points elsewhere.
* WAL mode, foreign keys on, a busy timeout, and every write one ``BEGIN IMMEDIATE``
  transaction: all of it lands or none of it does, and two open notebooks can both write.
* The schema and its ordered migrations live in :mod:`afterview_analysis.schema`; the
  version is ``PRAGMA user_version``, and a backup copy of the file is taken before any
  migration runs.

pandas is imported only by :meth:`Journal.frames`, so the CLI's quick commands stay quick.

>>> from datetime import datetime, timezone
>>> from afterview_analysis.records import Interview, Question
>>> j = Journal(":memory:")
>>> iv = Interview(company="Acme", role="Data analyst",
...                starts_at=datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc))
>>> log = j.save_interview(iv, questions=[
...     Question(interview_id=iv.id, text="Why Acme?", category="motivation", score=4)])
>>> j.get(Interview, iv.id).company
'Acme'
>>> j.frames()["questions"]["score"].tolist()
[4]
"""

from __future__ import annotations

import functools
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from afterview_analysis import schema
from afterview_analysis.records import (
    DEFAULT_SKILLS,
    RECORD_TYPES,
    AfterviewError,
    Interview,
    Interviewer,
    PlaybookStep,
    Profile,
    Question,
    Record,
    RecordError,
    Skill,
    SkillScore,
)
from afterview_analysis.schema import TABLES

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "InterviewLog",
    "Journal",
    "JournalError",
    "default_path",
    "workbook_root",
]

R = TypeVar("R", bound=Record)

BUSY_TIMEOUT_MS = 30_000


class JournalError(AfterviewError):
    """The journal refused an operation (unknown id, newer schema, not empty, ...)."""


def workbook_root() -> Path:
    """The folder holding ``notebooks/`` and ``data/``.

    The package lives in the workbook (an editable install), so its parent is the root;
    an installed copy falls back to the nearest folder above the working directory that
    has a ``notebooks`` folder, then to the working directory itself.
    """
    here = Path(__file__).resolve().parent.parent
    if (here / "pyproject.toml").is_file() and (here / "notebooks").is_dir():
        return here
    cwd = Path.cwd()
    for folder in (cwd, *cwd.parents):
        if (folder / "notebooks").is_dir() and (folder / "data").is_dir():
            return folder
    return cwd


def default_path() -> Path:
    """``$AFTERVIEW_JOURNAL`` if set, else ``<workbook root>/data/journal.sqlite``."""
    env = os.environ.get("AFTERVIEW_JOURNAL")
    if env:
        return Path(env).expanduser()
    return workbook_root() / "data" / "journal.sqlite"


@dataclass
class InterviewLog:
    """An interview with everything logged on the same form: saved and loaded as one."""

    interview: Interview
    interviewers: list[Interviewer] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    skill_scores: list[SkillScore] = field(default_factory=list)
    steps: list[PlaybookStep] = field(default_factory=list)


# --------------------------------------------------------------------------- the journal


def _serialised(method):
    """Run a reading method while holding the journal's lock (see ``Journal.__init__``)."""

    @functools.wraps(method)
    def locked(self, *args, **kwargs):
        with self._lock:
            return method(self, *args, **kwargs)

    return locked


class Journal:
    """An open journal file. Use as a context manager, or call :meth:`close`.

    ``Journal()`` opens the default journal, creating it (and its folder) if needed;
    ``Journal(path, create=False)`` refuses a missing file. ``":memory:"`` gives a
    throw-away journal for tests and examples.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, create: bool = True):
        self.path = Path(path) if path is not None else default_path()
        memory = str(self.path) == ":memory:"
        if not memory:
            if not self.path.exists() and not create:
                raise JournalError(f"no journal at {self.path} (run `afterview init` first)")
            if self.path.is_dir():
                raise JournalError(f"{self.path} is a folder, not a journal file")
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # Widget callbacks may run on ipykernel's comm thread, not the thread that opened
            # the journal: allow that, and let one thread at a time use the connection.
            self._lock = threading.RLock()
            self.conn = sqlite3.connect(
                str(self.path),
                isolation_level=None,
                timeout=BUSY_TIMEOUT_MS / 1000,
                check_same_thread=False,
            )
            self.conn.row_factory = sqlite3.Row
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self._refuse_unknown()  # before WAL mode, which would rewrite the file header
            if not memory:
                self._use_wal()
            self.conn.execute("PRAGMA synchronous = FULL")
            self._migrate()
        except JournalError:
            self.conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            if hasattr(self, "conn"):
                self.conn.close()
            raise JournalError(f"{self.path} is not a readable afterview journal: {exc}") from None

    # ---- lifecycle

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    @property
    def version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One explicit write transaction: commits on success, rolls back on any error.

        ``BEGIN IMMEDIATE`` takes the write lock up front, so a second writer waits (up to
        the busy timeout) instead of failing half-way with "database is locked".
        Nested use joins the outer transaction.
        """
        with self._lock:
            if self.conn.in_transaction:
                yield self.conn
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")

    # ---- schema

    def _refuse_unknown(self) -> None:
        """Refuse a newer journal or someone else's SQLite file, without writing to it."""
        # One statement, one snapshot: read apart, another process creating the journal at
        # the same moment could commit in between (version 0 read, then its tables seen).
        found, tables = self.conn.execute(
            "SELECT (SELECT user_version FROM pragma_user_version), "
            "(SELECT count(*) FROM sqlite_master WHERE type = 'table')"
        ).fetchone()
        if found > schema.SCHEMA_VERSION:
            raise JournalError(
                f"{self.path} was written by a newer afterview (schema version {found}; "
                f"this one knows up to {schema.SCHEMA_VERSION}); it was left untouched"
            )
        if found == 0 and tables > 0:
            raise JournalError(f"{self.path} is an SQLite file but not an afterview journal")

    def _use_wal(self) -> None:
        """Switch to WAL mode. SQLite answers "database is locked" at once, without its busy
        handler, while another process holds the file (two notebooks creating the journal
        together), so wait here, up to the busy timeout."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.005)

    def _migrate(self) -> None:
        self._refuse_unknown()
        found = self.version
        if found == schema.SCHEMA_VERSION:
            return
        if found > 0 and str(self.path) != ":memory:":
            self.backup(self.path.with_name(f"{self.path.stem}.v{found}-backup{self.path.suffix}"))
        for version in range(found + 1, schema.SCHEMA_VERSION + 1):
            with self.transaction() as conn:
                if conn.execute("PRAGMA user_version").fetchone()[0] >= version:
                    continue  # another process migrated while we waited for the lock
                for statement in schema.MIGRATIONS[version - 1]:
                    conn.execute(statement)
                if version == 1:
                    for position, name in enumerate(DEFAULT_SKILLS):
                        slug = name.replace(" ", "-")
                        self._insert(Skill(id=slug, name=name, position=position))
                conn.execute(f"PRAGMA user_version = {version}")

    def backup(self, target: str | os.PathLike[str]) -> Path:
        """Copy the whole journal, consistently, to ``target`` (SQLite's online backup)."""
        target = Path(target)
        if target.exists():
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            target = target.with_name(f"{target.stem}-{stamp}{target.suffix}")
        dest = sqlite3.connect(str(target))
        try:
            self.conn.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal
        finally:
            dest.close()
        return target

    # ---- generic record operations

    def _insert(self, record: Record) -> None:
        row = record.to_row()
        names = ", ".join(row)
        marks = ", ".join("?" * len(row))
        self.conn.execute(
            f"INSERT INTO {record.__table__} ({names}) VALUES ({marks})", tuple(row.values())
        )

    def _run(self, op: str, table: str, thunk: Any) -> Any:
        try:
            return thunk()
        except sqlite3.IntegrityError as exc:
            raise JournalError(f"cannot {op} {table} row: {_explain(exc)}") from None

    def add(self, record: Record) -> str:
        """Insert a new record; returns its id."""
        with self.transaction():
            self._run("add", record.__table__, lambda: self._insert(record))
        return record.id

    def add_many(self, records: Iterable[Record]) -> int:
        """Insert many records of any types in one transaction; returns how many."""
        by_table: dict[str, list[tuple[Any, ...]]] = {}
        for record in records:
            by_table.setdefault(record.__table__, []).append(record.to_tuple())
        with self.transaction():
            for table in TABLES:
                if by_table.get(table):
                    self.add_rows(table, by_table[table])
        return sum(len(rows) for rows in by_table.values())

    def add_rows(self, table: str, rows: Sequence[tuple[Any, ...]]) -> int:
        """Insert rows already validated by ``Record.validate_rows`` (column order); one
        transaction. Returns how many."""
        cols = RECORD_TYPES[table].columns()
        sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        with self.transaction() as conn:
            self._run("add", table, lambda: conn.executemany(sql, rows))
        return len(rows)

    def add_validated(
        self, kind: type[Record], rows: Sequence[dict[str, Any]], *, chunk: int = 50_000
    ) -> int:
        """Check rows in stored form with ``kind``'s rules and insert them, in one
        transaction; returns how many. For bulk imports.

        A bad row (or an id that repeats an earlier row's) raises RecordError with ``row``
        set to its 1-based number in ``rows``, and nothing is written. Big inputs are
        checked a chunk at a time in a helper thread while SQLite writes the previous
        chunk (the sqlite3 module lets go of the GIL while SQLite works), so checking
        costs little more than the insert itself.
        """
        batches: queue.Queue[Any] = queue.Queue(maxsize=2)
        stop = threading.Event()

        def hand_over(item: Any) -> None:
            while not stop.is_set():
                try:
                    batches.put(item, timeout=0.1)
                    return
                except queue.Full:
                    continue

        def check_all() -> None:
            seen: set[Any] = set()
            try:
                for start in range(0, len(rows), chunk):
                    if stop.is_set():
                        return
                    try:
                        batch = kind.validate_rows(rows[start : start + chunk])
                    except RecordError as exc:
                        exc.row = (exc.row or 0) + start
                        raise
                    for number, row in enumerate(batch, start=start + 1):
                        if row[0] in seen:
                            error = RecordError(kind.__name__, "id", row[0],
                                                "is a duplicate id (an earlier row has it)")
                            error.row = number
                            raise error
                        seen.add(row[0])
                    hand_over(batch)
                hand_over(None)
            except BaseException as exc:  # handed to the writing thread, raised there
                hand_over(exc)

        count = 0
        with self.transaction():
            if len(rows) <= chunk:  # small: no thread needed
                check_all()
            else:
                threading.Thread(target=check_all, name="afterview-check", daemon=True).start()
            try:
                while (batch := batches.get()) is not None:
                    if isinstance(batch, BaseException):
                        raise batch
                    count += self.add_rows(kind.__table__, batch)
            finally:
                stop.set()
        return count

    def update(self, record: Record) -> None:
        """Replace the stored record that has ``record.id`` with ``record``."""
        row = record.to_row()
        sets = ", ".join(f"{name} = ?" for name in row if name != "id")
        values = [v for name, v in row.items() if name != "id"] + [record.id]
        with self.transaction() as conn:
            cur = self._run(
                "update",
                record.__table__,
                lambda: conn.execute(f"UPDATE {record.__table__} SET {sets} WHERE id = ?", values),
            )
            if cur.rowcount == 0:
                raise JournalError(f"no {record.__table__} row with id {record.id!r}")

    def upsert(self, record: Record) -> None:
        """Update the record if its id exists, else add it."""
        with self.transaction():
            if self._exists(record.__table__, record.id):
                self.update(record)
            else:
                self.add(record)

    def delete(self, kind: type[Record], record_id: str) -> None:
        """Delete one record by id (an interview takes its questions etc. with it)."""
        with self.transaction() as conn:
            cur = self._run(
                "delete",
                kind.__table__,
                lambda: conn.execute(f"DELETE FROM {kind.__table__} WHERE id = ?", (record_id,)),
            )
            if cur.rowcount == 0:
                raise JournalError(f"no {kind.__table__} row with id {record_id!r}")

    @_serialised
    def get(self, kind: type[R], record_id: str) -> R:
        """The record of type ``kind`` with this id; JournalError if there is none."""
        row = self.conn.execute(
            f"SELECT * FROM {kind.__table__} WHERE id = ?", (record_id,)
        ).fetchone()
        if row is None:
            raise JournalError(f"no {kind.__table__} row with id {record_id!r}")
        return kind.from_row(dict(row))  # type: ignore[return-value]

    @_serialised
    def find(self, kind: type[R], /, order_by: str = "rowid", **where: Any) -> list[R]:
        """Every record of type ``kind`` whose columns equal ``where`` (all when empty)."""
        columns = kind.columns()
        for name in (*where, order_by):
            if name not in columns and name != "rowid":
                raise JournalError(f"{kind.__name__} has no field {name!r}")
        clause = " AND ".join(f"{name} IS ?" for name in where)
        sql = f"SELECT * FROM {kind.__table__}"
        if clause:
            sql += f" WHERE {clause}"
        sql += f" ORDER BY {order_by}, id"
        rows = self.conn.execute(sql, tuple(_sql(v) for v in where.values()))
        return [kind.from_row(dict(row)) for row in rows]  # type: ignore[misc]

    def _exists(self, table: str, record_id: str) -> bool:
        sql = f"SELECT 1 FROM {table} WHERE id = ?"
        return self.conn.execute(sql, (record_id,)).fetchone() is not None

    # ---- the interview as one unit

    def save_interview(
        self,
        interview: Interview,
        *,
        interviewers: Sequence[Interviewer] | None = None,
        questions: Sequence[Question] | None = None,
        skill_scores: Sequence[SkillScore] | None = None,
        steps: Sequence[PlaybookStep] | None = None,
    ) -> InterviewLog:
        """Add or update an interview and replace the child lists given, in one transaction.

        A list left as ``None`` is kept as stored; an empty list clears it. Children must
        belong to this interview.
        """
        children = {
            Interviewer: interviewers,
            Question: questions,
            SkillScore: skill_scores,
            PlaybookStep: steps,
        }
        for kind, items in children.items():
            for item in items or ():
                if item.interview_id != interview.id:
                    raise JournalError(
                        f"{kind.__name__} {item.id} belongs to interview {item.interview_id}, "
                        f"not {interview.id}"
                    )
        with self.transaction() as conn:
            self.upsert(interview)
            for kind, items in children.items():
                if items is None:
                    continue
                conn.execute(
                    f"DELETE FROM {kind.__table__} WHERE interview_id = ?", (interview.id,)
                )
                for item in items:
                    self._run("add", kind.__table__, lambda item=item: self._insert(item))
        return self.load_interview(interview.id)

    @_serialised
    def load_interview(self, interview_id: str) -> InterviewLog:
        """The interview and everything logged on its form."""
        return InterviewLog(
            interview=self.get(Interview, interview_id),
            interviewers=self.find(Interviewer, interview_id=interview_id),
            questions=self.find(Question, order_by="position", interview_id=interview_id),
            skill_scores=self.find(SkillScore, interview_id=interview_id),
            steps=self.find(PlaybookStep, interview_id=interview_id),
        )

    def skills(self) -> list[str]:
        """The rubric's skill names, in rubric order."""
        return [s.name for s in self.find(Skill, order_by="position")]

    def profile(self) -> Profile:
        return self.get(Profile, "me")

    # ---- whole-journal views

    @_serialised
    def counts(self) -> dict[str, int]:
        """Rows per table."""
        return {
            table: self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in TABLES
        }

    def is_empty(self) -> bool:
        """True when the user has logged nothing (the default rubric and profile aside)."""
        counts = self.counts()
        return all(n == 0 for table, n in counts.items() if table not in ("skills", "profile"))

    @_serialised
    def check(self) -> list[str]:
        """SQLite's integrity and foreign-key checks; an empty list means all is well."""
        problems = [
            row[0]
            for row in self.conn.execute("PRAGMA integrity_check")
            if row[0] != "ok"
        ]
        for table, rowid, parent, _ in self.conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"{table} row {rowid} points to a missing {parent} row")
        return problems

    @_serialised
    def rows(self, table: str) -> list[dict[str, Any]]:
        """Every stored row of ``table`` as plain dicts, in the order written (for export)."""
        if table not in RECORD_TYPES:
            raise JournalError(f"unknown table {table!r}")
        cols = ", ".join(RECORD_TYPES[table].columns())
        cur = self.conn.execute(f"SELECT {cols} FROM {table} ORDER BY rowid")
        return [dict(row) for row in cur]

    @_serialised
    def frame(self, table: str) -> pd.DataFrame:
        """One table as a tidy DataFrame (see :meth:`frames`)."""
        import pandas as pd

        kind = RECORD_TYPES.get(table)
        if kind is None:
            raise JournalError(f"unknown table {table!r}")
        cols = kind.columns()
        # Plain tuples, not sqlite3.Row objects, for pandas: a third less work on big tables.
        self.conn.row_factory = None
        try:
            sql = f"SELECT {', '.join(cols)} FROM {table} ORDER BY rowid"
            df = pd.read_sql_query(sql, self.conn)
        finally:
            self.conn.row_factory = sqlite3.Row
        return _typed(df, kind, self.skills())

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every table as a tidy DataFrame with proper dtypes.

        Datetimes are ``datetime64[us, UTC]``, calendar dates ``datetime64[us]``,
        vocabularies (stage, outcome, category, skill, ...) ordered-as-declared
        categoricals, optional integers ``Int64``, yes/no ``boolean``, text ``str``.
        ``interviews`` also gets ``ends_at``.
        """
        return {table: self.frame(table) for table in TABLES}


def _typed(df: pd.DataFrame, kind: type[Record], skills: list[str]) -> pd.DataFrame:
    import pandas as pd

    from afterview_analysis.records import Choice

    converted: dict[str, Any] = {}
    for name, check in kind.checks().items():
        col = df[name]
        if isinstance(check, Choice):
            cats = [m.value for m in check.enum]
            converted[name] = pd.Categorical(col, categories=cats)
        elif check.dtype == "datetime64[us, UTC]":
            converted[name] = pd.to_datetime(col, utc=True, format="ISO8601").astype(check.dtype)
        elif check.dtype == "datetime64[us]":
            converted[name] = pd.to_datetime(col, format="%Y-%m-%d").astype(check.dtype)
        elif name == "skill":
            converted[name] = pd.Categorical(col, categories=skills)
        else:
            converted[name] = col.astype(check.dtype)
    out = pd.DataFrame(converted, index=df.index, copy=False)
    if kind is Interview:
        out = out.assign(ends_at=out["starts_at"] + pd.to_timedelta(out["duration_minutes"], "m"))
    return out


def _sql(value: Any) -> Any:
    from afterview_analysis.records import to_sql

    return to_sql(value)


def _explain(exc: sqlite3.IntegrityError) -> str:
    text = str(exc)
    if "FOREIGN KEY" in text:
        return "it refers to a record that does not exist (or others still refer to it)"
    if "UNIQUE" in text:
        return f"a record with the same {text.split(':')[-1].strip()} already exists"
    if "CHECK" in text:
        return f"a value breaks the rule {text.split(':', 1)[-1].strip()}"
    if "NOT NULL" in text:
        return f"{text.split(':')[-1].strip()} is required"
    return text
