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


def test_quick_run_reports_ratios_against_a_baseline_of_the_same_run(bench):
    rows = bench.run(quick=True)
    full = [r for r in rows if r["measure"].startswith("full report")]
    assert {r["baseline"] for r in full} == {"groupby(interview_id).mean()",
                                             "groupby(category).mean()"}
    base = {r["measure"]: r["value"] for r in rows if r["measure"].startswith("baseline")}
    for r in full:
        assert r["ratio"] == pytest.approx(r["value"] / base[f"baseline {r['baseline']}"])
    memory = next(r for r in rows if r["unit"] == "MB")
    assert memory["value"] > 0 and isinstance(memory["ok"], bool)
    assert pd.Series([r["value"] for r in rows]).gt(0).all()
