"""A seeded example fleet: the clusters, their configuration, and 30 days of 5-minute CloudWatch series.

Nothing here is a measurement: every series is generated from a few named drivers (engine CPU, memory,
network use, operations per second, hit ratio, connections) with a fixed seed, so the review of this fleet
is reproducible to the last digit and its key figures can be worked out by hand (see tests/fleet). Metrics
that AWS derives from one another are derived here the same way (bytes from memory % and the node's
maxmemory, network bytes from % of the node's baseline bandwidth, hits and misses from reads).

`synthetic_fleet(n)` builds a larger fleet of the same kinds for the bench.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

EXAMPLE_REGION = "us-east-1"
EXAMPLE_END = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)  # the example's "now": the review window ends here
DATA_DAYS = 30
STEP_S = 300
GIB = 2**30

Kind = Literal["replication_group", "cache_cluster", "serverless"]


@dataclass(frozen=True)
class Shape:
    """value(t) = base + cycle x daily curve + slope_per_day x day + noise, then spikes, clipped to [lo, hi].

    `curve` "smooth" rises and falls once a day (peak 16:00 UTC); "step" is 1 from 08:00 to 20:00 UTC and 0
    otherwise, which keeps percentiles easy to work out by hand. A spike of `spike_to` lasts `spike_len`
    periods and starts every `spike_every` periods (0: none).
    """

    base: float
    cycle: float = 0.0
    curve: Literal["smooth", "step"] = "smooth"
    slope_per_day: float = 0.0
    noise: float = 0.0
    spike_every: int = 0
    spike_len: int = 1
    spike_to: float = 0.0
    lo: float = 0.0
    hi: float = float("inf")

    def values(self, t: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        seconds_of_day = t % 86_400
        if self.curve == "step":
            daily = ((seconds_of_day >= 8 * 3600) & (seconds_of_day < 20 * 3600)).astype(np.float64)
        else:
            daily = 0.5 - 0.5 * np.cos(2 * np.pi * (seconds_of_day - 4 * 3600) / 86_400)
        days = (t - t[0]) / 86_400 if t.size else t
        v = self.base + self.cycle * daily + self.slope_per_day * days
        if self.noise:
            v = v + rng.normal(0.0, self.noise, t.size)
        if self.spike_every:
            index = np.arange(t.size)
            v = np.where((index % self.spike_every) < self.spike_len, self.spike_to, v)
        return np.clip(v, self.lo, self.hi)


@dataclass(frozen=True)
class Drivers:
    """What a primary (or a Serverless cache) does; replicas derive from it."""

    cpu: Shape
    memory: Shape  # DatabaseMemoryUsagePercentage
    network: Shape  # NetworkBaselineUsageOutPercentage (inbound is 40% of it)
    ops: Shape  # commands per second on the primary
    hit_ratio: float = 0.9
    read_share: float = 0.8
    connections: Shape = Shape(120, 40, noise=4)
    evictions: Shape = Shape(0)
    lag: Shape = Shape(0.02, 0.01, noise=0.002)
    families: Mapping[str, float] = field(default_factory=lambda: {"StringBasedCmds": 0.85, "HashBasedCmds": 0.15})
    stored_gb: float = 1.0  # Serverless only: data stored (memory % is unused there)
    ecpu_per_request: float = 1.0


@dataclass(frozen=True)
class ExampleCluster:
    id: str
    kind: Kind
    engine: str
    engine_version: str
    drivers: Drivers
    node_type: str | None = None
    shards: int = 1
    replicas: int = 1
    cluster_mode: bool = False
    multi_az: bool = True
    automatic_failover: bool = True
    transit_encryption: bool = True
    at_rest_encryption: bool = True
    auth_token: bool = True
    snapshot_retention: int = 7
    auto_minor_version_upgrade: bool = True
    parameter_group: str | None = None  # None: the engine's default group
    parameters: Mapping[str, str] = field(default_factory=dict)  # values that differ from the defaults
    environment: str = "production"
    data_days: float = DATA_DAYS  # how far back CloudWatch has data (a new cluster has little)
    shard_cpu: tuple[Shape, ...] = ()  # per-shard primary CPU, for an uneven cluster
    storage_limit_gb: float | None = None  # Serverless CacheUsageLimits
    ecpu_limit_per_s: float | None = None
    node_memory_gib: float = 13.07
    node_baseline_gbps: float = 0.937
    story: str = ""


def _with_nodes(clusters: tuple[ExampleCluster, ...]) -> tuple[ExampleCluster, ...]:
    """Memory and baseline bandwidth of each cluster's node type, from the bundled node table (read once)."""
    from advisor.pricing.loader import load_price_book

    nodes = load_price_book().nodes
    out = []
    for c in clusters:
        if c.node_type is not None:
            node = nodes[c.node_type]
            c = replace(c, node_memory_gib=float(node.memory_gib),
                        node_baseline_gbps=float(node.network_gbps_baseline or 0.0))
        out.append(c)
    return tuple(out)


