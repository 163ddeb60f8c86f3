"""Right-sizing findings for a running cluster, judged from its configuration and its CloudWatch history.

Each rule is a small pure function over a `SizingContext` that returns a Finding or None. Thresholds are the
AWS starting points quoted in the facts file (sections 2 and 7); the ones marked [U] there are defaults a user
may want to change. Savings are monthly, on-demand, from the bundled price tables.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from advisor import docs
from advisor.findings import Finding, Severity
from advisor.live.cloudwatch import MetricSet
from advisor.live.models import Fleet, FleetRow, ReservedNodes
from advisor.money import HOURS_PER_MONTH, fmt_usd
from advisor.pricing.book import PriceBook
from advisor.pricing.schema import NodeType
from advisor.wording import ENGINE_LABELS, choice_label, count_noun, noun

MEMORY_WARN_PCT = 80.0  # DatabaseMemoryUsagePercentage warn (facts 7, ATK)
MEMORY_CRITICAL_PCT = 90.0  # ... critical
HEADROOM_FACTOR = 2.0  # pick a node whose maxmemory >= 2x peak usage (facts 2.2, ATK rule of thumb)
DOWNSIZE_CPU_MAX_PCT = 50.0  # only suggest a smaller node when host CPU p95 leaves room on fewer vCPUs [U]
CPU_IDLE_PCT = 20.0  # EngineCPU p99 below this on every primary: shards are there for memory, not CPU [U]
EVICTIONS_PER_5MIN = 100.0  # ATK: > 100 evictions per 5 minutes is sustained eviction
SWAP_LIMIT_BYTES = 50 * 1024 * 1024  # Memcached guidance 50 MB; used as the Redis/Valkey starting point too
HOT_SHARD_RATIO = 2.0  # hottest primary's EngineCPU p95 at least 2x the median of the others [U]
HOT_SHARD_MIN_PCT = 20.0  # ... and busy enough to matter [U]
REPLICATION_LAG_S = 1.0  # ATK: > 1 s sustained
CPU_CREDIT_LOW = 10.0  # CPUCreditBalance near zero; t*.micro accrues 12/h, so 10 is under one hour of accrual
# Graviton successors of x86 families, newest first (facts 2.3: m6g/r6g/m7g/r7g current; t4g for burstable).
GRAVITON_SUCCESSORS: dict[str, tuple[str, ...]] = {"m": ("m7g", "m6g"), "r": ("r7g", "r6g"), "t": ("t4g",)}
SEVERITY_RANK = {Severity.CONFLICT: 0, Severity.WARNING: 1, Severity.ADVICE: 2, Severity.DECISION: 3}
PRICED_ENGINES = ("valkey", "redis", "memcached")


@dataclass(frozen=True)
class SizingContext:
    row: FleetRow
    book: PriceBook
    metrics: MetricSet | None = None

    @property
    def node(self) -> NodeType | None:
        return self.book.nodes.get(self.row.node_type or "")

    def hourly(self, node_type: str | None = None, engine: str | None = None) -> Decimal | None:
        engine = engine or self.row.engine
        if engine not in PRICED_ENGINES or not (node_type or self.row.node_type):
            return None
        price = self.book.node_price(self.row.region, engine, node_type or self.row.node_type)  # type: ignore[arg-type]
        return price.usd_per_hour if price else None

    def monthly_delta(self, hourly_saving: Decimal, nodes: int | None = None) -> float:
        return float(hourly_saving * HOURS_PER_MONTH * (self.row.node_count if nodes is None else nodes))

    def values(self, metric: str, roles: Iterable[str] | None = None) -> np.ndarray:
        if self.metrics is None:
            return np.array([])
        return self.metrics.series(metric, self.row.id, roles)["value"].to_numpy()

    def per_node(self, metric: str, roles: Iterable[str] | None = None) -> dict[str, np.ndarray]:
        if self.metrics is None:
            return {}
        df = self.metrics.series(metric, self.row.id, roles)
        return {str(node): g["value"].to_numpy() for node, g in df.groupby("node")}


Rule = Callable[[SizingContext], Finding | None]
CONFIG_RULES: list[Rule] = []
METRIC_RULES: list[Rule] = []


# Rules register with a call after the function, not as decorators: mutmut skips decorated functions.
def config_rule(fn: Rule) -> Rule:
    CONFIG_RULES.append(fn)
    return fn


def metric_rule(fn: Rule) -> Rule:
    METRIC_RULES.append(fn)
    return fn


def _gib(value: float) -> str:
    return f"{value:,.2f} GiB"


def smaller_node(book: PriceBook, node: NodeType, region: str, engine: str) -> NodeType | None:
    """The next smaller priced node of the same family (largest memory below the current one)."""
    candidates = [
        n for n in book.nodes.values()
        if n.family == node.family and n.memory_gib < node.memory_gib
        and book.node_price(region, engine, n.node_type) is not None  # type: ignore[arg-type]
    ]
    return max(candidates, key=lambda n: n.memory_gib, default=None)


# Configuration rules (no metrics needed) ------------------------------------------------------------------


def valkey_savings(ctx: SizingContext) -> Finding | None:
    row = ctx.row
    if row.engine != "redis" or row.kind == "serverless":
        return None
    now, valkey = ctx.hourly(), ctx.hourly(engine="valkey")
    if now is None or valkey is None or valkey >= now:
        return None
    saving = ctx.monthly_delta(now - valkey)
    return Finding(
        id="live.valkey_savings", severity=Severity.ADVICE,
        title=f"{row.id}: Valkey runs the same nodes for less",
        decision=f"Upgrade {row.id} from Redis OSS {row.engine_version} to Valkey on {row.node_type} "
                 "(an in-place engine upgrade).",
        rationale=f"The bundled {row.region} price for {row.node_type} is ${valkey}/h on Valkey against ${now}/h on "
                  f"Redis OSS, for {row.node_count} nodes.",
        evidence={"redis_usd_per_hour": str(now), "valkey_usd_per_hour": str(valkey), "nodes": str(row.node_count)},
        docs=[docs.SELECT_ENGINE, docs.PRICING], monthly_saving_usd=round(saving, 2),
    )


config_rule(valkey_savings)


def old_generation(ctx: SizingContext) -> Finding | None:
    node, row = ctx.node, ctx.row
    if node is None or "g" in node.family or node.family[0] not in GRAVITON_SUCCESSORS:
        return None
    now = ctx.hourly()
    options = []
    for family in GRAVITON_SUCCESSORS[node.family[0]]:
        successor = ctx.book.nodes.get(f"cache.{family}.{node.size}")
        price = ctx.hourly(successor.node_type) if successor else None
        if successor is not None and price is not None and successor.memory_gib >= node.memory_gib * Decimal("0.95"):
            options.append((price, successor))
    if not options:
        return None
    price, successor = min(options, key=lambda o: o[0])
    saving = ctx.monthly_delta(now - price) if now is not None and price < now else None
    return Finding(
        id="live.old_generation", severity=Severity.ADVICE,
        title=f"{row.id}: {row.node_type} is an older x86 node",
        decision=f"Move {row.id} to {successor.node_type} (Graviton) of the same size.",
        rationale=f"The {node.family} family is x86, listed as {node.generation} generation; {successor.node_type} has "
                  f"{_gib(float(successor.memory_gib))} against {_gib(float(node.memory_gib))} and costs "
                  f"${price}/h{'' if now is None else f' against ${now}/h'} in {row.region}.",
        evidence={"current": str(row.node_type), "suggested": successor.node_type,
                  "current_usd_per_hour": str(now), "suggested_usd_per_hour": str(price)},
        docs=[docs.NODE_TYPES, docs.PRICING], monthly_saving_usd=None if saving is None else round(saving, 2),
    )


config_rule(old_generation)


def single_point_of_failure(ctx: SizingContext) -> Finding | None:
    row = ctx.row
    if row.kind == "serverless" or row.engine == "memcached" or row.replicas_per_shard > 0:
        return None
    return Finding(
        id="live.no_replica", severity=Severity.WARNING,
        title=f"{row.id}: no replica, no automatic failover",
        decision=f"Add at least one replica per shard to {row.id} in another AZ and enable Multi-AZ.",
        rationale="A node failure loses the cache and its writes until a new node is provisioned.",
        evidence={"replicas per shard": str(row.replicas_per_shard), "Multi-AZ": choice_label(row.multi_az)},
        docs=[docs.AUTO_FAILOVER, docs.REPLICATION],
    )


config_rule(single_point_of_failure)


def no_transit_encryption(ctx: SizingContext) -> Finding | None:
    row = ctx.row
    if row.transit_encryption or row.kind == "serverless":
        return None
    return Finding(
        id="live.no_tls", severity=Severity.ADVICE, title=f"{row.id}: traffic is not encrypted in transit",
        decision=f"Enable in-transit encryption (TLS) on {row.id}.",
        rationale="Without TLS, keys, values and AUTH credentials cross the network in clear text.",
        evidence={"transit_encryption": "false"}, docs=[docs.IN_TRANSIT_ENCRYPTION],
    )


config_rule(no_transit_encryption)


# Metric rules ---------------------------------------------------------------------------------------------


def memory_pressure(ctx: SizingContext) -> Finding | None:
    values = ctx.values("DatabaseMemoryUsagePercentage")
    if values.size == 0 or values.max() < MEMORY_WARN_PCT:
        return None
    peak = float(values.max())
    critical = peak >= MEMORY_CRITICAL_PCT
    return Finding(
        id="live.memory_pressure", severity=Severity.WARNING if critical else Severity.ADVICE,
        title=f"{ctx.row.id}: memory use reached {peak:.0f}% of maxmemory",
        decision="Scale up the node type or add shards before evictions or out-of-memory errors start."
        if critical else "Plan more memory: usage is above the 80% warning level.",
        rationale=f"DatabaseMemoryUsagePercentage peaked at {peak:.1f}% (warn {MEMORY_WARN_PCT:.0f}%, critical "
                  f"{MEMORY_CRITICAL_PCT:.0f}%); p95 {np.percentile(values, 95):.1f}%.",
        evidence={"max_pct": f"{peak:.1f}", "p95_pct": f"{np.percentile(values, 95):.1f}"},
        docs=[docs.MONITORING, docs.MEMORY_MANAGEMENT],
    )


metric_rule(memory_pressure)


def memory_overprovisioned(ctx: SizingContext) -> Finding | None:
    node, row = ctx.node, ctx.row
    memory = ctx.values("DatabaseMemoryUsagePercentage")
    if node is None or memory.size == 0 or row.engine not in PRICED_ENGINES:
        return None
    cpu = ctx.values("CPUUtilization")
    if cpu.size and np.percentile(cpu, 95) > DOWNSIZE_CPU_MAX_PCT:
        return None
    smaller = smaller_node(ctx.book, node, row.region, row.engine)
    peak_gib = float(memory.max()) / 100 * float(node.memory_gib)
    if smaller is None or peak_gib * HEADROOM_FACTOR > float(smaller.memory_gib):
        return None
    now, then = ctx.hourly(), ctx.hourly(smaller.node_type)
    if now is None or then is None or then >= now:
        return None
    return Finding(
        id="live.memory_overprovisioned", severity=Severity.ADVICE,
        title=f"{row.id}: {row.node_type} has far more memory than the data needs",
        decision=f"Scale {row.id} down to {smaller.node_type}.",
        rationale=f"Peak use was {memory.max():.1f}% of {_gib(float(node.memory_gib))} = {_gib(peak_gib)} per node; "
                  f"{smaller.node_type} ({_gib(float(smaller.memory_gib))}) still leaves the {HEADROOM_FACTOR:.0f}x "
                  "headroom AWS suggests for growth, fragmentation and the 25% reserve.",
        evidence={"peak_memory_pct": f"{memory.max():.1f}", "peak_gib_per_node": f"{peak_gib:.2f}",
                  "suggested": smaller.node_type,
                  "cpu_p95_pct": f"{np.percentile(cpu, 95):.1f}" if cpu.size else "n/a"},
        docs=[docs.MEMORY_MANAGEMENT, docs.NODE_TYPES], monthly_saving_usd=round(ctx.monthly_delta(now - then), 2),
    )


metric_rule(memory_overprovisioned)


def cpu_overprovisioned(ctx: SizingContext) -> Finding | None:
    """Shards kept for CPU that the engine does not use: fewer shards would hold the data with headroom."""
    node, row = ctx.node, ctx.row
    engine_cpu = ctx.per_node("EngineCPUUtilization", roles=("primary",))
    memory = ctx.per_node("DatabaseMemoryUsagePercentage", roles=("primary",))
    if node is None or row.shards < 2 or len(engine_cpu) < 2 or not memory:
        return None
    busiest = max(float(np.percentile(v, 99)) for v in engine_cpu.values())
    if busiest >= CPU_IDLE_PCT:
        return None
    total_gib = sum(float(v.max()) / 100 * float(node.memory_gib) for v in memory.values())
    needed = max(1, math.ceil(total_gib * HEADROOM_FACTOR / float(node.memory_gib)))
    # Fewer shards each take a larger share of the load: keep the busiest share under twice the idle level.
    needed = max(needed, math.ceil(row.shards * busiest / (2 * CPU_IDLE_PCT)))
    hourly = ctx.hourly()
    if needed >= row.shards or hourly is None:
        return None
    removed_nodes = (row.shards - needed) * (1 + row.replicas_per_shard)
    return Finding(
        id="live.cpu_overprovisioned", severity=Severity.ADVICE,
        title=f"{row.id}: {row.shards} shards where {needed} would do",
        decision=f"Reshard {row.id} to {count_noun(needed, 'shard')} (online scale-in).",
        rationale=f"EngineCPUUtilization p99 was at most {busiest:.1f}% on every primary (under the "
                  f"{CPU_IDLE_PCT:.0f}% idle level) and the data ("
                  f"{_gib(total_gib)} at peak) fits {count_noun(needed, 'shard')} of {row.node_type} with "
                  f"{HEADROOM_FACTOR:.0f}x headroom.",
        evidence={"busiest_primary_engine_cpu_p99": f"{busiest:.1f}", "peak_data_gib": f"{total_gib:.2f}",
                  "shards": str(row.shards), "suggested_shards": str(needed)},
        docs=[docs.SHARDS, docs.MONITORING],
        monthly_saving_usd=round(ctx.monthly_delta(hourly, removed_nodes), 2),
    )


metric_rule(cpu_overprovisioned)


def evictions(ctx: SizingContext) -> Finding | None:
    if ctx.metrics is None:
        return None
    total = ctx.values("Evictions").sum()
    if total <= 0:
        return None
    per_period = ctx.metrics.per_period_total("Evictions", ctx.row.id)
    per_5min = float(per_period.max()) * 300 / ctx.metrics.period_s
    sustained = per_5min > EVICTIONS_PER_5MIN
    return Finding(
        id="live.evictions", severity=Severity.WARNING if sustained else Severity.ADVICE,
        title=f"{ctx.row.id}: {total:,.0f} keys evicted in the window",
        decision="Give the dataset more memory (scale up or out) or shorten TTLs, unless evicting is by design.",
        rationale=f"Evictions peaked at about {per_5min:,.0f} per 5 minutes (AWS starting alarm: "
                  f"{EVICTIONS_PER_5MIN:.0f}); sustained evictions mean the dataset outgrew the cache.",
        evidence={"evictions_total": f"{total:.0f}", "peak_per_5min": f"{per_5min:.0f}"},
        docs=[docs.MONITORING, docs.MEMORY_MANAGEMENT],
    )


metric_rule(evictions)


def swap(ctx: SizingContext) -> Finding | None:
    values = ctx.values("SwapUsage")
    if values.size == 0 or values.max() <= SWAP_LIMIT_BYTES:
        return None
    return Finding(
        id="live.swap", severity=Severity.WARNING, title=f"{ctx.row.id}: the node is swapping",
        decision="Add memory (larger node or more shards); check reserved-memory-percent is at its 25% default.",
        rationale=f"SwapUsage reached {values.max() / 2**20:,.0f} MiB (starting limit 50 MiB); swapping slows "
                  "every command.",
        evidence={"swap_max_bytes": f"{values.max():.0f}"}, docs=[docs.MONITORING, docs.MEMORY_MANAGEMENT],
    )


metric_rule(swap)


def hot_shard(ctx: SizingContext) -> Finding | None:
    per_node = ctx.per_node("EngineCPUUtilization", roles=("primary",))
    if len(per_node) < 2:
        return None
    p95 = {node: float(np.percentile(v, 95)) for node, v in per_node.items()}
    hottest = max(p95, key=lambda n: p95[n])
    others = [v for n, v in p95.items() if n != hottest]
    baseline = float(np.median(others))
    if p95[hottest] < HOT_SHARD_MIN_PCT or p95[hottest] < HOT_SHARD_RATIO * max(baseline, 1e-9):
        return None
    return Finding(
        id="live.hot_shard", severity=Severity.WARNING, title=f"{ctx.row.id}: one shard does most of the work",
        decision="Find the hot keys on that shard (redis-cli --hotkeys, key prefixes) and spread them "
                 "(key design, hash tags only where needed, replicas for reads).",
        rationale=f"Primary {hottest} runs EngineCPUUtilization p95 {p95[hottest]:.1f}% against a median of "
                  f"{baseline:.1f}% on the other primaries; adding shards will not help a single hot key.",
        evidence={"hot_primary": hottest, "hot_p95_pct": f"{p95[hottest]:.1f}",
                  "others_median_p95_pct": f"{baseline:.1f}"},
        docs=[docs.MONITORING, docs.SHARDS],
    )


metric_rule(hot_shard)


def bandwidth_exceeded(ctx: SizingContext) -> Finding | None:
    inbound = ctx.values("NetworkBandwidthInAllowanceExceeded").sum()
    outbound = ctx.values("NetworkBandwidthOutAllowanceExceeded").sum()
    if inbound + outbound <= 0:
        return None
    return Finding(
        id="live.bandwidth_exceeded", severity=Severity.WARNING,
        title=f"{ctx.row.id}: packets shaped by the node's network allowance",
        decision="Move to a node with more baseline bandwidth, add shards or replicas, or shrink values.",
        rationale=f"NetworkBandwidthIn/OutAllowanceExceeded counted {inbound:,.0f} inbound and {outbound:,.0f} "
                  "outbound shaped packets: the node ran past its baseline bandwidth.",
        evidence={"in_exceeded": f"{inbound:.0f}", "out_exceeded": f"{outbound:.0f}"},
        docs=[docs.MONITORING, docs.NODE_TYPES],
    )


metric_rule(bandwidth_exceeded)


def replication_lag(ctx: SizingContext) -> Finding | None:
    values = ctx.values("ReplicationLag", roles=("replica",))
    if values.size == 0 or np.percentile(values, 95) <= REPLICATION_LAG_S:
        return None
    return Finding(
        id="live.replication_lag", severity=Severity.WARNING, title=f"{ctx.row.id}: replicas fall behind",
        decision="Reduce write volume per shard (more shards), or move to nodes with more network and CPU.",
        rationale=f"ReplicationLag p95 {np.percentile(values, 95):.2f} s, max {values.max():.2f} s (starting alarm "
                  "1 s sustained); a failover now would lose more writes.",
        evidence={"lag_p95_s": f"{np.percentile(values, 95):.2f}", "lag_max_s": f"{values.max():.2f}"},
        docs=[docs.MONITORING, docs.REPLICATION],
    )


metric_rule(replication_lag)


def cpu_credits(ctx: SizingContext) -> Finding | None:
    values = ctx.values("CPUCreditBalance")
    if values.size == 0 or values.min() > CPU_CREDIT_LOW:
        return None
    return Finding(
        id="live.cpu_credits", severity=Severity.WARNING, title=f"{ctx.row.id}: burstable node out of CPU credits",
        decision=f"Move {ctx.row.id} off {ctx.row.node_type} to an m- or r-family node: T nodes run in standard "
                 "credit mode and fall back to baseline CPU.",
        rationale=f"CPUCreditBalance dropped to {values.min():.1f}; when credits run out, performance drops to "
                  "the baseline (10-20% per vCPU).",
        evidence={"credit_balance_min": f"{values.min():.1f}"}, docs=[docs.BURSTABLE],
    )


metric_rule(cpu_credits)


def config_findings(row: FleetRow, book: PriceBook) -> list[Finding]:
    ctx = SizingContext(row, book)
    return [f for rule in CONFIG_RULES if (f := rule(ctx)) is not None]


def rightsizing_findings(row: FleetRow, metrics: MetricSet | None, book: PriceBook) -> list[Finding]:
    """Configuration findings plus every metric rule that fires for this cluster, most urgent first.

    Fewer shards and a smaller node are each judged against today's layout; taken together they could put
    the whole dataset on one small node. When both fire they give way to one target configuration sized for
    the total data and the CPU, with the steps to reach it."""
    ctx = SizingContext(row, book, metrics)
    found = [f for rule in (*CONFIG_RULES, *METRIC_RULES) if (f := rule(ctx)) is not None]
    ids = {f.id for f in found}
    if {"live.memory_overprovisioned", "live.cpu_overprovisioned"} <= ids:
        found = [f for f in found if f.id not in ("live.memory_overprovisioned", "live.cpu_overprovisioned")]
        target = consistent_target(ctx)
        if target is not None:
            found.append(target)
    return sorted(found, key=_rank)


def consistent_target(ctx: SizingContext) -> Finding | None:
    """The cheapest (shards, node type) of the cluster's family that holds the total peak data with HEADROOM_FACTOR
    and keeps the busiest primary's engine CPU under twice CPU_IDLE_PCT, never more shards than today."""
    node, row = ctx.node, ctx.row
    engine_cpu = ctx.per_node("EngineCPUUtilization", roles=("primary",))
    memory = ctx.per_node("DatabaseMemoryUsagePercentage", roles=("primary",))
    now = ctx.hourly()
    if node is None or not memory or not engine_cpu or now is None:
        return None
    total_gib = sum(float(v.max()) / 100 * float(node.memory_gib) for v in memory.values())
    busiest = max(float(np.percentile(v, 99)) for v in engine_cpu.values())
    cpu_shards = max(1, math.ceil(row.shards * busiest / (2 * CPU_IDLE_PCT)))
    per_shard_nodes = 1 + row.replicas_per_shard
    options: list[tuple[Decimal, int, NodeType]] = []
    for candidate in ctx.book.nodes.values():
        if candidate.family != node.family or candidate.memory_gib > node.memory_gib:
            continue
        price = ctx.hourly(candidate.node_type)
        if price is None:
            continue
        shards = max(cpu_shards, math.ceil(total_gib * HEADROOM_FACTOR / float(candidate.memory_gib)))
        if shards <= row.shards:
            options.append((price * shards * per_shard_nodes, shards, candidate))
    if not options:
        return None
    cost, shards, target = min(options, key=lambda o: (o[0], -o[1]))
    today = now * row.shards * per_shard_nodes
    if cost >= today:
        return None
    steps = []
    if shards < row.shards:
        steps.append(f"reshard {row.id} from {row.shards} to {count_noun(shards, 'shard')} (online scale-in)")
    if target.node_type != row.node_type:
        steps.append(f"{'then ' if steps else ''}change the node type to {target.node_type} (online vertical "
                     "scaling)")
    per_shard = total_gib / shards
    return Finding(
        id="live.rightsize_target", severity=Severity.ADVICE,
        title=f"{row.id}: {shards} x {target.node_type} would hold this data for less",
        decision=f"Target {count_noun(shards, 'shard')} of {target.node_type}: " + "; ".join(steps) + ".",
        rationale=f"The data peaked at {_gib(total_gib)} in total, which is {_gib(per_shard)} per shard on "
                  f"{count_noun(shards, 'shard')}, within {target.node_type}'s {_gib(float(target.memory_gib))} with "
                  f"{HEADROOM_FACTOR:.0f}x headroom; the busiest primary's EngineCPUUtilization p99 was "
                  f"{busiest:.1f}%, which needs at least {count_noun(cpu_shards, 'shard')}. This one target replaces "
                  "separate 'fewer shards' and 'smaller node' advice, which together could overload a node.",
        evidence={"peak_data_gib": f"{total_gib:.2f}", "busiest_primary_engine_cpu_p99": f"{busiest:.1f}",
                  "shards": str(row.shards), "node_type": str(row.node_type), "suggested_shards": str(shards),
                  "suggested": target.node_type, "per_shard_gib": f"{per_shard:.2f}"},
        docs=[docs.SHARDS, docs.NODE_TYPES],
        monthly_saving_usd=round(float((today - cost) * HOURS_PER_MONTH), 2),
    )


