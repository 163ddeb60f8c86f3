"""Judge a given design (pinned node type, shards and replicas, or a live cluster's configuration) against the
workload: memory at the horizon, throughput, network, connections and failover headroom, each a check with
its numbers. The same per-node figures as the optimizer (advisor.capacity), one topology instead of all."""

from __future__ import annotations

import re
from typing import Any

from advisor.capacity import (
    MAX_CONNECTIONS_PER_NODE,
    TARGET_ENGINE_UTILISATION,
    node_capacity,
    shard_skew_headroom,
)
from advisor.optimizer import demand_of
from advisor.pricing.schema import NodeType
from advisor.recommendation import DesignCheck, Topology
from advisor.workload import ENGINE_VERSION_PATTERN, Availability, Workload


def _pct(used: float, capacity: float) -> str:
    return f"{used / capacity:.0%}" if capacity > 0 else "no capacity"


def design_checks(workload: Workload, node: NodeType, topology: Topology) -> tuple[DesignCheck, ...]:
    """Every capacity check of `topology` built from `node` for this workload, passing or not."""
    demand = demand_of(workload)
    capacity = node_capacity(node, topology.engine)
    shards, replicas = topology.shards, topology.replicas_per_shard
    readers = (1 + replicas) if workload.read_from_replicas else 1
    per_node = capacity.usable_capacity_gib if topology.data_tiering else capacity.usable_memory_gib
    holds = per_node * shards * (1 - shard_skew_headroom(shards, topology.engine))
    node_ops = demand.peak_writes / shards + demand.peak_reads / (shards * readers)
    node_bytes = demand.read_bytes_per_sec / (shards * readers) + demand.write_bytes_per_sec * (1 + replicas) / shards
    connections = demand.connections / readers
    checks = [
        DesignCheck("memory at the horizon", holds >= demand.capacity_gib,
                    f"needs {demand.capacity_gib:,.1f} GiB, holds {holds:,.1f} GiB usable "
                    f"({_pct(demand.capacity_gib, holds)} full)"),
        DesignCheck("throughput at peak", node_ops <= capacity.ops_per_second,
                    f"{node_ops:,.0f} operations/s per node against {capacity.ops_per_second:,.0f} planned "
                    f"(assumed per-node figure at {TARGET_ENGINE_UTILISATION:.0%} engine CPU; "
                    f"{_pct(node_ops, capacity.ops_per_second)})"),
        DesignCheck("network at peak", node_bytes <= capacity.network_bytes_per_second,
                    f"{node_bytes / 1e6:,.1f} MB/s per node against {capacity.network_bytes_per_second / 1e6:,.1f} "
                    f"MB/s baseline budget ({_pct(node_bytes, capacity.network_bytes_per_second)})"),
        DesignCheck("connections", connections <= MAX_CONNECTIONS_PER_NODE,
                    f"{connections:,.0f} per node against the {MAX_CONNECTIONS_PER_NODE:,} limit"),
    ]
    if workload.availability == Availability.NONE:
        checks.append(DesignCheck("failover headroom", True, "no failover asked for"))
    elif replicas == 0 or topology.engine == "memcached":
        checks.append(DesignCheck("failover headroom", False,
                                  "no replica to promote: losing a node loses its shard's data and writes"))
    else:
        # With one node of a shard down, the rest carry its reads; allow up to the node's full engine CPU.
        survivors = max(1, readers - 1)
        after = demand.peak_writes / shards + demand.peak_reads / (shards * survivors)
        ceiling = capacity.ops_per_second / TARGET_ENGINE_UTILISATION
        checks.append(DesignCheck("failover headroom", after <= ceiling,
                                  f"with one node of a shard down, {after:,.0f} operations/s per surviving node "
                                  f"against {ceiling:,.0f} at full engine CPU ({_pct(after, ceiling)})"))
    return tuple(checks)


def given_from_cluster(engine: str, engine_version: str, node_type: str | None, shards: int,
                       replicas_per_shard: int, cluster_mode: bool, multi_az: bool,
                       serverless: bool = False) -> dict[str, Any]:
    """Workload changes that pin a discovered cluster's configuration as the given design ("compare with
    recommended"): its engine, version, node type, shards, replicas and cluster mode, and the availability it
    runs with. Values ElastiCache reported that the model cannot hold (an unknown version) are left unpinned."""
    pins: dict[str, Any] = {"engine": engine if engine in ("valkey", "redis", "memcached") else None}
    if re.fullmatch(ENGINE_VERSION_PATTERN, engine_version or ""):
        pins["engine_version"] = engine_version
    if serverless or node_type is None:
        return {"constraints": {**pins, "deployment": "serverless" if serverless else None}}
    pins.update({"deployment": "provisioned", "node_type": node_type, "shards": max(1, shards),
                 "replicas_per_shard": 0 if engine == "memcached" else replicas_per_shard})
    if engine != "memcached":
        pins["cluster_mode"] = cluster_mode
    availability = "multi_az" if multi_az and engine != "memcached" and replicas_per_shard > 0 else "none"
    return {"constraints": pins, "availability": availability, "secondary_regions": []}
