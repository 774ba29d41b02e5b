"""Concurrent writers: two notebooks and a CLI saving into one journal at the same moment.

Four processes each save 250 interviews (with questions, interviewers and skill scores)
into one journal at once, and read back what they wrote as they go. Every one of the 1,000
must be there, whole, and no process may have seen "database is locked": writes take the
lock up front (``BEGIN IMMEDIATE``) and wait for it (busy timeout) instead of failing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from afterview_analysis.journal import Journal
from afterview_analysis.schema import SCHEMA_VERSION

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
WRITERS, EACH, QUESTIONS = 4, 250, 3

WRITER = r"""
import sys
from afterview_analysis.journal import Journal
from afterview_analysis.records import Interview, Interviewer, Question, SkillScore

path, me, each, per = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
sys.stdout.write("waiting\n"); sys.stdout.flush()
sys.stdin.readline()                   # the starting gun: everyone opens and writes at once
j = Journal(path)                      # a fresh file: all four create and migrate it together
skills = j.skills()
for n in range(each):
    iv = Interview(id=f"{me}-{n}", company=f"Company {n % 17}", role="Analyst",
                   starts_at=f"2026-03-{1 + n % 28:02d}T09:30Z", notes=f"writer {me}")
    log = j.save_interview(
        iv,
        questions=[Question(interview_id=iv.id, position=k, text=f"question {k}", score=3)
                   for k in range(per)],
        interviewers=[Interviewer(interview_id=iv.id, name="Ann Lee")],
        skill_scores=[SkillScore(interview_id=iv.id, skill=s, score=4) for s in skills[:2]],
    )
    assert len(log.questions) == per, log
    if n % 25 == 0:
        j.frames() if n == 0 else j.counts()   # readers alongside the writers
j.close()
sys.stdout.write("done\n"); sys.stdout.flush()
"""


def test_four_processes_save_1000_interviews_at_once(tmp_path):
    path = tmp_path / "journal.sqlite"
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), f"w{k}", str(EACH), str(QUESTIONS)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )
        for k in range(WRITERS)
    ]
    for w in writers:
        assert w.stdout.readline() == b"waiting\n"
    started = time.monotonic()
    for w in writers:
        w.stdin.write(b"go\n")
        w.stdin.flush()
    results = [w.communicate(timeout=300) for w in writers]
    elapsed = time.monotonic() - started
    errors = [err.decode() for _, err in results]
    assert not [e for e in errors if "locked" in e.lower()], "a writer saw 'database is locked'"
    assert [w.returncode for w in writers] == [0] * WRITERS, "\n".join(errors)[-3000:]
    with Journal(path, create=False) as j:
        assert j.version == SCHEMA_VERSION
        assert j.check() == []
        counts = j.counts()
        assert counts["interviews"] == WRITERS * EACH
        assert counts["questions"] == WRITERS * EACH * QUESTIONS
        assert counts["interviewers"] == WRITERS * EACH
        assert counts["skills"] == 6, "the rubric was created once, not once per writer"
        per_writer = dict(j.conn.execute("SELECT notes, count(*) FROM interviews GROUP BY notes"))
        assert per_writer == {f"writer w{k}": EACH for k in range(WRITERS)}
        half = j.conn.execute(
            "SELECT count(*) FROM interviews i WHERE (SELECT count(*) FROM questions q "
            "WHERE q.interview_id = i.id) != ?", (QUESTIONS,)).fetchone()[0]
        assert half == 0
    print(f"\n{WRITERS} writers x {EACH} interviews in {elapsed:.1f} s "
          f"({WRITERS * EACH / elapsed:.0f} interviews/s, each with {QUESTIONS} questions)")


OPENER = r"""
import sys
sys.stdin.readline()
from afterview_analysis.journal import Journal
Journal(sys.argv[1]).close()
"""


def test_processes_creating_the_same_new_journal_at_once_all_succeed(tmp_path):
    """Two notebooks started together on a fresh clone both create data/journal.sqlite.

    This once failed about one time in ten: "database is locked" from the switch to WAL
    mode (SQLite does not wait for it), and "not an afterview journal" from reading the
    version and the table list in two snapshots while another process created them.
    """
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    failures = []
    for round_ in range(25):
        path = tmp_path / f"fresh-{round_}.sqlite"
        openers = [subprocess.Popen([sys.executable, "-c", OPENER, str(path)],
                                    stdin=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
                   for _ in range(4)]
        for p in openers:
            p.stdin.write(b"go\n")
            p.stdin.flush()
        for p in openers:
            _, err = p.communicate(timeout=60)
            if p.returncode:
                failures.append(err.decode().strip().splitlines()[-1])
        with Journal(path, create=False) as j:
            assert j.version == SCHEMA_VERSION and j.counts()["skills"] == 6
    assert failures == []
