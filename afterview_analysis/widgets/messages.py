"""Messages: pick an interview, a kind, a recipient and a tone; edit the draft; send it.

:class:`MessageFormState` is what the form holds (choices, the editable subject, address
and body, the saved draft's id); :class:`MessagesView` binds widgets to it and calls
:mod:`afterview_analysis.drafting` (draft, save, edit, mark sent, ``.eml``, ``mailto:``)
and :mod:`afterview_analysis.reminders` (the agenda as ``.ics``).

>>> draft = Message(kind="thank_you", recipient="Maya", body="Hi")
>>> st = MessageFormState(interview_id="abc", draft=draft,
...                       subject="Thanks\\nBcc: x@evil.example", body="Hi")
>>> try:
...     st.to_message()
... except FormError as exc:
...     print(exc.errors)
{'subject': 'Subject must be a single line (no line breaks)'}
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import ipywidgets as ipw

from afterview_analysis.journal import Journal
from afterview_analysis.outputs import OutputError, safe_name, write_atomic
from afterview_analysis.records import (
    CONTACT_ROLE_WORDS,
    KIND_WORDS,
    AfterviewError,
    HeadsUp,
    Message,
    MessageKind,
    Step,
    utc_now,
)
from afterview_analysis.rules import AgendaItem
from afterview_analysis.widgets._common import css, error_html, esc, labelled, ok_html
from afterview_analysis.widgets.interview_state import FormError, build_record
from afterview_analysis.widgets.interview_view import interview_choices
from afterview_analysis.widgets.workbook import exports_dir

__all__ = ["KIND_LABELS", "CallForm", "MessageFormState", "MessagesView", "export_path"]

KIND_LABELS = KIND_WORDS  # each message kind in words (declared once, in records)
CONTACT_WORDS = CONTACT_ROLE_WORDS
_LABELS = {"recipient": "Recipient", "recipient_email": "Email", "subject": "Subject",
           "body": "Message", "kind": "Kind", "interview_id": "Interview"}
ANYONE = ""  # recipient picker value: let drafting pick (first interviewer / reference)


def export_path(folder: Path, stem: str, suffix: str, data: bytes | None = None) -> Path:
    """A safe file name for ``stem`` in ``folder``, made by :func:`outputs.safe_name` as the
    command line names its per-recipient files. ``folder`` is not created here (the writer
    does, and says in one line when it cannot). With ``data``, a file of that name holding
    other bytes is never replaced: the name takes ``-2``, ``-3``, ... (same bytes: same name).

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> export_path(folder, "thank_you <Acme> /../", ".eml").name
    'thank_you-acme.eml'
    >>> _ = (folder / "thank_you-acme-sam-lee.eml").write_bytes(b"to Sam Lee")
    >>> export_path(folder, "thank_you-Acme-Sam  Lee", ".eml", b"to Sam  Lee").name
    'thank_you-acme-sam-lee-2.eml'
    >>> export_path(folder, "thank_you-Acme-Sam Lee", ".eml", b"to Sam Lee").name
    'thank_you-acme-sam-lee.eml'
    """
    taken: set[str] = set()
    while True:
        path = folder / f"{safe_name(stem, taken, limit=80)}{suffix}"
        if data is None:
            return path
        try:
            if not path.exists() and not path.is_symlink():
                return path
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {(exc.strerror or str(exc)).lower()}; "
                              "nothing was written") from None
        try:
            if path.is_file() and path.read_bytes() == data:
                return path
        except OSError:
            pass  # unreadable: someone else's file, so another name


def _download_link(data: bytes, filename: str, mime: str, label: str, cls: str) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return (f'<a class="{cls}" download="{esc(filename)}" '
            f'href="data:{mime};base64,{encoded}">{esc(label)}</a>')


@dataclass
class MessageFormState:
    """The message form's values; ``draft`` is the last generated or saved message."""

    interview_id: str = ""
    kind: str = MessageKind.THANK_YOU.value
    recipient: str = ANYONE
    tone: str = "warm"
    form: str = "email"
    subject: str = ""
    recipient_email: str = ""
    body: str = ""
    draft: Message | None = None
    saved: bool = False
    #: the information request an ``info_reply`` answers (None: the latest unanswered)
    event_id: str | None = None

    def take(self, message: Message, saved: bool = False) -> None:
        """Show ``message`` (a new draft or a stored one) in the editable fields."""
        self.draft, self.saved = message, saved
        self.subject = message.subject or ""
        self.recipient_email = message.recipient_email or ""
        self.body = message.body

    def to_message(self) -> Message:
        """The draft with the user's edits, validated (FormError names the fields)."""
        base = self.draft
        values: dict[str, Any] = {
            "subject": self.subject, "recipient_email": self.recipient_email,
            "body": self.body,
        }
        if base is None:
            raise FormError({"body": "There is no draft yet: write one first."})
        else:
            values.update({k: getattr(base, k) for k in (
                "id", "interview_id", "kind", "recipient", "channel", "reply_to_event_id",
                "created_at", "sent_at")})
        errors: dict[str, str] = {}
        message = build_record(Message, values, "", errors, _LABELS)
        if errors:
            raise FormError(errors)
        return message


