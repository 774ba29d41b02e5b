"""The whole reflection in one document: text for the terminal, HTML for a browser, JSON.

* :func:`build_report` -- every analysis table, computed once, in a :class:`Report`.
* :func:`render_text`, :func:`render_html`, :func:`render_json` -- the three forms. The
  HTML embeds the figures as base64 PNG and escapes every piece of user text; the JSON
  carries every number the other two show (and the definitions and minimum n).
* :func:`render` -- ``render(frames, "text" | "html" | "json", as_of=None)``.

>>> from afterview_analysis.journal import Journal
>>> print(render(Journal(":memory:").frames(), "text", as_of="2026-01-01").splitlines()[2])
No interviews logged yet: there is not enough data for any analysis.
"""

from __future__ import annotations

import base64
import html
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from afterview_analysis import analytics as an
from afterview_analysis.analytics._frames import (
    AnalysisError,
    as_of_timestamp,
    replay,
    user_zone,
)

__all__ = ["FORMATS", "Report", "build_report", "render", "render_html", "render_json",
           "render_text"]

FORMATS = ("text", "html", "json")


@dataclass
class Report:
    """Every table of the reflection, computed once (see :func:`build_report`)."""

    as_of: pd.Timestamp
    interviews: int
    first: pd.Timestamp | None
    last: pd.Timestamp | None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: True when built for a past moment (``as_of``): later records were left out.
    replayed: bool = False
    #: The user's zone: dates in the title are shown in it.
    zone: str = "UTC"


def build_report(
    frames: Mapping[str, pd.DataFrame], as_of: Any = None, window: int = an.WINDOW
) -> Report:
    """Run every analysis on ``frames`` once; nothing is drawn or formatted here.

    Each table is computed once: a summary is made from the table it summarises. The
    Reflect view and every format of ``afterview report`` read these tables.
    """
    now = as_of_timestamp(as_of, user_zone(frames))
    if as_of is not None:  # replay the past: what was recorded after it does not exist yet
        frames = replay(frames, now)
    iv = frames.get("interviews")
    starts = (pd.to_datetime(iv["starts_at"], utc=True).dropna()
              if iv is not None and len(iv) else pd.Series(dtype="datetime64[us, UTC]"))
    history = an.score_history(frames, "both", window)
    trends = an.trends_from_history(history, window)
    weak = an.rank_areas(trends)
    employer = an.employer_response_times(frames, now)
    deadlines = an.step_deadlines(frames, now)
    own = an.message_times(deadlines)
    points = an.calibration_points(frames)
    tables = {
        "history": history,
        "trends": trends,
        "weak_areas": weak,
        "focus_next": an.practice_list(frames, weak, k=3, by="skill"),
        "employer_times": employer,
        "employer_overall": an.summarise_employer_times(employer, None),
        "employer_by_stage": an.summarise_employer_times(employer, "stage"),
        "employer_by_company": an.summarise_employer_times(employer, "company"),
        "own_times": own,
        "own_summary": an.summarise_own_times(own),
        "answer_minutes": an.answer_minutes(frames, "QS"),
        "calibration": an.brier_score(points),
        "reliability": an.reliability_bins(points),
        "self_score": an.compare_self_scores(points),
        "funnel": an.funnel(frames),
        "compliance": an.summarise_compliance(deadlines),
        "compliance_by_quarter": an.summarise_compliance(deadlines, "QS"),
    }
    return Report(
        as_of=now, replayed=as_of is not None, zone=user_zone(frames),
        interviews=len(starts) if iv is None else len(iv),
        first=starts.min() if len(starts) else None,
        last=starts.max() if len(starts) else None, tables=tables,
    )


# --------------------------------------------------------------------------- formatting


def _w(label: Any) -> str:
    """A label in words ("system design", "send the thank-you"), never a code."""
    from afterview_analysis.plots import words

    return words(label)


