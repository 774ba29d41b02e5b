"""The textbook statistics, checked against scipy (a test dependency only) and by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from afterview_analysis.analytics._stats import (
    linear_trend,
    median_iqr,
    t_cdf,
    t_quantile,
    welch_interval,
    wilson_interval,
)


@pytest.mark.parametrize("df", [1, 2, 3, 4.5, 5, 7.25, 10, 29, 30, 61.7, 120, 1000, 1e6])
@pytest.mark.parametrize("p", [0.5, 0.6, 0.9, 0.95, 0.975, 0.995, 0.9995, 0.025, 0.1])
def test_t_quantile_matches_scipy(df, p):
    assert t_quantile(p, df) == pytest.approx(stats.t.ppf(p, df), rel=1e-8, abs=1e-10)


@pytest.mark.parametrize("df", [1, 3, 8.5, 40])
@pytest.mark.parametrize("t", [-4.0, -1.0, 0.3, 2.0, 9.0])
def test_t_cdf_matches_scipy(df, t):
    assert t_cdf(t, df) == pytest.approx(stats.t.cdf(t, df), rel=1e-9)


def test_t_quantile_rejects_impossible_probabilities():
    for p in (0.0, 1.0, -0.1, 1.5):
        with pytest.raises(ValueError, match="between 0 and 1"):
            t_quantile(p, 5)
    with pytest.raises(ValueError, match="degrees of freedom"):
        t_cdf(1.0, 0)


@pytest.mark.parametrize("seed", range(8))
def test_linear_trend_matches_linregress(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 80))
    x = rng.uniform(0, 20, n)
    y = rng.normal(2.5, 1.0, n) + rng.normal(0, 0.3) * x
    fit = linear_trend(x, y)
    ref = stats.linregress(x, y)
    half = stats.t.ppf(0.975, n - 2) * ref.stderr
    assert fit["n"] == n
    assert fit["slope"] == pytest.approx(ref.slope, rel=1e-9, abs=1e-12)
    assert fit["intercept"] == pytest.approx(ref.intercept, rel=1e-9, abs=1e-12)
    assert fit["stderr"] == pytest.approx(ref.stderr, rel=1e-8)
    assert fit["ci_low"] == pytest.approx(ref.slope - half, rel=1e-8, abs=1e-12)
    assert fit["ci_high"] == pytest.approx(ref.slope + half, rel=1e-8, abs=1e-12)


def test_linear_trend_undefined_cases_are_nan_not_errors():
    assert math.isnan(linear_trend([], [])["slope"])
    assert math.isnan(linear_trend([1.0], [3.0])["slope"])
    same_day = linear_trend([2.0, 2.0, 2.0], [1, 3, 5])
    assert math.isnan(same_day["slope"]) and same_day["n"] == 3
    two = linear_trend([0, 1], [1, 3])  # a line through two points has no interval
    assert two["slope"] == 2 and math.isnan(two["ci_low"])
    with_nan = linear_trend([0, 1, 2, np.nan], [1, 2, 3, 10])
    assert with_nan["n"] == 3 and with_nan["slope"] == pytest.approx(1.0)


@pytest.mark.parametrize("seed", range(6))
def test_welch_interval_matches_scipy(seed):
    rng = np.random.default_rng(100 + seed)
    a = rng.normal(3.4, 0.8, int(rng.integers(2, 30)))
    b = rng.normal(2.9, 1.3, int(rng.integers(2, 30)))
    ours = welch_interval(a, b)
    ref = stats.ttest_ind(a, b, equal_var=False)
    ci = ref.confidence_interval(0.95)
    assert ours["diff"] == pytest.approx(a.mean() - b.mean())
    assert ours["df"] == pytest.approx(ref.df, rel=1e-9)
    assert ours["ci_low"] == pytest.approx(ci.low, rel=1e-8)
    assert ours["ci_high"] == pytest.approx(ci.high, rel=1e-8)


def test_welch_needs_two_values_per_group():
    r = welch_interval([4.0], [1.0, 2.0, 3.0])
    assert r["diff"] == 2.0 and math.isnan(r["ci_low"]) and r["n_a"] == 1


def test_wilson_interval_by_hand():
    # 8 of 10: p = .8, z = 1.95996; centre (.8 + z²/20) / (1 + z²/10), half-width likewise
    z = 1.959963984540054
    centre = (0.8 + z * z / 20) / (1 + z * z / 10)
    half = z * math.sqrt(0.8 * 0.2 / 10 + z * z / 400) / (1 + z * z / 10)
    low, high = wilson_interval([8, 0, 3], [10, 0, 3])
    assert low[0] == pytest.approx(centre - half) and high[0] == pytest.approx(centre + half)
    assert math.isnan(low[1]) and math.isnan(high[1])  # no trials: no interval
    assert high[2] == pytest.approx(1.0) and low[2] < 1.0  # 3 of 3 is not certainty


def test_median_iqr_by_hand_and_empty():
    assert median_iqr([5, 1, 3, np.nan]) == {"n": 3, "median": 3.0, "q1": 2.0, "q3": 4.0}
    empty = median_iqr([])
    assert empty["n"] == 0 and math.isnan(empty["median"])
