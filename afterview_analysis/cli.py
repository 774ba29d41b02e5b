"""The ``afterview`` command: a thin layer over the package.

Every command takes ``--journal PATH`` (default: ``$AFTERVIEW_JOURNAL`` or
``data/journal.sqlite`` at the workbook root) and ``--help``. Exit codes: 0 on success,
2 on bad input or a refused operation, with a one-line message on stderr and no traceback.

Heavy libraries (pandas, matplotlib, ipywidgets) are imported inside the commands that need
them, never at the top, so quick commands stay quick.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from afterview_analysis.records import AfterviewError

__all__ = ["build_parser", "main"]

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error and exit code 2 (as argparse itself uses)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def _journal(args: argparse.Namespace, *, create: bool = True):
    from afterview_analysis.journal import Journal

    return Journal(args.journal, create=create)


def _emit(text: str, out: str | None) -> None:
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


# --------------------------------------------------------------------------- commands


def cmd_init(args: argparse.Namespace) -> int:
    with _journal(args) as j:
        print(f"journal ready at {j.path} (schema version {j.version})")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from afterview_analysis.demo import load_demo

    with _journal(args) as j:
        counts = load_demo(j, seed=args.seed)
        print(
            f"demo history written to {j.path}: {counts['interviews']} interviews, "
            f"{counts['questions']} questions, {counts['messages']} messages"
        )
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    from afterview_analysis.records import Interview

    when = args.when
    interview = Interview(
        company=args.company,
        role=args.role,
        stage=args.stage,
        format=args.format,
        starts_at=when,
        duration_minutes=args.minutes,
    )
    with _journal(args) as j:
        j.add(interview)
    print(interview.id)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    with _journal(args, create=False) as j:
        problems = j.check()
        counts = j.counts()
    for table, n in counts.items():
        print(f"{table:16} {n:>8}")
    if problems:
        for problem in problems:
            print(f"problem: {problem}", file=sys.stderr)
        return 1
    print("integrity: ok; foreign keys: ok")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from afterview_analysis.exchange import export_to

    with _journal(args, create=False) as j:
        path, text = export_to(
            j, args.format, args.out, anonymized=args.anonymize, keep_notes=args.keep_notes
        )
    if text is not None:
        sys.stdout.write(text)
    else:
        print(f"wrote {path}", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from afterview_analysis.exchange import import_path

    if not Path(args.file).exists():
        raise AfterviewError(f"cannot read {args.file}: no such file or folder")
    with _journal(args) as j:
        counts = import_path(j, args.file)
    print(f"imported {counts['interviews']} interviews ({sum(counts.values())} rows)")
    return 0


# --------------------------------------------------------------------------- parser


def _add(
    sub: argparse._SubParsersAction, name: str, handler: Handler, help: str
) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help, description=help)
    p.add_argument(
        "--journal",
        metavar="PATH",
        default=None,
        help="journal file (default: $AFTERVIEW_JOURNAL or data/journal.sqlite)",
    )
    p.set_defaults(handler=handler)
    return p


def build_parser() -> argparse.ArgumentParser:
    from afterview_analysis.records import Format, Stage

    parser = _Parser(prog="afterview", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    _add(sub, "init", cmd_init, "create an empty journal (does nothing if it exists)")

    p = _add(sub, "demo", cmd_demo, "fill an empty journal with the demo job search")
    p.add_argument("--seed", type=int, default=20261125, help="random seed (default: %(default)s)")

    p = _add(sub, "log", cmd_log, "log an interview quickly; prints its id")
    p.add_argument("--company", required=True)
    p.add_argument("--role", required=True)
    p.add_argument(
        "--when", required=True, help="start, ISO-8601 with zone: 2026-03-14T09:30+01:00"
    )
    p.add_argument("--stage", default="screen", help=f"one of {', '.join(Stage)}")
    p.add_argument("--format", default="video", help=f"one of {', '.join(Format)}")
    p.add_argument("--minutes", default="60", help="length in minutes (default: 60)")

    _add(sub, "check", cmd_check, "run SQLite's integrity and foreign-key checks; show counts")

    p = _add(sub, "export", cmd_export, "write the whole journal as JSON, CSV or XLSX")
    p.add_argument(
        "--format", choices=["json", "csv", "xlsx"], default="json",
        help="json (lossless, stdout by default), csv (a .zip, or a folder, of one CSV per "
        "table) or xlsx (one sheet per table); spreadsheet cells are formula-safe",
    )
    p.add_argument(
        "--out", metavar="PATH",
        help="file (or folder, for csv) to write; csv/xlsx default to exports/ (git-ignored)",
    )
    p.add_argument(
        "--anonymize", action="store_true",
        help="a copy for a coach: no names, contacts or links; companies pseudonymised",
    )
    p.add_argument(
        "--keep-notes", action="store_true",
        help="with --anonymize: keep free-text notes (names, emails, phones scrubbed)",
    )

    p = _add(sub, "import", cmd_import, "load an export (JSON, CSV .zip or folder, XLSX) "
             "into an empty journal")
    p.add_argument("file", metavar="FILE")

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except AfterviewError as exc:
        print(f"afterview {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
