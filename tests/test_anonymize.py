"""`afterview export --anonymize`: a copy for a coach that gives nobody away.

What a user sharing their journal checks: no name, email, phone or web address of an
interviewer or a reference anywhere in the file; their own profile gone; every company
replaced by a pseudonym that stays the same across exports; notes only when asked for; and
the coach can still import the copy and see the same numbers.
"""

from __future__ import annotations

import json
import re

import pytest

from afterview_analysis.anonymize import anonymize, anonymize_key, pseudonym
from afterview_analysis.cli import main
from afterview_analysis.exchange import export_json, import_document
from afterview_analysis.journal import Journal
from afterview_analysis.records import Interviewer, Profile, Reference


@pytest.fixture
def personal(demo_journal):
    """The demo journal with a full profile and contact details everywhere."""
    j = demo_journal
    j.update(Profile(name="Sam Doe", email="sam.doe@mail.example", phone="+49 170 5550101",
                     signature="Sam Doe\nsam.doe@mail.example", pitch="I am Sam Doe.",
                     timezone="Europe/Berlin", linkedin="https://linkedin.com/in/samdoe",
                     github="https://github.com/samdoe", website="https://samdoe.example"))
    people = j.find(Interviewer)
    for n, person in enumerate(people):
        j.update(Interviewer(**{**person.to_row(), "email": f"p{n}@corp.example",
                                "phone": f"+1 415 555 {1000 + n}",
                                "profile_url": f"https://linkedin.com/in/p{n}"}))
    for n, ref in enumerate(j.find(Reference)):
        j.update(Reference(**{**ref.to_row(), "email": f"ref{n}@old.example",
                              "phone": f"030 555 {2000 + n}"}))
    return j


def _secrets(j: Journal) -> set[str]:
    """Every personal string a user would search the anonymized file for."""
    found: set[str] = set()
    profile = j.rows("profile")[0]
    found |= {v for k, v in profile.items() if v and k not in ("id", "timezone")}
    for row in j.rows("interviewers"):
        found |= {row["name"], row["email"], row["phone"], row["profile_url"]}
    for row in j.rows("references_"):
        found |= {row["name"], row["email"], row["phone"]}
    for row in j.rows("interviews"):
        found |= {row["company"], row["job_url"], row["location"]}
    for row in j.rows("messages"):
        found |= {row["recipient"], row["recipient_email"]}
    return {s for s in found if s}


@pytest.mark.parametrize("keep_notes", [False, True])
def test_no_personal_string_survives(personal, keep_notes):
    doc = anonymize(personal, key=b"coach", keep_notes=keep_notes)
    text = json.dumps(doc, ensure_ascii=False)
    secrets = _secrets(personal)
    assert len(secrets) > 50
    leaked = sorted(s for s in secrets if s in text)
    assert leaked == []
    # nor any email address or web address at all
    assert not re.search(r"[\w.+-]+@[\w-]+\.\w+", text)
    assert not re.search(r"https?://", text)


def test_profile_is_cleared_but_for_the_time_zone(personal):
    (profile,) = anonymize(personal, key=b"k")["tables"]["profile"]
    assert {k: v for k, v in profile.items() if v is not None} == {
        "id": "me", "timezone": "Europe/Berlin"}


def test_company_pseudonyms_are_stable_and_keyed(personal):
    a = anonymize(personal, key=b"one")["tables"]["interviews"]
    b = anonymize(personal, key=b"one")["tables"]["interviews"]
    c = anonymize(personal, key=b"two")["tables"]["interviews"]
    original = personal.rows("interviews")
    assert [r["company"] for r in a] == [r["company"] for r in b]
    assert [r["company"] for r in a] != [r["company"] for r in c]
    # the same company always maps to the same pseudonym, different ones to different ones
    mapping = {(o["company"], x["company"]) for o, x in zip(original, a, strict=True)}
    assert len({o for o, _ in mapping}) == len(mapping) == len({x for _, x in mapping})
    assert all(re.fullmatch(r"Company [A-Z2-7]{4,}", x) for _, x in mapping)


def test_pseudonym_ignores_case_and_spacing_and_lengthens_on_collision():
    from afterview_analysis.anonymize import _pseudonyms

    assert pseudonym("ACME  gmbh", b"k") == pseudonym("acme gmbh", b"k")
    names = [f"company {n}" for n in range(3000)]  # 32**4 codes: a collision is near certain
    out = _pseudonyms(names, b"k", "Company")
    assert len(set(out.values())) == 3000


