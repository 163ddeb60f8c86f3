"""What one node can hold and carry. Memory rules are AWS's; throughput figures are labelled assumptions.

AWS publishes no per-node operations/s figure (facts file, known gaps), so the throughput table below is a
planning assumption, shown as such wherever it drives a decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from advisor.pricing.schema import NodeType

GIB_PER_GB = 10**9 / 2**30
MIB_PER_GIB = 1024
# Valkey / Redis OSS: reserved-memory-percent sets aside part of maxmemory for replication buffers, fragmentation
# and copy-on-write during snapshots: 25% default; AWS advises 30% on small and 50% on micro burstable nodes.
DEFAULT_RESERVED_MEMORY = 0.25
SMALL_BURSTABLE_RESERVED_MEMORY = 0.30
MICRO_BURSTABLE_RESERVED_MEMORY = 0.50
# Memcached has no reserved-memory-percent, no fork and no replication. AWS's model (Memcached parameter groups,
# "Memcached connection overhead"): memory for items = max_cache_memory (the node's memory) minus
# memcached_connections_overhead, whose default is 100 MB (memcached's megabytes are MiB). AWS's node-size
# example follows it: 35 GB of cache on 3 x cache.r6g.large (13,387 MB each).
MEMCACHED_CONNECTIONS_OVERHEAD_MIB = 100
# Hash slots are never perfectly even across shards; keep 10% per shard free for skew (planning assumption).
# Only Valkey/Redis OSS with two or more shards: one shard owns every slot, and Memcached has no hash slots.
SHARD_SKEW_HEADROOM = 0.10
# Plan to run the engine thread at 70% of its capacity at peak (headroom for failover and spikes).
TARGET_ENGINE_UTILISATION = 0.70
# Size on baseline network bandwidth, not burst (facts 2.3), and keep 20% of it free.
TARGET_NETWORK_UTILISATION = 0.80
MAX_CONNECTIONS_PER_NODE = 65_000
DATA_TIERING_MAX_HOT_PERCENT = 20.0

# ASSUMPTION: peak simple operations/s one Valkey/Redis OSS node serves at 100% engine CPU, by size.
# Enhanced I/O and I/O multiplexing arrive at xlarge (Graviton) and lift throughput; T nodes throttle to
# their CPU-credit baseline.
ASSUMED_OPS_PER_SECOND: dict[str, int] = {
    "micro": 10_000, "small": 20_000, "medium": 40_000, "large": 100_000, "xlarge": 150_000,
}
ASSUMED_OPS_PER_SECOND_2XLARGE_AND_UP = 200_000
# ASSUMPTION: Memcached is multi-threaded; scale with vCPUs.
ASSUMED_MEMCACHED_OPS_PER_VCPU = 50_000


def reserved_memory_fraction_of(node_type: str, engine: str) -> float:
    """The share of maxmemory Valkey/Redis OSS keeps out of the data, by node type name (e.g. cache.t4g.micro).

    Memcached has no such setting (its overhead is a fixed amount, see node_capacity), so 0.
    """
    if engine == "memcached":
        return 0.0
    family, size = node_type.split(".")[1:3]
    if family.startswith("t") and size == "micro":
        return MICRO_BURSTABLE_RESERVED_MEMORY
    if family.startswith("t") and size == "small":
        return SMALL_BURSTABLE_RESERVED_MEMORY
    return DEFAULT_RESERVED_MEMORY


def reserved_memory_fraction(node: NodeType, engine: str) -> float:
    return reserved_memory_fraction_of(node.node_type, engine)


def planned_reserved_memory_percent(node_type: str, engine: str) -> int | None:
    """The reserved-memory-percent the cluster must run with when the plan reserves more than AWS's default 25%
    (micro and small burstable nodes); None when the default parameter group already matches the plan."""
    fraction = reserved_memory_fraction_of(node_type, engine)
    return round(fraction * 100) if fraction > DEFAULT_RESERVED_MEMORY else None


def shard_skew_headroom(shards: int, engine: str) -> float:
    return SHARD_SKEW_HEADROOM if shards > 1 and engine != "memcached" else 0.0


@dataclass(frozen=True)
class NodeCapacity:
    node_type: str
    usable_memory_gib: float  # DRAM after reserved memory
    usable_capacity_gib: float  # DRAM + SSD (data tiering) after reserved memory
    ops_per_second: float  # at the target utilisation
    network_bytes_per_second: float  # baseline at the target utilisation
    reserved_memory_fraction: float
    memory_overhead: str  # the rule that took memory out of the data, in words



def ops_per_second(node: NodeType, engine: str) -> float:
    if engine == "memcached":
        return float(ASSUMED_MEMCACHED_OPS_PER_VCPU * (node.vcpu or 2))
    return float(ASSUMED_OPS_PER_SECOND.get(node.size, ASSUMED_OPS_PER_SECOND_2XLARGE_AND_UP))


def compute_node_capacity(node: NodeType, engine: str) -> NodeCapacity:
    reserve = reserved_memory_fraction(node, engine)
    if engine == "memcached":
        dram = float(node.memory_gib) - MEMCACHED_CONNECTIONS_OVERHEAD_MIB / MIB_PER_GIB
        overhead = f"{MEMCACHED_CONNECTIONS_OVERHEAD_MIB} MB memcached_connections_overhead"
    else:
        dram = float(node.memory_gib) * (1 - reserve)
        overhead = f"{reserve:.0%} reserved memory (reserved-memory-percent)"
    ssd = float(node.data_tiering_ssd_gib or 0) * (1 - reserve)
    baseline_gbps = float(node.network_gbps_baseline or 0)
    return NodeCapacity(
        node_type=node.node_type,
        usable_memory_gib=dram,
        usable_capacity_gib=dram + ssd,
        ops_per_second=ops_per_second(node, engine) * TARGET_ENGINE_UTILISATION,
        network_bytes_per_second=baseline_gbps * 1e9 / 8 * TARGET_NETWORK_UTILISATION,
        reserved_memory_fraction=reserve,
        memory_overhead=overhead,
    )


# Pure in (node, engine), and every optimizer run asks for ~100 of them. Wrapped here rather than decorated so
# mutation testing (which skips decorated functions) still mutates the arithmetic above; under mutmut the tests'
# conftest clears this cache before every test so a result cached without the mutant cannot hide it.
node_capacity = lru_cache(maxsize=4096)(compute_node_capacity)


def gb_to_gib(gb: float) -> float:
    return gb * GIB_PER_GB
