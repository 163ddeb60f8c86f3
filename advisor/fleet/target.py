"""One priced target per cluster: the right size, Serverless, a reservation and the engine upgrade folded into a
single plan that agrees with the cluster's class, with its monthly cost, saving and steps.

Rules that keep the parts consistent:
- only an idle or over-provisioned cluster may get a smaller node; a network-bound (or any bound/saturated)
  cluster only grows; a cluster without enough data keeps its size;
- Serverless is offered (priced hour by hour from the cluster's own history by advisor.live.serverless_replay)
  only where shrinking is allowed, and wins only when it is cheaper than the right-sized node;
- a Redis OSS cluster is priced on Valkey after the upgrade, which also ends any Extended Support surcharge
  (priced by the shared model in advisor.costs.extended_support: the bundled rate, else a labelled estimate);
- a reservation (1 year, No Upfront) is the last step, only for production clusters with steady traffic.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from advisor.costs.extended_support import extended_support_cost
from advisor.fleet.analysis import ClusterAnalysis, serverless_usage
from advisor.fleet.classify import UtilizationClass
from advisor.fleet.collect import ClusterSeries
from advisor.fleet.inventory import ClusterConfig
from advisor.live.cloudwatch import MetricSet
from advisor.live.models import FleetRow
from advisor.live.serverless_replay import replay_serverless
from advisor.money import HOURS_PER_MONTH, fmt_usd
from advisor.pricing.book import PriceBook
from advisor.pricing.schema import NodeType
from advisor.wording import count_noun

MEMORY_TARGET_PCT = 50.0  # pick a node whose memory holds the peak twice over (facts 2.2, ATK rule of thumb)
NETWORK_TARGET_PCT = 60.0  # keep the network p95 well under the 80% high level on the new node [U]
CPU_SHARD_TARGET_PCT = 50.0  # engine CPU p95 per shard after adding shards [U]
SPIKY_RATIO = 3.0  # ops max/p95 above this: not a candidate for a reservation
REPLAY_METRICS = ("BytesUsedForCache", "GetTypeCmds", "SetTypeCmds", "NetworkBytesIn", "NetworkBytesOut")


@dataclass(frozen=True)
class Target:
    action: str  # keep, right-size, scale up, add shards, Serverless, upgrade, not enough data
    summary: str
    current_monthly_usd: Decimal | None
    target_monthly_usd: Decimal | None
    steps: tuple[str, ...]
    notes: tuple[str, ...] = ()
    estimate: bool = False
    node_type: str | None = None
    node_count: int | None = None
    engine: str | None = None

    @property
    def monthly_saving_usd(self) -> Decimal | None:
        if self.current_monthly_usd is None or self.target_monthly_usd is None:
            return None
        return self.current_monthly_usd - self.target_monthly_usd


def metric_set(series: ClusterSeries, roles: dict[str, str]) -> MetricSet:
    """The long-format MetricSet advisor.live's replay reads, built from this cluster's arrays."""
    frames = []
    for s in series.series:
        if s.metric not in REPLAY_METRICS or s.values.size == 0:
            continue
        frames.append(pd.DataFrame({
            "cluster": series.cluster, "node": s.node, "role": roles.get(s.node, s.role), "shard": s.shard,
            "metric": s.metric, "stat": s.spec.stat,
            "timestamp": pd.to_datetime(s.timestamps, unit="s", utc=True), "value": s.values}))
    frame = (pd.concat(frames, ignore_index=True) if frames
             else pd.DataFrame(columns=list(MetricSet.COLUMNS)))
    return MetricSet(start=series.start, end=series.end, period_s=series.period_s, targets=(), _frame=frame)


def _hourly(book: PriceBook, region: str, engine: str, node_type: str | None) -> Decimal | None:
    if not node_type or engine not in ("valkey", "redis", "memcached"):
        return None
    price = book.node_price(region, engine, node_type)  # type: ignore[arg-type]
    return price.usd_per_hour if price else None


def _monthly(hourly: Decimal | None, nodes: int) -> Decimal | None:
    return None if hourly is None else hourly * nodes * HOURS_PER_MONTH


def _fits(candidate: NodeType, need_gib: float, need_gbps: float) -> bool:
    if float(candidate.memory_gib) * MEMORY_TARGET_PCT / 100 < need_gib:
        return False
    baseline = float(candidate.network_gbps_baseline or 0)
    return baseline > 0 and need_gbps <= baseline * NETWORK_TARGET_PCT / 100


def _candidates(book: PriceBook, row: FleetRow, engine: str, production: bool) -> list[tuple[NodeType, Decimal]]:
    out = []
    for node, price in book.priced_nodes(row.region, engine):  # type: ignore[arg-type]
        if node.generation != "current" or node.has_data_tiering:
            continue
        if node.is_burstable and production:
            continue
        out.append((node, price.usd_per_hour))
    return out


def _needs(a: ClusterAnalysis, node: NodeType) -> tuple[float, float]:
    grid = a.grid
    need_gib = (grid.memory_max or 0) / 100 * float(node.memory_gib)
    need_gbps = (grid.network_p95 or 0) / 100 * float(node.network_gbps_baseline or 0)
    return need_gib, need_gbps


def _extended_support_monthly(row: FleetRow, book: PriceBook, on: dt.date) -> tuple[Decimal, str | None, bool]:
    """Surcharge per month on `on` (0 when none is charged), its note, and whether it is an estimate: the
    shared Extended Support cost model (advisor.costs.extended_support)."""
    if row.engine != "redis" or not row.node_type:
        return Decimal(0), None, False
    charge = extended_support_cost(book, engine=row.engine, engine_version=row.engine_version, region=row.region,
                                   node_type=row.node_type, node_count=row.node_count, on=on)
    if charge.status not in ("charged", "not_started"):
        return Decimal(0), None, False
    return charge.monthly, charge.note, charge.is_estimate


def serverless_current(series: ClusterSeries, row: FleetRow, book: PriceBook) -> Decimal | None:
    """A Serverless cache's own monthly bill from its ECPUs and stored bytes over the window."""
    price = book.serverless_price(row.region, row.engine)  # type: ignore[arg-type]
    ecpu = series.of("ElastiCacheProcessingUnits")
    stored = series.of("BytesUsedForCache")
    if price is None or not ecpu or not stored or not ecpu[0].values.size or not stored[0].values.size:
        return None
    hours = (series.end - series.start).total_seconds() / 3600
    ecpu_per_hour = Decimal(str(float(ecpu[0].values.sum()) / hours))
    gb = max(Decimal(str(round(float(stored[0].values.mean()) / 1e9, 6))), price.min_storage_gb)
    hourly = gb * price.storage_usd_per_gb_hour + ecpu_per_hour / Decimal(1_000_000) * price.ecpu_usd_per_million
    return hourly * HOURS_PER_MONTH


