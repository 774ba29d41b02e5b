"""Prepare in a real browser: the bank and the prep sheet in the app (Voila), the printed
sheet, and hostile text kept inert in all of them."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from afterview_analysis.journal import Journal
from afterview_analysis.prep import prep_sheet, render_html
from tests.browser.conftest import (
    BIN,
    NOTEBOOKS,
    Server,
    _environment,
    _launch,
    free_port,
    journal_rows,
    notebook,
    shoot,
)
from tests.browser.test_hostile import LIVE_MARKUP
from tests.hostile import XSS_PAYLOADS, add_hostile_interview

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def _inert(page, what: str) -> None:
    time.sleep(1.0)  # give an onerror / onload handler the chance to fire
    assert page.evaluate("() => window.__afterview_xss") is None, f"script ran in {what}"
    assert page.locator(LIVE_MARKUP).count() == 0, f"live markup in {what}"
    assert page.dialogs == []


def test_app_prepare_shows_the_bank_and_keeps_a_best_answer(page, app):
    page.goto(f"{app.url}/voila/render/{notebook('4-')}", timeout=90_000)
    page.locator(".av-bank-detail h3").first.wait_for(state="visible", timeout=90_000)
    assert "questions" in page.locator(".av-bank-summary").first.inner_text()
    assert "95 % interval" in page.locator(".av-bank-summary").first.inner_text()
    page.locator(".av-prep-preview h1").first.wait_for(state="visible", timeout=60_000)
    best = page.locator(".av-bank-best textarea").first
    best.fill("Start from the decision the numbers serve.")
    page.locator(".av-bank-save-best button, button.av-bank-save-best").first.click()
    page.locator(".av-bank-status").get_by_text("Best answer kept").wait_for(timeout=30_000)
    rows = journal_rows(app.journal, "SELECT best_answer FROM question_groups")
    assert "Start from the decision the numbers serve." in [r["best_answer"] for r in rows]
    # the score over time is drawn, with dates under it, and said in words
    picture = page.locator(".av-bank-detail svg.av-bank-score-picture").first
    picture.wait_for(state="visible", timeout=30_000)
    box = picture.bounding_box()
    assert box["width"] > 300 and box["height"] > 80
    assert "Score over time" in picture.get_attribute("aria-label")
    assert picture.locator("text").filter(has_text="-").count() >= 2  # dates on the axis
    # your own questions to ask: typed, kept, and on the sheet instead of the suggestions
    page.locator(".av-prep-questions textarea").first.fill("Who would I work with most?")
    page.locator(".av-prep-questions-save button, button.av-prep-questions-save").first.click()
    page.locator(".av-prep-questions-status").get_by_text("Kept 1 question").wait_for(
        timeout=30_000)
    page.locator(".av-prep-preview").get_by_text("Who would I work with most?").wait_for(
        timeout=30_000)
    rows = journal_rows(app.journal, "SELECT questions_to_ask FROM profile")
    assert rows[0]["questions_to_ask"] == "Who would I work with most?"
    shoot(page, "voila-4-prepare")


@pytest.fixture(scope="module")
def hostile_prepare(tmp_path_factory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("hostile-prepare")
    journal = root / "journal.sqlite"
    with Journal(journal) as j:
        for day, payload in enumerate(XSS_PAYLOADS):
            add_hostile_interview(j, payload, day=day)
    port = free_port()
    cmd = [str(BIN / "voila"), str(NOTEBOOKS), "--no-browser", f"--port={port}",
           "--Voila.ip=127.0.0.1", "--Voila.port_retries=0"]
    process = _launch("voila", cmd, cwd=root, env=_environment(root, journal),
                      log=root / "voila.log")
    server = Server("Voila (hostile prepare)", f"http://127.0.0.1:{port}", process,
                    root / "voila.log", journal, NOTEBOOKS)
    try:
        server.wait_ready("/")
        yield server
    finally:
        server.stop()


def test_hostile_bank_and_sheet_are_inert(page, hostile_prepare):
    name = notebook("4-")
    page.goto(f"{hostile_prepare.url}/voila/render/{name}", timeout=90_000)
    picker = page.locator(".av-bank-picker select").first
    picker.wait_for(state="visible", timeout=90_000)
    page.locator(".av-prep-preview h1").first.wait_for(state="visible", timeout=60_000)
    _inert(page, name)
    for index in (1, 5, 9):  # a few of the questions, each shown with its askings
        picker.select_option(index=index)
        time.sleep(1.0)
        _inert(page, f"{name}, question {index}")
    shoot(page, "hostile-4-")


def test_the_printed_sheet_is_inert_and_fits_the_page(page, tmp_path):
    with Journal(tmp_path / "j.sqlite") as j:
        for day, payload in enumerate(XSS_PAYLOADS):
            add_hostile_interview(j, payload, day=day)
        company = j.rows("interviews")[0]["company"]
        html = render_html(prep_sheet(j, company, "onsite"))
    sheet = tmp_path / "prep.html"
    sheet.write_text(html, encoding="utf-8")
    page.goto(sheet.as_uri())
    _inert(page, "the prep sheet")
    page.emulate_media(media="print")
    _inert(page, "the printed prep sheet")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 1400  # nothing wider than the page
    shoot(page, "prep-sheet-print")
