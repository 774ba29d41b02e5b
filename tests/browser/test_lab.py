"""The workbook in JupyterLab, in a real Chromium: what only a browser can show.

Each test opens a notebook the way a user does, runs all cells, waits until every cell
has run and the kernel is idle, and then works only through the page (typing, clicking),
checking what appears on screen and, for saves, what lands in the SQLite journal.
Screenshots go to screenshots/ (git-ignored).
"""

from __future__ import annotations

import re

import pytest

from afterview_analysis.demo import WEAK_SKILL
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
    assert nb.kernel_errors() == ""
    assert page.dialogs == []


def _decoded(img) -> tuple[int, int]:
    """(naturalWidth, naturalHeight) of an <img>: > 0 only once the picture has decoded."""
    img.wait_for(state="visible")
    img.page.wait_for_function(
        "(el) => el.complete && el.naturalWidth > 0", arg=img.element_handle()
    )
    return tuple(img.evaluate("(el) => [el.naturalWidth, el.naturalHeight]"))


def test_reflect_shows_the_trend_picture_in_lab(page, lab):
    """Reflect answers each question with a picture, and its trend explorer (folded under
    "Am I improving?" until its button is pressed) redraws the skill-trend picture when
    switched to categories."""
    nb = LabNotebook(page, lab, notebook("2-")).open().run_all()
    assert nb.widget("av-trend-image").count() == 0  # nothing drawn while folded
    nb.widget("av-trend-toggle").click()
    trend = nb.widget("av-trend-image")
    width, height = _decoded(trend)
    assert width > 200 and height > 150
    before = trend.get_attribute("src")
    # the demo's known weak skill is named in the weak-areas table, with its n
    weak = nb.widget("av-weak-table")
    assert WEAK_SKILL in weak.inner_text()
    nb.shoot("1-trends", show=trend)

    nb.widget("av-trend-kind").get_by_role("button", name="question categories").click()
    page.wait_for_function(
        "([el, old]) => el.getAttribute('src') !== old && el.naturalWidth > 0",
        arg=[trend.element_handle(), before],
    )
    assert nb.widget("av-error-trend").inner_text().strip() == ""
    nb.shoot("2-categories", show=trend)
    # the story's answers above it each carry one picture (funnel, calibration, ...)
    figures = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) img.av-figure")
    assert figures.count() >= 4
    for i in range(figures.count()):
        figures.nth(i).scroll_into_view_if_needed()
        assert _decoded(figures.nth(i))[0] > 200, f"picture {i} of the story"
    assert nb.kernel_errors() == ""
    assert page.dialogs == []


def _interview_with_interviewers(journal_path, at_least: int = 2):
    """A demo interview with several interviewers, as (picker label, names in order)."""
    from afterview_analysis.journal import Journal
    from afterview_analysis.widgets.interview_view import interview_choices

    rows = journal_rows(
        journal_path,
        "SELECT interview_id, group_concat(name, '|') AS names, count(*) AS n "
        "FROM (SELECT * FROM interviewers ORDER BY rowid) GROUP BY interview_id "
        "HAVING n >= ? ORDER BY interview_id LIMIT 1",
        (at_least,),
    )
    assert rows, "the demo should have an interview with several interviewers"
    with Journal(journal_path, create=False) as j:
        labels = dict((v, k) for k, v in interview_choices(j, j.profile().timezone))
    return labels[rows[0]["interview_id"]], rows[0]["names"].split("|")


def _open_messages_on(page, lab, label: str, names: list[str]):
    nb = LabNotebook(page, lab, notebook("3-")).open().run_all()
    body = nb.widget("av-msg-body", "textarea")
    body.wait_for(state="visible")
    nb.widget("av-msg-interview", "select").select_option(label=label)
    nb.widget("av-msg-kind", "select").select_option(label="thank-you letter")
    recipient = nb.widget("av-msg-recipient", "select")
    page.wait_for_function(  # the recipients follow the chosen interview
        "([el, names]) => [...el.options].map(o => o.text.replace(/\\u00a0/g, ' '))"
        ".sort().join('|') === [...names].sort().join('|')",
        arg=[recipient.element_handle(), names],
    )
    return nb, body, recipient


def _selected(recipient) -> str:
    return recipient.evaluate(  # ipywidgets shows spaces as no-break spaces
        "(el) => el.options[el.selectedIndex].text.replace(/\\u00a0/g, ' ')"
    )


def _wait_for_greeting(page, body, name: str) -> str:
    given = name.split()[0]  # letters greet by the given name: "Dear Lena,"
    page.wait_for_function(
        "([el, name]) => el.value.split('\\n')[0].includes(name)",
        arg=[body.element_handle(), given],
    )
    return body.input_value()


def test_messages_drafts_a_thank_you_naming_the_interviewer_in_lab(page, lab):
    """Pick an interview: the thank-you draft greets the interviewer shown as recipient."""
    label, names = _interview_with_interviewers(lab.journal)
    nb, body, recipient = _open_messages_on(page, lab, label, names)
    shown = _selected(recipient)
    assert shown in names
    draft = _wait_for_greeting(page, body, shown)
    assert "thank" in draft.lower()
    assert label.split(" · ")[1] in draft  # the company
    nb.shoot("1-thank-you", show=body)
    assert nb.kernel_errors() == ""
    assert page.dialogs == []


def test_messages_redrafts_for_another_recipient_in_lab(page, lab):
    """Choosing another interviewer in "To" rewrites the thank-you draft for them."""
    label, names = _interview_with_interviewers(lab.journal)
    nb, body, recipient = _open_messages_on(page, lab, label, names)
    _wait_for_greeting(page, body, _selected(recipient))
    other = next(name for name in names if name != _selected(recipient))
    recipient.select_option(label=other)
    try:
        _wait_for_greeting(page, body, other)
    finally:
        nb.shoot("2-other-recipient", show=body)
    assert nb.kernel_errors() == ""
