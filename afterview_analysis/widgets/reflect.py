"""Reflect: what to practise next, and the pictures across all interviews.

:class:`ReflectState` holds the choices (skills or question categories, which areas, the
date range) and :func:`select_history` applies them to a score history; the numbers come
from :mod:`afterview_analysis.analytics`, the pictures from :mod:`afterview_analysis.plots`
(the agenda is on Today). :class:`ReflectView` only arranges them.
Tables are rendered with ``DataFrame.to_html(escape=True)``; pictures are PNG ``Image``
widgets (so a test or a headless run can check them without a browser).

An empty journal shows what to do, and a button that loads the demo history into a
*separate* demo journal (``data/demo.sqlite``), never into yours.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import ipywidgets as ipw
import pandas as pd

from afterview_analysis.journal import Journal
from afterview_analysis.records import utc_now
from afterview_analysis.story import table_html
from afterview_analysis.widgets._common import css, error_html, esc, ok_html

__all__ = ["COLUMN_WORDS", "ReflectStart", "ReflectState", "ReflectView", "frame_html",
           "in_words", "select_history"]


@dataclass
class ReflectState:
    """What the Reflect view is showing."""

    kind: str = "skill"  #: "skill" or "category"
    areas: list[str] = field(default_factory=list)  #: empty = all
    start: date | None = None
    end: date | None = None


def select_history(history: Any, state: ReflectState, zone: str = "UTC",
                   local_day: Any = None) -> Any:
    """The rows of a ``score_history`` frame the state picks (kind, areas, local dates).

    Returns a new frame; ``history`` is not changed. ``local_day`` (each row's date in
    ``zone``, aligned with ``history``) saves working it out again on every pick.

    >>> import pandas as pd
    >>> h = pd.DataFrame({"kind": ["skill", "skill", "category"], "area": ["a", "b", "a"],
    ...     "at": pd.to_datetime(["2026-01-05", "2026-03-01", "2026-03-01"], utc=True)})
    >>> select_history(h, ReflectState(start=date(2026, 2, 1)))["area"].tolist()
    ['b']
    """
    if local_day is None:
        local_day = history["at"].dt.tz_convert(zone).dt.date
    keep = history["kind"] == state.kind
    if state.areas:
        keep &= history["area"].isin(state.areas)
    if state.start is not None:
        keep &= local_day >= state.start
    if state.end is not None:
        keep &= local_day <= state.end
    return history.loc[keep].copy()


#: Column names as the user reads them (any other: underscores become spaces).
COLUMN_WORDS = {
    "area": "area", "kind": "kind", "n": "interviews", "recent": "recent level (1-5)",
    "recent_n": "interviews in it", "recent_low": "95 % range from", "recent_high": "to",
    "mean": "mean (1-5)", "slope_30d": "change per 30 days", "ci_low": "95 % range from",
    "ci_high": "to", "first_at": "first", "last_at": "last", "next_time":
    "what to say next time", "at": "date", "score": "your score (1-5)",
    "share_on_time": "share on time", "low": "95 % range from", "high": "to",
    "days_n": "answered", "days_median": "median days", "days_q1": "first quartile",
    "days_q3": "third quartile", "late_n": "with a date", "late_median": "median days late",
    "late_q1": "first quartile late", "late_q3": "third quartile late",
    "ghosting": "went quiet", "ghosting_share": "share quiet", "ghosting_low":
    "95 % range from", "ghosting_high": "to", "hours_median": "median hours",
    "hours_q1": "first quartile", "hours_q3": "third quartile", "brier": "Brier score",
    "brier_low": "95 % range from", "brier_high": "to", "base_rate": "base rate",
    "reference": "base rate's Brier score", "diff": "difference",
    "diff_low": "95 % range from", "diff_high": "to", "min_n": "needs",
    "moved_on": "moved on", "resolved": "decided", "conversion": "share moved on",
}
#: Columns whose values are labels (areas, stages, steps): shown as words too.
_LABELS = ("area", "kind", "stage", "step", "category")


def in_words(df: Any) -> Any:
    """A copy of an analysis table for people: column names and labels in words.

    >>> import pandas as pd
    >>> in_words(pd.DataFrame({"area": ["system_design"], "slope_30d": [0.1]})).columns.tolist()
    ['area', 'change per 30 days']
    """
    from afterview_analysis.plots import words

    out = df.copy()
    for name in _LABELS:
        if name in out:
            out[name] = out[name].map(lambda v: v if v is None or v != v else
                                      "question category" if v == "category" else words(v))
    return out.rename(columns=lambda c: COLUMN_WORDS.get(c, str(c).replace("_", " ")))


def frame_html(df: Any, cls: str, zone: str = "UTC", empty: str = "nothing yet") -> str:
    """A frame as an escaped HTML table in words (:func:`in_words`): datetimes as local
    dates, floats to 2 places."""
    import pandas as pd

    if df is None or len(df) == 0:
        return f'<div class="{cls}"><i>{esc(empty)}</i></div>'
    out = df.copy()
    for name in out.columns:
        col = out[name]
        if isinstance(col.dtype, pd.DatetimeTZDtype):
            out[name] = col.dt.tz_convert(zone).dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_datetime64_any_dtype(col):
            out[name] = col.dt.strftime("%Y-%m-%d")
        elif isinstance(col.dtype, pd.api.extensions.ExtensionDtype) and col.hasnans:
            out[name] = col.astype(object).where(col.notna(), None)  # a dash, not "<NA>"
    table = table_html(in_words(out), classes=cls)
    return f'<div style="overflow-x:auto">{table}</div>'


def _image(fig: Any, cls: str) -> ipw.Image:
    from afterview_analysis.plots import figure_png

    return css(ipw.Image(value=figure_png(fig), format="png",
                         layout=ipw.Layout(max_width="820px")), cls)


def _show_demo(own: str | Path, demo: str | Path | None, status: ipw.HTML) -> Journal | None:
    """The demo journal, filled once and shown on every page (:func:`workbook.show_demo`);
    None, with the reason in ``status``, when it cannot be (say the marker beside your
    journal could not be written: then nothing is shown, and your journal is untouched)."""
    from afterview_analysis.records import AfterviewError
    from afterview_analysis.widgets.workbook import show_demo

    try:
        return show_demo(own, demo)
    except AfterviewError as exc:
        status.value = error_html(f"The demo is not shown: {exc}")
        return None


class ReflectStart:
    """The top of the Reflect page: what the reflection rests on and what is still to come
    (:class:`~afterview_analysis.story.Reflection`); on an empty journal, said once, what to
    do, with the button that loads the demo into a separate journal.

    >>> from afterview_analysis.story import Reflection
    >>> start = ReflectStart(Reflection(Journal(":memory:")))
    >>> "Nothing to reflect on yet" in start.summary.value, start.demo_button.layout.display
    (True, None)
    """

    def __init__(self, reflection: Any, *, demo_path: str | Path | None = None):
        from afterview_analysis.widgets.workbook import demo_path as beside

        self.reflection = reflection
        journal = reflection.journal
        self.own = Path(journal.path) if journal is not None else None
        self.demo_path = Path(demo_path) if demo_path else (
            beside(self.own) if self.own else None)
        self.summary = css(ipw.HTML(reflection._repr_html_()), "av-reflect-summary")
        self.demo_button = css(ipw.Button(description="Look around with the demo",
                                          icon="flask", layout=ipw.Layout(width="260px")),
                               "av-load-demo")
        self.demo_button.on_click(lambda _b: self.load_demo())
        offer = reflection.n == 0 and self.own is not None and self.own != self.demo_path
        self.demo_button.layout.display = None if offer else "none"
        self.status = css(ipw.HTML(""), "av-reflect-status")
        self.widget = css(ipw.VBox([self.summary, self.demo_button, self.status]),
                          "av-reflect-start")

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def load_demo(self) -> Journal | None:
        """Fill the demo journal (once) and show it on every page; your journal gets
        nothing. The sections below were computed from your journal: reloading the page
        shows the demo's. A marker that cannot be written is one line, nothing changes."""
        journal = _show_demo(self.own, self.demo_path, self.status)
        if journal is None:
            return None
        self.demo_button.layout.display = "none"
        self.summary.value = ""  # "nothing to reflect on yet" is no longer what to do
        self.status.value = ok_html(
            "The demo job search is loaded into a separate journal (yours is untouched), and "
            "every page of the workbook shows it now. Reload this page (in JupyterLab: run "
            "all cells) to see its reflection; Today takes you back to your own journal.")
        return journal


