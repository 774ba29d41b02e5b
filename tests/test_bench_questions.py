"""The question-bank benchmark still runs and measures what it says."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_questions.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_questions", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_askings_are_seeded_and_repeat_like_a_long_search(bench):
    from tests.question_wordings import WORDINGS

    first, again = bench.askings(5000), bench.askings(5000)
    assert first == again and len(first) == 5000
    assert 1000 < len(set(first)) < 2000 and set(first) & set(WORDINGS)


def test_quick_run_reports_ratios_to_baselines_of_the_same_run(bench):
    rows = bench.run(quick=True)
    assert [r["unit"] for r in rows] == ["s", "s"]
    prep, grouping = rows
    assert "afterview prep" in prep["measure"] and "import sqlite3" in prep["baseline"]
    assert "group 1,000 askings" in grouping["measure"]
    for r in rows:
        assert r["value"] > 0 and r["ratio"] > 1 and isinstance(r["ok"], bool)
