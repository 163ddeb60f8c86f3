"""Enumerate every node-based configuration (node type x shards x replicas x pricing option), keep the ones
that fit memory, throughput, network and connections, and rank them by cost.

Vectorised with numpy because the UI recomputes on every widget change: one region holds ~90 node types,
500 shard counts and 6 replica counts, i.e. ~270,000 topologies and ~1.9 million priced candidates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from advisor.capacity import (
    DATA_TIERING_MAX_HOT_PERCENT,
    MAX_CONNECTIONS_PER_NODE,
    SHARD_SKEW_HEADROOM,
    gb_to_gib,
    node_capacity,
)
from advisor.money import HOURS_PER_MONTH
from advisor.pricing.book import PriceBook
from advisor.pricing.schema import PAYMENT_OPTIONS, TERMS, Engine, NodeType
from advisor.wording import count_noun
from advisor.workload import Availability, Feature, TrafficShape, Workload

MAX_SHARDS = 500
MAX_NODES_PER_CLUSTER = 500  # with a quota increase; 90 is the default (flagged in findings)
DEFAULT_NODE_QUOTA = 90
MAX_REPLICAS = 5
MEMCACHED_MAX_NODES = 40  # 2023 docs quota (the agent toolkit says 60): the conservative figure
# Global Datastore: M5, M6g, M7g, R5, R6g, R6gd, R7g, C7gn, size large and above (facts 4.2).
GLOBAL_DATASTORE_FAMILIES = frozenset({"m5", "m6g", "m7g", "r5", "r6g", "r6gd", "r7g", "c7gn"})
SMALL_SIZES = frozenset({"micro", "small", "medium"})
# Burstable nodes only for dev/test or a tiny, light workload (facts 2.4 advisor rule).
TINY_DATASET_GB = 1.0
TINY_PEAK_OPS = 2_000.0


@dataclass(frozen=True)
class Candidate:
    """One feasible topology, priced on-demand and at its best reserved effective rate."""

    node_type: str
    family: str
    shards: int
    replicas_per_shard: int
    cluster_mode_enabled: bool
    data_tiering: bool
    on_demand_monthly: Decimal
    best_reserved_monthly: Decimal
    best_reserved_label: str
    best_reserved_is_estimate: bool
    memory_utilisation: float  # of usable capacity, at the horizon
    throughput_utilisation: float  # of the assumed per-node capacity, at peak
    network_utilisation: float

    @property
    def node_count(self) -> int:
        return self.shards * (1 + self.replicas_per_shard)


@dataclass(frozen=True)
class Exclusion:
    node_type: str
    reason: str


@dataclass(frozen=True)
class SearchResult:
    ranked: list[Candidate]  # cheapest first; one row per node type
    evaluated: int  # candidates examined: topologies x pricing options
    feasible_topologies: int
    exclusions: list[Exclusion] = field(default_factory=list)
    required_capacity_gib: float = 0.0

    @property
    def best(self) -> Candidate | None:
        return self.ranked[0] if self.ranked else None


@dataclass(frozen=True)
class Demand:
    """What the cluster must carry at the end of the horizon, at peak."""

    capacity_gib: float
    hot_gib: float
    peak_reads: float
    peak_writes: float
    read_bytes_per_sec: float
    write_bytes_per_sec: float
    connections: float


def demand_of(workload: Workload, traffic_scale: float = 1.0) -> Demand:
    capacity = gb_to_gib(workload.dataset_gb_at_horizon)
    reads = workload.peak_reads * traffic_scale
    writes = workload.peak_writes * traffic_scale
    return Demand(
        capacity_gib=capacity,
        hot_gib=capacity * workload.hot_set_percent / 100,
        peak_reads=reads,
        peak_writes=writes,
        read_bytes_per_sec=reads * (workload.read_bytes + workload.avg_key_bytes),
        write_bytes_per_sec=writes * workload.write_bytes,
        connections=float(workload.max_connections),
    )


def _pinned_out(node: NodeType, workload: Workload) -> str | None:
    """Why a node type is outside the workload's hard constraints (node type, family, data tiering)."""
    pins = workload.constraints
    if pins.node_type is not None and node.node_type != pins.node_type:
        return f"not the required node type {pins.node_type}"
    if pins.node_family is not None and node.family != pins.node_family:
        return f"not in the required node family {pins.node_family}"
    if pins.data_tiering is True and not node.has_data_tiering:
        return "data tiering is required and runs only on r6gd nodes"
    if pins.data_tiering is False and node.has_data_tiering:
        return "data tiering is ruled out and r6gd nodes always tier"
    return None


