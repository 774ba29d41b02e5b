"""The playbook's clock: when each after-interview step is due.

Deadlines (the contract analysis and the agenda share):

* ask for next steps: at the interview's end;
* assess your performance: the same day (23:59 in the user's zone);
* review online profiles, contact references: within 24 h of the end;
* thank-you: within 48 h of the end (earlier is better);
* follow-up: 7 days after the promised feedback date has passed with no employer
  response (none is due if they answered);
* reply to an information request: within 24 h of the request.
"""

from __future__ import annotations

from datetime import timedelta

from afterview_analysis.records import Step

#: Step -> (anchor, offset). Anchors: "end" (interview end), "end_of_day" (23:59 local on
#: the interview's day), "feedback_by" (end of the promised feedback date, local).
DEADLINES: dict[Step, tuple[str, timedelta]] = {
    Step.ASK_NEXT_STEPS: ("end", timedelta(0)),
    Step.ASSESS_PERFORMANCE: ("end_of_day", timedelta(0)),
    Step.REVIEW_PROFILES: ("end", timedelta(hours=24)),
    Step.CONTACT_REFERENCES: ("end", timedelta(hours=24)),
    Step.THANK_YOU: ("end", timedelta(hours=48)),
    Step.FOLLOW_UP: ("feedback_by", timedelta(days=7)),
}
INFO_REPLY_WITHIN = timedelta(hours=24)
THANK_YOU_WITHIN = DEADLINES[Step.THANK_YOU][1]
FOLLOW_UP_AFTER = DEADLINES[Step.FOLLOW_UP][1]
