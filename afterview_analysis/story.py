"""Reflect as a story: one section per question a job seeker brings, the answer first.

:class:`Reflection` computes the reflection once (``report.build_report``: the same
tables as ``afterview report``) and says what it can show with the interviews logged so
far. Each section function takes it and returns a :class:`Section`: a sentence that
answers the question, one figure, and the table behind it (with n and 95 % ranges)
folded away behind a details toggle, all in words. A section is a notebook cell's value;
its HTML escapes every piece of user text. On an empty journal the top of the page says
once what to do (with the demo button); each section then says only, in a muted line,
what it needs before it can answer.

* :func:`practise_next` -- what to practise next; :func:`practice` -- did practising a
  question pay off?
* :func:`improving` -- am I improving? :func:`explore` -- the trend picker behind it.
* :func:`employers` -- how fast employers answer, and which companies went quiet.
* :func:`on_time` -- am I on time (thank-you, replies, follow-ups)?
* :func:`gut_feeling` -- does my gut feeling predict the outcome?
* :func:`how_far` -- how far do I get?
* :func:`habits` -- the playbook's habits, step by step.

>>> from afterview_analysis.journal import Journal
>>> r = Reflection(Journal(":memory:"), as_of="2026-01-01")
>>> practise_next(r).answer
'Answered after one interview with its skills scored.'
"""

from __future__ import annotations

import base64
import html
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from afterview_analysis import analytics as an
from afterview_analysis.report import build_report

__all__ = ["Reflection", "Section", "employers", "explore", "gut_feeling", "habits",
           "how_far", "improving", "on_time", "practice", "practise_next"]

#: What each section needs before it can answer (shown while the journal is young).
NEEDS = [
    ("what to practise next", "one interview with its skills scored"),
    ("whether you are improving",
     f"{an.MIN_TREND_N} interviews scoring a skill, over at least {an.MIN_TREND_SPAN_DAYS} "
     "days"),
    ("how fast employers answer", "one interview that has ended"),
    ("whether you are on time", "one interview whose thank-you is due"),
    ("whether your gut feeling predicts the outcome",
     f"{an.MIN_OUTCOMES} decided interviews with your predicted chance"),
    ("how far you get", "one interview"),
    ("which playbook habits you keep", "one interview whose playbook steps are due"),
]


def _words(value: Any) -> str:
    from afterview_analysis.plots import words

    return "" if value is None or (isinstance(value, float) and math.isnan(value)) \
        else words(value)


def _num(value: Any, fmt: str = ".1f") -> str:
    return "–" if value is None or pd.isna(value) else format(float(value), fmt)


def _pct(value: Any) -> str:
    return "–" if value is None or pd.isna(value) else f"{float(value):.0%}"


def _range(low: Any, high: Any, fmt: str = ".1f") -> str:
    return "no range yet" if pd.isna(low) or pd.isna(high) else \
        f"{_num(low, fmt)} to {_num(high, fmt)}"


def _share_range(low: Any, high: Any) -> str:
    """ "95 % range 63% to 87%": a share's Wilson score interval, in words."""
    return "no range yet" if pd.isna(low) or pd.isna(high) else \
        f"95 % range {_pct(low)} to {_pct(high)}"


def _day(ts: Any) -> str:
    return "–" if ts is None or pd.isna(ts) else pd.Timestamp(ts).strftime("%Y-%m-%d")


@dataclass
class Section:
    """One answered question: ``answer`` (a sentence), ``figure`` (or None), ``table``
    (column names in words) and an optional ``note``."""

    question: str
    answer: str
    figure: Any = None
    table: pd.DataFrame | None = None
    note: str = ""
    #: An empty journal: the answer only says what the section needs, in a muted line.
    waiting: bool = False

    def __str__(self) -> str:
        return self.answer

    def png(self) -> bytes | None:
        """The figure as PNG bytes, drawn once (None without a figure)."""
        if self.figure is None:
            return None
        if getattr(self, "_png", None) is None:
            from afterview_analysis.plots import figure_png

            self._png = figure_png(self.figure)
        return self._png

    def _repr_html_(self) -> str:
        e = html.escape
        if self.waiting:
            return (f'<div class="av-story av-waiting"><p style="color:#57606a">'
                    f"<small>{e(self.answer)}</small></p></div>")
        parts = [f'<div class="av-story"><p class="av-answer"><b>{e(self.answer)}</b></p>']
        if self.note:
            parts.append(f'<p class="av-note"><small>{e(self.note)}</small></p>')
        if self.figure is not None:
            png = base64.b64encode(self.png()).decode("ascii")
            parts.append(f'<img class="av-figure" alt="{e(self.question)}" '
                         f'style="max-width:820px;width:100%" src="data:image/png;base64,{png}">')
        if self.table is not None and len(self.table):
            table = table_html(self.table)
            parts.append(f'<details class="av-details"><summary>The numbers behind it '
                         f'(n and 95 % ranges)</summary><div style="overflow-x:auto">{table}'
                         f"</div></details>")
        parts.append("</div>")
        return "\n".join(parts)


