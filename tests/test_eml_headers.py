"""Email files carry no injected headers (issue 14, class 7).

Header values are checked as a mail program reads them: after decoding RFC 2047 encoded
words. Display names with control characters are refused in one line. (Per-recipient
file names are in ``tests/test_outputs.py``.)
"""

from __future__ import annotations

import email.parser
import email.policy

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from afterview_analysis.cli import main
from afterview_analysis.drafting import DraftError, to_eml
from afterview_analysis.records import Interview, Interviewer, Message, Profile, RecordError

INJECTED = "=?utf-8?q?Acme=0D=0ABcc:_x@example.com?="
EXPECTED_HEADERS = {"From", "To", "Subject", "Date", "X-Unsent", "Content-Type",
                    "Content-Transfer-Encoding", "MIME-Version"}


def _parse(data: bytes):
    return email.parser.BytesParser(policy=email.policy.default).parsebytes(data)


def _message(**overrides) -> Message:
    values = dict(kind="thank_you", recipient="Maya Keller",
                  recipient_email="maya@acme.example", subject="Thank you", body="Hi Maya\n")
    values.update(overrides)
    return Message(**values)


@pytest.mark.parametrize("field", ["subject", "recipient"])
def test_an_encoded_line_break_is_refused(field):
    with pytest.raises(DraftError, match=rf"^{field} contains a line break once its"):
        to_eml(_message(**{field: f"Thanks {INJECTED}"}))


def test_an_encoded_line_break_in_your_own_name_is_refused():
    with pytest.raises(DraftError, match=r"^your name contains a line break once its"):
        to_eml(_message(), Profile(name=INJECTED, email="me@example.org"))


@pytest.mark.parametrize("name", ["Sam\x07 Lee", "Sam\x1b[31m Lee", "Sam\x7f"])
def test_control_characters_in_a_display_name_are_refused(name):
    try:
        message = _message(recipient=name)
    except RecordError as exc:  # the record itself may already refuse it: also one line
        assert "\n" not in str(exc)
        return
    with pytest.raises(DraftError, match=r"^recipient contains a control character \(U\+"):
        to_eml(message)


def test_harmless_encoded_words_stay_as_written():
    """The other side: an encoded word without a break is just text."""
    parsed = _parse(to_eml(_message(subject="Merci =?utf-8?q?Caf=C3=A9?= team")))
    assert set(parsed.keys()) <= EXPECTED_HEADERS and "Bcc" not in parsed


def test_the_company_name_attack_through_the_command_line(journal_file, tmp_path, capsys):
    journal_file.update(Profile(name="Ann Example", email="ann@example.org"))
    iv = Interview(company=INJECTED, role="Analyst", starts_at="2026-11-18T09:30Z")
    journal_file.save_interview(iv, interviewers=[
        Interviewer(interview_id=iv.id, name="Maya Keller", email="maya@acme.example")])
    target = tmp_path / "t.eml"
    code = main(["draft", "thank-you", "--interview", iv.id, "--eml", str(target),
                 "--journal", str(journal_file.path), "--today", "2026-11-20"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "line break once its" in err, err
    assert not target.exists()


@given(subject=st.text(max_size=40), recipient=st.text(min_size=1, max_size=40))
@example(subject=INJECTED, recipient="Maya")
@example(subject="x", recipient="=?utf-8?b?TWF5YQ0KQmNjOiB4QGV4YW1wbGUuY29t?=")
@example(subject="=?iso-8859-1?q?=0D=0ATo:_y@example.com?=", recipient="Maya")
def test_no_text_adds_a_header(subject, recipient):
    """Whatever the subject and name: refused in one line, or an email with exactly the
    headers afterview writes, each holding the text given."""
    try:
        data = to_eml(_message(subject=subject or None, recipient=recipient))
    except (DraftError, RecordError) as exc:
        assert "\n" not in str(exc)
        return
    parsed = _parse(data)
    assert set(parsed.keys()) <= EXPECTED_HEADERS, parsed.keys()
    assert len(parsed.get_all("To")) == 1
    assert len(parsed["To"].addresses) == 1
    assert parsed["To"].addresses[0].addr_spec == "maya@acme.example"
