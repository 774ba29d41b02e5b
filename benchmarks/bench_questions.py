"""How fast the question bank groups 5,000 askings, and how fast `afterview prep` answers.

The askings are a seeded mix: the hand-written labelled wordings of the tests, the built-in
classic questions, and 1,500 generated wordings ("How would you monitor a payment
pipeline?", "Tell me about a time you had to explain a churn forecast to sales."), drawn
with repeats as a long job search asks the same things again (a Zipf-like draw). The row
reports the grouping time (median of a few runs), its ratio to a baseline from the same run
(splitting every asking into lower-cased words and counting them), and whether it is under
2 s (issue 15).

`afterview prep` runs as a fresh process on the demo journal, several times, interleaved
with the baseline ``python -c "import sqlite3"`` (as in ``bench_cli.py``); the row reports
the median wall time and its ratio to the baseline's median. Target: within 10x.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # its sibling, loaded by file path
from bench_cli import _afterview, _time

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_SECONDS = 2.0
TARGET_PREP_RATIO = 10.0
_VERBS = ("design", "test", "monitor", "explain", "debug", "scale", "document", "clean",
          "measure", "secure", "migrate", "forecast", "model", "visualise", "automate")
_THINGS = ("payment pipeline", "churn forecast", "customer table", "sales dashboard",
           "event stream", "search index", "pricing model", "A/B test", "data warehouse",
           "recommendation system", "fraud model", "inventory report", "survey analysis",
           "marketing funnel", "KPI definition", "ETL job", "API", "feature store",
           "cohort analysis", "data contract", "metrics layer", "billing system",
           "log archive", "data catalogue", "spreadsheet model", "support queue")
_AUDIENCES = ("sales", "the board", "engineers", "a new hire", "finance", "a client")
_TEMPLATES = (
    "How would you {v} a {t}?",
    "Tell me about a time you had to {v} a {t} for {a}.",
    "What is the hardest part of running a {t}?",
    "Walk me through how you would {v} our {t}.",
    "What would you do first if the {t} broke on a Friday?",
    "How do you explain a {t} to {a}?",
    "What metrics would you track for a {t}?",
)


def askings(n: int = 5000, seed: int = 15) -> list[str]:
    """``n`` askings drawn with repeats from about 1,700 distinct wordings."""
    from afterview_analysis.questions import CLASSICS
    from tests.question_wordings import HELD_OUT_WORDINGS, WORDINGS

    rng = random.Random(seed)
    pool = list(dict.fromkeys([*WORDINGS, *HELD_OUT_WORDINGS, *(t for t, _ in CLASSICS)]))
    while len(pool) < 1700:
        text = rng.choice(_TEMPLATES).format(v=rng.choice(_VERBS), t=rng.choice(_THINGS),
                                             a=rng.choice(_AUDIENCES))
        if text not in pool:
            pool.append(text)
    rng.shuffle(pool)
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(pool))]
    return rng.choices(pool, weights=weights, k=n)


def _baseline(texts: list[str]) -> None:
    Counter(w for t in texts for w in t.casefold().split())


def run(quick: bool = False) -> list[dict]:
    from afterview_analysis.questions import group_questions

    n = 1000 if quick else 5000
    texts = askings(n)
    ids = [f"{i:012x}" for i in range(n)]
    reps = 1 if quick else 3
    times, base = [], []
    for _ in range(reps):
        start = time.perf_counter()
        _baseline(texts)
        base.append(time.perf_counter() - start)
        start = time.perf_counter()
        grouping = group_questions(ids, texts)
        times.append(time.perf_counter() - start)
    seconds, baseline = statistics.median(times), statistics.median(base)
    return [*_prep_rows(quick), {
        "benchmark": "questions",
        "measure": f"group {n:,} askings ({len(set(texts)):,} wordings) into "
                   f"{len(set(grouping.group)):,} questions",
        "value": seconds, "unit": "s",
        "baseline": f"count the words of the same askings, {baseline * 1000:.0f} ms",
        "ratio": seconds / baseline,
        "target": f"< {TARGET_SECONDS:g} s", "ok": seconds < TARGET_SECONDS,
    }]


def _prep_rows(quick: bool) -> list[dict]:
    from afterview_analysis.demo import load_demo
    from afterview_analysis.journal import Journal

    reps = 3 if quick else 15
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.sqlite"
        with Journal(path) as j:
            load_demo(j)
            company = j.rows("interviews")[-1]["company"]
        base, prep = [], []
        for _ in range(reps):
            base.append(_time([sys.executable, "-c", "import sqlite3"]))
            prep.append(_time([*_afterview(), "prep", "--company", company, "--stage",
                               "technical", "--journal", str(path), "--out",
                               str(Path(tmp) / "prep.html")]))
    b, p = statistics.median(base), statistics.median(prep)
    return [{
        "benchmark": "questions",
        "measure": f"`afterview prep` on the demo journal, median of {reps}",
        "value": p, "unit": "s",
        "baseline": f'`python -c "import sqlite3"`, {b * 1000:.0f} ms',
        "ratio": p / b, "target": f"<= {TARGET_PREP_RATIO:g}x",
        "ok": p / b <= TARGET_PREP_RATIO,
    }]


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        print(row)
