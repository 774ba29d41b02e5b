"""The profile form, driven in the kernel: type, Save, check the journal."""

from __future__ import annotations

import ipywidgets as ipw
import pytest

from afterview_analysis.journal import Journal
from afterview_analysis.widgets import InterviewFormView, ProfileFormView
from tests.views import walk

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def journal(tmp_path):
    j = Journal(tmp_path / "journal.sqlite")
    yield j
    j.close()


def test_profile_is_saved_and_sets_the_forms_zone(journal):
    view = ProfileFormView(journal)
    view.fields["name"].value = "Ada Lovelace"
    view.fields["timezone"].value = "America/New_York"
    view.fields["linkedin"].value = "https://linkedin.example/in/ada"
    view.fields["signature"].value = "Best,\nAda"
    view.save_button.click()
    p = journal.profile()
    assert (p.name, p.timezone, p.linkedin, p.signature) == (
        "Ada Lovelace", "America/New_York", "https://linkedin.example/in/ada", "Best,\nAda")
    assert "Saved your profile" in view.status.value
    assert InterviewFormView(journal).zone == "America/New_York"
    assert ProfileFormView(journal).fields["signature"].value == "Best,\nAda"


def test_bad_profile_values_are_named_and_nothing_is_written(journal):
    view = ProfileFormView(journal)
    view.fields["name"].value = "Ada"
    view.fields["timezone"].value = "Mars/Olympus"
    view.fields["email"].value = "ada@"
    view.save_button.click()
    assert "IANA time zone" in view.errors["timezone"].value
    assert "Time zone" in view.errors["timezone"].value
    assert "email address" in view.errors["email"].value
    assert view.errors["name"].value == ""
    assert journal.profile().timezone == "UTC" and journal.profile().name is None
    assert view.fields["timezone"].value == "Mars/Olympus"


def test_hostile_profile_text_stays_text(journal):
    view = ProfileFormView(journal)
    view.fields["name"].value = HOSTILE
    view.fields["website"].value = HOSTILE
    view.save_button.click()
    view.fields["website"].value = ""
    view.save_button.click()
    assert journal.profile().name == HOSTILE
    htmls = [w.value for w in walk(view.widget) if isinstance(w, ipw.HTML)]
    assert all("<img" not in value for value in htmls)
