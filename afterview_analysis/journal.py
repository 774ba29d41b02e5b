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

import contextlib
import errno
import functools
import os
import secrets
import shutil
import sqlite3
import threading
import time
import urllib.parse
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
    "JournalDamagedError",
    "JournalError",
    "default_path",
    "workbook_root",
]

R = TypeVar("R", bound=Record)

BUSY_TIMEOUT_MS = 30_000


class JournalError(AfterviewError):
    """The journal refused an operation (unknown id, newer schema, not empty, ...)."""


class JournalDamagedError(JournalError):
    """The journal file is corrupt: SQLite cannot read it."""


def _is_damage(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


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

    Only afterview journals are opened: another program's SQLite file, a journal from a
    newer afterview, or an empty file (unless ``init=True``, as ``afterview init`` does) is
    refused with :class:`JournalError` before anything is written to it. A file or folder
    this process cannot write to opens read-only (``read_only`` is then True): reading
    works, and a write fails with a sentence saying so.
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        create: bool = True,
        init: bool = False,
    ):
        self.path = Path(path) if path is not None else default_path()
        self.read_only = False
        self._init = init
        memory = str(self.path) == ":memory:"
        # Widget callbacks may run on ipykernel's comm thread, not the thread that opened
        # the journal: allow that, and let one thread at a time use the connection.
        self._lock = threading.RLock()
        try:
            if memory:
                self.conn = _connect(":memory:")
                _migrate_connection(self.conn, 0)
                return
            self._prepare_file(create=create, init=init)
            _inspect(self.path, fresh_ok=init)  # a look that writes nothing: refuse early
            self.read_only = not _writable(self.path)
            self.conn = _connect(self.path, read_only=self.read_only)
            self._refuse_unknown()  # the same verdict on the connection that will be used
            if not self.read_only:
                self._use_wal()
            self.conn.execute("PRAGMA synchronous = FULL")
            self._migrate()
        except BaseException as exc:
            if hasattr(self, "conn"):
                self.conn.close()
            if isinstance(exc, sqlite3.Error):
                kind = JournalDamagedError if _is_damage(exc) else JournalError
                raise kind(describe_sqlite_error(exc, self.path)) from None
            if isinstance(exc, OSError):
                raise JournalError(_os_sentence(exc, self.path)) from None
            raise

    def _prepare_file(self, *, create: bool, init: bool) -> None:
        """Make sure a journal file is there: refuse a folder or a missing file (unless
        ``create``), and make a new journal (or, with ``init``, fill an empty file) whole,
        in a temporary file renamed into place."""
        path = self.path
        if path.is_dir():
            raise JournalError(f"{path} is a folder, not a journal file")
        if path.exists() and not path.is_file():
            raise JournalError(f"{path} is not a regular file (a device or pipe?)")
        if path.exists():
            if path.stat().st_size == 0:
                if not init:
                    raise JournalError(
                        f"{path} is an empty file, not a journal; it was left untouched "
                        "(`afterview init --journal PATH` makes it one)"
                    )
                _create_file(path, replace_empty=True)
            else:
                with path.open("rb") as f:
                    if f.read(16) != b"SQLite format 3\x00":
                        raise JournalError(
                            f"{path} is not an afterview journal (not even an SQLite "
                            "file); it was left untouched"
                        )
            return
        if not create:
            raise JournalError(f"no journal at {path} (run `afterview init` first)")
        path.parent.mkdir(parents=True, exist_ok=True)
        _create_file(path)

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
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise JournalError(describe_sqlite_error(exc, self.path)) from None
            try:
                yield self.conn
            except BaseException as exc:
                with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back itself
                    self.conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error) and not isinstance(exc, sqlite3.IntegrityError):
                    raise JournalError(describe_sqlite_error(exc, self.path)) from None
                raise
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
                raise JournalError(describe_sqlite_error(exc, self.path)) from None

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every read inside sees the journal at one moment, however
        other connections write meanwhile (WAL keeps that moment for us). Nested use joins
        the outer transaction."""
        with self._lock:
            if self.conn.in_transaction:
                yield self.conn
                return
            self.conn.execute("BEGIN")
            try:
                yield self.conn
            finally:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")  # it only read: nothing to keep

    # ---- schema

    def _refuse_unknown(self) -> None:
        """Refuse a newer journal or someone else's SQLite file, without writing to it."""
        problem = _verdict(self.conn, self.path, fresh_ok=self._init)
        if problem:
            raise JournalError(problem)

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
        found = self.version
        if found == schema.SCHEMA_VERSION:
            return
        if self.read_only:
            raise JournalError(
                f"{self.path} is from an earlier afterview and must be upgraded, but it is "
                "read-only; make the file and its folder writable once, then try again"
            )
        self.backup(self.path.with_name(f"{self.path.stem}.v{found}-backup{self.path.suffix}"))
        _migrate_connection(self.conn, found, lock=self._lock)

    def backup(self, target: str | os.PathLike[str]) -> Path:
        """Copy the whole journal, consistently, to ``target`` (SQLite's online backup).

        An existing file is never overwritten (the copy gets a time stamp in its name); the
        copy is made in a temporary file and renamed into place, so a full disk leaves no
        half-written backup."""
        target = Path(target)
        if target.exists():
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            target = target.with_name(f"{target.stem}-{stamp}{target.suffix}")
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            dest = sqlite3.connect(str(tmp))
            try:
                with self._lock:
                    self.conn.backup(dest)
                dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            finally:
                dest.close()
            os.replace(tmp, target)
        except (sqlite3.Error, OSError) as exc:
            for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
                leftover.unlink(missing_ok=True)
            why = (describe_sqlite_error(exc, target) if isinstance(exc, sqlite3.Error)
                   else _os_sentence(exc, target))
            raise JournalError(f"cannot back up the journal: {why}") from None
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
        self, kind: type[Record], rows: Sequence[dict[str, Any]], *, chunk: int = 20_000
    ) -> int:
        """Check rows in stored form with ``kind``'s rules and insert them, in one
        transaction; returns how many. For bulk imports.

        Rows are checked and inserted a chunk at a time, so memory holds one chunk's tuples
        beside the input. A bad row (or an id that repeats an earlier row's) raises
        RecordError with ``row`` set to its 1-based number in ``rows``, and nothing is
        written.
        """
        seen: set[Any] = set()
        count = 0
        with self.transaction():
            for start in range(0, len(rows), chunk):
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
                count += self.add_rows(kind.__table__, batch)
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
        """SQLite's integrity and foreign-key checks; an empty list means all is well.

        A file too damaged to check gives one problem saying so, not an exception."""
        try:
            problems = [
                row[0]
                for row in self.conn.execute("PRAGMA integrity_check")
                if row[0] != "ok"
            ]
            for table, rowid, parent, _ in self.conn.execute("PRAGMA foreign_key_check"):
                problems.append(f"{table} row {rowid} points to a missing {parent} row")
        except sqlite3.DatabaseError as exc:
            return [describe_sqlite_error(exc, self.path)]
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