def plan(row: FleetRow, config: ClusterConfig, a: ClusterAnalysis, series: ClusterSeries, book: PriceBook) -> Target:
    if row.kind == "serverless":
        current = serverless_current(series, row, book)
        ecpu, storage = serverless_usage(a, config.storage_limit_gb, config.ecpu_limit_per_s)
        usage = "; ".join(part for part in (
            f"ECPU/s p95 at {ecpu:.0%} of its limit" if ecpu is not None else "no ECPU limit set",
            f"stored data at {storage:.0%} of its limit" if storage is not None else "no storage limit set") if part)
        return Target("keep", "Serverless: billed by use; keep it", current, current,
                      (f"Keep the usage limits above the observed peaks ({usage}).",), engine=row.engine)
    surcharge, es_note, es_estimate = _extended_support_monthly(row, book, a.window_end.date())
    on_demand_now = row.monthly_cost_usd
    current = None if on_demand_now is None else on_demand_now + surcharge
    notes = [n for n in (es_note,) if n]
    engine = "valkey" if row.engine == "redis" else row.engine
    steps: list[str] = []
    if row.engine == "redis":
        steps.append(f"Upgrade Redis OSS {row.engine_version} to Valkey in place"
                     + (" (ends the Extended Support surcharge)" if surcharge else "") + ".")
    node = book.nodes.get(row.node_type or "")
    node_type, nodes, action = row.node_type, row.node_count, "keep"
    estimate = es_estimate
    if a.utilization is UtilizationClass.NOT_ENOUGH_DATA or node is None:
        target = _monthly(_hourly(book, row.region, engine, node_type), nodes)
        summary = "not enough data to size" if node else f"{row.node_type} is not in the node table"
        return Target("not enough data" if not steps else "upgrade", summary, current, target,
                      tuple(steps) or ("Wait for at least 75% of the window's metrics, then review again.",),
                      tuple(notes), estimate, node_type, nodes, engine)
    need_gib, need_gbps = _needs(a, node)
    options = _candidates(book, row, engine, config.production)
    if a.utilization.may_shrink:
        fitting = [(n, p) for n, p in options if _fits(n, need_gib, need_gbps)]
        best = min(fitting, key=lambda o: o[1], default=None)
        now_price = _hourly(book, row.region, engine, row.node_type)
        if best is not None and now_price is not None and best[1] < now_price:
            node_type, action = best[0].node_type, "right-size"
            steps.append(f"Scale {row.id} from {row.node_type} to {node_type} (peak data {need_gib:.1f} GiB per "
                         f"node needs {need_gib * 100 / MEMORY_TARGET_PCT:.1f} GiB; network p95 "
                         f"{need_gbps:.3f} Gbps of {best[0].network_gbps_baseline} Gbps baseline).")
    elif a.utilization.needs_more:
        action, node_type, nodes, step = _grow(a, row, node, options, need_gib, need_gbps)
        steps.append(step)
    provisioned = _monthly(_hourly(book, row.region, engine, node_type), nodes)
    replay_cost = None
    if a.utilization.may_shrink:
        replay = replay_serverless(row.model_copy(update={"engine": engine}), metric_set(series, a.roles), book)
        replay_cost = replay.serverless_monthly_usd
        notes.extend(replay.notes)
        if replay_cost is not None and provisioned is not None and replay_cost >= provisioned:
            notes.append(f"Serverless {engine}, replayed hour by hour from this history: {fmt_usd(replay_cost)}/month, "
                         f"more than {fmt_usd(provisioned)}/month for {nodes} x {node_type} on demand.")
        if replay_cost is not None and provisioned is not None and replay_cost < provisioned:
            return Target("Serverless", f"move to Serverless {engine} (hour-by-hour replay of this history)",
                          current, replay_cost, (*steps, f"Create a Serverless {engine} cache, migrate the data "
                          "(snapshot restore or dual writes), switch clients, delete the cluster."),
                          tuple(notes), estimate, None, 0, engine)
    steady = (a.ops_per_s.spike_ratio or 1.0) <= SPIKY_RATIO
    final = provisioned
    if config.production and steady and node_type and provisioned is not None:
        option = book.reserved_option(row.region, engine, node_type, 1, "No Upfront")  # type: ignore[arg-type]
        if option is not None:
            final = option.effective_usd_per_hour * nodes * HOURS_PER_MONTH
            estimate = estimate or option.is_estimate
            steps.append(f"Reserve {nodes} x {node_type} ({option.label}"
                         f"{', estimate' if option.is_estimate else ''}): {fmt_usd(provisioned - final)}/month less "
                         "than on-demand.")
            if option.is_estimate:
                notes.append(f"Reserved price for {node_type} is an estimate: {option.source[:140]}")
    if not steps:
        steps.append("Keep it as it is.")
    summary = {"keep": f"keep {nodes} x {node_type}", "right-size": f"right-size to {nodes} x {node_type}",
               "scale up": f"scale up to {nodes} x {node_type}", "add shards": f"grow to {nodes} x {node_type}",
               "add replicas": f"grow to {nodes} x {node_type}"}[action]
    if row.engine == "redis":
        summary += " on Valkey"
    return Target(action, summary, current, final, tuple(steps), tuple(notes), estimate, node_type, nodes, engine)