_CELL = "padding:2px 10px;text-align:left;vertical-align:top"


def table_html(df: pd.DataFrame, classes: str | None = None) -> str:
    """``df`` as an escaped HTML table whose headings sit over their values: every
    heading and cell aligned the same way (pandas right-aligns the headings only, which
    Lab and Voila leave over left-aligned cells).

    >>> print(table_html(pd.DataFrame({"area": ["<b>"], "mean": [2.5]})))  # doctest: +ELLIPSIS
    <table class="dataframe">
    ...<th style="padding:2px 10px;text-align:left;vertical-align:top">area</th>...
    ...<td style="padding:2px 10px;text-align:left;vertical-align:top">&lt;b&gt;</td>...
    """
    table = df.to_html(index=False, escape=True, na_rep="–", border=0, classes=classes,
                       float_format=lambda x: f"{x:.2f}")
    return (table.replace('<tr style="text-align: right;">', "<tr>")
            .replace("<th>", f'<th style="{_CELL}">').replace("<td>", f'<td style="{_CELL}">'))


class Reflection:
    """The reflection of one journal (or of a dict of frames), computed once.

    ``as_of`` replays a past moment (see ``report.build_report``). Shown as a cell's value,
    it says how many interviews it rests on and, while there are few, what each section
    will show after how many.
    """

    def __init__(self, source: Any, as_of: Any = None):
        self.journal = source if hasattr(source, "frames") else None
        #: The journal's frames, read once (the practice comparison reads them too).
        self.frames = source.frames() if self.journal is not None else source
        self.report = build_report(self.frames, as_of=as_of)
        self.tables = self.report.tables
        self.n = self.report.interviews
        self._start: Any = None

    @property
    def start(self) -> Any:
        """The top of the Reflect page as a view (:class:`~afterview_analysis.widgets.
        reflect.ReflectStart`): the summary and, on an empty journal, the demo button."""
        if self._start is None:
            from afterview_analysis.widgets.reflect import ReflectStart

            self._start = ReflectStart(self)
        return self._start

    @property
    def widget(self) -> Any:
        """The top of the page as a widget (for ``widgets.page``)."""
        return self.start.widget

    def summary(self) -> str:
        if self.n == 0:
            return ("Nothing to reflect on yet: log your first interview on the After the "
                    "interview page, or look around with the demo job search below (a "
                    "separate journal: yours stays empty).")
        span = f" from {_day(self.report.first)} to {_day(self.report.last)}" \
            if self.report.first is not None else ""
        return (f"Your reflection rests on {self.n} "
                f"{'interview' if self.n == 1 else 'interviews'}{span}.")

    def waiting_for(self) -> list[str]:
        """What the sections cannot show yet, and what they need (empty once they can)."""
        t = self.tables
        can = [
            not t["focus_next"].empty,
            bool((t["trends"]["verdict"] != "not enough data").any()) if len(t["trends"])
            else False,
            not t["employer_times"].empty,
            int(t["own_summary"]["due"].sum()) > 0,
            t["calibration"]["verdict"].iloc[0] != "not enough outcomes",
            not t["funnel"].empty,
            int(t["compliance"]["due"].sum()) > 0 if len(t["compliance"]) else False,
        ]
        return [f"{what}: after {need}" for (what, need), ok in zip(NEEDS, can, strict=True)
                if not ok]

    def __str__(self) -> str:
        lines = [self.summary()]
        waiting = self.waiting_for()
        if waiting:
            lines.append("Still to come, " + "; ".join(waiting) + ".")
        return " ".join(lines)

    def _repr_html_(self) -> str:
        e = html.escape
        out = f'<div class="av-reflection"><p><b>{e(self.summary())}</b></p>'
        waiting = self.waiting_for()
        if waiting and self.n:
            out += "<p>Still to come:</p><ul>" + "".join(
                f"<li>{e(w)}</li>" for w in waiting) + "</ul>"
        return out + "</div>"


