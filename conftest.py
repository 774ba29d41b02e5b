"""Project-wide pytest wiring: the notebooks under nbval, each on a fresh demo journal.

``pytest`` (and so ``make test``) collects ``notebooks/*.ipynb`` with nbval in lax mode
(options in pyproject.toml): a notebook fails on any error, and only cells marked
``# NBVAL_CHECK_OUTPUT`` have their output compared, after the substitutions in
``tests/nbval-sanitize.cfg``.

Every notebook runs against its own copy of the demo journal: a pristine one is built once
per session with ``afterview demo --journal <tmp>``, and right before nbval starts a
notebook's kernel the copy's path is put in ``AFTERVIEW_JOURNAL`` (the kernel inherits it),
then the previous value is restored. The user's ``data/journal.sqlite`` is never touched.

Notebook cells are marked ``slow`` so ``make test-fast`` leaves them out.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
SANITIZE = ROOT / "tests" / "nbval-sanitize.cfg"

_demo_dir: Path | None = None


def build_demo_journal(path: Path) -> Path:
    """Write the demo history to a new journal at *path* with the real command line."""
    afterview = Path(sys.executable).with_name("afterview")
    cmd = [str(afterview)] if afterview.exists() else [
        sys.executable, "-m", "afterview_analysis.cli"
    ]
    result = subprocess.run(
        [*cmd, "demo", "--journal", str(path)], capture_output=True, text=True, timeout=120
    )
    if result.returncode != 0:
        raise RuntimeError(f"`afterview demo` failed ({result.returncode}): {result.stderr}")
    return path


def copy_journal(source: Path, target: Path) -> Path:
    """Copy a closed journal file (with its WAL file, should one be left) to *target*."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    for suffix in ("-wal", "-shm"):
        extra = source.with_name(source.name + suffix)
        if extra.exists():
            shutil.copyfile(extra, target.with_name(target.name + suffix))
    return target


def _pristine_demo() -> Path:
    global _demo_dir
    if _demo_dir is None:
        _demo_dir = Path(tempfile.mkdtemp(prefix="afterview-nbval-"))
        build_demo_journal(_demo_dir / "pristine-demo.sqlite")
    return _demo_dir / "pristine-demo.sqlite"


@pytest.fixture(scope="session")
def demo_journal_template() -> Path:
    """A pristine demo journal built by ``afterview demo``: copy it, never write to it."""
    return _pristine_demo()


def _is_notebook_cell(item: pytest.Item) -> bool:
    return item.parent is not None and type(item.parent).__name__ == "IPyNbFile"


def pytest_configure(config: pytest.Config) -> None:
    # An absolute path, so the option works from any working directory.
    if getattr(config.option, "nbval_sanitize_with", "missing") is None and SANITIZE.exists():
        config.option.nbval_sanitize_with = str(SANITIZE)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    # Lab's autosave copies: never collect them, even when a path is given explicitly.
    if ".ipynb_checkpoints" in collection_path.parts:
        return True
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _is_notebook_cell(item):
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_setup(item: pytest.Item):
    notebook = item.parent
    starting = _is_notebook_cell(item) and getattr(notebook, "kernel", None) is None
    if not starting:
        yield
        return
    journal = copy_journal(_pristine_demo(), _demo_dir / f"{notebook.path.stem}.sqlite")
    before = os.environ.get("AFTERVIEW_JOURNAL")
    os.environ["AFTERVIEW_JOURNAL"] = str(journal)
    try:
        yield  # nbval starts the notebook's kernel here; it inherits the environment
    finally:
        if before is None:
            os.environ.pop("AFTERVIEW_JOURNAL", None)
        else:
            os.environ["AFTERVIEW_JOURNAL"] = before


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _demo_dir is not None:
        shutil.rmtree(_demo_dir, ignore_errors=True)
