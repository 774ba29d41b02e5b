"""Shared fixtures: a fresh journal per test (in memory or a real file), and the demo."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, settings

from afterview_analysis.journal import Journal
from afterview_analysis.records import Interview

# Hypothesis: a short "ci" profile by default (make test), a long one on demand:
#   HYPOTHESIS_PROFILE=thorough make test
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    # the same examples on every run, so a red or green `make test` can be reproduced;
    # the "thorough" profile below draws fresh ones, to hunt for new failures
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "thorough",
    max_examples=2000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def journal():
    """A fresh in-memory journal, closed after the test."""
    j = Journal(":memory:")
    yield j
    j.close()


@pytest.fixture
def journal_file(tmp_path):
    """A fresh journal in a real SQLite file (WAL mode), closed after the test."""
    j = Journal(tmp_path / "journal.sqlite")
    yield j
    j.close()


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory):
    """A demo journal file built once per session; copy it before writing to it."""
    from afterview_analysis.demo import load_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    with Journal(path) as j:
        load_demo(j)
    return path


@pytest.fixture
def demo_journal(demo_file, tmp_path):
    """A private copy of the demo journal, safe to write to."""
    src = Journal(demo_file, create=False)
    target = tmp_path / "demo-copy.sqlite"
    src.backup(target)
    src.close()
    j = Journal(target, create=False)
    yield j
    j.close()


def make_interview(**overrides) -> Interview:
    """A valid interview; override any field."""
    values = dict(
        company="Acme Analytics",
        role="Data Analyst",
        stage="technical",
        starts_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        feedback_by="2026-03-09",
        recall_point="their move to a semantic layer",
        forgotten_strength="I mentored two juniors",
        predicted_chance=60,
    )
    values.update(overrides)
    return Interview(**values)