def _num(value: Any, fmt: str = ".1f", signed: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "–"
    try:
        if pd.isna(value):
            return "–"
    except (TypeError, ValueError):
        pass
    return format(float(value), ("+" if signed else "") + fmt)


def _pct(value: Any) -> str:
    return "–" if value is None or pd.isna(value) else f"{float(value):.0%}"


def _interval(low: Any, high: Any, fmt: str = ".1f", signed: bool = False) -> str:
    if pd.isna(low) or pd.isna(high):
        return "[no interval]"
    return f"[{_num(low, fmt, signed)}, {_num(high, fmt, signed)}]"


def _day(ts: Any) -> str:
    return "–" if ts is None or pd.isna(ts) else pd.Timestamp(ts).strftime("%Y-%m-%d")


def _median_iqr(row: Mapping[str, Any], prefix: str, unit: str) -> str:
    n = int(row.get(f"{prefix}_n", 0) or 0)
    if n == 0:
        return "not enough data (n = 0)"
    return (f"median {_num(row[f'{prefix}_median'])} {unit} "
            f"(IQR {_num(row[f'{prefix}_q1'])} to {_num(row[f'{prefix}_q3'])}, n = {n})")


def _share(on: int, due: int, low: Any, high: Any) -> str:
    if due == 0:
        return "not enough data (n = 0)"
    return f"{on} of {due} = {on / due:.0%} [{_pct(low)}-{_pct(high)}]"


Tables = Mapping[str, pd.DataFrame]


def _focus_lines(t: Tables) -> list[str]:
    lines: list[str] = []
    focus = t["focus_next"]
    if focus.empty:
        lines.append("Not enough data: no skill has been scored yet.")
    for (rank, area), part in focus.groupby(["rank", "area"], sort=True):
        w = t["weak_areas"].set_index(["kind", "area"]).loc[("skill", area)]
        lines.append(
            f"{rank}. {area}: recent {_num(w['recent'])} of 5 "
            f"{_interval(w['recent_low'], w['recent_high'])} over the last "
            f"{int(w['recent_n'])} interviews; trend {_num(w['slope_30d'], '.2f', True)} "
            f"per 30 days "
            f"{_interval(w['ci_low'], w['ci_high'], '.2f', True)}: {w['verdict']} "
            f"(n = {int(w['n'])})"
        )
        advice = part["advice"].iloc[0] if "advice" in part else ""
        if isinstance(advice, str) and advice:
            lines.append(f"   - {advice}")
        for _, q in part.dropna(subset=["question"]).iterrows():
            note = f" Next time: {q['next_time']}" if isinstance(q["next_time"], str) else ""
            done = ("" if pd.isna(q["practice_score"]) else
                    f"; practised since: {q['practice_score']}/5 on {_day(q['practised_at'])}")
            lines.append(f"   - practise \"{q['question']}\" ({_w(q['category'])}, scored "
                         f"{q['score']} at {q['company']} on {_day(q['at'])}{done}).{note}")
    cats = t["weak_areas"][t["weak_areas"]["kind"] == "category"].head(3)
    if len(cats):
        lines.append("Weakest question categories: " + "; ".join(
            f"{_w(row.area)} recent {_num(row.recent)} (n = {int(row.n)})"
            for row in cats.itertuples()))
    return lines


def _trend_lines(t: Tables) -> list[str]:
    lines = [f"Verdicts follow from the 95 % interval of the least-squares slope and need "
             f"n >= {an.MIN_TREND_N} interviews over >= {an.MIN_TREND_SPAN_DAYS} days; "
             f"'flat' means the interval lies within +/-{an.FLAT_MARGIN} points per 30 days."]
    if t["trends"].empty:
        lines.append("Not enough data: no scores yet.")
    verdicts = t["trends"]["verdict"].ne("not enough data").sum() if len(t["trends"]) else 0
    if verdicts >= 5:
        lines.append(f"{verdicts} verdicts below: at a 95 % level about one in twenty of them "
                     f"will be wrong by chance.")
    for row in t["trends"].itertuples():
        lines.append(
            f"{_w(row.kind):8} {_w(row.area):22} n={row.n:<4} mean {_num(row.mean)}  recent "
            f"{_num(row.recent)}  change {_num(row.slope_30d, '.2f', True)} per 30 days "
            f"{_interval(row.ci_low, row.ci_high, '.2f', True)}  {row.verdict}"
        )
    return lines


def _employer_lines(t: Tables) -> list[str]:
    lines = []
    overall = t["employer_overall"]
    if len(overall):
        o = overall.iloc[0]
        lines.append("Days from the interview to the first answer: "
                     + _median_iqr(o, "days", "days"))
        lines.append("Days late against the promised date (negative = early): "
                     + _median_iqr(o, "late", "days"))
        lines.append(f"Ghosting candidates (no answer {an.GHOSTING_AFTER.days} days after the "
                     f"promised date): " + _share(int(o["ghosting"]), int(o["interviews"]),
                                                    o["ghosting_low"], o["ghosting_high"]))
    for row in t["employer_by_stage"].to_dict("records"):
        lines.append(f"  {_w(row['stage']):10} {_median_iqr(row, 'days', 'days')}")
    ghosts = t["employer_times"]
    ghosts = ghosts[ghosts["status"] == "ghosting candidate"] if len(ghosts) else ghosts
    for row in ghosts.itertuples():
        lines.append(f"  no answer: {row.company} ({_w(row.stage)}, promised "
                     f"{_day(row.feedback_by)})")
    if not lines:
        lines.append("Not enough data: no interview has ended yet.")
    return lines


_OWN_LABELS = {"thank_you": "Thank-you notes", "info_reply": "Information replies",
               "follow_up": "Follow-ups"}


def _own_lines(t: Tables) -> list[str]:
    lines = []
    for row in t["own_summary"].to_dict("records"):
        label = _OWN_LABELS[row["kind"]]
        if row["due"] == 0:
            lines.append(f"{label} ({row['target']}): not enough data (n = 0)")
            continue
        unit = "hours after it fell due" if row["kind"] == "follow_up" else "hours"
        text = (f"{label} ({row['target']}): on time "
                f"{_share(row['on_time'], row['due'], row['low'], row['high'])}; "
                f"median {_num(row['hours_median'])} {unit} (IQR {_num(row['hours_q1'])} to "
                f"{_num(row['hours_q3'])}, n = {row['sent']} sent)")
        if row["kind"] == "follow_up":
            text += (f"; too early {row['too_early']}, late {row['late']}, "
                     f"missing {row['missing']}")
        lines.append(text)
    return lines


def _calibration_lines(t: Tables) -> list[str]:
    lines = []
    c = t["calibration"].iloc[0]
    if c["n"] == 0:
        lines.append("Not enough outcomes: no resolved interview with a predicted chance.")
    else:
        lines.append(
            f"Brier score {_num(c['brier'], '.3f')} "
            f"{_interval(c['brier_low'], c['brier_high'], '.3f')} over n = {int(c['n'])} "
            f"resolved interviews (0 is perfect; always guessing the "
            f"base rate of {_pct(c['base_rate'])} scores {_num(c['reference'], '.3f')}); "
            f"difference {_num(c['diff'], '.3f', True)} "
            f"{_interval(c['diff_low'], c['diff_high'], '.3f', True)} (paired, the same "
            f"interviews): {c['verdict']}"
            + (f" (needs n >= {int(c['min_n'])})" if c["verdict"] == "not enough outcomes"
               else "")
        )
        for row in t["reliability"].itertuples():
            if row.n:
                lines.append(f"  predicted {row.bin:9}: mean {_pct(row.mean_predicted)}, "
                             f"advanced {_pct(row.observed_rate)} [{_pct(row.low)}-"
                             f"{_pct(row.high)}], n = {row.n}")
    s = t["self_score"].iloc[0]
    lines.append(
        f"Mean self-score when advancing {_num(s['mean_advanced'], '.2f')} (n = "
        f"{int(s['n_advanced'])}) vs not {_num(s['mean_not'], '.2f')} (n = {int(s['n_not'])}): "
        f"difference {_num(s['diff'], '.2f', True)} "
        f"{_interval(s['ci_low'], s['ci_high'], '.2f', True)} (Welch): {s['verdict']}"
    )
    return lines


def _funnel_lines(t: Tables) -> list[str]:
    lines = []
    for row in t["funnel"].itertuples():
        conv = (f"moved on in {_share(row.moved_on, row.resolved, row.low, row.high)} the "
                f"employer decided" if row.resolved else "nothing decided yet")
        lines.append(f"{_w(row.stage):10} {row.interviews:4} interviews: {row.advanced} advanced, "
                     f"{row.offer} offers, {row.rejected} rejected, {row.ghosted} ghosted, "
                     f"{row.withdrawn} withdrawn, {row.pending} pending; {conv}")
    return lines or ["Not enough data: no interviews yet."]


def _compliance_lines(t: Tables) -> list[str]:
    lines = []
    for row in t["compliance"].itertuples():
        step = _w(row.step)
        if row.due == 0:
            lines.append(f"{step:20} not enough data (n = 0)")
            continue
        lines.append(f"{step:20} on time {_share(row.on_time, row.due, row.low, row.high)}; "
                     f"late {row.late}, missing {row.missing}")
    return lines


#: The report's sections in order: a heading, and the function that writes its lines
#: (plain text; the HTML form escapes them) from the report's tables. A new analysis is a
#: function in ``analytics``, a table in :func:`build_report` and an entry here.
SECTIONS: list[tuple[str, Callable[[Tables], list[str]]]] = [
    ("Focus next (the weakest skills, and questions to practise)", _focus_lines),
    ("Skill and question-category trends", _trend_lines),
    ("How fast employers answer", _employer_lines),
    ("How fast you answer", _own_lines),
    ("How well your gut feeling predicts the outcome", _calibration_lines),
    ("Funnel", _funnel_lines),
    ("Playbook steps done on time", _compliance_lines),
]


def _sections(r: Report) -> list[tuple[str, list[str]]]:
    """The report as (heading, lines) in plain text."""
    return [(heading, lines(r.tables)) for heading, lines in SECTIONS]


def render_text(report: Report) -> str:
    """The reflection as plain text (UTF-8)."""
    lines = [_title(report), ""]
    if report.interviews == 0:
        lines.append("No interviews logged yet: there is not enough data for any analysis.")
        lines.append("")
    for heading, body in _sections(report):
        lines += [heading, "-" * len(heading), *body, ""]
    return "\n".join(lines)


def _title(report: Report) -> str:
    span = (f", {_day(report.first)} to {_day(report.last)}" if report.first is not None
            else "")
    when = pd.Timestamp(report.as_of).tz_convert(report.zone)
    replayed = (f" {when:%Y-%m-%d %H:%M} {report.zone} (anything recorded later is left out)"
                if report.replayed else f" {when:%Y-%m-%d}")
    return (f"afterview reflection as of{replayed}: {report.interviews} interviews{span}")


def _figures(report: Report) -> list[tuple[str, Callable[[], Any]]]:
    from afterview_analysis import plots

    t = report.tables
    return [
        ("Skill scores over time", lambda: plots.plot_skill_trends(t["history"], t["trends"])),
        ("Question categories over time",
         lambda: plots.plot_skill_trends(t["history"], t["trends"], kind="category")),
        ("Skills by quarter", lambda: plots.plot_skill_heatmap(t["history"])),
        ("Your response times", lambda: plots.plot_response_times(t["own_times"])),
        ("Employer response times",
         lambda: plots.plot_employer_response_times(t["employer_times"])),
        ("Reliability diagram", lambda: plots.plot_reliability(t["reliability"],
                                                               t["calibration"])),
        ("Funnel", lambda: plots.plot_funnel(t["funnel"])),
        ("Playbook over time", lambda: plots.plot_compliance(t["compliance_by_quarter"])),
    ]


def render_html(report: Report, figures: bool = True) -> str:
    """A self-contained HTML page: every user text escaped, figures as base64 PNG."""
    from afterview_analysis.plots import figure_png

    e = html.escape
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(_title(report))}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
        "padding:0 1rem;line-height:1.45}h2{border-bottom:1px solid #ccc}"
        "li{margin:.2rem 0}img{max-width:100%}</style></head><body>",
        f"<h1>{e(_title(report))}</h1>",
    ]
    if report.interviews == 0:
        parts.append("<p>No interviews logged yet: there is not enough data for any "
                     "analysis.</p>")
    for heading, body in _sections(report):
        parts.append(f"<h2>{e(heading)}</h2><ul>")
        parts += [f"<li>{e(line.strip())}</li>" for line in body]
        parts.append("</ul>")
    if figures:
        parts.append("<h2>Figures</h2>")
        for caption, make in _figures(report):
            png = base64.b64encode(figure_png(make())).decode("ascii")
            parts.append(f'<figure><img alt="{e(caption)}" src="data:image/png;base64,{png}">'
                         f"<figcaption>{e(caption)}</figcaption></figure>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _jsonable(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, pd.Period):
        return str(value)
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _jsonable(v) for k, v in row.items()} for row in df.to_dict("records")]