def _waiting(r: Reflection, question: str, what: str) -> Section | None:
    """On an empty journal: a muted line saying what the section needs (the top of the
    page says what to do, once); None once the journal has an interview."""
    if r.n:
        return None
    need = dict(NEEDS)[what]
    return Section(question, f"Answered after {need}.", waiting=True)


def practise_next(r: Reflection, k: int = 3) -> Section:
    """The weakest skill and the questions that went worst in it; the picture ranks every
    skill by its recent level (with n and 95 % range), weakest first."""
    focus = r.tables["focus_next"]
    question = "What should I practise next?"
    if (waiting := _waiting(r, question, "what to practise next")) is not None:
        return waiting
    if focus.empty:
        return Section(question, "Nothing to practise yet: score your skills on one "
                                 "interview and this names the weakest.")
    top = focus[focus["rank"] == 1]
    first = top.iloc[0]
    asked = top.dropna(subset=["question"])
    n = int(first["recent_n"])
    if n >= 2:
        answer = (f"Practise {first['area']} next: your last {n} interviews average "
                  f"{_num(first['recent'])} of 5 (95 % range "
                  f"{_range(first['recent_low'], first['recent_high'])})")
    else:
        answer = (f"Practise {first['area']} next: you scored it {_num(first['recent'])} of 5 "
                  f"in your one interview so far (a range needs two)")
    if len(asked) == 1:
        answer += "; this question went worst."
    elif len(asked):
        answer += f"; these {len(asked)} questions went worst."
    elif first["advice"]:
        answer += f". {first['advice']}"
    else:
        answer += "."
    others = [a for a in dict.fromkeys(focus["area"]) if a != first["area"]][:k - 1]
    note = f"Next on the list: {', '.join(others)}." if others else ""
    from afterview_analysis.plots import plot_focus

    # one interview's scores rank nothing yet: a ranking needs at least two dates
    figure = (plot_focus(r.tables["weak_areas"], kind="skill", k=k)
              if r.tables["history"]["at"].nunique() >= 2 else None)
    table = focus.dropna(subset=["question"]).assign(
        category=lambda d: d["category"].map(_words), at=lambda d: d["at"].map(_day),
        practised=lambda d: [f"{s}/5 on {_day(at)}" if not pd.isna(s) else ""
                             for s, at in zip(d["practice_score"], d["practised_at"],
                                              strict=True)])
    table = table[["area", "question", "category", "score", "company", "at", "next_time",
                   "practised"]]
    table.columns = ["skill", "question", "kind of question", "your score (1-5)", "company",
                     "date", "what to say next time", "practised since (self-score)"]
    return Section(question, answer, figure, table, note)


def improving(r: Reflection, kind: str = "skill") -> Section:
    """Which skills (or question categories, ``kind="category"``) are rising or falling."""
    trends = r.tables["trends"]
    trends = trends[trends["kind"] == kind] if len(trends) else trends
    what = "skills" if kind == "skill" else "kinds of question"
    question = "Am I improving?"
    if (waiting := _waiting(r, question, "whether you are improving")) is not None:
        return waiting
    judged = trends[trends["verdict"] != "not enough data"] if len(trends) else trends
    if judged.empty:
        most = int(trends["n"].max()) if len(trends) else 0
        answer = (f"Too early to tell: a trend needs {an.MIN_TREND_N} interviews scoring it "
                  f"over at least {an.MIN_TREND_SPAN_DAYS} days; you have {most} so far.")
        return Section(question, answer)
    groups = {v: [_words(a) for a in judged.loc[judged["verdict"] == v, "area"]]
              for v in ("improving", "declining", "flat", "no clear trend")}
    said = [f"{v}: {', '.join(groups[v])}" for v in groups if groups[v]]
    answer = f"Your {what}, {'; '.join(said)}."
    note = ("With five or more verdicts, about one in twenty will be wrong by chance."
            if len(judged) >= 5 else "")
    from afterview_analysis.plots import plot_skill_trends

    figure = plot_skill_trends(r.tables["history"], r.tables["trends"], kind=kind)
    table = trends.assign(area=trends["area"].map(_words),
                          range=[_range(lo, hi, "+.2f") for lo, hi in
                                 zip(trends["ci_low"], trends["ci_high"], strict=True)])
    table = table[["area", "n", "recent", "slope_30d", "range", "verdict"]]
    table.columns = ["area", "interviews", "recent level (1-5)", "change per 30 days",
                     "95 % range of the change", "verdict"]
    return Section(question, answer, figure, table, note)


