"""The "after the interview" form: an ipywidgets view over :class:`InterviewFormState`.

The view only moves values between widgets and the state, and calls the journal; the
rules (validation, due times, outcomes) live in the state module, records.py and rules.py.

Drive it as a user would (this is how the tests and the notebook use it)::

    view = InterviewFormView(Journal())
    view.fields["company"].value = "Acme"
    view.fields["role"].value = "Data analyst"
    view.add_question_button.click()
    view.question_rows[0].fields["text"].value = "Why Acme?"
    view.question_rows[0].fields["score"].value = "4"
    view.save_button.click()
    view.status.value          # "✔ Saved ..." or "⚠ Not saved ..."
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import ipywidgets as ipw

from afterview_analysis.journal import Journal, JournalError
from afterview_analysis.records import (
    AfterviewError,
    Category,
    ContactRole,
    EmployerEvent,
    EventKind,
    Format,
    HeadsUp,
    Interview,
    Message,
    Outcome,
    PlaybookStep,
    Stage,
    Step,
    utc_now,
)
from afterview_analysis.widgets._common import (
    css,
    error_html,
    esc,
    labelled,
    ok_html,
    profile_links_html,
)
from afterview_analysis.widgets.interview_state import (
    FIELD_LABELS,
    KEEP_IN_TOUCH,
    REFERENCE_LABELS,
    STEP_LABELS,
    EventFormState,
    FormError,
    InterviewerRow,
    InterviewFormState,
    QuestionRow,
    event_outcome_update,
    probe_interview,
)

__all__ = ["CONTACT_ROLE_LABELS", "EmployerEventsView", "InterviewFormView",
           "interview_choices"]

#: How the form names each contact role (what each person at the employer is).
CONTACT_ROLE_LABELS = {"interviewer": ContactRole.INTERVIEWER.value,
                       "recruiter": ContactRole.RECRUITER.value,
                       "HR": ContactRole.HR.value}

_WIDE = ipw.Layout(width="98%")
_STYLE = {"description_width": "160px"}
# fields side by side stay top-aligned when an error line appears under one of them
_TOP = {"align_items": "flex-start"}
NEW = ""  # the picker's value for "a new interview"
_KEEP_WORD = {v: k for k, v in KEEP_IN_TOUCH.items()}  # True -> "yes", None -> "not discussed"


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")


def _cls(field: str) -> str:
    return field.replace("_", "-")


def interview_choices(journal: Journal, zone: str) -> list[tuple[str, str]]:
    """Picker options: ("New interview", ""), then every interview, newest first.

    Read from the stored rows, which were checked when written: every save lists the
    picker again, and building (and checking) a record per interview made a save on a
    journal of 1,000 interviews take about 20 ms more.
    """
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone)
    start = Interview.checks()["starts_at"]  # the stored text as an aware datetime
    rows = [(start(row["starts_at"]), row) for row in journal.rows("interviews")]
    options = [("+ New interview", NEW)]
    for starts_at, row in sorted(rows, key=lambda pair: pair[0], reverse=True):
        when = starts_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
        options.append((f"{when} · {row['company']} · {row['role']} ({row['stage']})",
                        row["id"]))
    return options


def _when(item: Any, tz: Any) -> str:
    """A checklist item's status and time in words: "<b>due</b> by Wed 2 Dec 10:00"."""
    due = item.due_at.astimezone(tz)
    if item.status == "done" and item.done_at is not None:
        moment = f"{item.done_at.astimezone(tz):%a %-d %b %H:%M}"
        late = " (late)" if item.late else ""
        return f"<b>done</b> {moment}{late}"
    words = {"due": "by", "overdue": "since", "missed": "was due"}
    return f"<b>{esc(item.status)}</b> {words.get(item.status, '')} {due:%a %-d %b %Y %H:%M}"


def _error_slot(key_class: str) -> ipw.HTML:
    return css(ipw.HTML(""), "av-error", f"av-error-{key_class}")


