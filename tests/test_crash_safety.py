"""Crash safety: SIGKILL a writing process at random moments; the journal never suffers.

Modelled on SQLite's own crash tests, at the level a user meets: a notebook kernel killed
(or a laptop lid shut on a dying battery is *not* covered: that is power loss, which SQLite's
``synchronous = FULL`` handles and which a test cannot simulate without a VM).

A child process opens the journal and writes without pause: new interviews with their
questions, interviewers and skill scores (``save_interview``: one transaction), rewrites
of earlier interviews with a different number of questions, deletes, and batches. Before
each write it logs ``begin``, after the commit ``commit`` (one ``write`` to an append-only
file, so the line survives the kill). The parent kills it after a random delay, then opens
the journal like the next notebook would and checks:

* ``PRAGMA integrity_check`` and ``PRAGMA foreign_key_check`` are clean;
* every write the child reported committed is there (and every reported delete is gone);
* nothing is there that was not at least begun;
* no interview is half-written: each carries "v<version> n<questions>" in its notes, and
  must have exactly that many questions, all tagged with the same version.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from afterview_analysis.journal import Journal
from afterview_analysis.schema import SCHEMA_VERSION

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
KILLS = int(os.environ.get("AFTERVIEW_CRASH_KILLS", "1000" if os.environ.get(
    "HYPOTHESIS_PROFILE") == "thorough" else "200"))

CHILD = r"""
import os, random, sys
from afterview_analysis.journal import Journal
from afterview_analysis.records import Interview, Interviewer, Question, SkillScore

path, log_path, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = random.Random(seed)
log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

def say(*words):
    os.write(log, (" ".join(map(str, words)) + "\n").encode())

j = Journal(path)
mine = {}
for row in j.conn.execute("SELECT id, notes FROM interviews"):
    mine[row[0]] = int(row[1].split()[0][1:])
skills = j.skills()
sys.stdout.write("ready\n"); sys.stdout.flush()

def build(iv_id, version):
    n = rng.randint(1, 9)
    iv = Interview(id=iv_id, company=f"Company {rng.randint(1, 50)}", role="Analyst",
                   starts_at=f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T09:30Z",
                   notes=f"v{version} n{n} " + "x" * rng.randint(0, 3000))
    qs = [Question(interview_id=iv_id, position=k, text=f"q{k} " + "y" * rng.randint(0, 500),
                   score=rng.randint(1, 5), next_time=f"v{version}") for k in range(n)]
    people = [Interviewer(interview_id=iv_id, name=f"Person {k}")
              for k in range(rng.randint(0, 3))]
    scores = [SkillScore(interview_id=iv_id, skill=s, score=rng.randint(1, 5))
              for s in rng.sample(skills, rng.randint(0, len(skills)))]
    return iv, qs, people, scores

counter = 0
while True:
    counter += 1
    op = rng.random()
    if op < 0.45 or not mine:
        iv_id = f"c{seed}x{counter}"
        iv, qs, people, scores = build(iv_id, 1)
        say("begin", "save", iv_id, 1)
        j.save_interview(iv, questions=qs, interviewers=people, skill_scores=scores)
        say("commit", "save", iv_id, 1)
        mine[iv_id] = 1
    elif op < 0.8:
        iv_id = rng.choice(sorted(mine))
        version = mine[iv_id] + 1
        iv, qs, people, scores = build(iv_id, version)
        say("begin", "save", iv_id, version)
        j.save_interview(iv, questions=qs, interviewers=people, skill_scores=scores)
        say("commit", "save", iv_id, version)
        mine[iv_id] = version
    elif op < 0.9:
        iv_id = rng.choice(sorted(mine))
        say("begin", "delete", iv_id, 0)
        j.delete(Interview, iv_id)
        say("commit", "delete", iv_id, 0)
        del mine[iv_id]
    else:
        batch = []
        ids = [f"c{seed}x{counter}b{k}" for k in range(rng.randint(2, 12))]
        for iv_id in ids:
            iv, qs, people, scores = build(iv_id, 1)
            batch += [iv, *qs, *people, *scores]
        say("begin", "batch", ",".join(ids), 1)
        j.add_many(batch)
        say("commit", "batch", ",".join(ids), 1)
        mine.update(dict.fromkeys(ids, 1))
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _spawn(path: Path, log: Path, seed: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(log), str(seed)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(), cwd=ROOT,
    )


