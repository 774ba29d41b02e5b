"""The pictures: one function per figure, each taking an analysis frame, returning a Figure.

No pyplot and no global state: every function builds a :class:`matplotlib.figure.Figure`
directly, so figures can be made in threads, tests and servers, and shown in Jupyter by
leaving them as the cell's value. Margins are set once, in inches, from what each figure
carries (its tick labels measured without drawing, its title and legend lines): a layout
engine would draw every figure a second time before it is saved, a fifth to a third of
Reflect's drawing time. Time axes are dated, axes say their units, and every
figure shows its n. With nothing to draw, a figure says "not enough data" instead.

* :func:`plot_focus` -- each skill's recent level with its 95 % range and n, weakest
  first (from ``rank_areas``): what to practise next.
* :func:`plot_skill_trends` -- scores over time with the rolling mean (from
  ``score_history``; legend from ``skill_trends``).
* :func:`plot_skill_heatmap` -- mean score per area and period, n in each cell.
* :func:`plot_response_times` -- distribution of the user's hours to a thank-you and to an
  information reply, with the 48 h / 24 h deadlines (from ``own_response_times``).
* :func:`plot_employer_response_times` -- days to the employer's answer by stage.
* :func:`plot_reliability` -- the reliability diagram (from ``reliability_table``).
* :func:`plot_funnel` -- interviews per stage and conversion (from ``funnel``).
* :func:`plot_compliance` -- share of playbook steps done on time per period.
* :func:`figure_png` -- a figure as PNG bytes (for the HTML report).

>>> from afterview_analysis.analytics import score_history
>>> from afterview_analysis.analytics._examples import tiny_frames
>>> fig = plot_skill_trends(score_history(tiny_frames()), kind="skill")
>>> type(fig).__name__, fig.axes[0].get_ylabel()
('Figure', 'self-score (1-5)')
"""

from __future__ import annotations

import io

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from afterview_analysis.analytics.compliance import JUDGED
from afterview_analysis.rules import INFO_REPLY_WITHIN, THANK_YOU_WITHIN

__all__ = [
    "figure_png",
    "plot_compliance",
    "plot_employer_response_times",
    "plot_focus",
    "plot_funnel",
    "plot_reliability",
    "plot_response_times",
    "plot_skill_heatmap",
    "plot_skill_trends",
]

_SIZE = (8.0, 4.5)
_KIND_WORDS = {"skill": "skill", "category": "question category"}


def words(label: object) -> str:
    """A label as the user reads it: a playbook step by its title ("send the
    thank-you"), any other code with spaces ("system design").

    >>> words("system_design"), words("thank_you")
    ('system design', 'send the thank-you')
    """
    from afterview_analysis.rules import STEP_TITLES

    text = str(label)
    return STEP_TITLES.get(text, text.replace("_", " "))


def _empty(fig: Figure, ax, message: str = "not enough data") -> Figure:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, fontsize=12,
            color="0.4")
    ax.set_xticks([])
    ax.set_yticks([])
    return _place(fig)


