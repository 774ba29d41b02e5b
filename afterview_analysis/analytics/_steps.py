"""When each playbook step first counted as done: shared by own response times and the
step deadlines, so the two can never disagree on what "sent" means.

>>> import pandas as pd
>>> frames = {"interviews": pd.DataFrame({"id": ["a"]}),
...           "messages": pd.DataFrame({"interview_id": ["a"], "kind": ["thank_you"],
...                                     "sent_at": [pd.Timestamp("2026-01-02", tz="UTC")]})}
>>> from afterview_analysis.records import Step
>>> done = done_moments(frames, pd.Timestamp("2026-02-01", tz="UTC"))
>>> str(done[list(Step).index(Step.THANK_YOU), 0])[:10]
'2026-01-02'
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from afterview_analysis.analytics._frames import np_moment, table, utc64
from afterview_analysis.analytics._keys import equals, interview_index, kept, positions
from afterview_analysis.records import Step
from afterview_analysis.rules import MESSAGE_STEP

__all__ = ["done_moments", "step_codes"]


def done_moments(frames: Mapping[str, pd.DataFrame], now: pd.Timestamp) -> np.ndarray:
    """When each playbook step first counted as done, by ``now``, as the agenda counts it
    (rules.steps_for): ticked on the form, or the matching message sent
    (rules.MESSAGE_STEP), or a reference's heads-up sent. A (len(Step), interviews) array
    of naive UTC datetime64, by step (in Step's order) and interview position; NaT where
    not done. Computed once per report (own response times and deadlines both read it)."""
    sources = tuple(frames.get(name) for name in _SOURCES)
    return kept(("done", now, *map(id, sources)), sources,
                lambda: _done_moments(frames, now))


_SOURCES = ("interviews", "playbook_steps", "messages", "heads_ups")


def _done_moments(frames: Mapping[str, pd.DataFrame], now: pd.Timestamp) -> np.ndarray:
    steps = list(Step)
    n = len(interview_index(frames))
    never = np.iinfo(np.int64).max
    best = np.full(len(steps) * n, never, dtype=np.int64)

    def add(name: str, code: np.ndarray, when: pd.Series) -> None:
        pos = positions(frames, name)
        at = utc64(when)
        ok = (code >= 0) & (pos >= 0) & ~np.isnat(at) & (at <= np_moment(now))
        np.minimum.at(best, code[ok] * n + pos[ok], at[ok].astype(np.int64))

    st = table(frames, "playbook_steps", ["interview_id", "step", "done_at"])
    add("playbook_steps", step_codes(st["step"], {s.value: s for s in steps}), st["done_at"])
    msg = table(frames, "messages", ["interview_id", "kind", "sent_at"])
    add("messages", step_codes(msg["kind"], {k.value: s for k, s in MESSAGE_STEP.items()}),
        msg["sent_at"])
    heads = table(frames, "heads_ups", ["interview_id", "sent_at"])
    add("heads_ups", np.full(len(heads), steps.index(Step.CONTACT_REFERENCES)),
        heads["sent_at"])
    out = best.astype("datetime64[us]")
    out[best == never] = np.datetime64("NaT")
    return out.reshape(len(steps), n)


def step_codes(column: pd.Series, meaning: Mapping[str, Step]) -> np.ndarray:
    """Index in ``list(Step)`` of the step each value of ``column`` stands for (-1: none)."""
    steps = list(Step)
    code = np.full(len(column), -1, dtype=np.int64)
    for value, step in meaning.items():
        code[equals(column, value)] = steps.index(step)
    return code