def _global_datastore_gaps(workload: Workload, book: PriceBook, engine: Engine, region: str) -> dict[str, str]:
    """Node types a Global Datastore secondary's Region does not sell, with the reason: every member cluster
    runs the same node type (facts 4.2). A Region with no bundled prices at all is not judged here (its part of
    the total is reported as not priced instead)."""
    if workload.availability != Availability.MULTI_REGION or region != workload.region:
        return {}
    missing: dict[str, str] = {}
    primary = [node.node_type for node, _ in book.priced_nodes(region, engine)]
    for secondary in workload.secondary_regions:
        offered = {node.node_type for node, _ in book.priced_nodes(secondary, engine)}
        if not offered:
            continue
        for node_type in primary:
            if node_type not in offered:
                missing.setdefault(node_type, f"not offered in {secondary}: every Region of a Global Datastore "
                                              "runs the same node type")
    return missing


def _eligible(node: NodeType, workload: Workload, engine: Engine) -> str | None:
    """Why a node type cannot serve this workload at all, or None if it may."""
    pinned_out = _pinned_out(node, workload)
    if pinned_out:
        return pinned_out
    pinned = workload.constraints.node_type == node.node_type
    if node.generation != "current" or node.family in ("t2", "t1"):
        return "previous generation (no new clusters or reservations)"
    if node.is_burstable and pinned:
        if workload.availability == Availability.MULTI_REGION:
            return "T nodes are not supported by Global Datastore"
    elif node.is_burstable:
        tiny = workload.dataset_gb_at_horizon <= TINY_DATASET_GB and (
            workload.peak_reads + workload.peak_writes <= TINY_PEAK_OPS
        )
        if workload.traffic_shape != TrafficShape.DEV_TEST and not tiny:
            return "burstable (T) nodes only for dev/test or tiny light workloads: CPU credits run out"
        if workload.availability == Availability.MULTI_REGION:
            return "T nodes are not supported by Global Datastore"
    if node.has_data_tiering:
        if Feature.VECTOR_SEARCH in workload.feature_set:
            return "vector search is not available on r6gd (data tiering) nodes"
        if engine == "memcached":
            return "data tiering is Valkey/Redis OSS only"
        if workload.hot_set_percent > DATA_TIERING_MAX_HOT_PERCENT and workload.constraints.data_tiering is None:
            return f"data tiering fits when at most {DATA_TIERING_MAX_HOT_PERCENT:.0f}% of the data is hot"
    if workload.availability == Availability.MULTI_REGION and (
        node.family not in GLOBAL_DATASTORE_FAMILIES or node.size in SMALL_SIZES
    ):
        return "not a Global Datastore node type (M5/M6g/M7g/R5/R6g/R6gd/R7g/C7gn, large or bigger)"
    return None


