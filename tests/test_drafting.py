"""Drafting: every template, tone and form; user templates; the sandbox; .eml and mailto."""

from __future__ import annotations

import email.parser
import email.policy
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from afterview_analysis import drafting
from afterview_analysis.drafting import (
    DraftError,
    MissingFieldError,
    TemplateSecurityError,
    draft_all,
    draft_message,
    edit_draft,
    mailto_link,
    mark_sent,
    save_draft,
    to_eml,
)
from afterview_analysis.records import (
    EmployerEvent,
    HeadsUp,
    Interview,
    Interviewer,
    Message,
    Profile,
    RecordError,
    Reference,
    SkillScore,
    Step,
)
from afterview_analysis.rules import steps_for
from tests.conftest import make_interview
from tests.hostile import HEADER_INJECTIONS

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
KINDS = ["thank_you", "follow_up", "info_reply", "reference_heads_up"]
RECALL = "their move to a semantic layer"
FORGOT = "I mentored two juniors"


@pytest.fixture(autouse=True)
def no_user_templates(tmp_path, monkeypatch):
    """Keep the user's own data/templates out of these tests."""
    monkeypatch.setenv("AFTERVIEW_TEMPLATES", str(tmp_path / "no-user-templates"))


def fill(journal, interview: Interview, *, full: bool = True) -> Interview:
    """A journal with a profile, two interviewers, scores, two references and a request."""
    if full:
        journal.update(Profile(name="Alex Morgan", email="alex@example.org",
                               phone="+49 30 1234567", signature="Alex Morgan\nData analyst",
                               timezone="Europe/Berlin",
                               pitch="I turn messy operational data into decisions people trust."))
    else:
        journal.update(Profile(name="Alex Morgan", timezone="Europe/Berlin"))
    people = [Interviewer(interview_id=interview.id, name="Maya Keller", title="Head of Data",
                          email="maya.keller@acme.example"),
              Interviewer(interview_id=interview.id, name="Jonas Okafor")]
    scores = []
    if full:
        scores = [SkillScore(interview_id=interview.id, skill=s, score=v) for s, v in
                  [("technical depth", 4), ("problem solving", 2), ("communication", 5),
                   ("culture fit", 4), ("questions asked", 4), ("preparation", 3)]]
    journal.save_interview(interview, interviewers=people, skill_scores=scores)
    journal.add_many([Reference(name="Ruth Adeyemi", relationship="former manager",
                                email="ruth@example.com"),
                      Reference(name="Sam Whitfield")])
    journal.add(EmployerEvent(interview_id=interview.id, kind="info_request",
                              at=datetime(2026, 3, 4, 9, tzinfo=UTC),
                              note="Could you send two work samples?" if full else None))
    return interview


@pytest.fixture
def full(journal):
    return fill(journal, make_interview(process_length="three rounds over four weeks"))


@pytest.fixture
def sparse(journal):
    iv = make_interview(feedback_by=None, recall_point=None, forgotten_strength=None)
    return fill(journal, iv, full=False)


def assert_clean(text: str) -> None:
    """No sign of a missing value in a letter: no None, no stray braces, no gaps."""
    for bad in ("None", "{{", "}}", "{%", " ,", " .", "()", '""', "\n\n\n"):
        assert bad not in text, f"{bad!r} in:\n{text}"
    assert not re.search(r"\S  +\S", text), f"a gap in:\n{text}"  # indentation is fine


COMBOS = [(k, t, f) for k in KINDS for t in drafting.TONES for f in drafting.FORMS
          if f != "call" or k in drafting.CALL_KINDS]
COMBO_IDS = ["-".join(c) for c in COMBOS]


