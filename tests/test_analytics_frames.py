"""How the analyses join rows to interviews, and that the report's tables are each
analysis's own result (computed once, not differently)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from afterview_analysis import analytics as an
from afterview_analysis.analytics import AnalysisError
from afterview_analysis.demo import load_demo
from afterview_analysis.journal import Journal
from afterview_analysis.report import build_report


def test_interview_ids_must_be_unique():
    frames = {"interviews": pd.DataFrame({"id": ["a", "b", "a"], "starts_at": pd.NaT}),
              "skill_scores": pd.DataFrame({"interview_id": ["a"], "skill": ["x"],
                                            "score": [3]})}
    with pytest.raises(AnalysisError, match="'a' more than once"):
        an.score_history(frames)


@pytest.fixture(scope="module")
def demo_frames(tmp_path_factory):
    j = Journal(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    load_demo(j)
    try:
        yield j.frames()
    finally:
        j.close()


def test_report_tables_equal_each_analysis_run_on_its_own(demo_frames):
    """build_report computes each summary from the table it summarises: the same numbers
    as each public function run on the frames."""
    as_of = "2026-11-20"
    tables = build_report(demo_frames, as_of=as_of).tables
    alone = {
        "history": an.score_history(demo_frames),
        "trends": an.skill_trends(demo_frames),
        "weak_areas": an.weak_areas(demo_frames),
        "focus_next": an.focus_next(demo_frames),
        "employer_times": an.employer_response_times(demo_frames, as_of),
        "employer_overall": an.employer_response_summary(demo_frames, None, as_of),
        "employer_by_stage": an.employer_response_summary(demo_frames, "stage", as_of),
        "employer_by_company": an.employer_response_summary(demo_frames, "company", as_of),
        "own_times": an.own_response_times(demo_frames, as_of),
        "own_summary": an.own_response_summary(demo_frames, as_of),
        "answer_minutes": an.answer_minutes(demo_frames),
        "calibration": an.calibration(demo_frames),
        "reliability": an.reliability_table(demo_frames),
        "self_score": an.self_score_vs_outcome(demo_frames),
        "funnel": an.funnel(demo_frames),
        "compliance": an.playbook_compliance(demo_frames, None, as_of),
        "compliance_by_quarter": an.playbook_compliance(demo_frames, "QS", as_of),
    }
    assert set(alone) == set(tables)
    for name, table in alone.items():
        pd.testing.assert_frame_equal(tables[name], table, obj=name)
    deadlines = an.step_deadlines(demo_frames, as_of)
    requests = demo_frames["employer_events"]["kind"] == "info_request"
    assert len(deadlines) == 6 * len(tables["employer_times"]) + requests.sum()
    assert list(deadlines["status"].cat.categories) == an.STATUSES


_TABLES = ["interviews", "questions", "skill_scores", "playbook_steps", "employer_events",
           "messages", "heads_ups"]


def test_rows_of_interviews_left_out_of_the_frames_count_nowhere(demo_frames):
    """A caller may filter the interviews only: every table of the report is then the
    same as when the rows hung on the other interviews are removed too."""
    kept = demo_frames["interviews"].iloc[::2]
    only_interviews = dict(demo_frames, interviews=kept)
    everything = dict(only_interviews)
    for name in _TABLES[1:]:
        table = demo_frames[name]
        everything[name] = table[table["interview_id"].isin(kept["id"])]
    assert len(everything["questions"]) < len(demo_frames["questions"])
    ours = build_report(only_interviews, as_of="2026-11-20").tables
    theirs = build_report(everything, as_of="2026-11-20").tables
    for name, table in theirs.items():
        pd.testing.assert_frame_equal(ours[name], table, obj=name)



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


@pytest.mark.parametrize(("as_of", "utc"), [
    ("2026-03-29T01:59", "2026-03-29T00:59Z"),  # before the spring change: CET
    ("2026-03-29T02:30", "2026-03-29T01:30Z"),  # a time the change skips: read as CET
    ("2026-03-29T03:00", "2026-03-29T01:00Z"),  # after it: CEST
    ("2026-10-25T02:30", "2026-10-25T00:30Z"),  # a time the autumn change repeats: the first
    ("2026-10-25T03:00", "2026-10-25T02:00Z"),  # after it: CET
])
def test_a_report_for_a_local_time_at_a_clock_change_reads_it_as_the_command_line(
        demo_frames, capsys, as_of, utc):
    """``afterview report --as-of`` without an offset: the profile's zone, as every other
    time option reads it, and a report, never a traceback, at a daylight-saving change."""
    from afterview_analysis.analytics._frames import as_of_timestamp
    from afterview_analysis.cli import _time_option

    assert as_of_timestamp(as_of, "Europe/Berlin") == pd.Timestamp(utc)
    assert as_of_timestamp(as_of, "Europe/Berlin") == _time_option("--as-of", as_of,
                                                                    "Europe/Berlin")
    frames = dict(demo_frames, profile=demo_frames["profile"].assign(timezone="Europe/Berlin"))
    assert build_report(frames, as_of=as_of).as_of == pd.Timestamp(utc)
