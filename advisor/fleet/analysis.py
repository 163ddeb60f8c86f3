"""Per-cluster analysis of a fleet review: distributions, the grid class, trends, shard balance, workload
class and metric findings, from one cluster's `ClusterSeries`. Pure: no AWS, no prices.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from advisor import docs
from advisor.findings import Finding, Severity
from advisor.fleet.catalog import COMMAND_FAMILIES
from advisor.fleet.classify import Grid, UtilizationClass, classify
from advisor.fleet.collect import ClusterSeries, NodeSeries
from advisor.fleet.stats import (
    DAY_S,
    Distribution,
    Trend,
    coefficient_of_variation,
    distribution,
    trend,
)
from advisor.live.models import FleetRow
from advisor.pricing.schema import NodeType

CURRENT_DAYS = 7  # the grid judges the last 7 days: the cluster as it is now, not before a past resize
MEMORY_LIMIT_PCT = 90.0  # DatabaseMemoryUsagePercentage critical level (AWS monitoring guidance)
CONNECTIONS_PER_NODE = 65_000  # maxclients per node (facts 2.3)
CV_SIGNIFICANT = 0.3
HIT_RATIO_LOW = 0.8
LAG_HIGH_S = 1.0
SHARD_DOC = docs.SHARDS
MONITOR_DOC = docs.MONITORING


@dataclass(frozen=True)
class ShardBalance:
    metric: str
    per_primary_p95: dict[str, float]
    per_primary_max: dict[str, float]
    cv_p95: float | None
    cv_max: float | None

    @property
    def kind(self) -> str:
        if self.cv_p95 is not None and self.cv_p95 > CV_SIGNIFICANT:
            return "structural"
        if self.cv_max is not None and self.cv_max > CV_SIGNIFICANT:
            return "intermittent"
        return "balanced"

    @property
    def hottest(self) -> str | None:
        return max(self.per_primary_p95, key=lambda n: self.per_primary_p95[n]) if self.per_primary_p95 else None


@dataclass(frozen=True)
class ClusterAnalysis:
    cluster: str
    window_start: dt.datetime
    window_end: dt.datetime
    period_s: int
    distributions: dict[str, Distribution]  # cluster-wide, by metric (network: "NetworkBaselineUsage")
    grid: Grid
    utilization: UtilizationClass
    trends: dict[str, Trend]
    balance: ShardBalance | None
    hit_ratio: float | None
    ops_per_s: Distribution
    command_mix: dict[str, float]  # family -> share of commands
    workload_class: str
    findings: tuple[Finding, ...]
    roles: dict[str, str]  # node -> primary / replica (resolved)
    datapoints: int


def resolve_roles(series: ClusterSeries) -> dict[str, str]:
    """Discovery's role, or for cluster-mode members (role unknown) IsMaster's last reading."""
    roles: dict[str, str] = {}
    for s in series.series:
        if s.node in roles:
            continue
        if s.role != "unknown":
            roles[s.node] = s.role
    for s in series.of("IsMaster"):
        if roles.get(s.node, "unknown") == "unknown" and s.values.size:
            roles[s.node] = "primary" if s.values[-1] >= 0.5 else "replica"
    for s in series.series:
        roles.setdefault(s.node, "primary")  # no IsMaster: treat as primary (one per shard is the norm)
    return roles


def _nodes(series: ClusterSeries, metric: str, roles: dict[str, str], want: Sequence[str]) -> list[NodeSeries]:
    return [s for s in series.of(metric) if roles.get(s.node) in want]


def _pooled(parts: list[NodeSeries], since: float | None = None) -> np.ndarray:
    arrays = [s.values if since is None else s.values[s.timestamps >= since] for s in parts]
    return np.concatenate(arrays) if arrays else np.array([])


def _summed(parts: list[NodeSeries], since: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per-period total across nodes (timestamps, sums)."""
    if not parts:
        return np.array([]), np.array([])
    ts = np.concatenate([s.timestamps for s in parts])
    vs = np.concatenate([s.values for s in parts])
    if since is not None:
        keep = ts >= since
        ts, vs = ts[keep], vs[keep]
    stamps, inverse = np.unique(ts, return_inverse=True)
    return stamps, np.bincount(inverse, weights=vs, minlength=stamps.size)


