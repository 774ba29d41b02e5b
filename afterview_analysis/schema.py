"""The journal's schema: every table, index and CHECK rule, as ordered migrations.

``MIGRATIONS[n - 1]`` takes a journal from schema version n-1 to n; the version lives in
``PRAGMA user_version``. A new schema change is a new list appended at the end (never an
edit of an old one: journals out there were made by it). The CHECK rules repeat the
records' vocabularies (:mod:`afterview_analysis.records`), so even a write that bypasses
the records cannot store a score of 7.

Every afterview journal carries :data:`APPLICATION_ID` in ``PRAGMA application_id`` (set on
creation, and added to older journals by migration 3), so another program's SQLite file is
told apart before anything is written to it.

>>> SCHEMA_VERSION == len(MIGRATIONS)
True
>>> TABLES[:3]
('profile', 'skills', 'interviews')
>>> hex(APPLICATION_ID)
'0x41667476'
"""

from __future__ import annotations

from afterview_analysis.records import CLOSINGS, RECORD_TYPES

__all__ = ["APPLICATION_ID", "MARKED_SINCE", "MIGRATIONS", "SCHEMA_VERSION", "TABLES"]

#: ``PRAGMA application_id`` of every afterview journal: "Aftv" in ASCII.
APPLICATION_ID = 0x41667476

_V1 = [
    """CREATE TABLE skills (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
        position INTEGER NOT NULL DEFAULT 0,
        description TEXT)""",
    """CREATE TABLE interviews (
        id TEXT PRIMARY KEY,
        company TEXT NOT NULL CHECK (length(trim(company)) > 0),
        role TEXT NOT NULL CHECK (length(trim(role)) > 0),
        stage TEXT NOT NULL
            CHECK (stage IN ('screen', 'technical', 'onsite', 'final', 'other')),
        format TEXT NOT NULL CHECK (format IN ('phone', 'video', 'in_person')),
        starts_at TEXT NOT NULL,
        duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 720),
        location TEXT,
        job_url TEXT,
        notes TEXT,
        process_length TEXT,
        feedback_by TEXT,
        recall_point TEXT,
        forgotten_strength TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN
            ('pending', 'advanced', 'offer', 'rejected', 'withdrawn', 'ghosted')),
        outcome_on TEXT,
        created_at TEXT NOT NULL)""",
    "CREATE INDEX interviews_starts_at ON interviews (starts_at)",
    """CREATE TABLE interviewers (
        id TEXT PRIMARY KEY,
        interview_id TEXT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
        name TEXT NOT NULL CHECK (length(trim(name)) > 0),
        title TEXT,
        email TEXT,
        phone TEXT,
        profile_url TEXT)""",
    "CREATE INDEX interviewers_interview ON interviewers (interview_id)",
    """CREATE TABLE questions (
        id TEXT PRIMARY KEY,
        interview_id TEXT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
        position INTEGER NOT NULL DEFAULT 0,
        text TEXT NOT NULL CHECK (length(trim(text)) > 0),
        category TEXT NOT NULL CHECK (category IN ('technical', 'behavioural',
            'system_design', 'culture', 'motivation', 'salary', 'other')),
        answer TEXT,
        score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
        minutes INTEGER CHECK (minutes BETWEEN 1 AND 240),
        next_time TEXT)""",
    "CREATE INDEX questions_interview ON questions (interview_id)",
    """CREATE TABLE skill_scores (
        id TEXT PRIMARY KEY,
        interview_id TEXT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
        skill TEXT NOT NULL REFERENCES skills (name) ON UPDATE CASCADE,
        score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
        UNIQUE (interview_id, skill))""",
]