def test_notes_are_dropped_by_default_and_scrubbed_when_kept(personal):
    iv = personal.rows("interviews")[0]
    person = next(r for r in personal.rows("interviewers") if r["interview_id"] == iv["id"])
    note = (f"{person['name']} from {iv['company']} said to mail {person['email']} or call "
            f"{person['phone']}; see https://jobs.example/123. Next round on 2026-03-14.")
    personal.conn.execute("UPDATE interviews SET notes = ? WHERE id = ?", (note, iv["id"]))
    dropped = anonymize(personal, key=b"k")
    kept = anonymize(personal, key=b"k", keep_notes=True)
    assert all(r["notes"] is None for r in dropped["tables"]["interviews"])
    assert all(r["body"] == "[removed]" for r in dropped["tables"]["messages"])
    row = next(r for r in kept["tables"]["interviews"] if r["id"] == iv["id"])
    company = next(r["company"] for r in dropped["tables"]["interviews"] if r["id"] == iv["id"])
    assert row["notes"].startswith("Interviewer ") and f"from {company} said" in row["notes"]
    assert "[email]" in row["notes"] and "[phone]" in row["notes"] and "[url]" in row["notes"]
    assert "2026-03-14" in row["notes"], "dates are not phone numbers"


def test_the_coach_can_import_it_and_sees_the_same_numbers(personal):
    doc = anonymize(personal, key=b"k", keep_notes=True)
    coach = Journal(":memory:")
    counts = import_document(coach, doc)
    assert counts == personal.counts()
    mine, theirs = personal.frames(), coach.frames()
    for table in ("questions", "skill_scores"):
        assert mine[table]["score"].tolist() == theirs[table]["score"].tolist()
    assert mine["interviews"]["outcome"].tolist() == theirs["interviews"]["outcome"].tolist()


def test_key_file_is_made_once_beside_the_journal(journal_file):
    key = anonymize_key(journal_file)
    path = journal_file.path.with_name(journal_file.path.name + ".anonymize-key")
    assert path.exists() and anonymize_key(journal_file) == key and len(key) == 32
    assert path.stat().st_mode & 0o077 == 0, "the key is private"


def test_cli_anonymize_writes_a_json_csv_or_xlsx_copy(personal, tmp_path, capsys):
    before = export_json(personal)
    secrets = _secrets(personal)
    path = str(personal.path)
    personal.close()
    for fmt, name in (("json", "a.json"), ("csv", "a.zip"), ("xlsx", "a.xlsx")):
        out = tmp_path / name
        code = main(["export", "--journal", path, "--format", fmt, "--anonymize", "--out",
                     str(out)])
        assert code == 0
        new = tmp_path / f"{name}.sqlite"
        assert main(["import", "--journal", str(new), str(out)]) == 0
        text = export_json(Journal(new, create=False))
        assert not [s for s in secrets if s in text], fmt
    with Journal(path, create=False) as j:
        assert export_json(j) == before, "anonymizing must not touch the journal"
    capsys.readouterr()


# --------------------------------------------------------------------------- coverage