class TestEveryTemplate:
    @pytest.mark.parametrize(("kind", "tone", "form"), COMBOS, ids=COMBO_IDS)
    def test_filled_interview(self, journal, full, kind, tone, form):
        m = draft_message(journal, full.id, kind, tone=tone, form=form, now=NOW)
        assert m.subject and m.body.endswith("\n")
        assert_clean(m.subject)
        assert_clean(m.body)
        assert drafting.check_message(journal, m) == []
        assert "Acme Analytics" in m.subject + m.body
        assert m.channel == {"letter": "letter", "call": "phone"}.get(form, "email")
        if kind == "reference_heads_up":
            assert m.recipient == "Ruth Adeyemi" and "Ruth" in m.body
            assert "I mentored two juniors" in m.body
            assert "how I explain complex results simply" in m.body
            assert "before Monday 9 March" in m.body
        else:
            assert m.recipient == "Maya Keller" and "Maya" in m.body
        if kind == "thank_you":
            # the recall point woven in as a clause, "their" said to the reader as "your"
            assert "your move to a semantic layer" in m.body
            assert "that I mentored two juniors" in m.body
            if tone != "brief":  # the top-scored skill, in words; never a weak one
                assert "how I explain complex results simply" in m.body
            assert "communication" not in m.body and "break a problem down" not in m.body
        if kind == "info_reply":
            assert ("You asked for two work samples" if form == "call"
                    else "asking for two work samples") in m.body
            assert "Wednesday 4 March" in m.body
        if kind == "follow_up" and form != "call":
            assert "You mentioned I would hear back by Monday 9 March." in m.body
        if form == "letter":
            assert m.body.startswith("Alex Morgan\n")
            assert "Monday 2 March 2026" in m.body.split("Maya Keller")[0] or (
                "Monday 2 March 2026" in m.body)
            assert m.body.rstrip().endswith("Alex Morgan")
        elif form == "email":
            # emails end with the signature: the name and contact lines, one closing above
            assert m.body.rstrip().endswith("Alex Morgan\nData analyst")
        else:
            assert "Number: none saved yet" in m.body  # Maya has only an email
            assert "ask for it at maya.keller@acme.example" in m.body
            assert "Questions to ask" in m.body and "Notes" in m.body

    @pytest.mark.parametrize(("kind", "tone", "form"), COMBOS, ids=COMBO_IDS)
    def test_optional_fields_missing(self, journal, sparse, kind, tone, form):
        m = draft_message(journal, sparse.id, kind, tone=tone, form=form, now=NOW)
        assert_clean(m.subject)
        assert_clean(m.body)
        assert drafting.check_message(journal, m) == []
        assert RECALL not in m.body and FORGOT not in m.body
        assert m.body.rstrip().endswith("Alex Morgan") or form == "call"


    def test_tones_differ(self, journal, full):
        bodies = {t: draft_message(journal, full.id, "thank_you", tone=t, now=NOW).body
                  for t in drafting.TONES}
        assert len(set(bodies.values())) == 3
        assert bodies["formal"].startswith("Dear Maya Keller,")
        assert bodies["warm"].startswith("Dear Maya,")
        assert bodies["brief"].startswith("Hi Maya,")
        assert len(bodies["brief"]) < len(bodies["formal"])


