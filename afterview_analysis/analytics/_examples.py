"""A tiny, hand-checkable journal for the docstring examples and the tests.

Three interviews, 30 days apart, in UTC (the profile's default zone):

=====  ==========  =========  ============  ========  =========  =========================
id     start       company    stage         promised  predicted  outcome
=====  ==========  =========  ============  ========  =========  =========================
a      01-05 10:00 Acme       screen        01-09     30 %       rejected 01-12
b      02-04 10:00 Beta       technical     02-10     70 %       advanced 02-09
c      03-06 10:00 Beta       onsite        03-13     60 %       pending
=====  ==========  =========  ============  ========  =========  =========================

Every interview lasts 60 minutes. Skills: communication 2, 3, 4; problem solving 1, 2, 1.
Employer: a rejected on 01-12 09:00 (71 h after the end); b asked for information on
02-06 09:00 and invited to the next round on 02-09 15:00; c has not answered.
The user: thank-you a +4 h, b +73 h, c +2 h; the information reply 11 h after the request;
a follow-up for c on 03-21 10:00.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

__all__ = ["tiny_frames", "tiny_journal"]


def _at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


def tiny_journal():
    """The journal described in the module docstring (in memory)."""
    from afterview_analysis.journal import Journal
    from afterview_analysis.records import (
        EmployerEvent,
        Interview,
        Message,
        PlaybookStep,
        Question,
        SkillScore,
    )

    j = Journal(":memory:")
    ivs = [
        Interview(id="a", company="Acme", role="Analyst", stage="screen", starts_at=_at(1, 5),
                  feedback_by="2026-01-09", predicted_chance=30, outcome="rejected",
                  outcome_on="2026-01-12"),
        Interview(id="b", company="Beta", role="Analyst", stage="technical",
                  starts_at=_at(2, 4), feedback_by="2026-02-10", predicted_chance=70,
                  outcome="advanced", outcome_on="2026-02-09"),
        Interview(id="c", company="Beta", role="Analyst", stage="onsite", starts_at=_at(3, 6),
                  feedback_by="2026-03-13", predicted_chance=60),
    ]
    records: list = list(ivs)
    for iid, comm, ps in (("a", 2, 1), ("b", 3, 2), ("c", 4, 1)):
        records += [SkillScore(interview_id=iid, skill="communication", score=comm),
                    SkillScore(interview_id=iid, skill="problem solving", score=ps)]
    records += [
        Question(interview_id="a", position=0, text="Design a cache", category="system_design",
                 score=1, minutes=12, next_time="Start from the access pattern."),
        Question(interview_id="a", position=1, text="Why us?", category="motivation",
                 score=3, minutes=3),
        Question(interview_id="b", position=0, text="Explain a join", category="technical",
                 score=4, minutes=5),
        Question(interview_id="c", position=0, text="Design a feed", category="system_design",
                 score=2, minutes=10, next_time="Name the trade-offs."),
        Question(interview_id="c", position=1, text="Tell me about a conflict",
                 category="behavioural", score=4),
        EmployerEvent(id="ev-a", interview_id="a", kind="rejection", at=_at(1, 12, 9)),
        EmployerEvent(id="ev-b1", interview_id="b", kind="info_request", at=_at(2, 6, 9)),
        EmployerEvent(id="ev-b2", interview_id="b", kind="next_round", at=_at(2, 9, 15)),
    ]

    def msg(iid, kind, sent, reply_to=None):
        return Message(interview_id=iid, kind=kind, recipient="Sam", body="...",
                       created_at=sent, sent_at=sent, reply_to_event_id=reply_to)

    records += [
        msg("a", "thank_you", _at(1, 5, 15)),
        msg("b", "thank_you", _at(2, 7, 12)),
        msg("b", "info_reply", _at(2, 6, 20), reply_to="ev-b1"),
        msg("c", "thank_you", _at(3, 6, 13)),
        msg("c", "follow_up", _at(3, 21, 10)),
        PlaybookStep(interview_id="a", step="ask_next_steps", done_at=_at(1, 5, 11)),
        PlaybookStep(interview_id="a", step="thank_you", done_at=_at(1, 5, 15)),
        PlaybookStep(interview_id="b", step="thank_you", done_at=_at(2, 7, 12)),
        PlaybookStep(interview_id="c", step="thank_you", done_at=_at(3, 6, 13)),
        PlaybookStep(interview_id="c", step="follow_up", done_at=_at(3, 21, 10)),
    ]
    j.add_many(records)
    return j


def tiny_frames() -> dict[str, pd.DataFrame]:
    """``tiny_journal().frames()``."""
    j = tiny_journal()
    try:
        return j.frames()
    finally:
        j.close()
