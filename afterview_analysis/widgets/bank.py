"""Prepare: the question bank and the prep sheet for the next interview.

:class:`BankState` holds what is picked (the question, the search); the groups come from
:func:`afterview_analysis.questions.bank` and the numbers from
:mod:`afterview_analysis.analytics.bank`. :class:`BankView` arranges them: a sentence that
answers first (your weakest theme, whether practice paid off), the numbers behind a
toggle, then one question at a time with every asking, the score over time, the notes,
the editable best answer, practice, and the buttons to confirm, merge or split it.
:class:`PrepView` makes the printable prep sheet (:mod:`afterview_analysis.prep`).

Every user text reaches an ``HTML`` widget through :func:`esc`; text boxes show text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import ipywidgets as ipw

from afterview_analysis import questions as qb
from afterview_analysis.journal import Journal
from afterview_analysis.records import AfterviewError, RecordError, Stage, utc_now
from afterview_analysis.widgets._common import css, error_html, esc, ok_html

__all__ = ["BankState", "BankView", "PracticeView", "PrepView", "score_picture"]

_WIDE = ipw.Layout(width="210px")
_STAGE_WORDS = {"screen": "screening", "technical": "technical", "onsite": "on-site",
                "final": "final", "other": "other"}


@dataclass
class BankState:
    """What the bank view shows: the picked question (its group key) and the search."""

    group: str | None = None
    search: str = ""


def _date(value: Any, zone: str) -> str:
    from zoneinfo import ZoneInfo

    if value is None:
        return ""
    at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return at.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d")


def _interval(low: float, high: float) -> str:
    if math.isnan(low) or math.isnan(high):
        return "too few to give an interval"
    return f"95 % interval {low:.1f} to {high:.1f}"


def score_picture(askings: list[dict], practice: list[dict], zone: str = "UTC") -> str:
    """The score over time of one question as a small inline SVG: each asking a filled dot
    at its date and 1-5 score, joined by a line; each practice a hollow dot at its
    self-score; dates on the time axis. Built from numbers and escaped dates only; the
    same numbers in words in its ``<title>`` and ``aria-label`` for screen readers.

    >>> svg = score_picture([{"at": "2026-01-05T10:00+00:00", "score": 2, "company": "A"},
    ...                      {"at": "2026-02-04T10:00+00:00", "score": 4, "company": "B"}], [])
    >>> svg.count("<circle"), "2026-01-05" in svg, "2 at A on 2026-01-05" in svg
    (2, True, True)
    """
    def when(value: Any) -> datetime:
        return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))

    asked = [(when(a["at"]), int(a["score"]), a["company"]) for a in askings
             if a.get("score") is not None]
    done = [(when(p["practised_at"]), int(p["score"])) for p in practice]
    if not asked:
        return ""
    width, height, left, right, top, bottom = 420, 130, 28, 14, 10, 34
    times = [t for t, *_ in asked] + [t for t, _ in done]
    t0, t1 = min(times), max(times)
    span = (t1 - t0).total_seconds()

    def x(t: datetime) -> float:
        inner = width - left - right
        return left + (inner / 2 if span == 0 else inner * (t - t0).total_seconds() / span)

    def y(score: int) -> float:
        return top + (height - top - bottom) * (5 - score) / 4

    parts = []
    for level in range(1, 6):  # the 1-5 scale, labelled
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(level):.1f}" '
                     f'y2="{y(level):.1f}" stroke="#ddd"/><text x="{left - 6}" '
                     f'y="{y(level) + 3.5:.1f}" font-size="10" text-anchor="end" '
                     f'fill="#555">{level}</text>')
    # dates: the first and the last, and between them those with room for their label
    # (a date label is about 58 px wide at this size; labels keep 8 px apart)
    taken: list[tuple[float, float]] = []
    for t in sorted(set(times), key=lambda t: (t not in (t0, t1), t)):
        px = x(t)
        anchor = "start" if px < left + 30 else "end" if px > width - right - 30 \
            else "middle"
        lo = px if anchor == "start" else px - 58 if anchor == "end" else px - 29
        if all(lo + 58 + 8 <= a or b + 8 <= lo for a, b in taken):
            taken.append((lo, lo + 58))
            parts.append(f'<text x="{px:.1f}" y="{height - bottom + 16}" font-size="10" '
                         f'text-anchor="{anchor}" fill="#555">{esc(_date(t, zone))}</text>')
    line = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v, _ in asked)
    if len(asked) > 1:
        parts.append(f'<polyline points="{line}" fill="none" stroke="#4a6fa5" '
                     f'stroke-width="2"/>')
    parts += [f'<circle cx="{x(t):.1f}" cy="{y(v):.1f}" r="4.5" fill="#4a6fa5"/>'
              for t, v, _ in asked]
    parts += [f'<circle cx="{x(t):.1f}" cy="{y(v):.1f}" r="4" fill="white" '
              f'stroke="#c77c1e" stroke-width="2"/>' for t, v in done]
    said = "; ".join(f"{v} at {c} on {_date(t, zone)}" for t, v, c in asked)
    if done:
        said += "; practice: " + "; ".join(f"{v} on {_date(t, zone)}" for t, v in done)
    words = esc(f"Score over time (1 to 5): {said}")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="sans-serif" role="img" '
            f'aria-label="{words}" '
            f'class="av-bank-score-picture"><title>{words}</title>{"".join(parts)}</svg>')


#: Askings listed in an open question before the rest fold under "All N askings".
_ASKINGS_SHOWN = 5


class BankView:
    """The question bank of one journal (see the module doc)."""

    def __init__(self, journal: Journal, *, now: Callable[[], datetime] = utc_now):
        self.journal = journal
        self.now = now
        self.state = BankState()
        self.summary = css(ipw.HTML(""), "av-bank-summary")
        self.numbers = css(ipw.HTML(""), "av-bank-numbers")
        self.numbers_toggle = css(ipw.ToggleButton(description="Show the numbers",
                                                   icon="table", value=False,
                                                   layout=ipw.Layout(width="max-content")),
                                  "av-bank-numbers-toggle")
        self.numbers_toggle.observe(lambda _c: self._toggle_numbers(), "value")
        self.search = css(ipw.Text(placeholder="find a question", description="Find"),
                          "av-bank-search")
        self.search.observe(lambda c: self.set_search(c["new"]), "value")
        self.picker = css(ipw.Dropdown(description="Question", options=[],
                                       layout=ipw.Layout(width="640px")), "av-bank-picker")
        self.picker.observe(lambda c: self.pick(c["new"]), "value")
        self.detail = css(ipw.HTML(""), "av-bank-detail")
        self.best = css(ipw.Textarea(placeholder="your best answer so far",
                                     layout=ipw.Layout(width="640px", height="90px")),
                        "av-bank-best")
        self.best_error = css(ipw.HTML(""), "av-bank-best-error")
        self.save_best_button = css(ipw.Button(description="Keep as best answer",
                                               icon="check", layout=_WIDE), "av-bank-save-best")
        self.save_best_button.on_click(lambda _b: self.save_best())
        self.practice_score = css(ipw.Dropdown(description="Self-score",
                                               options=[1, 2, 3, 4, 5], value=3),
                                  "av-bank-practice-score")
        self.practice_answer = css(ipw.Textarea(placeholder="your improved answer",
                                                layout=ipw.Layout(width="640px",
                                                                  height="70px")),
                                   "av-bank-practice-answer")
        self.practice_button = css(ipw.Button(description="Record practice", icon="plus",
                                              layout=_WIDE), "av-bank-practice")
        self.practice_button.on_click(lambda _b: self.record_practice())
        self.confirm_button = css(ipw.Button(description="Yes, one question",
                                             icon="link", layout=_WIDE), "av-bank-confirm")
        self.confirm_button.on_click(lambda _b: self.confirm())
        self.merge_with = css(ipw.Dropdown(description="Same as", options=[],
                                           layout=ipw.Layout(width="520px")),
                              "av-bank-merge-with")
        self.merge_button = css(ipw.Button(description="Merge", layout=_WIDE),
                                "av-bank-merge")
        self.merge_button.on_click(lambda _b: self.merge())
        self.split_which = css(ipw.Dropdown(description="Asking", options=[],
                                            layout=ipw.Layout(width="520px")),
                               "av-bank-split-which")
        self.split_button = css(ipw.Button(description="Another question", layout=_WIDE),
                                "av-bank-split")
        self.split_button.on_click(lambda _b: self.split())
        self.status = css(ipw.HTML(""), "av-bank-status")
        self.editor = ipw.VBox([
            ipw.HTML("<b>Best answer so far</b>"), self.best, self.best_error,
            self.save_best_button,
            ipw.HTML("<b>Practise it</b>"),
            ipw.HBox([self.practice_score, self.practice_button]), self.practice_answer,
            ipw.HTML("<b>Is this grouping right?</b> Your choice is kept and wins over the "
                     "similarity."),
            ipw.HBox([self.confirm_button]),
            ipw.HBox([self.merge_with, self.merge_button]),
            ipw.HBox([self.split_which, self.split_button]),
        ])
        self._bank_parts = [self.numbers_toggle, self.search, self.picker, self.editor]
        self.widget = css(ipw.VBox([
            self.summary, self.numbers_toggle, self.numbers, self.search, self.picker,
            self.detail, self.editor, self.status,
        ]), "av-bank")
        self.refresh()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    # ---- data

    def refresh(self, keep: str | None = None) -> None:
        """Reload the bank from the journal; keep the picked question if it still exists."""
        j = self.journal
        self.zone = j.profile().timezone
        self.groups = qb.bank(j.rows("questions"), j.rows("interviews"),
                              j.rows("question_pins"), j.rows("question_groups"),
                              j.rows("practice"))
        self.by_key = {g["group"]: g for g in self.groups}
        self._summarise()
        self._fill_picker(keep if keep is not None else self.state.group)

    def _summarise(self) -> None:
        if not self.groups:
            self.summary.value = ("<p><b>No questions yet.</b> Questions you log after an "
                                  "interview (on the <i>After the interview</i> page) gather "
                                  "here, grouped when they are the same question.</p>")
            self.numbers.value = ""
            for part in self._bank_parts:
                part.layout.display = "none"
            return
        for part in self._bank_parts:
            part.layout.display = None
        from afterview_analysis.analytics.bank import (
            askings_frame,
            practice_effect,
            theme_scores,
        )

        frames = self.journal.frames()
        # the grouping the bank already made, for both numbers
        askings = askings_frame([a for g in self.groups for a in g["askings"]])
        themes = theme_scores(frames, askings)
        effect = practice_effect(frames, askings=askings)
        asked = sum(len(g["askings"]) for g in self.groups)
        lines = [f"<p><b>{len(self.groups)} questions</b> from {asked} askings."]
        rated = themes[themes["n"] >= 2]
        if len(rated):
            weakest = rated.sort_values(["mean", "theme"]).iloc[0]
            lines.append(f" Your weakest theme: <b>{esc(weakest['theme'])}</b> "
                         f"(mean {weakest['mean']:.1f} of 5, n = {weakest['n']}, "
                         f"{_interval(weakest['low'], weakest['high'])}).")
        lines.append(" " + practice_sentence(effect))
        self.summary.value = "".join(lines) + "</p>"
        rows = "".join(
            f"<tr><td>{esc(r['theme'])}</td><td>{r['n']}</td><td>{r['mean']:.2f}</td>"
            f"<td>{esc(_interval(r['low'], r['high']))}</td></tr>"
            for _, r in themes.iterrows())
        self._numbers_html = (
            "<table><caption>Score per theme (mean of your 1–5 self-scores; 95 % t "
            "interval)</caption><thead><tr><th>theme</th><th>askings</th><th>mean</th>"
            f"<th>interval</th></tr></thead><tbody>{rows}</tbody></table>")
        self._toggle_numbers()

    def _toggle_numbers(self) -> None:
        shown = self.numbers_toggle.value and self.groups
        self.numbers.value = getattr(self, "_numbers_html", "") if shown else ""
        self.numbers_toggle.description = ("Hide the numbers" if self.numbers_toggle.value
                                           else "Show the numbers")

    def _label(self, g: dict) -> str:
        n = len(g["askings"])
        title = " ".join(g["title"].split())
        title = title if len(title) <= 90 else title[:87] + "..."
        return f"{title} (asked {n} time{'s' if n != 1 else ''})"

    def _fill_picker(self, keep: str | None) -> None:
        words = self.state.search.casefold().split()
        shown = [g for g in self.groups
                 if all(w in " ".join(a["text"] for a in g["askings"]).casefold()
                        for w in words)]
        options = [(self._label(g), g["group"]) for g in shown]
        keys = [key for _, key in options]
        pick = keep if keep in keys else (keys[0] if keys else None)
        self.picker.options = options
        self.picker.value = pick
        self.pick(pick)

    # ---- actions (each one a method, so tests click or call alike)

    def set_search(self, text: str) -> None:
        self.state.search = text
        self._fill_picker(self.state.group)

    def pick(self, key: str | None) -> None:
        self.state.group = key
        g = self.by_key.get(key) if key else None
        if g is None:
            self.detail.value = "" if not self.groups else "<p><i>No question matches.</i></p>"
            self.best.value = ""
            self.merge_with.options, self.split_which.options = [], []
            return
        self.detail.value = self._detail_html(g)
        self.best.value = g["best_answer"] or ""
        self.best_error.value = ""
        self.merge_with.options = [(self._label(o), o["group"]) for o in self.groups
                                   if o["group"] != key]
        self.split_which.options = [
            (f"{a['company']}, {_date(a['at'], self.zone)}: {' '.join(a['text'].split())[:60]}",
             a["id"]) for a in g["askings"]] if len(g["askings"]) > 1 else []
        self.merge_with.value = self.split_which.value = None  # a choice, never a default
        self.split_button.disabled = len(g["askings"]) < 2
        self.merge_button.disabled = not self.merge_with.options

    def _detail_html(self, g: dict) -> str:
        z = self.zone

        def table(askings: list[dict]) -> str:
            rows = "".join(
                f"<tr><td>{esc(a['company'])}</td>"
                f"<td>{esc(_STAGE_WORDS.get(a['stage'], ''))}</td>"
                f"<td>{_date(a['at'], z)}</td><td>{a['score']}</td>"
                f"<td>{esc(a['text'])}</td><td>"
                f"{'your choice' if a['pinned'] else format(a['similarity'], '.2f')}</td></tr>"
                for a in askings)
            return ("<table><thead><tr><th>company</th><th>stage</th><th>date</th>"
                    "<th>score</th><th>as you wrote it</th><th>similarity</th></tr></thead>"
                    f"<tbody>{rows}</tbody></table>")

        askings = g["askings"]
        if len(askings) <= _ASKINGS_SHOWN + 1:
            asked = table(askings)
        else:  # a long history: the latest few, every one a click away
            asked = (f"<p>The latest {_ASKINGS_SHOWN} of {len(askings)} askings:</p>"
                     + table(askings[-_ASKINGS_SHOWN:])
                     + f"<details><summary>All {len(askings)} askings</summary>"
                     + table(askings) + "</details>")
        every = [str(a["score"]) for a in g["askings"]]
        # a long history: its ends in words (every score is in the picture and the table)
        scores = (" → ".join(every) if len(every) <= 8 else
                  f"{' → '.join(every[:3])} … {' → '.join(every[-3:])}, {len(every)} askings")
        legend = ("; blue dots: your score in each interview; hollow orange dots: your "
                  "practice self-scores" if g["practice"] else "")
        parts = [
            f"<h3>{esc(g['title'])}</h3>",
            f"<p>Theme: <b>{esc(g['theme'])}</b>. Score over time (first to latest): "
            f"<b>{esc(scores)}</b>{legend}.</p>",
            score_picture(g["askings"], g["practice"], z),
            asked,
        ]
        if g["latest_answer"]:
            parts.append(f"<p><b>Your latest answer:</b> {esc(g['latest_answer'])}</p>")
        if g["notes"]:
            parts.append("<p><b>What to say next time:</b></p><ul>"
                         + "".join(f"<li>{esc(n)}</li>" for n in g["notes"]) + "</ul>")
        if g["practice"]:
            parts.append("<p><b>Practised:</b></p><ul>" + "".join(
                f"<li>{_date(p['practised_at'], z)}: {p['score']}/5"
                + (f", {esc(p['answer'])}" if p["answer"] else "") + "</li>"
                for p in g["practice"]) + "</ul>")
        return "".join(parts)

    def _members(self) -> tuple[str, list[str]]:
        g = self.by_key[self.state.group]
        return g["group"], [a["id"] for a in g["askings"]]

    def _done(self, message: str, keep: str) -> None:
        self.refresh(keep)
        self.status.value = ok_html(message)

    def _fail(self, exc: Exception) -> None:
        self.status.value = error_html(str(exc))

    def save_best(self) -> None:
        if self.state.group is None:
            return
        key, members = self._members()
        try:
            gid = qb.set_best_answer(self.journal, key, members, self.best.value)
        except AfterviewError as exc:
            self.best_error.value = error_html(f"Best answer: {exc.rule}" if hasattr(
                exc, "rule") else str(exc))
            return  # the typed answer stays in the box
        self._done("Best answer kept.", gid)

    def record_practice(self) -> None:
        if self.state.group is None:
            return
        key, members = self._members()
        try:
            record = qb.record_practice(self.journal, key, members, self.practice_score.value,
                                        self.practice_answer.value or None, at=self.now())
        except AfterviewError as exc:
            self._fail(exc)
            return
        self.practice_answer.value = ""
        self._done("Practice recorded.", record.group_id)

    def confirm(self) -> None:
        if self.state.group is None:
            return
        key, members = self._members()
        gid = qb.confirm(self.journal, key, members, title=self.by_key[key]["title"][:300]
                         .splitlines()[0])
        self._done("Kept as one question.", gid)

    def merge(self) -> None:
        other = self.merge_with.value
        if self.state.group is None:
            return
        if other is None:
            self.status.value = error_html("Same as: pick the question this one is the same as")
            return
        key, members = self._members()
        theirs = [a["id"] for a in self.by_key[other]["askings"]]
        gid = qb.merge(self.journal, key, members, other, theirs)
        self._done("Merged: they are one question now.", gid)

    def split(self) -> None:
        which = self.split_which.value
        if self.state.group is None:
            return
        if which is None:
            self.status.value = error_html("Asking: pick the asking that is another question")
            return
        key, members = self._members()
        qb.split(self.journal, key, members, which)
        self._done("Split off: that asking is a question of its own now.", key)


def practice_parts(effect: dict) -> tuple[str, str]:
    """The answer first, then the numbers behind it: did practised questions score better
    than unpractised ones of the same category? (both escaped HTML)."""
    from afterview_analysis.analytics.bank import MIN_PRACTISED

    n1, n0 = effect["n_compared_practised"], effect["n_compared_unpractised"]
    cats = len(effect["categories"])
    where = (f"in the {cats} categor{'y' if cats == 1 else 'ies'} with at least 2 of each"
             if cats else "no category has 2 of each yet")
    if effect["verdict"] == "not enough data" and not effect.get("n_practice"):
        return ("Practice: none recorded yet.",
                "On the Prepare page, open a question and record a practice (when, a 1-5 "
                "self-score, your improved answer); once interviews after it ask practised "
                "questions, this compares their scores with unpractised ones.")
    if effect["verdict"] == "not enough data" and not effect["n_practised"]:
        return ("Practice: no interview has asked a practised question since you practised "
                "it.", f"{effect['n_practice']} practice record"
                f"{'' if effect['n_practice'] == 1 else 's'} so far; the comparison "
                "starts with the askings after them.")
    if effect["verdict"] == "not enough data":
        return ("Practice: not enough data yet to tell whether practised questions score "
                "better than unpractised ones of the same category.",
                f"It takes {MIN_PRACTISED} askings after a practice and {MIN_PRACTISED} "
                f"without, in categories that have at least 2 of each (now {n1} and {n0}, "
                f"{where}; {effect['n_practised']} askings after a practice in all).")
    way = "higher" if effect["diff"] >= 0 else "lower"
    left = effect["n_practised"] - n1
    aside = (f"; {left} more askings after a practice are in categories without enough "
             "unpractised ones to compare with" if left else "")
    return (f"Practice: {esc(effect['verdict'])}.",
            f"Practised questions scored {abs(effect['diff']):.1f} points {way} than "
            f"unpractised ones of the same category (n = {n1} practised, {n0} unpractised "
            f"askings, {where}; {_interval(effect['low'], effect['high'])}{aside}).")


def practice_sentence(effect: dict) -> str:
    """:func:`practice_parts` as one sentence (escaped HTML)."""
    return " ".join(practice_parts(effect))


class PracticeView:
    """For Reflect: did practising a question before an interview pay off there? The
    answer in a sentence, the comparison per category behind a toggle."""

    def __init__(self, journal: Journal, *, frames: Any = None):
        from afterview_analysis.analytics.bank import practice_effect

        self.journal = journal
        # ``frames``: the journal's frames when the page has read them already
        self.effect = practice_effect(journal.frames() if frames is None else frames)
        answer, numbers = practice_parts(self.effect)
        self.sentence = css(ipw.HTML(f"<p><b>{answer}</b></p><p><small>{numbers}</small></p>"),
                            "av-practice-sentence")
        self.toggle = css(ipw.ToggleButton(description="Show the numbers", icon="table",
                                            layout=ipw.Layout(width="max-content")),
                          "av-practice-toggle")
        self.table = css(ipw.HTML(""), "av-practice-table")
        self.toggle.observe(lambda _c: self._show(), "value")
        self.widget = css(ipw.VBox([ipw.HTML("<h3>Did practice pay off?</h3>"),
                                    self.sentence, self.toggle, self.table]), "av-practice")
        asked = (len(frames["questions"]) if frames is not None
                 else len(journal.rows("questions")))
        if not asked:  # nothing to compare: Reflect says what to do
            self.widget.layout.display = "none"
        if self.effect["categories"].empty:  # no numbers behind the sentence yet
            self.toggle.layout.display = "none"

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def _show(self) -> None:
        cats = self.effect["categories"]
        if not self.toggle.value:
            self.table.value = ""
            return
        if cats.empty:
            self.table.value = ("<p><i>No category has two askings after a practice and two "
                                "without yet.</i></p>")
            return
        rows = "".join(
            f"<tr><td>{esc(str(r['category']).replace('_', ' '))}</td>"
            f"<td>{r['n_practised']}</td><td>{r['mean_practised']:.2f}</td>"
            f"<td>{r['n_unpractised']}</td><td>{r['mean_unpractised']:.2f}</td>"
            f"<td>{r['diff']:+.2f}</td></tr>" for _, r in cats.iterrows())
        self.table.value = (
            "<table><caption>Mean self-score in the interview, by question category "
            "(practised: its question was practised before that interview)</caption>"
            "<thead><tr><th>category</th><th>practised askings</th><th>mean</th>"
            "<th>unpractised askings</th><th>mean</th><th>difference</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


#: The prep sheet's classes as inline styles, for its preview in the widget (user text is
#: escaped, so ``class="q"`` only ever comes from the sheet's own markup).
_PREVIEW_STYLES = {
    "q": "margin:.6rem 0;padding:.4rem .6rem;border-left:3px solid #4a6fa5",
    "meta": "color:#555;font-size:.85rem",
    "best": "white-space:pre-wrap;margin:.3rem 0",
    "check": "list-style:none;padding-left:0",
    "box": "display:inline-block;width:.9em;height:.9em;border:1px solid #333;"
           "margin-right:.4em;vertical-align:-.1em",
}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:40] or "company"


class PrepView:
    """Your own questions to ask them (kept in the profile); pick a company (and the coming
    stage): the prep sheet, saved as a printable page."""

    def __init__(self, journal: Journal, *, out_dir: str | Path | None = None,
                 company: str | None = None, stage: str | None = None):
        self.journal = journal
        from afterview_analysis.widgets.workbook import exports_dir

        self.out_dir = Path(out_dir) if out_dir else exports_dir(journal)
        companies = sorted({iv["company"] for iv in journal.rows("interviews")},
                           key=str.casefold)
        self.company = css(ipw.Combobox(description="Company", options=companies,
                                        placeholder="the company you meet next",
                                        ensure_option=False), "av-prep-company")
        self.stage = css(ipw.Dropdown(description="Stage", options=[("any", "")] + [
            (_STAGE_WORDS[s.value], s.value) for s in Stage]), "av-prep-stage")
        self.button = css(ipw.Button(description="Make the prep sheet", icon="print",
                                     layout=_WIDE), "av-prep-make")
        self.button.on_click(lambda _b: self.make())
        self.status = css(ipw.HTML(""), "av-prep-status")
        self.preview = css(ipw.HTML(""), "av-prep-preview")
        self.path: Path | None = None
        from afterview_analysis.prep import QUESTIONS_TO_ASK

        self.questions = css(ipw.Textarea(
            value=journal.profile().questions_to_ask or "",
            placeholder="one question a line, e.g. " + QUESTIONS_TO_ASK[0],
            layout=ipw.Layout(width="640px", height="110px")), "av-prep-questions")
        self.questions_button = css(ipw.Button(description="Keep my questions", icon="check",
                                               layout=_WIDE), "av-prep-questions-save")
        self.questions_button.on_click(lambda _b: self.save_questions())
        self.questions_status = css(ipw.HTML(""), "av-prep-questions-status")
        self.widget = css(ipw.VBox([
            ipw.HTML("<b>Your questions to ask them</b> (one a line; every prep sheet lists "
                     "them, and shows a few suggestions while you have none)"),
            self.questions, ipw.HBox([self.questions_button, self.questions_status]),
            ipw.HBox([self.company, self.stage, self.button]), self.status, self.preview,
        ]), "av-prep")
        if company is None and companies:
            latest = max(journal.rows("interviews"), key=lambda iv: iv["starts_at"])
            company = latest["company"]
        if company:
            self.company.value = company
        self.stage.value = stage or ""
        if company:
            self.make()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def save_questions(self) -> bool:
        """Keep the typed questions in the profile; the sheet is made again with them."""
        from dataclasses import replace

        try:
            profile = replace(self.journal.profile(),
                              questions_to_ask=self.questions.value.strip() or None)
            self.journal.update(profile)
        except AfterviewError as exc:
            rule = exc.rule if isinstance(exc, RecordError) else str(exc)
            self.questions_status.value = error_html(f"Your questions to ask: {rule}")
            return False  # what was typed stays in the box
        n = len(profile.questions())
        self.questions_status.value = ok_html(
            f"Kept {n} question{'s' if n != 1 else ''} to ask." if n else
            "No questions of your own: the sheet shows suggestions.")
        if self.company.value.strip():
            self.make()
        return True

    def make(self) -> Path | None:
        from afterview_analysis.outputs import write_atomic
        from afterview_analysis.prep import prep_sheet, render_html

        try:
            sheet = prep_sheet(self.journal, self.company.value, self.stage.value or None)
            page = render_html(sheet)
            name = f"prep-{_slug(sheet['company'])}"
            path = self.out_dir / f"{name}.html"
            number = 2
            while path.exists() and path.read_bytes() != page.encode("utf-8"):
                path = self.out_dir / f"{name}-{number}.html"  # never over another file
                number += 1
            write_atomic(path, page.encode("utf-8"), journal=self.journal.path)
        except (AfterviewError, OSError) as exc:
            self.status.value = error_html(str(exc))
            return None  # what was typed stays
        self.path = path
        self.status.value = ok_html(f"Saved {path}: open it in your browser and print it.")
        body = page.split("<body>", 1)[1].rsplit("</body>", 1)[0]
        for name, style in _PREVIEW_STYLES.items():  # the page's look, without a <style>
            body = body.replace(f'class="{name}"', f'class="{name}" style="{style}"')
        self.preview.value = f'<div style="max-width:50rem">{body}</div>'
        return path
