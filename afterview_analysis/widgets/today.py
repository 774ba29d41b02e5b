"""Today: the first screen. Where every interview stands, and what to do now.

* the **pipeline** (:func:`afterview_analysis.pipeline.pipeline`): your move (overdue
  first), waiting for them (days left to the date they promised), gone quiet (named),
  decided;
* the **agenda** (:func:`afterview_analysis.rules.agenda`): every open step, each row with
  *Done* (ticks the step; *Undo* takes it back) and *Draft* (the message form for that
  interview, kind and recipient already chosen, opens under the row) or *Open* (the
  interview's form, for the steps that are not a message);
* a quick **log an interview** (company, role, date and time, stage), the full form being
  one notebook (or app page) away;
* on an empty journal, a welcome with the first steps, and the demo button.

:class:`TodayState` is what the screen shows (computed from the journal, no widgets);
:class:`TodayView` arranges it. Row widgets are kept per agenda item, so a click
changes only what changed.

>>> import tempfile, pathlib
>>> from afterview_analysis.journal import Journal
>>> view = TodayView(Journal(pathlib.Path(tempfile.mkdtemp()) / "j.sqlite"))
>>> "Welcome" in view.welcome.value, view.demo_button.layout.display
(True, None)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import ipywidgets as ipw
from ipywidgets.widgets.widget_string import HTMLStyle

from afterview_analysis.journal import Journal
from afterview_analysis.pipeline import GROUPS, PipelineEntry, pipeline
from afterview_analysis.records import (
    AfterviewError,
    Interview,
    MessageKind,
    PlaybookStep,
    Stage,
    Step,
    utc_now,
)
from afterview_analysis.rules import FOLLOW_UP_AGAIN, INFO_REPLY, AgendaItem, agenda
from afterview_analysis.widgets import workbook
from afterview_analysis.widgets._common import (
    combine_local,
    css,
    error_html,
    esc,
    ok_html,
    profile_links_html,
)
from afterview_analysis.widgets.interview_state import FIELD_LABELS, build_record

__all__ = ["DRAFT_KIND", "STATUS_COLOURS", "TodayState", "TodayView", "agenda_rows",
           "when_words"]

#: The agenda steps that are a message, and the message that does them.
DRAFT_KIND: dict[str, MessageKind] = {
    Step.THANK_YOU.value: MessageKind.THANK_YOU,
    Step.FOLLOW_UP.value: MessageKind.FOLLOW_UP,
    Step.CONTACT_REFERENCES.value: MessageKind.REFERENCE_HEADS_UP,
    INFO_REPLY: MessageKind.INFO_REPLY,
    FOLLOW_UP_AGAIN: MessageKind.FOLLOW_UP,
}
_BUTTON = dict(width="92px", min_width="92px", flex="0 0 auto")
_RECENT_DONE_DAYS = 7


def agenda_rows(items: list[AgendaItem], now: datetime) -> list[AgendaItem]:
    """The agenda Today lists: overdue (oldest first), then due (soonest first), then what
    was done in the last week (newest first); missed and older items are left out."""
    overdue = sorted((i for i in items if i.status == "overdue"), key=lambda i: i.due_at)
    due = sorted((i for i in items if i.status == "due"), key=lambda i: i.due_at)
    done = sorted((i for i in items if i.status == "done" and i.done_at is not None
                   and (now - i.done_at).days < _RECENT_DONE_DAYS),
                  key=lambda i: i.done_at, reverse=True)
    return [*overdue, *due, *done]


def when_words(item: AgendaItem, zone: ZoneInfo) -> str:
    """An agenda item's time in words: "since Mon 23 Nov 23:59" (overdue), "by ..." (due),
    or when it was done.

    >>> from datetime import datetime, UTC
    >>> item = AgendaItem("i", "Acme", "Analyst", "thank_you",
    ...                   datetime(2026, 11, 23, 22, 59, tzinfo=UTC), "overdue", "")
    >>> when_words(item, ZoneInfo("Europe/Berlin"))
    'since Mon 23 Nov 23:59'
    """
    if item.status == "done":
        return f"{item.done_at.astimezone(zone):%a %-d %b %H:%M}"
    return f"{'since' if item.status == 'overdue' else 'by'} " \
        f"{item.due_at.astimezone(zone):%a %-d %b %H:%M}"


#: The colour of each agenda status, on Today and in the Messages pointer.
STATUS_COLOURS = {"done": "#1a7f37", "due": "#57606a", "overdue": "#b42318",
                  "missed": "#8a6d3b"}


@dataclass
class TodayState:
    """What Today shows, computed from the journal at ``now`` (no widgets)."""

    now: datetime
    zone: str
    empty: bool
    entries: list[PipelineEntry] = field(default_factory=list)
    items: list[AgendaItem] = field(default_factory=list)  #: the rows, in order

    @classmethod
    def of(cls, journal: Journal, now: datetime) -> TodayState:
        zone = journal.profile().timezone
        if journal.is_empty():
            return cls(now, zone, True)
        everything = agenda(journal, now)
        return cls(now, zone, False, pipeline(journal, now, everything),
                   agenda_rows(everything, now))

    def group(self, name: str) -> list[PipelineEntry]:
        return [e for e in self.entries if e.group == name]


class _Row:
    """One agenda row: the words, *Done*/*Undo*, and *Draft* or *Open*."""

    def __init__(self, view: TodayView, item: AgendaItem):
        self.item = item
        # layouts and styles shared by every row: fewer widgets for the browser to build
        shared = view.row_parts
        self.text = css(ipw.HTML(layout=shared["text"], style=shared["html"]),
                        "av-today-row-text")
        self.done = css(ipw.Button(description="Done", icon="check", layout=shared["button"],
                                   style=shared["button style"]), "av-today-done")
        kind = DRAFT_KIND.get(item.step)
        self.act = css(ipw.Button(description="Draft" if kind else "Open",
                                  icon="pencil" if kind else "folder-open",
                                  layout=shared["button"], style=shared["button style"]),
                       "av-today-draft" if kind else "av-today-open")
        self.done.on_click(lambda _b: view.toggle_done(self.item))
        self.act.on_click(lambda _b: view.act(self.item))
        self.widget = css(ipw.HBox([self.text, self.done, self.act], layout=shared["row"]),
                          "av-today-row", f"av-step-{item.step.replace('_', '-')}")

    def show(self, item: AgendaItem, zone: ZoneInfo, now: datetime, links: str) -> None:
        self.item = item
        when = when_words(item, zone)
        reason = links if item.step == Step.REVIEW_PROFILES.value else (
            f"<small>{esc(item.reason)}</small>")
        text = (f"<div style='line-height:1.45;padding:3px 0'>"
                f"<span style='color:{STATUS_COLOURS.get(item.status, '#57606a')}'><b>"
                f"{esc(item.status)}</b> {esc(when)}</span> · <b>{esc(item.title)}</b> · "
                f"{esc(item.company)} ({esc(item.role)})<br>{reason}</div>")
        if self.text.value != text:
            self.text.value = text
        ticked = item.status == "done"
        self.done.description, self.done.icon = ("Undo", "undo") if ticked else ("Done", "check")
        # an information request is answered by a message marked sent, not by a tick
        self.done.disabled = item.step in (INFO_REPLY, FOLLOW_UP_AGAIN)
        self.done.tooltip = ("done once your reply is marked sent" if item.step == INFO_REPLY
                             else "done once a follow-up is sent or a call logged"
                             if item.step == FOLLOW_UP_AGAIN
                             else "")


class TodayView:
    """The Today screen for one journal (see the module doc)."""

    def __init__(
        self,
        journal: Journal | None = None,
        *,
        now: Callable[[], datetime] = utc_now,
        own: str | Path | None = None,
    ):
        self.own = workbook.own_path(own) if own or journal is None else Path(journal.path)
        self.journal = journal if journal is not None else workbook.open_journal(self.own)
        self.now = now
        self.rows: dict[str, _Row] = {}
        self.row_parts = {
            "text": ipw.Layout(flex="1 1 auto"), "html": HTMLStyle(),
            "button": ipw.Layout(**_BUTTON), "button style": ipw.ButtonStyle(),
            "row": ipw.Layout(align_items="center", width="100%",
                              border_bottom="1px solid #eee"),
        }
        self.messages: Any = None  # the MessagesView, built on the first Draft
        self.form: Any = None  # the InterviewFormView, built on the first Open
        self.panel_for: str | None = None  # the agenda row the open panel belongs to

        self.nav = css(ipw.HTML(workbook.nav_html("0-")), "av-nav")
        self.banner = css(ipw.HTML(""), "av-today-banner")
        self.own_button = css(ipw.Button(description="Back to your own journal",
                                         icon="undo", layout=ipw.Layout(width="auto")),
                              "av-show-own")
        self.own_button.on_click(lambda _b: self.back_to_own())
        self.welcome = css(ipw.HTML(""), "av-today-welcome")
        self.demo_button = css(ipw.Button(description="Look around with the demo",
                                          icon="flask", layout=ipw.Layout(width="auto")),
                               "av-load-demo")
        self.demo_button.on_click(lambda _b: self.load_demo())
        self.status = css(ipw.HTML(""), "av-today-status")
        self.pipeline_html = css(ipw.HTML(""), "av-pipeline")
        self.agenda_head = css(ipw.HTML(""), "av-today-agenda-head")
        self.agenda_box = css(ipw.VBox([]), "av-today-agenda")
        self.panel_head = css(ipw.HTML(""), "av-today-panel-head")
        self.close_button = css(ipw.Button(description="Close", icon="times",
                                           layout=ipw.Layout(width="92px")), "av-today-close")
        self.close_button.on_click(lambda _b: self.close_panel())
        self.panel = css(ipw.VBox([], layout=ipw.Layout(border="2px solid #0969da",
                                                        padding="6px", margin="4px 0 10px")),
                         "av-today-panel")
        self._build_quick_log()
        self.profile_box = css(ipw.Accordion([]), "av-today-profile")
        self.widget = css(ipw.VBox([
            self.nav, self.banner, self.welcome, ipw.HBox([self.demo_button, self.own_button]),
            self.status, self.profile_box,
            ipw.HTML("<h3>Log an interview</h3>"), self.quick_box,
            ipw.HTML("<h3>Where each interview stands</h3>"), self.pipeline_html,
            ipw.HTML("<h3>What to do now</h3>"), self.agenda_head, self.agenda_box,
        ]), "av-today")
        self.refresh()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    # ---- quick log

    def _build_quick_log(self) -> None:
        s = {"description_width": "70px"}
        self.quick = {
            "company": css(ipw.Text(description="Company", placeholder="required", style=s,
                                    layout=ipw.Layout(width="300px")), "av-quick-company"),
            "role": css(ipw.Text(description="Role", placeholder="required", style=s,
                                 layout=ipw.Layout(width="300px")), "av-quick-role"),
            "stage": css(ipw.Dropdown(description="Stage", options=[x.value for x in Stage],
                                      style=s, layout=ipw.Layout(width="220px")),
                         "av-quick-stage"),
            "start_date": css(ipw.DatePicker(description="Date", style=s,
                                             layout=ipw.Layout(width="220px")),
                              "av-quick-date"),
            "start_time": css(ipw.Text(description="Time", value="09:00", style=s,
                                       placeholder="HH:MM", layout=ipw.Layout(width="160px")),
                              "av-quick-time"),
        }
        self.quick_errors = {name: css(ipw.HTML(""), "av-error", f"av-error-quick-{name}")
                             for name in ("company", "role", "stage", "starts_at")}
        self.quick_save = css(ipw.Button(description="Save interview", icon="save",
                                         button_style="primary",
                                         layout=ipw.Layout(width="auto")), "av-quick-save")
        self.quick_save.on_click(lambda _b: self.quick_log())
        self.quick_status = css(ipw.HTML(""), "av-quick-status")
        q, e = self.quick, self.quick_errors

        def cell(widget: ipw.Widget, error: ipw.HTML) -> ipw.VBox:
            return ipw.VBox([widget, error])

        top = ipw.Layout(align_items="flex-start", flex_flow="row wrap")
        self.quick_box = css(ipw.VBox([
            ipw.HBox([cell(q["company"], e["company"]), cell(q["role"], e["role"]),
                      cell(q["stage"], e["stage"])], layout=top),
            ipw.HBox([cell(q["start_date"], e["starts_at"]), q["start_time"],
                      self.quick_save], layout=top),
            self.quick_status,
            ipw.HTML("<small>Then add the interviewers, the questions and your scores in "
                     "<a href='1-after-the-interview.ipynb' style='color:#0969da'>the full "
                     "interview form</a>, or with <i>Open</i> on its agenda row below."
                     "</small>"),
        ]), "av-quick-log")

    def quick_log(self) -> Interview | None:
        """Save the quick entry as a new interview (errors next to the fields)."""
        zone = self.journal.profile().timezone
        for slot in self.quick_errors.values():
            slot.value = ""
        errors: dict[str, str] = {}
        values: dict[str, Any] = {k: self.quick[k].value for k in ("company", "role", "stage")}
        try:
            values["starts_at"] = combine_local(self.quick["start_date"].value,
                                                self.quick["start_time"].value, zone)
        except ValueError as exc:
            errors["starts_at"] = f"Start {exc}"
        record = None
        if not errors:
            record = build_record(Interview, values, "", errors, FIELD_LABELS)
        else:
            from afterview_analysis.widgets.interview_state import check_fields

            errors.update(check_fields(Interview, values, ""))
        if errors or record is None:
            for key, message in errors.items():
                self.quick_errors.get(key, self.quick_errors["company"]).value = \
                    error_html(message)
            self.quick_status.value = error_html("Not saved: see the messages next to the "
                                                 "fields. Nothing was written.")
            return None
        try:
            self.journal.add(record)
        except AfterviewError as exc:
            self.quick_status.value = error_html(f"Not saved: {exc}")
            return None
        for name in ("company", "role"):
            self.quick[name].value = ""
        self.refresh()
        self.quick_status.value = ok_html(
            f"Saved {record.company} ({record.role}). Its steps are in the agenda below.")
        return record

    # ---- demo / own journal

    def load_demo(self) -> None:
        """Show the demo journal here and on every other page (your journal is untouched)."""
        try:
            journal = workbook.show_demo(self.own)
        except AfterviewError as exc:  # the marker beside your journal could not be written
            self.status.value = error_html(f"The demo is not shown: {exc}")
            return
        self.journal = journal
        self.messages = self.form = None
        self.refresh()
        self.status.value = ok_html(
            "Showing the demo job search (a separate file). Every page of the workbook "
            "shows it until you go back to your own journal.")

    def back_to_own(self) -> None:
        self.journal = workbook.show_own(self.own)
        self.messages = self.form = None
        self.refresh()
        self.status.value = ok_html("Back to your own journal.")

    # ---- profile

    def _show_profile(self) -> None:
        from afterview_analysis.records import Profile
        from afterview_analysis.widgets.profile import ProfileFormView

        profile = self.journal.profile()
        self.profile_form = ProfileFormView(self.journal, on_saved=lambda _p: self.refresh())
        self.profile_box.children = [self.profile_form.widget]
        self.profile_box.set_title(0, "Your profile: name, time zone, pitch, online profiles")
        # open while it was never filled in; folded away once it was
        self.profile_box.selected_index = 0 if profile == Profile() else None
        self._profile_of = self.journal.path

    # ---- showing

    def refresh(self) -> None:
        """Recompute from the journal and update only what changed."""
        now = self.now()
        self.state = st = TodayState.of(self.journal, now)
        tz = ZoneInfo(st.zone)
        demo = Path(self.journal.path) != self.own
        self.banner.value = (
            f"<p>{'<b>DEMO journal</b> (made up) · ' if demo else ''}Journal "
            f"<code>{esc(self.journal.path)}</code> · {now.astimezone(tz):%A %-d %B %Y, %H:%M}"
            f" in {esc(st.zone)}</p>")
        self.own_button.layout.display = None if demo else "none"
        if getattr(self, "_profile_of", None) != self.journal.path:
            self._show_profile()
        if self.quick["start_date"].value is None:
            self.quick["start_date"].value = now.astimezone(tz).date()
        if st.empty:
            self.welcome.value = (
                "<h2>Welcome to afterview</h2>"
                "<p>Log each interview as soon as it ends, and this page tells you what to do "
                "next: the thank-you within 48 hours, the follow-up a week after the date "
                "they promised, the heads-up to your references.</p><ol>"
                "<li>Set your <b>name and time zone</b> under <i>Your profile</i> below.</li>"
                "<li><b>Log your first interview</b> just below: company, role, when.</li>"
                "<li>Or <b>look around first</b> with a made-up 18-month job search: it goes "
                "into a separate demo file, never into your journal.</li></ol>")
            self.demo_button.layout.display = None
            self.pipeline_html.value = "<i>No interviews yet.</i>"
            self.agenda_head.value = "<i>Nothing to do yet.</i>"
            self.agenda_box.children = []
            self.rows = {}
            return
        self.welcome.value = ""
        self.demo_button.layout.display = "none"
        self.pipeline_html.value = self._pipeline_html(st, tz)
        n_over = sum(i.status == "overdue" for i in st.items)
        n_due = sum(i.status == "due" for i in st.items)
        n_done = sum(i.status == "done" for i in st.items)
        self.agenda_head.value = (
            f"<p><b style='color:{STATUS_COLOURS['overdue']}'>{n_over} overdue</b> · "
            f"{n_due} due · {n_done} done this week</p>" if st.items else
            "<p><i>Nothing due, nothing overdue, nothing done this week.</i></p>")
        links = profile_links_html(self.journal.profile())
        rows: dict[str, _Row] = {}
        for item in st.items:
            row = self.rows.get(item.uid) or _Row(self, item)
            row.show(item, tz, now, links)
            rows[item.uid] = row
        self.rows = rows
        self._layout()
        if self.messages is None and any(r.act.description == "Draft" for r in rows.values()):
            self._messages()  # ready before the first Draft click, which then only fills it

    def _layout(self) -> None:
        children: list[ipw.Widget] = []
        for uid, row in self.rows.items():
            children.append(row.widget)
            if uid == self.panel_for:
                children.append(self.panel)
        if self.panel_for is not None and self.panel_for not in self.rows:
            children.insert(0, self.panel)
        if list(self.agenda_box.children) != children:
            self.agenda_box.children = children

    def _pipeline_html(self, st: TodayState, tz: ZoneInfo) -> str:
        def line(e: PipelineEntry) -> str:
            iv = e.interview
            when = iv.starts_at.astimezone(tz)
            year = "" if when.year == st.now.astimezone(tz).year else f" {when.year}"
            return (f"<li><b>{esc(iv.company)}</b> · {esc(iv.role)} <small>({esc(iv.stage)}, "
                    f"{when:%-d %b}{year})</small><br><span>{esc(e.detail)}</span></li>")

        blocks = []
        for key, title in GROUPS.items():
            entries = st.group(key)
            colour = {"your move": "#b42318", "gone quiet": "#8a6d3b"}.get(key, "#24292f")
            head = (f"<div style='font-weight:600;color:{colour}'>{esc(title)} "
                    f"({len(entries)})</div>")
            if not entries:
                why = esc(self._elsewhere(st)) if key == "your move" else ""
                body = f"<div><i>none</i>{why}</div>"
            else:
                shown, rest = entries[:6], entries[6:]
                body = "<ul style='margin:2px 0;padding-left:18px'>" + "".join(
                    line(e) for e in shown) + "</ul>"
                if rest:
                    body += (f"<details><summary>{len(rest)} more</summary><ul style='margin:"
                             "2px 0;padding-left:18px'>" + "".join(line(e) for e in rest)
                             + "</ul></details>")
            blocks.append(f"<div class='av-group av-group-{key.replace(' ', '-')}' "
                          f"style='flex:1 1 220px;min-width:0;padding:6px 8px;"
                          f"border:1px solid #d0d7de;border-radius:6px'>{head}{body}</div>")
        return ("<div style='display:flex;flex-wrap:wrap;gap:10px;align-items:flex-start;"
                "line-height:1.45'>"
                f"{''.join(blocks)}</div>")

    @staticmethod
    def _elsewhere(st: TodayState) -> str:
        """Why the agenda can list overdue steps while "your move" is empty: they belong to
        interviews that went quiet or were decided (each interview is in one group only)."""
        late = {}  # company (its group) -> overdue steps
        for e in st.entries:
            n = sum(i.status == "overdue" for i in e.items)
            if e.group != "your move" and n:
                name = f"{e.interview.company} ({GROUPS[e.group].lower()})"
                late[name] = late.get(name, 0) + n
        if not late:
            return ""
        n = sum(late.values())
        return (f". The {n} overdue step{'' if n == 1 else 's'} below "
                f"{'is' if n == 1 else 'are'} for {', '.join(sorted(late))}.")

    # ---- actions

    def toggle_done(self, item: AgendaItem) -> bool:
        """Tick the item's step as done now, or take back a tick made here or on the form."""
        current = self.rows[item.uid].item if item.uid in self.rows else item
        try:
            if current.status == "done":
                ticks = self.journal.find(PlaybookStep, interview_id=current.interview_id,
                                          step=current.step)
                if not ticks:
                    self.status.value = error_html(
                        f"{current.title.capitalize()} ({current.company}) was done by a "
                        "message marked sent; it cannot be undone here.")
                    return False
                for tick in ticks:
                    self.journal.delete(PlaybookStep, tick.id)
                said = "taken back"
            else:
                self.journal.add(PlaybookStep(
                    interview_id=current.interview_id, step=current.step,
                    done_at=self.now().astimezone(UTC).replace(microsecond=0)))
                said = "done"
        except AfterviewError as exc:
            self.status.value = error_html(f"Not changed: {exc}")
            return False
        self.refresh()
        self.status.value = ok_html(f"{current.title.capitalize()} ({current.company}): "
                                    f"{said}.")
        return True

    def act(self, item: AgendaItem) -> None:
        """*Draft* (a message step) or *Open* (the interview's form), under the row."""
        if item.step in DRAFT_KIND:
            self.open_draft(item)
        else:
            self.open_form(item)

    def open_draft(self, item: AgendaItem, recipient: str | None = None) -> Any:
        """The message form on ``item``'s interview, its kind chosen, a fresh draft shown
        under the row (``MessagesView.open_for``; unsaved typing in it is kept)."""
        m = self._messages()
        if not m.open_for(item.interview_id, DRAFT_KIND[item.step].value, recipient,
                          event_id=item.event_id):
            self.status.value = m.status.value  # e.g. "you have edited this draft ..."
            if self.panel_for is None:
                self._show_panel(item, "Messages", m.widget)
            return m
        self._show_panel(item, f"Draft: {item.title} · {item.company} ({item.role})",
                         m.widget)
        return m

    def _messages(self) -> Any:
        """The message form (built once per journal, ahead of the first *Draft*)."""
        from afterview_analysis.widgets.messages import MessagesView

        if self.messages is None:
            self.messages = MessagesView(self.journal, now=self.now,
                                         export_dir=workbook.exports_dir(self.journal))
            # what the form changes (a sent thank-you ticks its step) shows in the agenda
            self.messages.sent_button.on_click(lambda _b: self.refresh())
        return self.messages

    def open_form(self, item: AgendaItem) -> Any:
        """The interview's full form (questions, scores, checklist) under the row."""
        from afterview_analysis.widgets.interview_view import InterviewFormView

        if self.form is None:
            self.form = InterviewFormView(self.journal, now=self.now,
                                          interview_id=item.interview_id)
            self.form.save_button.on_click(lambda _b: self.refresh())
        else:
            self.form.load(item.interview_id)
        self._show_panel(item, f"{item.company} ({item.role}): the interview's form",
                         self.form.widget)
        return self.form

    def _show_panel(self, item: AgendaItem, title: str, body: ipw.Widget) -> None:
        self.panel_head.value = f"<b>{esc(title)}</b>"
        self.panel.children = [ipw.HBox([self.panel_head, self.close_button],
                                        layout=ipw.Layout(justify_content="space-between")),
                               body]
        self.panel_for = item.uid
        self._layout()

    def close_panel(self) -> None:
        """Fold the draft or form away and bring the agenda up to date."""
        self.panel_for = None
        self.panel.children = []
        self.refresh()

