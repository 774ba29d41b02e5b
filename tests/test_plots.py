"""Figures: built without pyplot, dated axes, units and n shown, and empty-safe."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
import pytest
from matplotlib.figure import Figure

import afterview_analysis.analytics as a
from afterview_analysis import plots
from afterview_analysis.analytics._examples import tiny_frames

AS_OF = "2026-04-01T00:00:00Z"


def _all_figures(frames):
    h = a.score_history(frames, window=2)
    t = a.trends_from_history(h, window=2, min_n=3)
    return {
        "trends": plots.plot_skill_trends(h, t),
        "focus": plots.plot_focus(a.rank_areas(t)),
        "heatmap": plots.plot_skill_heatmap(h, freq="MS"),
        "responses": plots.plot_response_times(a.own_response_times(frames, AS_OF)),
        "employer": plots.plot_employer_response_times(a.employer_response_times(frames, AS_OF)),
        "reliability": plots.plot_reliability(a.reliability_table(frames), a.calibration(frames)),
        "funnel": plots.plot_funnel(a.funnel(frames)),
        "compliance": plots.plot_compliance(a.playbook_compliance(frames, "MS", AS_OF)),
    }


def _texts(fig):
    out = []
    for ax in fig.axes:
        out += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        out += [t.get_text() for t in ax.texts]
        legend = ax.get_legend()
        if legend:
            out += [t.get_text() for t in legend.get_texts()]
        out += [t.get_text() for t in ax.get_yticklabels()]
    return " | ".join(out)


def test_every_figure_is_a_figure_with_n_and_renders_to_png():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    for name, fig in _all_figures(tiny_frames()).items():
        assert isinstance(fig, Figure), name
        assert "n=" in _texts(fig).replace(" ", "") or "n = " in _texts(fig), name
        png = plots.figure_png(fig)
        assert png.startswith(b"\x89PNG"), name
    assert plt.get_fignums() == before  # no pyplot figure was created


def test_trend_figure_has_dated_axis_units_and_the_interval_in_the_legend():
    figs = _all_figures(tiny_frames())
    ax = figs["trends"].axes[0]
    assert isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter)
    assert ax.get_ylabel() == "self-score (1-5)"
    legend = _texts(figs["trends"])
    assert "communication (n=3): +1.00 per 30 days [+1.00, +1.00], improving" in legend


def test_response_figure_draws_the_deadlines():
    fig = _all_figures(tiny_frames())["responses"]
    lines = [line.get_xdata()[0] for ax in fig.axes for line in ax.get_lines()]
    assert 48 in lines and 24 in lines
    # the share of those due, as the report and Reflect count it
    assert "2 of 3 on time, within 48 h (n = 3 due)" in _texts(fig)


def test_funnel_and_reliability_show_their_intervals():
    figs = _all_figures(tiny_frames())
    assert "nothing resolved yet" in _texts(figs["funnel"])
    assert "not enough outcomes" in _texts(figs["reliability"])


def test_focus_ranks_the_skills_weakest_first_with_n_and_ranges():
    """What to practise next, as a picture: every skill's recent level with its 95 % range
    and n, the weakest at the top and the ones to practise in red."""
    h = a.score_history(tiny_frames(), window=2)
    weak = a.rank_areas(a.trends_from_history(h, window=2, min_n=3))
    fig = plots.plot_focus(weak, k=1)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["problem solving (n=2)", "communication (n=2)"]  # n of the recent level
    ys = dict(zip(labels, ax.get_yticks(), strict=True))
    assert ys["problem solving (n=2)"] > ys["communication (n=2)"]  # weakest on top
    (dots,) = [c for c in ax.collections if c.get_offsets().shape[0] == 2
               and c.get_facecolors().shape[0] == 2]
    red, blue = dots.get_facecolors()[:, :3]
    assert red[0] > 0.7 > red[2] and blue[2] > 0.6 > blue[0]  # only the weakest stands out
    assert "red, practise it next" in ax.get_title() and "orange" not in ax.get_title()
    skills = weak[weak["kind"] == "skill"].set_index("area")
    segments = [seg for c in ax.collections if c is not dots for seg in c.get_segments()]
    spans = sorted((round(seg[0][0], 3), round(seg[1][0], 3)) for seg in segments)
    expected = sorted((round(lo, 3), round(hi, 3)) for lo, hi in
                      zip(skills["recent_low"], skills["recent_high"], strict=True))
    assert spans == expected  # the bars are the 95 % ranges of the table
    assert "95 % range" in ax.get_xlabel()


@pytest.mark.parametrize("name", ["trends", "focus", "heatmap", "responses", "employer",
                                  "reliability", "funnel", "compliance"])
def test_empty_journal_says_not_enough_data(journal, name):
    fig = _all_figures(journal.frames())[name]
    assert "not enough data" in _texts(fig)
    assert plots.figure_png(fig).startswith(b"\x89PNG")


def test_reliability_labels_stay_inside_the_picture_and_clear_of_the_legend():
    """A bin at (0.95, 0.0) once had its "n=1" cut off below the axes; one at (0.1, 1.0)
    had its label under the legend."""
    import pandas as pd

    table = pd.DataFrame({"bin": ["a", "b"], "n": [1, 3], "mean_predicted": [0.95, 0.1],
                          "observed_rate": [0.0, 1.0], "low": [0.0, 0.4],
                          "high": [0.8, 1.0]})
    summary = pd.DataFrame({"brier": [0.3], "reference": [0.25], "n": [4],
                            "verdict": ["not enough outcomes"], "base_rate": [0.5],
                            "diff": [0.05], "diff_low": [None], "diff_high": [None]})
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = plots.plot_reliability(table, summary)
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    ax = fig.axes[0]
    inside, legend = ax.get_window_extent(renderer), ax.get_legend().get_window_extent(renderer)
    labels = [t for t in ax.texts if t.get_text().startswith("n=")]
    assert [t.get_text() for t in labels] == ["n=1", "n=3"]
    for label in labels:
        box = label.get_window_extent(renderer)
        assert inside.x0 <= box.x0 and box.x1 <= inside.x1, label.get_text()
        assert inside.y0 <= box.y0 and box.y1 <= inside.y1, label.get_text()
        assert not box.overlaps(legend), label.get_text()
