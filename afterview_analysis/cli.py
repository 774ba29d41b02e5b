"""The ``afterview`` command: a thin layer over the package.

Every command takes ``--journal PATH`` (default: ``$AFTERVIEW_JOURNAL`` or
``data/journal.sqlite`` at the workbook root) and ``--help``. Exit codes: 0 on success,
2 on bad input or a refused operation, with a one-line message on stderr and no traceback.

Heavy libraries (pandas, matplotlib, ipywidgets) are imported inside the commands that need
them, never at the top, so quick commands stay quick.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from afterview_analysis.records import AfterviewError

__all__ = ["build_parser", "main"]

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error and exit code 2 (as argparse itself uses)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {_one_line(message)}\n")


def _one_line(text: object) -> str:
    """A message that echoes user input, kept on one line (``\\n`` shown, not obeyed)."""
    return str(text).replace("\r", "\\r").replace("\n", "\\n")


def _journal(args: argparse.Namespace, *, create: bool = True, init: bool = False):
    from afterview_analysis.journal import Journal

    return Journal(args.journal, create=create, init=init)


def _journal_path(args: argparse.Namespace) -> Path:
    from afterview_analysis.journal import default_path

    return Path(args.journal) if args.journal else default_path()


def _check_out(args: argparse.Namespace, path: str | Path) -> Path:
    """An output path, refused before any work if it would overwrite the journal."""
    from afterview_analysis.outputs import check_target

    return check_target(path, journal=_journal_path(args))


def _write(args: argparse.Namespace, path: str | Path, data: bytes) -> Path:
    from afterview_analysis.outputs import write_atomic

    return write_atomic(path, data, journal=_journal_path(args))


def _emit(args: argparse.Namespace, text: str) -> None:
    """``text`` to ``--out`` (all at once, never over the journal), or to stdout."""
    if args.out:
        print(f"wrote {_write(args, args.out, text.encode('utf-8'))}", file=sys.stderr)
    else:
        sys.stdout.write(text)


# --------------------------------------------------------------------------- commands


def cmd_init(args: argparse.Namespace) -> int:
    with _journal(args, init=True) as j:
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

    with _journal(args) as j:
        when = _when_option("--when", args.when, j.profile().timezone)
        interview = Interview(
            company=args.company,
            role=args.role,
            stage=args.stage,
            format=args.format,
            starts_at=when,
            duration_minutes=args.minutes,
        )
        j.add(interview)
    print(interview.id)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from afterview_analysis.journal import JournalDamagedError

    try:
        with _journal(args, create=False) as j:
            problems = j.check()
            try:
                counts = j.counts()
            except sqlite3.DatabaseError:
                counts = {}  # too damaged to count: the problems say why
    except JournalDamagedError as exc:  # too damaged even to open: that is the report
        problems, counts = [str(exc)], {}
    for table, n in counts.items():
        print(f"{table:16} {n:>8}")
    if problems:
        for problem in problems:
            print(f"problem: {_one_line(problem)}", file=sys.stderr)
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
    target = _journal_path(args)
    fresh = not target.exists()
    try:
        with _journal(args) as j:
            counts = import_path(j, args.file)
    except BaseException:
        if fresh:  # the journal this command made: a failed import leaves no new file
            for suffix in ("", "-wal", "-shm"):
                target.with_name(target.name + suffix).unlink(missing_ok=True)
        raise
    print(f"imported {counts['interviews']} interviews ({sum(counts.values())} rows)")
    return 0


# --------------------------------------------------------------------------- playbook


def _time_option(option: str, value: str, zone: str | None = None):
    """An option's ISO-8601 time, in UTC. With ``zone`` (the profile's), a time without an
    offset is read in that zone, saying so on stderr, and a bare date is 00:00 that day
    there; an offset in the text always wins. Years 1970 to 2200 only, as in the journal:
    any other time the parser accepts (year 1, year 9999, with offsets) is one line."""
    from datetime import UTC, date, datetime, time
    from zoneinfo import ZoneInfo

    moment = None
    try:
        if zone is not None:
            try:
                day = date.fromisoformat(value.strip())
            except ValueError:
                pass
            else:
                moment = datetime.combine(day, time(0), ZoneInfo(zone))
        if moment is None:
            moment = datetime.fromisoformat(value.strip())
    except ValueError:
        moment = None
    if moment is not None and moment.tzinfo is None and zone is not None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
        print(f"{option} {value.strip()} read as {zone} time (your profile's time zone; "
              "add an offset such as +01:00 to give another)", file=sys.stderr)
    if moment is None or moment.tzinfo is None:
        wanted = "a date like 2026-11-20, or a time" if zone is not None else "a time"
        raise AfterviewError(
            f"{option} {value!r}: give {wanted} with its zone, like 2026-11-20T15:00+01:00"
        )
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:
        moment = None
    if moment is None or not 1970 <= moment.year <= 2200:
        raise AfterviewError(f"{option} {value!r}: give a time between the years 1970 and 2200 "
                             "in UTC (1970-01-01T00:00Z to 2200-12-31T23:59Z)")
    return moment


def _when_option(option: str, value: str, zone: str):
    """A start time: with an offset as given, without one in the profile's ``zone`` (said on
    stderr); anything else is left to the record's own check, which names the field."""
    from datetime import datetime

    try:
        parsed = datetime.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        return value
    return _time_option(option, value, zone) if parsed.tzinfo is None else value


