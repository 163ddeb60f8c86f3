"""An offline AWS account holding the example fleet, served over real HTTP on loopback.

moto (server mode) answers the ElastiCache API: the clusters are created through boto3 with the real
CreateReplicationGroup / CreateCacheCluster calls, and discovery lists them with the real Describe calls.
These answers come from the seeded fleet instead, each for a stated reason:

- CloudWatch GetMetricData: moto scans every stored datapoint for every period of every query, which takes
  hours over 14 days of 5-minute data; the seeded series are answered directly, in the protocol botocore
  speaks to CloudWatch (AWS JSON 1.0), 100,800 datapoints per page with a NextToken, like CloudWatch.
- DescribeServerlessCaches and DescribeCacheParameters: moto 5.2 does not implement them (nor the tags of a
  Serverless cache), and its DescribeCacheClusters leaves out CacheParameterGroup, which is added.

Run as a process (`python -m advisor.fleet.example_server`) so moto's in-memory state never mixes with another
moto in the same interpreter; it prints `READY <endpoint>` once the fleet is in place.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import re
import sys
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

import boto3
import numpy as np
from botocore.config import Config
from werkzeug.serving import WSGIRequestHandler, make_server

from advisor.fleet.example import (
    EXAMPLE_END,
    EXAMPLE_REGION,
    STEP_S,
    ExampleCluster,
    example_fleet,
    node_roles,
    node_series,
    synthetic_fleet,
)

MAX_DATAPOINTS_PER_CALL = 100_800  # CloudWatch's GetMetricData page size
EXAMPLE_CREDENTIALS = ("example-access-key", "example-secret-key")  # not secret: only this server accepts them
NODE_CACHE = 64
DEFAULT_PARAMETERS = {
    "maxmemory-policy": "volatile-lru", "reserved-memory-percent": "25", "timeout": "0",
    "notify-keyspace-events": "", "activedefrag": "no",
}
StartResponse = Callable[..., Any]


class SeededCloudWatch:
    """GetMetricData over the seeded series: aggregated to the asked period, paged like CloudWatch."""

    def __init__(self, clusters: Sequence[ExampleCluster], seed: int) -> None:
        self.seed = seed
        # Keyed by CacheClusterId (or clusterId for Serverless) alone: moto names a cluster-mode member's node
        # after its shard ("0002") where ElastiCache says "0001", and a member cluster id is unique anyway.
        self.index: dict[str, tuple[ExampleCluster, str, str, str]] = {}
        for c in clusters:
            for cache_cluster_id, _node_id, role, shard in node_roles(c):
                self.index[cache_cluster_id] = (c, cache_cluster_id, role, shard)
        self._cache: OrderedDict[tuple[str, str], dict[str, np.ndarray]] = OrderedDict()
        self._lock = threading.Lock()

    def _node(self, c: ExampleCluster, cache_cluster_id: str, role: str, shard: str) -> dict[str, np.ndarray]:
        key = (c.id, cache_cluster_id)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        data = node_series(c, cache_cluster_id, role, shard, self.seed)
        with self._lock:
            self._cache[key] = data
            while len(self._cache) > NODE_CACHE:
                self._cache.popitem(last=False)
        return data

    def series(self, stat: dict[str, Any], start: float, end: float) -> tuple[np.ndarray, np.ndarray]:
        metric = stat["Metric"]
        dims = {d["Name"]: d["Value"] for d in metric.get("Dimensions", [])}
        found = self.index.get(dims.get("CacheClusterId") or dims.get("clusterId") or "")
        empty = (np.array([]), np.array([]))
        if found is None or metric.get("Namespace") != "AWS/ElastiCache":
            return empty
        data = self._node(*found)
        values = data.get(metric["MetricName"])
        if values is None:
            return empty
        t = data["timestamps"]
        keep = (t >= start) & (t < end)
        return aggregate(t[keep], values[keep], start, int(stat["Period"]), str(stat["Stat"]))

    def answer(self, request: dict[str, Any]) -> dict[str, Any]:
        # A query that ends after the example's "now" (the Live clusters and "My AWS account" paths ask for the
        # window ending at the real now) reads the same seeded days moved forward by whole days, so the example
        # account never goes stale; a query ending at EXAMPLE_END (the example review) reads them unmoved.
        shift = _whole_days_after_example_end(_seconds(request["EndTime"]))
        start = _seconds(request["StartTime"]) - shift
        end = _seconds(request["EndTime"]) - shift
        queries = request.get("MetricDataQueries", [])
        first_query, first_offset = (int(x) for x in str(request.get("NextToken") or "0:0").split(":"))
        budget = MAX_DATAPOINTS_PER_CALL
        results = []
        for qi in range(first_query, len(queries)):
            query = queries[qi]
            ts, vs = self.series(query["MetricStat"], start, end)
            if request.get("ScanBy") == "TimestampDescending":
                ts, vs = ts[::-1], vs[::-1]
            offset = first_offset if qi == first_query else 0
            take = min(budget, ts.size - offset)
            chunk = slice(offset, offset + take)
            done = offset + take >= ts.size
            results.append({
                "Id": query["Id"], "Label": query["MetricStat"]["Metric"]["MetricName"],
                "Timestamps": (ts[chunk] + shift).astype(np.int64).tolist(),
                "Values": vs[chunk].tolist(), "StatusCode": "Complete" if done else "PartialData",
            })
            budget -= take
            if not done or budget <= 0:
                next_query, next_offset = (qi, offset + take) if not done else (qi + 1, 0)
                if next_query < len(queries):
                    return {"MetricDataResults": results, "Messages": [], "NextToken": f"{next_query}:{next_offset}"}
                break
        return {"MetricDataResults": results, "Messages": []}


def _whole_days_after_example_end(end: float) -> float:
    days = int((end - EXAMPLE_END.timestamp()) // 86_400)
    return float(max(days, 0) * 86_400)


def _seconds(value: Any) -> float:
    if isinstance(value, dt.datetime):
        return value.timestamp()
    return float(value)


def aggregate(t: np.ndarray, v: np.ndarray, start: float, period: int, stat: str) -> tuple[np.ndarray, np.ndarray]:
    """5-minute points rolled up to `period` seconds from `start`, with CloudWatch's statistic."""
    if t.size == 0 or period <= STEP_S:
        return t, v
    bins = ((t - start) // period).astype(np.int64)
    edges = np.concatenate(([0], np.flatnonzero(np.diff(bins)) + 1))
    stamps = start + bins[edges] * period
    if stat == "Sum":
        out = np.add.reduceat(v, edges)
    elif stat == "Maximum":
        out = np.maximum.reduceat(v, edges)
    elif stat == "Minimum":
        out = np.minimum.reduceat(v, edges)
    else:
        out = np.add.reduceat(v, edges) / np.diff(np.concatenate((edges, [t.size])))
    return stamps.astype(np.float64), out


class ExampleAccountApp:
    """WSGI: the seeded answers above, everything else to moto."""

    def __init__(self, clusters: Sequence[ExampleCluster], seed: int) -> None:
        from moto.server import DomainDispatcherApplication, create_backend_app

        self.moto = DomainDispatcherApplication(create_backend_app)
        self.clusters = {c.id: c for c in clusters}
        self.cloudwatch = SeededCloudWatch(clusters, seed)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("HTTP_X_AMZ_TARGET", "").endswith(".GetMetricData"):
            body = self._body(environ)
            answer = json.dumps(self.cloudwatch.answer(json.loads(body))).encode()
            start_response("200 OK", [("Content-Type", "application/x-amz-json-1.0"),
                                      ("Content-Length", str(len(answer))),
                                      ("x-amzn-RequestId", str(uuid.uuid4()))])
            return [answer]
        if "/elasticache/" in environ.get("HTTP_AUTHORIZATION", "") and environ.get("REQUEST_METHOD") == "POST":
            body = self._body(environ)
            form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
            handler = {"DescribeServerlessCaches": self._serverless,
                       "DescribeCacheParameters": self._parameters}.get(form.get("Action", ""))
            if form.get("Action") == "ListTagsForResource" and ":serverlesscache:" in form.get("ResourceName", ""):
                handler = self._serverless_tags
            if handler is not None:
                xml = handler(form).encode()
                start_response("200 OK", [("Content-Type", "text/xml"), ("Content-Length", str(len(xml)))])
                return [xml]
            environ["wsgi.input"] = io.BytesIO(body)
            if form.get("Action") == "DescribeCacheClusters":
                return self._with_parameter_groups(environ, start_response)
        return self.moto(environ, start_response)

    def _with_parameter_groups(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """moto 5.2 leaves CacheParameterGroup out of DescribeCacheClusters; add each cluster's group."""
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        xml = b"".join(self.moto(environ, capture)).decode()
        groups = {member: self._group_of(c) for c in self.clusters.values() for member, *_ in node_roles(c)}

        def add_group(match: re.Match[str]) -> str:
            group = groups.get(match.group(1))
            if group is None:
                return match.group(0)
            return (f"{match.group(0)}<CacheParameterGroup><CacheParameterGroupName>{escape(group)}"
                    "</CacheParameterGroupName><ParameterApplyStatus>in-sync</ParameterApplyStatus>"
                    "</CacheParameterGroup>")

        body = re.sub(r"<CacheClusterId>([^<]+)</CacheClusterId>", add_group, xml).encode()
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        start_response(captured["status"], [*headers, ("Content-Length", str(len(body)))])
        return [body]

    @staticmethod
    def _group_of(c: ExampleCluster) -> str:
        return c.parameter_group or f"default.{c.engine}{c.engine_version.split('.')[0]}"

    @staticmethod
    def _body(environ: dict[str, Any]) -> bytes:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        return environ["wsgi.input"].read(length) if length else b""

    def _serverless(self, form: dict[str, str]) -> str:
        members = []
        for c in self.clusters.values():
            if c.kind != "serverless" or form.get("ServerlessCacheName", c.id) != c.id:
                continue
            limits = ""
            if c.storage_limit_gb is not None:
                limits += (f"<DataStorage><Maximum>{int(c.storage_limit_gb)}</Maximum><Unit>GB</Unit>"
                           "</DataStorage>")
            if c.ecpu_limit_per_s is not None:
                limits += f"<ECPUPerSecond><Maximum>{int(c.ecpu_limit_per_s)}</Maximum></ECPUPerSecond>"
            members.append(
                f"<member><ServerlessCacheName>{escape(c.id)}</ServerlessCacheName><Engine>{c.engine}</Engine>"
                f"<MajorEngineVersion>{c.engine_version.split('.')[0]}</MajorEngineVersion>"
                f"<FullEngineVersion>{escape(c.engine_version)}</FullEngineVersion><Status>available</Status>"
                f"<SnapshotRetentionLimit>{c.snapshot_retention}</SnapshotRetentionLimit>"
                f"<CacheUsageLimits>{limits}</CacheUsageLimits>"
                f"<ARN>arn:aws:elasticache:{EXAMPLE_REGION}:123456789012:serverlesscache:{escape(c.id)}</ARN>"
                "</member>")
        return _xml("DescribeServerlessCaches", f"<ServerlessCaches>{''.join(members)}</ServerlessCaches>")

    def _serverless_tags(self, form: dict[str, str]) -> str:
        """moto 5.2 has no Serverless caches, so it refuses their ARNs; answer their tags here."""
        name = form.get("ResourceName", "").rsplit(":", 1)[-1]
        c = self.clusters.get(name)
        tags = (f"<Tag><Key>Environment</Key><Value>{escape(c.environment)}</Value></Tag>" if c else "")
        return _xml("ListTagsForResource", f"<TagList>{tags}</TagList>")

    def _parameters(self, form: dict[str, str]) -> str:
        name = form.get("CacheParameterGroupName", "")
        overrides: dict[str, str] = {}
        for c in self.clusters.values():
            if c.parameter_group == name:
                overrides = dict(c.parameters)
                break
        rows = []
        for key, default in DEFAULT_PARAMETERS.items():
            value = overrides.get(key, default)
            source = "user" if key in overrides else "system"
            rows.append(f"<member><ParameterName>{escape(key)}</ParameterName><ParameterValue>{escape(value)}"
                        f"</ParameterValue><Source>{source}</Source><DataType>string</DataType>"
                        "<IsModifiable>true</IsModifiable></member>")
        return _xml("DescribeCacheParameters", f"<Parameters>{''.join(rows)}</Parameters>")


def _xml(action: str, inner: str) -> str:
    return (f'<{action}Response xmlns="http://elasticache.amazonaws.com/doc/2015-02-02/"><{action}Result>{inner}'
            f"</{action}Result><ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata>"
            f"</{action}Response>")


def seed_account(endpoint: str, clusters: Sequence[ExampleCluster]) -> None:
    """Create the node-based clusters with the real ElastiCache API calls (Serverless is answered above)."""
    client = boto3.client("elasticache", region_name=EXAMPLE_REGION, endpoint_url=endpoint,
                          aws_access_key_id=EXAMPLE_CREDENTIALS[0], aws_secret_access_key=EXAMPLE_CREDENTIALS[1],
                          config=Config(retries={"total_max_attempts": 1}))
    for c in clusters:
        tags = [{"Key": "Environment", "Value": c.environment}]
        group = ExampleAccountApp._group_of(c)
        if c.kind == "cache_cluster":
            client.create_cache_cluster(
                CacheClusterId=c.id, Engine=c.engine, EngineVersion=c.engine_version, CacheNodeType=c.node_type,
                NumCacheNodes=1, CacheParameterGroupName=group, SnapshotRetentionLimit=c.snapshot_retention,
                AutoMinorVersionUpgrade=c.auto_minor_version_upgrade, Tags=tags,
                TransitEncryptionEnabled=c.transit_encryption)
        elif c.kind == "replication_group":
            extra: dict[str, Any] = {"AuthToken": "example-token-not-secret-0123"} if c.auth_token else {}
            client.create_replication_group(
                ReplicationGroupId=c.id, ReplicationGroupDescription=c.story[:250] or c.id, Engine=c.engine,
                EngineVersion=c.engine_version, CacheNodeType=c.node_type, NumNodeGroups=c.shards,
                ReplicasPerNodeGroup=c.replicas, AutomaticFailoverEnabled=c.automatic_failover,
                MultiAZEnabled=c.multi_az, TransitEncryptionEnabled=c.transit_encryption,
                AtRestEncryptionEnabled=c.at_rest_encryption, CacheParameterGroupName=group,
                SnapshotRetentionLimit=c.snapshot_retention, AutoMinorVersionUpgrade=c.auto_minor_version_upgrade,
                ClusterMode="enabled" if c.cluster_mode else "disabled", Tags=tags, **extra)
            # moto lists no member clusters for a group; ElastiCache does, and discovery reads the engine
            # version from them. moto 5.2 keeps ReplicationGroupId only on "redis" members, so members are
            # created as such (discovery takes the engine from the group, the version from the member).
            for member_id, _node, _role, _shard in node_roles(c):
                client.create_cache_cluster(
                    CacheClusterId=member_id, ReplicationGroupId=c.id, Engine="redis", NumCacheNodes=1,
                    EngineVersion=c.engine_version, CacheNodeType=c.node_type, CacheParameterGroupName=group,
                    SnapshotRetentionLimit=c.snapshot_retention, AutoMinorVersionUpgrade=c.auto_minor_version_upgrade)


def clusters_for(fleet: str) -> tuple[ExampleCluster, ...]:
    if fleet == "example":
        return example_fleet()
    if fleet.startswith("synthetic:"):
        return synthetic_fleet(int(fleet.split(":", 1)[1]))
    raise ValueError(f"fleet must be 'example' or 'synthetic:N', not {fleet!r}")


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:  # one line per request would flood the parent
        pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the seeded example fleet as an offline AWS account")
    parser.add_argument("--fleet", default="example", help="example, or synthetic:N for N clusters")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    clusters = clusters_for(args.fleet)
    server = make_server("127.0.0.1", args.port, ExampleAccountApp(clusters, args.seed), threaded=True,
                         request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    endpoint = f"http://127.0.0.1:{server.server_port}"
    seed_account(endpoint, clusters)
    print(f"READY {endpoint} {EXAMPLE_END.isoformat()}", flush=True)
    try:
        sys.stdin.read()  # serve until the parent closes our stdin (or exits)
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
