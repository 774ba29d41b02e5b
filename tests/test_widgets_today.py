"""Today in the kernel: driven as a user would (set .value, .click()), checked in the
journal and in what the widgets show."""

from __future__ import annotations

from datetime import UTC, date, datetime

import ipywidgets as ipw
import pytest

from afterview_analysis.journal import Journal
from afterview_analysis.records import (
    Interview,
    Interviewer,
    Message,
    PlaybookStep,
    Profile,
    Step,
)
from afterview_analysis.widgets import TodayView, open_journal, page
from afterview_analysis.widgets.workbook import demo_path, nav_html, showing_demo
from tests.views import walk

NOW = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
HOSTILE = "<img src=x onerror=alert(1)>Acme"


@pytest.fixture
def own(tmp_path):
    path = tmp_path / "journal.sqlite"
    with Journal(path) as j:
        j.update(Profile(name="Ada", timezone="Europe/Berlin"))
    return path


def _today(path) -> TodayView:
    return TodayView(Journal(path), now=lambda: NOW)


def _log(view: TodayView, company="Acme", role="Analyst", day=date(2026, 3, 2), at="10:00"):
    view.quick["company"].value = company
    view.quick["role"].value = role
    view.quick["start_date"].value = day
    view.quick["start_time"].value = at
    view.quick_save.click()


def _row(view: TodayView, step: str):
    return next(r for r in view.rows.values() if r.item.step == step)


def test_an_empty_journal_welcomes_and_offers_the_demo(own):
    view = _today(own)
    assert "Welcome" in view.welcome.value and view.demo_button.layout.display is None
    assert view.rows == {} and "No interviews yet" in view.pipeline_html.value
    view.demo_button.click()
    # the demo is a separate file; every page opened from now on shows it
    assert str(view.journal.path) == str(demo_path(own))
    assert showing_demo(own) and view.demo_button.layout.display == "none"
    assert "DEMO journal" in view.banner.value
    other = open_journal(own)
    assert str(other.path) == str(demo_path(own)) and not other.is_empty()
    assert "DEMO journal" in page(view, "0-", own=own).children[1].value  # other pages say so
    with Journal(own) as mine:
        assert mine.is_empty()  # your own journal never gets the demo
    view.own_button.click()
    assert not showing_demo(own) and str(open_journal(own).path) == str(own)
    assert "Welcome" in view.welcome.value


def test_quick_log_refuses_bad_input_keeps_it_and_then_saves(own):
    view = _today(own)
    _log(view, company="", at="25:00")
    assert "Company" in view.quick_errors["company"].value
    assert "time" in view.quick_errors["starts_at"].value
    assert "Not saved" in view.quick_status.value
    assert view.quick["start_time"].value == "25:00" and view.quick["role"].value == "Analyst"
    assert Journal(own).find(Interview) == []
    _log(view)
    (iv,) = Journal(own).find(Interview)
    assert (iv.company, iv.role) == ("Acme", "Analyst")
    assert iv.starts_at == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
    assert "Saved Acme" in view.quick_status.value
    assert view.quick_errors["company"].value == "" and view.welcome.value == ""
    # it is the user's move: the thank-you and the rest are on the agenda
    assert "Your move (1)" in view.pipeline_html.value
    assert {r.item.step for r in view.rows.values()} >= {"thank_you", "review_profiles"}


def _quiet(path, company="Quietco"):
    """An interview whose promised date (9 Feb) is three weeks before NOW, unanswered."""
    iv = Interview(company=company, role="Analyst", feedback_by=date(2026, 2, 9),
                   starts_at=datetime(2026, 2, 2, 9, 0, tzinfo=UTC))
    with Journal(path) as j:
        j.add(iv)
    return iv


def test_an_empty_your_move_says_whose_overdue_steps_the_list_shows(own):
    _quiet(own)
    view = _today(own)
    html = view.pipeline_html.value
    assert "Gone quiet (1)" in html and "Your move (0)" in html
    overdue = sum(r.item.status == "overdue" for r in view.rows.values())
    assert overdue >= 1  # the agenda still lists them...
    n = "1 overdue step below is" if overdue == 1 else f"{overdue} overdue steps below are"
    assert f"{n} for Quietco (gone quiet)." in html  # ...and Your move says why
    # once it is the user's move elsewhere, the box lists that and no longer explains
    _log(view, company="Newco", day=date(2026, 3, 2))
    html = view.pipeline_html.value
    assert "Your move (1)" in html and "overdue step" not in html.split("Waiting")[0]


def test_an_empty_your_move_with_nothing_overdue_says_only_none(own):
    iv = _quiet(own)
    with Journal(own) as j:  # every step ticked: nothing overdue anywhere
        for step in Step:
            j.add(PlaybookStep(interview_id=iv.id, step=step, done_at=NOW))
    html = _today(own).pipeline_html.value
    assert "Gone quiet (1)" in html and "<i>none</i></div>" in html.split("Waiting")[0]


def test_done_ticks_the_step_and_undo_takes_it_back(own):
    view = _today(own)
    _log(view)
    row = _row(view, "assess_performance")
    row.done.click()
    (tick,) = Journal(own).find(PlaybookStep)
    assert tick.step == "assess_performance" and tick.done_at == NOW
    row = _row(view, "assess_performance")
    assert row.item.status == "done" and row.done.description == "Undo"
    assert "<b>done</b>" in row.text.value
    row.done.click()
    assert Journal(own).find(PlaybookStep) == []
    assert _row(view, "assess_performance").done.description == "Done"


