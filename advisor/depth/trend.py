"""Monthly growth from a measured series (e.g. CloudWatch BytesUsedForCache), so the month-by-month plan of a
live cluster starts from its own trend rather than a typed guess."""

from __future__ import annotations

import math

import pandas as pd

MIN_TREND_DAYS = 3.0  # a shorter window says more about the daily cycle than about growth
DAYS_PER_MONTH = 365.25 / 12
MAX_GROWTH_PERCENT = 100.0  # the workload model's bound


def monthly_growth_percent(series: pd.Series) -> float | None:
    """Least-squares growth of log(value) over time, as % per month (0 when shrinking or flat); None when the
    series spans under three days or has fewer than two positive points."""
    points = series[series > 0].sort_index()
    if len(points) < 2:
        return None
    index = pd.to_datetime(points.index, utc=True)
    days = (index - index[0]).total_seconds() / 86_400
    if days[-1] < MIN_TREND_DAYS:
        return None
    logs = [math.log(float(v)) for v in points.to_numpy()]
    mean_t = sum(days) / len(days)
    mean_y = sum(logs) / len(logs)
    spread = sum((t - mean_t) ** 2 for t in days)
    slope = sum((t - mean_t) * (y - mean_y) for t, y in zip(days, logs, strict=True)) / spread
    growth = (math.exp(slope * DAYS_PER_MONTH) - 1) * 100
    return round(min(max(growth, 0.0), MAX_GROWTH_PERCENT), 3)
