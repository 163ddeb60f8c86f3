"""A live cluster's month-by-month plan starts from its measured growth."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from advisor.depth.trend import monthly_growth_percent
from advisor.live.observed import workload_from_metrics
from tests.live.metric_frames import metric_set
from tests.live.test_rightsizing import _row

START = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def _daily(values: list[float]) -> pd.Series:
    return pd.Series(values, index=[pd.Timestamp(START + dt.timedelta(days=i)) for i in range(len(values))])


def test_exponential_series_gives_its_monthly_rate() -> None:
    # 1% a day for 14 days: (1.01)^(365.25 / 12) - 1 = 35.4% a month.
    series = _daily([1e9 * 1.01**d for d in range(14)])
    assert monthly_growth_percent(series) == pytest.approx((1.01 ** (365.25 / 12) - 1) * 100, abs=0.01)


def test_short_flat_or_shrinking_series() -> None:
    assert monthly_growth_percent(_daily([1e9, 2e9])) is None  # one day: a cycle, not a trend
    assert monthly_growth_percent(_daily([1e9] * 10)) == 0
    assert monthly_growth_percent(_daily([1e9 * 0.99**d for d in range(10)])) == 0


def test_observed_workload_carries_the_measured_growth() -> None:
    node = "c1-0001-001/0001"
    days = 14
    stored = [2e9 * 1.005**d for d in range(days)]
    metrics = metric_set({(node, "primary", "BytesUsedForCache"): stored,
                          (node, "primary", "GetTypeCmds"): [86_400.0] * days,
                          (node, "primary", "SetTypeCmds"): [8_640.0] * days,
                          (node, "primary", "CurrConnections"): [10.0] * days}, period=86_400)
    workload = workload_from_metrics(_row(), metrics)
    assert workload.monthly_growth_percent == pytest.approx((1.005 ** (365.25 / 12) - 1) * 100, abs=0.01)
    assert math.isclose(workload.dataset_gb or 0, stored[-1] / 1e9, rel_tol=1e-6)