class Ledger:
    """What the children said they committed, and what they had in flight when killed."""

    def __init__(self) -> None:
        self.alive: dict[str, int] = {}  # interview id -> committed version
        self.deleted: set[str] = set()
        self.commits = 0

    def read(self, log: Path) -> list[tuple[str, str, list[str], int]] | None:
        """Apply the log's commits; return the write in flight at the kill (or None)."""
        pending = None
        for line in log.read_text().splitlines():
            state, op, ids, version = line.split()
            entry = (state, op, ids.split(","), int(version))
            if state == "begin":
                pending = entry
                continue
            pending = None
            self.commits += 1
            for iv_id in entry[2]:
                if op == "delete":
                    self.alive.pop(iv_id)
                    self.deleted.add(iv_id)
                else:
                    self.alive[iv_id] = entry[3]
        return pending

    def settle(self, found: dict[str, int], pending) -> None:
        """Check the journal against the ledger, then adopt the in-flight write's outcome."""
        for iv_id, version in self.alive.items():
            deleting = pending and pending[1] == "delete" and iv_id in pending[2]
            assert iv_id in found or deleting, f"committed interview {iv_id} is missing"
            if iv_id in found and found[iv_id] != version:
                assert pending and iv_id in pending[2] and found[iv_id] == pending[3], (
                    f"{iv_id}: found v{found[iv_id]}, committed v{version}")
        for iv_id in self.deleted:
            assert iv_id not in found, f"deleted interview {iv_id} came back"
        extra = set(found) - set(self.alive)
        if extra:
            assert pending and extra <= set(pending[2]), f"never-begun interviews {extra}"
        if pending:  # the write in flight either fully happened or not at all
            ids = set(pending[2])
            if pending[1] == "batch":
                assert len(ids & set(found)) in (0, len(ids)), "half a batch"
            for iv_id in ids:
                if iv_id in found:
                    self.alive[iv_id] = found[iv_id]
                else:
                    self.alive.pop(iv_id, None)
                    if pending[1] == "delete":
                        self.deleted.add(iv_id)


def _verify(path: Path) -> dict[str, int]:
    """Open as the next user would; check integrity and that no interview is half-written."""
    with Journal(path, create=False) as j:
        assert j.version == SCHEMA_VERSION
        assert j.check() == []
        found: dict[str, int] = {}
        questions: dict[str, list[str]] = {}
        for iv_id, tag in j.conn.execute("SELECT interview_id, next_time FROM questions"):
            questions.setdefault(iv_id, []).append(tag)
        for iv_id, notes in j.conn.execute("SELECT id, notes FROM interviews"):
            version, n = notes.split()[:2]
            found[iv_id] = int(version[1:])
            tags = questions.get(iv_id, [])
            assert len(tags) == int(n[1:]), f"{iv_id} has {len(tags)} questions, not {n[1:]}"
            assert set(tags) == {version}, f"{iv_id} mixes question versions {set(tags)}"
        assert set(questions) <= set(found), "questions without their interview"
    return found


def test_sigkill_during_writes_never_loses_or_half_writes(tmp_path):
    path = tmp_path / "journal.sqlite"
    Journal(path).close()
    ledger = Ledger()
    rng = random.Random(20261125)
    in_flight = 0
    started = time.monotonic()
    for kill in range(KILLS):
        log = tmp_path / f"child-{kill}.log"
        child = _spawn(path, log, seed=kill)
        if kill % 10 == 9:
            time.sleep(rng.uniform(0, 0.08))  # sometimes while it opens the journal
        else:
            line = child.stdout.readline()
            assert line == b"ready\n", child.stderr.read().decode()[-2000:]
            time.sleep(rng.uniform(0.0, 0.06))
        child.send_signal(signal.SIGKILL)
        child.wait()
        _, err = child.communicate()
        assert child.returncode == -signal.SIGKILL, err.decode()[-2000:]
        pending = ledger.read(log) if log.exists() else None
        in_flight += pending is not None
        ledger.settle(_verify(path), pending)
        log.unlink(missing_ok=True)
    elapsed = time.monotonic() - started
    print(f"\n{KILLS} kills in {elapsed:.1f} s; {ledger.commits} commits checked; "
          f"{in_flight} kills landed with a write in flight; "
          f"{len(ledger.alive)} interviews in the journal")
    assert ledger.commits > KILLS, "the child barely wrote anything"
    assert in_flight >= KILLS // 2, "too few kills landed during a transaction"


MIGRATING_CHILD = r"""
import sys
from afterview_analysis.journal import Journal
sys.stdout.write("opening\n"); sys.stdout.flush()
Journal(sys.argv[1]).close()
sys.stdout.write("done\n"); sys.stdout.flush()
import time; time.sleep(60)
"""


def test_sigkill_during_a_migration_leaves_a_journal_that_still_migrates(tmp_path):
    """Kill the process that is migrating a v1 journal; the next open finishes the job."""
    source = ROOT / "tests" / "fixtures" / "journal-v1.sqlite"
    expected = {"interviews": 8, "questions": 33, "interviewers": 10, "skill_scores": 48}
    rng = random.Random(7)
    outcomes = {"before": 0, "during or after": 0}
    for attempt in range(30):
        folder = tmp_path / f"a{attempt}"
        folder.mkdir()
        path = folder / "journal.sqlite"
        shutil.copyfile(source, path)
        child = subprocess.Popen([sys.executable, "-c", MIGRATING_CHILD, str(path)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
        assert child.stdout.readline() == b"opening\n"
        time.sleep(rng.uniform(0, 0.03))
        child.send_signal(signal.SIGKILL)
        child.communicate()
        outcomes["during or after" if any(folder.glob("*backup*")) else "before"] += 1
        with Journal(path, create=False) as j:
            assert j.version == SCHEMA_VERSION and j.check() == []
            counts = j.counts()
        assert {t: counts[t] for t in expected} == expected
    assert outcomes["during or after"] > 0, outcomes
