"""Real-browser fixtures: JupyterLab and Voila on 127.0.0.1, driven by Debian's Chromium.

Each server gets a free port, a temporary workspace (a copy of ``notebooks/``, Lab's
workspaces, settings and runtime folders) and its own copy of the demo journal through
``AFTERVIEW_JOURNAL``: nothing under the working tree is written except ``screenshots/``.

Under ``CI=true`` a missing ``/usr/bin/chromium`` or a missing ``playwright`` package is a
test failure; elsewhere the tests are skipped with the exact reason.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = Path(os.environ.get("AFTERVIEW_TEST_NOTEBOOKS", ROOT / "notebooks"))
SCREENSHOTS = ROOT / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BIN = Path(sys.executable).parent
SERVER_START_TIMEOUT = 90  # seconds
NO_NEWS = {
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    # every cell in the page: with Lab's default windowing, the cells of a long notebook
    # that are scrolled out of view have no prompt, and a run would never look finished
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def missing(reason: str) -> None:
    """Fail under CI (a missing browser must never pass silently), skip elsewhere."""
    if in_ci():
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def notebook(prefix: str) -> str:
    """The notebook file name under notebooks/ that starts with *prefix* (e.g. "2-")."""
    found = sorted(p.name for p in NOTEBOOKS.glob(f"{prefix}*.ipynb"))
    if not found:
        pytest.fail(f"no notebooks/{prefix}*.ipynb in the workbook", pytrace=False)
    return found[0]


# --------------------------------------------------------------------------- servers


@dataclass
class Server:
    """A server process we started, in its own process group, with its log file."""

    name: str
    url: str
    process: subprocess.Popen
    log: Path
    journal: Path
    root: Path
    extra: dict = field(default_factory=dict)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def wait_ready(self, path: str, timeout: float = SERVER_START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(
                    f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}",
                    pytrace=False,
                )
            try:
                with urllib.request.urlopen(self.url + path, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        self.stop()
        pytest.fail(f"{self.name} not ready after {timeout} s:\n{self.log_tail()}", pytrace=False)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)  # the group we created, no other
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        except ProcessLookupError:
            pass


def copy_journal(source: Path, target: Path) -> Path:
    """Copy a closed journal (``afterview`` checkpoints its WAL on close) to *target*."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def _environment(workspace: Path, journal: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        AFTERVIEW_JOURNAL=str(journal),
        JUPYTER_CONFIG_DIR=str(workspace / "config"),
        JUPYTER_RUNTIME_DIR=str(workspace / "runtime"),
        JUPYTER_DATA_DIR=str(workspace / "data"),
        JUPYTERLAB_SETTINGS_DIR=str(workspace / "user-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(workspace / "workspaces"),
        IPYTHONDIR=str(workspace / "ipython"),
        MPLBACKEND="module://matplotlib_inline.backend_inline",
        PYTHONUNBUFFERED="1",
    )
    # The venv's tools and kernels first, whatever PATH the caller had.
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def _launch(name: str, cmd: list[str], *, cwd: Path, env: dict, log: Path) -> subprocess.Popen:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        return subprocess.Popen(
            cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


@pytest.fixture(scope="session")
def workspace(tmp_path_factory, demo_journal_template) -> Path:
    """A temp folder with a copy of the notebooks and a private copy of the demo journal."""
    root = tmp_path_factory.mktemp("browser")
    shutil.copytree(NOTEBOOKS, root / "notebooks", ignore=shutil.ignore_patterns(".*"))
    copy_journal(demo_journal_template, root / "journal.sqlite")
    settings = root / "app-settings"
    settings.mkdir()
    (settings / "overrides.json").write_text(json.dumps(NO_NEWS, indent=2))
    return root


@pytest.fixture(scope="session")
def lab(workspace) -> Iterator[Server]:
    """JupyterLab on 127.0.0.1:<free port>, no token, serving the copied notebooks."""
    port = free_port()
    cmd = [
        str(BIN / "jupyter"), "lab", "--no-browser", "--allow-root", f"--port={port}",
        "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0",
        "--IdentityProvider.token=", "--ServerApp.password=",
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.workspaces_dir={workspace / 'workspaces'}",
        f"--LabApp.user_settings_dir={workspace / 'user-settings'}",
        f"--LabApp.app_settings_dir={workspace / 'app-settings'}",
        f"--ServerApp.root_dir={workspace / 'notebooks'}",
    ]  # fmt: skip
    journal = workspace / "journal.sqlite"
    env = _environment(workspace, journal)
    process = _launch("lab", cmd, cwd=workspace, env=env, log=workspace / "lab.log")
    server = Server("JupyterLab", f"http://127.0.0.1:{port}", process, workspace / "lab.log",
                    journal, workspace / "notebooks")
    try:
        server.wait_ready("/api/status")
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def app(workspace, tmp_path_factory) -> Iterator[Server]:
    """``make app`` itself (Voila), on a free port, with a private copy of the demo journal.

    The Makefile's own recipe runs; ``-o`` keeps make from reinstalling the venv or creating
    the user's data/ journals, so the test writes nothing into the working tree.
    """
    make = shutil.which("make")
    if make is None:
        missing("`make` is not installed, so `make app` cannot be tested")
    port = free_port()
    root = tmp_path_factory.mktemp("app")
    journal = copy_journal(workspace / "journal.sqlite", root / "journal.sqlite")
    env = _environment(root, journal)
    cmd = [
        make, "--no-print-directory", "-C", str(ROOT), f"APP_PORT={port}", f"JOURNAL={journal}",
        "-o", ".venv/.installed", "-o", "data/journal.sqlite", "-o", "data/demo.sqlite", "app",
    ]  # fmt: skip
    process = _launch("app", cmd, cwd=ROOT, env=env, log=root / "voila.log")
    server = Server("make app (Voila)", f"http://127.0.0.1:{port}", process, root / "voila.log",
                    journal, NOTEBOOKS)
    try:
        server.wait_ready("/")
        yield server
    finally:
        server.stop()


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright (never a downloaded browser)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        missing(f"the playwright package is not importable ({exc}); pip install playwright")
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        missing(f"{CHROMIUM} is missing; apt-get install -y chromium")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    """A fresh page that records every JavaScript dialog; any dialog fails the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    page = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.dialogs = dialogs  # type: ignore[attr-defined]
    page.js_errors = errors  # type: ignore[attr-defined]
    yield page
    try:
        if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
            shoot(page, f"FAILED-{request.node.name}")
    finally:
        context.close()
    assert not dialogs, f"a JavaScript dialog fired (script injection?): {dialogs}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def shoot(page, name: str) -> Path:
    """Save a full-page screenshot under screenshots/ (git-ignored) and return its path."""
    SCREENSHOTS.mkdir(exist_ok=True)
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    path = SCREENSHOTS / f"{safe}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def journal_rows(path: Path, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
    """Read the journal file the way any other SQLite client would (read-only)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# --------------------------------------------------------------------------- notebooks in Lab

_RUN_STATE_JS = """
() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return 'no notebook';
  const traceback = panel.querySelector(
    ".jp-RenderedText[data-mime-type='application/vnd.jupyter.error']");
  if (traceback) return 'error: ' + traceback.innerText.slice(-1500);
  if (document.querySelector('.jp-Dialog')) return 'a Lab dialog is open: '
    + document.querySelector('.jp-Dialog').innerText.slice(0, 300);
  const status = panel.querySelector(
    '.jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator');
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
    .map(p => p.textContent.trim());  // innerText is "" for cells Lab leaves unrendered
  const pending = prompts.filter(p => !/^\\[\\d+\\]:$/.test(p));
  if (status && status.getAttribute('data-status') === 'idle' && pending.length === 0)
    return 'done';
  return null;
}
"""


_KERNEL_READY_JS = """
(name) => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const widget = window.jupyterapp.shell.currentWidget;
  if (!panel || !widget || !widget.sessionContext) return false;
  if (!widget.context || widget.context.path !== name) return false;
  const ctx = widget.sessionContext;
  return !!(ctx.session && ctx.session.kernel) && ctx.kernelDisplayStatus === 'idle'
    && !document.querySelector('.jp-Dialog');
}
"""


class LabNotebook:
    """One notebook opened in JupyterLab: open, run all, wait, then look and act."""

    def __init__(self, page, lab: Server, name: str):
        self.page, self.lab, self.name = page, lab, name

    def open(self, timeout: float = 90) -> LabNotebook:
        """Open the notebook and wait until its kernel is started and idle.

        A "Select Kernel" dialog may appear on first open: accept the preferred kernel.
        """
        # A workspace of its own: Lab restores no other notebook, so "run all" can only
        # address this one.
        self.page.goto(f"{self.lab.url}/lab/workspaces/{Path(self.name).stem}/tree/{self.name}")
        self.page.wait_for_selector(".jp-NotebookPanel", timeout=timeout * 1000)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            accept = self.page.locator(".jp-Dialog .jp-mod-accept")
            if accept.count():
                accept.first.click()
            elif self.page.evaluate(_KERNEL_READY_JS, self.name):
                return self
            time.sleep(0.25)
        shoot(self.page, f"lab-{Path(self.name).stem}-no-kernel")
        pytest.fail(f"{self.name}: no idle kernel after {timeout} s", pytrace=False)

    def command(self, name: str) -> None:
        """Start a Lab command without waiting for it (its promise can wait on a dialog)."""
        current = self.page.evaluate(
            "() => window.jupyterapp.shell.currentWidget?.context?.path ?? null"
        )
        assert current == self.name, f"Lab's current document is {current}, not {self.name}"
        self.page.evaluate("(name) => { window.jupyterapp.commands.execute(name); }", name)

    def run_all(self, timeout: float = 120) -> LabNotebook:
        """Run every cell and wait until each has run and the kernel is idle.

        Fails at once, with the traceback, when a cell raises (run-all stops there).
        """
        # Clear first, so a prompt number can only come from this run.
        self.command("notebook:clear-all-cell-outputs")
        self.command("notebook:run-all-cells")
        handle = self.page.wait_for_function(_RUN_STATE_JS, timeout=timeout * 1000,
                                             polling=250)
        state = handle.json_value()
        if state != "done":
            shoot(self.page, f"lab-{Path(self.name).stem}-error")
            pytest.fail(f"{self.name}: a cell raised in JupyterLab:\n{state}", pytrace=False)
        return self

    def kernel_errors(self) -> str:
        """Tracebacks the kernel raised in widget callbacks (Lab's log console), or ""."""
        console = self.page.locator(".jp-LogConsolePanel")
        if console.count() == 0:  # the command toggles: a restored workspace may have it open
            self.command("logconsole:open")
        console.wait_for(state="attached")
        time.sleep(0.5)  # let the console render what it has collected
        text = console.inner_text()
        marker = text.find("Traceback")
        return "" if marker < 0 else text[max(0, marker - 200):][:4000]

    def widget(self, css_class: str, inner: str = ""):
        """The first rendered widget carrying ``css_class`` (an av-... hook), or its child."""
        loc = self.page.locator(f".jp-NotebookPanel:not(.lm-mod-hidden) .{css_class}")
        return (loc.locator(inner) if inner else loc).first

    def shoot(self, what: str, show=None) -> Path:
        """Screenshot, first scrolling *show* (a locator) into view: Lab scrolls inside."""
        if show is not None:
            show.scroll_into_view_if_needed()
        return shoot(self.page, f"lab-{Path(self.name).stem}-{what}")
