"""Distributions, coverage, trend fit and coefficient of variation on arrays whose answers are worked out by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from advisor.fleet.stats import (
    NOT_COLLECTED,
    NOT_ENOUGH_DATA,
    coefficient_of_variation,
    distribution,
    fit_line,
    trend,
)


def test_percentiles_and_spike_ratio() -> None:
    # 100 values: 99 at 10% and one spike at 80% -> p50 = p95 = 10 (the spike is 1% of points), max 80.
    values = np.array([10.0] * 99 + [80.0])
    d = distribution("EngineCPUUtilization", "Maximum", "%", values, expected=100)
    assert (d.p50, d.p95, d.max) == (10.0, 10.0, 80.0)
    assert d.spike_ratio == pytest.approx(8.0)  # 80 / 10
    assert d.spike_label == "severe spikes"  # above 5


def test_under_75_percent_of_datapoints_is_not_enough_data_never_zero() -> None:
    d = distribution("DatabaseMemoryUsagePercentage", "Maximum", "%", np.array([50.0] * 74), expected=100)
    assert d.status == NOT_ENOUGH_DATA and not d.enough
    assert d.p95 is None and d.max is None and d.spike_ratio is None
    assert distribution("x", "Sum", "n", np.array([1.0] * 75), expected=100).enough  # exactly 75% is enough
    empty = distribution("x", "Sum", "n", np.array([]), expected=100)
    assert empty.status == NOT_COLLECTED and empty.p50 is None


def test_line_fit_by_hand() -> None:
    # y = 2x + 1 exactly: slope 2, intercept 1, R^2 = 1.
    slope, intercept, r2 = fit_line(np.array([1.0, 3.0, 5.0, 7.0]))
    assert (slope, intercept, r2) == pytest.approx((2.0, 1.0, 1.0))
    # y = 0, 2, 0, 2: slope 0.4, intercept 0.4 (least squares by hand: x mean 1.5, y mean 1,
    # sum((x-1.5)(y-1)) = 2, sum((x-1.5)^2) = 5); residuals -0.4, 1.2, -1.2, 0.4 -> ss_res 3.2, ss_tot 4, R^2 0.2.
    slope, intercept, r2 = fit_line(np.array([0.0, 2.0, 0.0, 2.0]))
    assert (slope, intercept, r2) == pytest.approx((0.4, 0.4, 0.2))


def test_trend_reports_only_a_good_fit_and_dates_the_limit() -> None:
    day0 = dt.datetime(2026, 11, 1, tzinfo=dt.UTC).timestamp()
    ts = np.array([day0 + d * 86_400 + h * 3600 for d in range(10) for h in range(24)], dtype=float)
    rising = np.array([50.0 + (t - day0) // 86_400 for t in ts])  # 50, 51, ... 59 per day, flat within a day
    t = trend("mem", "%", ts, rising, limit=70.0)
    assert t.slope_per_day == pytest.approx(1.0) and t.r2 == pytest.approx(1.0) and t.growing
    # The line is at 59 on the last day (2026-11-10); 70 is 11 days later.
    assert t.limit_date == dt.date(2026, 11, 21)
    noisy = np.array([50.0 + (0 if (t_ // 86_400) % 2 else 10) for t_ in ts - day0])
    assert not trend("mem", "%", ts, noisy, limit=70.0).holds  # alternating days: R^2 far below 0.4


def test_coefficient_of_variation_by_hand() -> None:
    # 60, 15, 15, 15: mean 26.25, population variance (33.75^2 + 3 x 11.25^2) / 4 = 379.6875.
    cv = coefficient_of_variation(np.array([60.0, 15.0, 15.0, 15.0]))
    assert cv == pytest.approx(379.6875**0.5 / 26.25)
    assert cv == pytest.approx(0.7423, abs=1e-4)
