r"""Spreadsheets in and out: one CSV per table (a ``.zip`` or a folder), or one XLSX sheet
per table, formula-safe and lossless (export, then import, gives back the same text).

CSV and XLSX: one table per file (CSV) or per sheet (XLSX), a header row of column names,
then one row per record, values as the journal stores them ("" for missing in CSV).

Formula neutralisation (OWASP "CSV injection"): a spreadsheet runs a cell that starts
with = + - @ (or a tab or carriage return before one) as a formula. Every text cell that
starts with one of those characters, with a line break, with spaces before one of them,
or with a single quote, gets one extra single quote in front; import strips exactly one
leading quote from every cell. A quote is thus always an escape, so the round trip is
lossless: "'x" goes out as "''x" and comes back as "'x".

XLSX cannot hold a carriage return as such (XML turns it into a line feed), so XLSX text
also uses Office Open XML's own escape: "\r" is written "_x000D_" and a literal "_xHHHH_"
is written "_x005F_xHHHH_"; Excel shows both as intended, and import undoes them.
"""

from __future__ import annotations

import csv
import io
import json
import re
import stat
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from afterview_analysis.exchange import (
    FORMAT_NAME,
    ExchangeError,
    import_document,
    journal_dict,
)
from afterview_analysis.journal import Journal
from afterview_analysis.outputs import check_target, write_atomic, write_folder
from afterview_analysis.records import RECORD_TYPES
from afterview_analysis.schema import SCHEMA_VERSION

__all__ = [
    "export_csv",
    "export_xlsx",
    "import_csv",
    "import_xlsx",
    "neutralise",
    "parse_csv",
    "parse_xlsx",
    "restore",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "'")
