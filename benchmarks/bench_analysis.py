"""The reflection's computation at the sizes real users have, against reading the journal.

A personal journal holds 20-500 interviews; a coach's cohort, 10,000 at most. This
benchmark builds frames shaped like ``Journal.frames()`` (same columns and dtypes: 5
questions and 6 skill scores per interview, thank-you notes, playbook steps, employer
answers and information requests), writes them into a real journal file, and times, in
the same run:

* ``build_report`` (every table of ``afterview report`` and of Reflect; no drawing) on
  10,000 interviews / 100,000 questions, as a ratio to ``Journal.frames()`` reading the
  same journal from disk (target: at most 1x, the analysis no slower than the reading);
* the same at 100,000 interviews / 1,000,000 questions: peak traced memory (target
  under 1 GB) and the time as a ratio to the 100,000-question run (target: within 12x
  for 10x the rows, i.e. the cost grows linearly);
* each step of the report on its own (``part:`` rows, the best of the same repeats), as a
  ratio to the same ``frames()`` baseline, to show where the time goes.

    python benchmarks/bench_analysis.py [--quick]
"""

from __future__ import annotations

import gc
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 7
#: Questions per interview: 100,000 questions are a coach's 10,000 interviews.
PER_INTERVIEW = 10
#: The report on the coach-sized journal takes at most this many times frames() ...
TARGET_RATIO = 1.0
#: ... 10x the rows take at most this many times as long ...
TARGET_GROWTH = 12.0
#: ... and the biggest run stays under this much traced memory.
TARGET_MB = 1024.0


