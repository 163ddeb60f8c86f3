"""Columnar CloudWatch collection for the fleet review: every metric of every node over the window, batched
500 queries per GetMetricData call and paged by NextToken, kept as numpy arrays per (node, metric).

`advisor.live.cloudwatch.fetch_metrics` keeps one Python row per datapoint, which suits a few hourly series;
14 days at 5 minutes is 4,032 points per node and metric (about 70,000 per node), so here each series stays
an array and a cluster is analysed and dropped before the next is fetched.

botocore parses a GetMetricData answer element by element against the service model and turns every
timestamp into a datetime: about 10 microseconds per datapoint, most of a review's time. The client made by
`fast_cloudwatch_client` decodes that one answer's datapoint lists with the json module instead, through
botocore's own `before-parse` hook, and keeps timestamps as epoch seconds (botocore's parser defaults); any
other answer, or one that is not JSON, is parsed by botocore as usual.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore.session
import numpy as np
from botocore.config import Config
from botocore.utils import parse_timestamp

from advisor.fleet.catalog import MetricSpec, specs_for
from advisor.live.aws_session import AwsSettings, aws_errors, validate_region
from advisor.live.cloudwatch import NAMESPACE, MetricTarget, metric_data_pages, targets_for, validate_window
from advisor.live.models import FleetRow


def _epoch_seconds(value: Any) -> float:
    if isinstance(value, int | float):
        return float(value)
    return parse_timestamp(value).timestamp()


def _metric_data_in_bulk(response_dict: dict[str, Any], customized_response_dict: dict[str, Any],
                         **_: Any) -> None:
    """before-parse hook: lift MetricDataResults out of a JSON answer so botocore parses only the rest."""
    if response_dict.get("status_code") != 200:
        return
    try:
        data = json.loads(response_dict.get("body") or b"")
    except (ValueError, UnicodeDecodeError):
        return  # not JSON (another protocol): botocore parses it
    if not isinstance(data, dict) or not isinstance(data.get("MetricDataResults"), list):
        return
    customized_response_dict["MetricDataResults"] = data.pop("MetricDataResults")
    response_dict["body"] = json.dumps(data).encode()


def fast_cloudwatch_client(settings: AwsSettings, credentials: tuple[str, str] | None = None) -> Any:
    """A CloudWatch client whose timestamps arrive as epoch seconds (same retries and timeouts as the live
    page's clients). `credentials` only for the example account; a real account uses the standard chain."""
    validate_region(settings.region)
    core = botocore.session.Session(profile=settings.profile or None)
    if credentials is not None:
        core.set_credentials(*credentials)
    core.get_component("response_parser_factory").set_parser_defaults(timestamp_parser=_epoch_seconds)
    config = Config(retries={"mode": settings.retry_mode, "total_max_attempts": settings.max_attempts},
                    connect_timeout=settings.connect_timeout_s, read_timeout=settings.read_timeout_s)
    with aws_errors("create the cloudwatch client"):
        session = boto3.Session(botocore_session=core, region_name=settings.region)
        client = session.client("cloudwatch", config=config, endpoint_url=settings.endpoint_url)
    client.meta.events.register("before-parse.cloudwatch.GetMetricData", _metric_data_in_bulk)
    return client


@dataclass(frozen=True)
class NodeSeries:
    node: str
    role: str
    shard: str
    spec: MetricSpec
    period_s: int
    timestamps: np.ndarray = field(repr=False)  # epoch seconds, ascending
    values: np.ndarray = field(repr=False)

    @property
    def metric(self) -> str:
        return self.spec.name


@dataclass(frozen=True)
class ClusterSeries:
    """What CloudWatch returned for one cluster over the window."""

    cluster: str
    start: dt.datetime
    end: dt.datetime
    period_s: int
    series: tuple[NodeSeries, ...]
    calls: int = 0

    def of(self, metric: str, roles: Sequence[str] | None = None) -> list[NodeSeries]:
        return [s for s in self.series if s.metric == metric and (roles is None or s.role in roles)]

    def expected_points(self, period_s: int) -> int:
        return max(1, int((self.end - self.start).total_seconds() // period_s))

    @property
    def datapoints(self) -> int:
        return sum(s.values.size for s in self.series)


def _to_seconds(values: Sequence[Any]) -> np.ndarray:
    if not values:
        return np.array([], dtype=np.float64)
    if isinstance(values[0], dt.datetime):
        return np.fromiter((v.timestamp() for v in values), dtype=np.float64, count=len(values))
    return np.asarray(values, dtype=np.float64)


def _queries(targets: Sequence[MetricTarget], engine: str, period: int) -> list[tuple[dict[str, Any], int, MetricSpec]]:
    out = []
    for index, target in enumerate(targets):
        for spec in specs_for(target.role, target.serverless, engine):
            query = {
                "Id": f"q{len(out)}",
                "MetricStat": {"Metric": {"Namespace": NAMESPACE, "MetricName": spec.name,
                                          "Dimensions": target.dimensions()},
                               "Period": spec.period_s or period, "Stat": spec.stat},
                "ReturnData": True,
            }
            out.append((query, index, spec))
    return out


def collect_cluster(cloudwatch_client: Any, row: FleetRow, start: dt.datetime, end: dt.datetime,
                    period: int = 300) -> ClusterSeries:
    """Every catalogued metric of every node of one cluster (a Serverless cache is one target)."""
    validate_window(start, end, period)
    targets = targets_for(row)
    queries = _queries(targets, row.engine, period)
    stamps: dict[str, list[Any]] = {}
    values: dict[str, list[float]] = {}
    calls = 0
    for response in metric_data_pages(cloudwatch_client, [q for q, _, _ in queries], start, end):
        calls += 1
        for result in response.get("MetricDataResults", []):
            stamps.setdefault(result["Id"], []).extend(result.get("Timestamps", []))
            values.setdefault(result["Id"], []).extend(result.get("Values", []))
    series = []
    for query, index, spec in queries:
        qid = query["Id"]
        ts = _to_seconds(stamps.get(qid, []))
        vs = np.asarray(values.get(qid, []), dtype=np.float64)
        # A datapoint can arrive on two pages; keep the first of each timestamp, in time order.
        ts, first = np.unique(ts, return_index=True)
        target = targets[index]
        series.append(NodeSeries(target.node, target.role, target.shard, spec, spec.period_s or period, ts,
                                 vs[first]))
    return ClusterSeries(row.id, start, end, period, tuple(series), calls)
