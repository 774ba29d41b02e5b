"""The funnel: counts per stage and outcome, conversion with its interval."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from afterview_analysis.analytics import funnel
from afterview_analysis.analytics._examples import tiny_frames
from afterview_analysis.records import Interview


def test_funnel_by_hand(journal):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    plan = [("screen", "advanced"), ("screen", "rejected"), ("screen", "ghosted"),
            ("screen", "pending"), ("screen", "withdrawn"), ("technical", "advanced"),
            ("final", "offer")]
    journal.add_many(
        Interview(company=f"Co{i}", role="R", stage=stage, outcome=outcome,
                  starts_at=start + timedelta(days=i))
        for i, (stage, outcome) in enumerate(plan)
    )
    f = funnel(journal.frames()).set_index("stage")
    assert f.index.tolist() == ["screen", "technical", "final"]  # process order, no onsite
    assert f.loc["screen", "interviews"] == 5 and f.loc["screen", "resolved"] == 3
    outcomes = ["pending", "advanced", "offer", "rejected", "withdrawn", "ghosted"]
    assert (f[outcomes].sum(axis=1) == f["interviews"]).all()  # the counts add up
    # withdrawn is the user's decision, not the employer's: out of the conversion, as it
    # is out of the calibration
    assert f.loc["screen", "conversion"] == pytest.approx(1 / 3)
    assert f.loc["screen", "low"] < 1 / 3 < f.loc["screen", "high"]
    assert f.loc["final", "moved_on"] == 1 and f.loc["final", "offer"] == 1


def test_pending_only_has_no_conversion():
    f = funnel(tiny_frames()).set_index("stage")
    assert f.loc["onsite", "pending"] == 1
    assert f.loc["onsite", ["conversion", "low", "high"]].isna().all()


def test_empty_journal(journal):
    assert funnel(journal.frames()).empty
