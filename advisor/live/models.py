"""Typed, immutable models of what the live sources observed. Fetching code builds them; rules only judge them."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ClusterKind = Literal["replication_group", "cache_cluster", "serverless"]
NodeRole = Literal["primary", "replica", "memcached", "unknown"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class NodeRef(_Frozen):
    """One cache node as CloudWatch names it: member cluster id + node id."""

    cache_cluster_id: str
    cache_node_id: str = "0001"
    role: NodeRole = "unknown"
    shard: str = "0001"


class FleetRow(_Frozen):
    """One cluster of the fleet, priced once (member clusters of a replication group are not rows)."""

    id: str
    kind: ClusterKind
    region: str
    engine: str = Field(description="valkey, redis or memcached")
    engine_version: str = "unknown"
    node_type: str | None = None
    shards: int = Field(0, ge=0)
    replicas_per_shard: int = Field(0, ge=0)
    node_count: int = Field(0, ge=0)
    cluster_mode: bool = False
    multi_az: bool = False
    transit_encryption: bool = False
    at_rest_encryption: bool = False
    auth: str = "none"
    status: str = "unknown"
    nodes: tuple[NodeRef, ...] = ()
    monthly_cost_usd: Decimal | None = None
    cost_note: str = ""
    top_finding: str | None = None

    @property
    def engine_label(self) -> str:
        labels = {"valkey": "Valkey", "redis": "Redis OSS", "memcached": "Memcached"}
        return f"{labels.get(self.engine, self.engine)} {self.engine_version}".strip()

    @property
    def primaries(self) -> tuple[NodeRef, ...]:
        return tuple(n for n in self.nodes if n.role in ("primary", "memcached"))


class Fleet(_Frozen):
    region: str
    rows: tuple[FleetRow, ...] = ()
    notes: tuple[str, ...] = Field((), description="What could not be listed, and why")

    def row(self, cluster_id: str) -> FleetRow:
        for row in self.rows:
            if row.id == cluster_id:
                return row
        raise KeyError(cluster_id)

    @property
    def monthly_total_usd(self) -> Decimal:
        return sum((r.monthly_cost_usd for r in self.rows if r.monthly_cost_usd is not None), Decimal(0))


class ReservedNodes(_Frozen):
    """Active reservations of one node type (count of nodes), from DescribeReservedCacheNodes."""

    node_type: str
    engine: str
    count: int = Field(ge=0)
