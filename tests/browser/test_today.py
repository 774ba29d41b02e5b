"""Today, the first screen, and the whole workbook as an app, in a real Chromium.

* Lab and app on an **empty** journal: the welcome and the demo button; the demo loaded
  on Today is what the other pages show; back to your own journal; **one interview**
  logged (quick entry on Today in Lab, the full form page in the app) shows on Today.
* Lab and app on the **demo**: the pipeline and the agenda; *Draft* on an agenda row opens
  the message form under it, pre-filled for that interview, kind and recipient.
* Every notebook opened on a fresh Lab workspace: no dialog at all (no "Select Kernel").
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from afterview_analysis.journal import Journal
from tests.browser.conftest import (
    _KERNEL_READY_JS,
    BIN,
    NOTEBOOKS,
    LabNotebook,
    Server,
    _environment,
    _launch,
    free_port,
    journal_rows,
    notebook,
    shoot,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def _empty_workspace(tmp_path_factory, name: str) -> Path:
    import json
    import shutil

    from tests.browser.conftest import NO_NEWS

    root = tmp_path_factory.mktemp(name)
    shutil.copytree(NOTEBOOKS, root / "notebooks", ignore=shutil.ignore_patterns(".*"))
    (root / "data").mkdir()
    Journal(root / "data" / "journal.sqlite").close()
    settings = root / "app-settings"
    settings.mkdir()
    (settings / "overrides.json").write_text(json.dumps(NO_NEWS))
    return root


@pytest.fixture(scope="module")
def lab_empty(tmp_path_factory) -> Iterator[Server]:
    """JupyterLab on an empty journal (its demo goes beside it, in the temp folder)."""
    root = _empty_workspace(tmp_path_factory, "lab-empty")
    port = free_port()
    cmd = [
        str(BIN / "jupyter"), "lab", "--no-browser", "--allow-root", f"--port={port}",
        "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0",
        "--IdentityProvider.token=", "--ServerApp.password=",
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.workspaces_dir={root / 'workspaces'}",
        f"--LabApp.user_settings_dir={root / 'user-settings'}",
        f"--LabApp.app_settings_dir={root / 'app-settings'}",
        f"--ServerApp.root_dir={root / 'notebooks'}",
    ]  # fmt: skip
    journal = root / "data" / "journal.sqlite"
    process = _launch("lab", cmd, cwd=root, env=_environment(root, journal),
                      log=root / "lab.log")
    server = Server("JupyterLab (empty journal)", f"http://127.0.0.1:{port}", process,
                    root / "lab.log", journal, root / "notebooks")
    try:
        server.wait_ready("/api/status")
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def app_empty(tmp_path_factory) -> Iterator[Server]:
    """The app (Voila over every notebook, as `make app` runs it) on an empty journal."""
    root = _empty_workspace(tmp_path_factory, "app-empty")
    port = free_port()
    cmd = [str(BIN / "voila"), str(root / "notebooks"), "--no-browser", f"--port={port}",
           "--Voila.ip=127.0.0.1", "--Voila.port_retries=0"]
    journal = root / "data" / "journal.sqlite"
    process = _launch("voila", cmd, cwd=root, env=_environment(root, journal),
                      log=root / "voila.log")
    server = Server("Voila (empty journal)", f"http://127.0.0.1:{port}", process,
                    root / "voila.log", journal, root / "notebooks")
    try:
        server.wait_ready("/")
        yield server
    finally:
        server.stop()


def _render(page, app: Server, prefix: str, ready: str):
    page.goto(f"{app.url}/voila/render/{notebook(prefix)}", timeout=90_000)
    page.locator(ready).first.wait_for(state="visible", timeout=90_000)


def _group_count(scope, group: str) -> int:
    text = scope.locator(f".av-group-{group}").first.inner_text()
    return int(re.search(r"\((\d+)\)", text)[1])


# --------------------------------------------------------------------------- Lab


def test_today_in_lab_empty_then_demo_then_one_interview(page, lab_empty):
    nb = LabNotebook(page, lab_empty, notebook("0-")).open().run_all()
    welcome = nb.widget("av-today-welcome")
    welcome.get_by_text("Welcome to afterview").wait_for()
    assert nb.widget("av-load-demo").is_visible()
    nb.shoot("today-empty")

    nb.widget("av-load-demo").click()
    nb.widget("av-today-banner").get_by_text("DEMO journal").wait_for(timeout=60_000)
    nb.widget("av-today-row").wait_for()
    assert _group_count(nb.page, "decided") > 10
    nb.shoot("today-demo")
    # your own journal stays empty; the demo is a file beside it
    assert journal_rows(lab_empty.journal, "SELECT count(*) AS n FROM interviews")[0]["n"] == 0
    assert (lab_empty.journal.parent / "demo.sqlite").is_file()

    nb.widget("av-show-own").click()
    welcome.get_by_text("Welcome to afterview").wait_for(timeout=30_000)
    nb.widget("av-quick-company", "input").fill("Nordlicht Robotics")
    nb.widget("av-quick-role", "input").fill("ML engineer")
    nb.widget("av-quick-time", "input").fill("08:30")
    nb.widget("av-quick-save").click()
    nb.widget("av-quick-status").get_by_text("Saved Nordlicht Robotics").wait_for()
    (row,) = journal_rows(lab_empty.journal, "SELECT company, role FROM interviews")
    assert (row["company"], row["role"]) == ("Nordlicht Robotics", "ML engineer")
    pipeline = nb.widget("av-pipeline")
    pipeline.get_by_text("Nordlicht Robotics").first.wait_for()
    assert _group_count(nb.page, "your-move") == 1
    steps = nb.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .av-today-row")
    assert steps.count() >= 5
    nb.shoot("today-one-interview", show=pipeline)
    assert nb.kernel_errors() == ""


def test_draft_from_an_agenda_row_in_lab(page, lab):
    """On the demo: Draft on a row opens the message form under it, pre-filled."""
    nb = LabNotebook(page, lab, notebook("0-")).open().run_all()
    draft = nb.widget("av-today-draft")
    draft.wait_for()
    row = nb.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .av-today-row",
                          has=nb.page.locator(".av-today-draft")).first
    words = row.locator(".av-today-row-text").inner_text()
    company = re.search(r"· ([^·(]+) \(", words)[1].strip()
    row.locator(".av-today-draft").click()
    body = nb.widget("av-msg-body", "textarea")
    page.wait_for_function("(el) => el.value.startsWith('Dear ')", arg=body.element_handle())
    picked = nb.widget("av-msg-interview", "select").evaluate(
        "(el) => el.options[el.selectedIndex].text")
    assert company in picked.replace("\u00a0", " ")
    kind = nb.widget("av-msg-kind", "select").evaluate(
        "(el) => el.options[el.selectedIndex].text")
    step = words.split("·")[1] if "·" in words else words
    assert kind.replace("\u00a0", " ") in {"follow-up", "heads-up to a reference",
                                           "thank-you letter",
                                           "reply to their request for information"}, step
    assert company in body.input_value() or company.split()[0] in body.input_value()
    nb.shoot("today-draft", show=body)
    assert nb.kernel_errors() == ""


def test_no_dialog_opening_any_notebook_on_a_fresh_workspace(browser, lab):
    """Each notebook in a browser and a workspace of its own: the kernel starts, and no
    dialog ("Select Kernel" or any other) ever opens."""
    names = sorted(p.name for p in Path(lab.root).glob("*.ipynb"))
    assert len(names) >= 4
    for name in names:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        try:
            page.goto(f"{lab.url}/lab/workspaces/fresh-{Path(name).stem}/tree/{name}?reset")
            page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden)", timeout=90_000)
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                dialog = page.locator(".jp-Dialog")
                if dialog.count():
                    shoot(page, f"lab-dialog-{Path(name).stem}")
                    pytest.fail(f"{name}: a dialog opened: {dialog.first.inner_text()[:200]}")
                if page.evaluate(_KERNEL_READY_JS, name):
                    break
                time.sleep(0.25)
            else:
                pytest.fail(f"{name}: no idle kernel after 90 s")
            time.sleep(1.0)  # a late dialog would show now
            assert page.locator(".jp-Dialog").count() == 0, name
        finally:
            context.close()


# --------------------------------------------------------------------------- the app


def test_app_empty_demo_visible_on_other_pages_and_logging(page, app_empty):
    _render(page, app_empty, "0-", ".av-today")
    page.get_by_text("Welcome to afterview").wait_for()
    links = page.locator(".av-nav-link")
    hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
    assert {notebook("1-"), notebook("2-"), notebook("3-")} <= hrefs
    shoot(page, "voila-today-empty")

    page.locator(".av-load-demo").first.click()
    page.locator(".av-today-banner").get_by_text("DEMO journal").wait_for(timeout=60_000)
    shoot(page, "voila-today-demo")
    # another page of the app, a kernel of its own, shows the demo too
    page.locator(".av-nav-link", has_text="Messages").first.click()
    page.locator(".av-messages").first.wait_for(timeout=90_000)
    assert "DEMO journal" in page.locator(".av-demo-note").first.inner_text()
    options = page.locator(".av-msg-interview select option")
    assert options.count() > 10  # the demo's interviews
    shoot(page, "voila-messages-demo")

    _render(page, app_empty, "0-", ".av-today")
    page.locator(".av-show-own").first.click()
    page.get_by_text("Welcome to afterview").wait_for(timeout=30_000)

    # logging in the app: the full interview form is one of its pages
    _render(page, app_empty, "1-", ".av-interview-form")
    assert "DEMO" not in page.locator(".av-demo-note").first.inner_text()
    page.locator(".av-company input").first.fill("Fjordline Analytics")
    page.locator(".av-role input").first.fill("Data engineer")
    page.locator(".av-start-time input").first.fill("10:00")
    page.locator(".av-iv-name input").first.fill("Maya Keller")
    page.locator(".av-save").first.click()
    page.locator(".av-status").get_by_text(re.compile("Saved new interview")).wait_for()
    (row,) = journal_rows(app_empty.journal, "SELECT id, company FROM interviews")
    assert row["company"] == "Fjordline Analytics"
    shoot(page, "voila-form-saved")

    _render(page, app_empty, "0-", ".av-today")
    page.locator(".av-pipeline").get_by_text("Fjordline Analytics").first.wait_for()
    assert page.locator(".av-today-row").count() >= 5
    shoot(page, "voila-today-one-interview")
    assert page.dialogs == [] and page.js_errors == []


def test_app_draft_from_an_agenda_row(page, app):
    _render(page, app, "0-", ".av-today")
    row = page.locator(".av-today-row", has=page.locator(".av-today-draft")).first
    row.wait_for(timeout=60_000)
    row.locator(".av-today-draft").click()
    body = page.locator(".av-today-panel .av-msg-body textarea").first
    page.wait_for_function("(el) => el.value.startsWith('Dear ')", arg=body.element_handle())
    recipient = page.locator(".av-today-panel .av-msg-recipient select").first.evaluate(
        "(el) => el.options[el.selectedIndex].text").replace("\u00a0", " ")
    first_name = recipient.split()[-2] if recipient.startswith("Dr") else recipient.split()[0]
    assert first_name in body.input_value().splitlines()[0]
    body.scroll_into_view_if_needed()
    shoot(page, "voila-today-draft")
    assert page.dialogs == [] and page.js_errors == []
