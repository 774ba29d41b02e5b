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

import base64
import contextlib
import csv
import hashlib
import hmac
import io
import json
import re
import secrets
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from afterview_analysis.journal import SCHEMA_VERSION, TABLES, Journal, JournalError
from afterview_analysis.records import RECORD_TYPES, AfterviewError, RecordError

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


# --------------------------------------------------------------------------- spreadsheets
# CSV and XLSX: one table per file (CSV) or per sheet (XLSX), a header row of column names,
# then one row per record, values as the journal stores them ("" for missing in CSV).
#
# Formula neutralisation (OWASP "CSV injection"): a spreadsheet runs a cell that starts
# with = + - @ (or a tab or carriage return before one) as a formula. Every text cell that
# starts with one of those characters, with a line break, with spaces before one of them,
# or with a single quote, gets one extra single quote in front; import strips exactly one
# leading quote from every cell. A quote is thus always an escape, so the round trip is
# lossless: "'x" goes out as "''x" and comes back as "'x".
#
# XLSX cannot hold a carriage return as such (XML turns it into a line feed), so XLSX text
# also uses Office Open XML's own escape: "\r" is written "_x000D_" and a literal "_xHHHH_"
# is written "_x005F_xHHHH_"; Excel shows both as intended, and import undoes them.

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "'")
CSV_MANIFEST = "afterview.json"
#: Limits for reading a CSV archive: files, bytes after decompression, bytes per cell.
MAX_ARCHIVE_FILES = 64
MAX_ARCHIVE_BYTES = 512 * 1024 * 1024
MAX_CELL_CHARS = 1_000_000


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


def export_csv(source: Journal | dict[str, Any], target: str | Path) -> Path:
    """Write one CSV file per table: into a ``.zip`` archive, or else into a folder.

    Files are ``<table>.csv`` (UTF-8 with a byte-order mark, so Excel reads accents right;
    Excel's CSV dialect) plus ``afterview.json`` naming the format and schema version.
    ``source`` is a journal or a document as :func:`journal_dict` or :func:`anonymize`
    return. Returns the path written.

    >>> import tempfile
    >>> from afterview_analysis.journal import Journal
    >>> folder = Path(tempfile.mkdtemp())
    >>> path = export_csv(Journal(":memory:"), folder / "backup.zip")
    >>> sorted(zipfile.ZipFile(path).namelist())[:3]
    ['afterview.json', 'employer_events.csv', 'heads_ups.csv']
    """
    doc = _document(source)
    target = Path(target)
    files = {f"{table}.csv": _csv_text(table, rows) for table, rows in doc["tables"].items()}
    manifest = {"format": "afterview-csv", "schema_version": doc["schema_version"]}
    files[CSV_MANIFEST] = json.dumps(manifest, indent=2) + "\n"
    if target.suffix.lower() == ".zip":
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".part")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in files.items():
                encoding = "utf-8-sig" if name.endswith(".csv") else "utf-8"
                archive.writestr(name, text.encode(encoding))
        tmp.replace(target)
    else:
        target.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            encoding = "utf-8-sig" if name.endswith(".csv") else "utf-8"
            (target / name).write_text(text, encoding=encoding, newline="")
    return target


def _csv_text(table: str, rows: list[dict[str, Any]]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, dialect="excel")
    columns = RECORD_TYPES[table].columns()
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else neutralise(row[c]) for c in columns])
    return out.getvalue()


