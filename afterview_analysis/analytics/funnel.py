"""The funnel: interviews per stage, how many moved on, how they ended.

* :func:`funnel` -- per stage: counts per outcome (they add up to the stage's
  interviews) and the conversion to the next step (advanced or offer, among the
  interviews the employer decided), with a 95 % Wilson interval.

An interview the user withdrew from is counted, but not as decided: the employer never
said yes or no, exactly as in :mod:`~afterview_analysis.analytics.calibration`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from afterview_analysis.analytics._frames import table
from afterview_analysis.analytics._stats import wilson_interval
from afterview_analysis.records import Outcome, Stage

__all__ = ["funnel"]


def funnel(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Per stage (in process order; stages without interviews left out): ``interviews``,
    one count column per outcome (``pending``, ``advanced``, ``offer``, ``rejected``,
    ``withdrawn``, ``ghosted``; they add up to ``interviews``), ``resolved`` (decided by
    the employer: advanced, offer, rejected or ghosted; pending and withdrawn are not),
    ``moved_on`` (advanced + offer), ``conversion`` = moved_on / resolved and its 95 %
    Wilson interval ``low``/``high`` (NaN while nothing is resolved).

    >>> from afterview_analysis.analytics._examples import tiny_frames
    >>> f = funnel(tiny_frames())
    >>> f[["stage", "interviews", "resolved", "moved_on", "conversion"]].to_numpy().tolist()
    [['screen', 1, 1, 0, 0.0], ['technical', 1, 1, 1, 1.0], ['onsite', 1, 0, 0, nan]]
    """
    iv = table(frames, "interviews", ["stage", "outcome"])
    stage = iv["stage"].astype("str")
    outcome = iv["outcome"].astype("str")
    outcomes = [o.value for o in Outcome]
    counts = pd.crosstab(stage, outcome).reindex(columns=outcomes, fill_value=0)
    order = [s.value for s in Stage]
    counts = counts.reindex([s for s in order if s in counts.index])
    out = counts.reset_index(names="stage")
    out.columns.name = None
    out.insert(1, "interviews", counts.sum(axis=1).to_numpy())
    out["resolved"] = out[["advanced", "offer", "rejected", "ghosted"]].sum(axis=1)
    out["moved_on"] = out["advanced"] + out["offer"]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["conversion"] = np.where(out["resolved"] > 0,
                                     out["moved_on"] / out["resolved"].clip(lower=1), np.nan)
    out["low"], out["high"] = wilson_interval(out["moved_on"], out["resolved"])
    ints = ["interviews", *outcomes, "resolved", "moved_on"]
    return out.astype({c: "int64" for c in ints}).reset_index(drop=True)