# --------------------------------------------------------------------------- opening


def _connect(path: str | Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection with afterview's settings; ``read_only`` opens without ever writing
    (for a file or folder the user cannot write to, and for a first look at a file)."""
    target: str = str(path)
    uri = False
    if read_only and target != ":memory:":
        path = Path(path).absolute()
        target = f"file:{urllib.parse.quote(str(path))}?mode=ro"
        wal = path.with_name(path.name + "-wal")
        if not os.access(path.parent, os.W_OK) and not wal.exists():
            # SQLite cannot make the -shm file it would need; nobody can be writing (a
            # writer would need a -wal here), so the file reads as it is.
            target += "&immutable=1"
        uri = True
    conn = sqlite3.connect(
        target,
        isolation_level=None,
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,
        uri=uri,
    )
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _writable(path: Path) -> bool:
    """Can this process change the journal (the file, and its folder for the -wal file)?"""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _migrate_connection(conn: sqlite3.Connection, found: int, lock: Any = None) -> None:
    """Run the migrations after version ``found``, each in its own transaction."""
    with lock or contextlib.nullcontext():
        for version in range(found + 1, schema.SCHEMA_VERSION + 1):
            conn.execute("BEGIN IMMEDIATE")
            try:
                if conn.execute("PRAGMA user_version").fetchone()[0] >= version:
                    conn.execute("ROLLBACK")
                    continue  # another process migrated while we waited for the lock
                for statement in schema.MIGRATIONS[version - 1]:
                    conn.execute(statement)
                if version == 1:
                    for position, name in enumerate(DEFAULT_SKILLS):
                        row = Skill(id=name.replace(" ", "-"), name=name,
                                    position=position).to_row()
                        conn.execute(
                            f"INSERT INTO skills ({', '.join(row)}) "
                            f"VALUES ({', '.join('?' * len(row))})",
                            tuple(row.values()),
                        )
                conn.execute(f"PRAGMA user_version = {version}")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")


def _create_file(path: Path, *, replace_empty: bool = False) -> None:
    """A new journal at ``path``, made whole in a temporary file beside it and then put in
    place in one step, so nobody ever sees a half-made journal (or an empty file: an empty
    file is someone else's, see :func:`_verdict`). If another process puts its journal
    there first, that one is kept."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.creating")
    try:
        conn = _connect(tmp)
        try:
            _migrate_connection(conn, 0)
        finally:
            conn.close()
        if replace_empty:
            if path.stat().st_size == 0:
                os.replace(tmp, path)
            return
        try:
            os.link(tmp, path)  # fails if the file appeared meanwhile: keep that one
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(tmp, path)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            leftover.unlink(missing_ok=True)


def _shape(conn: sqlite3.Connection) -> dict[str, tuple[str, ...]]:
    """Each table's column names: how an afterview journal is recognised before the
    application id marked it."""
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {
        name: tuple(r[0] for r in conn.execute("SELECT name FROM pragma_table_info(?)", (name,)))
        for name in names
    }


def _expected_shape(version: int) -> dict[str, tuple[str, ...]]:
    conn = sqlite3.connect(":memory:")
    try:
        for step in schema.MIGRATIONS[:version]:
            for statement in step:
                conn.execute(statement)
        return _shape(conn)
    finally:
        conn.close()


def _verdict(conn: sqlite3.Connection, path: Path, *, fresh_ok: bool) -> str | None:
    """None if this is an afterview journal this code may open, else why not (a sentence).

    Reads only. A journal carries :data:`schema.APPLICATION_ID`; one from before that mark
    (versions below :data:`schema.MARKED_SINCE`) must have exactly the tables and columns
    its version had. An SQLite file with no tables at all becomes a journal only with
    ``fresh_ok`` (``afterview init``)."""
    app_id, version, objects = conn.execute(
        "SELECT (SELECT application_id FROM pragma_application_id), "
        "(SELECT user_version FROM pragma_user_version), "
        "(SELECT count(*) FROM sqlite_master)"
    ).fetchone()
    untouched = "it was left untouched"
    if app_id == schema.APPLICATION_ID:
        if version > schema.SCHEMA_VERSION:
            return (f"{path} was written by a newer afterview (schema version {version}; "
                    f"this one knows up to {schema.SCHEMA_VERSION}); {untouched}")
        return None
    if app_id != 0:
        return (f"{path} is another program's SQLite file (application id {app_id}), "
                f"not an afterview journal; {untouched}")
    if version == 0 and objects == 0:
        if fresh_ok:
            return None
        return (f"{path} is an empty SQLite file, not a journal; {untouched} "
                "(`afterview init --journal PATH` makes it one)")
    if 0 < version < schema.MARKED_SINCE and _shape(conn) == _expected_shape(version):
        return None
    return f"{path} is an SQLite file but not an afterview journal; {untouched}"


def _inspect(path: Path, *, fresh_ok: bool) -> None:
    """Look at ``path`` through a read-only connection and refuse it (JournalError) if it is
    not an afterview journal this code may open: nothing is written to a refused file, and
    the -wal and -shm files SQLite makes for a look are removed again."""
    companions = [path.with_name(path.name + s) for s in ("-wal", "-shm")]
    existed = [p.exists() for p in companions]
    try:
        conn = _connect(path, read_only=True)
        try:
            problem = _verdict(conn, path, fresh_ok=fresh_ok)
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        # A crash left a hot rollback journal (or a WAL index) that only a writer can
        # recover, as any SQLite program opening the file would: look again as one.
        if "readonly" not in str(exc) or not _writable(path):
            raise
        conn = _connect(path)
        try:
            problem = _verdict(conn, path, fresh_ok=fresh_ok)
        finally:
            conn.close()
    if problem:
        for companion, was_there in zip(companions, existed, strict=True):
            if not was_there:
                with contextlib.suppress(OSError):
                    companion.unlink()
        raise JournalError(problem)


def _os_sentence(exc: OSError, path: Path) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"the disk holding {path} is full; free some space and try again"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"no permission to write beside {path} (a read-only folder?)"
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return f"cannot use {path}: a part of the path is a file, not a folder"
    return f"cannot use {path}: {(exc.strerror or str(exc)).lower()}"


def _nearly_full(path: str | os.PathLike[str]) -> bool:
    try:
        return shutil.disk_usage(Path(path).absolute().parent).free < 4 * 1024 * 1024
    except OSError:
        return False


def describe_sqlite_error(exc: BaseException, path: str | os.PathLike[str]) -> str:
    """One sentence for an SQLite failure: what happened to which file, and what to do.

    >>> print(describe_sqlite_error(sqlite3.OperationalError("database or disk is full"), "j"))
    the disk holding j is full: nothing was written; free some space and try again
    """
    text = str(exc).lower()
    if "disk i/o" in text and _nearly_full(path):  # how a full tmpfs often shows
        text = "database or disk is full"
    if "full" in text:
        return (f"the disk holding {path} is full: nothing was written; free some space "
                "and try again")
    if "locked" in text or "busy" in text:
        return (f"{path} is locked by another program (a long write, or a tool holding it "
                "open): nothing was written; close that program and try again")
    if "readonly" in text or "read-only" in text:
        return (f"{path} is read-only (the file or its folder): it can be read but not "
                "changed; nothing was written")
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return (f"{path} is damaged (SQLite: {exc}); nothing was written: restore your "
                "latest backup (afterview import) or the journal.v*-backup file beside it")
    if "unable to open" in text:
        return f"cannot open {path}: check that its folder exists and can be read"
    if "disk i/o" in text:
        return f"reading or writing {path} failed (a disk error): nothing was written"
    return f"{path}: SQLite failed ({exc}); nothing was written"


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