def _moment(value: str | None, zone: str):
    """``--today``: a date (00:00 that day in the user's zone) or an ISO time with zone."""
    from datetime import UTC, datetime

    if value is None:
        return datetime.now(UTC).replace(microsecond=0)
    return _time_option("--today", value, zone)


def cmd_agenda(args: argparse.Namespace) -> int:
    from afterview_analysis.rules import agenda, format_agenda, open_items

    with _journal(args, create=False) as j:
        zone = j.profile().timezone
        now = _moment(args.today, zone)
        items = agenda(j, now)
    shown = items if args.all else open_items(items, now)
    sys.stdout.write(format_agenda(shown, now, zone))
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    from afterview_analysis import drafting
    from afterview_analysis.outputs import safe_name, stage

    kind = drafting.KIND_ALIASES[args.kind]
    with _journal(args, create=False) as j:
        profile = j.profile()
        options = dict(
            tone=args.tone, form=args.form, skills=args.skill or None, variant=args.variant,
            event_id=args.event, template_dir=args.templates,
            now=_moment(args.today, profile.timezone) if args.today else None,
        )
        if args.to:
            messages = [drafting.draft_message(j, args.interview, kind, to=args.to, **options)]
        else:
            messages = drafting.draft_all(j, args.interview, kind, **options)
        files: list[tuple[Path, bytes]] = []
        if args.eml:
            target = Path(args.eml)
            taken: set[str] = set()
            for m in messages:
                path = target
                if len(messages) > 1:
                    slug = safe_name(m.recipient, taken)
                    path = target.with_name(f"{target.stem}-{slug}{target.suffix or '.eml'}")
                files.append((_check_out(args, path), drafting.to_eml(m, profile)))
        links = [drafting.mailto_link(m) for m in messages] if args.mailto else []
        # Files first, as hidden temporary files; the journal next; then the files take
        # their names. A file that cannot be written stops everything before the save.
        staged = [stage(path, data, journal=j.path) for path, data in files]
        try:
            if args.save:
                with j.transaction():
                    for m in messages:
                        drafting.save_draft(j, m)
        except BaseException:
            for item in staged:
                item.discard()
            raise
        written = [item.publish() for item in staged]
    for n, m in enumerate(messages):
        if n:
            print("\n" + "-" * 72 + "\n")
        address = f" <{m.recipient_email}>" if m.recipient_email else ""
        print(f"To: {m.recipient}{address}")
        if m.subject:
            print(f"Subject: {m.subject}")
        print()
        sys.stdout.write(m.body)
        if links:
            print(f"\n{links[n]}")
        if args.save:
            print(f"saved as message {m.id}; once sent: afterview mark-sent {m.id}",
                  file=sys.stderr)
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    return 0


