"""Headroom for failure and maintenance: the recommended design with one node lost, during a shard
rebalance, and while a snapshot or full resync forks the engine. Each check says whether the design still
fits and, when it does not, the smallest change (more replicas, more shards or nodes) that would.

A node is judged able to carry a load up to 100% of its assumed capacity during an incident (the 70% CPU
planning target is the headroom that pays for it); memory must stay within usable memory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from advisor.money import HOURS_PER_MONTH
from advisor.optimizer import MAX_REPLICAS, MEMCACHED_MAX_NODES, Demand, demand_of
from advisor.pricing.book import PriceBook
from advisor.pricing.schema import Engine
from advisor.recommendation import Recommendation
from advisor.wording import count_noun, noun

from .load import Shape, full_capacity, load_of

INCIDENT_LIMIT = 1.0  # share of a node's capacity it may use while a node is lost or data is moving
# ASSUMPTION (AWS publishes none): slot migration during online resharding costs about 10% extra engine CPU.
RESHARD_CPU_OVERHEAD = 0.10
# ASSUMPTION: a fork persists or streams the dataset at about 100 MB/s; every write during it copies a 4 KiB page.
FORK_BYTES_PER_SEC = 100e6
PAGE_BYTES = 4096
GIB = 2**30


@dataclass(frozen=True)
class Check:
    id: str
    scenario: str
    fits: bool
    explanation: str
    evidence: dict[str, str]
    remedy: str | None = None  # the design that would fit, with its cost
    remedy_monthly: Decimal | None = None


@dataclass(frozen=True)
class Headroom:
    checks: tuple[Check, ...]
    applies: bool
    note: str = ""

    @property
    def all_fit(self) -> bool:
        return all(c.fits for c in self.checks)


def _monthly(book: PriceBook, region: str, engine: Engine, shape: Shape) -> Decimal:
    price = book.node_price(region, engine, shape.node.node_type)
    assert price is not None
    return price.usd_per_hour * HOURS_PER_MONTH * shape.node_count


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _replica_lost(shape: Shape, demand: Demand, engine: Engine, spread: bool, book: PriceBook,
                  region: str) -> Check:
    if shape.replicas == 0:
        fix = Shape(shape.node, shape.shards, 1)
        return Check(
            "headroom.node_lost", "One node lost", False,
            "With no replica, losing a node loses its shard's data and that shard is down until a new node is "
            "created and refilled.",
            {"replicas per shard": "0", "share of keys lost": _pct(1 / shape.shards)},
            f"{fix.describe(engine)} (1 replica per shard, Multi-AZ)", _monthly(book, region, engine, fix))
    during = load_of(shape, demand, engine, spread, lost_readers=1)
    fits = during.cpu <= INCIDENT_LIMIT and during.network <= INCIDENT_LIMIT
    evidence = {"engine CPU at peak, one node down": _pct(during.cpu),
                "network at peak, one node down": _pct(during.network),
                "replicas left in that shard": str(shape.replicas - 1)}
    text = (f"A primary fails and a replica is promoted in seconds; the reads it carried move to the "
            f"{count_noun(shape.replicas, 'node')} left in its shard, which then "
            f"{noun(shape.replicas, 'runs', 'run')} at {_pct(max(during.cpu, during.network))} "
            "of capacity at peak.")
    if shape.replicas == 1:
        text += " Until the node is replaced, that shard has no replica to fail over to."
    if fits:
        return Check("headroom.node_lost", "One node lost", True, text, evidence)
    for replicas in range(shape.replicas + 1, MAX_REPLICAS + 1):
        fix = Shape(shape.node, shape.shards, replicas)
        if max(load_of(fix, demand, engine, spread, lost_readers=1).cpu,
               load_of(fix, demand, engine, spread, lost_readers=1).network) <= INCIDENT_LIMIT:
            return Check("headroom.node_lost", "One node lost", False, text, evidence, fix.describe(engine),
                         _monthly(book, region, engine, fix))
    fix = _more_shards(shape, demand, engine, spread, lost=1)
    return Check("headroom.node_lost", "One node lost", False, text, evidence,
                 fix.describe(engine) if fix else None, _monthly(book, region, engine, fix) if fix else None)


def _more_shards(shape: Shape, demand: Demand, engine: Engine, spread: bool, lost: int) -> Shape | None:
    for shards in range(shape.shards + 1, 501):
        fix = Shape(shape.node, shards, shape.replicas)
        if fix.node_count > 500:
            return None
        load = load_of(fix, demand, engine, spread, lost_readers=lost)
        if max(load.cpu, load.network) <= INCIDENT_LIMIT and load.memory <= INCIDENT_LIMIT:
            return fix
    return None


def _memcached_node_lost(shape: Shape, demand: Demand, book: PriceBook, region: str, reads_per_sec: float) -> Check:
    nodes = shape.shards
    survivors = Shape(shape.node, nodes - 1, 0) if nodes > 1 else None
    extra_db_reads = reads_per_sec / nodes
    evidence = {"nodes": str(nodes), "keys that become misses": _pct(1 / nodes),
                "extra database reads/s until refilled (at most)": f"{extra_db_reads:,.0f}"}
    if survivors is None:
        return Check("headroom.node_lost", "One node lost", False,
                     "A single Memcached node: losing it empties the cache and every read goes to the database.",
                     evidence, Shape(shape.node, 2, 0).describe("memcached"), _monthly(book, region, "memcached",
                                                                           Shape(shape.node, 2, 0)))
    load = load_of(survivors, demand, "memcached", False)
    evidence["memory on the remaining nodes"] = _pct(load.memory)
    evidence["CPU on the remaining nodes at peak"] = _pct(load.cpu)
    fits = load.memory <= INCIDENT_LIMIT and load.cpu <= INCIDENT_LIMIT and load.network <= INCIDENT_LIMIT
    text = (f"A Memcached node holds about 1/{nodes} of the keys and has no replica: when it goes, those keys "
            f"become misses (up to {extra_db_reads:,.0f} extra database reads/s until they refill) and the "
            f"client hashes them onto the {count_noun(nodes - 1, 'other node')}.")
    if fits:
        return Check("headroom.node_lost", "One node lost", True, text, evidence)
    for count in range(nodes + 1, MEMCACHED_MAX_NODES + 1):
        left = load_of(Shape(shape.node, count - 1, 0), demand, "memcached", False)
        if max(left.memory, left.cpu, left.network) <= INCIDENT_LIMIT:
            fix = Shape(shape.node, count, 0)
            return Check("headroom.node_lost", "One node lost", False, text, evidence, fix.describe("memcached"),
                         _monthly(book, region, "memcached", fix))
    return Check("headroom.node_lost", "One node lost", False, text, evidence)


def _rebalance(shape: Shape, demand: Demand, engine: Engine, spread: bool, book: PriceBook, region: str) -> Check:
    load = load_of(shape, demand, engine, spread)
    during = load.cpu + RESHARD_CPU_OVERHEAD
    evidence = {"engine CPU at peak": _pct(load.cpu), "assumed migration overhead": _pct(RESHARD_CPU_OVERHEAD),
                "engine CPU at peak while slots move": _pct(during)}
    text = ("Online resharding moves hash slots between shards while serving traffic; the moving shards spend "
            f"extra engine CPU (assumed {RESHARD_CPU_OVERHEAD:.0%}), so peak CPU reaches {_pct(during)}.")
    if during <= INCIDENT_LIMIT:
        return Check("headroom.rebalance", "Shard rebalancing", True, text, evidence)
    text += " Reshard outside the peak, or add capacity first."
    fix = _more_shards(shape, demand, engine, spread, lost=0)
    return Check("headroom.rebalance", "Shard rebalancing", False, text, evidence,
                 fix.describe(engine) if fix else None, _monthly(book, region, engine, fix) if fix else None)


def _fork(shape: Shape, demand: Demand, engine: Engine, book: PriceBook, region: str) -> Check:
    cap, _, net = full_capacity(shape.node, engine)
    shard_bytes = demand.capacity_gib * GIB / shape.shards
    if shape.node.has_data_tiering:
        shard_bytes = min(shard_bytes, cap.usable_memory_gib * GIB)  # only DRAM is forked
    seconds = shard_bytes / FORK_BYTES_PER_SEC
    writes_per_shard = demand.peak_writes / shape.shards
    copied = min(shard_bytes, writes_per_shard * PAGE_BYTES * seconds)
    # A full resync also buffers the writes made while the snapshot streams to the replica.
    buffered = demand.write_bytes_per_sec / shape.shards * (seconds + shard_bytes / net if net else seconds)
    needed = copied + buffered
    reserved = float(shape.node.memory_gib) * cap.reserved_memory_fraction * GIB
    fits = needed <= reserved
    evidence = {"data per shard": f"{shard_bytes / GIB:,.1f} GiB",
                "fork duration (assumed 100 MB/s)": f"{seconds:,.0f} s",
                "copy-on-write + resync buffer at peak writes": f"{needed / GIB:,.2f} GiB",
                "reserved memory per node": f"{reserved / GIB:,.2f} GiB ({cap.reserved_memory_fraction:.0%})"}
    text = (f"A snapshot or a replica's full resync forks the engine for about {seconds:,.0f} s; pages written "
            f"meanwhile are copied and the resync buffers the writes: about {needed / GIB:,.2f} GiB against "
            f"{reserved / GIB:,.2f} GiB of reserved memory.")
    if fits:
        return Check("headroom.fork", "Snapshot or full resync", True, text, evidence)
    more = math.ceil(shape.shards * needed / reserved) if reserved else shape.shards + 1
    fix = Shape(shape.node, max(more, shape.shards + 1), shape.replicas)
    return Check("headroom.fork", "Snapshot or full resync", False,
                 text + " Spread the data over more shards so each fork is shorter, or take snapshots off-peak.",
                 evidence, fix.describe(engine), _monthly(book, region, engine, fix))


def headroom(rec: Recommendation, book: PriceBook) -> Headroom:
    """One node lost, a rebalance, a snapshot/resync: for the recommended node-based design at the horizon."""
    if rec.topology is None:
        return Headroom((), False, "Serverless spreads data over three Availability Zones and replaces failed "
                                   "capacity itself: there is no node to lose or reserve memory to plan.")
    workload, topo, engine = rec.workload, rec.topology, rec.engine
    shape = Shape(book.nodes[topo.node_type], topo.shards, topo.replicas_per_shard)
    demand = demand_of(workload)
    spread = workload.read_from_replicas
    if engine == "memcached":
        return Headroom((_memcached_node_lost(shape, demand, book, workload.region, workload.peak_reads),), True,
                        "Memcached has no replicas, snapshots or resharding: losing a node is the one check.")
    checks = [_replica_lost(shape, demand, engine, spread, book, workload.region)]
    if topo.cluster_mode_enabled:
        checks.append(_rebalance(shape, demand, engine, spread, book, workload.region))
    if topo.replicas_per_shard > 0 or workload.snapshot_retention_days > 0:
        checks.append(_fork(shape, demand, engine, book, workload.region))
    return Headroom(tuple(checks), True, "Checked at peak traffic and the dataset at the horizon.")
