"""The benchmark scripts still run, and measure what they say they measure."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from afterview_analysis.journal import Journal
from afterview_analysis.report import build_report

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    return _load("bench_analysis")


def test_synthetic_frames_have_the_journals_columns_and_dtypes(bench):
    ours = bench.synthetic_frames(2_000)
    theirs = Journal(":memory:").frames()
    assert set(ours) == set(theirs)
    for name, frame in theirs.items():
        assert list(ours[name].columns) == list(frame.columns), name
        assert ours[name].dtypes.astype(str).to_dict() == frame.dtypes.astype(str).to_dict(), name


def test_the_synthetic_journal_reads_back_as_the_same_report(bench, tmp_path):
    """The baseline reads a real journal file holding the synthetic frames; the report on
    what it reads equals the report on the frames themselves."""
    frames = bench.synthetic_frames(1_000)
    bench.write_journal(frames, tmp_path / "j.sqlite")
    with Journal(tmp_path / "j.sqlite") as j:
        read = j.frames()
    assert len(read["questions"]) == 1_000 and len(read["interviews"]) == 200
    ours = build_report(frames, as_of="2026-06-01").tables
    theirs = build_report(read, as_of="2026-06-01").tables
    for name in ("trends", "employer_overall", "own_summary", "compliance", "funnel"):
        pd.testing.assert_frame_equal(ours[name], theirs[name], obj=name)


def test_the_timed_parts_are_the_report_s_own_tables(bench):
    frames = bench.synthetic_frames(2_000)
    report = build_report(frames, as_of="2026-06-01")
    assert len(report.tables["history"]) > 0 and len(report.tables["own_times"]) > 0
    parts = dict(bench._parts(frames, "2026-06-01"))
    assert set(parts) == set(bench._PARTS)
    assert all(seconds >= 0 for seconds in parts.values())
    # every table the report computes is timed in exactly one part
    timed = [t for _, tables in bench._PARTS.values() for t in tables]
    assert sorted(timed) == sorted(report.tables)


@pytest.mark.slow
def test_quick_run_reports_ratios_against_a_baseline_of_the_same_run(bench):
    rows = bench.run(quick=True)
    by = {r["measure"]: r for r in rows}
    read = next(r for m, r in by.items() if m.startswith("Journal.frames()"))
    small, big = [r for m, r in by.items() if m.startswith("every report table")]
    assert small["ratio"] == pytest.approx(small["value"] / read["value"])
    assert big["ratio"] == pytest.approx(big["value"] / small["value"])
    memory = next(r for r in rows if r["unit"] == "MB")
    assert memory["value"] > 0 and isinstance(memory["ok"], bool)
    assert pd.Series([r["value"] for r in rows]).gt(0).all()


def test_reflect_first_render_times_the_page_the_notebook_shows(demo_file):
    """The first render runs every section of the notebook (so it cannot time a page that
    draws nothing), and its parts add up."""
    from afterview_analysis import story

    bench = _load("bench_reflect")
    notebook = (BENCH.parent / "notebooks" / "2-reflect.ipynb").read_text(encoding="utf-8")
    shown = {name for name in dir(story) if f"story.{name}(" in notebook}
    assert shown == {*bench.SECTIONS, "Reflection", "practice", "explore"}
    times = bench.first_render(str(demo_file))
    assert 0 < times["tables"] < times["first"] and times["read"] > 0


@pytest.mark.slow
def test_reflect_picker_splits_each_change_into_the_figure_and_the_rest(tmp_path):
    bench = _load("bench_reflect")
    t = bench._picker(tmp_path, 60, 1)
    assert t["build"] > 0 and t["png"] > 0 and t["rest"] > 0
    assert t["total"] >= t["rest"] and t["read"] > 0


def test_the_interaction_benchmark_clicks_what_it_says():
    """Each action is the form's own click, on a journal of the stated size, and comes
    with its ratio to reading that journal in the same run."""
    rows = _load("bench_interaction").run(quick=True)
    assert rows[0]["measure"] == "Journal.frames(), 200 interviews"
    timed = {r["measure"].split(",")[0]: r for r in rows[1:]}
    assert set(timed) == {"save a new interview in the form", "save an edited interview again",
                          "Messages: change the tone (draft rendered again)",
                          "Messages: change the recipient (draft rendered again)",
                          "Messages: mark the draft sent"}
    for row in timed.values():
        assert row["value"] > 0 and row["ratio"] == row["value"] / rows[0]["value"]
        assert row["ok"] == (row["value"] < 0.1)
