"""Writing output files so that no mistake can destroy the journal or a good file.

Two rules for every file afterview writes (exports, reports, ``.eml``, ``.ics``):

* **Never over a journal.** :func:`check_target` refuses a path that is an SQLite file
  (a journal, its backup, any other database), the journal's ``-wal``, ``-shm`` or
  ``-journal`` companion, a backup's name, the private ``.anonymize-key``, or a device or
  pipe (``/dev/null`` would be replaced, not written to); symlinks are followed first.
* **All or nothing.** :func:`write_atomic` writes to a temporary file beside the target,
  flushes it to disk and renames it into place: a full disk or a crash leaves the previous
  file as it was and no temporary file behind; the error is one sentence.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> write_atomic(folder / "out.txt", b"hello").read_bytes()
b'hello'
>>> journal = folder / "journal.sqlite"
>>> _ = journal.write_bytes(SQLITE_MAGIC + bytes(84))
>>> try:
...     write_atomic(folder / "journal.sqlite-wal", b"x", journal=journal)
... except OutputError as exc:
...     print(exc)
journal.sqlite-wal is part of the journal journal.sqlite; choose another file name
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

from afterview_analysis.records import AfterviewError

__all__ = [
    "SQLITE_MAGIC",
    "OutputError",
    "Staged",
    "check_target",
    "safe_name",
    "stage",
    "write_atomic",
    "write_folder",
]

SQLITE_MAGIC = b"SQLite format 3\x00"
_COMPANIONS = ("-wal", "-shm", "-journal")
_BACKUP_NAME = re.compile(r"\.v\d+-backup")


class OutputError(AfterviewError):
    """An output file that may not or could not be written."""


def _resolved(path: Path) -> Path:
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError):  # a symlink loop: compare the path as given
        return path.absolute()


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def check_target(path: str | os.PathLike[str], *, journal: str | os.PathLike[str] | None = None
                 ) -> Path:
    """Refuse an output path that would overwrite the journal or any SQLite file.

    ``journal`` is the open journal's path (its companions and backups are refused even
    before they exist). Returns ``path`` as a :class:`~pathlib.Path`.
    """
    target = Path(path)
    real = _resolved(target)
    if journal is not None and str(journal) != ":memory:":
        jpath = _resolved(Path(journal))
        name = target.name
        if real == jpath:
            raise OutputError(f"{name} is the journal itself; choose another file name")
        for suffix in _COMPANIONS:
            if real == jpath.with_name(jpath.name + suffix):
                raise OutputError(
                    f"{name} is part of the journal {jpath.name}; choose another file name"
                )
        if (real.parent == jpath.parent and real.name.startswith(jpath.stem + ".v")
                and _BACKUP_NAME.search(real.name)):
            raise OutputError(f"{name} is a backup of the journal; choose another file name")
        if real == jpath.with_name(jpath.name + ".anonymize-key"):
            raise OutputError(f"{name} is the journal's private key; choose another file name")
    if real.exists() and not real.is_file() and not real.is_dir():
        raise OutputError(f"{target} is not a regular file (a device, pipe or socket); "
                          "choose another file name")
    if real.is_file() and _is_sqlite(real):
        raise OutputError(
            f"{target.name} is an SQLite database (a journal?); afterview never writes over "
            "one: choose another file name"
        )
    for suffix in _COMPANIONS:
        if real.name.endswith(suffix):
            base = real.with_name(real.name.removesuffix(suffix))
            if _is_sqlite(base):
                raise OutputError(
                    f"{target.name} is part of the database {base.name}; choose another "
                    "file name"
                )
    return target


def _sentence(exc: OSError, target: Path) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        why = "the disk is full"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = "no permission to write there (a read-only file or folder?)"
    elif exc.errno == errno.EISDIR:
        why = "it is a folder"
    elif exc.errno in (errno.ENOTDIR, errno.EEXIST):
        why = "a part of the path is a file, not a folder"
    else:
        why = (exc.strerror or str(exc)).lower()
    return f"cannot write {target}: {why}; nothing was written"


def _temporary(target: Path) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")


def write_atomic(
    path: str | os.PathLike[str],
    data: bytes | Callable[[Path], None],
    *,
    journal: str | os.PathLike[str] | None = None,
) -> Path:
    """Write ``data`` (bytes, or a function that writes the file at the path it is given) to
    ``path`` all at once: temporary file beside it, fsync, rename. Returns ``path``.

    Refuses what :func:`check_target` refuses; any failure is an :class:`OutputError` and
    leaves the previous file, if any, untouched.
    """
    target = check_target(path, journal=journal)
    return Staged(_write_beside(target, data if callable(data) else _bytes(data)),
                  target).publish()


def write_folder(
    path: str | os.PathLike[str],
    files: dict[str, bytes],
    *,
    journal: str | os.PathLike[str] | None = None,
) -> Path:
    """Write several files into the folder ``path``: all of them into a temporary folder
    beside it first, then each renamed into place. A full disk while writing leaves the
    folder as it was."""
    target = Path(path)
    check_target(target, journal=journal)
    for name in files:
        check_target(target / name, journal=journal)
    staging: Path | None = None
    try:
        if target.exists() and not target.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "Not a directory", str(target))
        target.mkdir(parents=True, exist_ok=True)
        staging = _temporary(target)
        staging.mkdir()
        for name, data in files.items():
            with (staging / name).open("xb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        for name in files:
            os.replace(staging / name, target / name)
    except OSError as exc:
        raise OutputError(_sentence(exc, target)) from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return target


def _bytes(data: bytes) -> Callable[[Path], None]:
    """A writer of ``data`` to a new file (never over an existing one)."""
    def write(path: Path) -> None:
        with path.open("xb") as f:
            f.write(data)
    return write


def _write_beside(target: Path, write: Callable[[Path], None]) -> Path:
    """A temporary file beside ``target``, filled by ``write`` and fsynced; its path. Any
    failure removes it and is an :class:`OutputError` naming ``target``."""
    tmp: Path | None = None
    try:
        if target.is_dir():
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(target))
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = _temporary(target)
        write(tmp)
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise OutputError(_sentence(exc, target)) from None
    return tmp


class Staged:
    """A file written in full under a hidden temporary name, waiting to take its own name
    (:meth:`publish`) or to be thrown away (:meth:`discard`): for a command that must write
    a file and save to the journal both or neither."""

    def __init__(self, tmp: Path, target: Path):
        self.tmp, self.target = tmp, target

    def publish(self) -> Path:
        try:
            os.replace(self.tmp, self.target)
        except OSError as exc:
            self.discard()
            raise OutputError(_sentence(exc, self.target)) from None
        return self.target

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.tmp.unlink()


def stage(
    path: str | os.PathLike[str], data: bytes, *, journal: str | os.PathLike[str] | None = None
) -> Staged:
    """Write ``data`` for ``path`` under a temporary name beside it (see :class:`Staged`);
    refuses and fails as :func:`write_atomic` does, leaving nothing behind."""
    target = check_target(path, journal=journal)
    return Staged(_write_beside(target, _bytes(data)), target)


_UNSAFE = re.compile(r"[^\w]+")


def safe_name(text: str, taken: set[str] | None = None, *, limit: int = 40) -> str:
    """A file-name part made from ``text`` (a recipient's name): letters and digits joined
    by ``-``, lower case, at most ``limit`` characters, never empty, never a path; unique
    among ``taken`` (which it is added to) by a ``-2``, ``-3``, ... suffix.

    >>> taken = set()
    >>> safe_name("Sam Lee", taken), safe_name("Sam  Lee", taken), safe_name("../../x/y", taken)
    ('sam-lee', 'sam-lee-2', 'x-y')
    >>> safe_name("///", taken), safe_name("Zoë O'Brien", taken)
    ('recipient', 'zoë-o-brien')
    """
    base = _UNSAFE.sub("-", text.casefold()).strip("-_")[:limit].strip("-_") or "recipient"
    taken = set() if taken is None else taken
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(name)
    return name
