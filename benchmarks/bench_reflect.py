"""Reflect in the kernel: its first render on the demo, and a trend-picker change on a
1,000-interview journal, against reading the same journal in the same run.

* **First render** (issue 10: under 1 s): what the notebook ``2-reflect.ipynb`` computes
  and draws when it runs top to bottom (the reflection's tables, the top of the page,
  every section's answer with its picture as the HTML a cell shows, the practice
  comparison, the folded trend picker), timed in a fresh Python process after its
  imports, as a kernel does it; median of a few processes. Its baseline is the
  reflection's tables alone (reading the journal and ``build_report``), in the same
  process. The imports (matplotlib among them) are a row of their own.
* **Drawing, before and after**: the same seven section pictures drawn as the page did
  before (a constrained layout engine, default PNG compression) and as it does now (fixed
  margins, light compression), in the same process: the ratio is the gain.
* **A picker change** (issue 10: under 0.1 s, not counting the drawing of the figure): the
  trend picker opened on a synthetic journal of 1,000 interviews (``bench_analysis``'s
  generator, written to a real journal file), then the kind, the areas and the start date
  changed in turn; each change split into the matplotlib figure (building it, and
  rendering its PNG) and the rest (selecting the scores, their trends, the table).

The tables' and the picker's baseline is ``Journal.frames()`` reading the same journal in
the same run.

    python benchmarks/run.py reflect [--quick]
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_FIRST = 1.0  # seconds, the first render of the demo
TARGET_PICKER = 0.1  # seconds, a picker change without the figure
SECTIONS = ("practise_next", "improving", "employers", "on_time", "gut_feeling", "how_far",
            "habits")


def first_render(path: str) -> dict[str, float]:
    """Seconds for the imports, then for the notebook's first render (in this process)."""
    t0 = time.perf_counter()
    from afterview_analysis import plots, story  # plots: matplotlib, which the kernel loads
    from afterview_analysis.journal import Journal
    from afterview_analysis.widgets import page

    imports = time.perf_counter() - t0
    assert plots
    journal = Journal(path, create=False)
    t0 = time.perf_counter()
    reflection = story.Reflection(journal)
    page(reflection, "2-")
    tables = time.perf_counter() - t0
    for name in SECTIONS:
        getattr(story, name)(reflection)._repr_html_()
        if name == "practise_next":
            story.practice(reflection)
        if name == "improving":
            story.explore(reflection)
    total = time.perf_counter() - t0
    t0 = time.perf_counter()
    journal.frames()
    read = time.perf_counter() - t0
    return {"imports": imports, "tables": tables, "first": total, "read": read}


def _first_in_fresh_processes(path: Path, runs: int) -> dict[str, float]:
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, __file__, "--first-render", str(path)],
                             check=True, capture_output=True, text=True, timeout=300,
                             cwd=ROOT)
        results.append(json.loads(out.stdout.splitlines()[-1]))
    return {k: statistics.median(r[k] for r in results) for k in results[0]}