def test_every_text_column_of_the_schema_has_a_rule():
    """Walk the real schema: a new column that can hold text must be given a rule."""
    from afterview_analysis.anonymize import TEXT_CHECKS, TEXT_COLUMNS
    from afterview_analysis.records import RECORD_TYPES

    with Journal(":memory:") as j:
        tables = [r[0] for r in j.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        missing, stale = [], []
        for table in tables:
            checks = RECORD_TYPES[table].checks()
            columns = [r[1] for r in j.conn.execute(f"PRAGMA table_info({table})")]
            assert set(columns) == set(checks), table
            for column in columns:
                is_text = type(checks[column]).__name__ in TEXT_CHECKS
                if is_text and column not in TEXT_COLUMNS.get(table, {}):
                    missing.append(f"{table}.{column}")
                if not is_text and column in TEXT_COLUMNS.get(table, {}):
                    stale.append(f"{table}.{column}")
    assert missing == [] and stale == []
    assert set(TEXT_COLUMNS) <= set(tables)


def test_skills_contacts_and_question_bank_leak_nothing(personal):
    """Personal text in every text column of every table, the skills included."""
    from afterview_analysis.anonymize import TEXT_COLUMNS

    secret = "Zebulon Quixley"  # an interviewer, so a known name
    iv = personal.rows("interviews")[0]
    personal.add(Interviewer(interview_id=iv["id"], name=secret))
    leaks = {}
    for table, rules in TEXT_COLUMNS.items():
        for column, rule in rules.items():
            if table == "skill_scores":
                continue  # follows skills.name (ON UPDATE CASCADE)
            if rule in ("scrub", "note") and personal.counts()[table]:
                marker = f"{secret} at zq{table}{column}@mail.example, +49 170 555 0199"
                personal.conn.execute(
                    f"UPDATE {table} SET {column} = ? || ' ' || rowid", (marker,))
                leaks[(table, column)] = marker
    assert ("skills", "description") in leaks and ("skills", "name") in leaks
    for keep_notes in (False, True):
        text = json.dumps(anonymize(personal, key=b"k", keep_notes=keep_notes))
        assert secret not in text and "Zebulon" not in text and "Quixley" not in text
        assert "mail.example" not in text and "555 0199" not in text


@pytest.mark.parametrize(("name", "text", "kept"), [
    ("Will Park", "Will you relocate to Berlin?", "Will you relocate to Berlin?"),
    ("Will Park", "I will park near the office.", "I will park near the office."),
    ("Mark Hill", "Mark the deadline. We walked up the hill.",
     "Mark the deadline. We walked up the hill."),
    ("Ann Lee", "Annex B of the offer", "Annex B of the offer"),
    ("Data Team", "Senior Data Analyst", "Senior Data Analyst"),
])
def test_names_are_replaced_as_whole_words_with_their_case(journal, name, text, kept):
    from afterview_analysis.records import Interview, Message, Question

    iv = Interview(company="Acme", role=text, starts_at="2026-03-02T09:30Z")
    journal.save_interview(
        iv, interviewers=[Interviewer(interview_id=iv.id, name=name)],
        questions=[Question(interview_id=iv.id, text=text, category="other", score=3)])
    journal.add(Message(interview_id=iv.id, kind="thank_you", recipient=name, body="Hi\n"))
    doc = anonymize(journal, key=b"k", keep_notes=True)
    assert doc["tables"]["interviews"][0]["role"] == kept
    assert doc["tables"]["questions"][0]["text"] == kept


def test_a_whole_name_and_a_first_name_alone_are_replaced(journal):
    """The other side: the name itself, written as a name, never survives."""
    from afterview_analysis.records import Interview, Question

    iv = Interview(company="Acme", role="Analyst", starts_at="2026-03-02T09:30Z")
    journal.save_interview(
        iv, interviewers=[Interviewer(interview_id=iv.id, name="Will Park"),
                          Interviewer(interview_id=iv.id, name="Maya Keller")],
        questions=[Question(interview_id=iv.id, category="other", score=3,
                            text="Will Park and WILL PARK asked; Maya said KELLER's team")])
    doc = anonymize(journal, key=b"k")
    text = doc["tables"]["questions"][0]["text"]
    assert "Will" not in text and "WILL" not in text and "Maya" not in text
    assert "KELLER" not in text and text.count("Interviewer ") == 4, text


@pytest.mark.parametrize(("text", "gone"), [
    ("Then Mark asked about SQL", "Mark"),
    ("I told Mark, and Grace agreed", "Mark"),
    ("Lunch with Grace; Mark joined later", "Grace"),
])
def test_a_first_name_that_is_also_a_word_is_replaced_mid_sentence(journal, text, gone):
    """The other side of "Will you...": capitalised after another word, it is a name."""
    from afterview_analysis.records import Interview, Question

    iv = Interview(company="Acme", role="Analyst", starts_at="2026-03-02T09:30Z")
    journal.save_interview(
        iv, interviewers=[Interviewer(interview_id=iv.id, name="Mark Hill"),
                          Interviewer(interview_id=iv.id, name="Grace Lee")],
        questions=[Question(interview_id=iv.id, category="other", score=3, text=text)])
    out = anonymize(journal, key=b"k")["tables"]["questions"][0]["text"]
    assert gone not in out and "Interviewer " in out, out