def _expected(series: ClusterSeries, period_s: int, since: float | None = None) -> int:
    start = series.start.timestamp() if since is None else since
    return max(1, int((series.end.timestamp() - start) // period_s))


def _dist(series: ClusterSeries, parts: list[NodeSeries], label: str, stat: str, unit: str,
          since: float | None = None, combine: str = "pool") -> Distribution:
    expected = _expected(series, series.period_s, since)
    if combine == "sum":
        _, values = _summed(parts, since)
    else:
        values = _pooled(parts, since)
        expected *= max(1, len(parts))
    return distribution(label, stat, unit, values, expected)


def _network(series: ClusterSeries, roles: dict[str, str], node: NodeType | None,
             since: float | None = None) -> tuple[Distribution, str]:
    """Use of baseline bandwidth in the busier direction: the NetworkBaselineUsage*Percentage metrics where the
    node publishes them, else bytes per period against the node's baseline (Gbps from the bundled table)."""
    everyone = ("primary", "replica", "memcached", "unknown")
    best: tuple[Distribution, str] | None = None
    for direction in ("In", "Out"):
        name = f"NetworkBaselineUsage{direction}Percentage"
        d = _dist(series, _nodes(series, name, roles, everyone), name, "Average", "% of baseline", since)
        if d.enough and (best is None or (d.p95 or 0) > (best[0].p95 or 0)):
            best = (d, name)
    if best is not None:
        return best
    if node is None or not node.network_gbps_baseline:
        return distribution("NetworkBytes vs baseline", "Sum", "% of baseline", np.array([]), 1), "not collected"
    per_period = float(node.network_gbps_baseline) * 1e9 / 8 * series.period_s
    for direction in ("In", "Out"):
        name = f"NetworkBytes{direction}"
        parts = _nodes(series, name, roles, everyone)
        scaled = [NodeSeries(p.node, p.role, p.shard, p.spec, p.period_s, p.timestamps, p.values / per_period * 100)
                  for p in parts]
        d = _dist(series, scaled, f"{name} vs baseline", "Sum", "% of baseline", since)
        if d.enough and (best is None or (d.p95 or 0) > (best[0].p95 or 0)):
            best = (d, f"{name} / baseline {node.network_gbps_baseline} Gbps")
    return best or (distribution("NetworkBytes vs baseline", "Sum", "% of baseline", np.array([]), 1),
                    "not enough data")


def _balance(series: ClusterSeries, row: FleetRow, roles: dict[str, str]) -> ShardBalance | None:
    parts = _nodes(series, "EngineCPUUtilization", roles, ("primary",))
    expected = _expected(series, series.period_s)
    parts = [p for p in parts if p.values.size >= 0.75 * expected]
    if row.shards < 2 or len(parts) < 2:
        return None
    p95 = {p.node: float(np.percentile(p.values, 95)) for p in parts}
    mx = {p.node: float(p.values.max()) for p in parts}
    return ShardBalance("EngineCPUUtilization", p95, mx, coefficient_of_variation(np.array(list(p95.values()))),
                        coefficient_of_variation(np.array(list(mx.values()))))


def _workload_class(mix: dict[str, float], read_write: float | None) -> str:
    """The AWS sample's command-family rules, first match wins."""
    if not mix:
        return "unknown (no command-family metrics)"
    s = mix.get
    rw = read_write if read_write is not None else 0.0
    if s("StringBasedCmds", 0) > 0.6 and rw > 4:
        return "cache-aside / query cache"
    if s("HashBasedCmds", 0) > 0.35 and 1 <= rw <= 4:
        return "session store"
    if s("SortedSetBasedCmds", 0) > 0.25:
        return "leaderboard / ranking"
    if s("StringBasedCmds", 0) > 0.6 and rw < 2:
        return "rate limiter / counter"
    if s("StreamBasedCmds", 0) > 0.15:
        return "event stream"
    if s("PubSubBasedCmds", 0) > 0.10:
        return "real-time messaging"
    if s("ListBasedCmds", 0) > 0.2:
        return "queue / job processor"
    return "general purpose"


def analyse(series: ClusterSeries, row: FleetRow, node: NodeType | None) -> ClusterAnalysis:
    roles = resolve_roles(series)
    recent = max(series.start.timestamp(), series.end.timestamp() - CURRENT_DAYS * DAY_S)
    prim, reps = ("primary", "memcached"), ("replica",)
    everyone = ("primary", "replica", "memcached", "unknown")
    serverless = row.kind == "serverless"
    dists: dict[str, Distribution] = {}
    if serverless:
        for name, stat, unit in (("ElastiCacheProcessingUnits", "Sum", "ECPUs"), ("BytesUsedForCache", "Maximum",
                                 "bytes"), ("CurrConnections", "Maximum", "connections"),
                                 ("ThrottledCmds", "Sum", "commands"), ("Evictions", "Sum", "keys")):
            dists[name] = _dist(series, series.of(name), name, stat, unit)
    else:
        for name, stat, unit, who, how in (
            ("EngineCPUUtilization", "Maximum", "%", prim, "pool"),
            ("DatabaseMemoryUsagePercentage", "Maximum", "%", prim, "pool"),
            ("UsedMemoryDataset", "Maximum", "bytes", prim, "sum"),
            ("BytesUsedForCache", "Maximum", "bytes", prim, "sum"),
            ("CurrConnections", "Maximum", "connections", everyone, "sum"),
            ("RejectedConnections", "Sum", "connections", everyone, "sum"),
            ("Evictions", "Sum", "keys", prim, "sum"),
            ("ReplicationLag", "Maximum", "seconds", reps, "pool"),
        ):
            dists[name] = _dist(series, _nodes(series, name, roles, who), name, stat, unit, combine=how)
        dists["NetworkBaselineUsage"], _ = _network(series, roles, node)
    reads = _nodes(series, "GetTypeCmds", roles, everyone)
    writes = _nodes(series, "SetTypeCmds", roles, prim if not serverless else everyone)
    ts_r, sum_r = _summed(reads)
    ts_w, sum_w = _summed(writes)
    ops_values = np.array([])
    if ts_r.size and ts_w.size and np.array_equal(ts_r, ts_w):
        ops_values = (sum_r + sum_w) / series.period_s
    ops = distribution("GetTypeCmds + SetTypeCmds", "Sum per second", "commands/s", ops_values,
                       _expected(series, series.period_s))
    hits = sum(float(s.values.sum()) for s in series.of("CacheHits"))
    misses = sum(float(s.values.sum()) for s in series.of("CacheMisses"))
    hit_ratio = hits / (hits + misses) if hits + misses > 0 else None
    family_totals = {f.name: sum(float(s.values.sum()) for s in _nodes(series, f.name, roles, prim))
                     for f in COMMAND_FAMILIES}
    total_families = sum(family_totals.values())
    mix = {k: v / total_families for k, v in family_totals.items() if v > 0} if total_families > 0 else {}
    read_write = float(sum_r.sum() / sum_w.sum()) if sum_w.size and sum_w.sum() > 0 else None

    if serverless:
        grid = Grid(None, None, None, "Serverless")
        utilization = (UtilizationClass.SERVERLESS if dists["ElastiCacheProcessingUnits"].enough
                       else UtilizationClass.NOT_ENOUGH_DATA)
    else:
        cpu_now = _dist(series, _nodes(series, "EngineCPUUtilization", roles, prim), "EngineCPUUtilization",
                        "Maximum", "%", recent)
        mem_now = _dist(series, _nodes(series, "DatabaseMemoryUsagePercentage", roles, prim),
                        "DatabaseMemoryUsagePercentage", "Maximum", "%", recent)
        net_now, net_source = _network(series, roles, node, recent)
        grid = Grid(cpu_now.p95, mem_now.max, net_now.p95, net_source)
        utilization = classify(grid)

    trends = _trends(series, roles, row, serverless)
    balance = None if serverless else _balance(series, row, roles)
    analysis = ClusterAnalysis(
        row.id, series.start, series.end, series.period_s, dists, grid, utilization, trends, balance, hit_ratio, ops,
        mix, _workload_class(mix, read_write), (), roles, series.datapoints)
    return _with_findings(analysis, row)


def _trends(series: ClusterSeries, roles: dict[str, str], row: FleetRow, serverless: bool) -> dict[str, Trend]:
    out: dict[str, Trend] = {}
    prim = ("primary", "memcached")
    if not serverless:
        ts, worst = _worst(_nodes(series, "DatabaseMemoryUsagePercentage", roles, prim))
        out["DatabaseMemoryUsagePercentage"] = trend("DatabaseMemoryUsagePercentage", "%", ts, worst,
                                                     MEMORY_LIMIT_PCT)
        ts, total = _summed(_nodes(series, "CurrConnections", roles, ("primary", "replica", "memcached", "unknown")))
        out["CurrConnections"] = trend("CurrConnections", "connections", ts, total,
                                       float(CONNECTIONS_PER_NODE * max(1, row.node_count)))
        ts, stored = _summed(_nodes(series, "BytesUsedForCache", roles, prim))
        out["BytesUsedForCache"] = trend("BytesUsedForCache", "bytes", ts, stored)
    else:
        ts, stored = _summed(series.of("BytesUsedForCache"))
        out["BytesUsedForCache"] = trend("BytesUsedForCache", "bytes", ts, stored)
    return out


def _worst(parts: list[NodeSeries]) -> tuple[np.ndarray, np.ndarray]:
    """Per-period maximum across nodes (the fullest primary decides when memory runs out)."""
    if not parts:
        return np.array([]), np.array([])
    ts = np.concatenate([s.timestamps for s in parts])
    vs = np.concatenate([s.values for s in parts])
    order = np.lexsort((-vs, ts))
    ts, vs = ts[order], vs[order]
    first = np.concatenate(([True], np.diff(ts) > 0))
    return ts[first], vs[first]


# Metric findings ----------------------------------------------------------------------------------------


def _f(a: ClusterAnalysis, key: str, severity: Severity, title: str, decision: str, rationale: str,
       evidence: dict[str, str], links: list[str]) -> Finding:
    return Finding(id=f"fleet.{key}", severity=severity, title=f"{a.cluster}: {title}", decision=decision,
                   rationale=rationale, evidence=evidence, docs=links)


def _window(a: ClusterAnalysis) -> str:
    return f"{a.window_start:%Y-%m-%d} to {a.window_end:%Y-%m-%d}, {a.period_s // 60}-minute periods"


def _with_findings(a: ClusterAnalysis, row: FleetRow) -> ClusterAnalysis:
    from dataclasses import replace

    found: list[Finding] = []
    if a.utilization is UtilizationClass.NOT_ENOUGH_DATA:
        covered = [f"{d.metric} {d.coverage:.0%}" for d in a.distributions.values() if d.points]
        found.append(_f(a, "not_enough_data", Severity.ADVICE, "not enough data to judge its size",
                        "Review it again once CloudWatch holds most of the window; no sizing advice until then.",
                        "A metric needs at least 75% of the window's datapoints; here: " + (", ".join(covered[:4])
                                                                                            or "none") + ".",
                        {"window": _window(a)}, [MONITOR_DOC]))
    grid = a.grid
    if a.utilization.needs_more or a.utilization.may_shrink:
        found.append(_f(
            a, "utilization", Severity.WARNING if a.utilization.needs_more else Severity.ADVICE,
            f"{a.utilization.value}",
            {"idle": "Consolidate or move it to Serverless; delete it if nothing uses it.",
             "over-provisioned": "Move to a smaller node (see the target).",
             "CPU-bound": "Add shards (cluster mode) or replicas for reads before the engine saturates.",
             "memory-bound": "Scale up to a larger memory node or add shards.",
             "network-bound": "Move to a node with more baseline bandwidth or add shards; never a smaller node.",
             "saturated": "Scale now: two resources are above their high level."}[a.utilization.value],
            f"Over the last {CURRENT_DAYS} days: engine CPU p95 {grid.cpu_p95:.1f}% ({grid.cpu.value}), memory max "
            f"{grid.memory_max:.1f}% ({grid.memory.value}), network p95 {grid.network_p95:.1f}% of baseline "
            f"({grid.network.value}; {grid.network_source}).",
            {"cpu_p95_pct": f"{grid.cpu_p95:.1f}", "memory_max_pct": f"{grid.memory_max:.1f}",
             "network_p95_pct": f"{grid.network_p95:.1f}", "window": _window(a)}, [MONITOR_DOC, docs.NODE_TYPES]))
    memory = a.trends.get("DatabaseMemoryUsagePercentage")
    if memory is not None and memory.growing and memory.slope_per_day is not None:
        when = (f"reaches {memory.limit:.0f}% around {memory.limit_date:%B %Y}" if memory.limit_date
                else "does not reach the limit within three years")
        found.append(_f(a, "memory_growth", Severity.WARNING if memory.limit_date else Severity.ADVICE,
                        f"memory grows {memory.slope_per_day * 7:.1f} points a week",
                        "Plan the scale-up before the fitted date, or find what stops expiring.",
                        f"Daily averages of DatabaseMemoryUsagePercentage rise {memory.slope_per_day:.2f} points/day "
                        f"(R^2 {memory.r2:.2f}); the fitted line {when}.",
                        {"slope_per_day": f"{memory.slope_per_day:.3f}", "r2": f"{memory.r2:.3f}",
                         "limit_pct": f"{memory.limit}", "limit_date": str(memory.limit_date)}, [MONITOR_DOC]))
    if a.balance is not None and a.balance.kind != "balanced":
        b = a.balance
        found.append(_f(a, "hot_shard", Severity.WARNING if b.kind == "structural" else Severity.ADVICE,
                        f"{b.kind} shard imbalance (CV {b.cv_p95:.2f})",
                        "Find the hot keys or hash tags on the hottest shard (CLUSTER SLOT-STATS on Valkey 8+, "
                        "key prefixes) and spread them; more shards will not fix one hot key.",
                        "Per-primary p95 of EngineCPUUtilization: " + ", ".join(
                            f"{n.split('/')[0]} {v:.1f}%" for n, v in b.per_primary_p95.items())
                        + f"; coefficient of variation {b.cv_p95:.2f} (p95) and {b.cv_max:.2f} (max), "
                          f"significant above {CV_SIGNIFICANT}.",
                        {"cv_p95": f"{b.cv_p95:.3f}", "cv_max": f"{b.cv_max:.3f}", "hottest": str(b.hottest)},
                        [SHARD_DOC, MONITOR_DOC]))
    ev = a.distributions.get("Evictions")
    if ev is not None and ev.enough and (ev.max or 0) > 0:
        per_min = (ev.max or 0) / (a.period_s / 60)
        found.append(_f(a, "evictions", Severity.WARNING if per_min > 200 else Severity.ADVICE,
                        f"evicting keys (peak {per_min:,.0f}/minute)",
                        "Give the data more memory or shorter TTLs, unless evicting is intended.",
                        f"Evictions per period peaked at {ev.max:,.0f} ({per_min:,.1f} per minute; the AWS sample "
                        "treats 20-200/min as medium and above 200/min as high).",
                        {"evictions_max_per_period": f"{ev.max:.0f}"}, [MONITOR_DOC, docs.MEMORY_MANAGEMENT]))
    rejected = a.distributions.get("RejectedConnections")
    if rejected is not None and rejected.enough and (rejected.max or 0) > 0:
        found.append(_f(a, "rejected_connections", Severity.WARNING, "connections were rejected",
                        "Pool connections in the clients; the node hit maxclients (65,000).",
                        f"RejectedConnections reached {rejected.max:,.0f} in one period.",
                        {"rejected_max": f"{rejected.max:.0f}"}, [MONITOR_DOC]))
    lag = a.distributions.get("ReplicationLag")
    if lag is not None and lag.enough and (lag.p95 or 0) > LAG_HIGH_S:
        found.append(_f(a, "replication_lag", Severity.WARNING, f"replicas lag {lag.p95:.1f} s at p95",
                        "Spread writes over more shards or move to nodes with more network.",
                        f"ReplicationLag p95 {lag.p95:.2f} s, max {lag.max:.2f} s (above 1 s is high).",
                        {"lag_p95_s": f"{lag.p95:.2f}"}, [MONITOR_DOC, docs.REPLICATION]))
    if a.hit_ratio is not None and a.hit_ratio < HIT_RATIO_LOW and a.workload_class.startswith("cache"):
        found.append(_f(a, "hit_ratio", Severity.ADVICE, f"hit ratio {a.hit_ratio:.0%}",
                        "Check TTLs, key design and whether the cache is warmed.",
                        f"CacheHits / (CacheHits + CacheMisses) over the window is {a.hit_ratio:.1%} for a "
                        "cache-aside workload (healthy above 80%).", {"hit_ratio": f"{a.hit_ratio:.3f}"},
                        [docs.CACHING_STRATEGIES]))
    throttled = a.distributions.get("ThrottledCmds")
    if throttled is not None and throttled.enough and (throttled.max or 0) > 0:
        found.append(_f(a, "throttled", Severity.WARNING, "Serverless throttled commands",
                        "Raise the ECPUPerSecond maximum in the cache's usage limits.",
                        f"ThrottledCmds reached {throttled.max:,.0f} in one period.", {}, [docs.SERVERLESS_CONFIG]))
    return replace(a, findings=tuple(found))


SERVERLESS_ECPU_HIGH = 0.8  # of the configured ECPUPerSecond maximum (AWS sample thresholds)
SERVERLESS_STORAGE_HIGH = 0.7  # of the configured DataStorage maximum


def serverless_usage(a: ClusterAnalysis, storage_limit_gb: float | None,
                     ecpu_limit_per_s: float | None) -> tuple[float | None, float | None]:
    """ECPU/s p95 and stored-data max as shares of the cache's usage limits (None: no limit or no data)."""
    ecpu = a.distributions.get("ElastiCacheProcessingUnits")
    stored = a.distributions.get("BytesUsedForCache")
    ecpu_share = (ecpu.p95 / a.period_s / ecpu_limit_per_s
                  if ecpu is not None and ecpu.enough and ecpu.p95 is not None and ecpu_limit_per_s else None)
    storage_share = (stored.max / 1e9 / storage_limit_gb
                     if stored is not None and stored.enough and stored.max is not None and storage_limit_gb else None)
    return ecpu_share, storage_share


def serverless_limit_findings(a: ClusterAnalysis, storage_limit_gb: float | None,
                              ecpu_limit_per_s: float | None) -> list[Finding]:
    ecpu_share, storage_share = serverless_usage(a, storage_limit_gb, ecpu_limit_per_s)
    found = []
    if ecpu_share is not None and ecpu_share > SERVERLESS_ECPU_HIGH:
        found.append(_f(a, "serverless_ecpu_limit", Severity.WARNING, f"ECPU p95 at {ecpu_share:.0%} of its limit",
                        "Raise CacheUsageLimits ECPUPerSecond.Maximum before requests are throttled.",
                        f"ElastiCacheProcessingUnits p95 is {ecpu_share * (ecpu_limit_per_s or 0):,.0f} ECPU/s of "
                        f"{ecpu_limit_per_s:,.0f} (high above 80%).", {"share": f"{ecpu_share:.3f}"},
                        [docs.SERVERLESS_CONFIG]))
    if storage_share is not None and storage_share > SERVERLESS_STORAGE_HIGH:
        found.append(_f(a, "serverless_storage_limit", Severity.WARNING,
                        f"stored data at {storage_share:.0%} of its limit",
                        "Raise CacheUsageLimits DataStorage.Maximum or expire more data.",
                        f"BytesUsedForCache reached {storage_share * (storage_limit_gb or 0):,.1f} GB of "
                        f"{storage_limit_gb:,.0f} GB (high above 70%).", {"share": f"{storage_share:.3f}"},
                        [docs.SERVERLESS_CONFIG]))
    return found
