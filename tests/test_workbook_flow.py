"""Issue 5's "done when", in the kernel: a new user fills the profile (notebook 0), logs an
interview with three questions (notebook 1), sees it in Reflect (2), and gets a thank-you
draft in Messages (3)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from afterview_analysis.journal import Journal
from afterview_analysis.records import Question
from afterview_analysis.widgets import InterviewFormView, MessagesView, ReflectView, TodayView
from afterview_analysis.widgets.profile import ProfileFormView

NOW = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
PNG = b"\x89PNG"


def test_log_reflect_and_draft_from_an_empty_journal(tmp_path):
    with Journal(tmp_path / "journal.sqlite") as j:
        assert j.is_empty()
        form = InterviewFormView(j, now=lambda: NOW)
        f = form.fields
        f["company"].value = "Acme Analytics"
        f["role"].value = "Data Analyst"
        f["start_date"].value = date(2026, 3, 2)
        f["start_time"].value = "10:00"
        f["recall_point"].value = "their move to a semantic layer"
        f["forgotten_strength"].value = "I mentored two junior analysts"
        form.interviewer_rows[0].fields["name"].value = "Maya Keller"
        form.interviewer_rows[0].fields["email"].value = "maya@acme.example"
        for i, (text, score) in enumerate([("Why Acme?", "4"), ("Design a metrics store", "2"),
                                           ("A conflict you solved", "3")]):
            if i:
                form.add_question_button.click()
            form.question_rows[i].fields["text"].value = text
            form.question_rows[i].fields["score"].value = score
        form.skill_controls["communication"].value = 4
        form.save_button.click()
        assert "Saved new interview" in form.status.value
        assert [q.score for q in j.find(Question, order_by="position")] == [4, 2, 3]

        reflect = ReflectView(j, now=lambda: NOW, demo_path=tmp_path / "demo.sqlite")
        today = TodayView(j, now=lambda: NOW)
        assert "Acme Analytics" in today.pipeline_html.value  # its thank-you is due
        assert any(r.item.company == "Acme Analytics" and r.item.step == "thank_you"
                   for r in today.rows.values())
        assert bytes(reflect.trend_image.value).startswith(PNG)
        assert not (tmp_path / "demo.sqlite").exists()  # the user's data, not the demo

        messages = MessagesView(j, now=lambda: NOW, export_dir=tmp_path / "exports")
        assert "add your name to the profile" in messages.status.value  # who signs it?
        profile = ProfileFormView(j)
        profile.fields["name"].value = "Ada Lovelace"
        profile.fields["email"].value = "ada@example.org"
        profile.save_button.click()
        messages = MessagesView(j, now=lambda: NOW, export_dir=tmp_path / "exports")
        body = messages.fields["body"].value
        assert "Maya" in body
        assert "semantic layer" in body and "mentored two junior analysts" in body
        assert messages.fields["recipient_email"].value == "maya@acme.example"
        assert "Ada Lovelace" in body
