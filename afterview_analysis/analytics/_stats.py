"""The few textbook statistics the analysis needs, in numpy and the standard library.

scipy is not a runtime dependency (it costs seconds to import and megabytes to install);
the tests check every function here against scipy on random data.

* :func:`t_quantile` -- Student's t quantile, by inverting the t CDF (regularized incomplete
  beta by continued fraction, Numerical Recipes 6.4), accurate to ~1e-10; any real df.
* :func:`linear_trend` -- ordinary least-squares slope, its standard error and t interval
  (the same numbers as ``scipy.stats.linregress``).
* :func:`welch_interval` -- difference of two means with Welch's t interval
  (Welch-Satterthwaite degrees of freedom).
* :func:`wilson_interval` -- Wilson score interval for a proportion.
* :func:`median_iqr` -- median and interquartile range (pandas' linear quantiles).

>>> round(t_quantile(0.975, 10), 4)
2.2281
>>> fit = linear_trend([0, 1, 2, 3], [1, 2, 2, 3])
>>> round(fit["slope"], 2), fit["n"]
(0.6, 4)
"""

from __future__ import annotations

import math
from functools import lru_cache
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "CONFIDENCE",
    "linear_trend",
    "median_iqr",
    "quartiles",
    "t_cdf",
    "t_quantile",
    "welch_interval",
    "wilson_interval",
]