def render_json(report: Report) -> str:
    """Every table of the report as JSON (NaN and NaT as null, times ISO-8601 UTC)."""
    doc = {
        "as_of": report.as_of.isoformat(),
        "interviews": report.interviews,
        "first": _jsonable(report.first),
        "last": _jsonable(report.last),
        "definitions": {
            "confidence": 0.95,
            "trend": "ordinary least-squares slope of score on interview start, points per "
                     "30 days, t interval with n-2 df",
            "min_trend_n": an.MIN_TREND_N,
            "min_trend_span_days": an.MIN_TREND_SPAN_DAYS,
            "flat_margin_per_30_days": an.FLAT_MARGIN,
            "recent_window": an.WINDOW,
            "recent_interval": "t interval of the mean of the last scores, clipped to 1-5",
            "brier_difference": "mean of the paired per-interview differences of squared "
                                "errors (yours minus the base rate's), paired t interval",
            "summaries": "median and interquartile range (linear quantiles), with n",
            "shares": "Wilson score interval",
            "brier": "mean of (predicted - advanced)^2; reference = base_rate*(1-base_rate)",
            "self_score_difference": "Welch t interval",
            "min_outcomes": an.MIN_OUTCOMES,
            "ghosting_after_days": an.GHOSTING_AFTER.days,
        },
        "tables": {name: _records(df) for name, df in report.tables.items()},
    }
    return json.dumps(doc, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def render(frames: Mapping[str, pd.DataFrame], fmt: str = "text", as_of: Any = None) -> str:
    """Build the report on ``frames`` and render it as ``fmt`` ("text", "html", "json")."""
    if fmt not in FORMATS:
        raise AnalysisError(f"format = {fmt!r}: must be one of {', '.join(FORMATS)}")
    report = build_report(frames, as_of)
    return {"text": render_text, "html": render_html, "json": render_json}[fmt](report)