def example_fleet() -> tuple[ExampleCluster, ...]:
    """Nine clusters, one per case the review must recognise."""
    quiet = Shape(0)
    clusters = (
        ExampleCluster(
            "sessions-idle", "replication_group", "valkey", "8.0.1", node_type="cache.r7g.large",
            drivers=Drivers(cpu=Shape(1.5, 1.0, noise=0.2), memory=Shape(4.0, 0.5, noise=0.1),
                            network=Shape(0.6, 0.4, noise=0.05), ops=Shape(15, 10, noise=1, lo=0),
                            connections=Shape(8, 2, noise=0.5, lo=0)),
            story="idle: almost no commands, memory or network on two r7g.large nodes"),
        ExampleCluster(
            "catalog-api", "replication_group", "valkey", "7.2.6", node_type="cache.r7g.2xlarge", replicas=2,
            drivers=Drivers(cpu=Shape(6, 6, noise=0.5), memory=Shape(11, 0.5, noise=0.1),
                            network=Shape(4, 4, noise=0.3), ops=Shape(3000, 2000, noise=80, lo=0)),
            parameter_group="catalog-params", parameters={"reserved-memory-percent": "10"},
            story="over-provisioned: a third of one r7g.2xlarge would hold and serve it"),
        ExampleCluster(
            "orders-memory", "replication_group", "valkey", "7.2.6", node_type="cache.r7g.large",
            drivers=Drivers(cpu=Shape(28, 14, noise=1.0), memory=Shape(48, 2, "step", slope_per_day=1.0),
                            network=Shape(12, 10, noise=0.5), ops=Shape(9000, 6000, noise=200, lo=0),
                            evictions=Shape(0, spike_every=288, spike_len=3, spike_to=40)),
            parameter_group="orders-params", parameters={"maxmemory-policy": "noeviction"},
            story="memory-bound and growing 1 point a day: reaches its limit within weeks"),
        ExampleCluster(
            "feed-network", "replication_group", "valkey", "8.0.1", node_type="cache.m7g.large", shards=2,
            cluster_mode=True,
            drivers=Drivers(cpu=Shape(22, 12, noise=1.0), memory=Shape(18, 1, noise=0.2),
                            network=Shape(62, 30, "step", noise=1.5), ops=Shape(20000, 15000, noise=300, lo=0),
                            read_share=0.95),
            story="network-bound: large values push past 80% of baseline bandwidth; never downsize"),
        ExampleCluster(
            "leaderboard-hot", "replication_group", "valkey", "8.1.1", node_type="cache.r7g.large", shards=4,
            cluster_mode=True,
            drivers=Drivers(cpu=Shape(10, 5, "step"), memory=Shape(45, 2, noise=0.3),
                            network=Shape(14, 8, noise=0.5), ops=Shape(12000, 6000, noise=200, lo=0),
                            read_share=0.7,
                            families={"SortedSetBasedCmds": 0.7, "StringBasedCmds": 0.2, "HashBasedCmds": 0.1}),
            shard_cpu=(Shape(40, 20, "step"), Shape(10, 5, "step"), Shape(10, 5, "step"), Shape(10, 5, "step")),
            story="one hot shard: shard 0001 runs four times the CPU of the others all day"),
        ExampleCluster(
            "promo-spiky", "replication_group", "valkey", "7.2.6", node_type="cache.r7g.xlarge",
            drivers=Drivers(cpu=Shape(12, spike_every=576, spike_len=3, spike_to=90),
                            memory=Shape(16, 1, noise=0.2), network=Shape(3, 1, noise=0.2),
                            ops=Shape(1500, 500, noise=50, spike_every=576, spike_len=3, spike_to=60000, lo=0)),
            story="spiky: quiet for two days, then a 15-minute flash sale at 40x the traffic"),
        ExampleCluster(
            "legacy-redis5", "cache_cluster", "redis", "5.0.6", node_type="cache.m5.large", replicas=0,
            multi_az=False, automatic_failover=False, transit_encryption=False, at_rest_encryption=False,
            auth_token=False, snapshot_retention=0, auto_minor_version_upgrade=False,
            drivers=Drivers(cpu=Shape(26, 12, noise=1.0), memory=Shape(41, 2, noise=0.3),
                            network=Shape(14, 8, noise=0.5), ops=Shape(6000, 3000, noise=100, lo=0),
                            hit_ratio=0.62),
            story="Redis OSS 5 in Extended Support since 2026-02-01, no TLS, no auth, no backups, one node"),
        ExampleCluster(
            "checkout-serverless", "serverless", "valkey", "8", replicas=0, snapshot_retention=1,
            drivers=Drivers(cpu=quiet, memory=quiet, network=quiet, ops=Shape(4000, 3000, noise=100, lo=0),
                            stored_gb=6.0, ecpu_per_request=1.4, hit_ratio=0.93),
            storage_limit_gb=20.0, ecpu_limit_per_s=50_000.0,
            story="Serverless: usage limits set, well inside them"),
        ExampleCluster(
            "reports-new", "replication_group", "valkey", "8.0.1", node_type="cache.t4g.small", replicas=0,
            multi_az=False, automatic_failover=False, environment="dev", snapshot_retention=0,
            drivers=Drivers(cpu=Shape(9, 4, noise=0.5), memory=Shape(22, 1, noise=0.2),
                            network=Shape(3, 2, noise=0.2), ops=Shape(200, 100, noise=10, lo=0)),
            data_days=2.0,
            story="created two days ago: too little history to judge (not enough data)"),
    )
    return _with_nodes(clusters)