_V2 = [
    "ALTER TABLE interviews ADD COLUMN keep_in_touch INTEGER CHECK (keep_in_touch IN (0, 1))",
    """ALTER TABLE interviews ADD COLUMN predicted_chance INTEGER
        CHECK (predicted_chance BETWEEN 0 AND 100)""",
    """CREATE TABLE profile (
        id TEXT PRIMARY KEY CHECK (id = 'me'),
        name TEXT, email TEXT, phone TEXT, signature TEXT, pitch TEXT,
        timezone TEXT NOT NULL DEFAULT 'UTC',
        linkedin TEXT, facebook TEXT, x TEXT, github TEXT, website TEXT)""",
    """CREATE TABLE playbook_steps (
        id TEXT PRIMARY KEY,
        interview_id TEXT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
        step TEXT NOT NULL CHECK (step IN ('ask_next_steps', 'assess_performance',
            'review_profiles', 'contact_references', 'thank_you', 'follow_up')),
        done_at TEXT NOT NULL,
        note TEXT,
        UNIQUE (interview_id, step))""",
    """CREATE TABLE references_ (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(trim(name)) > 0),
        relationship TEXT, email TEXT, phone TEXT)""",
    """CREATE TABLE heads_ups (
        id TEXT PRIMARY KEY,
        interview_id TEXT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
        reference_id TEXT NOT NULL REFERENCES references_ (id) ON DELETE CASCADE,
        sent_at TEXT,
        note TEXT)""",
    "CREATE INDEX heads_ups_interview ON heads_ups (interview_id)",
    """CREATE TABLE employer_events (
        id TEXT PRIMARY KEY,
        interview_id TEXT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN
            ('feedback', 'info_request', 'next_round', 'offer', 'rejection', 'other')),
        at TEXT NOT NULL,
        note TEXT)""",
    "CREATE INDEX employer_events_interview ON employer_events (interview_id)",
    """CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        interview_id TEXT REFERENCES interviews (id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN
            ('thank_you', 'follow_up', 'info_reply', 'reference_heads_up')),
        recipient TEXT NOT NULL,
        recipient_email TEXT,
        subject TEXT,
        body TEXT NOT NULL,
        channel TEXT NOT NULL CHECK (channel IN ('email', 'letter', 'phone')),
        reply_to_event_id TEXT REFERENCES employer_events (id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        sent_at TEXT)""",
    "CREATE INDEX messages_interview ON messages (interview_id)",
    "INSERT INTO profile (id) VALUES ('me')",
]

_V3 = [
    # Marks the file as an afterview journal (journals made before had application_id 0).
    f"PRAGMA application_id = {APPLICATION_ID}",
]

#: The schema version that added :data:`APPLICATION_ID`: every journal at it or later has it.
MARKED_SINCE = 3


def _strip_closing(closing: str) -> str:
    """SQL removing ``closing`` (and the line break after it) from the start of a stored
    signature: a signature holds the name and contact lines, the draft adds the closing."""
    quoted = closing.replace("'", "''")
    return (
        "UPDATE profile SET signature = nullif(ltrim(substr(ltrim(signature), "
        f"{len(closing) + 1}), ' ' || char(9, 10, 13)), '') "
        f"WHERE lower(substr(ltrim(signature), 1, {len(closing)})) = lower('{quoted}')"
    )


# Contacts and calls: who each person at the employer is (interviewer, recruiter, HR),
# who sent a request for information, what a reference can speak to, the date a phone
# call was promised news by; and signatures without a closing line.
_V4 = [
    """ALTER TABLE interviewers ADD COLUMN contact_role TEXT NOT NULL DEFAULT 'interviewer'
        CHECK (contact_role IN ('interviewer', 'recruiter', 'hr'))""",
    "ALTER TABLE employer_events ADD COLUMN contact_id TEXT",
    "ALTER TABLE references_ ADD COLUMN speaks_to TEXT",
    "ALTER TABLE messages ADD COLUMN promised_on TEXT",
    # longest first, so "With warm regards," goes before "Warm regards," could match
    *(_strip_closing(c) for c in sorted(CLOSINGS, key=len, reverse=True)),
]

# The question bank: groups the user confirmed, named, answered best or practised; which
# askings the user put in which group (wins over the similarity); practice of a group.
_V5 = [
    """CREATE TABLE question_groups (
        id TEXT PRIMARY KEY,
        title TEXT,
        best_answer TEXT,
        best_answer_at TEXT,
        created_at TEXT NOT NULL)""",
    """CREATE TABLE question_pins (
        id TEXT PRIMARY KEY,
        question_id TEXT NOT NULL UNIQUE REFERENCES questions (id) ON DELETE CASCADE,
        group_id TEXT NOT NULL REFERENCES question_groups (id) ON DELETE CASCADE,
        pinned_at TEXT NOT NULL)""",
    "CREATE INDEX question_pins_group ON question_pins (group_id)",
    """CREATE TABLE practice (
        id TEXT PRIMARY KEY,
        group_id TEXT NOT NULL REFERENCES question_groups (id) ON DELETE CASCADE,
        practised_at TEXT NOT NULL,
        score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
        answer TEXT)""",
    "CREATE INDEX practice_group ON practice (group_id)",
]

# The user's own questions to ask the interviewers (one a line), for the prep sheet.
_V6 = [
    "ALTER TABLE profile ADD COLUMN questions_to_ask TEXT",
]

#: Ordered schema steps: ``MIGRATIONS[n - 1]`` takes a journal from version n-1 to n.
MIGRATIONS: list[list[str]] = [_V1, _V2, _V3, _V4, _V5, _V6]
SCHEMA_VERSION = len(MIGRATIONS)

#: Tables in insert order (parents first), and the order ``frames()`` returns them in.
TABLES: tuple[str, ...] = tuple(RECORD_TYPES)