def next_message(journal: Journal, now: datetime) -> AgendaItem | None:
    """The message the agenda asks for first: the oldest overdue, else the soonest due
    thank-you, follow-up, answer to a request, or heads-up (for an interview you gave
    references for); None when none is open.

    >>> from datetime import UTC, datetime
    >>> from afterview_analysis.records import Interview
    >>> j = Journal(":memory:")
    >>> _ = j.add(Interview(company="Acme", role="Analyst", starts_at="2026-03-02T09:00Z"))
    >>> next_message(j, datetime(2026, 3, 2, 12, tzinfo=UTC)).step
    'thank_you'
    >>> next_message(j, datetime(2026, 9, 1, tzinfo=UTC)) is None  # long missed
    True
    """
    from afterview_analysis.rules import agenda
    from afterview_analysis.widgets.today import DRAFT_KIND

    given = {h.interview_id for h in journal.find(HeadsUp)}  # interviews with references
    open_items = [i for i in agenda(journal, now) if i.is_open and i.step in DRAFT_KIND
                  and (i.step != Step.CONTACT_REFERENCES or i.interview_id in given)]
    return min(open_items, key=lambda i: (i.status != "overdue", i.due_at), default=None)


class MessagesView:
    """Draft, edit, save, export and mark sent the messages of one interview."""

    def __init__(
        self,
        journal: Journal,
        *,
        now: Callable[[], datetime] = utc_now,
        export_dir: str | Path | None = None,
        interview_id: str | None = None,
        kind: str | None = None,
        recipient: str | None = None,
        event_id: str | None = None,
    ):
        from afterview_analysis import drafting

        self.journal = journal
        self.now = now
        self.zone = journal.profile().timezone
        # exports/ beside the journal in use (the demo's exports stay beside the demo)
        self.export_dir = Path(export_dir) if export_dir else exports_dir(journal)
        self.state = MessageFormState()
        s = {"description_width": "110px"}
        wide = ipw.Layout(width="98%")
        choices = interview_choices(journal, self.zone)[1:]
        self.interview = css(ipw.Dropdown(description="Interview", options=choices, style=s,
                                          layout=wide), "av-msg-interview")
        self.kind = css(ipw.Dropdown(description="Kind", style=s,
                                     options=[(v, k.value) for k, v in KIND_LABELS.items()]),
                        "av-msg-kind")
        self.recipient = css(ipw.Dropdown(description="To", style=s), "av-msg-recipient")
        self.tone = css(ipw.ToggleButtons(description="Tone", options=list(drafting.TONES),
                                          value="warm", style=s), "av-msg-tone")
        self.form = css(ipw.ToggleButtons(description="Form",  # a call sheet: see kinds
                                          options=[f for f in drafting.FORMS if f != "call"],
                                          value="email", style=s), "av-msg-form")
        self.draft_button = css(ipw.Button(description="Write a fresh draft", icon="pencil",
                                           layout=ipw.Layout(width="auto",
                                                             align_self="flex-start")),
                                "av-msg-draft")
        self.fields = {
            "recipient_email": css(ipw.Text(description="Email", style=s, layout=wide),
                                   "av-msg-email"),
            "subject": css(ipw.Text(description="Subject", style=s, layout=wide),
                           "av-msg-subject"),
            "body": css(ipw.Textarea(description="Message", style=s,
                                     layout=ipw.Layout(width="98%", height="320px")),
                        "av-msg-body"),
        }
        self.errors = {name: css(ipw.HTML(""), "av-error", f"av-error-msg-{name}")
                       for name in ("recipient_email", "subject", "body")}
        self.save_button = css(ipw.Button(description="Save draft", icon="save",
                                          button_style="primary"), "av-msg-save")
        self.eml_button = css(ipw.Button(description="Export .eml", icon="envelope"),
                              "av-msg-eml")
        self.sent_button = css(ipw.Button(description="Mark sent", icon="paper-plane"),
                               "av-msg-sent")
        self.ics_button = css(ipw.Button(description="Export agenda .ics", icon="calendar",
                                         layout=ipw.Layout(width="auto")), "av-ics")
        self.day_alarm = css(ipw.Dropdown(
            description="Day deadlines ring at", value="09:00",
            options=[f"{h:02d}:{m:02d}" for h in range(5, 23) for m in (0, 30)],
            style={"description_width": "160px"}, layout=ipw.Layout(width="260px")),
            "av-day-alarm")
        self.mailto = css(ipw.HTML(""), "av-msg-mailto")
        self.download = css(ipw.HTML(""), "av-msg-download")
        self.status = css(ipw.HTML(""), "av-msg-status")
        self.empty = css(ipw.HTML(""), "av-msg-empty")
        #: which message the form opened on, and why (the agenda's first open message)
        self.next_note = css(ipw.HTML(""), "av-msg-next")
        #: what the recipient's contact details allow (no number, no address), in words
        self.channel_note = css(ipw.HTML(""), "av-msg-channel")
        #: the draft checker's hints about the text shown (doubled punctuation, ...)
        self.hints = css(ipw.HTML(""), "av-msg-hints")
        self.unsend_button = css(ipw.Button(description="Undo sent", icon="undo"),
                                 "av-msg-unsend")
        self.history = css(ipw.HTML(""), "av-msg-history")
        self.history_picker = css(ipw.Dropdown(description="Open", style=s,
                                               layout=ipw.Layout(width="70%")),
                                  "av-msg-history-picker")
        self.open_button = css(ipw.Button(description="Open in the editor", icon="folder-open",
                                          layout=ipw.Layout(width="auto")), "av-msg-open")
        self.call = CallForm(self)

        for picker in (self.interview, self.kind, self.recipient, self.tone, self.form):
            picker.observe(self._on_choice, names="value")
        self.draft_button.on_click(lambda _b: self.write_draft())
        self.save_button.on_click(lambda _b: self.save())
        self.eml_button.on_click(lambda _b: self.export_eml())
        self.sent_button.on_click(lambda _b: self.mark_sent())
        self.unsend_button.on_click(lambda _b: self.undo_sent())
        self.open_button.on_click(lambda _b: self.open_saved())
        self.fields["body"].observe(lambda _c: self._show_hints(), names="value")
        self.ics_button.on_click(lambda _b: self.export_ics())

        self.widget = css(ipw.VBox([
            self.empty, self.next_note, self.interview, self.kind, self.recipient, self.tone,
            self.form,
            self.draft_button, self.channel_note,
            *(labelled(self.fields[n], self.errors[n])
              for n in ("recipient_email", "subject", "body")),
            self.hints,
            ipw.HBox([self.save_button, self.eml_button, self.sent_button,
                      self.unsend_button]),
            self.mailto, self.status, self.download,
            ipw.HTML("<h3>Messages and calls for this interview</h3>"), self.history,
            ipw.HBox([self.history_picker, self.open_button]),
            self.call.widget,
            ipw.HTML("<h3>Your agenda in your calendar</h3>"),
            ipw.HTML("<small>Steps due by the end of a day (assess your performance, follow "
                     "up) ring at the hour you pick, in your time zone; the others an hour "
                     "before they are due.</small>"),
            ipw.HBox([self.day_alarm, self.ics_button]),
        ]), "av-messages")
        self._busy = False
        if not choices:
            self.empty.value = ("<b>No interviews yet.</b> Log one in "
                                "<code>1-after-the-interview</code>, then come back here.")
            for w in (self.draft_button, self.save_button, self.eml_button, self.sent_button,
                      self.unsend_button, self.open_button, self.call.log_button):
                w.disabled = True
        elif interview_id is not None:
            self.open_for(interview_id, kind or MessageKind.THANK_YOU.value, recipient,
                          event_id=event_id)
        elif (item := next_message(journal, now())) is not None:
            from afterview_analysis.widgets.today import DRAFT_KIND, STATUS_COLOURS, when_words

            self.open_for(item.interview_id, DRAFT_KIND[item.step].value,
                          event_id=item.event_id)
            self.next_note.value = (
                f"<div style='margin:2px 0 6px'>Next on your agenda: <b>{esc(item.title)}</b>"
                f" · {esc(item.company)} ({esc(item.role)}), <span style='color:"
                f"{STATUS_COLOURS[item.status]}'>{item.status} "
                f"{when_words(item, ZoneInfo(self.zone))}</span>. Pick another interview or "
                "kind below for a different message.</div>")
        else:
            self._refresh_recipients()
            self.write_draft()
        self.refresh_history()
        self.call.refresh()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    # ---- opening pre-filled (the Today agenda's *Draft* buttons)

    def open_for(self, interview_id: str, kind: str = MessageKind.THANK_YOU.value,
                 recipient: str | None = None, *, event_id: str | None = None) -> bool:
        """Choose ``interview_id``, ``kind`` and ``recipient`` and show a fresh draft.

        ``kind`` is a message kind (``"thank_you"``, ``"follow_up"``, ...), its
        command-line name (``"thank-you"``) or an agenda step (``"contact_references"``,
        ``"info_reply"``). ``recipient`` is a name from the recipient list (None: the
        default person for the kind). ``event_id`` is the information request to answer.
        Unsaved edits of the current draft are kept, as with the pickers: then this
        returns False and the status line says so. Returns True when a draft is shown.
        """
        from afterview_analysis.drafting import message_kind

        try:
            wanted = message_kind(kind)
        except AfterviewError as exc:
            self.status.value = error_html(str(exc))
            return False
        if interview_id not in [value for _, value in self.interview.options]:
            self.status.value = error_html("That interview is not in this journal.")
            return False
        if self.has_unsaved_edits():
            self.status.value = error_html(
                "You have edited this draft and not saved it, so it was kept as it is. "
                "Save it, or click \u201cWrite a fresh draft\u201d, then open the new "
                "message again.")
            return False
        self._busy = True
        try:
            self.interview.value = interview_id
            self.kind.value = wanted.value
        finally:
            self._busy = False
        self._refresh_recipients()
        if recipient:
            names = [value for _, value in self.recipient.options]
            if recipient not in names:
                self._busy = True
                try:
                    self.recipient.options = [*self.recipient.options, (recipient, recipient)]
                finally:
                    self._busy = False
            self._busy = True
            try:
                self.recipient.value = recipient
            finally:
                self._busy = False
        self.state.event_id = event_id
        if hasattr(self, "history"):
            self.refresh_history()
            self.call.refresh()
        return self.write_draft()

    # ---- choices

    def _contacts(self) -> list[Any]:
        from afterview_analysis.drafting import contacts_for

        if not self.interview.value:
            return []
        return contacts_for(self.journal, self.interview.value, self.kind.value,
                            self.state.event_id)

    def _person(self) -> Any | None:
        return next((p for p in self._contacts() if p.name == self.recipient.value), None)

    def _refresh_recipients(self) -> None:
        from afterview_analysis.drafting import CALL_KINDS, FORMS

        kind = MessageKind(self.kind.value)
        people = self._contacts()
        if kind == MessageKind.REFERENCE_HEADS_UP:
            none = "(no reference saved: add one in 1-after-the-interview)"
            options = [(p.name, p.name) for p in people]
        else:
            none = "(no one saved for this interview)"
            options = [(p.name if p.contact_role == "interviewer"
                        else f"{p.name} ({CONTACT_WORDS[p.contact_role]})", p.name)
                       for p in people]
        options = options or [(none, ANYONE)]
        forms = [f for f in FORMS if f != "call" or kind in CALL_KINDS]
        self._busy = True
        try:
            self.recipient.options = options
            self.recipient.value = options[0][1]
            if list(self.form.options) != forms:
                keep = self.form.value if self.form.value in forms else "email"
                self.form.options = forms
                self.form.value = keep
            self._default_form()
        finally:
            self._busy = False

    def _default_form(self) -> None:
        """The right channel by default: a call sheet for someone with only a number."""
        person = self._person()
        if person is None or "call" not in self.form.options:
            return
        if person.phone and not person.email:
            self.form.value = "call"
        elif self.form.value == "call" and person.email and not person.phone:
            self.form.value = "email"

    def _on_choice(self, change: dict[str, Any]) -> None:
        if self._busy:
            return
        if change["owner"] in (self.interview, self.kind):
            self.state.event_id = None
            self.next_note.value = ""  # the user chose another message
            self._refresh_recipients()
        elif change["owner"] is self.recipient:
            self._busy = True
            try:
                self._default_form()
            finally:
                self._busy = False
        if change["owner"] is self.interview:
            self.refresh_history()
            self.call.refresh()
        if self.has_unsaved_edits():
            # Nothing the user typed is thrown away by a picker: they choose.
            self.status.value = error_html(
                "You have edited this draft and not saved it, so it was kept as it is. "
                "Save it, or click \u201cWrite a fresh draft\u201d to replace it with a "
                "draft for your new choice.")
            return
        self.write_draft()

    def has_unsaved_edits(self) -> bool:
        """True when the editable fields differ from the last generated or saved draft."""
        draft = self.state.draft
        if draft is None:
            return any(w.value.strip() for w in self.fields.values())
        shown = {"subject": draft.subject or "", "recipient_email": draft.recipient_email or "",
                 "body": draft.body}
        return any(self.fields[name].value != shown[name] for name in shown)

    def read_state(self) -> MessageFormState:
        st = self.state
        st.interview_id, st.kind = self.interview.value or "", self.kind.value
        st.recipient, st.tone, st.form = self.recipient.value or ANYONE, self.tone.value, \
            self.form.value
        for name, widget in self.fields.items():
            setattr(st, name, widget.value)
        return st

    def _show(self) -> None:
        for name, widget in self.fields.items():
            widget.value = getattr(self.state, name)
        for slot in self.errors.values():
            slot.value = ""
        self._show_hints()
        sent = self.state.draft is not None and self.state.draft.sent_at is not None
        call = self.state.draft is not None and self.state.draft.channel == "phone"
        self.unsend_button.disabled = not sent
        self.eml_button.disabled = call
        self.sent_button.disabled = call and not sent
        self._show_mailto()

    def _show_hints(self) -> None:
        """The draft checker's hints about the text in the editor, under it."""
        from dataclasses import replace

        from afterview_analysis import drafting

        draft = self.state.draft
        if draft is None or not self.fields["body"].value.strip():
            self.hints.value = ""
            return
        shown = replace(draft, body=self.fields["body"].value)
        found = drafting.check_message(self.journal, shown)
        if not found:
            self.hints.value = ("<small class='av-hints-ok' style='color:#1a7f37'>"
                                "\u2714 The checker found nothing to fix.</small>")
            return
        items = "".join(f"<li>{esc(h.rule.capitalize())}: {esc(h.message)}</li>"
                        for h in found)
        self.hints.value = (f"<div class='av-hints' style='color:#8a6d3b'><b>Before you send "
                            f"it:</b><ul>{items}</ul></div>")

    def _show_channel_note(self) -> None:
        """Say plainly what the recipient's details allow, and where to add what is missing."""
        person = self._person()
        name = esc(self.recipient.value or "")
        where = ("on the interview form in <a href='1-after-the-interview.ipynb' "
                 "target='_blank'>1-after-the-interview</a>")
        if person is None or not name:
            self.channel_note.value = ""
        elif self.form.value == "call" and not person.phone:
            self.channel_note.value = error_html(
                f"No phone number saved for {self.recipient.value}.") + (
                f" <span>Add it {where}, then draft the call sheet again.</span>")
        elif self.form.value == "email" and not person.email:
            also = " or phone them: pick \u201ccall\u201d," if person.phone and \
                "call" in self.form.options else ""
            self.channel_note.value = error_html(
                f"No email address saved for {self.recipient.value}.") + (
                f" <span>Add it {where},{also} or send a letter.</span>")
        elif self.form.value == "call":
            self.channel_note.value = ok_html(
                f"A call sheet: phone {self.recipient.value} on {person.phone}, then log the "
                "call below.")
        else:
            self.channel_note.value = ""

    def _show_mailto(self) -> None:
        from afterview_analysis import drafting

        try:
            link = drafting.mailto_link(self.state.to_message())
        except (FormError, AfterviewError):
            self.mailto.value = ""
            return
        self.mailto.value = (f'<a class="av-mailto-link" href="{esc(link)}" target="_blank">'
                             "✉ Open in your mail program</a>")

    # ---- actions

    def write_draft(self) -> bool:
        """A fresh draft from the journal for the chosen interview, kind, recipient, tone."""
        from afterview_analysis import drafting

        st = self.read_state()
        self.download.value = ""
        if not st.interview_id:
            return False
        try:
            message = drafting.draft_message(
                self.journal, st.interview_id, st.kind, to=st.recipient or None,
                tone=st.tone, form=st.form, event_id=st.event_id, now=self.now())
        except AfterviewError as exc:
            st.draft, st.saved, st.subject, st.recipient_email, st.body = None, False, "", "", ""
            self._show()
            self.status.value = error_html(f"No draft: {exc}")
            return False
        st.take(message)
        self._show()
        self._show_channel_note()
        self.status.value = ok_html(
            f"Draft {KIND_LABELS[MessageKind(st.kind)]} to {message.recipient}: edit it above, "
            "then save, export or open it in your mail program.")
        return True

    def _message(self) -> Message | None:
        st = self.read_state()
        for slot in self.errors.values():
            slot.value = ""
        try:
            return st.to_message()
        except FormError as exc:
            for key, text in exc.errors.items():
                self.errors.get(key, self.errors["body"]).value = error_html(text)
            self.status.value = error_html("Not saved: see the messages next to the fields.")
            return None

    def save(self) -> bool:
        """Store the draft with the user's edits (a second save updates the same record)."""
        from afterview_analysis import drafting

        message = self._message()
        if message is None:
            return False
        if message.sent_at is not None:
            self.status.value = error_html("This message was already sent; it cannot change.")
            return False
        try:
            if self.state.saved:
                message = drafting.edit_draft(
                    self.journal, message.id, subject=message.subject, body=message.body,
                    recipient_email=message.recipient_email)
            else:
                drafting.save_draft(self.journal, message)
        except AfterviewError as exc:
            self.status.value = error_html(f"Not saved: {exc}")
            return False
        self.state.take(message, saved=True)
        self._show_mailto()
        self.refresh_history()
        self.status.value = ok_html(f"Saved the draft to {message.recipient} "
                                    f"({message.subject or 'no subject'}).")
        return True

    def export_eml(self) -> Path | None:
        """Write the draft as an ``.eml`` file under ``exports/`` and offer a download."""
        from afterview_analysis import drafting

        message = self._message()
        if message is None:
            return None
        try:
            data = drafting.to_eml(message, self.journal.profile())
        except AfterviewError as exc:
            self.status.value = error_html(f"Not exported: {exc}")
            return None
        company = self.interview.label.split(" · ")[1] if self.interview.label else ""
        try:
            path = export_path(self.export_dir, f"{message.kind.value}-{company}-"
                               f"{message.recipient}", ".eml", data)
            write_atomic(path, data, journal=self.journal.path)
        except AfterviewError as exc:
            self.download.value = ""
            self.status.value = error_html(f"Not exported: {exc}")
            return None
        self.download.value = _download_link(data, path.name, "message/rfc822",
                                             f"⬇ Download {path.name}", "av-eml-link")
        self.status.value = ok_html(f"Exported {path} (open it with your mail program).")
        return path

    def mark_sent(self) -> bool:
        """Save if needed, then record that the message went out now. A message already
        marked sent is refused with a line saying when (and how to undo it)."""
        from afterview_analysis import drafting

        draft = self.state.draft
        if draft is not None and draft.sent_at is not None:
            self.status.value = error_html(
                f"Already marked sent on {self._local(draft.sent_at)}; nothing changed. If it "
                "did not go out, click \u201cUndo sent\u201d.")
            return False
        if draft is None or not self.save():
            return False
        try:
            sent = drafting.mark_sent(self.journal, self.state.draft.id, self.now())
        except AfterviewError as exc:
            self.status.value = error_html(f"Not marked sent: {exc}")
            return False
        self.state.take(sent, saved=True)
        self._show()
        self.refresh_history()
        self.status.value = ok_html(
            f"Marked sent to {sent.recipient} on {self._local(sent.sent_at)}: the playbook "
            "step and the response-time charts count it now.")
        return True

    def undo_sent(self) -> bool:
        """Make the message shown a draft again (it did not go out after all)."""
        from afterview_analysis import drafting

        draft = self.state.draft
        if draft is None or draft.sent_at is None:
            self.status.value = error_html("This message is not marked sent; nothing to undo.")
            return False
        try:
            back = drafting.unmark_sent(self.journal, draft.id)
        except AfterviewError as exc:
            self.status.value = error_html(f"Not changed: {exc}")
            return False
        self.state.take(back, saved=True)
        self._show()
        self.refresh_history()
        self.status.value = ok_html(f"The message to {back.recipient} is a draft again "
                                    "(not sent).")
        return True

    def _local(self, moment: datetime) -> str:
        from zoneinfo import ZoneInfo

        local = moment.astimezone(ZoneInfo(self.zone))
        return f"{local:%a} {local.day} {local:%b %Y %H:%M}"

    def saved_messages(self) -> list[Message]:
        """The interview's messages and calls, oldest first."""
        if not self.interview.value:
            return []
        return sorted(self.journal.find(Message, interview_id=self.interview.value),
                      key=lambda m: (m.sent_at or m.created_at, m.id))

    def refresh_history(self) -> None:
        """The history list: each message or call, draft or sent and when."""
        messages = self.saved_messages()
        if not messages:
            self.history.value = "<i>Nothing saved or sent for this interview yet.</i>"
            self.history_picker.options = []
            return
        rows = []
        options = []
        for m in messages:
            what = KIND_LABELS[m.kind]
            if m.channel == "phone" and m.sent_at is not None:
                line = (f"\U0001F4DE phone call with {esc(m.recipient)} \u00b7 "
                        f"{esc(self._local(m.sent_at))} \u00b7 {esc(m.subject or '')}")
                if m.promised_on:
                    line += f" \u00b7 new date {m.promised_on:%a} {m.promised_on.day} " \
                            f"{m.promised_on:%b}"
                label = f"call with {m.recipient}, {self._local(m.sent_at)}"
            else:
                channel = {"letter": "letter", "phone": "call sheet"}.get(m.channel, "email")
                state = (f"<b style='color:#1a7f37'>sent {esc(self._local(m.sent_at))}</b>"
                         if m.sent_at else
                         f"<b>draft</b>, written {esc(self._local(m.created_at))}")
                line = f"{esc(what)} to {esc(m.recipient)} \u00b7 {channel} \u00b7 {state}"
                label = (f"{what} to {m.recipient} ("
                         f"{'sent' if m.sent_at else 'draft'}, {channel})")
            rows.append(f"<li>{line}</li>")
            options.append((label, m.id))
        self.history.value = f"<ul class='av-msg-history-list'>{''.join(rows)}</ul>"
        self.history_picker.options = options
        self.history_picker.value = options[-1][1]  # the newest

    def open_saved(self) -> bool:
        """Show the saved message chosen in the history picker in the editor."""
        message_id = self.history_picker.value
        if not message_id:
            return False
        if self.has_unsaved_edits():
            self.status.value = error_html(
                "You have edited this draft and not saved it, so it was kept as it is. "
                "Save it first, or click \u201cWrite a fresh draft\u201d.")
            return False
        message = self.journal.get(Message, message_id)
        self.state.take(message, saved=True)
        self._show()
        self._show_mailto()
        sent = f"sent {self._local(message.sent_at)}" if message.sent_at else "a draft"
        self.status.value = ok_html(f"Opened the message to {message.recipient} ({sent}).")
        return True

    def export_ics(self) -> Path | None:
        """Write every open agenda item as ``exports/afterview-agenda.ics``."""
        from afterview_analysis.reminders import agenda_ics
        from afterview_analysis.rules import agenda

        now = self.now()
        items = agenda(self.journal, now)
        hour, minute = (int(x) for x in self.day_alarm.value.split(":"))
        data = agenda_ics(items, now=now, day_alarm_at=time(hour, minute),
                          zone=self.journal.profile().timezone)
        # one agenda file, replaced by each export (its events keep their UIDs)
        path = export_path(self.export_dir, "afterview-agenda", ".ics")
        try:
            write_atomic(path, data, journal=self.journal.path)
        except AfterviewError as exc:
            self.download.value = ""
            self.status.value = error_html(f"Not exported: {exc}")
            return None
        n = sum(item.is_open for item in items)
        self.download.value = _download_link(data, path.name, "text/calendar",
                                             f"⬇ Download {path.name}", "av-ics-link")
        self.status.value = ok_html(f"Exported {n} open agenda item{'s' if n != 1 else ''} "
                                    f"to {path}; import it into your calendar.")
        return path


