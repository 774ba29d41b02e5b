"""Integer interview keys and the array helpers the analyses share, against pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from afterview_analysis import analytics as an
from afterview_analysis.analytics import AnalysisError
from afterview_analysis.analytics._frames import period_start
from afterview_analysis.analytics._keys import (
    _lookup,
    equals,
    first_rows,
    positions,
    shared,
    take_or_missing,
)
from afterview_analysis.analytics._stats import grouped_quantiles
from afterview_analysis.demo import load_demo
from afterview_analysis.journal import Journal
from afterview_analysis.report import build_report

IDS = pd.Index(["a", "b", "c", "d"], dtype="str")
_values = st.lists(st.sampled_from(["a", "b", "c", "d", "zz", None]), max_size=60)


@given(_values, st.integers(1, 5))
def test_lookup_agrees_with_get_indexer_in_any_order_and_run_length(values, repeat):
    # repeating each value makes runs (the fast path); the plain list mostly does not
    for vals in (values, [v for v in values for _ in range(repeat)]):
        arr = np.array(vals, dtype=object)
        assert _lookup(IDS, arr).tolist() == IDS.get_indexer(arr).tolist()


def test_long_runs_take_the_run_path_and_still_agree():
    arr = np.repeat(np.array(["d", "a", "x", "b"], dtype=object), 3000)
    assert (_lookup(IDS, arr) == IDS.get_indexer(arr)).all()


def _frames():
    return {"interviews": pd.DataFrame({"id": ["a", "b"]}),
            "questions": pd.DataFrame({"interview_id": ["b", "a", "c"]})}


def test_positions_are_kept_inside_shared_and_never_outside():
    frames = _frames()
    with shared():
        first = positions(frames, "questions")
        assert positions(frames, "questions") is first  # computed once in the block
    assert first.tolist() == [1, 0, -1]
    # outside a block a changed frame is read afresh, never from an old result
    frames["questions"].loc[2, "interview_id"] = "a"
    assert positions(frames, "questions").tolist() == [1, 0, 0]
    with shared():
        assert positions(frames, "questions").tolist() == [1, 0, 0]


def test_interview_ids_must_be_unique():
    frames = {"interviews": pd.DataFrame({"id": ["a", "b", "a"]}),
              "questions": pd.DataFrame({"interview_id": ["a"]})}
    with pytest.raises(AnalysisError, match="'a' more than once"):
        positions(frames, "questions")


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 3)), max_size=40))
def test_first_rows_is_the_earliest_row_per_group_first_on_ties(rows):
    group = np.array([g for g, _ in rows], dtype=np.int64)
    at = np.array([t for _, t in rows], dtype=np.int64)
    got = first_rows(group, at, 6)
    df = pd.DataFrame({"g": group, "at": at})
    expect = df.sort_values("at", kind="stable").drop_duplicates("g")
    want = np.full(6, -1)
    want[expect["g"].to_numpy()] = expect.index.to_numpy()
    assert got.tolist() == want.tolist()


def test_take_or_missing_fills_each_kind_of_value():
    when = np.array(["2026-01-01", "2026-02-01"], dtype="datetime64[us]")
    got = take_or_missing(when, np.array([1, -1]))
    assert str(got[0]) == "2026-02-01T00:00:00.000000" and np.isnat(got[1])
    assert take_or_missing(np.array(["x"], dtype=object), np.array([-1, 0])).tolist() == [
        None, "x"]
    assert take_or_missing(np.array([], dtype=object), np.array([-1]), "gap").tolist() == [
        "gap"]


@pytest.mark.parametrize("value", ["b", "a", "missing"])
def test_equals_compares_categoricals_by_code_as_text_would(value):
    text = pd.Series(["a", "b", None, "b"], dtype="str")
    assert equals(text.astype("category"), value).tolist() == equals(text, value).tolist() \
        == (text == value).fillna(False).tolist()


@given(st.lists(st.datetimes(min_value=pd.Timestamp("1900-01-01").to_pydatetime(),
                             max_value=pd.Timestamp("2200-01-01").to_pydatetime()),
                max_size=30),
       st.sampled_from([("MS", "M"), ("QS", "Q"), ("YS", "Y")]))
def test_period_start_matches_pandas_periods(moments, freq):
    at = np.array([*moments, None], dtype="datetime64[us]")
    ours = period_start(at, freq[0])
    theirs = pd.Series(at).dt.to_period(freq[1]).dt.start_time.to_numpy(dtype="datetime64[us]")
    assert ours.tolist() == theirs.tolist()


@pytest.mark.parametrize("groups", [1, 3, 64, 65, 700])
def test_grouped_quantiles_match_pandas_groupby_quantile(groups):
    rng = np.random.default_rng(groups)
    g = rng.integers(0, groups, 4000)
    v = np.round(rng.normal(size=4000), 1)  # ties, as minutes and days have
    v[rng.random(4000) < 0.1] = np.nan
    n, q = grouped_quantiles(g, v, groups + 1)  # the last group is empty
    ref = pd.Series(v).groupby(g)
    assert n[:groups].tolist() == ref.count().reindex(range(groups), fill_value=0).tolist()
    assert n[-1] == 0
    want = ref.quantile([0.25, 0.5, 0.75]).unstack().reindex(range(groups)).to_numpy().T
    np.testing.assert_allclose(q[:, :groups], want, rtol=1e-12, atol=1e-12)
    assert np.isnan(q[:, -1]).all()


@pytest.fixture(scope="module")
def demo_frames(tmp_path_factory):
    j = Journal(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    load_demo(j)
    try:
        yield j.frames()
    finally:
        j.close()


def test_report_tables_equal_each_analysis_run_on_its_own(demo_frames):
    """Sharing the keys inside build_report changes no number."""
    as_of = "2026-11-20"
    tables = build_report(demo_frames, as_of=as_of).tables
    alone = {
        "history": an.score_history(demo_frames),
        "focus_next": an.focus_next(demo_frames),
        "employer_times": an.employer_response_times(demo_frames, as_of),
        "own_times": an.own_response_times(demo_frames, as_of),
        "answer_minutes": an.answer_minutes(demo_frames),
        "compliance": an.playbook_compliance(demo_frames, None, as_of),
        "compliance_by_quarter": an.playbook_compliance(demo_frames, "QS", as_of),
        "self_score": an.self_score_vs_outcome(demo_frames),
    }
    for name, table in alone.items():
        pd.testing.assert_frame_equal(tables[name], table, obj=name)
    deadlines = an.step_deadlines(demo_frames, as_of)
    assert len(deadlines) == 6 * len(tables["employer_times"])
    assert list(deadlines["status"].cat.categories) == an.STATUSES


_TABLES = ["interviews", "questions", "skill_scores", "playbook_steps", "employer_events",
           "messages", "heads_ups"]


@given(st.fixed_dictionaries({t: st.sampled_from(["all", "none", "even", "odd", "reversed"])
                              for t in _TABLES}))
def test_report_survives_any_rows_missing_from_any_table(demo_frames, keep):
    """Orphaned rows (their interview gone), empty tables, reversed order, gaps in the
    index: every table is still computed, and only ever names interviews the journal has."""
    pick = {"all": slice(None), "none": slice(0, 0), "even": slice(None, None, 2),
            "odd": slice(1, None, 2), "reversed": slice(None, None, -1)}
    frames = dict(demo_frames)
    for name, how in keep.items():
        frames[name] = demo_frames[name].iloc[pick[how]]  # keeps its old index labels
    tables = build_report(frames, as_of="2026-11-20").tables
    known = set(frames["interviews"]["id"])
    for name in ("history", "employer_times", "own_times"):
        assert set(tables[name]["interview_id"]) <= known, name
    if keep["interviews"] == "none":
        assert tables["history"].empty and tables["funnel"].empty


def test_a_filtered_employer_table_gives_the_same_rows_as_the_whole(demo_frames):
    """own_response_times and step_deadlines take a reused employer table as it comes,
    with whatever index a filter left it."""
    as_of = "2026-11-20"
    emp = an.employer_response_times(demo_frames, as_of)
    some = emp[emp.index % 2 == 1]
    key = ["kind", "interview_id", "anchor_at"]
    mine = an.own_response_times(demo_frames, as_of, employer=some)
    mine = mine[mine["kind"] != "info_reply"].sort_values(key).reset_index(drop=True)
    whole = an.own_response_times(demo_frames, as_of)
    whole = whole[whole["interview_id"].isin(some["interview_id"])
                  & (whole["kind"] != "info_reply")].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, whole)
    d = an.step_deadlines(demo_frames, as_of, employer=some)
    full = an.step_deadlines(demo_frames, as_of)
    full = full[full["interview_id"].isin(some["interview_id"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(d, full)
