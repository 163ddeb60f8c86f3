"""fetch_metrics through moto in server mode (put_metric_data inside the window), batching, NextToken, summaries."""

from __future__ import annotations

import datetime as dt

import pytest
from botocore.stub import ANY, Stubber

from advisor.live.cloudwatch import (
    NAMESPACE,
    NODE_METRICS,
    SERVERLESS_DIMENSION,
    MetricTarget,
    MetricWindowError,
    fetch_metrics,
    summarize,
)
from tests.live.conftest import moto_client

END = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
START = END - dt.timedelta(days=1)
PRIMARY = MetricTarget("orders", "orders-001", "0001", role="primary")
REPLICA = MetricTarget("orders", "orders-002", "0001", role="replica")


def _put(client: object, target: MetricTarget, metric: str, points: list[tuple[dt.datetime, float]]) -> None:
    client.put_metric_data(Namespace=NAMESPACE, MetricData=[  # type: ignore[attr-defined]
        {"MetricName": metric, "Dimensions": target.dimensions(), "Timestamp": ts, "Value": v} for ts, v in points
    ])


def test_values_and_statistics_per_node(aws_env: str) -> None:
    cw = moto_client(aws_env, "cloudwatch")
    hours = [START + dt.timedelta(hours=h, minutes=5) for h in range(24)]
    # EngineCPU is averaged per period: two samples per hour, (h) and (h + 2) -> mean h + 1 = 1..24.
    _put(cw, PRIMARY, "EngineCPUUtilization", [(t, float(h)) for h, t in enumerate(hours)])
    later = [(t + dt.timedelta(minutes=30), float(h + 2)) for h, t in enumerate(hours)]
    _put(cw, PRIMARY, "EngineCPUUtilization", later)
    # GetTypeCmds is summed per period: 100 + 50 each hour on the primary, 10 on the replica.
    _put(cw, PRIMARY, "GetTypeCmds", [(t, 100.0) for t in hours] + [(t + dt.timedelta(minutes=1), 50.0) for t in hours])
    _put(cw, REPLICA, "GetTypeCmds", [(t, 10.0) for t in hours])
    # Outside the window: must not be returned.
    _put(cw, PRIMARY, "GetTypeCmds", [(START - dt.timedelta(hours=3), 1e9)])
    metrics = fetch_metrics(cw, [PRIMARY, REPLICA], START, END, period=3600)
    cpu = metrics.series("EngineCPUUtilization", "orders")
    assert cpu["value"].tolist() == [float(h + 1) for h in range(24)]
    gets = metrics.per_period_total("GetTypeCmds", "orders")
    assert gets.tolist() == [160.0] * 24
    summaries = {(s.scope, s.node, s.metric): s for s in summarize(metrics)}
    node_cpu = summaries[("node", "orders-001/0001", "EngineCPUUtilization")]
    # 1..24 with linear interpolation: p50 = 12.5, p95 = 1 + 0.95 x 23 = 22.85, p99 = 1 + 0.99 x 23 = 23.77.
    assert (node_cpu.p50, node_cpu.max, node_cpu.points) == (12.5, 24.0, 24)
    assert node_cpu.p95 == pytest.approx(22.85) and node_cpu.p99 == pytest.approx(23.77)
    cluster_gets = summaries[("cluster", "*", "GetTypeCmds")]
    assert (cluster_gets.p50, cluster_gets.max) == (160.0, 160.0)  # counters summed over nodes per period
    assert summaries[("node", "orders-002/0001", "GetTypeCmds")].max == 10.0


def test_batches_of_500_queries(aws_env: str) -> None:
    cw = moto_client(aws_env, "cloudwatch")
    targets = [MetricTarget("big", f"big-{i:03d}", "0001", role="primary") for i in range(30)]
    _put(cw, targets[-1], "Evictions", [(START + dt.timedelta(hours=2), 7.0)])
    metrics = fetch_metrics(cw, targets, START, END, period=3600)
    # 30 nodes x 17 metrics = 510 queries -> one call of 500 and one of 10.
    assert len(NODE_METRICS) == 17 and metrics.calls == 2
    assert metrics.series("Evictions")["value"].tolist() == [7.0]


def test_next_token_pages_are_merged(aws_env: str) -> None:
    cw = moto_client(aws_env, "cloudwatch")
    t1, t2 = START + dt.timedelta(hours=1), START + dt.timedelta(hours=2)
    with Stubber(cw) as stub:
        stub.add_response("get_metric_data", {"MetricDataResults": [
            {"Id": "q0", "Timestamps": [t1], "Values": [1.0], "StatusCode": "PartialData"}], "NextToken": "page-2"},
            {"MetricDataQueries": ANY, "StartTime": START, "EndTime": END, "ScanBy": "TimestampAscending"})
        stub.add_response("get_metric_data", {"MetricDataResults": [
            {"Id": "q0", "Timestamps": [t2], "Values": [3.0], "StatusCode": "Complete"}]},
            {"MetricDataQueries": ANY, "StartTime": START, "EndTime": END, "ScanBy": "TimestampAscending",
             "NextToken": "page-2"})
        metrics = fetch_metrics(cw, [PRIMARY], START, END, period=3600)
    assert metrics.calls == 2
    assert metrics.series("DatabaseMemoryUsagePercentage")["value"].tolist() == [1.0, 3.0]


def test_serverless_dimension(aws_env: str) -> None:
    cw = moto_client(aws_env, "cloudwatch")
    target = MetricTarget("events", "events", serverless=True)
    assert target.dimensions() == [{"Name": SERVERLESS_DIMENSION, "Value": "events"}]
    _put(cw, target, "ElastiCacheProcessingUnits", [(START + dt.timedelta(hours=1), 5000.0)])
    metrics = fetch_metrics(cw, [target], START, END, period=3600)
    assert metrics.series("ElastiCacheProcessingUnits")["value"].tolist() == [5000.0]


@pytest.mark.parametrize(("start", "end", "period"), [
    (END - dt.timedelta(hours=23), END, 3600),  # under a day
    (END - dt.timedelta(days=31), END, 3600),  # over 30 days
    (START, END, 90),  # not a multiple of 60
    (START.replace(tzinfo=None), END.replace(tzinfo=None), 3600),  # naive datetimes
])
def test_window_is_validated(start: dt.datetime, end: dt.datetime, period: int) -> None:
    with pytest.raises(MetricWindowError):
        fetch_metrics(object(), [PRIMARY], start, end, period)
