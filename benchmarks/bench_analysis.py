"""The whole reflection's computation on a big synthetic journal, against a bare groupby.

Builds frames shaped like ``Journal.frames()`` (same columns and dtypes) with 1,000,000
question rows (200,000 interviews x 5 questions, 6 skill scores each, thank-you notes,
playbook steps, employer answers and information requests), then times
:func:`afterview_analysis.report.build_report` (every analysis table the report shows;
no drawing, no formatting) and, in the same run, two bare baselines over the same
question rows: ``questions.groupby("interview_id")["score"].mean()`` (per-interview, the
grain the analysis works at) and ``questions.groupby("category")["score"].mean()``.
Peak memory is traced separately with tracemalloc (numpy and pandas report their buffers
to it), so tracing does not slow the timed run. One more pass times each step of the
report on its own (``part:`` rows), to show where the time goes.

    python benchmarks/bench_analysis.py [--quick]
"""

from __future__ import annotations

import gc
import sys
import time
import tracemalloc

import numpy as np
import pandas as pd

SEED = 7
TARGET_RATIO = 3.0
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
        role="Analyst", stage=stage, starts_at=starts, duration_minutes=duration,
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
    "keys": ("interview positions of the 5 child tables (shared by all)", []),
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
    """Seconds per step of build_report, in its order, inside one shared-keys block."""
    from afterview_analysis import analytics as an
    from afterview_analysis.analytics._keys import positions, shared

    now = pd.Timestamp(as_of, tz="UTC")
    out: list[tuple[str, float]] = []
    got: dict[str, object] = {}

    def step(name: str, fn) -> None:
        t0 = time.perf_counter()
        got[name] = fn()
        out.append((name, time.perf_counter() - t0))

    with shared():  # the same calls, reusing the same tables, as build_report
        step("keys", lambda: [positions(frames, t) for t in (
            "questions", "skill_scores", "playbook_steps", "employer_events", "messages")])
        step("history", lambda: an.score_history(frames))
        step("trends", lambda: an.trends_from_history(got["history"]))
        step("weak", lambda: an.weak_areas(frames, trends=got["trends"]))
        step("focus", lambda: an.focus_next(frames, weak=got["weak"]))
        step("employer", lambda: an.employer_response_times(frames, now))
        step("employer summaries", lambda: [
            an.employer_response_summary(frames, by, now, times=got["employer"])
            for by in (None, "stage", "company")])
        step("own", lambda: an.own_response_times(frames, now, employer=got["employer"]))
        step("own summary", lambda: an.own_response_summary(frames, now, times=got["own"]))
        step("answer minutes", lambda: an.answer_minutes(frames, "QS"))
        step("calibration", lambda: (lambda points: [f(frames, points=points) for f in (
            an.calibration, an.reliability_table, an.self_score_vs_outcome)])(
            an.calibration_points(frames)))
        step("funnel", lambda: an.funnel(frames))
        step("deadlines", lambda: an.step_deadlines(frames, now, employer=got["employer"]))
        step("compliance", lambda: [an.playbook_compliance(frames, f, now,
                                                           deadlines=got["deadlines"])
                                    for f in (None, "QS")])
    return out


def run(quick: bool = False) -> list[dict]:
    from afterview_analysis.report import build_report

    n = 20_000 if quick else 1_000_000
    frames = synthetic_frames(n)
    q = frames["questions"]
    as_of = "2026-06-01"
    repeat = 2 if quick else 3

    def analysis() -> None:
        build_report(frames, as_of=as_of)

    base_iv = _best(lambda: q.groupby("interview_id")["score"].mean(), repeat)
    base_cat = _best(lambda: q.groupby("category", observed=True)["score"].mean(), repeat)
    full = _best(analysis, repeat)
    gc.collect()
    parts = _parts(frames, as_of)  # one more pass, timed step by step

    gc.collect()
    tracemalloc.start()
    analysis()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak_mb = peak / 2**20
    label = f"{len(q):,} question rows"
    rows = [
        {"benchmark": "analysis", "measure": f"full report computation, {label}",
         "value": full, "unit": "s", "baseline": "groupby(interview_id).mean()",
         "ratio": full / base_iv, "target": f"< {TARGET_RATIO:g}x",
         "ok": full / base_iv < TARGET_RATIO},
        {"benchmark": "analysis", "measure": f"full report computation, {label}",
         "value": full, "unit": "s", "baseline": "groupby(category).mean()",
         "ratio": full / base_cat, "target": f"< {TARGET_RATIO:g}x",
         "ok": full / base_cat < TARGET_RATIO},
        {"benchmark": "analysis", "measure": "baseline groupby(interview_id).mean()",
         "value": base_iv, "unit": "s"},
        {"benchmark": "analysis", "measure": "baseline groupby(category).mean()",
         "value": base_cat, "unit": "s"},
        {"benchmark": "analysis", "measure": f"peak traced memory of the analysis, {label}",
         "value": peak_mb, "unit": "MB", "target": f"< {TARGET_MB:g} MB",
         "ok": peak_mb < TARGET_MB},
    ]
    # where the time goes: each step's share, as a ratio to the same baseline (a step
    # that alone exceeds the target's budget shows the target cannot be met by the rest)
    rows += [{"benchmark": "analysis", "measure": f"part: {_PARTS[name][0]}", "value": secs,
              "unit": "s", "baseline": "groupby(interview_id).mean()",
              "ratio": secs / base_iv} for name, secs in parts]
    return rows


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        print(row)