def cmd_mark_sent(args: argparse.Namespace) -> int:
    from afterview_analysis.drafting import mark_sent

    at = None
    if args.at:
        with _journal(args, create=False) as j:
            at = _time_option("--at", args.at, j.profile().timezone)
    with _journal(args, create=False) as j:
        message = mark_sent(j, args.message_id, at)
    print(f"message {message.id} to {message.recipient} marked sent at "
          f"{message.sent_at:%Y-%m-%d %H:%M} UTC")
    return 0


def cmd_remind(args: argparse.Namespace) -> int:
    import re
    from datetime import time, timedelta

    from afterview_analysis.reminders import MAX_ALARM_BEFORE, agenda_ics
    from afterview_analysis.rules import agenda

    most = MAX_ALARM_BEFORE // timedelta(minutes=1)
    if not 0 <= args.alarm_minutes <= most:
        raise AfterviewError(f"--alarm-minutes must be 0 or more and at most {most} "
                             "(four weeks)")
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", args.day_alarm or "")
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise AfterviewError(f"--day-alarm must be a time like 09:00, not {args.day_alarm!r}")
    _check_out(args, args.ics)
    with _journal(args, create=False) as j:
        zone = j.profile().timezone
        now = _moment(args.today, zone)
        items = [i for i in agenda(j, now) if i.is_open]
    data = agenda_ics(items, component="todo" if args.todo else "event",
                      alarm_before=timedelta(minutes=args.alarm_minutes), now=now,
                      day_alarm_at=time(int(match[1]), int(match[2])), zone=zone)
    path = _write(args, args.ics, data)
    print(f"wrote {path}: {len(items)} reminders", file=sys.stderr)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from afterview_analysis.report import render

    as_of = None
    if args.as_of:
        from afterview_analysis.analytics._frames import as_of_timestamp

        try:
            as_of = as_of_timestamp(args.as_of)
            if not 1970 <= as_of.year <= 2200:  # pandas reads ".1" as the year 1
                raise ValueError(args.as_of)
        except ValueError:
            raise AfterviewError(f"--as-of {args.as_of!r}: use a date like 2026-03-14") from None
    if args.out:
        _check_out(args, args.out)
    with _journal(args, create=False) as j:
        frames = j.frames()
    # a bare date means midnight in the user's zone, as for `agenda --today`
    _emit(args, render(frames, args.format, as_of=args.as_of if as_of is not None else None))
    return 0