def search(
    workload: Workload,
    book: PriceBook,
    engine: Engine,
    *,
    traffic_scale: float = 1.0,
    top: int = 10,
    region: str | None = None,
    shard_limit: int | None = None,
) -> SearchResult:
    """Every feasible topology for `engine` in the workload's region, cheapest first (one per node type).

    `shard_limit` caps the shard counts enumerated (a faster, partial search: the caller must know the answer
    cannot need more shards; advisor/depth/flips.py checks that with a cost bound)."""
    region = region or workload.region
    demand = demand_of(workload, traffic_scale)
    exclusions: list[Exclusion] = []
    nodes: list[NodeType] = []
    hourly: list[float] = []
    # A family AWS sells elsewhere but not here is named once, so the table of exclusions says so.
    for family in book.unoffered_families(region, engine):
        exclusions.append(Exclusion(f"cache.{family}.*", f"not offered in {region}: no {engine} price published "
                                                         "there"))
    missing_in = _global_datastore_gaps(workload, book, engine, region)
    for node, price in book.priced_nodes(region, engine):
        reason = _eligible(node, workload, engine) or missing_in.get(node.node_type)
        if reason:
            exclusions.append(Exclusion(node.node_type, reason))
            continue
        nodes.append(node)
        hourly.append(float(price.usd_per_hour))
    if not nodes:
        return SearchResult([], 0, 0, exclusions, demand.capacity_gib)

    caps = [node_capacity(n, engine) for n in nodes]
    usable = np.array([c.usable_capacity_gib if n.has_data_tiering else c.usable_memory_gib
                       for c, n in zip(caps, nodes, strict=True)])[:, None, None]
    dram = np.array([c.usable_memory_gib for c in caps])[:, None, None]
    ops = np.array([c.ops_per_second for c in caps])[:, None, None]
    net = np.array([c.network_bytes_per_second for c in caps])[:, None, None]
    price = np.array(hourly)[:, None, None]

    memcached = engine == "memcached"
    min_shards, max_shards, min_replicas, max_replicas = _ranges(workload, engine)
    if shard_limit is not None:
        max_shards = min(max_shards, max(shard_limit, min_shards))
    if min_shards > max_shards or min_replicas > max_replicas:
        exclusions.append(Exclusion("*", _pinned_range_reason(workload, engine)))
        return SearchResult([], 0, 0, exclusions, demand.capacity_gib)
    shards = np.arange(min_shards, max_shards + 1, dtype=float)[None, :, None]
    replicas = np.arange(min_replicas, max_replicas + 1, dtype=float)[None, None, :]
    nodes_per_shard = 1 + replicas
    readers = nodes_per_shard if workload.read_from_replicas else np.ones_like(replicas)

    # Slot skew exists only between shards of a Valkey/Redis OSS cluster: none on one shard or on Memcached.
    skew = np.where((shards > 1) & (not memcached), SHARD_SKEW_HEADROOM, 0.0)
    per_shard_capacity = usable * shards * (1 - skew)
    fits_memory = per_shard_capacity >= demand.capacity_gib
    fits_hot = dram * shards * (1 - skew) >= demand.hot_gib
    # Each node applies every write of its shard (primary executes, replicas replay) plus its share of reads.
    node_ops = demand.peak_writes / shards + demand.peak_reads / (shards * readers)
    fits_ops = node_ops <= ops
    primary_bytes = (demand.read_bytes_per_sec / (shards * readers)
                     + demand.write_bytes_per_sec * (1 + replicas) / shards)
    fits_network = primary_bytes <= net
    fits_connections = demand.connections / readers <= MAX_CONNECTIONS_PER_NODE
    fits_quota = shards * nodes_per_shard <= MAX_NODES_PER_CLUSTER
    feasible = fits_memory & fits_hot & fits_ops & fits_network & fits_connections & fits_quota
    monthly = np.where(feasible, price * shards * nodes_per_shard * float(HOURS_PER_MONTH), np.inf)

    evaluated = int(monthly.size) * (1 + len(TERMS) * len(PAYMENT_OPTIONS))
    feasible_count = int(feasible.sum())
    ranked: list[Candidate] = []
    flat = monthly.reshape(len(nodes), -1)
    best_index = flat.argmin(axis=1)
    best_cost = np.round(flat[np.arange(len(nodes)), best_index], 2)
    s_best, r_best = np.divmod(best_index, replicas.shape[2])
    node_counts = (s_best + min_shards) * (r_best + min_replicas + 1)
    n_replica_options = replicas.shape[2]
    # Cheapest first; at equal cost, fewer nodes (less to operate, smaller blast radius per failure).
    order = np.lexsort((node_counts, best_cost))
    for i in order:
        j = int(best_index[i])
        if not np.isfinite(flat[i, j]):
            continue
        s_idx, r_idx = divmod(j, n_replica_options)
        s, r = int(shards[0, s_idx, 0]), int(replicas[0, 0, r_idx])
        ranked.append(_candidate(
            book, region, engine, nodes[i], s, r, workload,
            memory=float(demand.capacity_gib / per_shard_capacity[i, s_idx, 0]),
            throughput=float(node_ops[0, s_idx, r_idx] / ops[i, 0, 0]),
            network=float(primary_bytes[0, s_idx, r_idx] / net[i, 0, 0]) if net[i, 0, 0] else float("inf"),
        ))
        if len(ranked) >= top:
            break
    if feasible_count == 0:
        exclusions.extend(_why_nothing_fits(nodes, per_shard_capacity, fits_memory, fits_ops, fits_network,
                                            np.broadcast_to(fits_connections, feasible.shape)))
    return SearchResult(ranked, evaluated, feasible_count, exclusions, demand.capacity_gib)


