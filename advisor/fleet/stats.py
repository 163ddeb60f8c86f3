"""The statistics of a fleet review, as pure functions over numpy arrays.

- Distribution: p50/p95/p99/max and the spike ratio max/p95 (above 3 notable, above 5 severe, as in the AWS
  sample operations review). A series holding less than 75% of the datapoints the window should have is
  "not enough data": its figures are None, never zero.
- Trend: a least-squares line through the daily averages, with R^2; reported only when R^2 > 0.4.
- Balance: the coefficient of variation (population standard deviation / mean) across primaries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

MIN_COVERAGE = 0.75
TREND_MIN_R2 = 0.4
SPIKE_NOTABLE = 3.0
SPIKE_SEVERE = 5.0
DAY_S = 86_400
NOT_ENOUGH_DATA = "not enough data"
NOT_COLLECTED = "not collected"


@dataclass(frozen=True)
class Distribution:
    metric: str
    stat: str
    unit: str
    points: int
    expected: int
    p50: float | None = None
    p95: float | None = None
    p99: float | None = None
    max: float | None = None

    @property
    def coverage(self) -> float:
        return self.points / self.expected if self.expected else 0.0

    @property
    def enough(self) -> bool:
        return self.points > 0 and self.coverage >= MIN_COVERAGE

    @property
    def status(self) -> str:
        if self.points == 0:
            return NOT_COLLECTED
        return "ok" if self.enough else NOT_ENOUGH_DATA

    @property
    def spike_ratio(self) -> float | None:
        if self.p95 is None or self.max is None or self.p95 <= 0:
            return None
        return self.max / self.p95

    @property
    def spike_label(self) -> str:
        ratio = self.spike_ratio
        if ratio is None:
            return "n/a"
        if ratio > SPIKE_SEVERE:
            return "severe spikes"
        if ratio > SPIKE_NOTABLE:
            return "notable spikes"
        return "stable"


def distribution(metric: str, stat: str, unit: str, values: np.ndarray, expected: int) -> Distribution:
    """Percentiles of the per-period values; None everywhere when coverage is under 75%."""
    points = int(values.size)
    base = Distribution(metric, stat, unit, points, expected)
    if points == 0 or points / max(expected, 1) < MIN_COVERAGE:
        return base
    p50, p95, p99 = (float(x) for x in np.percentile(values, [50, 95, 99]))
    return Distribution(metric, stat, unit, points, expected, p50, p95, p99, float(values.max()))


@dataclass(frozen=True)
class Trend:
    metric: str
    unit: str
    days: tuple[dt.date, ...]
    daily: tuple[float, ...]
    slope_per_day: float | None
    r2: float | None
    limit: float | None = None
    limit_date: dt.date | None = None  # when the fitted line reaches the limit (None: not within 3 years)

    @property
    def holds(self) -> bool:
        return self.r2 is not None and self.r2 > TREND_MIN_R2

    @property
    def growing(self) -> bool:
        return self.holds and (self.slope_per_day or 0.0) > 0


def fit_line(y: np.ndarray) -> tuple[float, float, float]:
    """slope, intercept and R^2 of y against 0..n-1 (R^2 = 0 for a flat series)."""
    x = np.arange(y.size, dtype=np.float64)
    slope, intercept = np.polyfit(x, y, 1)
    predicted = slope * x + intercept
    ss_tot = float(np.sum((y - y.mean()) ** 2))
    ss_res = float(np.sum((y - predicted) ** 2))
    r2 = 1.0 - ss_res / ss_tot if ss_tot > 0 else 0.0
    return float(slope), float(intercept), r2


def daily_means(timestamps: np.ndarray, values: np.ndarray) -> tuple[tuple[dt.date, ...], np.ndarray]:
    """Mean of each UTC day's values (days with no datapoint are left out)."""
    if values.size == 0:
        return (), np.array([])
    days = (timestamps // DAY_S).astype(np.int64)
    unique, inverse = np.unique(days, return_inverse=True)
    sums = np.bincount(inverse, weights=values)
    counts = np.bincount(inverse)
    dates = tuple(dt.date(1970, 1, 1) + dt.timedelta(days=int(d)) for d in unique)
    return dates, sums / counts


def trend(metric: str, unit: str, timestamps: np.ndarray, values: np.ndarray, limit: float | None = None,
          min_days: int = 7) -> Trend:
    """Daily averages, their fitted line, and the day the line reaches `limit` when it rises."""
    dates, daily = daily_means(timestamps, values)
    if len(dates) < min_days:
        return Trend(metric, unit, dates, tuple(float(v) for v in daily), None, None, limit)
    slope, intercept, r2 = fit_line(daily)
    reach: dt.date | None = None
    if limit is not None and slope > 0 and r2 > TREND_MIN_R2:
        day_index = (limit - intercept) / slope  # fitted value == limit
        offset = day_index - (len(daily) - 1)
        if offset <= 0:
            reach = dates[-1]
        elif offset <= 3 * 365:
            reach = dates[-1] + dt.timedelta(days=int(np.ceil(offset)))
    return Trend(metric, unit, dates, tuple(float(v) for v in daily), slope, r2, limit, reach)


def coefficient_of_variation(values: np.ndarray) -> float | None:
    if values.size < 2:
        return None
    mean = float(values.mean())
    return float(values.std()) / mean if mean > 0 else None
