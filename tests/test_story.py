"""Reflect as a story: each section answers first, in words, with its numbers folded away;
with few interviews it says what it needs. And nothing shown holds a column name."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import ipywidgets as ipw
import pytest

from afterview_analysis import story
from afterview_analysis.journal import Journal
from afterview_analysis.records import Interview, SkillScore
from afterview_analysis.report import build_report, render
from afterview_analysis.widgets import ReflectView

SECTIONS = [story.practise_next, story.improving, story.employers, story.on_time,
            story.gut_feeling, story.how_far, story.habits]
AS_OF = "2026-11-20"
#: a code-like token: lower-case words joined by underscores ("system_design")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from afterview_analysis.demo import load_demo

    j = Journal(tmp_path_factory.mktemp("story") / "demo.sqlite")
    load_demo(j)
    yield j
    j.close()


@pytest.fixture(scope="module")
def reflection(demo):
    return story.Reflection(demo, as_of=AS_OF)


def _user_text(frames) -> set[str]:
    """Every piece of text the user typed (it may hold anything, underscores too)."""
    out: set[str] = set()
    for df in frames.values():
        for col in df.columns:
            if df[col].dtype == "str":
                out.update(str(v) for v in df[col].dropna())
    return out


def _snake(text: str, frames) -> set[str]:
    text = re.sub(r"base64,[A-Za-z0-9+/=]+", "", text)  # the pictures' bytes
    own = " ".join(_user_text(frames))
    return {token for token in SNAKE.findall(text) if token not in own}


def test_each_section_answers_first_then_one_picture_then_the_numbers(reflection):
    for section in map(lambda f: f(reflection), SECTIONS):
        page = section._repr_html_()
        answer, picture, numbers = (page.index("av-answer"), page.index("<img"),
                                    page.index("<details"))
        assert answer < picture < numbers, section.question
        assert section.answer.endswith(".") and len(section.answer) < 400


def test_the_demo_answers(reflection):
    """The demo's planted facts, in the sentences a user reads."""
    from afterview_analysis.demo import IMPROVING_SKILLS, WEAK_SKILL

    assert story.practise_next(reflection).answer.startswith(f"Practise {WEAK_SKILL} next")
    improving = story.improving(reflection).answer
    said = improving.split("improving: ")[1].split(";")[0]
    assert all(skill in said for skill in IMPROVING_SKILLS)
    quiet = reflection.tables["employer_times"].query("status == 'ghosting candidate'")
    assert len(quiet) and all(c in story.employers(reflection).answer for c in quiet["company"])
    on_time = reflection.tables["own_summary"].set_index("kind").loc["thank_you"]
    assert (f"{on_time['on_time']} of {on_time['due']} thank-you notes"
            in story.on_time(reflection).answer)


def test_thank_you_on_time_is_one_number_everywhere(reflection):
    t = reflection.tables
    own = t["own_summary"].set_index("kind").loc["thank_you", ["due", "on_time"]].tolist()
    habit = t["compliance"].set_index("step").loc["thank_you", ["due", "on_time"]].tolist()
    assert own == habit


def test_no_column_name_in_anything_shown(demo, reflection):
    frames = demo.frames()
    shown = [render(frames, "text", as_of=AS_OF), render(frames, "html", as_of=AS_OF)]
    shown += [f(reflection)._repr_html_() for f in SECTIONS]
    shown += [reflection._repr_html_()]
    view = ReflectView(demo, now=lambda: datetime(2026, 11, 20, tzinfo=UTC))
    from tests.views import walk

    shown += [w.value for w in walk(view.widget) if isinstance(w, ipw.HTML)]
    view.trend_kind.value = "category"
    shown += [view.trend_table.value]
    for text in shown:
        assert _snake(text, frames) == set()


def test_the_snake_case_check_can_fail():
    assert _snake("practise system_design next", {}) == {"system_design"}
    assert _snake("practise system design next", {}) == set()


def test_an_empty_journal_says_what_each_section_needs(tmp_path):
    r = story.Reflection(Journal(tmp_path / "empty.sqlite"), as_of=AS_OF)
    assert "Nothing to reflect on yet" in str(r)
    for f in SECTIONS:
        section = f(r)
        assert section.figure is None and section.answer.endswith(".")
        assert "nan" not in section.answer


def test_one_interview_says_what_comes_later(tmp_path):
    j = Journal(tmp_path / "one.sqlite")
    iv = Interview(company="Acme", role="R", starts_at=datetime(2026, 1, 5, tzinfo=UTC),
                   predicted_chance=60)
    j.add_many([iv, SkillScore(interview_id=iv.id, skill="communication", score=3)])
    r = story.Reflection(j, as_of="2026-01-20")
    text = r._repr_html_()
    assert "1 interviews" not in text and "rests on 1 interview" in text
    assert "whether you are improving: after 6 interviews" in text
    assert "gut feeling predicts the outcome: after 10 decided interviews" in text
    assert story.improving(r).answer.startswith("Too early to tell")
    assert "you have 0" in story.gut_feeling(r).answer
    # no trend axis running over years for one point: no picture without a trend, and
    # a picture of one day's scores spans a month
    assert story.improving(r).figure is None and story.practise_next(r).figure is None
    assert "one interview so far" in story.practise_next(r).answer
    from matplotlib.dates import num2date

    from afterview_analysis.plots import plot_skill_trends

    low, high = plot_skill_trends(r.tables["history"]).axes[0].get_xlim()
    assert (num2date(high) - num2date(low)).days <= 31
    assert story.employers(r).answer.startswith("No employer has answered yet")


def test_report_and_story_read_the_same_tables(demo, reflection):
    report = build_report(demo.frames(), as_of=AS_OF)
    assert report.tables.keys() == reflection.tables.keys()
