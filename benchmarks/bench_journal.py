"""Journal at scale: bulk import and frames() on 100,000 interviews / 1,000,000 questions.

* bulk import: rows (plain dicts, as a JSON export holds them) checked with every rule
  of the records and written in one transaction by ``Journal.add_validated`` -- the path
  ``afterview import`` takes -- as a
  ratio to a raw ``executemany`` of the same rows into the same schema (target <= 2x).
  Free text is unique per row, as in real use, so no check is skipped by repetition;
* frames(): ``Journal.frame`` for interviews and questions (typed dtypes) as a ratio to a
  bare ``pandas.read_sql`` of the same tables (target <= 1.5x).
"""

from __future__ import annotations

import gc
import random
import sqlite3
import tempfile
import time
from pathlib import Path

from afterview_analysis.journal import Journal
from afterview_analysis.records import Category, Interview, Question, Stage

N_INTERVIEWS, N_QUESTIONS = 100_000, 1_000_000


def synthetic_rows(n_interviews: int, n_questions: int) -> dict[str, list[dict]]:
    rng = random.Random(7)
    cats, stages = [c.value for c in Category], [s.value for s in Stage]
    interviews = [
        dict(id=f"iv{i:010d}", company=f"Company {i % 997}", role="Data Analyst",
             stage=stages[i % len(stages)], format="video",
             starts_at=f"20{20 + i % 6}-0{1 + i % 9}-1{i % 10}T09:30:00+00:00",
             duration_minutes=60, location=None, job_url=None, notes=None,
             process_length=None, feedback_by=None, keep_in_touch=1,
             recall_point=f"their data platform, call {i}", forgotten_strength=None,
             predicted_chance=rng.randrange(0, 101), outcome="pending", outcome_on=None,
             created_at="2026-01-01T00:00:00+00:00")
        for i in range(n_interviews)
    ]
    questions = [
        dict(id=f"q{q:011d}", interview_id=f"iv{q % n_interviews:010d}",
             position=q // n_interviews,
             text=f"Tell me about a time you disagreed ({q})", category=cats[q % len(cats)],
             answer=f"An example from my last role, number {q}", score=rng.randint(1, 5),
             minutes=rng.choice([None, 5, 10]), next_time=None)
        for q in range(n_questions)
    ]
    return {"interviews": interviews, "questions": questions}


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run(quick: bool = False) -> list[dict]:
    n_iv, n_q = (2_000, 20_000) if quick else (N_INTERVIEWS, N_QUESTIONS)
    rows = synthetic_rows(n_iv, n_q)
    size = f"{n_iv:,} interviews / {n_q:,} questions"
    reps = 3
    t_raw = t_ours = float("inf")
    with tempfile.TemporaryDirectory() as tmp:
        # Alternate the two, each into a fresh file, and keep the best of each: the machine
        # may be busy, and the first run pays for a cold cache.
        for rep in range(reps):
            raw_path, ours_path = Path(tmp, f"raw{rep}.sqlite"), Path(tmp, f"ours{rep}.sqlite")
            Journal(raw_path).close()  # the same schema, empty
            Journal(ours_path).close()

            def raw_import(path=raw_path):
                con = sqlite3.connect(path, isolation_level=None)
                con.execute("PRAGMA foreign_keys = ON")
                con.execute("PRAGMA synchronous = FULL")
                con.execute("BEGIN IMMEDIATE")
                for table in ("interviews", "questions"):
                    cols = list(rows[table][0])
                    marks = ", ".join("?" * len(cols))
                    con.executemany(
                        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})",
                        [tuple(r.values()) for r in rows[table]],
                    )
                con.execute("COMMIT")
                con.close()

            def our_import(path=ours_path):
                with Journal(path) as j, j.transaction():
                    j.add_validated(Interview, rows["interviews"])
                    j.add_validated(Question, rows["questions"])

            t_raw = min(t_raw, timed(raw_import))
            t_ours = min(t_ours, timed(our_import))

        # The 1.1 million row dicts above would make every garbage collection during the
        # reads walk them; neither read needs them.
        rows.clear()
        gc.collect()

        import pandas as pd

        def bare():
            con = sqlite3.connect(ours_path)
            for table in ("interviews", "questions"):
                pd.read_sql(f"SELECT * FROM {table}", con)
            con.close()

        def frames():
            with Journal(ours_path) as j:
                j.frame("interviews")
                j.frame("questions")

        t_bare = t_frames = float("inf")
        for _ in range(reps):
            t_bare = min(t_bare, timed(bare))
            t_frames = min(t_frames, timed(frames))
    return [
        dict(benchmark="journal", measure=f"bulk import, {size}", value=t_ours, unit="s",
             baseline=f"raw executemany {t_raw:.2f} s", ratio=t_ours / t_raw,
             target="<= 2x", ok=t_ours / t_raw <= 2),
        dict(benchmark="journal", measure=f"frames(), {size}", value=t_frames, unit="s",
             baseline=f"pandas.read_sql {t_bare:.2f} s", ratio=t_frames / t_bare,
             target="<= 1.5x", ok=t_frames / t_bare <= 1.5),
    ]