def _inches(texts: list[str], size: float) -> float:
    """The width of the widest of ``texts`` at font ``size``, in inches, measured from the
    font (no drawing)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    measure, prop = TextToPath(), FontProperties(size=size)
    return max((measure.get_text_width_height_descent(t, prop, ismath=False)[0] / 72
                for t in texts if t), default=0.0)


def _place(fig: Figure, *, top: float = 0.0, bottom: float = 0.0, right: float = 0.25,
           wspace: float | None = None) -> Figure:
    """Fixed margins, in inches, for what the axes carry: the widest y tick label (measured;
    numbers when the labels are left to the axis), the y label, the x label, the title's
    lines; ``top`` and ``bottom`` add room (a legend above, a date offset below)."""
    if fig.get_layout_engine() is not None:  # a figure that lays itself out
        return fig
    w, h = fig.get_size_inches()
    left = low = high = 0.15
    for ax in fig.axes:
        ticks = [t.get_text() for t in ax.get_yticklabels()]
        size = ax.yaxis.get_ticklabels()[0].get_fontsize() if ticks else 10
        width = _inches(ticks, size) if any(ticks) else (0.3 if len(ax.get_yticks()) else 0)
        left = max(left, 0.2 + width + (0.3 if ax.get_ylabel() else 0))
        low = max(low, 0.15 + (0.25 if len(ax.get_xticks()) else 0)
                  + (0.25 if ax.get_xlabel() else 0))
        title = ax.get_title()
        lines = title.count("\n") + 1 if title else 0
        high = max(high, 0.15 + lines * 0.2 * ax.title.get_fontsize() / 10)
    fig.subplots_adjust(left=min(left / w, 0.5), right=1 - right / w,
                        bottom=min((low + bottom) / h, 0.45),
                        top=1 - min((high + top) / h, 0.5), wspace=wspace)
    return fig


def _dated(ax) -> None:
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _naive(series: pd.Series) -> pd.Series:
    s = pd.to_datetime(series, utc=True)
    return s.dt.tz_localize(None)


def plot_skill_trends(
    history: pd.DataFrame,
    trends: pd.DataFrame | None = None,
    *,
    kind: str = "skill",
    areas: list[str] | None = None,
) -> Figure:
    """Scores over time (dots) and their rolling mean (line), one colour per area.

    ``history`` is :func:`~afterview_analysis.analytics.score_history`; ``trends``
    (:func:`~afterview_analysis.analytics.skill_trends`) adds slope, interval and verdict
    to each legend entry. ``kind`` picks skills or categories; ``areas`` a subset.
    """
    fig = Figure(figsize=_SIZE)
    ax = fig.add_subplot()
    h = history[history["kind"] == kind] if "kind" in history else history
    if areas is not None:
        h = h[h["area"].isin(areas)]
    if h.empty:
        ax.set_title(f"{_KIND_WORDS.get(kind, kind)} scores over time")
        return _empty(fig, ax)
    info = trends.set_index(["kind", "area"]) if trends is not None and len(trends) else None
    for area, part in h.groupby("area", sort=False):
        at = _naive(part["at"])
        label = f"{words(area)} (n={len(part)})"
        if info is not None and (kind, area) in info.index:
            t = info.loc[(kind, area)]
            if pd.notna(t["ci_low"]):
                label = (f"{words(area)} (n={int(t['n'])}): {t['slope_30d']:+.2f} per 30 days "
                         f"[{t['ci_low']:+.2f}, {t['ci_high']:+.2f}], {t['verdict']}")
            else:
                label = f"{words(area)} (n={int(t['n'])}): {t['verdict']}"
        line = ax.plot(at, part["rolling_mean"], linewidth=2, label=label)[0]
        ax.scatter(at, part["score"], s=14, alpha=0.35, color=line.get_color())
    ax.set_ylim(0.8, 5.2)
    days = pd.to_datetime(h["at"], utc=True)
    if days.max() - days.min() < pd.Timedelta(days=30):  # one day's scores: a month, not years
        middle = _naive(pd.Series([days.min() + (days.max() - days.min()) / 2])).iloc[0]
        ax.set_xlim(middle - pd.Timedelta(days=15), middle + pd.Timedelta(days=15))
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.set_ylabel("self-score (1-5)")
    ax.set_xlabel("interview date")
    # the legend sits between the axes and the title: a line of 7 pt per row of entries,
    # two entries a row when they fit; the figure grows by it, the plot keeps its size
    labels = ax.get_legend_handles_labels()[1]
    ncols = 2 if _inches(labels, 7) < 2.9 else 1  # half the plot's width, less the key
    legend = -(-len(labels) // ncols) * 0.16 + 0.08
    fig.set_size_inches(_SIZE[0], _SIZE[1] - 0.6 + legend)
    ax.set_title(f"{_KIND_WORDS.get(kind, kind).capitalize()} scores over time: dots are "
                 f"interviews, lines the "
                 f"rolling mean (n = {len(h)} scores)", fontsize=10, pad=6 + 72 * legend)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="lower left", bbox_to_anchor=(0, 1.02, 1, 0.2), mode="expand",
              ncols=ncols, frameon=False, borderaxespad=0, borderpad=0)
    _dated(ax)
    return _place(fig, top=legend, bottom=0.15)


def plot_focus(weak: pd.DataFrame, *, kind: str = "skill", k: int = 3) -> Figure:
    """Each area's recent level (mean of its last interviews, from
    :func:`~afterview_analysis.analytics.rank_areas`) with its 95 % t interval and n,
    weakest first: the weakest (practise it next) in red, the rest of the ``k`` weakest
    (next on the list) in orange.

    >>> from afterview_analysis.analytics import rank_areas, skill_trends
    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> fig = plot_focus(rank_areas(skill_trends(tiny_frames())))
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['problem solving (n=3)', 'communication (n=3)']
    """
    w = weak[weak["kind"] == kind] if len(weak) else weak
    w = w.dropna(subset=["recent"]).sort_values("rank", kind="stable") if len(w) else w
    fig = Figure(figsize=(8.0, max(2.4, 1.2 + 0.38 * len(w))))
    ax = fig.add_subplot()
    if w.empty:
        ax.set_title(f"Recent level per {_KIND_WORDS.get(kind, kind)}")
        return _empty(fig, ax)
    y = np.arange(len(w))[::-1]
    low = (w["recent"] - w["recent_low"]).fillna(0).clip(lower=0)
    high = (w["recent_high"] - w["recent"]).fillna(0).clip(lower=0)
    colours = ["#c44e52" if i == 0 else "#dd8452" if i < k else "#4c72b0"
               for i in range(len(w))]
    ax.errorbar(w["recent"], y, xerr=np.vstack([low, high]), fmt="none", ecolor="0.55",
                capsize=3)
    ax.scatter(w["recent"], y, color=colours, zorder=3)
    ax.set_yticks(y, [f"{words(a)} (n={int(n)})" for a, n in
                      zip(w["area"], w["recent_n"], strict=True)])
    ax.set_xlim(0.8, 5.2)
    ax.set_ylim(-0.6, len(w) - 0.4)
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.set_xlabel("recent self-score (1-5): mean of the last interviews, 95 % range "
                  "(clipped to 1-5)")
    title = "Weakest first: red, practise it next"
    if min(k, len(w)) > 1:
        title += "; orange, next on the list"
    ax.set_title(title, fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    return _place(fig)


def plot_skill_heatmap(history: pd.DataFrame, *, kind: str = "skill", freq: str = "QS") -> Figure:
    """Mean score per area (rows) and period (columns, ``freq`` "MS"/"QS"/"YS"); each
    cell shows its mean and n; empty cells are blank."""
    from afterview_analysis.analytics._frames import period_start

    fig = Figure(figsize=_SIZE, layout="constrained")
    ax = fig.add_subplot()
    h = history[history["kind"] == kind] if "kind" in history else history
    if h.empty:
        ax.set_title(f"{_KIND_WORDS.get(kind, kind)} scores by period")
        return _empty(fig, ax)
    period = period_start(h["at"], freq)
    g = h.assign(period=period).groupby(["area", "period"], sort=False)["score"]
    mean = g.mean().unstack("period").sort_index(axis=1)
    count = g.size().unstack("period").reindex_like(mean)
    order = list(dict.fromkeys(h["area"]))
    mean, count = mean.reindex(order), count.reindex(order)
    image = ax.imshow(mean.to_numpy(dtype=float), aspect="auto", cmap="RdYlGn", vmin=1, vmax=5)
    for (i, j), value in np.ndenumerate(mean.to_numpy(dtype=float)):
        if not np.isnan(value):
            ax.text(j, i, f"{value:.1f}\nn={int(count.iat[i, j])}", ha="center", va="center",
                    fontsize=6.5)
    ax.set_yticks(range(len(mean.index)), [words(a) for a in mean.index])
    labels = [pd.Timestamp(p).strftime("%Y-%m") for p in mean.columns]
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right", fontsize=8)
    ax.set_xlabel(f"period starting ({ {'MS': 'month', 'QS': 'quarter', 'YS': 'year'}[freq] })")
    ax.set_title(f"Mean {_KIND_WORDS.get(kind, kind)} score per period (n = {len(h)} scores)",
                 fontsize=10)
    fig.colorbar(image, ax=ax, label="mean self-score (1-5)")
    return fig


def plot_response_times(own_times: pd.DataFrame) -> Figure:
    """Hours to a thank-you (from the interview's end) and to an information reply (from
    the request), as histograms with the playbook's deadlines drawn in."""
    fig = Figure(figsize=(9.0, 4.0))
    axes = fig.subplots(1, 2)
    panels = [("thank_you", "Thank-you notes", THANK_YOU_WITHIN, "from the interview's end"),
              ("info_reply", "Information replies", INFO_REPLY_WITHIN, "from the request")]
    for ax, (kind, title, within, anchor) in zip(axes, panels, strict=True):
        part = own_times[(own_times["kind"] == kind)] if len(own_times) else own_times
        hours = part["hours"].dropna() if len(part) else pd.Series(dtype=float)
        limit = within / pd.Timedelta(hours=1)
        if hours.empty:
            ax.set_title(f"{title} (n = 0)", fontsize=10)
            _empty(fig, ax)
            continue
        top = max(float(hours.max()), limit) * 1.1
        ax.hist(hours, bins=np.linspace(0, top, 25), color="#4c72b0", alpha=0.8)
        ax.axvline(limit, color="#c44e52", linestyle="--", label=f"deadline: {limit:.0f} h")
        # the one share on time of the reflection: of the messages that were due
        judged = part["timing"].astype("str").isin(JUDGED)
        on_time = int((part["timing"] == "on time").sum())
        ax.set_title(f"{title}\n{on_time} of {int(judged.sum())} on time, within "
                     f"{limit:.0f} h (n = {int(judged.sum())} due)", fontsize=10)
        ax.set_xlabel(f"hours {anchor}")
        ax.set_ylabel("messages")
        ax.legend(fontsize=8)
    return _place(fig, wspace=0.3)