def test_rows_keep_their_widgets_and_buttons_have_one_width(own):
    view = _today(own)
    _log(view)
    before = {uid: r.widget for uid, r in view.rows.items()}
    _row(view, "ask_next_steps").done.click()
    assert all(view.rows[uid].widget is w for uid, w in before.items())  # updated, not rebuilt
    widths = {(b.layout.width, b.layout.min_width, b.layout.flex)
              for r in view.rows.values() for b in (r.done, r.act)}
    assert widths == {("92px", "92px", "0 0 auto")}


def test_draft_opens_the_message_form_pre_filled_under_its_row(own):
    with Journal(own) as j:
        iv = Interview(company="Acme", role="Analyst",
                       starts_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
        j.add(iv)
        j.add(Interviewer(interview_id=iv.id, name="Maya Keller", email="maya@acme.example"))
        j.add(Interviewer(interview_id=iv.id, name="Jonas Okafor"))
    view = _today(own)
    row = _row(view, "thank_you")
    assert row.act.description == "Draft"
    row.act.click()
    m = view.messages
    assert (m.interview.value, m.kind.value) == (iv.id, "thank_you")
    assert m.fields["body"].value.startswith("Dear Maya")
    assert m.fields["recipient_email"].value == "maya@acme.example"
    children = list(view.agenda_box.children)
    assert children[children.index(row.widget) + 1] is view.panel  # right under the row
    m.sent_button.click()  # saved and marked sent: the thank-you step is done
    assert [x.sent_at for x in Journal(own).find(Message)] == [NOW]
    assert _row(view, "thank_you").item.status == "done"
    view.close_button.click()
    assert view.panel not in view.agenda_box.children


def test_open_shows_the_interview_form_for_steps_that_are_not_messages(own):
    view = _today(own)
    _log(view, company="Acme")
    row = _row(view, "assess_performance")
    assert row.act.description == "Open"
    row.act.click()
    assert view.form.fields["company"].value == "Acme"


def test_review_step_links_the_profiles_completed_with_https(own):
    with Journal(own) as j:
        j.update(Profile(name="Ada", timezone="Europe/Berlin",
                         linkedin="https://linkedin.com/in/ada"))
    view = _today(own)
    view.profile_form.fields["github"].value = "github.com/ada"  # no https:// typed
    view.profile_form.save_button.click()
    assert Journal(own).profile().github == "https://github.com/ada"
    _log(view)
    text = _row(view, "review_profiles").text.value
    assert '<a href="https://linkedin.com/in/ada"' in text
    assert '<a href="https://github.com/ada"' in text


def test_a_never_saved_profile_opens_with_the_computers_zone(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "America/Chicago")
    view = TodayView(Journal(tmp_path / "j.sqlite"), now=lambda: NOW)
    assert view.profile_box.selected_index == 0  # open: fill it in first
    assert view.profile_form.fields["timezone"].value == "America/Chicago"
    assert "Europe/Berlin" in view.profile_form.fields["timezone"].options
    view.profile_form.fields["timezone"].value = "Berlin"  # a city alone is understood
    view.profile_form.save_button.click()
    assert view.journal.profile().timezone == "Europe/Berlin"
    assert view.profile_form.fields["timezone"].value == "Europe/Berlin"
    assert "in Europe/Berlin" in view.banner.value


def test_hostile_company_is_shown_as_text(own):
    view = _today(own)
    _log(view, company=HOSTILE)
    html = "".join(w.value for w in walk(view.widget) if isinstance(w, ipw.HTML))
    assert "<img" not in html and "&lt;img src=x" in html


def test_the_demo_today_has_an_agenda_and_every_page_links_the_others(demo_journal, tmp_path):
    view = TodayView(demo_journal, now=lambda: datetime(2026, 11, 12, 9, tzinfo=UTC))
    assert view.rows and all(r.item.is_open or r.item.status == "done"
                             for r in view.rows.values())
    assert "Decided" in view.pipeline_html.value and "Gone quiet" in view.pipeline_html.value
    links = nav_html("2-")
    for name in ("0-today.ipynb", "1-after-the-interview.ipynb", "3-messages.ipynb"):
        assert f'href="{name}"' in links
    assert "<b>Reflect</b>" in links and 'href="2-reflect.ipynb"' not in links


def test_the_demo_marker_is_written_all_at_once(own, monkeypatch):
    """The marker saying "the demo is on" is written to a temporary file and renamed: a disk
    that fills while it is written leaves no marker (your journal stays shown), no temporary
    file, and one line; with room on the disk the same click writes it whole."""
    import errno
    import os

    marker = own.with_name(own.name + ".showing-demo")
    view = _today(own)

    def full_disk(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    view.demo_button.click()
    assert view.status.value.count("The demo is not shown: cannot write") == 1
    assert "the disk is full; nothing was written" in view.status.value
    assert not marker.exists() and not showing_demo(own)
    assert str(view.journal.path) == str(own) and "Welcome" in view.welcome.value
    assert list(own.parent.glob(".*.part")) == []

    monkeypatch.undo()
    view.demo_button.click()
    assert marker.read_text(encoding="utf-8") == f"{demo_path(own)}\n"
    assert showing_demo(own) and str(view.journal.path) == str(demo_path(own))
    assert list(own.parent.glob(".*.part")) == []