def _ranges(workload: Workload, engine: Engine) -> tuple[int, int, int, int]:
    """(min shards, max shards, min replicas, max replicas) the search may use: AWS's limits, the client, the
    availability wanted, narrowed to any pinned counts. An empty range means the pins leave nothing."""
    pins = workload.constraints
    memcached = engine == "memcached"
    cluster_capable = (workload.client_cluster_aware or memcached) and pins.cluster_mode is not False
    max_shards = (MEMCACHED_MAX_NODES if memcached else MAX_SHARDS) if cluster_capable else 1
    min_shards = 1
    min_replicas = 0 if memcached or workload.availability == Availability.NONE else 1
    max_replicas = 0 if memcached else MAX_REPLICAS
    if pins.shards is not None:
        min_shards, max_shards = max(min_shards, pins.shards), min(max_shards, pins.shards)
    if pins.replicas_per_shard is not None:
        min_replicas, max_replicas = max(min_replicas, pins.replicas_per_shard), min(max_replicas,
                                                                                    pins.replicas_per_shard)
    return min_shards, max_shards, min_replicas, max_replicas


def _pinned_range_reason(workload: Workload, engine: Engine) -> str:
    pins = workload.constraints
    shards = "any number of shards" if pins.shards is None else count_noun(pins.shards, "shard")
    replicas = ("any number of replicas" if pins.replicas_per_shard is None
                else count_noun(pins.replicas_per_shard, "replica"))
    return (f"the required shard/replica counts ({shards}, {replicas} per shard) are "
            f"outside what {engine} allows for this workload (cluster mode, client, availability)")


def _why_nothing_fits(
    nodes: list[NodeType], capacity: np.ndarray, fits_memory: np.ndarray, fits_ops: np.ndarray,
    fits_network: np.ndarray, fits_connections: np.ndarray,
) -> list[Exclusion]:
    reasons = []
    if not fits_memory.any():
        largest = float(capacity.max())
        reasons.append(Exclusion("*", f"the dataset needs more than the largest allowed cluster holds "
                                      f"({largest:,.0f} GiB usable)"))
    if not fits_ops.any():
        reasons.append(Exclusion("*", "peak operations/s exceed what the largest allowed cluster can serve"))
    if not fits_network.any():
        reasons.append(Exclusion("*", "peak bandwidth exceeds the largest allowed cluster's baseline network"))
    if not fits_connections.any():
        reasons.append(Exclusion("*", f"more than {MAX_CONNECTIONS_PER_NODE:,} client connections per node even "
                                      "with reads spread over replicas"))
    if not reasons:
        reasons.append(Exclusion("*", "no single node type meets memory, throughput, network and connection "
                                      "limits together"))
    return reasons


def _candidate(
    book: PriceBook, region: str, engine: Engine, node: NodeType, shards: int, replicas: int, workload: Workload,
    *, memory: float, throughput: float, network: float,
) -> Candidate:
    price = book.node_price(region, engine, node.node_type)
    assert price is not None  # only priced nodes are enumerated
    count = shards * (1 + replicas)
    on_demand = price.usd_per_hour * HOURS_PER_MONTH * count
    options = book.reserved_options(region, engine, node.node_type)
    best = min(options, key=lambda o: o.effective_usd_per_hour) if options else None
    reserved = best.effective_usd_per_hour * HOURS_PER_MONTH * count if best else on_demand
    cluster_mode = engine != "memcached" and (shards > 1 or workload.constraints.cluster_mode is True)
    return Candidate(
        node_type=node.node_type, family=node.family, shards=shards, replicas_per_shard=replicas,
        cluster_mode_enabled=cluster_mode, data_tiering=node.has_data_tiering,
        on_demand_monthly=on_demand, best_reserved_monthly=reserved,
        best_reserved_label=best.label if best else "none", best_reserved_is_estimate=bool(best and best.is_estimate),
        memory_utilisation=memory, throughput_utilisation=throughput, network_utilisation=network,
    )