def plot_employer_response_times(times: pd.DataFrame) -> Figure:
    """Days from the interview's end to the employer's first answer, by stage (box and
    dots), with n per stage."""
    fig = Figure(figsize=_SIZE)
    ax = fig.add_subplot()
    t = times.dropna(subset=["days_to_response"]) if len(times) else times
    if t.empty:
        ax.set_title("Days to the employer's answer")
        return _empty(fig, ax)
    stages = list(dict.fromkeys(s for s in ("screen", "technical", "onsite", "final", "other")
                                if s in set(t["stage"])))
    data = [t.loc[t["stage"] == s, "days_to_response"].to_numpy() for s in stages]
    ax.boxplot(data, orientation="horizontal", showfliers=False)
    for i, values in enumerate(data, start=1):
        ax.scatter(values, np.full(len(values), i), s=12, alpha=0.5, color="#4c72b0")
    ax.set_yticks(range(1, len(stages) + 1), [f"{s} (n={len(d)})" for s, d in
                                              zip(stages, data, strict=True)])
    ax.set_xlabel("days from the interview's end to the first answer")
    ax.set_title(f"How fast employers answer (n = {len(t)} answered)", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    return _place(fig)


def plot_reliability(table: pd.DataFrame, calibration: pd.DataFrame | None = None) -> Figure:
    """Reliability diagram: observed rate of advancing against mean predicted chance per
    bin, with 95 % Wilson intervals and n; the diagonal is perfect calibration."""
    fig = Figure(figsize=(5.5, 5.0))
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], color="0.6", linestyle=":", label="perfectly calibrated")
    t = table[table["n"] > 0] if len(table) else table
    total = int(table["n"].sum()) if len(table) else 0
    title = f"Predicted chance vs what happened (n = {total})"
    if calibration is not None and len(calibration) and pd.notna(calibration["brier"].iloc[0]):
        c = calibration.iloc[0]
        title += f"\nBrier {c['brier']:.3f} (base rate guess {c['reference']:.3f}): {c['verdict']}"
    ax.set_title(title, fontsize=9)
    if t.empty:
        return _empty(fig, ax)
    err = np.vstack([t["observed_rate"] - t["low"], t["high"] - t["observed_rate"]])
    ax.errorbar(t["mean_predicted"], t["observed_rate"], yerr=err, fmt="o", capsize=3,
                color="#4c72b0", label="observed, 95 % interval")
    for _, row in t.iterrows():  # the label turns inwards at the plot's edges
        low, right = row["observed_rate"] < 0.1, row["mean_predicted"] > 0.85
        ax.annotate(f"n={int(row['n'])}", (row["mean_predicted"], row["observed_rate"]),
                    textcoords="offset points", xytext=(-6 if right else 6, 4 if low else -10),
                    ha="right" if right else "left", fontsize=7)
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("predicted chance of advancing (mean in bin, 0-1)")
    ax.set_ylabel("share that advanced (0-1)")
    ax.legend(fontsize=8, loc="best")  # wherever it hides no point
    return _place(fig)


