"""What a click costs in the kernel, on a coach-sized personal journal (issue 10).

On a journal of 1,000 interviews (the shape of ``bench_analysis``' synthetic journal,
written into a real file), the widgets are driven in this Python process as a user drives
them in the workbook, without a browser, and each action is timed from the click (or the
picker's new value) until its handler has returned:

* *save an interview*: a new interview typed into the "after the interview" form (two
  interviewers, three questions, two skill scores), then *Save*;
* *save it again*: one field changed on that interview, then *Save*;
* *tone* and *recipient*: the Messages form's pickers on that interview's thank-you
  (the draft is rendered again);
* *mark sent*: the Messages form's *Mark sent* on that draft.

Each is the median of several repetitions. The target is absolute (issue 10: each under
0.1 s); each also comes as a ratio to ``Journal.frames()`` on the same journal in the same
run, so a busy machine can be told from a slow click.

    python benchmarks/bench_interaction.py [--quick]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

#: Every action within this many seconds (issue 10).
TARGET_SECONDS = 0.1
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _journal(folder: Path, n_interviews: int) -> Path:
    from bench_analysis import synthetic_frames, write_journal

    from afterview_analysis.journal import Journal
    from afterview_analysis.records import Profile

    path = folder / "journal.sqlite"
    write_journal(synthetic_frames(n_interviews * 10, 10), path)
    with Journal(path) as j:
        j.update(Profile(name="Ada Lovelace", email="ada@example.org",
                         timezone="Europe/Berlin"))
    return path


def _fill(form, company: str) -> None:
    """Type a new interview as a user would (the form's own widgets)."""
    f = form.fields
    f["company"].value, f["role"].value = company, "Data analyst"
    f["start_date"].value, f["start_time"].value = date(2026, 5, 28), "09:30"
    f["feedback_by"].value = date(2026, 6, 4)
    f["recall_point"].value = "their move to a semantic layer"
    row = form.interviewer_rows[0].fields
    row["name"].value, row["email"].value = "Maya Keller", "maya@acme.example"
    form.add_interviewer_button.click()
    form.interviewer_rows[1].fields["name"].value = "Jonas Okafor"
    for i in range(3):
        if i >= len(form.question_rows):
            form.add_question_button.click()
        q = form.question_rows[i].fields
        q["text"].value, q["score"].value = f"Question {i + 1}?", str(i + 2)
    form.skill_controls["communication"].value = 4
    form.skill_controls["problem solving"].value = 3


def _timed(action) -> float:
    t0 = time.perf_counter()
    action()
    return time.perf_counter() - t0


def run(quick: bool = False) -> list[dict]:
    from afterview_analysis.journal import Journal
    from afterview_analysis.widgets import InterviewFormView, MessagesView

    n_interviews, repeat = (200, 3) if quick else (1_000, 7)
    times: dict[str, list[float]] = {k: [] for k in (
        "save", "save again", "tone", "recipient", "mark sent")}
    with tempfile.TemporaryDirectory() as tmp:
        path = _journal(Path(tmp), n_interviews)
        with Journal(path) as journal:
            t_read = min(_timed(journal.frames) for _ in range(3))
            for i in range(repeat):
                form = InterviewFormView(journal, now=lambda: NOW)
                _fill(form, f"Acme {i}")
                times["save"].append(_timed(form.save_button.click))
                assert "Saved" in form.status.value, form.status.value
                form.fields["notes"].value = "Panel of two."
                times["save again"].append(_timed(form.save_button.click))
                assert "Saved" in form.status.value, form.status.value

                view = MessagesView(journal, now=lambda: NOW, export_dir=Path(tmp, "out"),
                                    interview_id=form.state.id, kind="thank_you")
                for tone in ("brief", "formal"):
                    view.tone.value = "warm"
                    times["tone"].append(_timed(partial(setattr, view.tone, "value", tone)))
                for who in ("Jonas Okafor", "Maya Keller"):
                    times["recipient"].append(
                        _timed(partial(setattr, view.recipient, "value", who)))
                times["mark sent"].append(_timed(view.sent_button.click))
                assert "Marked sent" in view.status.value, view.status.value
    words = {
        "save": "save a new interview in the form",
        "save again": "save an edited interview again",
        "tone": "Messages: change the tone (draft rendered again)",
        "recipient": "Messages: change the recipient (draft rendered again)",
        "mark sent": "Messages: mark the draft sent",
    }
    label = f"{n_interviews:,} interviews"
    rows = [{"benchmark": "interaction", "measure": f"Journal.frames(), {label}",
             "value": t_read, "unit": "s"}]
    for key, values in times.items():
        median = statistics.median(values)
        rows.append({"benchmark": "interaction", "measure": f"{words[key]}, {label}",
                     "value": median, "unit": f"s (median of {len(values)})",
                     "baseline": "Journal.frames(), same journal",
                     "ratio": median / t_read, "target": f"< {TARGET_SECONDS:g} s",
                     "ok": median < TARGET_SECONDS})
    return rows


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        print(row)
