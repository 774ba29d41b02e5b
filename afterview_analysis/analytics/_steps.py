"""When each playbook step first counted as done, for many interviews at once, as the agenda
counts it (ticked, or the matching message sent). When each step falls due is
:func:`afterview_analysis.rules.deadlines`, the agenda's own function.

>>> import pandas as pd
>>> frames = {"interviews": pd.DataFrame({"id": ["a"]}),
...           "messages": pd.DataFrame({"interview_id": ["a"], "kind": ["thank_you"],
...                                     "sent_at": [pd.Timestamp("2026-01-02", tz="UTC")]})}
>>> done_moments(frames, pd.Timestamp("2026-02-01", tz="UTC")).to_numpy().tolist()
[['a', 'thank_you', Timestamp('2026-01-02 00:00:00+0000', tz='UTC')]]
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from afterview_analysis.analytics._frames import interviews, table, utc
from afterview_analysis.records import MESSAGE_STEP, Step

__all__ = ["done_by_step", "done_moments"]

_STEPS = [s.value for s in Step]


def _rows(frames: Mapping[str, pd.DataFrame], name: str, columns: list[str]) -> pd.DataFrame:
    df = table(frames, name, ["interview_id", *columns])
    return df[columns].assign(interview_id=df["interview_id"].astype("str"))


def _done(frames: Mapping[str, pd.DataFrame], now: pd.Timestamp) -> pd.DataFrame:
    """Every moment, by ``now``, at which a step counted as done: ``interview_id``,
    ``step`` (text), ``at``; an interview may have several for one step, and rows of
    interviews the journal does not hold are kept (the callers pick their interviews)."""
    ticked = _rows(frames, "playbook_steps", ["step", "done_at"])
    sent = _rows(frames, "messages", ["kind", "sent_at"])
    heads = _rows(frames, "heads_ups", ["sent_at"])
    by_message = {kind.value: step.value for kind, step in MESSAGE_STEP.items()}
    done = pd.concat([
        ticked.assign(step=ticked["step"].astype("str"), at=utc(ticked["done_at"])),
        sent.assign(step=sent["kind"].astype("str").map(by_message), at=utc(sent["sent_at"])),
        heads.assign(step=Step.CONTACT_REFERENCES.value, at=utc(heads["sent_at"])),
    ], ignore_index=True)[["interview_id", "step", "at"]]
    return done[done["step"].isin(_STEPS) & (done["at"] <= now)]


def done_moments(frames: Mapping[str, pd.DataFrame], now: pd.Timestamp) -> pd.DataFrame:
    """When each playbook step first counted as done, by ``now``, as the agenda counts it
    (rules.steps_for): ticked on the form, or the matching message sent
    (records.MESSAGE_STEP), or a reference's heads-up sent. Columns ``interview_id``,
    ``step`` (text), ``done_at``; one row per step done, for the interviews of the journal."""
    known = interviews(frames)["interview_id"]
    done = _done(frames, now)
    return (done[done["interview_id"].isin(known)]
            .groupby(["interview_id", "step"], as_index=False)["at"].min()
            .rename(columns={"at": "done_at"}))


def done_by_step(frames: Mapping[str, pd.DataFrame], now: pd.Timestamp,
                 ids: pd.Series) -> pd.DataFrame:
    """:func:`done_moments` as one column per step (every step), one row per id of
    ``ids`` (in its order and index); NaT where not done."""
    first = (_done(frames, now).groupby(["interview_id", "step"])["at"].min().unstack()
             .reindex(index=ids).set_axis(ids.index))
    never = pd.Series(pd.NaT, index=ids.index, dtype="datetime64[us, UTC]")
    return pd.DataFrame({step: first.get(step, never) for step in _STEPS})
