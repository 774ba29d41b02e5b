"""Hostile text in a real browser: every payload saved in every text field, every notebook
rendered (Voila, 127.0.0.1), and no script runs, no dialog opens, no payload becomes markup.

The payloads (``tests/hostile.py``) set ``window.__afterview_xss`` instead of calling
``alert``; the ``page`` fixture also fails the test on any JavaScript dialog.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from afterview_analysis.journal import Journal
from tests.browser.conftest import (
    BIN,
    NOTEBOOKS,
    Server,
    _environment,
    _launch,
    free_port,
    notebook,
    shoot,
)
from tests.hostile import XSS_PAYLOADS, add_hostile_interview

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

# What would be on the page had any payload become markup.
LIVE_MARKUP = (
    "img[src='x'], svg[onload], iframe[srcdoc], iframe[src^='javascript'], "
    "a[href^='javascript' i], details[ontoggle], input[onfocus], body[onload], "
    "marquee, object[data^='javascript'], embed[src^='javascript'], "
    ".jupyter-widgets script, .widget-html script"
)


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory) -> Iterator[Server]:
    """Voila over all four notebooks, on a journal holding every payload everywhere."""
    root = tmp_path_factory.mktemp("hostile")
    journal = root / "journal.sqlite"
    with Journal(journal) as j:
        for day, payload in enumerate(XSS_PAYLOADS):
            add_hostile_interview(j, payload, day=day)
    port = free_port()
    cmd = [
        str(BIN / "voila"), str(NOTEBOOKS), "--no-browser", f"--port={port}",
        "--Voila.ip=127.0.0.1", "--Voila.port_retries=0",
    ]  # fmt: skip
    process = _launch("voila", cmd, cwd=root, env=_environment(root, journal),
                      log=root / "voila.log")
    server = Server("Voila (hostile journal)", f"http://127.0.0.1:{port}", process,
                    root / "voila.log", journal, NOTEBOOKS)
    try:
        server.wait_ready("/")
        yield server
    finally:
        server.stop()


def _assert_inert(page, what: str) -> None:
    time.sleep(1.0)  # give an onerror / onload handler the chance to fire
    assert page.evaluate("() => window.__afterview_xss") is None, f"script ran in {what}"
    assert page.locator(LIVE_MARKUP).count() == 0, f"live markup in {what}"
    assert page.dialogs == [] and page.js_errors == []


@pytest.mark.parametrize(
    ("prefix", "ready"),
    [("0-", ".av-today"), ("2-", ".av-reflect"), ("3-", ".av-messages")],
)
def test_hostile_journal_renders_inert(page, hostile_app, prefix, ready):
    name = notebook(prefix)
    page.goto(f"{hostile_app.url}/voila/render/{name}", timeout=90_000)
    page.locator(ready).first.wait_for(state="visible", timeout=90_000)
    _assert_inert(page, name)
    shoot(page, f"hostile-{prefix}")


def test_hostile_interview_loaded_in_the_form_is_inert(page, hostile_app):
    name = notebook("1-")
    page.goto(f"{hostile_app.url}/voila/render/{name}", timeout=90_000)
    picker = page.locator(".av-interview-picker select").first
    picker.wait_for(state="visible", timeout=90_000)
    notes = page.locator(".av-notes textarea").first
    for index in (1, 7, len(XSS_PAYLOADS)):  # a few of the logged interviews
        picker.select_option(index=index)
        page.wait_for_function("(el) => el.value.includes('afterview_xss')",
                               arg=notes.element_handle(), timeout=30_000)
        _assert_inert(page, f"{name}, interview {index}")
    shoot(page, "hostile-1-")
