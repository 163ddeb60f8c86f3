"""Build a MetricSet from hand-written values, so rules are tested on numbers chosen in the test."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from advisor.live.cloudwatch import NODE_METRICS, MetricSet, MetricTarget

START = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def metric_set(
    series: dict[tuple[str, str, str], list[float]], period: int = 3600, cluster: str = "c1",
    shards: dict[str, str] | None = None,
) -> MetricSet:
    """series: (node, role, metric) -> values, one per period starting at START."""
    rows = []
    for (node, role, metric), values in series.items():
        for i, value in enumerate(values):
            rows.append((cluster, node, role, (shards or {}).get(node, "0001"), metric,
                         NODE_METRICS.get(metric, "Average"), pd.Timestamp(START + dt.timedelta(seconds=period * i)),
                         float(value)))
    frame = pd.DataFrame(rows, columns=list(MetricSet.COLUMNS))
    end = START + dt.timedelta(days=1)
    targets = tuple(MetricTarget(cluster, node.split("/")[0], node.split("/")[-1], role)
                    for node, role in {(n, r) for n, r, _ in series})
    return MetricSet(start=START, end=end, period_s=period, targets=targets, _frame=frame)


def merged(*sets: MetricSet) -> MetricSet:
    """Several clusters' metric sets as one, as a fleet-wide fetch returns them."""
    first = sets[0]
    return MetricSet(start=first.start, end=first.end, period_s=first.period_s,
                     targets=tuple(t for s in sets for t in s.targets),
                     _frame=pd.concat([s._frame for s in sets], ignore_index=True))