class _RowView:
    """Widgets for one row (interviewer or question) bound to its row state."""

    kind = ""

    def __init__(self, row: Any, on_remove: Callable[[_RowView], None]):
        self.row = row
        self.fields: dict[str, ipw.Widget] = {}
        self.errors: dict[str, ipw.HTML] = {}
        self.remove_button = css(
            ipw.Button(description="Remove", icon="trash", layout=ipw.Layout(width="110px")),
            f"av-{self.kind}-remove",
        )
        self.remove_button.on_click(lambda _b: on_remove(self))

    def _field(self, name: str, widget: ipw.Widget, short: str) -> ipw.VBox:
        css(widget, f"av-{short}-{_cls(name)}")
        widget.value = getattr(self.row, name)
        self.fields[name] = widget
        self.errors[name] = _error_slot(f"{short}-{_cls(name)}")
        return labelled(widget, self.errors[name])

    def read(self) -> None:
        for name, widget in self.fields.items():
            setattr(self.row, name, widget.value)


class InterviewerRowView(_RowView):
    kind = "interviewer"

    def __init__(self, row: InterviewerRow, on_remove: Callable[[_RowView], None]):
        super().__init__(row, on_remove)
        short = {"description_width": "50px"}
        cells = [
            self._field(name, ipw.Text(description=label, placeholder=hint, style=short,
                                     layout=ipw.Layout(width="240px")), "iv")
            for name, label, hint in (
                ("name", "Name", "required"),
                ("title", "Title", ""),
                ("email", "Email", "name@example.com"),
                ("phone", "Phone", "+49 30 1234567"),
                ("profile_url", "Profile", "https://linkedin.com/in/..."),
            )
        ]
        cells.append(self._field("contact_role", ipw.Dropdown(
            description="Is", options=list(CONTACT_ROLE_LABELS.items()), style=short,
            layout=ipw.Layout(width="200px")), "iv"))
        self.widget = css(ipw.HBox([*cells, self.remove_button],
                                 layout=ipw.Layout(flex_flow="row wrap", **_TOP)),
                          "av-interviewer-row")


class QuestionRowView(_RowView):
    kind = "question"

    def __init__(self, row: QuestionRow, on_remove: Callable[[_RowView], None]):
        super().__init__(row, on_remove)
        text = self._field("text", ipw.Textarea(description="Question", placeholder="required",
                                              style=_STYLE, layout=_WIDE), "q")
        category = self._field(
            "category",
            ipw.Dropdown(description="Category", options=[c.value for c in Category],
                       style={"description_width": "70px"}, layout=ipw.Layout(width="260px")),
            "q",
        )
        score = self._field("score", ipw.Text(description="Score 1-5", placeholder="1-5",
                                            style={"description_width": "70px"},
                                            layout=ipw.Layout(width="140px")), "q")
        minutes = self._field("minutes", ipw.Text(description="Minutes", placeholder="optional",
                                                style={"description_width": "60px"},
                                                layout=ipw.Layout(width="150px")), "q")
        answer = self._field("answer", ipw.Textarea(description="Your answer", style=_STYLE,
                                                  layout=_WIDE), "q")
        next_time = self._field("next_time", ipw.Textarea(description="Say next time",
                                                        style=_STYLE, layout=_WIDE), "q")
        self.widget = css(
            ipw.VBox([text, ipw.HBox([category, score, minutes, self.remove_button],
                                   layout=ipw.Layout(**_TOP)), answer,
                    next_time],
                   layout=ipw.Layout(border="1px solid #ddd", padding="4px", margin="4px 0")),
            "av-question-row",
        )