def synthetic_fleet(count: int, seed: int = 7) -> tuple[ExampleCluster, ...]:
    """`count` clusters cycling through the example's kinds, with seeded variations, for the bench."""
    base = [c for c in example_fleet()]
    rng = np.random.default_rng(seed)
    out = []
    for i in range(count):
        template = base[i % len(base)]
        scale = float(rng.uniform(0.7, 1.3))
        d = template.drivers
        drivers = replace(d, ops=replace(d.ops, base=d.ops.base * scale, cycle=d.ops.cycle * scale))
        out.append(replace(template, id=f"{template.id}-{i:03d}", drivers=drivers))
    return tuple(out)


# Series --------------------------------------------------------------------------------------------------


def _rng(seed: int, *parts: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32("/".join(parts).encode())])


def node_roles(c: ExampleCluster) -> list[tuple[str, str, str, str]]:
    """(cache cluster id, cache node id, role, shard) as ElastiCache names them for this cluster."""
    if c.kind == "serverless":
        return [(c.id, "", "unknown", "0001")]
    if c.kind == "cache_cluster":
        return [(c.id, "0001", "primary", "0001")]
    nodes = []
    for shard in range(1, c.shards + 1):
        for member in range(c.replicas + 1):
            member_id = (f"{c.id}-{shard:04d}-{member + 1:03d}" if c.cluster_mode else f"{c.id}-{member + 1:03d}")
            nodes.append((member_id, "0001", "primary" if member == 0 else "replica", f"{shard:04d}"))
    return nodes