#: Every interval the analysis shows is a 95 % interval.
CONFIDENCE = 0.95
_QUARTILES = {"q1": 0.25, "median": 0.5, "q3": 0.75}


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction for the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def _betainc(a: float, b: float, x: float) -> float:
    """Regularized incomplete beta I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x)
        + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with ``df`` degrees of freedom (df may be fractional).

    >>> round(t_cdf(0.0, 3), 6), round(t_cdf(2.2281388519649385, 10), 6)
    (0.5, 0.975)
    """
    if not df > 0:
        raise ValueError(f"degrees of freedom must be positive, got {df!r}")
    if math.isinf(df):
        return NormalDist().cdf(t)
    tail = 0.5 * _betainc(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


@lru_cache(maxsize=4096)  # the report asks for the same few (p, df) pairs many times
def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t with ``df`` degrees of freedom.

    Inverts :func:`t_cdf` by bisection (exact to about 1e-10); ``df=inf`` gives the normal.

    >>> round(t_quantile(0.975, 1), 4), round(t_quantile(0.975, 30), 4)
    (12.7062, 2.0423)
    >>> round(t_quantile(0.975, float("inf")), 4)
    1.96
    """
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must be strictly between 0 and 1, got {p!r}")
    if math.isinf(df):
        return NormalDist().inv_cdf(p)
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    if p == 0.5:
        return 0.0
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        low, high = high, high * 2.0
        if high > 1e12:
            return math.inf
    for _ in range(200):
        mid = 0.5 * (low + high)
        if t_cdf(mid, df) < p:
            low = mid
        else:
            high = mid
        if high - low <= 1e-12 * max(1.0, high):
            break
    return 0.5 * (low + high)


def linear_trend(x: Any, y: Any, confidence: float = CONFIDENCE) -> dict[str, float]:
    """Least-squares line y = intercept + slope * x, with a t interval for the slope.

    ``stderr`` is the usual sqrt(SSE / (n - 2) / Sxx); the interval is
    slope +/- t(1 - alpha/2, n - 2) * stderr. NaN where undefined (n < 3 or all x equal).

    >>> fit = linear_trend([0, 1, 2, 3, 4], [2, 2, 2, 2, 2])
    >>> fit["slope"], fit["ci_low"], fit["ci_high"]
    (0.0, 0.0, 0.0)
    """
    xs = np.asarray(x, dtype=float)
    ys = np.asarray(y, dtype=float)
    keep = ~(np.isnan(xs) | np.isnan(ys))
    xs, ys = xs[keep], ys[keep]
    n = int(xs.size)
    nan = math.nan
    out = {"n": n, "slope": nan, "intercept": nan, "stderr": nan, "ci_low": nan, "ci_high": nan}
    if n < 2:
        return out
    xc, yc = xs - xs.mean(), ys - ys.mean()
    # plain sums, not the BLAS dot product: on a busy machine its threads cost more
    cxx, cxy, cyy = float((xc * xc).sum()), float((xc * yc).sum()), float((yc * yc).sum())
    if cxx <= 1e-12 * max(float((xs * xs).sum()), 1.0):
        return out
    slope = cxy / cxx
    out["slope"] = slope
    out["intercept"] = float(ys.mean()) - slope * float(xs.mean())
    if n < 3:
        return out
    sse = max(cyy - slope * cxy, 0.0)
    if sse <= 1e-12 * max(abs(cyy), 1.0):
        sse = 0.0
    stderr = math.sqrt(sse / (n - 2) / cxx)
    half = t_quantile(0.5 + confidence / 2.0, n - 2) * stderr
    out.update(stderr=stderr, ci_low=slope - half, ci_high=slope + half)
    return out


def welch_interval(a: Any, b: Any, confidence: float = CONFIDENCE) -> dict[str, float]:
    """mean(a) - mean(b) with Welch's t interval (unequal variances).

    df = (va/na + vb/nb)^2 / ((va/na)^2/(na-1) + (vb/nb)^2/(nb-1)), sample variances.
    NaN interval when either group has fewer than 2 values.

    >>> r = welch_interval([3, 4, 5], [1, 2, 3])
    >>> r["diff"], round(r["ci_low"], 3), round(r["ci_high"], 3)
    (2.0, -0.267, 4.267)
    """
    xa = np.asarray(a, dtype=float)
    xb = np.asarray(b, dtype=float)
    xa, xb = xa[~np.isnan(xa)], xb[~np.isnan(xb)]
    na, nb = int(xa.size), int(xb.size)
    nan = math.nan
    mean_a = float(xa.mean()) if na else nan
    mean_b = float(xb.mean()) if nb else nan
    out = {
        "mean_a": mean_a, "n_a": na, "mean_b": mean_b, "n_b": nb,
        "diff": mean_a - mean_b, "df": nan, "ci_low": nan, "ci_high": nan,
    }
    if na < 2 or nb < 2:
        return out
    va, vb = float(xa.var(ddof=1)) / na, float(xb.var(ddof=1)) / nb
    se = math.sqrt(va + vb)
    if se == 0.0:
        out.update(df=float(na + nb - 2), ci_low=out["diff"], ci_high=out["diff"])
        return out
    df = (va + vb) ** 2 / (va * va / (na - 1) + vb * vb / (nb - 1))
    half = t_quantile(0.5 + confidence / 2.0, df) * se
    out.update(df=df, ci_low=out["diff"] - half, ci_high=out["diff"] + half)
    return out


def wilson_interval(
    successes: Any, n: Any, confidence: float = CONFIDENCE
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for successes / n (vectorised); NaN where n == 0.

    >>> low, high = wilson_interval(8, 10)
    >>> round(float(low), 3), round(float(high), 3)
    (0.49, 0.943)
    """
    k = np.asarray(successes, dtype=float)
    m = np.asarray(n, dtype=float)
    z = NormalDist().inv_cdf(0.5 + confidence / 2.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / m
        denom = 1.0 + z * z / m
        centre = (p + z * z / (2.0 * m)) / denom
        half = z * np.sqrt(p * (1.0 - p) / m + z * z / (4.0 * m * m)) / denom
        low = np.where(k <= 0, 0.0, np.clip(centre - half, 0.0, 1.0))
        high = np.where(k >= m, 1.0, np.clip(centre + half, 0.0, 1.0))
        low = np.where(m > 0, low, np.nan)
        high = np.where(m > 0, high, np.nan)
    return low, high


def median_iqr(values: Any) -> dict[str, float]:
    """Median, first and third quartiles (linear interpolation, as pandas) and n.

    >>> median_iqr([1, 2, 3, 4, 100])
    {'n': 5, 'median': 3.0, 'q1': 2.0, 'q3': 4.0}
    """
    xs = np.asarray(values, dtype=float)
    xs = xs[~np.isnan(xs)]
    if xs.size == 0:
        return {"n": 0, "median": math.nan, "q1": math.nan, "q3": math.nan}
    q1, med, q3 = np.quantile(xs, [0.25, 0.5, 0.75])
    return {"n": int(xs.size), "median": float(med), "q1": float(q1), "q3": float(q3)}


def quartiles(values: pd.Series, groups: list[pd.Series], prefix: str) -> pd.DataFrame:
    """n, median, q1 and q3 (pandas' linear quantiles) of ``values`` per group of
    ``groups`` (a list of keys; NaN values left out), as columns ``prefix_n``, ...

    >>> import pandas as pd
    >>> quartiles(pd.Series([1.0, 2, 3, 9]), [pd.Series(["a", "a", "a", "b"])], "x")
    ... # doctest: +NORMALIZE_WHITESPACE
       x_n  x_q1  x_median  x_q3
    a    3   1.5       2.0   2.5
    b    1   9.0       9.0   9.0
    """
    g = values.groupby(groups[0] if len(groups) == 1 else groups, observed=False)
    out = g.quantile(list(_QUARTILES.values())).unstack()
    out = out.reindex(columns=list(_QUARTILES.values())).set_axis(list(_QUARTILES), axis=1)
    return pd.concat([g.count().rename("n"), out], axis=1).add_prefix(f"{prefix}_")
