"""The workbook in JupyterLab, in a real Chromium: what only a browser can show.

Each test opens a notebook the way a user does, runs all cells, waits until every cell
has run and the kernel is idle, and then works only through the page (typing, clicking),
checking what appears on screen and, for saves, what lands in the SQLite journal.
Screenshots go to screenshots/ (git-ignored).
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import LabNotebook, journal_rows, notebook

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

COMPANY = "Nordlicht Robotics (browser test)"
QUESTION = "Tell us about a model you shipped & what broke <first>."
HOSTILE_NOTE = "<img src=x onerror=alert('xss')><script>alert('xss')</script> notes"


def _interviews_named(lab, company: str) -> list:
    return journal_rows(lab.journal, "SELECT * FROM interviews WHERE company = ?", (company,))


def test_log_an_interview_in_lab(page, lab):
    """Fill the new-interview form, meet the score error, fix it, save, find the row."""
    nb = LabNotebook(page, lab, notebook("1-")).open().run_all()
    form = nb.widget("av-interview-form")
    form.wait_for(state="visible")
    assert _interviews_named(lab, COMPANY) == []

    nb.widget("av-company", "input").fill(COMPANY)
    nb.widget("av-role", "input").fill("Machine learning engineer")
    nb.widget("av-start-time", "input").fill("10:00")
    nb.widget("av-notes", "textarea").fill(HOSTILE_NOTE)
    nb.widget("av-iv-name", "input").fill("Ada Quill")
    nb.widget("av-q-text", "textarea").fill(QUESTION)
    nb.widget("av-q-score", "input").fill("9")  # out of range
    nb.shoot("1-filled", show=nb.widget("av-q-score"))

    nb.widget("av-save").click()
    score_error = nb.widget("av-error-q-score")
    score_error.get_by_text("5").wait_for()  # "... a whole number from 1 to 5"
    assert "score" in score_error.inner_text().lower()
    status = nb.widget("av-status")
    assert "Not saved" in status.inner_text()
    # Nothing written, nothing the user typed is lost.
    assert _interviews_named(lab, COMPANY) == []
    assert nb.widget("av-q-text", "textarea").input_value() == QUESTION
    assert nb.widget("av-company", "input").input_value() == COMPANY
    nb.shoot("2-score-error", show=score_error)

    nb.widget("av-q-score", "input").fill("4")
    nb.widget("av-save").click()
    status.get_by_text(re.compile(r"✔ Saved new interview")).wait_for()
    assert "Not saved" not in status.inner_text()
    assert COMPANY in status.inner_text()
    assert nb.widget("av-error-q-score").inner_text().strip() == ""
    nb.shoot("3-saved", show=status)

    (row,) = _interviews_named(lab, COMPANY)
    assert row["role"] == "Machine learning engineer"
    assert row["notes"] == HOSTILE_NOTE  # stored as typed; shown escaped
    questions = journal_rows(
        lab.journal, "SELECT text, score FROM questions WHERE interview_id = ?", (row["id"],)
    )
    assert [(q["text"], q["score"]) for q in questions] == [(QUESTION, 4)]
    names = journal_rows(
        lab.journal, "SELECT name FROM interviewers WHERE interview_id = ?", (row["id"],)
    )
    assert [n["name"] for n in names] == ["Ada Quill"]
    assert page.dialogs == []
