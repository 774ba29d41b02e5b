"""Every notebook of the workbook, as a user's Lab opens it: the kernel it names exists
(so no "Select Kernel" dialog), nothing stale is stored in it, and it opens the journal
the whole workbook shows (yours, or the demo once a page loaded it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jupyter_client.kernelspec import KernelSpecManager

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_the_workbook_starts_with_today():
    names = [p.name for p in NOTEBOOKS]
    assert names[0] == "0-today.ipynb"
    assert {"1-after-the-interview.ipynb", "2-reflect.ipynb", "3-messages.ipynb"} <= set(names)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_names_an_installed_kernel_and_stores_no_output(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    spec = nb["metadata"]["kernelspec"]
    assert spec == {"display_name": "Python 3 (ipykernel)", "language": "python",
                    "name": "python3"}
    assert spec["name"] in KernelSpecManager().find_kernel_specs()  # the venv's kernel
    assert nb["metadata"]["language_info"]["name"] == "python"
    # a saved widget state shows old widgets before the notebook runs
    assert "widgets" not in nb["metadata"]
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] != "code":
            continue
        assert cell.get("outputs") == [] and cell.get("execution_count") is None, source
        # output checks live in the tests: a printed check goes stale as soon as the
        # user's journal (or the demo) changes
        assert "NBVAL_CHECK_OUTPUT" not in source and "print(" not in source, source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_opens_the_journal_the_workbook_shows(path):
    code = "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"]
                     if c["cell_type"] == "code")
    assert "Journal()" not in code  # would ignore the demo loaded on another page
    assert "open_journal()" in code or "TodayView()" in code