class CallForm:
    """Log a phone call that happened: when, with whom, the outcome in a line, the new date
    they gave, notes. It counts as a sent follow-up (or reply): see
    :func:`afterview_analysis.drafting.log_call`."""

    def __init__(self, view: MessagesView):
        self.view = view
        s = {"description_width": "110px"}
        self.day = css(ipw.DatePicker(description="Date", style=s), "av-call-date")
        self.clock = css(ipw.Text(description="Time (HH:MM)", placeholder="14:30", style=s,
                                  layout=ipw.Layout(width="220px")), "av-call-time")
        self.who = css(ipw.Combobox(description="With whom", style=s, ensure_option=False,
                                    placeholder="a name"), "av-call-who")
        self.outcome = css(ipw.Text(description="Outcome", style=s,
                                    placeholder="in a line: still deciding, next round, ...",
                                    layout=ipw.Layout(width="98%")), "av-call-outcome")
        self.promised = css(ipw.DatePicker(description="New date", style=s),
                            "av-call-promised")
        self.notes = css(ipw.Textarea(description="Notes", style=s,
                                      layout=ipw.Layout(width="98%", height="90px")),
                         "av-call-notes")
        self.log_button = css(ipw.Button(description="Log the call", icon="phone"),
                              "av-call-log")
        self.log_button.on_click(lambda _b: self.log())
        self.status = css(ipw.HTML(""), "av-call-status")
        self.widget = css(ipw.VBox([
            ipw.HTML("<h3>Log a phone call</h3><small>A call you made to follow up or to "
                     "answer their request counts as the message sent. If they gave a new "
                     "date, the next follow-up moves to a week after it.</small>"),
            ipw.HBox([self.day, self.clock]), self.who, self.outcome, self.promised,
            self.notes, self.log_button, self.status,
        ]), "av-call")

    def refresh(self) -> None:
        """The people of the chosen interview as suggestions; today's date."""
        from zoneinfo import ZoneInfo

        from afterview_analysis.drafting import contacts_for

        view = self.view
        iid = view.interview.value
        names = [p.name for p in contacts_for(view.journal, iid, MessageKind.FOLLOW_UP)] \
            if iid else []
        self.who.options = names
        if not self.who.value and names:
            self.who.value = names[0]
        if self.day.value is None:
            self.day.value = view.now().astimezone(ZoneInfo(view.zone)).date()

    def log(self) -> bool:
        from afterview_analysis import drafting
        from afterview_analysis.widgets._common import combine_local

        view = self.view
        if not view.interview.value:
            self.status.value = error_html("Pick an interview first.")
            return False
        try:
            at = combine_local(self.day.value, self.clock.value, view.zone)
        except ValueError as exc:
            self.status.value = error_html(f"Not logged: When {exc}")
            return False
        kind = (MessageKind.INFO_REPLY if view.kind.value == MessageKind.INFO_REPLY
                else MessageKind.FOLLOW_UP)
        try:
            call = drafting.log_call(
                view.journal, view.interview.value, who=self.who.value, at=at, kind=kind,
                outcome=self.outcome.value, promised_on=self.promised.value,
                notes=self.notes.value, event_id=view.state.event_id, now=view.now())
        except AfterviewError as exc:
            self.status.value = error_html(f"Not logged: {exc}")
            return False
        self.outcome.value = self.notes.value = self.clock.value = ""
        self.promised.value = None
        view.refresh_history()
        moved = (f" The next follow-up is due a week after {call.promised_on:%a} "
                 f"{call.promised_on.day} {call.promised_on:%b}."
                 if call.promised_on else "")
        self.status.value = ok_html(
            f"Logged the call with {call.recipient} on {view._local(call.sent_at)}: it counts "
            f"as the {KIND_WORDS[call.kind]} sent.{moved}")
        return True