class TestRecipientsAndContent:
    def test_one_thank_you_per_interviewer(self, journal, full):
        drafts = draft_all(journal, full.id, "thank_you", now=NOW)
        assert [(m.recipient, m.recipient_email) for m in drafts] == [
            ("Maya Keller", "maya.keller@acme.example"), ("Jonas Okafor", None)]
        assert "Dear Jonas," in drafts[1].body

    def test_to_by_first_name_or_someone_not_recorded(self, journal, full):
        assert draft_message(journal, full.id, "thank_you", to="jonas", now=NOW).recipient == (
            "Jonas Okafor")
        m = draft_message(journal, full.id, "thank_you", to="Lea Fischer", now=NOW)
        assert (m.recipient, m.recipient_email) == ("Lea Fischer", None)
        assert "Dear Lea," in m.body

    def test_chosen_skills_replace_the_top_scores(self, journal, full):
        m = draft_message(journal, full.id, "thank_you", skills=["SQL", "dbt"], now=NOW)
        assert "SQL and dbt" in m.body and "communication" not in m.body

    def test_strongest_skills_best_first_at_most_three(self):
        scores = [SkillScore(interview_id="x", skill=s, score=v)
                  for s, v in [("a", 4), ("b", 5), ("c", 2), ("d", 4), ("e", 4)]]
        assert drafting.strongest_skills(scores) == ["b", "a", "d"]
        low = [SkillScore(interview_id="x", skill=s, score=v) for s, v in [("a", 2), ("b", 3)]]
        assert drafting.strongest_skills(low) == ["b"]
        assert drafting.strongest_skills([SkillScore(interview_id="x", skill="a", score=1)]) == []

    def test_follow_up_second_variant_after_one_was_sent(self, journal, full):
        first = draft_message(journal, full.id, "follow_up", now=NOW)
        assert "hear back by Monday 9 March" in first.body  # the date they gave
        save_draft(journal, first)
        mark_sent(journal, first.id, at=NOW + timedelta(days=15))
        second = draft_message(journal, full.id, "follow_up", now=NOW + timedelta(days=22))
        assert second.subject != first.subject and "once more" in second.body
        forced = draft_message(journal, full.id, "follow_up", variant=1, now=NOW)
        assert forced.subject == first.subject

    def test_info_reply_answers_the_latest_open_request(self, journal, full):
        later = EmployerEvent(interview_id=full.id, kind="info_request",
                              note="Your notice period?", at=datetime(2026, 3, 6, 9, tzinfo=UTC))
        journal.add(later)
        m = draft_message(journal, full.id, "info_reply", now=NOW)
        assert m.reply_to_event_id == later.id and "notice period" in m.body
        save_draft(journal, m)
        mark_sent(journal, m.id, at=datetime(2026, 3, 6, 12, tzinfo=UTC))
        m2 = draft_message(journal, full.id, "info_reply", now=NOW)
        assert m2.reply_to_event_id != later.id and "work samples" in m2.body

    def test_heads_up_one_per_reference(self, journal, full):
        drafts = draft_all(journal, full.id, "reference", tone="formal", now=NOW)
        assert [m.recipient for m in drafts] == ["Ruth Adeyemi", "Sam Whitfield"]
        assert drafts[0].body.startswith("Dear Ruth Adeyemi,") and "Data Analyst" in drafts[0].body


    @pytest.mark.parametrize(("day", "window"), [
        (9, "They may get in touch with you before Monday 9 March."),  # the promised day
        (10, "They may get in touch with you any day now."),  # the day after: passed
    ])
    def test_heads_up_never_names_a_promised_date_that_has_passed(
            self, journal, full, day, window):
        """Feedback was promised by 9 March: a heads-up written that day still names it;
        written on the 10th, "before Monday 9 March" would tell the reference nonsense."""
        now = datetime(2026, 3, day, 12, tzinfo=UTC)
        m = draft_message(journal, full.id, "reference_heads_up", tone="formal", now=now)
        assert window in m.body, m.body

    def test_heads_up_without_a_promised_date_says_the_coming_weeks(self, journal, sparse):
        m = draft_message(journal, sparse.id, "reference_heads_up", tone="formal", now=NOW)
        assert "They may get in touch with you in the coming weeks." in m.body, m.body


class TestRefusals:
    def test_no_name_in_profile(self, journal):
        iv = fill(journal, make_interview())
        journal.update(Profile(name=None))
        with pytest.raises(DraftError, match=r"Profile\.name"):
            draft_message(journal, iv.id, "thank_you", now=NOW)

    def test_no_interviewer(self, journal):
        journal.update(Profile(name="Alex"))
        iv = make_interview()
        journal.add(iv)
        with pytest.raises(DraftError, match=r"no one at .* is saved.*--to NAME"):
            draft_message(journal, iv.id, "thank_you", now=NOW)

    def test_no_information_request(self, journal):
        journal.update(Profile(name="Alex"))
        iv = make_interview()
        journal.save_interview(iv, interviewers=[Interviewer(interview_id=iv.id, name="Ann")])
        with pytest.raises(DraftError, match="no information request"):
            draft_message(journal, iv.id, "info_reply", now=NOW)

    @pytest.mark.parametrize(("option", "value"), [("tone", "rude"), ("form", "fax"),
                                                    ("kind", "love_letter")])
    def test_bad_options_name_the_choices(self, journal, full, option, value):
        kw = {"kind": "thank_you", option: value}
        with pytest.raises(DraftError, match=f"{option} must be one of"):
            draft_message(journal, full.id, now=NOW, **kw)