def series_window(c: ExampleCluster, end: dt.datetime = EXAMPLE_END) -> np.ndarray:
    """Epoch seconds of every 5-minute datapoint CloudWatch holds for this cluster."""
    stop = int(end.timestamp())
    first = stop - int(min(c.data_days, DATA_DAYS) * 86_400)
    return np.arange(first, stop, STEP_S, dtype=np.int64)


def node_series(c: ExampleCluster, cache_cluster_id: str, role: str, shard: str, seed: int = 42,
                end: dt.datetime = EXAMPLE_END) -> dict[str, np.ndarray]:
    """Every metric of one node (or of a Serverless cache) at 5-minute resolution, derived from the drivers."""
    t = series_window(c, end)
    d = c.drivers
    rng = _rng(seed, c.id, cache_cluster_id)
    ops = d.ops.values(t, rng)
    reads = ops * d.read_share * STEP_S
    writes = ops * (1 - d.read_share) * STEP_S
    out: dict[str, np.ndarray] = {"timestamps": t.astype(np.float64)}
    if c.kind == "serverless":
        out["ElastiCacheProcessingUnits"] = ops * STEP_S * d.ecpu_per_request
        out["BytesUsedForCache"] = np.full(t.size, d.stored_gb * 1e9) + rng.normal(0, 1e7, t.size)
        out["CurrConnections"] = d.connections.values(t, rng)
        out["ThrottledCmds"] = np.zeros(t.size)
        out["CacheHits"] = reads * d.hit_ratio
        out["CacheMisses"] = reads * (1 - d.hit_ratio)
        out["Evictions"] = d.evictions.values(t, rng)
        out["GetTypeCmds"], out["SetTypeCmds"] = reads, writes
        return out
    shard_index = int(shard) - 1
    cpu_shape = c.shard_cpu[shard_index] if c.shard_cpu else d.cpu
    replica = role == "replica"
    cpu = cpu_shape.values(t, rng) * (0.5 if replica else 1.0)
    memory = d.memory.values(t, rng)
    network = d.network.values(t, rng) * (0.6 if replica else 1.0)
    baseline_bytes_per_period = c.node_baseline_gbps * 1e9 / 8 * STEP_S
    node_reads = reads * (0.5 if replica else 1.0)
    out.update({
        "EngineCPUUtilization": cpu, "CPUUtilization": np.clip(cpu * 0.6 + 3, 0, 100),
        "DatabaseMemoryUsagePercentage": memory,
        "BytesUsedForCache": memory / 100 * c.node_memory_gib * GIB,
        "NetworkBaselineUsageOutPercentage": network,
        "NetworkBaselineUsageInPercentage": network * 0.4,
        "NetworkBytesOut": network / 100 * baseline_bytes_per_period,
        "NetworkBytesIn": network * 0.4 / 100 * baseline_bytes_per_period,
        "CurrConnections": d.connections.values(t, rng), "RejectedConnections": np.zeros(t.size),
        "Evictions": np.zeros(t.size) if replica else d.evictions.values(t, rng),
        "CacheHits": node_reads * d.hit_ratio, "CacheMisses": node_reads * (1 - d.hit_ratio),
        "GetTypeCmds": node_reads, "SetTypeCmds": writes,
        "IsMaster": np.full(t.size, 0.0 if replica else 1.0),
    })
    if replica:
        out["ReplicationLag"] = d.lag.values(t, rng)
    else:
        out["UsedMemoryDataset"] = out["BytesUsedForCache"] * 0.9
        total = (reads + writes)
        for family, share in d.families.items():
            out[family] = total * share
    if c.engine == "memcached":
        for name in ("DatabaseMemoryUsagePercentage", "UsedMemoryDataset", "EngineCPUUtilization"):
            out.pop(name, None)
    return out