def cmd_prep(args: argparse.Namespace) -> int:
    from afterview_analysis.prep import prep_sheet, render_html

    if args.out:
        _check_out(args, args.out)
    with _journal(args, create=False) as j:
        page = render_html(prep_sheet(j, args.company, args.stage))
    _emit(args, page)
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
    from afterview_analysis.records import FORMS, KIND_ALIASES, KIND_WORDS, TONES, Format, Stage

    parser = _Parser(prog="afterview", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    _add(sub, "init", cmd_init, "create an empty journal (does nothing if it exists)")

    p = _add(sub, "demo", cmd_demo, "fill an empty journal with the demo job search")
    p.add_argument("--seed", type=int, default=20261125, help="random seed (default: %(default)s)")

    p = _add(sub, "log", cmd_log, "log an interview quickly; prints its id")
    p.add_argument("--company", required=True)
    p.add_argument("--role", required=True)
    p.add_argument(
        "--when", required=True,
        help="start, ISO-8601: 2026-03-14T09:30 (in your profile's time zone) or with an "
             "offset, 2026-03-14T09:30+01:00"
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

    p = _add(sub, "agenda", cmd_agenda, "what is due, overdue or recently done, soonest first")
    p.add_argument("--today", metavar="DATE", help="as of this date (00:00 in your zone) or "
                   "time (2026-11-20T15:00+01:00); default: now")
    p.add_argument("--all", action="store_true", help="also older done and missed steps")

    p = _add(sub, "draft", cmd_draft, "draft a message from your reflection (printed; "
             "--save keeps it in the journal)")
    p.add_argument("kind", choices=list(KIND_ALIASES),
                   help="; ".join(f"{name}: {KIND_WORDS[kind]}"
                                  for name, kind in KIND_ALIASES.items()))
    p.add_argument("--interview", required=True, metavar="ID", help="the interview's id")
    p.add_argument("--to", metavar="NAME", help="interviewer or reference (default: one "
                   "thank-you per interviewer, one heads-up per reference, else the first)")
    p.add_argument("--tone", choices=list(TONES), default="warm")
    p.add_argument("--form", choices=list(FORMS), default="email",
                   help="email, letter, or call: a call sheet (follow-up, info-reply)")
    p.add_argument("--skill", action="append", metavar="NAME",
                   help="a skill to restate (repeat; default: your top-scored ones)")
    p.add_argument("--variant", type=int, choices=[1, 2],
                   help="follow-up: 1 first, 2 the later nudge (default: by what was sent)")
    p.add_argument("--event", metavar="ID", help="info-reply: the request to answer "
                   "(default: the latest unanswered)")
    p.add_argument("--eml", metavar="PATH", help="also write an .eml your mail program "
                   "opens as a draft")
    p.add_argument("--mailto", action="store_true", help="also print a mailto: link")
    p.add_argument("--save", action="store_true", help="save the draft in the journal")
    p.add_argument("--templates", metavar="DIR", help="your templates folder (default: "
                   "$AFTERVIEW_TEMPLATES or data/templates)")
    p.add_argument("--today", metavar="DATE", help="date the letter as of this date")

    p = _add(sub, "mark-sent", cmd_mark_sent, "record that a saved draft was sent")
    p.add_argument("message_id", metavar="MESSAGE_ID")
    p.add_argument("--at", metavar="TIME", help="when (default: now): 2026-03-03T14:30 in "
                   "your profile's time zone, or with an offset")

    p = _add(sub, "remind", cmd_remind, "write the open agenda as an .ics calendar file")
    p.add_argument("--ics", required=True, metavar="PATH", help="the .ics file to write")
    p.add_argument("--today", metavar="DATE", help="as of this date (default: now)")
    p.add_argument("--todo", action="store_true", help="to-dos (VTODO) instead of events")
    p.add_argument("--alarm-minutes", type=int, default=60, metavar="N",
                   help="alarm N minutes before the due time (default: %(default)s)")
    p.add_argument("--day-alarm", default="09:00", metavar="HH:MM",
                   help="steps due by the end of a day ring at this time of that day, in "
                   "your zone (default: %(default)s)")

    p = _add(sub, "report", cmd_report, "write the whole reflection: weak areas and trends, "
             "response times, calibration, funnel, playbook")
    p.add_argument("--format", choices=["text", "html", "json"], default="text",
                   help="text (default), html (with figures, opens in any browser) or json")
    p.add_argument("--out", metavar="PATH", help="write to this file instead of stdout")
    p.add_argument("--as-of", metavar="DATE", help="judge deadlines as of this moment "
                   "(default: now)")

    p = _add(sub, "prep", cmd_prep, "a printable prep sheet (HTML) for your next interview "
             "with a company: their questions and your best answers, focus skills, what to ask")
    p.add_argument("--company", required=True, metavar="NAME")
    p.add_argument("--stage", metavar="STAGE", help=f"the coming stage: one of "
                   f"{', '.join(Stage)}; adds the questions asked at it elsewhere")
    p.add_argument("--out", metavar="PATH", help="write to this file instead of stdout")

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except AfterviewError as exc:
        print(f"afterview {args.command}: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except sqlite3.Error as exc:  # whatever the journal did not already put in words
        from afterview_analysis.journal import describe_sqlite_error

        message = describe_sqlite_error(exc, _journal_path(args))
        print(f"afterview {args.command}: error: {_one_line(message)}", file=sys.stderr)
        return 2
    except OSError as exc:  # a path that cannot be read or written: bad input, not a crash
        where = f" ({exc.filename})" if exc.filename else ""
        reason = exc.strerror or exc
        print(f"afterview {args.command}: error: {_one_line(reason)}{_one_line(where)}",
              file=sys.stderr)
        return 2
    except MemoryError:
        print(f"afterview {args.command}: error: not enough memory for this (a file far "
              "larger than it claims?); nothing was written", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
