"""`make app`: the whole workbook as a standalone Voila app, checked in a real Chromium.

The ``app`` fixture runs the Makefile's own recipe on a free port of 127.0.0.1 with a
private copy of the demo journal; these tests look only at what a visitor sees.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import journal_rows, notebook, shoot

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]


def _render(page, app, prefix: str, ready: str):
    name = notebook(prefix)
    page.goto(f"{app.url}/voila/render/{name}", timeout=90_000)
    page.locator(ready).first.wait_for(state="visible", timeout=90_000)
    return name


def test_app_opens_on_today_and_lists_every_notebook(page, app):
    """The app is the whole workbook: it opens on Today, and its listing holds Today, the
    interview form, Reflect, Messages."""
    page.goto(app.url + "/", timeout=90_000)
    page.locator(".av-today").first.wait_for(state="visible", timeout=90_000)
    assert page.url.endswith("/voila/render/" + notebook("0-"))
    shoot(page, "voila-start-page")
    page.goto(app.url + "/voila/tree")
    try:
        page.get_by_text(notebook("0-")).first.wait_for(timeout=30_000)
    except Exception:  # once, under load, the listing stayed empty: ask again
        page.reload()
    for prefix in ("0-", "1-", "2-", "3-"):
        page.get_by_text(notebook(prefix)).first.wait_for(timeout=60_000)
    assert page.dialogs == []


def test_app_reflect_renders_widgets_and_trend_picture(page, app):
    _render(page, app, "2-", ".av-reflect")
    trend = page.locator(".av-trend-image").first
    trend.wait_for(state="visible", timeout=60_000)
    page.wait_for_function(
        "(el) => el.complete && el.naturalWidth > 200", arg=trend.element_handle()
    )
    assert "problem solving" in page.locator(".av-weak-table").first.inner_text()
    # code cells are hidden in the app
    assert page.locator(".jp-InputArea-editor, .CodeMirror, .cm-editor").count() == 0
    trend.scroll_into_view_if_needed()
    shoot(page, "voila-2-reflect")
    assert page.dialogs == []


def test_app_messages_renders_a_thank_you_draft(page, app):
    _render(page, app, "3-", ".av-messages")
    body = page.locator(".av-msg-body textarea").first
    page.wait_for_function("(el) => el.value.startsWith('Dear ')", arg=body.element_handle())
    greeting = body.input_value().splitlines()[0]
    # the default interview is the newest; its interviewers come from the journal
    names = [
        r["name"]
        for r in journal_rows(
            app.journal,
            "SELECT name FROM interviewers WHERE interview_id = "
            "(SELECT id FROM interviews ORDER BY starts_at DESC LIMIT 1)",
        )
    ]
    assert names, "the newest demo interview should have an interviewer"
    assert any(name.split()[0] in greeting for name in names), (greeting, names)
    body.scroll_into_view_if_needed()
    shoot(page, "voila-3-messages")
    assert page.dialogs == []
