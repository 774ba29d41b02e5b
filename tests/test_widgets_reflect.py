"""The Reflect view, driven in the kernel: pickers, pictures, tables, the empty state."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import ipywidgets as ipw
import pytest

from afterview_analysis import story
from afterview_analysis.demo import DEMO_END, WEAK_SKILL
from afterview_analysis.journal import Journal
from afterview_analysis.records import Profile
from afterview_analysis.widgets import InterviewFormView
from afterview_analysis.widgets.reflect import ReflectView
from tests.views import walk

AFTER_DEMO = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n"
HOSTILE = "<img src=x onerror=alert(1)>"


def rows(table_html):
    """The first cell of each body row of an HTML table."""
    body = table_html.split("<tbody>", 1)[-1]
    return re.findall(r"<tr>\s*<td[^>]*>([^<]*)</td>", body)


@pytest.fixture
def view(demo_journal, tmp_path):
    return ReflectView(demo_journal, now=lambda: AFTER_DEMO, demo_path=tmp_path / "demo.sqlite")


def test_every_section_is_shown_for_the_demo(view):
    assert view.demo_button.layout.display == "none"
    assert bytes(view.trend_image.value).startswith(PNG)
    for box in (view.responses, view.calibration, view.funnel):
        images = [w for w in walk(box) if isinstance(w, ipw.Image)]
        assert images and all(bytes(i.value).startswith(PNG) for i in images)
    assert not hasattr(view, "agenda")  # the agenda moved to Today
    assert "Brier score" in view.calibration.children[0].value
    assert "share moved on" in view.funnel.children[0].value


def test_weak_areas_and_focus_name_the_weak_skill(view):
    assert WEAK_SKILL in view.weak_table.value
    assert rows(view.weak_table.value)[0] == "1"  # ranked
    assert WEAK_SKILL in view.focus.value
    # the level carries its n and its interval, named in words, never as columns
    for column in ("interviews in it", "95 % range from", "to"):
        assert f">{column}<" in view.focus.value
    assert "recent_n" not in view.focus.value and "recent_low" not in view.focus.value


def test_area_picker_limits_the_trend_table(view):
    all_areas = rows(view.trend_table.value)
    assert len(all_areas) == 6
    view.trend_areas.value = ("communication", WEAK_SKILL)
    assert sorted(rows(view.trend_table.value)) == sorted(["communication", WEAK_SKILL])
    before = bytes(view.trend_image.value)
    view.trend_areas.value = ("communication",)
    assert rows(view.trend_table.value) == ["communication"]
    after = bytes(view.trend_image.value)
    assert after != before and after.startswith(PNG)


def test_date_range_limits_the_scores_counted(view):
    def n_communication():
        view.trend_areas.value = ("communication",)
        cells = re.findall(r"<td[^>]*>([^<]*)</td>", view.trend_table.value.split("<tbody>")[1])
        return int(cells[1])

    everything = n_communication()
    view.trend_from.value = date(2026, 1, 1)
    view.trend_to.value = DEMO_END
    this_year = n_communication()
    assert 0 < this_year < everything
    view.trend_from.value = date(2027, 1, 1)  # after "to"
    assert "From must be on or before To" in view.trend_error.value


def test_category_view_lists_question_categories(view):
    view.trend_kind.value = "category"
    shown = dict(view.trend_areas.options)  # words shown -> the area's value
    assert shown["system design"] == "system_design"
    assert "communication" not in shown
    assert "system design" in view.trend_table.value
    assert "system_design" not in view.trend_table.value


def test_empty_journal_offers_the_demo_in_a_separate_journal(tmp_path):
    mine = Journal(tmp_path / "mine.sqlite")
    demo_path = tmp_path / "demo.sqlite"
    view = ReflectView(mine, now=lambda: AFTER_DEMO, demo_path=demo_path)
    assert "Nothing to reflect on yet" in view.banner.value
    assert view.body.children == ()
    assert view.demo_button.layout.display != "none"

    view.demo_button.click()

    assert mine.is_empty()  # the user's journal got nothing
    assert Journal(demo_path).counts()["interviews"] > 30
    assert "DEMO journal" in view.banner.value
    assert bytes(view.trend_image.value).startswith(PNG)
    assert "untouched" in view.status.value
    mine.close()


def test_an_interview_logged_in_the_form_shows_up(tmp_path):
    j = Journal(tmp_path / "mine.sqlite")
    j.update(Profile(timezone="Europe/Berlin"))
    now = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
    form = InterviewFormView(j, now=lambda: now)
    form.fields["company"].value = HOSTILE
    form.fields["role"].value = "Analyst"
    form.fields["start_date"].value = date(2026, 3, 2)
    for i in range(3):
        if i:
            form.add_question_button.click()
        form.question_rows[i].fields["text"].value = f"Q{i}"
        form.question_rows[i].fields["score"].value = "2"
        form.question_rows[i].fields["category"].value = "behavioural"  # practises communication
        form.question_rows[i].fields["next_time"].value = HOSTILE
    form.skill_controls["communication"].value = 3
    form.save_button.click()

    view = ReflectView(j, now=lambda: now, demo_path=tmp_path / "demo.sqlite")
    assert "&lt;img src=x" in view.focus.value  # its questions are the ones to practise
    assert bytes(view.trend_image.value).startswith(PNG)
    assert "communication" in view.trend_table.value
    html = [w.value for w in walk(view.widget) if isinstance(w, ipw.HTML)]
    assert all("<img" not in value for value in html)
    j.close()


def test_explore_shows_only_the_trend_picker_and_the_weak_areas(demo_file):
    view = ReflectView(Journal(demo_file, create=False), now=lambda: AFTER_DEMO, explore=True)
    view.open_button.value = True  # folded until opened
    assert bytes(view.trend_image.value).startswith(PNG)
    assert WEAK_SKILL in view.weak_table.value
    assert not hasattr(view, "funnel") and not hasattr(view, "calibration")


@pytest.fixture
def counted(monkeypatch):
    """How often the reflection is computed and a figure is drawn."""
    from afterview_analysis import plots, report

    calls = {"report": 0, "drawn": 0}
    build, png = report.build_report, plots.figure_png

    def build_report(*args, **kwargs):
        calls["report"] += 1
        return build(*args, **kwargs)

    def figure_png(*args, **kwargs):
        calls["drawn"] += 1
        return png(*args, **kwargs)

    monkeypatch.setattr(report, "build_report", build_report)
    monkeypatch.setattr(story, "build_report", build_report)
    monkeypatch.setattr(plots, "figure_png", figure_png)
    return calls


def test_the_trend_picker_reads_the_pages_tables_and_draws_only_when_opened(demo_file,
                                                                             counted):
    reflection = story.Reflection(Journal(demo_file, create=False))
    assert counted == {"report": 1, "drawn": 0}
    view = story.explore(reflection)
    assert counted == {"report": 1, "drawn": 0}  # nothing computed or drawn while folded
    assert view.widget.layout.display is None and view.open_button.layout.display is None
    assert not view.built and view.body.children == ()

    view.open_button.value = True
    assert counted == {"report": 1, "drawn": 1}  # the page's tables, one picture
    assert bytes(view.trend_image.value).startswith(PNG)
    assert WEAK_SKILL in view.weak_table.value and len(rows(view.trend_table.value)) == 6
    view.open_button.value = False
    assert view.body.layout.display == "none"
    view.open_button.value = True
    assert counted == {"report": 1, "drawn": 1} and view.body.layout.display is None


def test_a_picker_change_draws_one_picture(view, counted):
    view.trend_areas.value = ("communication",)
    assert counted["drawn"] == 1
    view.trend_kind.value = "category"  # clears the picked areas: still one picture
    assert counted["drawn"] == 2
    assert view.trend_areas.value == () and "system design" in view.trend_table.value
    view.trend_from.value = date(2026, 1, 1)
    assert counted["drawn"] == 3 and counted["report"] == 0


def test_the_trend_picker_is_not_shown_on_an_empty_journal(tmp_path):
    view = story.explore(story.Reflection(Journal(tmp_path / "mine.sqlite")))
    assert view.widget.layout.display == "none"
    assert view.banner.value == "" and view.demo_button.layout.display == "none"


def _marker(own):
    return own.with_name(own.name + ".showing-demo")


def _full_disk(monkeypatch):
    import errno
    import os

    def full_disk(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)


def test_an_empty_page_says_once_what_to_do(tmp_path):
    """The top says what to do and holds the demo button; each section says only what it
    needs, in a muted line; the trend picker and the practice comparison are not shown."""
    from afterview_analysis.widgets.bank import PracticeView

    reflection = story.Reflection(Journal(tmp_path / "mine.sqlite"))
    start = reflection.start
    assert start.summary.value.count("Nothing to reflect on yet") == 1
    assert start.demo_button.layout.display is None
    sections = [f(reflection) for f in (story.practise_next, story.improving,
                                        story.employers, story.on_time, story.gut_feeling,
                                        story.how_far, story.habits)]
    assert all(s.waiting and s.figure is None and s.table is None for s in sections)
    shown = " ".join(s._repr_html_() for s in sections)
    assert "Nothing to reflect" not in shown and "demo" not in shown and "<b>" not in shown
    assert shown.count("Answered after") == 7
    assert "after one interview whose playbook steps are due" in shown
    assert story.explore(reflection).widget.layout.display == "none"
    practice = story.practice(reflection)
    assert isinstance(practice, PracticeView) and practice.widget.layout.display == "none"


def test_the_demo_button_at_the_top_loads_the_demo_beside_your_journal(tmp_path):
    from afterview_analysis.widgets.workbook import open_journal, showing_demo

    own = tmp_path / "journal.sqlite"
    start = story.Reflection(Journal(own)).start
    start.demo_button.click()
    assert showing_demo(own) and str(open_journal(own).path) == str(tmp_path / "demo.sqlite")
    assert Journal(own).is_empty()  # your journal got nothing
    assert Journal(tmp_path / "demo.sqlite").counts()["interviews"] > 30
    assert "Reload this page" in start.status.value
    assert start.demo_button.layout.display == "none" and start.summary.value == ""


def test_a_demo_marker_that_cannot_be_written_is_one_line_and_changes_nothing(
        tmp_path, monkeypatch):
    """A full disk while the "demo is on" marker is written: the top of the page says so
    in one line, no marker and no temporary file is left, the button stays; the same
    click works once there is room."""
    from afterview_analysis.widgets.workbook import showing_demo

    own = tmp_path / "journal.sqlite"
    start = story.Reflection(Journal(own)).start
    _full_disk(monkeypatch)
    start.demo_button.click()
    assert start.status.value.count("The demo is not shown: cannot write") == 1
    assert "the disk is full; nothing was written" in start.status.value
    assert not _marker(own).exists() and not showing_demo(own)
    assert list(tmp_path.glob(".*.part")) == []
    assert start.demo_button.layout.display is None and Journal(own).is_empty()
    assert "Nothing to reflect on yet" in start.summary.value  # still what to do
    monkeypatch.undo()
    start.demo_button.click()
    assert showing_demo(own) and "Reload this page" in start.status.value


def test_reflect_views_demo_button_survives_a_marker_that_cannot_be_written(
        tmp_path, monkeypatch):
    from afterview_analysis.widgets.workbook import showing_demo

    own = tmp_path / "journal.sqlite"
    view = ReflectView(Journal(own), now=lambda: AFTER_DEMO)
    _full_disk(monkeypatch)
    view.demo_button.click()
    assert "The demo is not shown" in view.status.value and not showing_demo(own)
    assert str(view.journal.path) == str(own) and "Nothing to reflect on yet" in view.banner.value
    assert view.body.children == () and not _marker(own).exists()
