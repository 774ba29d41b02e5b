"""Each notebook's top-to-bottom run time on the demo journal, as a ratio to a baseline.

The baseline for each notebook is a notebook made of only its import statements (the same
libraries, imported the same way): kernel start and imports cost the same in both, so the
ratio says how much the notebook's own work adds. Both run with nbclient in a fresh kernel,
against a fresh copy of the demo journal built by ``afterview demo`` (via
``AFTERVIEW_JOURNAL``). Target: every notebook under 15 s.

    python benchmarks/run.py notebooks           # best of 3 runs each
    python benchmarks/run.py notebooks --quick   # one run each
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TARGET_SECONDS = 15.0



def imports_only(nb):
    """A copy of *nb* with one cell: every top-level import statement of its code cells."""
    import nbformat

    lines = [
        line
        for cell in nb.cells
        if cell.cell_type == "code"
        for line in cell.source.splitlines()
        if line.startswith(("import ", "from ")) and " import " in f" {line} "
    ]
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("\n".join(lines))],
                                    metadata=nb.metadata)


def _demo_journal(folder: Path) -> Path:
    path = folder / "demo.sqlite"
    afterview = Path(sys.executable).with_name("afterview")
    subprocess.run([str(afterview), "demo", "--journal", str(path)], check=True,
                   capture_output=True, timeout=120)
    return path


def _run(nb, journal: Path, workdir: Path) -> float:
    """Seconds to start a kernel and execute every cell (errors raise)."""
    from nbclient import NotebookClient

    os.environ["AFTERVIEW_JOURNAL"] = str(journal)
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(workdir)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def run(quick: bool = False) -> list[dict]:
    import nbformat

    repeats = 1 if quick else 3
    rows: list[dict] = []
    before = os.environ.get("AFTERVIEW_JOURNAL")
    folder = Path(tempfile.mkdtemp(prefix="afterview-bench-nb-"))
    try:
        pristine = _demo_journal(folder)

        def best(nb) -> float:
            times = []
            for i in range(repeats):
                copy = folder / f"run-{time.perf_counter_ns()}-{i}.sqlite"
                shutil.copyfile(pristine, copy)
                times.append(_run(nbformat.from_dict(nb), copy, NOTEBOOKS))
            return min(times)

        for path in sorted(NOTEBOOKS.glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            baseline = best(imports_only(nb))
            seconds = best(nb)
            rows.append(dict(
                benchmark="notebooks", measure=f"{path.name} top to bottom", value=seconds,
                unit="s", baseline=f"its imports only ({baseline:.2f} s)",
                ratio=seconds / baseline, target=f"< {TARGET_SECONDS:g} s",
                ok=seconds < TARGET_SECONDS,
            ))
    finally:
        if before is None:
            os.environ.pop("AFTERVIEW_JOURNAL", None)
        else:
            os.environ["AFTERVIEW_JOURNAL"] = before
        shutil.rmtree(folder, ignore_errors=True)
    return rows
