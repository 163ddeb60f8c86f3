"""Fetch ElastiCache CloudWatch metrics with GetMetricData and summarise them per node and per cluster.

Queries are batched 500 per call (the GetMetricData limit) and every call is paginated by NextToken, because
one call returns at most 100,800 datapoints and a 30-day window of many nodes exceeds that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from advisor.errors import AdvisorError
from advisor.live.aws_session import aws_errors
from advisor.live.models import FleetRow

NAMESPACE = "AWS/ElastiCache"
MAX_QUERIES_PER_CALL = 500
MIN_WINDOW = dt.timedelta(days=1)
MAX_WINDOW = dt.timedelta(days=30)
# UNVERIFIED (facts file section 7): one third-party script uses `clusterId` for Serverless caches, the AWS
# agent-toolkit alarm pack uses `ServerlessCacheName`. Confirm with `aws cloudwatch list-metrics` and change here.
SERVERLESS_DIMENSION = "clusterId"

# Statistic per metric: gauges are averaged per period, counters summed (a count per period is what rates need).
NODE_METRICS: dict[str, str] = {
    "DatabaseMemoryUsagePercentage": "Average",
    "BytesUsedForCache": "Average",
    "EngineCPUUtilization": "Average",
    "CPUUtilization": "Average",
    "CurrConnections": "Average",
    "NewConnections": "Sum",
    "CacheHits": "Sum",
    "CacheMisses": "Sum",
    "Evictions": "Sum",
    "ReplicationLag": "Average",
    "NetworkBytesIn": "Sum",
    "NetworkBytesOut": "Sum",
    "NetworkBandwidthInAllowanceExceeded": "Sum",
    "NetworkBandwidthOutAllowanceExceeded": "Sum",
    "GetTypeCmds": "Sum",
    "SetTypeCmds": "Sum",
    "SwapUsage": "Average",
}
# Only burstable (T3/T4g) nodes publish CPU credits; asked for only on those to keep the query count down.
BURSTABLE_METRICS: dict[str, str] = {"CPUCreditBalance": "Minimum"}
SERVERLESS_METRICS: dict[str, str] = {"BytesUsedForCache": "Average", "ElastiCacheProcessingUnits": "Sum"}
COUNTER_STATS = frozenset({"Sum"})


class MetricWindowError(AdvisorError, ValueError):
    """The requested window or period cannot be fetched."""


@dataclass(frozen=True)
class MetricTarget:
    """One thing CloudWatch reports on: a cache node, or a whole Serverless cache."""

    cluster: str  # the fleet row id (replication group, cache cluster or serverless cache)
    cache_cluster_id: str
    cache_node_id: str | None = None
    role: str = "unknown"
    shard: str = "0001"
    serverless: bool = False
    burstable: bool = False

    @property
    def node(self) -> str:
        return self.cache_cluster_id if self.serverless else f"{self.cache_cluster_id}/{self.cache_node_id}"

    def dimensions(self) -> list[dict[str, str]]:
        if self.serverless:
            return [{"Name": SERVERLESS_DIMENSION, "Value": self.cache_cluster_id}]
        return [{"Name": "CacheClusterId", "Value": self.cache_cluster_id},
                {"Name": "CacheNodeId", "Value": str(self.cache_node_id)}]

    def metrics(self) -> dict[str, str]:
        if self.serverless:
            return SERVERLESS_METRICS
        return {**NODE_METRICS, **BURSTABLE_METRICS} if self.burstable else NODE_METRICS


def targets_for(row: FleetRow) -> list[MetricTarget]:
    if row.kind == "serverless":
        return [MetricTarget(cluster=row.id, cache_cluster_id=row.id, serverless=True)]
    burstable = bool(row.node_type and row.node_type.split(".")[1].startswith("t"))
    return [
        MetricTarget(cluster=row.id, cache_cluster_id=n.cache_cluster_id, cache_node_id=n.cache_node_id,
                     role=n.role, shard=n.shard, burstable=burstable)
        for n in row.nodes
    ]


@dataclass(frozen=True)
class MetricSet:
    """Long-format observations: one row per (node, metric, timestamp). Immutable; `frame` is a copy."""

    start: dt.datetime
    end: dt.datetime
    period_s: int
    targets: tuple[MetricTarget, ...]
    _frame: pd.DataFrame = field(repr=False)
    calls: int = 0

    COLUMNS = ("cluster", "node", "role", "shard", "metric", "stat", "timestamp", "value")

    @property
    def frame(self) -> pd.DataFrame:
        return self._frame.copy()

    def series(self, metric: str, cluster: str | None = None, roles: Iterable[str] | None = None) -> pd.DataFrame:
        df = self._frame[self._frame["metric"] == metric]
        if cluster is not None:
            df = df[df["cluster"] == cluster]
        if roles is not None:
            df = df[df["role"].isin(list(roles))]
        return df.copy()

    def per_period_total(self, metric: str, cluster: str, roles: Iterable[str] | None = None) -> pd.Series:
        """Sum across nodes for each timestamp (cluster-wide counts, or bytes summed over shards)."""
        df = self.series(metric, cluster, roles)
        return df.groupby("timestamp")["value"].sum().sort_index()


@dataclass(frozen=True)
class MetricSummary:
    scope: str  # "node" or "cluster"
    cluster: str
    node: str  # node label, or "*" for the cluster
    metric: str
    stat: str
    points: int
    p50: float
    p95: float
    p99: float
    max: float
    mean: float


def validate_window(start: dt.datetime, end: dt.datetime, period: int) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise MetricWindowError("start and end must be timezone-aware (UTC)")
    span = end - start
    if span < MIN_WINDOW or span > MAX_WINDOW:
        raise MetricWindowError(f"the window must be 1 to 30 days long, not {span.total_seconds() / 86400:.2f} days")
    if period < 60 or period % 60:
        raise MetricWindowError(f"period must be a multiple of 60 seconds, not {period}")


QueryIndex = dict[str, tuple[int, str, str]]  # query id -> (target index, metric, stat)


def _queries(targets: Sequence[MetricTarget], period: int) -> tuple[list[dict[str, Any]], QueryIndex]:
    queries: list[dict[str, Any]] = []
    index: QueryIndex = {}
    for t_index, target in enumerate(targets):
        for metric, stat in target.metrics().items():
            query_id = f"q{len(queries)}"  # ids must start lower-case and be unique within a call
            index[query_id] = (t_index, metric, stat)
            queries.append({
                "Id": query_id,
                "MetricStat": {
                    "Metric": {"Namespace": NAMESPACE, "MetricName": metric, "Dimensions": target.dimensions()},
                    "Period": period,
                    "Stat": stat,
                },
                "ReturnData": True,
            })
    return queries, index


def metric_data_pages(
    cloudwatch_client: Any, queries: Sequence[dict[str, Any]], start: dt.datetime, end: dt.datetime
) -> Iterator[dict[str, Any]]:
    """Every GetMetricData response for these queries: 500 queries per call, each call paged by NextToken."""
    for offset in range(0, len(queries), MAX_QUERIES_PER_CALL):
        batch = list(queries[offset:offset + MAX_QUERIES_PER_CALL])
        token: str | None = None
        while True:
            kwargs: dict[str, Any] = {"MetricDataQueries": batch, "StartTime": start, "EndTime": end,
                                      "ScanBy": "TimestampAscending"}
            if token:
                kwargs["NextToken"] = token
            with aws_errors("read CloudWatch metrics"):
                response = cloudwatch_client.get_metric_data(**kwargs)
            yield response
            token = response.get("NextToken")
            if not token:
                break


def fetch_metrics(
    cloudwatch_client: Any,
    targets: Sequence[MetricTarget],
    start: dt.datetime,
    end: dt.datetime,
    period: int = 300,
) -> MetricSet:
    """Every metric of every target over [start, end), batched 500 queries per call and paginated."""
    validate_window(start, end, period)
    queries, index = _queries(targets, period)
    rows: list[tuple[Any, ...]] = []
    calls = 0
    for response in metric_data_pages(cloudwatch_client, queries, start, end):
        calls += 1
        for result in response.get("MetricDataResults", []):
            t_index, metric, stat = index[result["Id"]]
            target = targets[t_index]
            for ts, value in zip(result.get("Timestamps", []), result.get("Values", []), strict=False):
                rows.append((target.cluster, target.node, target.role, target.shard, metric, stat,
                             pd.Timestamp(ts).tz_convert("UTC"), float(value)))
    frame = pd.DataFrame(rows, columns=list(MetricSet.COLUMNS))
    # A datapoint can arrive twice across pages; keep one per (node, metric, timestamp).
    frame = frame.drop_duplicates(subset=["node", "metric", "timestamp"]).sort_values(["node", "metric", "timestamp"])
    return MetricSet(start=start, end=end, period_s=period, targets=tuple(targets),
                     _frame=frame.reset_index(drop=True), calls=calls)


def _summary(scope: str, cluster: str, node: str, metric: str, stat: str, values: np.ndarray) -> MetricSummary:
    p50, p95, p99 = np.percentile(values, [50, 95, 99])
    return MetricSummary(scope, cluster, node, metric, stat, int(values.size), float(p50), float(p95), float(p99),
                         float(values.max()), float(values.mean()))


def summarize(metrics: MetricSet) -> list[MetricSummary]:
    """p50/p95/p99/max per node, and per cluster: counters summed across nodes per period, gauges pooled."""
    df = metrics.frame
    out: list[MetricSummary] = []
    if df.empty:
        return out
    for (cluster, node, metric, stat), group in df.groupby(["cluster", "node", "metric", "stat"], sort=True):
        out.append(_summary("node", str(cluster), str(node), str(metric), str(stat), group["value"].to_numpy()))
    for (cluster, metric, stat), group in df.groupby(["cluster", "metric", "stat"], sort=True):
        if stat in COUNTER_STATS:
            values = group.groupby("timestamp")["value"].sum().to_numpy()
        else:
            values = group["value"].to_numpy()  # pooled: the cluster's p99 reflects its worst nodes
        out.append(_summary("cluster", str(cluster), "*", str(metric), str(stat), values))
    return out


def summary_frame(summaries: Sequence[MetricSummary]) -> pd.DataFrame:
    return pd.DataFrame([s.__dict__ for s in summaries])