def employers(r: Reflection) -> Section:
    """How fast employers answer, and which companies went quiet (named)."""
    times = r.tables["employer_times"]
    question = "How fast do employers answer, and who went quiet?"
    if (waiting := _waiting(r, question, "how fast employers answer")) is not None:
        return waiting
    if times.empty:
        return Section(question, "No interview has ended yet: nothing to time.")
    o = r.tables["employer_overall"].iloc[0]
    quiet = times[times["status"] == "ghosting candidate"]
    if int(o["days_n"]) == 0:
        answer = (f"No employer has answered yet ({len(times)} "
                  f"{'interview has' if len(times) == 1 else 'interviews have'} ended)")
    else:
        answer = (f"Employers answer in a median of {_num(o['days_median'])} days (middle "
                  f"half {_num(o['days_q1'])} to {_num(o['days_q3'])} days, "
                  f"n = {int(o['days_n'])})")
    if len(quiet):
        names = list(dict.fromkeys(quiet["company"]))
        answer += (f"; {len(quiet)} went quiet, more than {an.GHOSTING_AFTER.days} days past "
                   f"the date they gave: {', '.join(names)}.")
    else:
        answer += "; nobody has gone quiet on you."
    from afterview_analysis.plots import plot_employer_response_times

    by = r.tables["employer_by_stage"]
    table = by.assign(stage=by["stage"].map(_words))[
        ["stage", "interviews", "days_n", "days_median", "days_q1", "days_q3", "ghosting"]]
    table.columns = ["stage", "interviews", "answered", "median days", "first quartile",
                     "third quartile", "went quiet"]
    figure = plot_employer_response_times(times) if int(o["days_n"]) else None
    return Section(question, answer, figure, table)


_OWN = {"thank_you": "thank-you notes", "info_reply": "replies to their requests",
        "follow_up": "follow-ups"}


def on_time(r: Reflection) -> Section:
    """Your thank-yous, replies and follow-ups: the share on time, of those due."""
    s = r.tables["own_summary"]
    question = "Am I on time?"
    if (waiting := _waiting(r, question, "whether you are on time")) is not None:
        return waiting
    due = s[s["due"] > 0]
    if due.empty:
        return Section(question, "Nothing has fallen due yet.")
    parts = [f"{int(row.on_time)} of {int(row.due)} {_OWN[row.kind]} "
             f"({_share_range(row.low, row.high)})" for row in due.itertuples()]
    answer = "On time: " + "; ".join(parts) + "."
    note = ("On time means: a thank-you within 48 h of the end, a reply within 24 h of the "
            f"request, a follow-up within {an.FOLLOW_UP_TOLERANCE.days} days of a week after "
            "the date they gave. The same count as the playbook habits below.")
    from afterview_analysis.plots import plot_response_times

    table = s.assign(kind=s["kind"].map(_OWN),
                     share=s["share_on_time"].map(_pct),
                     range=[f"{_pct(lo)} to {_pct(hi)}" for lo, hi in
                            zip(s["low"], s["high"], strict=True)])[
        ["kind", "target", "due", "on_time", "late", "missing", "share", "range"]]
    table.columns = ["message", "on time means", "due", "on time", "late", "missing",
                     "share on time", "95 % range"]
    sent = r.tables["own_times"]["hours"].notna().any()
    figure = plot_response_times(r.tables["own_times"]) if sent else None
    return Section(question, answer, figure, table, note)


def gut_feeling(r: Reflection) -> Section:
    """Whether the predicted chances beat always guessing your base rate."""
    c = r.tables["calibration"].iloc[0]
    question = "Does my gut feeling predict the outcome?"
    if (waiting := _waiting(r, question, "whether your gut feeling predicts the outcome")):
        return waiting
    if c["verdict"] == "not enough outcomes":
        answer = (f"Not yet known: this needs {an.MIN_OUTCOMES} decided interviews with your "
                  f"predicted chance; you have {int(c['n'])}.")
    else:
        answer = (f"Your predicted chances are {c['verdict']}: Brier score "
                  f"{_num(c['brier'], '.3f')} against {_num(c['reference'], '.3f')} for always "
                  f"guessing your base rate of {_pct(c['base_rate'])} (difference "
                  f"{_num(c['diff'], '+.3f')}, 95 % range "
                  f"{_range(c['diff_low'], c['diff_high'], '+.3f')}, n = {int(c['n'])}).")
    if int(c["n"]) == 0:
        return Section(question, answer)
    from afterview_analysis.plots import plot_reliability

    rel = r.tables["reliability"]
    table = rel.assign(observed=rel["observed_rate"].map(_pct),
                       range=[f"{_pct(lo)} to {_pct(hi)}" for lo, hi in
                              zip(rel["low"], rel["high"], strict=True)],
                       predicted=rel["mean_predicted"].map(_pct))[
        ["bin", "n", "predicted", "observed", "range"]]
    table.columns = ["you predicted", "interviews", "on average", "advanced", "95 % range"]
    return Section(question, answer, plot_reliability(rel, r.tables["calibration"]), table)


