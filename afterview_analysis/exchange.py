"""Moving a journal in and out: the lossless JSON form (backup, restore, new machine).

The JSON form is one object::

    {
      "format": "afterview-journal",
      "schema_version": 2,
      "tables": {
        "profile": [ {...}, ... ],
        "skills": [ ... ],
        "interviews": [ ... ],
        ...
      }
    }

Tables appear parents first (the order to insert them in); rows appear in the order they
were written (so lists such as a form's interviewers keep their order); every
row has every column of its record, with the values exactly as the journal stores them:
ISO-8601 text for times (UTC) and dates, 0/1 for yes/no, ``null`` for missing. So
export → import into an empty journal → export gives byte-identical JSON.

Import validates every row through :mod:`afterview_analysis.records` first and then writes
everything in one transaction: a file with one bad value writes nothing, and the error
names the table, the row and the field.

>>> from afterview_analysis.journal import Journal
>>> src, dst = Journal(":memory:"), Journal(":memory:")
>>> text = export_json(src)
>>> import_json(dst, text)["skills"]
6
>>> export_json(dst) == text
True
"""

from __future__ import annotations

import json
from typing import Any

from afterview_analysis.journal import SCHEMA_VERSION, TABLES, Journal, JournalError
from afterview_analysis.records import RECORD_TYPES, AfterviewError, Record, RecordError

__all__ = ["FORMAT_NAME", "ExchangeError", "export_json", "import_json"]

FORMAT_NAME = "afterview-journal"


class ExchangeError(AfterviewError):
    """An import file that cannot be read as an afterview journal export."""


def journal_dict(journal: Journal) -> dict[str, Any]:
    """The whole journal as plain JSON-ready data (see the module docstring)."""
    return {
        "format": FORMAT_NAME,
        "schema_version": SCHEMA_VERSION,
        "tables": {table: journal.rows(table) for table in TABLES},
    }


def export_json(journal: Journal) -> str:
    """The whole journal as JSON text (UTF-8, two-space indent, trailing newline)."""
    return json.dumps(journal_dict(journal), indent=2, ensure_ascii=False) + "\n"


def parse_json(data: str | bytes) -> dict[str, list[Record]]:
    """Read an export and validate every row; returns records per table, parents first."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ExchangeError(f"the file is not UTF-8 text (byte {exc.start})") from None
    if not data.strip():
        raise ExchangeError("the file is empty")
    try:
        doc = json.loads(data)
    except json.JSONDecodeError as exc:
        raise ExchangeError(f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        raise ExchangeError("not an afterview export (nested far too deeply)") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
        raise ExchangeError(f'not an afterview export (expected "format": "{FORMAT_NAME}")')
    version = doc.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version > SCHEMA_VERSION:
        raise ExchangeError(
            f"schema_version {version!r} is not one this afterview reads (up to {SCHEMA_VERSION})"
        )
    tables = doc.get("tables")
    if not isinstance(tables, dict):
        raise ExchangeError('"tables" must be an object of table name to rows')
    unknown = sorted(set(tables) - set(RECORD_TYPES))
    if unknown:
        raise ExchangeError(f"unknown table {unknown[0]!r}")
    records: dict[str, list[Record]] = {}
    for table in TABLES:
        rows = tables.get(table, [])
        if not isinstance(rows, list):
            raise ExchangeError(f"tables.{table} must be a list of rows")
        kind = RECORD_TYPES[table]
        seen: set[str] = set()
        out = records[table] = []
        for n, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                raise ExchangeError(f"{table} row {n} must be an object")
            try:
                record = kind.from_row(row)
            except RecordError as exc:
                raise ExchangeError(f"{table} row {n}: {exc}") from None
            except TypeError as exc:
                raise ExchangeError(f"{table} row {n}: {exc}") from None
            if record.id in seen:
                raise ExchangeError(f"{table} row {n}: duplicate id {record.id!r}")
            seen.add(record.id)
            out.append(record)
    return records


def import_json(journal: Journal, data: str | bytes) -> dict[str, int]:
    """Load an export into an empty journal, all or nothing; returns rows per table.

    The export's rubric and profile replace the journal's defaults.
    """
    records = parse_json(data)
    if not journal.is_empty():
        raise ExchangeError(
            f"{journal.path} already holds interviews or messages; import into an empty "
            "journal (`afterview init --journal NEW.sqlite`)"
        )
    with journal.transaction() as conn:
        if records["profile"]:
            conn.execute("DELETE FROM profile")
        if records["skills"]:
            conn.execute("DELETE FROM skills")
        try:
            journal.add_many(r for table in TABLES for r in records[table])
        except JournalError as exc:
            raise ExchangeError(str(exc)) from None
    return {table: len(rows) for table, rows in records.items()}
