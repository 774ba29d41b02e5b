"""Moving a journal in and out: the lossless JSON form (backup, restore, new machine).

The JSON form is one object::

    {
      "format": "afterview-journal",
      "schema_version": 3,
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

CSV and XLSX live in :mod:`afterview_analysis.spreadsheets`, anonymised copies in
:mod:`afterview_analysis.anonymize`; :func:`export_to` and :func:`import_path` pick the
right one for the command line.

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
import stat
from datetime import datetime
from pathlib import Path
from typing import Any

from afterview_analysis.journal import Journal, JournalError
from afterview_analysis.records import RECORD_TYPES, AfterviewError, RecordError
from afterview_analysis.schema import SCHEMA_VERSION, TABLES

__all__ = [
    "FORMAT_NAME",
    "ExchangeError",
    "export_json",
    "export_to",
    "import_document",
    "import_json",
    "import_path",
    "journal_dict",
    "read_json",
]

FORMAT_NAME = "afterview-journal"


class ExchangeError(AfterviewError):
    """An import file that cannot be read as an afterview journal export."""


def journal_dict(journal: Journal) -> dict[str, Any]:
    """The whole journal as plain JSON-ready data (see the module docstring).

    Every table is read in one read transaction: the document is one moment of the
    journal, whatever other notebooks or commands write meanwhile.
    """
    with journal.snapshot():
        tables = {table: journal.rows(table) for table in TABLES}
    return {"format": FORMAT_NAME, "schema_version": SCHEMA_VERSION, "tables": tables}


def export_json(journal: Journal) -> str:
    """The whole journal as JSON text (UTF-8, two-space indent, trailing newline)."""
    return json.dumps(journal_dict(journal), indent=2, ensure_ascii=False) + "\n"


def read_json(data: str | bytes) -> dict[str, list[dict[str, Any]]]:
    """Read an export and check its shape; returns the raw rows per table, parents first.

    The rows themselves are validated on import (:meth:`Journal.add_validated`).
    """
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
    except ValueError as exc:  # e.g. an integer of thousands of digits
        text = " ".join(str(exc).split())[:120]
        raise ExchangeError(f"not an afterview export: {text}") from None
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
    out: dict[str, list[dict[str, Any]]] = {}
    for table in TABLES:
        rows = out[table] = tables.get(table, [])
        if not isinstance(rows, list):
            raise ExchangeError(f"tables.{table} must be a list of rows")
        for n, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                raise ExchangeError(f"{table} row {n} must be an object")
    return out


def import_json(journal: Journal, data: str | bytes) -> dict[str, int]:
    """Load an export into an empty journal, all or nothing; returns rows per table.

    Every row is checked with the records' rules; the first bad one stops the import
    with its table, row number and field, and nothing is written. The export's rubric
    and profile replace the journal's defaults.
    """
    tables = read_json(data)
    if not journal.is_empty():
        raise ExchangeError(
            f"{journal.path} already holds interviews or messages; import into an empty "
            "journal (`afterview init --journal NEW.sqlite`)"
        )
    counts: dict[str, int] = {}
    with journal.transaction() as conn:
        if tables["profile"]:
            conn.execute("DELETE FROM profile")
        if tables["skills"]:
            conn.execute("DELETE FROM skills")
        for table in TABLES:
            try:
                counts[table] = journal.add_validated(RECORD_TYPES[table], tables[table])
            except RecordError as exc:
                raise ExchangeError(f"{table} row {exc.row}: {exc}") from None
            except JournalError as exc:
                raise ExchangeError(str(exc)) from None
    return counts


def import_document(journal: Journal, doc: dict[str, Any]) -> dict[str, int]:
    """Validate and load an export document into an empty journal, all or nothing."""
    try:
        text = json.dumps(doc, allow_nan=False)
    except (TypeError, ValueError):
        raise ExchangeError("the file holds values that are not text or numbers") from None
    return import_json(journal, text)


def import_path(journal: Journal, path: str | Path) -> dict[str, int]:
    """Import whatever ``path`` is: a CSV folder, a ``.zip`` of CSVs, an ``.xlsx``, or JSON."""
    from afterview_analysis.spreadsheets import import_csv, import_xlsx

    path = Path(path)
    try:
        if path.is_dir():
            return import_csv(journal, path)
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            raise ExchangeError(f"{path} is not a regular file (a pipe, device or socket?)")
        data = path.read_bytes()
    except OSError as exc:
        raise ExchangeError(f"cannot read {path}: {(exc.strerror or str(exc)).lower()}") from None
    if path.suffix.lower() == ".xlsx":
        return import_xlsx(journal, data)
    if data.startswith(b"PK\x03\x04") or path.suffix.lower() == ".zip":
        return import_csv(journal, data)
    return import_json(journal, data)


def export_to(
    journal: Journal,
    fmt: str = "json",
    out: str | Path | None = None,
    *,
    anonymized: bool = False,
    keep_notes: bool = False,
) -> tuple[Path | None, str | None]:
    """Export in ``fmt`` (json, csv, xlsx), anonymized or not; for the CLI.

    Returns ``(path written, None)``, or ``(None, JSON text)`` for JSON without ``out``.
    CSV and XLSX without ``out`` go to ``exports/`` at the workbook root (git-ignored).
    """
    from afterview_analysis.anonymize import anonymize, key_path
    from afterview_analysis.journal import workbook_root
    from afterview_analysis.outputs import check_target, write_atomic
    from afterview_analysis.spreadsheets import export_csv, export_xlsx

    if keep_notes and not anonymized:
        raise ExchangeError("--keep-notes only applies with --anonymize")
    if fmt not in ("json", "csv", "xlsx"):
        raise ExchangeError(f"unknown format {fmt!r} (json, csv or xlsx)")
    if out is None and fmt != "json":
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        kind = "anonymized" if anonymized else "journal"
        suffix = ".zip" if fmt == "csv" else ".xlsx"
        out = workbook_root() / "exports" / f"{kind}-{stamp}{suffix}"
    if out is not None:
        check_target(out, journal=journal.path)  # before any work
    new_key = anonymized and str(journal.path) != ":memory:" and not key_path(journal).exists()
    try:
        doc = anonymize(journal, keep_notes=keep_notes) if anonymized else journal_dict(journal)
        if fmt == "json":
            text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
            if out is None:
                return None, text
            return write_atomic(out, text.encode("utf-8"), journal=journal.path), None
        if fmt == "csv":
            return export_csv(doc, out, journal=journal.path), None
        return export_xlsx(doc, out, journal=journal.path), None
    except BaseException:
        if new_key:  # a failed export leaves nothing behind, not even a new key
            key_path(journal).unlink(missing_ok=True)
        raise