def plot_funnel(table: pd.DataFrame) -> Figure:
    """Interviews per stage (bars) with how many moved on, and the conversion with its
    95 % interval written beside each bar."""
    fig = Figure(figsize=_SIZE)
    ax = fig.add_subplot()
    if table.empty:
        ax.set_title("Interview funnel")
        return _empty(fig, ax)
    y = np.arange(len(table))[::-1]
    ax.barh(y, table["interviews"], color="#c7d4e8", label="interviews")
    ax.barh(y, table["moved_on"], color="#4c72b0", label="moved on (next round or offer)")
    for yi, (_, row) in zip(y, table.iterrows(), strict=True):
        if pd.notna(row["conversion"]):
            text = (f"{row['conversion']:.0%} of {int(row['resolved'])} resolved "
                    f"[{row['low']:.0%}-{row['high']:.0%}]")
        else:
            text = "nothing resolved yet"
        ax.text(row["interviews"], yi, "  " + text, va="center", fontsize=8)
    ax.set_yticks(y, [words(s) for s in table["stage"]])
    ax.set_xlabel("interviews")
    ax.set_xlim(0, table["interviews"].max() * 1.8)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.2 of an interview
    ax.set_title(f"Interview funnel (n = {int(table['interviews'].sum())} interviews)",
                 fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    return _place(fig)


def plot_compliance(table: pd.DataFrame) -> Figure:
    """Share of each playbook step done on time per period (from
    ``playbook_compliance(frames, freq=...)``); periods with no due step are skipped."""
    fig = Figure(figsize=_SIZE)
    ax = fig.add_subplot()
    t = table[table["due"] > 0] if len(table) and "period" in table else table.iloc[0:0]
    if t.empty:
        ax.set_title("Playbook steps done on time")
        return _empty(fig, ax)
    for step, part in t.groupby("step", sort=False):
        ax.plot(pd.to_datetime(part["period"]), part["share_on_time"], marker="o",
                label=f"{words(step)} (n={int(part['due'].sum())})")
    ax.set_ylim(-0.02, 1.02)
    ax.set_ylabel("share done on time (0-1)")
    periods = pd.to_datetime(t["period"])
    if periods.nunique() == 1:  # one period: a few months around it, not years
        ax.set_xlim(periods.min() - pd.Timedelta(days=60), periods.min() + pd.Timedelta(days=120))
    ax.set_xlabel("period of the interview")
    ax.set_title(f"Playbook steps done on time (n = {int(t['due'].sum())} due steps)",
                 fontsize=10)
    ax.grid(alpha=0.3)
    # the legend under the plot, where it hides no point: three steps a row
    rows = -(-t["step"].nunique() // 3)
    legend = rows * 0.16 + 0.1
    fig.set_size_inches(_SIZE[0], _SIZE[1] + legend)
    ax.legend(fontsize=7, ncols=3, loc="lower center", frameon=False,
              bbox_to_anchor=(0.5, 0.1 / (_SIZE[1] + legend)), bbox_transform=fig.transFigure)
    _dated(ax)
    return _place(fig, bottom=legend)


def figure_png(fig: Figure, dpi: int = 100) -> bytes:
    """The figure as PNG bytes (Agg renderer; no display needed).

    100 dpi gives the size a page shows (an 8-inch figure is 800 px, shown at most 820 px
    wide); the PNG is compressed lightly (zlib level 1): on Reflect's pictures, 6 % larger
    and a fifth faster to write than at the default level.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()