class TestUserTemplates:
    def write(self, tmp_path, text, name="thank_you.j2"):
        folder = tmp_path / "mine"
        folder.mkdir(exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
        return folder

    def test_a_user_file_replaces_the_builtin_one(self, journal, full, tmp_path):
        folder = self.write(tmp_path, "Subject: Cheers {{ recipient_first_name }}\n\n"
                                      "We talked about {{ recall_point }}.\n")
        m = draft_message(journal, full.id, "thank_you", template_dir=folder, now=NOW)
        assert m.subject == "Cheers Maya" and m.body == f"We talked about {RECALL}.\n"
        # the other kinds still come from the package
        assert "Following up" in draft_message(journal, full.id, "follow_up",
                                               template_dir=folder, now=NOW).subject

    def test_user_folder_from_the_environment(self, journal, full, tmp_path, monkeypatch):
        folder = self.write(tmp_path, "Subject: From env\n\nHello\n")
        monkeypatch.setenv("AFTERVIEW_TEMPLATES", str(folder))
        assert draft_message(journal, full.id, "thank_you", now=NOW).subject == "From env"

    def test_a_missing_field_is_named_never_a_blank(self, journal, sparse, tmp_path):
        folder = self.write(tmp_path, "Subject: Hi\n\nWe talked about {{ recall_point }}.\n")
        with pytest.raises(MissingFieldError, match=r"'recall_point'.*Interview\.recall_point"):
            draft_message(journal, sparse.id, "thank_you", template_dir=folder, now=NOW)

    def test_an_unknown_field_is_named(self, journal, full, tmp_path):
        folder = self.write(tmp_path, "Subject: Hi\n\n{{ salary_offer }}\n")
        with pytest.raises(MissingFieldError, match=r"'salary_offer'.*not a known field"):
            draft_message(journal, full.id, "thank_you", template_dir=folder, now=NOW)

    @pytest.mark.parametrize("source", [
        "{{ ''.__class__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{% if false %}{{ recipient_name.__class__ }}{% endif %}",  # refused even unreached
        "{{ cycler.__init__.__globals__ }}",
        "{{ recipient_name['__class__'] }}",
        "{{ recipient_name|attr('__cla' ~ 'ss__') }}",  # built at run time: the sandbox
        "{{ recipient_name.format.__self__ }}",
        "{% include '_evil.j2' %}",
    ])
    def test_templates_cannot_reach_python_internals(self, journal, full, tmp_path, source):
        folder = self.write(tmp_path, "Subject: x\n\n" + source + "\n")
        self.write(tmp_path, "{{ ''.__class__ }}", name="_evil.j2")
        with pytest.raises(TemplateSecurityError, match="refused"):
            draft_message(journal, full.id, "thank_you", template_dir=folder, now=NOW)

    @pytest.mark.parametrize("source", [
        "{{ 'x' * 100000000 }}",
        "{{ 2 ** 100000 }}",
    ])
    def test_templates_cannot_allocate_huge_values(self, journal, full, tmp_path, source):
        folder = self.write(tmp_path, source)
        with pytest.raises(TemplateSecurityError, match=r"thank_you\.j2: refused: (a v|an e)"):
            draft_message(journal, full.id, "thank_you", template_dir=folder, now=NOW)

    @pytest.mark.parametrize(("source", "match"), [
        ("{% for i in range(100000) %}0123456789{% endfor %}", "more than 50,000 characters"),
        ("{% for i in range(10**8) %}x{% endfor %}", "(?i)range too big"),
        ("{% if %}", "line 1"),
        ("x" * (drafting.TEMPLATE_LIMIT + 1), "limit is 65,536"),
    ])
    def test_size_limits_and_syntax_errors_are_clear(self, journal, full, tmp_path, source,
                                                      match):
        folder = self.write(tmp_path, source)
        with pytest.raises(DraftError, match=match):
            draft_message(journal, full.id, "thank_you", template_dir=folder, now=NOW)


class TestSaveEditSend:
    def test_save_edit_then_mark_sent(self, journal, full):
        m = draft_message(journal, full.id, "thank_you", now=NOW)
        save_draft(journal, m)
        assert journal.get(Message, m.id) == m
        edited = edit_draft(journal, m.id, body="Dear Maya,\n\nThank you!\n")
        assert journal.get(Message, m.id).body == "Dear Maya,\n\nThank you!\n"
        sent = mark_sent(journal, m.id, at=NOW + timedelta(hours=1))
        assert sent.sent_at == NOW + timedelta(hours=1) and sent.body == edited.body
        with pytest.raises(DraftError, match="already marked sent"):
            mark_sent(journal, m.id)
        with pytest.raises(DraftError, match="cannot be edited"):
            edit_draft(journal, m.id, body="changed")

    def test_a_bad_edit_writes_nothing(self, journal, full):
        m = draft_message(journal, full.id, "thank_you", now=NOW)
        save_draft(journal, m)
        with pytest.raises(RecordError, match="subject"):
            edit_draft(journal, m.id, subject="Hi\nBcc: x@evil.example")
        with pytest.raises(DraftError, match="cannot edit sent_at"):
            edit_draft(journal, m.id, sent_at=NOW)
        assert journal.get(Message, m.id) == m

    def test_sent_before_it_was_written_is_refused(self, journal, full):
        m = draft_message(journal, full.id, "thank_you", now=NOW)
        save_draft(journal, m)
        with pytest.raises(DraftError, match="before the draft was written"):
            mark_sent(journal, m.id, at=NOW - timedelta(minutes=1))
        assert journal.get(Message, m.id).sent_at is None

    def test_sending_ticks_the_playbook_and_records_the_heads_up(self, journal, full):
        thanks = draft_message(journal, full.id, "thank_you", now=NOW)
        heads = draft_message(journal, full.id, "reference", to="Ruth", now=NOW)
        for m in (thanks, heads):
            save_draft(journal, m)
            mark_sent(journal, m.id, at=NOW + timedelta(hours=2))
        [hu] = journal.find(HeadsUp, interview_id=full.id)
        assert hu.sent_at == NOW + timedelta(hours=2)
        items = {i.step: i for i in steps_for(
            full, [], [], journal.find(Message), "Europe/Berlin", now=NOW + timedelta(days=1))}
        assert items[Step.THANK_YOU].status == "done"
        assert items[Step.CONTACT_REFERENCES].status == "done"


def _force(message: Message, **values) -> Message:
    """A message whose fields bypassed the record's validation (as if built elsewhere)."""
    for name, value in values.items():
        object.__setattr__(message, name, value)
    return message


class TestEml:
    def parse(self, data: bytes):
        return email.parser.BytesParser(policy=email.policy.default).parsebytes(data)

    def test_parses_back_to_the_same_headers_and_body(self, journal, full):
        m = draft_message(journal, full.id, "thank_you", tone="formal", now=NOW)
        back = self.parse(to_eml(m, journal.profile()))
        assert back["To"] == "Maya Keller <maya.keller@acme.example>"
        assert back["From"] == "Alex Morgan <alex@example.org>"
        assert back["Subject"] == m.subject
        assert back["X-Unsent"] == "1"
        assert back["Date"].datetime == m.created_at
        assert back.get_content_type() == "text/plain"
        assert back.get_content().replace("\r\n", "\n") == m.body

    def test_non_ascii_names_subject_and_body_survive(self):
        m = Message(kind="thank_you", recipient="Tomás Åberg",
                    recipient_email="tomas@acme.example",
                    subject="Danke schön — ein Gruß ✓", body="Hej Tomás,\n\nTack så mycket! 🙏\n",
                    created_at=NOW)
        back = self.parse(to_eml(m, Profile(name="Zoë Ørsted", email="zoe@example.org")))
        assert back["To"].addresses[0].display_name == "Tomás Åberg"
        assert back["From"].addresses[0].display_name == "Zoë Ørsted"
        assert back["Subject"] == m.subject
        assert back.get_content().replace("\r\n", "\n") == m.body

    def test_no_address_no_to_header(self):
        m = Message(kind="thank_you", recipient="Ann", subject="Hi", body="Hi\n", created_at=NOW)
        back = self.parse(to_eml(m))
        assert back["To"] is None and back["From"] is None and back["Subject"] == "Hi"

    @pytest.mark.parametrize("payload", HEADER_INJECTIONS)
    def test_line_breaks_in_headers_are_refused(self, payload):
        with pytest.raises(RecordError):  # the record refuses them first ...
            Message(kind="thank_you", recipient="Ann", subject=payload, body="x")
        for field in ("subject", "recipient"):
            m = _force(Message(kind="thank_you", recipient="Ann", recipient_email="a@b.example",
                               subject="ok", body="x"), **{field: payload})
            with pytest.raises(DraftError, match=f"{field} contains a line break"):
                to_eml(m)  # ... and the export checks again

    def test_mailto_round_trip(self):
        m = Message(kind="follow_up", recipient="Jo", recipient_email="jo+jobs@acme.example",
                    subject="Next steps & timing? 100% keen", body="Hi Jo,\n\na=b&c #1 ✓\n")
        link = mailto_link(m)
        parts = urlsplit(link)
        assert parts.scheme == "mailto" and unquote(parts.path) == "jo+jobs@acme.example"
        query = parse_qs(parts.query)
        assert query["subject"] == [m.subject]
        assert query["body"] == ["Hi Jo,\r\n\r\na=b&c #1 ✓\r\n"]
        assert " " not in link and "\n" not in link