def _rank(finding: Finding) -> tuple[int, float]:
    return SEVERITY_RANK[finding.severity], -(finding.monthly_saving_usd or 0.0)


def top_finding(findings: Sequence[Finding]) -> str | None:
    if not findings:
        return None
    best = min(findings, key=_rank)
    saving = f" (saves {fmt_usd(Decimal(str(best.monthly_saving_usd)))}/month)" if best.monthly_saving_usd else ""
    return f"{best.title}{saving}"


def reserved_coverage(fleet: Fleet, reserved: Sequence[ReservedNodes], book: PriceBook) -> list[Finding]:
    """On-demand nodes with no matching reservation, and what a 1-year No Upfront reservation would save.

    Matching is by exact node type and engine. Size flexibility inside a family (since Oct 2024) and Redis OSS
    reservations covering Valkey nodes are not modelled, so coverage may be understated; the finding says so.
    """
    running: dict[tuple[str, str], int] = {}
    for row in fleet.rows:
        if row.node_type and row.kind != "serverless" and row.node_count:
            key = (row.node_type, row.engine)
            running[key] = running.get(key, 0) + row.node_count
    reserved_count = {(r.node_type, r.engine): r.count for r in reserved}
    findings = []
    for (node_type, engine), count in sorted(running.items()):
        reserved_nodes = reserved_count.get((node_type, engine), 0)
        uncovered = count - reserved_nodes
        if uncovered <= 0 or engine not in PRICED_ENGINES:
            continue
        price = book.node_price(fleet.region, engine, node_type)  # type: ignore[arg-type]
        option = book.reserved_option(fleet.region, engine, node_type, 1, "No Upfront")  # type: ignore[arg-type]
        if price is None or option is None:
            continue
        saving = (price.usd_per_hour - option.effective_usd_per_hour) * HOURS_PER_MONTH * uncovered
        node_id = node_type.replace("cache.", "").replace(".", "_")
        findings.append(Finding(
            id=f"live.reserved_coverage.{node_id}_{engine}", severity=Severity.ADVICE,
            title=f"{uncovered} on-demand {ENGINE_LABELS[engine]} {node_type} "
                  f"{noun(uncovered, 'node has', 'nodes have')} no reservation",
            decision=f"Buy {uncovered} reserved {node_type} {noun(uncovered, 'node')} ({option.label}) if "
                     f"{noun(uncovered, 'it', 'they')} will run for a year.",
            rationale=f"{count} {node_type} {noun(count, 'node runs', 'nodes run')} and {reserved_nodes} "
                      f"{noun(reserved_nodes, 'is', 'are')} reserved; "
                      f"on-demand ${price.usd_per_hour}/h against ${option.effective_usd_per_hour:.4f}/h reserved. "
                      "Exact type match only: size-flexible reservations in the same family are not counted.",
            evidence={"running": str(count), "reserved": str(reserved_count.get((node_type, engine), 0)),
                      "reserved_basis": str(option.basis), "reserved_source": option.source[:160]},
            docs=[docs.RESERVED_NODES, docs.PRICING], monthly_saving_usd=round(float(saving), 2),
        ))
    return findings