class ReflectView:
    """Reflect's widgets for one journal (see the module doc).

    ``explore=True`` is the trend picker alone, folded behind a button: nothing is computed
    or drawn until it is opened, and on an empty journal it is not shown at all (the top of
    the page says what to do). Pass the page's ``reflection``
    (:class:`~afterview_analysis.story.Reflection`) to read its tables instead of running
    the reflection a second time.
    """

    def __init__(
        self,
        journal: Journal,
        *,
        now: Callable[[], datetime] = utc_now,
        demo_path: str | Path | None = None,
        explore: bool = False,
        reflection: Any = None,
    ):
        from afterview_analysis.widgets.workbook import demo_path as beside

        self.journal = journal
        #: Only the trend picker and the weak areas (the Reflect story shows the rest).
        self.explore = explore
        self.reflection = reflection
        self.now = now
        self.demo_path = Path(demo_path) if demo_path else beside(journal.path)
        self.state = ReflectState()
        self.banner = css(ipw.HTML(""), "av-reflect-banner")
        self.demo_button = css(ipw.Button(description="Load the demo history",
                                          icon="flask", layout=ipw.Layout(width="260px")),
                               "av-load-demo")
        self.demo_button.on_click(lambda _b: self.load_demo())
        self.status = css(ipw.HTML(""), "av-reflect-status")
        self.body = css(ipw.VBox([]), "av-reflect-body")
        self.open_button = css(ipw.ToggleButton(
            description="Pick skills or kinds of question, and dates", icon="sliders",
            layout=ipw.Layout(width="max-content")), "av-trend-toggle")
        self.open_button.observe(lambda _c: self._fold(), names="value")
        self.open_button.layout.display = None if explore else "none"
        self.built = False
        self._quiet = False
        self.widget = css(ipw.VBox([self.banner, self.demo_button, self.status,
                                    self.open_button, self.body]), "av-reflect")
        self.show()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    # ---- empty state and demo

    def _empty(self) -> bool:
        if self.reflection is not None and self.reflection.journal is self.journal:
            return self.reflection.n == 0
        return self.journal.is_empty()

    def show(self) -> None:
        """(Re)build every section from the journal (in explore mode: once opened)."""
        self.built = False
        if self.reflection is not None and self.reflection.journal is not self.journal:
            self.reflection = None  # another journal now (the demo): its own tables
        self.zone = (self.reflection.report.zone if self.reflection is not None
                     else self.journal.profile().timezone)
        self.body.children = []
        if self.explore:
            # the page's top says which journal and what to do; nothing to repeat here
            self.banner.value = ""
            self.demo_button.layout.display = "none"
            self.widget.layout.display = "none" if self._empty() else None
            if self.open_button.value:
                self._fold()
            return
        if self._empty():
            self.banner.value = (
                "<h3>Nothing to reflect on yet</h3><p>Your journal has no interviews. Log "
                "one in <code>1-after-the-interview</code> and come back, or look around "
                "with a made-up 18-month job search first: the button below puts it in a "
                "<b>separate demo journal</b>; your own journal stays empty.</p>")
            self.demo_button.layout.display = None
            return
        self.demo_button.layout.display = "none"
        where = esc(self.journal.path)
        demo = Path(self.journal.path) == self.demo_path
        self.banner.value = (f"<p>{'<b>DEMO journal</b> · ' if demo else ''}Journal: "
                             f"<code>{where}</code> · times in {esc(self.zone)}</p>")
        self._build_sections()

    def _fold(self) -> None:
        """Open (building it the first time) or fold the trend picker."""
        if self.open_button.value and not self.built:
            self._build_sections()
        self.body.layout.display = None if self.open_button.value else "none"

    def load_demo(self) -> Path | None:
        """Open (filling it first if needed) the separate demo journal and show it, here
        and on every other page of the workbook (:func:`workbook.show_demo`). When that
        cannot be done (the marker beside your journal cannot be written), one line says
        why and this view keeps showing your journal."""
        journal = _show_demo(self.journal.path, self.demo_path, self.status)
        if journal is None:
            return None
        self.journal = journal
        self.show()
        self.status.value = ok_html(
            f"Showing the demo journal {self.demo_path}; your own journal is untouched.")
        return self.demo_path

    # ---- sections

    def _build_sections(self) -> None:
        self.built = True
        if self.reflection is not None:  # the page's tables, computed once
            self.report = self.reflection.report
        else:
            from afterview_analysis.report import build_report

            self.frames = self.journal.frames()
            # the same tables as `afterview report`, computed once for every section below
            self.report = build_report(self.frames, as_of=self.now())
        t = self.report.tables

        self.history = t["history"]
        #: each score's local day, worked out once (the date pickers compare with it)
        self.local_day = (self.history["at"].dt.tz_convert(self.zone).dt.date
                          if len(self.history) else pd.Series(dtype=object))
        self.weak = t["weak_areas"]
        self.focus = css(ipw.HTML(frame_html(
            t["focus_next"][["rank", "area", "recent", "recent_n", "recent_low", "recent_high",
                             "verdict", "question", "score", "next_time", "company", "at"]],
            "av-focus-table", self.zone,
            "nothing to focus on yet: score a few interviews first")), "av-focus")

        self.trend_kind = css(ipw.ToggleButtons(description="Show",
                                                options=[("skills", "skill"),
                                                         ("question categories", "category")],
                                                value="skill"), "av-trend-kind")
        self.trend_areas = css(ipw.SelectMultiple(description="Areas", rows=6),
                               "av-trend-areas")
        first, last = self._date_span()
        self.trend_from = css(ipw.DatePicker(description="From", value=first), "av-trend-from")
        self.trend_to = css(ipw.DatePicker(description="To", value=last), "av-trend-to")
        self.trend_image = css(ipw.Image(format="png", layout=ipw.Layout(max_width="820px")),
                               "av-trend-image")
        self.trend_table = css(ipw.HTML(""), "av-trend-table")
        self.trend_error = css(ipw.HTML(""), "av-error", "av-error-trend")
        self._set_area_options()
        for w in (self.trend_areas, self.trend_from, self.trend_to):
            w.observe(lambda _c: None if self._quiet else self.show_trends(), names="value")
        self.trend_kind.observe(self._on_kind, names="value")
        self.show_trends()

        self.weak_table = css(ipw.HTML(frame_html(
            self.weak[["rank", "kind", "area", "n", "mean", "recent", "recent_low",
                       "recent_high", "slope_30d", "ci_low", "ci_high", "verdict"]],
            "av-weak-table", self.zone)), "av-weak")

        def responses() -> list[ipw.Widget]:
            return [
                ipw.HTML("<b>You</b> (hours from the interview's end, or from their request; "
                         "for follow-ups, hours after the due day, so negative is early):"),
                ipw.HTML(frame_html(t["own_summary"], "av-own-table", self.zone)),
                self._plot("av-response-image", "plot_response_times", t["own_times"]),
                ipw.HTML("<b>Employers</b> (days to their first answer, by stage):"),
                ipw.HTML(frame_html(t["employer_by_stage"], "av-employer-table", self.zone)),
                self._plot("av-employer-image", "plot_employer_response_times",
                           t["employer_times"]),
            ]

        def calibration() -> list[ipw.Widget]:
            return [
                ipw.HTML(frame_html(t["calibration"], "av-calibration-table", self.zone)),
                self._plot("av-calibration-image", "plot_reliability", t["reliability"],
                           t["calibration"]),
            ]

        def funnel() -> list[ipw.Widget]:
            return [
                ipw.HTML(frame_html(t["funnel"], "av-funnel-table", self.zone)),
                self._plot("av-funnel-image", "plot_funnel", t["funnel"]),
            ]

        def head(text: str) -> ipw.HTML:
            return ipw.HTML(f"<h3>{text}</h3>")

        pickers = [
            ipw.HBox([self.trend_kind]),
            ipw.HBox([self.trend_areas, ipw.VBox([
                self.trend_from, self.trend_to,
                ipw.HTML(f"<small>dates in {esc(self.zone)}; pick no area for all</small>")])]),
            self.trend_error, self.trend_image, self.trend_table,
        ]
        weak = [head("Weak areas (lowest recent level first, with 95 % ranges)"),
                self.weak_table]
        if self.explore:
            self.body.children = [*pickers, *weak]
            return
        self.responses = self._section("av-responses", responses)
        self.calibration = self._section("av-calibration", calibration)
        self.funnel = self._section("av-funnel", funnel)

        self.body.children = [
            head("Focus next: your weakest areas and the questions to practise"), self.focus,
            head("Skill trends"), *pickers, *weak,
            head("Response times"), self.responses,
            head("Calibration: does your gut feeling predict who advances you?"),
            self.calibration,
            head("Funnel: how far interviews get"), self.funnel,
        ]

    def _section(self, cls: str, build: Callable[[], list[ipw.Widget]]) -> ipw.VBox:
        """A section's widgets; if its analysis fails, the reason in words instead."""
        try:
            children = build()
        except Exception as exc:  # one failing analysis must not hide the rest of the page
            children = [css(ipw.HTML(error_html(f"could not be computed: {exc}")),
                            "av-section-error")]
        return css(ipw.VBox(children), cls)

    def _plot(self, cls: str, name: str, *args: Any) -> ipw.Widget:
        """``plots.<name>(*args)`` as a PNG image; a picture that fails says so in words."""
        from afterview_analysis import plots

        try:
            return _image(getattr(plots, name)(*args), cls)
        except Exception as exc:  # one broken picture must not hide the rest of the page
            return css(ipw.HTML(error_html(f"picture unavailable: {exc}")), cls)

    # ---- trends

    def _date_span(self) -> tuple[date | None, date | None]:
        if self.history.empty:
            return None, None
        return self.local_day.min(), self.local_day.max()

    def _set_area_options(self) -> None:
        kind = self.trend_kind.value
        from afterview_analysis.plots import words

        areas = list(dict.fromkeys(self.history.loc[self.history["kind"] == kind, "area"]))
        self._quiet = True  # new options clear the picked areas: draw once, not twice
        try:
            self.trend_areas.options = [(words(a), a) for a in areas]
            self.trend_areas.value = ()
        finally:
            self._quiet = False

    def _on_kind(self, _change: Any) -> None:
        self._set_area_options()
        self.show_trends()

    def read_state(self) -> ReflectState:
        self.state = ReflectState(kind=self.trend_kind.value,
                                  areas=list(self.trend_areas.value),
                                  start=self.trend_from.value, end=self.trend_to.value)
        return self.state

    def show_trends(self) -> None:
        """Redraw the trend picture and table for the chosen kind, areas and dates."""
        from afterview_analysis import analytics, plots

        st = self.read_state()
        self.trend_error.value = ""
        if st.start and st.end and st.start > st.end:
            self.trend_error.value = error_html("From must be on or before To.")
            return
        chosen = select_history(self.history, st, self.zone, self.local_day)
        trends = analytics.trends_from_history(chosen)
        fig = plots.plot_skill_trends(chosen, trends, kind=st.kind)
        self.trend_image.value = plots.figure_png(fig)
        self.trend_table.value = frame_html(
            trends[["area", "n", "first_at", "last_at", "recent", "recent_low", "recent_high",
                    "slope_30d", "ci_low", "ci_high", "verdict"]],
            "av-trends", self.zone, "no scores in this range")