def synthetic_frames(n_questions: int, per_interview: int = 5) -> dict[str, pd.DataFrame]:
    """Frames with Journal.frames()' columns and dtypes; ``n_questions`` question rows."""
    from afterview_analysis.journal import Journal

    rng = np.random.default_rng(SEED)
    empty = Journal(":memory:").frames()
    skills = list(empty["skill_scores"]["skill"].cat.categories)
    n_iv = max(n_questions // per_interview, 1)
    ids = pd.array([f"i{i:011x}" for i in range(n_iv)], dtype="str")
    start = pd.Timestamp("2020-01-01", tz="UTC")
    starts = start + pd.to_timedelta(np.sort(rng.uniform(0, 6 * 365, n_iv)), unit="D")
    starts = starts.floor("min").astype("datetime64[us, UTC]")
    duration = pd.array(rng.choice([30, 45, 60, 180], n_iv), dtype="Int64")
    ends = starts + pd.to_timedelta(duration.astype("int64"), unit="m")
    stage = pd.Categorical(rng.choice(["screen", "technical", "onsite", "final"], n_iv),
                           categories=empty["interviews"]["stage"].cat.categories)
    outcome = pd.Categorical(
        rng.choice(["pending", "advanced", "offer", "rejected", "withdrawn", "ghosted"], n_iv,
                   p=[0.05, 0.4, 0.05, 0.35, 0.05, 0.1]),
        categories=empty["interviews"]["outcome"].cat.categories)
    feedback = (starts.tz_localize(None).normalize()
                + pd.to_timedelta(rng.integers(3, 15, n_iv), unit="D")).astype("datetime64[us]")
    interviews = pd.DataFrame({c: pd.Series(dtype=t) for c, t in
                               empty["interviews"].dtypes.items()}, index=range(n_iv))
    interviews = interviews.assign(
        id=ids, company=pd.array([f"Company {i % 5000}" for i in range(n_iv)], dtype="str"),
        role="Analyst", stage=stage, format="video", starts_at=starts,
        duration_minutes=duration,
        feedback_by=feedback, outcome=outcome,
        predicted_chance=pd.array(rng.integers(0, 21, n_iv) * 5, dtype="Int64"),
        created_at=ends, ends_at=ends,
    ).astype(empty["interviews"].dtypes.to_dict())

    nq = n_iv * per_interview
    q_iv = np.repeat(np.arange(n_iv), per_interview)
    questions = pd.DataFrame({
        "id": pd.array([f"q{i:011x}" for i in range(nq)], dtype="str"),
        "interview_id": ids[q_iv],
        "position": pd.array(np.tile(np.arange(per_interview), n_iv), dtype="Int64"),
        "text": pd.array([f"Question {i % 300}" for i in range(nq)], dtype="str"),
        "category": pd.Categorical.from_codes(rng.integers(0, 7, nq),
                                              empty["questions"]["category"].cat.categories),
        "answer": pd.array([None] * nq, dtype="str"),
        "score": pd.array(rng.integers(1, 6, nq), dtype="Int64"),
        "minutes": pd.array(np.where(rng.random(nq) < 0.7, rng.integers(1, 20, nq), 0),
                            dtype="Int64"),
        "next_time": pd.array([None] * nq, dtype="str"),
    })
    questions["minutes"] = questions["minutes"].mask(questions["minutes"] == 0)

    ns = n_iv * len(skills)
    s_iv = np.repeat(np.arange(n_iv), len(skills))
    skill_scores = pd.DataFrame({
        "id": pd.array([f"s{i:011x}" for i in range(ns)], dtype="str"),
        "interview_id": ids[s_iv],
        "skill": pd.Categorical(np.tile(skills, n_iv), categories=skills),
        "score": pd.array(rng.integers(1, 6, ns), dtype="Int64"),
    })

    sent = ends + pd.to_timedelta(rng.uniform(1, 80, n_iv), unit="h")
    steps = pd.DataFrame({
        "id": pd.array([f"p{i:011x}" for i in range(2 * n_iv)], dtype="str"),
        "interview_id": ids[np.concatenate([np.arange(n_iv)] * 2)],
        "step": pd.Categorical(["thank_you"] * n_iv + ["ask_next_steps"] * n_iv,
                               categories=empty["playbook_steps"]["step"].cat.categories),
        "done_at": pd.concat([pd.Series(sent), pd.Series(ends)], ignore_index=True)
        .astype("datetime64[us, UTC]").to_numpy(),
        "note": pd.array([None] * (2 * n_iv), dtype="str"),
    }).astype(empty["playbook_steps"].dtypes.to_dict())

    answered = rng.random(n_iv) < 0.85
    ans_at = ends + pd.to_timedelta(rng.lognormal(1.6, 0.5, n_iv), unit="D")
    asked = rng.random(n_iv) < 0.1
    ask_at = ends + pd.to_timedelta(rng.uniform(0.5, 2, n_iv), unit="D")
    ev_iv = np.concatenate([np.flatnonzero(answered), np.flatnonzero(asked)])
    n_ev = len(ev_iv)
    events = pd.DataFrame({
        "id": pd.array([f"e{i:011x}" for i in range(n_ev)], dtype="str"),
        "interview_id": ids[ev_iv],
        "kind": pd.Categorical(["next_round"] * int(answered.sum())
                               + ["info_request"] * int(asked.sum()),
                               categories=empty["employer_events"]["kind"].cat.categories),
        "at": np.concatenate([ans_at[answered].to_numpy(), ask_at[asked].to_numpy()]),
        "note": pd.array([None] * n_ev, dtype="str"),
        "contact_id": pd.array([None] * n_ev, dtype="str"),
    }).astype(empty["employer_events"].dtypes.to_dict())

    req = events[events["kind"] == "info_request"]
    reply_at = req["at"] + pd.to_timedelta(rng.uniform(2, 40, len(req)), unit="h")
    n_msg = n_iv + len(req)
    messages = pd.DataFrame({c: pd.Series(dtype=t) for c, t in
                             empty["messages"].dtypes.items()}, index=range(n_msg))
    messages = messages.assign(
        id=pd.array([f"m{i:011x}" for i in range(n_msg)], dtype="str"),
        interview_id=np.concatenate([ids.to_numpy(), req["interview_id"].to_numpy()]),
        kind=pd.Categorical(["thank_you"] * n_iv + ["info_reply"] * len(req),
                            categories=empty["messages"]["kind"].cat.categories),
        recipient="Sam", body="...", channel="email",
        reply_to_event_id=np.concatenate([[None] * n_iv, req["id"].to_numpy()]),
        created_at=np.concatenate([sent.to_numpy(), reply_at.to_numpy()]),
        sent_at=np.concatenate([sent.to_numpy(), reply_at.to_numpy()]),
    ).astype(empty["messages"].dtypes.to_dict())

    frames = dict(empty)
    frames.update(interviews=interviews, questions=questions, skill_scores=skill_scores,
                  playbook_steps=steps, employer_events=events, messages=messages)
    return frames


def write_journal(frames: dict[str, pd.DataFrame], path: Path) -> None:
    """Store ``frames`` in a new journal file at ``path`` (the journal's own schema, rows
    written as the journal writes them: ISO-8601 UTC times, dates, 0/1, NULL)."""
    from afterview_analysis.journal import Journal
    from afterview_analysis.records import RECORD_TYPES

    Journal(path).close()
    con = sqlite3.connect(path)
    with con:
        for table, kind in RECORD_TYPES.items():
            df = frames.get(table)
            if df is None or df.empty or table in ("profile", "skills"):  # a new journal has them
                continue
            cols = kind.columns()
            values = []
            for c in cols:
                col = df[c]
                if isinstance(col.dtype, pd.DatetimeTZDtype):
                    col = col.dt.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
                elif pd.api.types.is_datetime64_dtype(col):
                    col = col.dt.strftime("%Y-%m-%d")
                elif pd.api.types.is_bool_dtype(col):
                    col = col.astype("Int64")
                values.append(col.astype(object).where(col.notna(), None).tolist())
            con.executemany(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                zip(*values, strict=True))
    con.close()


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


#: Each timed step of the report: its label and the report tables it produces.
_PARTS = {
    "history": ("score history (1 row per area and interview, rolling mean)", ["history"]),
    "trends": ("trends (slope and intervals per area)", ["trends"]),
    "weak": ("weak areas", ["weak_areas"]),
    "focus": ("focus next", ["focus_next"]),
    "employer": ("employer response times", ["employer_times"]),
    "employer summaries": ("employer summaries (overall, stage, company)",
                           ["employer_overall", "employer_by_stage", "employer_by_company"]),
    "own": ("own response times", ["own_times"]),
    "own summary": ("own response summary", ["own_summary"]),
    "answer minutes": ("answer minutes by category and quarter", ["answer_minutes"]),
    "calibration": ("calibration (points, Brier, reliability, self-score)",
                    ["calibration", "reliability", "self_score"]),
    "funnel": ("funnel", ["funnel"]),
    "deadlines": ("step deadlines (6 per interview)", []),
    "compliance": ("compliance (overall, by quarter)", ["compliance", "compliance_by_quarter"]),
}


def _parts(frames: dict[str, pd.DataFrame], as_of: str) -> list[tuple[str, float]]:
    """Seconds per step of build_report, in its order, with its calls."""
    from afterview_analysis import analytics as an

    now = pd.Timestamp(as_of, tz="UTC")
    out: list[tuple[str, float]] = []
    got: dict[str, object] = {}

    def step(name: str, fn) -> None:
        t0 = time.perf_counter()
        got[name] = fn()
        out.append((name, time.perf_counter() - t0))

    step("history", lambda: an.score_history(frames))
    step("trends", lambda: an.trends_from_history(got["history"]))
    step("weak", lambda: an.rank_areas(got["trends"]))
    step("focus", lambda: an.practice_list(frames, got["weak"]))
    step("employer", lambda: an.employer_response_times(frames, now))
    step("employer summaries", lambda: [an.summarise_employer_times(got["employer"], by)
                                        for by in (None, "stage", "company")])
    step("own", lambda: an.own_response_times(frames, now))
    step("own summary", lambda: an.summarise_own_times(got["own"]))
    step("answer minutes", lambda: an.answer_minutes(frames, "QS"))
    step("calibration", lambda: (lambda points: [f(points) for f in (
        an.brier_score, an.reliability_bins, an.compare_self_scores)])(
        an.calibration_points(frames)))
    step("funnel", lambda: an.funnel(frames))
    step("deadlines", lambda: an.step_deadlines(frames, now))
    step("compliance", lambda: [an.summarise_compliance(got["deadlines"], f)
                                for f in (None, "QS")])
    return out


def run(quick: bool = False) -> list[dict]:
    from afterview_analysis.journal import Journal
    from afterview_analysis.report import build_report

    small, big = (2_000, 20_000) if quick else (100_000, 1_000_000)
    as_of = "2026-06-01"
    repeat = 2 if quick else 3
    frames = synthetic_frames(small, PER_INTERVIEW)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "journal.sqlite")
        write_journal(frames, path)

        def read() -> dict[str, pd.DataFrame]:
            with Journal(path) as j:
                return j.frames()

        frames = read()  # the report runs on what the journal gives back
        t_read = _best(read, repeat)
    t_small = _best(lambda: build_report(frames, as_of=as_of), repeat)
    parts = {}
    for _ in range(repeat):  # each step's best of the repeats, as for the whole report
        for name, secs in _parts(frames, as_of):
            parts[name] = min(parts.get(name, secs), secs)
    n_iv = len(frames["interviews"])
    frames.clear()
    gc.collect()

    big_frames = synthetic_frames(big, PER_INTERVIEW)
    t_big = _best(lambda: build_report(big_frames, as_of=as_of), 1 if not quick else 2)
    gc.collect()
    tracemalloc.start()
    build_report(big_frames, as_of=as_of)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak_mb = peak / 2**20
    n_big = len(big_frames["interviews"])
    label = f"{n_iv:,} interviews / {small:,} questions"
    rows = [
        {"benchmark": "analysis", "measure": f"Journal.frames() from disk, {label}",
         "value": t_read, "unit": "s"},
        {"benchmark": "analysis", "measure": f"every report table, {label}",
         "value": t_small, "unit": "s", "baseline": "Journal.frames(), same journal",
         "ratio": t_small / t_read, "target": f"<= {TARGET_RATIO:g}x",
         "ok": t_small / t_read <= TARGET_RATIO},
        {"benchmark": "analysis",
         "measure": f"every report table, {n_big:,} interviews / {big:,} questions",
         "value": t_big, "unit": "s", "baseline": f"the same at {small:,} questions",
         "ratio": t_big / t_small, "target": f"<= {TARGET_GROWTH:g}x for {big // small}x rows",
         "ok": t_big / t_small <= TARGET_GROWTH},
        {"benchmark": "analysis",
         "measure": f"peak traced memory of the report, {big:,} questions",
         "value": peak_mb, "unit": "MB", "target": f"< {TARGET_MB:g} MB",
         "ok": peak_mb < TARGET_MB},
    ]
    # where the time goes: each step as a ratio to the same reading baseline
    rows += [{"benchmark": "analysis", "measure": f"part: {_PARTS[name][0]}", "value": secs,
              "unit": "s", "baseline": "Journal.frames()", "ratio": secs / t_read}
             for name, secs in parts.items()]
    return rows


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        print(row)