def _drawing(path: Path, repeat: int) -> tuple[float, float]:
    """Best seconds to draw the seven section pictures the old way and the new way."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from afterview_analysis import plots, story
    from afterview_analysis.journal import Journal

    reflection = story.Reflection(Journal(path, create=False))

    def old() -> None:
        for name in SECTIONS:
            fig = getattr(story, name)(reflection).figure
            fig.set_layout_engine("constrained")
            FigureCanvasAgg(fig)
            fig.savefig(io.BytesIO(), format="png", dpi=100)

    def new() -> None:
        for name in SECTIONS:
            plots.figure_png(getattr(story, name)(reflection).figure)

    best = {}
    for label, fn in (("old", old), ("new", new)):
        fn()  # fonts and caches warm for both
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        best[label] = min(times)
    return best["old"], best["new"]


def _picker(folder: Path, n_interviews: int, repeat: int) -> dict[str, float]:
    """Median seconds per picker change: all of it, the figure's build and its PNG."""
    from datetime import date

    from afterview_analysis import plots, story
    from afterview_analysis.journal import Journal

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_analysis

    path = folder / "picker.sqlite"
    bench_analysis.write_journal(bench_analysis.synthetic_frames(5 * n_interviews, 5), path)
    journal = Journal(path, create=False)
    t0 = time.perf_counter()
    journal.frames()
    read = time.perf_counter() - t0
    view = story.explore(story.Reflection(journal))
    view.open_button.value = True

    spent = {"build": 0.0, "png": 0.0}
    build, png = plots.plot_skill_trends, plots.figure_png

    def timed(key, fn):
        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[key] += time.perf_counter() - t
        return wrapper

    plots.plot_skill_trends, plots.figure_png = timed("build", build), timed("png", png)
    try:
        first = view.trend_from.value
        changes = [
            lambda: setattr(view.trend_kind, "value", "category"),
            lambda: setattr(view.trend_kind, "value", "skill"),
            lambda: setattr(view.trend_areas, "value", view.trend_areas.options[0][1:]
                            + view.trend_areas.options[1][1:]),
            lambda: setattr(view.trend_areas, "value", ()),
            lambda: setattr(view.trend_from, "value", date(first.year + 2, 1, 1)),
            lambda: setattr(view.trend_from, "value", first),
        ]
        rows = []
        for _ in range(repeat):
            for change in changes:
                spent.update(build=0.0, png=0.0)
                t = time.perf_counter()
                change()
                rows.append((time.perf_counter() - t, spent["build"], spent["png"]))
    finally:
        plots.plot_skill_trends, plots.figure_png = build, png
    assert view.trend_error.value == "" and bytes(view.trend_image.value)[:4] == b"\x89PNG"
    return {"read": read,
            "total": statistics.median(r[0] for r in rows),
            "build": statistics.median(r[1] for r in rows),
            "png": statistics.median(r[2] for r in rows),
            "rest": statistics.median(r[0] - r[1] - r[2] for r in rows)}


def run(quick: bool = False) -> list[dict]:
    runs, repeat = (1, 1) if quick else (3, 3)
    n_interviews = 200 if quick else 1_000
    with tempfile.TemporaryDirectory(prefix="afterview-bench-reflect-") as tmp:
        folder = Path(tmp)
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from bench_notebooks import _demo_journal  # the demo in a fresh file, as there

        demo = _demo_journal(folder)
        first = _first_in_fresh_processes(demo, runs)
        old, new = _drawing(demo, repeat)
        picker = _picker(folder, n_interviews, repeat)
    read = first["read"]
    base = f"Journal.frames() of the demo ({read:.2f} s)"
    pbase = f"Journal.frames() of that journal ({picker['read']:.2f} s)"
    tables = f"the reflection's tables, same process ({first['tables']:.2f} s)"
    return [
        dict(benchmark="reflect",
             measure="imports of a Reflect kernel (story, widgets, plots: matplotlib)",
             value=first["imports"], unit="s"),
        dict(benchmark="reflect", measure="the reflection's tables (frames + build_report)",
             value=first["tables"], unit="s", baseline=base, ratio=first["tables"] / read),
        dict(benchmark="reflect",
             measure="first render of the demo: tables, 7 answers with their pictures, "
                     "practice, folded trend picker", value=first["first"], unit="s",
             baseline=tables, ratio=first["first"] / first["tables"],
             target=f"< {TARGET_FIRST:g} s", ok=first["first"] < TARGET_FIRST),
        dict(benchmark="reflect", measure="the 7 section pictures, drawn as now",
             value=new, unit="s",
             baseline=f"the same drawn as before: layout engine, default PNG ({old:.2f} s)",
             ratio=new / old),
        dict(benchmark="reflect",
             measure=f"trend picker change, {n_interviews:,} interviews, without the figure",
             value=picker["rest"], unit="s", baseline=pbase,
             ratio=picker["rest"] / picker["read"], target=f"< {TARGET_PICKER:g} s",
             ok=picker["rest"] < TARGET_PICKER),
        dict(benchmark="reflect",
             measure=f"trend picker change, {n_interviews:,} interviews, all of it "
                     f"(figure: build {picker['build']:.3f} s, PNG {picker['png']:.3f} s)",
             value=picker["total"], unit="s", baseline=pbase,
             ratio=picker["total"] / picker["read"]),
    ]


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--first-render":
        print(json.dumps(first_render(sys.argv[2])))
    else:
        for row in run(quick="--quick" in sys.argv):
            print(row)