def _grow(a: ClusterAnalysis, row: FleetRow, node: NodeType, options: list[tuple[NodeType, Decimal]],
          need_gib: float, need_gbps: float) -> tuple[str, str | None, int, str]:
    """More of what binds: a larger node (memory, network), more shards (engine CPU), never a smaller one."""
    if a.utilization is UtilizationClass.CPU_BOUND and row.cluster_mode:
        shards = max(row.shards + 1, math.ceil(row.shards * (a.grid.cpu_p95 or 0) / CPU_SHARD_TARGET_PCT))
        nodes = shards * (1 + row.replicas_per_shard)
        return ("add shards", row.node_type, nodes,
                f"Add {count_noun(shards - row.shards, 'shard')} to {row.id} (engine CPU p95 {a.grid.cpu_p95:.0f}% "
                f"spread over {shards} shards).")
    bigger = [(n, p) for n, p in options if n.memory_gib >= node.memory_gib
              and float(n.network_gbps_baseline or 0) >= float(node.network_gbps_baseline or 0)
              and n.node_type != node.node_type and _fits(n, need_gib, need_gbps)]
    best = min(bigger, key=lambda o: o[1], default=None)
    if best is None:
        return ("scale up", row.node_type, row.node_count,
                f"No single node type fits {need_gib:.1f} GiB at {MEMORY_TARGET_PCT:.0f}% and {need_gbps:.2f} Gbps "
                "at 60% of baseline: add shards (cluster mode).")
    return ("scale up", best[0].node_type, row.node_count,
            f"Scale {row.id} up from {row.node_type} to {best[0].node_type} ({a.utilization.value}: "
            f"{best[0].memory_gib} GiB and {best[0].network_gbps_baseline} Gbps baseline).")