CSV_MANIFEST = "afterview.json"
#: Limits for reading a CSV archive: files, bytes after decompression, bytes per cell.
MAX_ARCHIVE_FILES = 64
MAX_ARCHIVE_BYTES = 256 * 1024 * 1024
MAX_CELL_CHARS = 1_000_000
#: A member that decompresses more than this many times its size, beyond 10 MB, is a bomb.
MAX_RATIO = 100
#: Columns read from a sheet (a table has about twenty), whatever its dimension claims.
MAX_COLUMNS = 64


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, made inert with a leading ``'``.

    >>> neutralise("=HYPERLINK(...)"), neutralise("'quoted"), neutralise("plain"), neutralise(4)
    ("'=HYPERLINK(...)", "''quoted", 'plain', 4)
    >>> neutralise("  =1+1")
    "'  =1+1"
    """
    if isinstance(value, str) and (
        value.startswith(_FORMULA_START) or value.lstrip(" ").startswith(_FORMULA_START[:4])
    ):
        return "'" + value
    return value


def restore(value: Any) -> Any:
    """Undo :func:`neutralise`: strip exactly one leading ``'``.

    >>> all(restore(neutralise(t)) == t for t in ["=1", "'", "''x", "-", "ok", "", " @a"])
    True
    """
    if isinstance(value, str) and value.startswith("'"):
        return value[1:]
    return value


def _ooxml_escape(text: str) -> str:
    """Escape what Excel would read as an ``_xHHHH_`` code: carriage returns, and each
    underscore that would start such a code in the output (a carriage return after
    ``_xHHHH`` becomes one that starts with ``_``)."""
    text = re.sub(r"_(?=x[0-9A-Fa-f]{4}[_\r])", "_x005F_", text)
    return text.replace("\r", "_x000D_")


def _ooxml_unescape(text: str) -> str:
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)


def _document(source: Journal | dict[str, Any]) -> dict[str, Any]:
    return journal_dict(source) if isinstance(source, Journal) else source


def export_csv(
    source: Journal | dict[str, Any], target: str | Path, *, journal: Path | None = None
) -> Path:
    """Write one CSV file per table: into a ``.zip`` archive, or else into a folder.

    Files are ``<table>.csv`` (UTF-8 with a byte-order mark, so Excel reads accents right;
    Excel's CSV dialect) plus ``afterview.json`` naming the format and schema version.
    ``source`` is a journal or a document as :func:`journal_dict` or :func:`anonymize`
    return. Written all or nothing (:mod:`afterview_analysis.outputs`), never over
    ``journal`` (default: ``source``'s file) or any SQLite file. Returns the path written.

    >>> import tempfile
    >>> from afterview_analysis.journal import Journal
    >>> folder = Path(tempfile.mkdtemp())
    >>> path = export_csv(Journal(":memory:"), folder / "backup.zip")
    >>> sorted(zipfile.ZipFile(path).namelist())[:3]
    ['afterview.json', 'employer_events.csv', 'heads_ups.csv']
    """
    doc = _document(source)
    journal = journal or (source.path if isinstance(source, Journal) else None)
    target = check_target(target, journal=journal)
    files = {f"{table}.csv": _csv_text(table, rows) for table, rows in doc["tables"].items()}
    manifest = {"format": "afterview-csv", "schema_version": doc["schema_version"]}
    files[CSV_MANIFEST] = json.dumps(manifest, indent=2) + "\n"
    encoded = {
        name: text.encode("utf-8-sig" if name.endswith(".csv") else "utf-8")
        for name, text in files.items()
    }
    if target.suffix.lower() == ".zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in encoded.items():
                archive.writestr(name, data)
        return write_atomic(target, buffer.getvalue(), journal=journal)
    return write_folder(target, encoded, journal=journal)


def _csv_text(table: str, rows: list[dict[str, Any]]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, dialect="excel")
    columns = RECORD_TYPES[table].columns()
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else neutralise(row[c]) for c in columns])
    return out.getvalue()


def export_xlsx(
    source: Journal | dict[str, Any], target: str | Path, *, journal: Path | None = None
) -> Path:
    """Write one worksheet per table to an ``.xlsx`` workbook (openpyxl); returns its path.

    Text is neutralised as for CSV, so no cell is ever a formula; times stay ISO-8601 text.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    doc = _document(source)
    journal = journal or (source.path if isinstance(source, Journal) else None)
    target = check_target(target, journal=journal)
    book = Workbook()
    book.remove(book.active)
    for table, rows in doc["tables"].items():
        sheet = book.create_sheet(table)
        columns = RECORD_TYPES[table].columns()
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in rows:
            values = []
            for c in columns:
                value = neutralise(row.get(c))
                values.append(_ooxml_escape(value) if isinstance(value, str) else value)
            sheet.append(values)
    meta = book.create_sheet("afterview")
    meta.append(["format", "afterview-xlsx"])
    meta.append(["schema_version", doc["schema_version"]])
    buffer = io.BytesIO()
    book.save(buffer)
    return write_atomic(target, buffer.getvalue(), journal=journal)


def _typed_cells(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """Cells read from a spreadsheet, back to the stored form: "" -> None, 0/1 flags."""
    from afterview_analysis.records import Flag

    checks = RECORD_TYPES[table].checks()
    out: dict[str, Any] = {}
    for name, value in row.items():
        value = restore(value)
        if value == "":
            value = None
        elif isinstance(checks.get(name), Flag) and value in ("0", "1"):
            value = int(value)
        out[name] = value
    return out


def _table_from_cells(table: str, where: str, header: list[Any], body: Iterable[list[Any]]):
    columns = RECORD_TYPES[table].columns()
    names = [str(h) if h is not None else "" for h in header]
    for name in names:
        if name not in columns:
            raise ExchangeError(f"{where}: unknown column {name[:60]!r} in the header")
    if len(set(names)) != len(names):
        raise ExchangeError(f"{where}: a column appears twice in the header")
    rows = []
    for n, cells in enumerate(body, start=1):
        if len(cells) != len(names):
            if not any(c not in (None, "") for c in cells):
                continue  # a blank line
            raise ExchangeError(
                f"{where} row {n}: {len(cells)} cells but the header has {len(names)}"
            )
        rows.append(_typed_cells(table, dict(zip(names, cells, strict=True))))
    return rows


def _read_csv_file(table: str, name: str, data: bytes) -> list[dict[str, Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExchangeError(f"{name} is not UTF-8 text (byte {exc.start})") from None
    if not text.strip():
        raise ExchangeError(f"{name} is empty (it needs at least the header row)")
    old_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CELL_CHARS)
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), dialect="excel", strict=True))
    except csv.Error as exc:
        raise ExchangeError(f"{name} is not valid CSV: {exc}") from None
    finally:
        csv.field_size_limit(old_limit)
    return _table_from_cells(table, name, lines[0], lines[1:])


def _regular_file(path: Path) -> Path:
    """``path`` if it is a regular file (a symlink to one is fine); a FIFO, a device or a
    socket would block or never end, so it is refused before it is opened."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise ExchangeError(f"cannot read {path}: {(exc.strerror or str(exc)).lower()}") from None
    if not stat.S_ISREG(mode):
        raise ExchangeError(f"{path} is not a regular file (a pipe, device or socket?)")
    return path


def _check_archive(archive: zipfile.ZipFile, what: str) -> None:
    """Refuse an archive that holds too many files or would decompress to too much,
    judging by what it declares (reading never yields more than that)."""
    infos = archive.infolist()
    total = sum(i.file_size for i in infos)
    if len(infos) > MAX_ARCHIVE_FILES or total > MAX_ARCHIVE_BYTES:
        raise ExchangeError(f"the {what} holds too much to be an afterview export "
                            f"({len(infos)} files, {total:,} bytes unpacked)")
    for info in infos:
        if info.file_size > 10 * 1024 * 1024 and info.file_size > MAX_RATIO * max(
                info.compress_size, 1):
            raise ExchangeError(f"{info.filename[:60]!r} in the {what} unpacks to "
                                f"{info.file_size:,} bytes, over {MAX_RATIO} times its "
                                "packed size: refused as a zip bomb")


def _csv_files(path: Path | bytes) -> dict[str, bytes]:
    """The files of a CSV export (folder, .zip path, or .zip bytes) by name."""
    if isinstance(path, Path) and path.is_dir():
        found = {p.name: p for p in sorted(path.iterdir())
                 if p.suffix.lower() in (".csv", ".json")}
        for p in found.values():
            _regular_file(p)
        too_big = sum(p.stat().st_size for p in found.values()) > MAX_ARCHIVE_BYTES
        if too_big or len(found) > MAX_ARCHIVE_FILES:
            raise ExchangeError(f"{path} holds too much to be an afterview export")
        return {name: p.read_bytes() for name, p in found.items()}
    data = path if isinstance(path, bytes) else _regular_file(path).read_bytes()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ExchangeError("not a zip archive of CSV files") from None
    _check_archive(archive, "archive")
    files: dict[str, bytes] = {}
    for info in archive.infolist():
        if info.is_dir():
            continue
        if "/" in info.filename or "\\" in info.filename:
            raise ExchangeError(f"unexpected path {info.filename[:60]!r} in the archive")
        try:
            files[info.filename] = archive.read(info)
        except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, ValueError,
                EOFError, zlib.error) as exc:
            raise ExchangeError(f"cannot read {info.filename[:60]!r}: {_short(exc)}") from None
    return files


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:120] or type(exc).__name__


def parse_csv(source: str | Path | bytes) -> dict[str, Any]:
    """Read a CSV export (folder, ``.zip`` path or zip bytes) into an export document.

    Checks the file names and headers; the values are validated by :func:`import_csv`.
    """
    files = _csv_files(Path(source) if isinstance(source, str) else source)
    version = SCHEMA_VERSION
    if CSV_MANIFEST in files:
        try:
            manifest = json.loads(files.pop(CSV_MANIFEST).decode("utf-8"))
            version = manifest["schema_version"]
        except (ValueError, KeyError, TypeError):
            raise ExchangeError(f"{CSV_MANIFEST} is not an afterview manifest") from None
    tables: dict[str, list[dict[str, Any]]] = {}
    for name, data in sorted(files.items()):
        table = name.removesuffix(".csv")
        if not name.endswith(".csv") or table not in RECORD_TYPES:
            raise ExchangeError(f"unexpected file {name[:60]!r} (expected <table>.csv)")
        tables[table] = _read_csv_file(table, name, data)
    if not tables:
        raise ExchangeError("no <table>.csv files found")
    return {"format": FORMAT_NAME, "schema_version": version, "tables": tables}


def parse_xlsx(source: str | Path | bytes) -> dict[str, Any]:
    """Read an XLSX export back into an export document (see :func:`export_xlsx`).

    Whatever the workbook claims (a sheet's ``dimension`` of a million rows, members that
    unpack a hundredfold), only what is there is read, a row at a time, at most
    :data:`MAX_COLUMNS` columns wide; any cell or XML that cannot be read is one line.
    """
    from openpyxl import load_workbook

    data = source if isinstance(source, bytes) else _regular_file(Path(source)).read_bytes()
    try:
        _check_archive(zipfile.ZipFile(io.BytesIO(data)), "workbook")
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ExchangeError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ExchangeError(f"not a readable .xlsx workbook ({type(exc).__name__})") from None
    try:
        tables: dict[str, list[dict[str, Any]]] = {}
        version: Any = SCHEMA_VERSION
        for sheet in book.worksheets:
            title = str(sheet.title)
            try:
                if title == "afterview":
                    version = _xlsx_meta(sheet).get("schema_version", version)
                    continue
                if title not in RECORD_TYPES:
                    raise ExchangeError(f"unexpected sheet {title[:60]!r}")
                tables[title] = _xlsx_table(sheet, title)
            except ExchangeError:
                raise
            except Exception as exc:  # bad XML, a number or date cell that is not one
                raise ExchangeError(
                    f"sheet {title[:60]}: cannot be read ({type(exc).__name__}: {_short(exc)})"
                ) from None
    finally:
        book.close()
    return {"format": FORMAT_NAME, "schema_version": version, "tables": tables}


def _sheet_rows(sheet: Any) -> Iterator[list[Any]]:
    """The rows of a read-only sheet that hold something, unescaped; blank rows skipped."""
    sheet.reset_dimensions()  # never trust the stored dimension: read what is there
    for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
        if any(v not in (None, "") for v in row):
            yield [_ooxml_unescape(v) if isinstance(v, str) else v for v in row]


def _xlsx_meta(sheet: Any) -> dict[Any, Any]:
    return {r[0]: r[1] for r in _sheet_rows(sheet) if len(r) >= 2}


def _xlsx_table(sheet: Any, title: str) -> list[dict[str, Any]]:
    rows = _sheet_rows(sheet)
    header = next(rows, None)
    if header is None:
        raise ExchangeError(f"sheet {title} is empty (it needs the header row)")
    while header and header[-1] is None:
        header.pop()
    body = (r[: len(header)] if not any(r[len(header):]) else r for r in rows)
    return _table_from_cells(title, title, header, body)


def import_csv(journal: Journal, source: str | Path | bytes) -> dict[str, int]:
    """Load a CSV export (folder or zip) into an empty journal, all or nothing.

    >>> import tempfile
    >>> from afterview_analysis.journal import Journal
    >>> from afterview_analysis.records import Interview
    >>> src = Journal(":memory:")
    >>> _ = src.add(Interview(company="=Acme", role="Analyst", starts_at="2026-03-02T09:30Z"))
    >>> path = export_csv(src, Path(tempfile.mkdtemp()) / "out.zip")
    >>> dst = Journal(":memory:")
    >>> import_csv(dst, path)["interviews"], dst.rows("interviews")[0]["company"]
    (1, '=Acme')
    """
    return import_document(journal, parse_csv(source))


def import_xlsx(journal: Journal, source: str | Path | bytes) -> dict[str, int]:
    """Load an XLSX export into an empty journal, all or nothing."""
    return import_document(journal, parse_xlsx(source))
