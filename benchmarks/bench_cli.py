"""How fast `afterview agenda` and `afterview draft` answer, against a bare Python start-up.

Each command runs as a fresh process on the demo journal (as a user would run it), several
times, interleaved with the baseline ``python -c "import sqlite3"``; the row reports the
median wall time and its ratio to the baseline's median in the same run. Targets (issue 4):
agenda <= 5x, draft <= 8x. ``remind`` and the bare import of Jinja2's sandbox are shown for
context, without a target.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"agenda": 5.0, "draft": 8.0}


def _afterview() -> list[str]:
    script = Path(sys.executable).parent / "afterview"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from afterview_analysis.cli import main; "
            "sys.exit(main())"]


def _time(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def run(quick: bool = False) -> list[dict]:
    from afterview_analysis.demo import load_demo
    from afterview_analysis.journal import Journal
    from afterview_analysis.records import Interview, Interviewer

    reps = 3 if quick else 15
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.sqlite"
        with Journal(path) as j:
            load_demo(j)
            ivs = j.find(Interview, order_by="starts_at")
            iid = next(iv.id for iv in reversed(ivs)
                       if j.find(Interviewer, interview_id=iv.id))
        av = [*_afterview()]
        env_args = ["--journal", str(path)]
        commands = {
            "baseline": [sys.executable, "-c", "import sqlite3"],
            "agenda": [*av, "agenda", "--today", "2026-11-20", *env_args],
            "draft": [*av, "draft", "thank-you", "--interview", iid, "--tone", "formal",
                      *env_args],
            "draft --eml": [*av, "draft", "thank-you", "--interview", iid, "--eml",
                            str(Path(tmp) / "t.eml"), *env_args],
            "remind": [*av, "remind", "--ics", str(Path(tmp) / "a.ics"), "--today",
                       "2026-11-20", *env_args],
            "import jinja2.sandbox": [sys.executable, "-c", "import jinja2.sandbox"],
        }
        for argv in commands.values():  # warm the disk cache and .pyc files
            _time(argv)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(reps):
            for name, argv in commands.items():
                times[name].append(_time(argv))
    base = statistics.median(times["baseline"])
    rows = [{
        "benchmark": "cli", "measure": 'python -c "import sqlite3" (baseline)',
        "value": base * 1000, "unit": f"ms (median of {reps})",
    }]
    for name in list(commands)[1:]:
        value = statistics.median(times[name])
        ratio = value / base
        target = TARGETS.get(name)
        rows.append({
            "benchmark": "cli",
            "measure": f"afterview {name}" if not name.startswith("import") else name,
            "value": value * 1000,
            "unit": f"ms (median of {reps})",
            "baseline": "import sqlite3",
            "ratio": round(ratio, 2),
            "target": f"<= {target:g}x" if target else None,
            "ok": ratio <= target if target else None,
        })
    return rows


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        print(row)
