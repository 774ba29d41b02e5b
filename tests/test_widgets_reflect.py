"""The Reflect view, driven in the kernel: pickers, pictures, tables, the empty state."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import ipywidgets as ipw
import pytest

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
    assert bytes(view.trend_image.value).startswith(PNG)
    assert WEAK_SKILL in view.weak_table.value
    assert not hasattr(view, "funnel") and not hasattr(view, "calibration")