def how_far(r: Reflection) -> Section:
    """Per stage, in process order: how many interviews, and how many moved on."""
    f = r.tables["funnel"]
    question = "How far do I get?"
    if (waiting := _waiting(r, question, "how far you get")) is not None:
        return waiting
    if f.empty:
        return Section(question, "No interviews yet.")
    said = [f"{_words(row.stage)} {int(row.moved_on)} of {int(row.resolved)}"
            for row in f.itertuples() if row.resolved]
    total = int(f["interviews"].sum())
    answer = (f"{total} {'interview' if total == 1 else 'interviews'}; moved on, of those "
              f"the employer "
              f"decided: " + ("; ".join(said) if said else "none decided yet") + ".")
    from afterview_analysis.plots import plot_funnel

    table = f.assign(stage=f["stage"].map(_words),
                     range=[f"{_pct(lo)} to {_pct(hi)}" for lo, hi in
                            zip(f["low"], f["high"], strict=True)])[
        ["stage", "interviews", "advanced", "offer", "rejected", "ghosted", "withdrawn",
         "pending", "range"]]
    table.columns = ["stage", "interviews", "advanced", "offers", "rejected", "went quiet",
                     "you withdrew", "waiting", "95 % range of moving on"]
    return Section(question, answer, plot_funnel(f), table)


def habits(r: Reflection) -> Section:
    """Each step of the playbook: the share done on time, over the quarters."""
    c = r.tables["compliance"]
    question = "Which playbook habits do I keep?"
    if (waiting := _waiting(r, question, "which playbook habits you keep")) is not None:
        return waiting
    due = c[c["due"] > 0]
    if due.empty:
        return Section(question, "Nothing has fallen due yet.")
    best = due.sort_values("share_on_time", ascending=False, kind="stable").iloc[0]
    worst = due.sort_values("share_on_time", kind="stable").iloc[0]
    if best["share_on_time"] == worst["share_on_time"]:
        answer = (f"{int(due['on_time'].sum())} of {int(due['due'].sum())} playbook steps "
                  f"were done on time so far, the same share for every step.")
    else:
        answer = (f"You most often {_words(best['step'])} on time ({int(best['on_time'])} "
                  f"of {int(best['due'])}, {_share_range(best['low'], best['high'])}); least "
                  f"often {_words(worst['step'])} ({int(worst['on_time'])} of "
                  f"{int(worst['due'])}, {_share_range(worst['low'], worst['high'])}).")
    from afterview_analysis.plots import plot_compliance

    table = c.assign(step=c["step"].map(_words), share=c["share_on_time"].map(_pct),
                     range=[f"{_pct(lo)} to {_pct(hi)}" for lo, hi in
                            zip(c["low"], c["high"], strict=True)])[
        ["step", "due", "on_time", "too_early", "late", "missing", "share", "range"]]
    table.columns = ["step", "due", "on time", "too early", "late", "missing",
                     "share on time", "95 % range"]
    return Section(question, answer, plot_compliance(r.tables["compliance_by_quarter"]), table)


def practice(r: Reflection) -> Any:
    """Did practising a question (on the Prepare page) pay off in the interview? A sentence
    with n and its 95 % interval, the comparison per category behind a toggle
    (:class:`~afterview_analysis.widgets.bank.PracticeView`, on the frames already read)."""
    from afterview_analysis.widgets.bank import PracticeView

    return PracticeView(r.journal, frames=r.frames)


def explore(r: Reflection) -> Any:
    """The trend picker (skills or kinds of question, which ones, a date range) on this
    reflection's tables, folded behind a button: nothing is drawn until it is opened
    (:class:`~afterview_analysis.widgets.reflect.ReflectView` with ``explore=True``)."""
    from afterview_analysis.widgets.reflect import ReflectView

    return ReflectView(r.journal, reflection=r, explore=True)