class InterviewFormView:
    """Pick or start an interview, log it, tick the playbook, save; see the module doc.

    Important widgets (all carry an ``av-...`` CSS class, see :attr:`fields`):
    ``picker``, ``new_button``, ``fields[name]``, ``interviewer_rows``,
    ``add_interviewer_button``, ``question_rows``, ``add_question_button``,
    ``skill_controls[skill]``, ``step_buttons[step]``, ``save_button``, ``status``,
    ``events`` (an :class:`EmployerEventsView`).
    """

    def __init__(
        self,
        journal: Journal,
        *,
        zone: str | None = None,
        now: Callable[[], datetime] = utc_now,
        interview_id: str | None = None,
    ):
        self.journal = journal
        self.zone = zone or journal.profile().timezone
        self.now = now
        self.skills = journal.skills()
        self.profile = journal.profile()
        self.state = InterviewFormState.blank(self.skills, self.zone, self._today())
        self.fields: dict[str, ipw.Widget] = {}
        self.errors: dict[str, ipw.HTML] = {}
        self.interviewer_rows: list[InterviewerRowView] = []
        self.question_rows: list[QuestionRowView] = []
        self._loading = False
        self._shown: InterviewFormState | None = None  # what was last loaded or saved
        self._pending_pick: str | None = None
        self.focused: str | None = None  # the field a failed save put the cursor in
        self._build()
        self.events = EmployerEventsView(self)
        self.widget = css(ipw.VBox([*self._sections(), self.events.widget]), "av-interview-form")
        if interview_id:
            self.picker.value = interview_id
        else:
            self.show_state()

    # ---- display

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def _today(self):
        from zoneinfo import ZoneInfo

        return self.now().astimezone(ZoneInfo(self.zone)).date()

    # ---- construction

    def _field(self, name: str, widget: ipw.Widget) -> ipw.VBox:
        css(widget, f"av-{_cls(name)}")
        self.fields[name] = widget
        self.errors[name] = _error_slot(_cls(name))
        return labelled(widget, self.errors[name])

    def _build(self) -> None:
        s = _STYLE
        self.picker = css(ipw.Dropdown(description="Interview", style=s, layout=_WIDE,
                                     options=interview_choices(self.journal, self.zone),
                                     value=NEW), "av-interview-picker")
        self.picker.observe(self._on_pick, names="value")
        self.new_button = css(ipw.Button(description="New interview", icon="plus"), "av-new")
        self.new_button.on_click(lambda _b: self._request(NEW))
        self.zone_note = css(ipw.HTML(
            f"Times are in <b>{esc(self.zone)}</b> (your profile's time zone)."), "av-zone")

        def text(name: str, hint: str = "") -> ipw.VBox:
            return self._field(name, ipw.Text(description=FIELD_LABELS[name], placeholder=hint,
                                            style=s, layout=_WIDE))

        def area(name: str, hint: str = "") -> ipw.VBox:
            return self._field(name, ipw.Textarea(description=FIELD_LABELS[name],
                                                placeholder=hint, style=s, layout=_WIDE))

        def choice(name: str, options: Any) -> ipw.VBox:
            return self._field(name, ipw.Dropdown(description=FIELD_LABELS[name],
                                                options=options, style=s))

        self.interview_box = ipw.VBox([
            text("company", "required"),
            text("role", "required"),
            ipw.HBox([choice("stage", [x.value for x in Stage]),
                    choice("format", [x.value for x in Format])], layout=ipw.Layout(**_TOP)),
            ipw.HBox([
                self._field("start_date", ipw.DatePicker(description="Date", style=s)),
                self._field("start_time", ipw.Text(description="Time (HH:MM)",
                                                 placeholder="09:30", style=s)),
                self._field("duration_minutes", ipw.Text(description="Length (minutes)",
                                                       style=s)),
            ], layout=ipw.Layout(**_TOP)),
            self.zone_note,
            text("location", "office address or video link"),
            text("job_url", "https://..."),
            area("notes"),
        ])
        # the start has one error slot for date and time together
        self.errors["starts_at"] = _error_slot("starts-at")
        self.interview_box.children = (*self.interview_box.children[:4],
                                       self.errors["starts_at"],
                                       *self.interview_box.children[4:])
        self.next_steps_box = ipw.VBox([
            text("process_length", "e.g. three rounds over four weeks"),
            self._field("feedback_by", ipw.DatePicker(description="Feedback by", style=s)),
            choice("keep_in_touch", list(KEEP_IN_TOUCH)),
        ])
        self.add_interviewer_button = css(ipw.Button(description="Add interviewer",
                                                   icon="user-plus"), "av-add-interviewer")
        self.add_interviewer_button.on_click(lambda _b: self._add_interviewer())
        self.interviewers_box = css(ipw.VBox([]), "av-interviewers")
        self.add_question_button = css(ipw.Button(description="Add question", icon="plus"),
                                       "av-add-question")
        self.add_question_button.on_click(lambda _b: self._add_question())
        self.questions_box = css(ipw.VBox([]), "av-questions")
        self.reference_picker = css(ipw.SelectMultiple(
            description="Given for this", style=s, layout=_WIDE, rows=4),
            "av-reference-picker")
        self.reference_fields: dict[str, ipw.Text] = {}
        ref_cells = []
        for name, hint in (("name", "to add a new reference"), ("relationship",
                           "e.g. former manager"), ("email", "name@example.com"),
                           ("phone", "+49 30 1234567"),
                           ("speaks_to", "finish the sentence: they can speak to ... "
                            "e.g. my work on the billing migration")):
            widget = css(ipw.Text(description=REFERENCE_LABELS[name], placeholder=hint,
                                  style=s, layout=_WIDE), f"av-ref-{_cls(name)}")
            self.reference_fields[name] = widget
            self.errors[f"reference.{name}"] = _error_slot(f"ref-{_cls(name)}")
            ref_cells.append(labelled(widget, self.errors[f"reference.{name}"]))
        self.references_box = css(ipw.VBox([
            ipw.HTML("<small>References are kept once and given for any number of "
                     "interviews. Pick the ones you gave here (Ctrl- or Cmd-click for "
                     "several), or add a new one below; <i>Messages</i> drafts the "
                     "heads-up to them.</small>"),
            self.reference_picker,
            ipw.HTML("<b>Add a reference</b>"), *ref_cells,
        ]), "av-references")
        self.skill_controls: dict[str, ipw.ToggleButtons] = {}
        skill_rows = []
        for name in self.skills:
            control = css(ipw.ToggleButtons(
                description=name, options=[("–", 0)] + [(str(i), i) for i in range(1, 6)],
                value=0, style={"description_width": "160px", "button_width": "36px"},
                tooltips=["not scored", "1 poor", "2", "3 fair", "4", "5 excellent"],
            ), "av-skill", f"av-skill-{_slug(name)}")
            self.skill_controls[name] = control
            self.errors[f"skills.{name}"] = _error_slot(f"skill-{_slug(name)}")
            skill_rows.append(labelled(control, self.errors[f"skills.{name}"]))
        self.reflection_box = ipw.VBox([
            *skill_rows,
            area("recall_point", "finish the sentence \u201cI enjoyed our conversation "
                 "about \u2026\u201d, e.g. their plan to move reporting onto a semantic "
                 "layer (a note such as \u201cLena said they are hiring\u201d works too)"),
            area("forgotten_strength", "finish the sentence \u201cI did not get to mention "
                 "\u2026\u201d, e.g. that I led the migration of 120 reports to dbt"),
            text("predicted_chance", "0-100"),
            ipw.HBox([choice("outcome", [x.value for x in Outcome]),
                    self._field("outcome_on", ipw.DatePicker(description="Outcome date",
                                                           style=s))], layout=ipw.Layout(**_TOP)),
        ])
        self.step_buttons: dict[Step, ipw.Button] = {}
        self.step_labels: dict[Step, ipw.HTML] = {}
        step_rows = []
        for step in Step:
            button = css(ipw.Button(description="Done", layout=ipw.Layout(
                width="110px", min_width="110px", flex="0 0 auto")),
                         "av-step-done", f"av-step-done-{_cls(step.value)}")
            button.on_click(lambda _b, step=step: self._toggle_step(step))
            label = css(ipw.HTML(""), "av-step-label", f"av-step-{_cls(step.value)}")
            self.step_buttons[step], self.step_labels[step] = button, label
            step_rows.append(ipw.HBox([button, label], layout=ipw.Layout(align_items="center")))
        self.steps_status = css(ipw.HTML(""), "av-steps-status")
        self.requests = css(ipw.HTML(""), "av-info-requests")
        self.steps_box = css(ipw.VBox([*step_rows, self.requests, self.steps_status]),
                             "av-steps")
        for name in ("start_date", "start_time", "duration_minutes", "feedback_by"):
            self.fields[name].observe(lambda _c: self.show_steps(), names="value")
        self.save_button = css(ipw.Button(description="Save", button_style="primary",
                                        icon="save"), "av-save")
        self.save_button.on_click(lambda _b: self.save())
        self.status = css(ipw.HTML(""), "av-status")

    def _sections(self) -> list[ipw.Widget]:
        def head(text: str) -> ipw.HTML:
            return ipw.HTML(f"<h3>{text}</h3>")

        return [
            ipw.HBox([self.picker, self.new_button]),
            head("1 · The interview"), self.interview_box,
            head("2 · Next steps the employer stated"), self.next_steps_box,
            head("Interviewers, recruiter and HR"), self.interviewers_box,
            self.add_interviewer_button,
            head("References you gave"), self.references_box,
            head("3 · Questions you remember"), self.questions_box, self.add_question_button,
            head("Skill rubric (1-5) and reflection"), self.reflection_box,
            head("Playbook checklist"), self.steps_box,
            ipw.HBox([self.save_button]), self.status,
        ]

    # ---- rows

    def _remove_row(self, view: _RowView) -> None:
        if isinstance(view, InterviewerRowView):
            self.interviewer_rows.remove(view)
            self.state.interviewers.remove(view.row)
        else:
            self.question_rows.remove(view)
            self.state.questions.remove(view.row)
        self._layout_rows()

    def _add_interviewer(self, row: InterviewerRow | None = None) -> InterviewerRowView:
        row = row or InterviewerRow()
        if row not in self.state.interviewers:
            self.state.interviewers.append(row)
        view = InterviewerRowView(row, self._remove_row)
        self.interviewer_rows.append(view)
        self._layout_rows()
        return view

    def _add_question(self, row: QuestionRow | None = None) -> QuestionRowView:
        row = row or QuestionRow()
        if row not in self.state.questions:
            self.state.questions.append(row)
        view = QuestionRowView(row, self._remove_row)
        self.question_rows.append(view)
        self._layout_rows()
        return view

    def _layout_rows(self) -> None:
        self.interviewers_box.children = [r.widget for r in self.interviewer_rows]
        self.questions_box.children = [r.widget for r in self.question_rows]

    # ---- state <-> widgets

    def read_state(self) -> InterviewFormState:
        """Copy every widget's value into :attr:`state` (nothing is validated here)."""
        st = self.state
        for name, widget in self.fields.items():
            setattr(st, name, widget.value)
        # the dropdown holds words: None would show as an empty box, not "not discussed"
        st.keep_in_touch = KEEP_IN_TOUCH.get(self.fields["keep_in_touch"].value)
        for row in (*self.interviewer_rows, *self.question_rows):
            row.read()
        st.skill_scores = {
            name: (c.value or None) for name, c in self.skill_controls.items()
        }
        st.references = tuple(self.reference_picker.value)
        for name, widget in self.reference_fields.items():
            setattr(st.new_reference, name, widget.value)
        return st

    def show_state(self) -> None:
        """Put :attr:`state` into the widgets (rows rebuilt), clear errors."""
        st = self.state
        self._loading = True
        try:
            for name, widget in self.fields.items():
                if name == "keep_in_touch":
                    widget.value = _KEEP_WORD[st.keep_in_touch]
                else:
                    widget.value = getattr(st, name)
            for name, control in self.skill_controls.items():
                control.value = st.skill_scores.get(name) or 0
            self._show_references()
            self.interviewer_rows = [InterviewerRowView(r, self._remove_row)
                                     for r in st.interviewers]
            self.question_rows = [QuestionRowView(r, self._remove_row) for r in st.questions]
            self._layout_rows()
        finally:
            self._loading = False
        self.show_errors({})
        self.show_steps()
        self.events.show_events()
        self._shown = copy.deepcopy(self.read_state())
        self._pending_pick = None

    def _show_references(self) -> None:
        """The saved references as picker options (told ones say when), the state's
        choice selected, the new-reference row filled from the state."""
        from afterview_analysis.records import Reference

        st = self.state
        told = {}
        if not st.is_new:
            told = {h.reference_id: h.sent_at
                    for h in self.journal.find(HeadsUp, interview_id=st.id) if h.sent_at}
        options = []
        for ref in self.journal.find(Reference):
            label = ref.name + (f" \u00b7 {ref.relationship}" if ref.relationship else "")
            if ref.id in told:
                label += f" \u00b7 told {told[ref.id]:%Y-%m-%d}"
            options.append((label, ref.id))
        self.reference_picker.options = options
        known = {value for _, value in options}
        self.reference_picker.value = tuple(r for r in st.references if r in known)
        for name, widget in self.reference_fields.items():
            widget.value = getattr(st.new_reference, name)

    def has_unsaved_edits(self) -> bool:
        """True when the form differs from what was last loaded or saved."""
        return self._shown is not None and self.read_state() != self._shown

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each message next to its field; every other slot emptied."""
        slots = dict(self.errors)
        for i, row in enumerate(self.interviewer_rows):
            slots.update({f"interviewers.{i}.{k}": v for k, v in row.errors.items()})
        for i, row in enumerate(self.question_rows):
            slots.update({f"questions.{i}.{k}": v for k, v in row.errors.items()})
        unplaced = []
        for key, message in errors.items():
            if key not in slots:
                unplaced.append(message)
        for key, slot in slots.items():
            slot.value = error_html(errors.get(key))
        self._unplaced = unplaced

    def _field_widgets(self) -> dict[str, ipw.Widget]:
        """Every error key and its input, in the order they stand on the form."""
        out: dict[str, ipw.Widget] = {}
        for name, widget in self.fields.items():
            if name == "start_date":
                out["starts_at"] = self.fields["start_time"]  # the date and time share a slot
            out[name] = widget
            if name == "keep_in_touch":  # the rows come between next steps and reflection
                for i, row in enumerate(self.interviewer_rows):
                    out.update({f"interviewers.{i}.{k}": w for k, w in row.fields.items()})
                for i, row in enumerate(self.question_rows):
                    out.update({f"questions.{i}.{k}": w for k, w in row.fields.items()})
                out.update({f"skills.{k}": c for k, c in self.skill_controls.items()})
        return out

    def first_problem(self, errors: dict[str, str]) -> str | None:
        """The error key that stands highest on the form."""
        order = list(self._field_widgets())
        placed = [k for k in errors if k in order]
        return min(placed, key=order.index) if placed else next(iter(errors), None)

    def focus_field(self, key: str) -> None:
        """Put the cursor in the field of ``key``: the browser scrolls it into view."""
        widget = self._field_widgets().get(key)
        if widget is not None and hasattr(widget, "focus"):
            widget.focus()
        self.focused = key

    # ---- the playbook checklist

    def checklist(self) -> list[Any]:
        """The playbook items for the interview on the form (``rules.steps_for``)."""
        from afterview_analysis import rules

        st = self.read_state()
        probe = probe_interview(st)
        if probe is None:
            return []
        j = self.journal
        stored: dict[str, list[Any]] = {"events": [], "messages": [], "heads_ups": []}
        if not st.is_new:
            stored = {
                "events": j.find(EmployerEvent, interview_id=st.id),
                "messages": j.find(Message, interview_id=st.id),
                "heads_ups": j.find(HeadsUp, interview_id=st.id),
            }
        return rules.steps_for(
            probe, list(st.steps.values()), stored["events"], stored["messages"], self.zone,
            now=self.now(), heads_ups=stored["heads_ups"], profile=self.profile,
        )

    def show_steps(self) -> None:
        if self._loading:
            return
        from zoneinfo import ZoneInfo

        from afterview_analysis.rules import TICKED_BY_LOGGING

        tz = ZoneInfo(self.zone)
        items = self.checklist()
        by_step = {item.step: item for item in items}
        colours = {"done": "#1a7f37", "due": "#555", "overdue": "#b42318", "missed": "#8a6d3b"}
        for step in Step:
            item = by_step.get(step.value)
            marked = step in self.state.steps
            if item is None and not items:
                text = ("<span style='color:#555'>due time appears once the date and time "
                        "are valid</span>")
            elif item is None:
                text = "<span style='color:#555'>not needed: the employer answered</span>"
            else:
                # an open review step shows the profiles as links (as Today does), not
                # their names a second time in the reason
                reason = (profile_links_html(self.profile)
                          if step == Step.REVIEW_PROFILES and item.is_open
                          else f"<small>{esc(item.reason)}</small>")
                text = (f"<span style='color:{colours[item.status]}'>{_when(item, tz)}</span>"
                        f" · {reason}")
            record = self.state.steps.get(step)
            if record is not None and (record.note or "").startswith(TICKED_BY_LOGGING):
                text += (" · <i class='av-step-auto'>ticked when you saved "
                         f"{esc(record.note.split(': ', 1)[-1])}</i>")
            self.step_labels[step].value = f"{esc(STEP_LABELS[step])} — {text}"
            self.step_buttons[step].description = "Undo" if marked else "Done"
            self.step_buttons[step].icon = "undo" if marked else "check"
        extra = [i for i in items if i.step not in {s.value for s in Step}]
        self.requests.value = "".join(
            f"<div>Answer their request — <span style='color:{colours[i.status]}'>"
            f"{_when(i, tz)}</span> · <small>{esc(i.reason)}</small></div>"
            for i in extra
        )

    def _toggle_step(self, step: Step) -> None:
        st = self.state
        saved = not st.is_new
        try:
            if step in st.steps:
                record = st.mark_not_done(step)
                if saved and record is not None:
                    stored = self.journal.find(PlaybookStep, interview_id=st.id, step=step)
                    for r in stored:
                        self.journal.delete(PlaybookStep, r.id)
                word = "not done"
            else:
                record = st.mark_done(step, self.now().astimezone(UTC).replace(microsecond=0))
                if saved:
                    self.journal.add(record)
                word = "done"
        except AfterviewError as exc:
            self.steps_status.value = error_html(str(exc))
            return
        where = "saved" if saved else "will be saved with the interview"
        self.steps_status.value = ok_html(f"{STEP_LABELS[step]}: {word} ({where}).")
        self.show_steps()

    # ---- picking and saving

    def _on_pick(self, change: dict[str, Any]) -> None:
        if not self._loading:
            self._request(change["new"])

    def _request(self, interview_id: str) -> None:
        """Open another interview (or a new one), unless that would lose unsaved typing:
        then stay, say so, and open it only if the user asks for it a second time."""
        if self.has_unsaved_edits() and self._pending_pick != interview_id:
            self._set_picker(self.state.id if not self.state.is_new else NEW)
            self._pending_pick = interview_id
            self.status.value = error_html(
                "This form has changes you have not saved, so it stayed open. Save them "
                "first, or make the same choice again to discard them.")
            return
        self._pick(interview_id)

    def _pick(self, interview_id: str) -> None:
        if interview_id == NEW:
            self.state = InterviewFormState.blank(self.skills, self.zone, self._today())
        else:
            log = self.journal.load_interview(interview_id)
            self.state = InterviewFormState.from_log(log, self.skills, self.zone)
            self.state.references = tuple(dict.fromkeys(
                h.reference_id for h in self.journal.find(HeadsUp, interview_id=interview_id)))
        self._set_picker(interview_id)
        self.show_state()
        self.status.value = ""
        self.steps_status.value = ""

    def _set_picker(self, value: str) -> None:
        self._loading = True
        try:
            self.picker.options = interview_choices(self.journal, self.zone)
            self.picker.value = value
        finally:
            self._loading = False

    def load(self, interview_id: str) -> None:
        """Fill the form from a stored interview (as picking it does)."""
        self._pick(interview_id)

    def _save_references(self, interview_id: str, new: Any, given: list[str]) -> None:
        """Keep a new reference and make the interview's references the ones given (a
        reference already told about this interview stays given)."""
        if new is not None:
            self.journal.add(new)
        stored = self.journal.find(HeadsUp, interview_id=interview_id)
        for h in stored:
            if h.reference_id not in given and h.sent_at is None:
                self.journal.delete(HeadsUp, h.id)
        have = {h.reference_id for h in stored}
        for reference_id in given:
            if reference_id not in have:
                self.journal.add(HeadsUp(interview_id=interview_id, reference_id=reference_id))

    def save(self) -> bool:
        """Validate and store the whole form; errors go next to the fields, nothing stored."""
        st = self.read_state()
        try:
            errors: dict[str, str] = {}
            try:
                new_reference, given = st.reference_records()
            except FormError as exc:
                errors.update(exc.errors)
            try:
                log = st.to_log()
            except FormError as exc:
                errors = {**exc.errors, **errors}
            if errors:
                raise FormError(errors)
        except FormError as exc:
            self.show_errors(exc.errors)
            n = len(exc.errors)
            extra = "".join(f"<br>{error_html(m)}" for m in self._unplaced)
            first = self.first_problem(exc.errors)
            said = f" The first: {exc.errors[first]}." if first else ""
            self.status.value = error_html(
                f"Not saved: {n} problem{'s' if n != 1 else ''} — see the messages "
                f"next to the fields.{said} Nothing was written; your text is kept."
            ) + extra
            if first:
                self.focus_field(first)
            return False
        from afterview_analysis.rules import steps_done_by_logging

        before = None if st.is_new else self.journal.load_interview(st.id)
        ticked = steps_done_by_logging(log, self.now(), before)
        try:
            with self.journal.transaction():
                self.journal.save_interview(
                    log.interview, interviewers=log.interviewers, questions=log.questions,
                    skill_scores=log.skill_scores, steps=[*log.steps, *ticked],
                )
                self._save_references(log.interview.id, new_reference, given)
        except (JournalError, AfterviewError) as exc:
            self.show_errors({})
            self.status.value = error_html(f"Not saved: {exc}")
            return False
        was_new = st.is_new
        summary = st.summary()
        self._pick(log.interview.id)
        verb = "Saved new interview" if was_new else "Saved changes to"
        done = "".join(f" Ticked \u201c{STEP_LABELS[s.step].split(' (')[0]}\u201d: "
                       f"{s.note.split(': ', 1)[-1]} saved." for s in ticked)
        self.status.value = ok_html(f"{verb} {summary}.{done}")
        return True


class EmployerEventsView:
    """Record what the employer did later (feedback, information request, outcome)."""

    def __init__(self, form: InterviewFormView):
        self.form = form
        s = _STYLE
        self.kind = css(ipw.Dropdown(description="Event", style=s,
                                   options=[(k.value.replace("_", " "), k.value)
                                            for k in EventKind]), "av-event-kind")
        self.day = css(ipw.DatePicker(description="Date", style=s, value=form._today()),
                       "av-event-date")
        self.clock = css(ipw.Text(description="Time (HH:MM)", value="12:00", style=s),
                         "av-event-time")
        self.note = css(ipw.Textarea(description="Note", style=s, layout=_WIDE), "av-event-note")
        self.sender = css(ipw.Dropdown(description="From", style=s, options=[("", "")]),
                          "av-event-from")
        self.errors = {name: _error_slot(f"event-{name}") for name in ("kind", "at", "note")}
        self.record_button = css(ipw.Button(description="Record event", icon="inbox"),
                                 "av-event-record")
        self.record_button.on_click(lambda _b: self.record())
        self.status = css(ipw.HTML(""), "av-event-status")
        self.listing = css(ipw.HTML(""), "av-event-list")
        self.widget = ipw.VBox([
            ipw.HTML("<h3>Later: what the employer did</h3>"),
            labelled(self.kind, self.errors["kind"]),
            ipw.HBox([self.day, self.clock]), self.errors["at"],
            labelled(self.note, self.errors["note"]), self.sender,
            self.record_button, self.status, self.listing,
        ])

    def show_events(self) -> None:
        from zoneinfo import ZoneInfo

        from afterview_analysis.records import CONTACT_ROLE_WORDS, Interviewer

        st = self.form.state
        people = [] if st.is_new else self.form.journal.find(Interviewer, interview_id=st.id)
        self.sender.options = [("(not said)", "")] + [
            (f"{p.name} ({CONTACT_ROLE_WORDS[p.contact_role]})", p.id) for p in people]
        names = {p.id: p.name for p in people}
        if st.is_new:
            self.listing.value = "<i>Save the interview first to record employer events.</i>"
            return
        events = self.form.journal.find(EmployerEvent, order_by="at", interview_id=st.id)
        if not events:
            self.listing.value = "<i>No employer events recorded yet.</i>"
            return
        tz = ZoneInfo(self.form.zone)
        items = "".join(
            f"<li>{e.at.astimezone(tz):%Y-%m-%d %H:%M} · "
            f"<b>{esc(e.kind.value.replace('_', ' '))}</b>"
            f"{' · from ' + esc(names[e.contact_id]) if e.contact_id in names else ''}"
            f"{' · ' + esc(e.note) if e.note else ''}</li>"
            for e in events
        )
        self.listing.value = f"<ul>{items}</ul>"

    def record(self) -> bool:
        form = self.form
        for slot in self.errors.values():
            slot.value = ""
        if form.state.is_new:
            self.status.value = error_html("Save the interview first, then record events.")
            return False
        state = EventFormState(zone=form.zone, kind=self.kind.value, day=self.day.value,
                               clock=self.clock.value, note=self.note.value,
                               contact_id=self.sender.value or "")
        try:
            event = state.to_record(form.state.id)
        except FormError as exc:
            for key, message in exc.errors.items():
                self.errors.get(key, self.errors["note"]).value = error_html(message)
            self.status.value = error_html("Not recorded: see the message above.")
            return False
        interview = form.journal.get(Interview, form.state.id)
        updated = event_outcome_update(interview, event, form.zone)
        try:
            with form.journal.transaction():
                form.journal.add(event)
                if updated is not None:
                    form.journal.update(updated)
        except AfterviewError as exc:
            self.status.value = error_html(f"Not recorded: {exc}")
            return False
        said = f"Recorded {event.kind.value.replace('_', ' ')}"
        if updated is not None:
            form.state.outcome = updated.outcome.value
            form.state.outcome_on = updated.outcome_on
            form.fields["outcome"].value = updated.outcome.value
            form.fields["outcome_on"].value = updated.outcome_on
            said += f"; outcome set to {updated.outcome.value}"
        self.note.value = ""
        self.status.value = ok_html(said + ".")
        self.show_events()
        form.show_steps()
        return True
