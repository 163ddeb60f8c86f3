"""How loaded one design is by one demand: memory, engine CPU and network per node, as shares of the node.

The per-node load follows the optimizer's model (advisor/optimizer.py `search`): every node of a shard
applies the shard's writes, reads spread over the nodes clients may read from, and the primary sends each
write to every replica. Here the shares are of the node's full capacity (100% engine CPU, baseline network),
so they can be compared with the alarm levels AWS's monitoring guidance uses (75% memory, 70% CPU/network).
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.capacity import TARGET_ENGINE_UTILISATION, TARGET_NETWORK_UTILISATION, NodeCapacity, node_capacity
from advisor.optimizer import Demand
from advisor.pricing.schema import Engine, NodeType
from advisor.wording import node_layout

MEMORY_LIMIT = 0.75
CPU_LIMIT = 0.70
NETWORK_LIMIT = 0.70


@dataclass(frozen=True)
class Shape:
    """A node-based design: node type, shards, replicas per shard."""

    node: NodeType
    shards: int
    replicas: int

    @property
    def node_count(self) -> int:
        return self.shards * (1 + self.replicas)

    def describe(self, engine: str) -> str:
        return node_layout(engine, self.shards, self.replicas, self.node.node_type)


@dataclass(frozen=True)
class Load:
    memory: float  # data / usable capacity (DRAM, or DRAM + SSD with data tiering), whole cluster
    cpu: float  # busiest node's operations / the node's assumed capacity at 100% engine CPU
    network: float  # busiest node's bytes/s / baseline bandwidth

    def over(self) -> list[str]:
        names = []
        if self.memory >= MEMORY_LIMIT:
            names.append("memory")
        if self.cpu >= CPU_LIMIT:
            names.append("cpu")
        if self.network >= NETWORK_LIMIT:
            names.append("network")
        return names


def full_capacity(node: NodeType, engine: Engine) -> tuple[NodeCapacity, float, float]:
    """(capacity, operations/s at 100% engine CPU, bytes/s of baseline network)."""
    cap = node_capacity(node, engine)
    return (cap, cap.ops_per_second / TARGET_ENGINE_UTILISATION,
            cap.network_bytes_per_second / TARGET_NETWORK_UTILISATION)


def load_of(shape: Shape, demand: Demand, engine: Engine, read_from_replicas: bool, *,
            lost_readers: int = 0) -> Load:
    """The design's load at `demand`; `lost_readers` takes nodes out of each shard's read rotation."""
    cap, ops, net = full_capacity(shape.node, engine)
    usable = cap.usable_capacity_gib if shape.node.has_data_tiering else cap.usable_memory_gib
    readers = max(1, ((1 + shape.replicas) if read_from_replicas else 1) - lost_readers)
    node_ops = demand.peak_writes / shape.shards + demand.peak_reads / (shape.shards * readers)
    node_bytes = (demand.read_bytes_per_sec / (shape.shards * readers)
                  + demand.write_bytes_per_sec * (1 + shape.replicas) / shape.shards)
    return Load(
        memory=demand.capacity_gib / (usable * shape.shards),
        cpu=node_ops / ops if ops else float("inf"),
        network=node_bytes / net if net else float("inf"),
    )
