"""Infeasible: beyond any ElastiCache design, whatever the pins, availability or client. Say the ceiling with
its numbers (500 nodes per cluster, the largest node's usable memory and data-tiering SSD, Serverless's 5,000 GB
and 15 million ECPU/s) so the architect knows how far off the ask is."""

from __future__ import annotations

import math

from advisor import docs
from advisor.capacity import MAX_CONNECTIONS_PER_NODE, SHARD_SKEW_HEADROOM, gb_to_gib, node_capacity
from advisor.choices import assess_serverless
from advisor.costs.serverless import MAX_DATA_GB, MAX_ECPU_PER_SECOND
from advisor.findings import Finding, Severity
from advisor.optimizer import MAX_NODES_PER_CLUSTER, search
from advisor.pricing.book import PriceBook
from advisor.recommendation import Ceiling
from advisor.rules.alternatives import thin_price_table
from advisor.workload import Constraints, Workload

# The engine with the largest reach: data tiering (r6gd) and 500-node clusters.
WIDEST_ENGINE = "valkey"


def unconstrained(workload: Workload) -> Workload:
    """The same data and traffic with every wish relaxed: no pins, no preferences, no failover, one Region,
    a cluster-aware client reading from replicas. If this has no design, nothing in ElastiCache does."""
    return workload.with_changes(
        constraints={name: None for name in Constraints.model_fields},
        preferences={"deployment": None, "engine": None, "node_family": None, "monthly_budget_usd": None},
        availability="none", secondary_regions=[], client_cluster_aware=True, read_from_replicas=True)


def largest_cluster_gib(book: PriceBook, region: str) -> tuple[str, float]:
    """(node type, usable GiB of DRAM plus SSD) of the biggest current node priced here."""
    best = ("none", 0.0)
    for node, _price in book.priced_nodes(region, WIDEST_ENGINE):
        if node.generation != "current":
            continue
        capacity = node_capacity(node, WIDEST_ENGINE)
        usable = capacity.usable_capacity_gib if node.has_data_tiering else capacity.usable_memory_gib
        if usable > best[1]:
            best = (node.node_type, usable)
    return best


def split_count(workload: Workload, book: PriceBook) -> int:
    """How many clusters the data would have to be split across (at least 2)."""
    _node, per_node = largest_cluster_gib(book, workload.region)
    holds = per_node * MAX_NODES_PER_CLUSTER * (1 - SHARD_SKEW_HEADROOM)
    needed = gb_to_gib(workload.dataset_gb_at_horizon)
    by_memory = math.ceil(needed / holds) if holds > 0 else 2
    return max(2, by_memory)


def ceiling_of(workload: Workload, book: PriceBook) -> Ceiling | None:
    """The ceiling when the workload is beyond every ElastiCache design; None when something fits."""
    if thin_price_table(workload, book) is not None:
        return None  # beyond the bundled prices, not beyond ElastiCache: the conflict says how to refresh them
    relaxed = unconstrained(workload)
    if search(relaxed, book, WIDEST_ENGINE, top=1).best is not None:
        return None
    if assess_serverless(relaxed, book, WIDEST_ENGINE).feasible:
        return None
    node, per_node = largest_cluster_gib(book, workload.region)
    holds = per_node * MAX_NODES_PER_CLUSTER * (1 - SHARD_SKEW_HEADROOM)
    count = split_count(workload, book)
    horizon_gb = workload.dataset_gb_at_horizon
    asked = {
        "dataset at the horizon": f"{horizon_gb:,.0f} GB ({gb_to_gib(horizon_gb):,.0f} GiB)",
        "peak requests/s": f"{workload.peak_reads + workload.peak_writes:,.0f}",
        "peak connections": f"{workload.max_connections:,}",
    }
    limits = {
        "nodes per cluster": f"{MAX_NODES_PER_CLUSTER} (with a quota increase)",
        "largest node": f"{node}: {per_node:,.0f} GiB usable (memory after the 25% reserve, plus data-tiering SSD)",
        "largest cluster": f"about {holds:,.0f} GiB usable ({MAX_NODES_PER_CLUSTER} x {node}, no replicas, 10% "
                           "slot-skew margin)",
        "Serverless": f"{MAX_DATA_GB:,.0f} GB of data and {MAX_ECPU_PER_SECOND:,.0f} ECPU/s per cache",
        "connections": f"{MAX_CONNECTIONS_PER_NODE:,} per node",
    }
    nearest = (f"Split the data and its traffic across several clusters (at least {count} by memory alone; for "
               "example by tenant or key range); the way out below gives the count that fits every requirement, "
               "priced.")
    return Ceiling(asked, limits, nearest)


def ceiling_finding(ceiling: Ceiling) -> Finding:
    return Finding(
        id="infeasible.beyond_elasticache", severity=Severity.CONFLICT,
        title="Beyond any ElastiCache design",
        decision=ceiling.nearest,
        rationale="No node-based cluster (up to 500 nodes of the largest node type, with data tiering) and no "
                  "Serverless cache can hold or carry this workload, even with every wish relaxed (no replicas, "
                  "one Region, a cluster-aware client).",
        evidence={**{f"asked: {k}": v for k, v in ceiling.asked.items()},
                  **{f"ceiling: {k}": v for k, v in ceiling.limits.items()}},
        docs=[docs.SHARDS, docs.QUOTAS, docs.DATA_TIERING, docs.SERVERLESS_CONFIG],
    )
