"""Contacts in a real browser (the app, Voila): a recruiter and a new reference entered on
the interview form land in the journal, and the Messages form drafts the heads-up to that
reference, with what they can speak to."""

from __future__ import annotations

import pytest

from tests.browser.conftest import journal_rows, notebook, shoot

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def test_app_contacts_entered_on_the_form_reach_the_heads_up(page, app):
    page.goto(f"{app.url}/voila/render/{notebook('1-')}", timeout=90_000)
    page.locator(".av-company input").wait_for(state="visible", timeout=90_000)
    page.locator(".av-company input").fill("Brightwater Labs")
    page.locator(".av-role input").fill("Analytics Lead")
    page.locator(".av-iv-name input").first.fill("Nora Quinn")
    page.locator(".av-iv-contact-role select").first.select_option(label="recruiter")
    page.locator(".av-ref-name input").fill("Sam van der Berg")
    page.locator(".av-ref-email input").fill("not an address")
    page.locator(".av-ref-speaks-to input").fill("my work on the billing migration")
    page.locator("button.av-save").click()
    page.locator(".av-error-ref-email").get_by_text("must be an email address").wait_for(
        timeout=30_000)
    assert journal_rows(app.journal, "SELECT id FROM references_ WHERE name = ?",
                        ("Sam van der Berg",)) == []
    assert page.locator(".av-ref-speaks-to input").input_value() == \
        "my work on the billing migration"  # what was typed is kept
    page.locator(".av-ref-email input").fill("sam@example.org")
    page.locator("button.av-save").click()
    page.locator(".av-status").get_by_text("Saved new interview").wait_for(timeout=30_000)
    (ref,) = journal_rows(app.journal, "SELECT id, speaks_to FROM references_ WHERE name = ?",
                          ("Sam van der Berg",))
    assert ref["speaks_to"] == "my work on the billing migration"
    (person,) = journal_rows(app.journal,
                             "SELECT contact_role FROM interviewers WHERE name = 'Nora Quinn'")
    assert person["contact_role"] == "recruiter"
    given = journal_rows(app.journal, "SELECT interview_id FROM heads_ups "
                         "WHERE reference_id = ? AND sent_at IS NULL", (ref["id"],))
    assert len(given) == 1
    shoot(page, "voila-1-contacts")

    page.goto(f"{app.url}/voila/render/{notebook('3-')}", timeout=90_000)
    page.locator(".av-msg-body textarea").wait_for(state="visible", timeout=90_000)
    label = page.locator(".av-msg-interview select option", has_text="Brightwater Labs")
    page.locator(".av-msg-interview select").select_option(label=label.first.inner_text())
    page.locator(".av-msg-kind select").select_option(label="heads-up to a reference")
    body = page.locator(".av-msg-body textarea")
    page.wait_for_function(
        "() => document.querySelector('.av-msg-body textarea').value.startsWith('Dear Sam,')",
        timeout=30_000)
    assert "my work on the billing migration" in body.input_value()
    assert page.locator(".av-msg-recipient select").input_value() == "Sam van der Berg"
    page.locator(".av-msg-hints").get_by_text("nothing to fix").wait_for(timeout=30_000)
    shoot(page, "voila-3-heads-up")