def export_xlsx(source: Journal | dict[str, Any], target: str | Path) -> Path:
    """Write one worksheet per table to an ``.xlsx`` workbook (openpyxl); returns its path.

    Text is neutralised as for CSV, so no cell is ever a formula; times stay ISO-8601 text.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    doc = _document(source)
    target = Path(target)
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
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    book.save(tmp)
    tmp.replace(target)
    return target


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


def _csv_files(path: Path | bytes) -> dict[str, bytes]:
    """The files of a CSV export (folder, .zip path, or .zip bytes) by name."""
    if isinstance(path, Path) and path.is_dir():
        found = {p.name: p for p in path.iterdir() if p.suffix.lower() in (".csv", ".json")}
        too_big = sum(p.stat().st_size for p in found.values()) > MAX_ARCHIVE_BYTES
        if too_big or len(found) > MAX_ARCHIVE_FILES:
            raise ExchangeError(f"{path} holds too much to be an afterview export")
        return {name: p.read_bytes() for name, p in found.items()}
    data = path if isinstance(path, bytes) else path.read_bytes()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ExchangeError("not a zip archive of CSV files") from None
    infos = archive.infolist()
    if len(infos) > MAX_ARCHIVE_FILES or sum(i.file_size for i in infos) > MAX_ARCHIVE_BYTES:
        raise ExchangeError("the archive holds too much to be an afterview export")
    files: dict[str, bytes] = {}
    for info in infos:
        if info.is_dir():
            continue
        if "/" in info.filename or "\\" in info.filename:
            raise ExchangeError(f"unexpected path {info.filename[:60]!r} in the archive")
        try:
            files[info.filename] = archive.read(info)
        except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError) as exc:
            raise ExchangeError(f"cannot read {info.filename[:60]!r}: {exc}") from None
    return files


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
    """Read an XLSX export back into an export document (see :func:`export_xlsx`)."""
    from openpyxl import load_workbook

    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ExchangeError(f"not a readable .xlsx workbook ({type(exc).__name__})") from None
    try:
        tables: dict[str, list[dict[str, Any]]] = {}
        version: Any = SCHEMA_VERSION
        for sheet in book.worksheets:
            rows = [
                [_ooxml_unescape(v) if isinstance(v, str) else v for v in r]
                for r in sheet.iter_rows(values_only=True)
            ]
            if sheet.title == "afterview":
                version = dict(r[:2] for r in rows if len(r) >= 2).get("schema_version", version)
                continue
            if sheet.title not in RECORD_TYPES:
                raise ExchangeError(f"unexpected sheet {sheet.title[:60]!r}")
            if not rows:
                raise ExchangeError(f"sheet {sheet.title} is empty (it needs the header row)")
            header = list(rows[0])
            while header and header[-1] is None:
                header.pop()
            body = [list(r[: len(header)]) for r in rows[1:]]
            tables[sheet.title] = _table_from_cells(sheet.title, sheet.title, header, body)
    finally:
        book.close()
    return {"format": FORMAT_NAME, "schema_version": version, "tables": tables}


def import_document(journal: Journal, doc: dict[str, Any]) -> dict[str, int]:
    """Validate and load an export document into an empty journal, all or nothing."""
    try:
        text = json.dumps(doc, allow_nan=False)
    except (TypeError, ValueError):
        raise ExchangeError("the file holds values that are not text or numbers") from None
    return import_json(journal, text)


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


def import_path(journal: Journal, path: str | Path) -> dict[str, int]:
    """Import whatever ``path`` is: a CSV folder, a ``.zip`` of CSVs, an ``.xlsx``, or JSON."""
    path = Path(path)
    try:
        if path.is_dir():
            return import_csv(journal, path)
        data = path.read_bytes()
    except OSError as exc:
        raise ExchangeError(f"cannot read {path}: {exc.strerror}") from None
    if path.suffix.lower() == ".xlsx":
        return import_xlsx(journal, data)
    if data.startswith(b"PK\x03\x04") or path.suffix.lower() == ".zip":
        return import_csv(journal, data)
    return import_json(journal, data)


# --------------------------------------------------------------------------- anonymize
# A copy to share with a coach. Always removed: the profile (but its time zone), every
# name, email, phone number and web address of interviewers and references, interview
# locations and job links, message recipients. Companies become "Company XXXX" and people
# "Interviewer XXXX" / "Reference XXXX": a keyed hash (HMAC-SHA256) of the name, so the
# same company gets the same pseudonym in every export made with the same key, and nobody
# without the key can test a guess. Free-text notes (NOTE_FIELDS) are dropped unless
# keep_notes=True, in which case they, like the text always kept (roles, questions, titles),
# are scrubbed: known company and person names become their pseudonyms, and emails, web
# addresses and phone numbers become [email], [url], [phone]. Scrubbing is best effort
# (a nickname or a misspelt name gets through), which is why notes are off by default.

#: Free-text fields dropped unless ``keep_notes`` (a required one becomes "[removed]").
NOTE_FIELDS: dict[str, tuple[str, ...]] = {
    "interviews": ("notes", "recall_point", "forgotten_strength", "process_length"),
    "questions": ("answer", "next_time"),
    "playbook_steps": ("note",),
    "heads_ups": ("note",),
    "employer_events": ("note",),
    "messages": ("subject", "body"),
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
    from afterview_analysis.journal import workbook_root

    if keep_notes and not anonymized:
        raise ExchangeError("--keep-notes only applies with --anonymize")
    doc = anonymize(journal, keep_notes=keep_notes) if anonymized else journal_dict(journal)
    if fmt == "json":
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        if out is None:
            return None, text
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path, None
    if fmt not in ("csv", "xlsx"):
        raise ExchangeError(f"unknown format {fmt!r} (json, csv or xlsx)")
    if out is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        kind = "anonymized" if anonymized else "journal"
        suffix = ".zip" if fmt == "csv" else ".xlsx"
        out = workbook_root() / "exports" / f"{kind}-{stamp}{suffix}"
    if fmt == "csv":
        return export_csv(doc, out), None
    return export_xlsx(doc, out), None


__all__ += [
    "anonymize",
    "anonymize_key",
    "export_csv",
    "export_to",
    "export_xlsx",
    "import_csv",
    "import_path",
    "import_xlsx",
    "neutralise",
    "parse_csv",
    "parse_xlsx",
    "pseudonym",
    "restore",
]
