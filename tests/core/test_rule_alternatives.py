"""The closest feasible alternative an infeasible answer offers (advisor/rules/alternatives.py), sentence by
sentence: each relaxation in its order, the layout and price it finds, a thin price table named as the cause,
and the largest cluster's capacity worked from node_types.csv."""

from __future__ import annotations

from typing import Any

from advisor.capacity import SHARD_SKEW_HEADROOM
from advisor.optimizer import search
from advisor.pricing import PriceBook
from advisor.rules.alternatives import closest_feasible, thin_price_table
from advisor.workload import Workload, parse_workload
from tests.core.rule_variants import book_without


def _workload(**changes: Any) -> Workload:
    return parse_workload({"name": "alt", "dataset_gb": 20, "avg_reads_per_sec": 5000, "avg_writes_per_sec": 500,
                           "features": ["simple_get_set"], "availability": "multi_az", **changes})


def _priced_as(workload: Workload, book: PriceBook, engine: str = "valkey") -> str:
    """'N shards x M nodes of X for $Y/month on-demand' for the relaxed workload, from the search's own best."""
    best = search(workload, book, engine, top=1).best
    assert best is not None
    def many(n: int, word: str) -> str:
        return f"{n} {word}" + ("" if n == 1 else "s")

    layout = (many(best.shards, "node") if engine == "memcached" else
              f"{many(best.shards, 'shard')} x {many(1 + best.replicas_per_shard, 'node')}")
    return f"{layout} of {best.node_type} for ${best.on_demand_monthly:,.2f}/month on-demand"


def test_multi_region_relaxes_to_multi_az(book: PriceBook) -> None:
    # The only relaxation on offer for a cluster-aware, pooled, Global Datastore workload: one Region.
    w = _workload(availability="multi_region", secondary_regions=["us-west-2"])
    relaxed = w.with_changes(availability="multi_az", secondary_regions=[])
    assert closest_feasible(w, book) == ("Closest feasible alternative: Use Multi-AZ in one Region instead of Global "
                                         f"Datastore: {_priced_as(relaxed, book)}.")


def test_a_non_cluster_aware_client_is_the_first_thing_to_change(book: PriceBook) -> None:
    w = _workload(dataset_gb=2000, client_cluster_aware=False)
    relaxed = w.with_changes(client_cluster_aware=True)
    sentence = closest_feasible(w, book)
    assert sentence == ("Closest feasible alternative: Use a cluster-aware client so the data can be sharded: "
                        f"{_priced_as(relaxed, book)}.")
    assert " shards x 2 nodes of " in sentence  # Multi-AZ: a primary and a replica per shard


def test_connections_first_spread_over_replicas_then_pooled(book: PriceBook) -> None:
    # 100,000 connections: past 65,000 per node. Reading from replicas spreads them over a shard's nodes.
    spread = _workload(max_connections=100_000, read_from_replicas=False)
    assert closest_feasible(spread, book).startswith(
        "Closest feasible alternative: Let clients read from replicas so connections spread over every node of a "
        "shard: ")
    # Already reading from replicas and far past what any shard's nodes accept: pool to 65,000 per node.
    pooled = _workload(max_connections=10_000_000, read_from_replicas=True)
    relaxed = pooled.with_changes(max_connections=65_000)
    assert closest_feasible(pooled, book) == ("Closest feasible alternative: Pool client connections to at most "
                                              f"65,000 per node: {_priced_as(relaxed, book)}.")


def test_forced_memcached_layout_counts_nodes(book: PriceBook) -> None:
    w = _workload(availability="none", constraints={"engine": "memcached", "deployment": "serverless"},
                  dataset_gb=8000)
    relaxed = w.with_changes(constraints={"engine": "memcached", "deployment": "provisioned"})
    sentence = closest_feasible(w, book)
    assert sentence == ("Closest feasible alternative: Use a provisioned cluster instead of Serverless: "
                        f"{_priced_as(relaxed, book, 'memcached')}.")
    assert " shards" not in sentence


def test_beyond_the_largest_cluster_says_how_much_it_holds(book: PriceBook) -> None:
    # Largest Valkey node by capacity (memory + SSD, 75% usable) from node_types.csv, x 500 shards, less the
    # 10% kept for hash-slot skew; 2,000,000 GB = 2,000,000 x 10^9 / 2^30 GiB.
    current = [n for n, _ in book.priced_nodes("us-east-1", "valkey") if n.generation == "current"]
    largest = max(current, key=lambda n: float(n.memory_gib + (n.data_tiering_ssd_gib or 0)))
    per_node = float(largest.memory_gib + (largest.data_tiering_ssd_gib or 0)) * 0.75
    holds = per_node * 500 * (1 - SHARD_SKEW_HEADROOM)
    needed = 2_000_000 * 1e9 / 2**30
    w = _workload(dataset_gb=2_000_000, availability="none", hot_set_percent=5)
    assert closest_feasible(w, book) == (
        f"Closest feasible alternative: the largest cluster (500 x {largest.node_type}) holds about {holds:,.0f} GiB; "
        f"cut the dataset at the horizon to {holds / needed:.0%} of the plan (shorter horizon, less growth, smaller "
        "values or a shorter TTL), or split the data across several clusters.")
    # Without a cluster-aware client (and 2 PB is beyond any sharded cluster too) one shard is the ceiling, with no
    # skew headroom to keep.
    one = closest_feasible(w.with_changes(client_cluster_aware=False), book)
    assert one.startswith(f"Closest feasible alternative: the largest cluster (1 x {largest.node_type}) holds about "
                          f"{per_node:,.0f} GiB; cut the dataset at the horizon to {per_node / needed:.0%} of the plan")


def test_beyond_any_throughput_asks_for_less_traffic(book: PriceBook) -> None:
    w = _workload(dataset_gb=1, avg_reads_per_sec=5e9, avg_writes_per_sec=5e9, peak_to_average=1)
    assert closest_feasible(w, book) == (
        "Closest feasible alternative: lower the peak request rate or spread it across several clusters; one "
        "cluster cannot carry it within the assumed per-node throughput.")


def test_a_thin_price_table_is_named_with_its_node_types(book: PriceBook) -> None:
    keep = {"cache.m7g.large", "cache.r7g.large", "cache.t4g.micro"}
    thin = book_without(book, on_demand=lambda p: p.region == "eu-west-2" and not (p.engine == "valkey"
                                                                                 and p.node_type in keep))
    w = _workload(region="eu-west-2")
    expected = ("Only 3 current node types have a bundled valkey price in eu-west-2 (cache.m7g.large, "
                "cache.r7g.large, cache.t4g.micro). Refresh the price tables for it (python -m advisor pricing "
                "refresh --regions eu-west-2) or compare in a Region with fuller prices such as us-east-1.")
    assert thin_price_table(w, thin) == expected
    assert closest_feasible(w, thin) == expected
    assert thin_price_table(w, book) is None  # the bundled eu-west-2 table is full


def test_a_dataset_exactly_at_the_largest_cluster_s_capacity_fits_it(book: PriceBook) -> None:
    # At exactly what the largest cluster holds, memory is not the problem: the sentence turns to throughput.
    current = [n for n, _ in book.priced_nodes("us-east-1", "valkey") if n.generation == "current"]
    largest = max(current, key=lambda n: float(n.memory_gib + (n.data_tiering_ssd_gib or 0)))
    holds = float(largest.memory_gib + (largest.data_tiering_ssd_gib or 0)) * 0.75 * 500 * (1 - SHARD_SKEW_HEADROOM)
    at_capacity = _workload(dataset_gb=holds * 2**30 / 1e9, availability="none")
    assert at_capacity.dataset_gb_at_horizon * 1e9 / 2**30 == holds
    assert closest_feasible(at_capacity, book).startswith("Closest feasible alternative: lower the peak request rate")
    above = _workload(dataset_gb=holds * 2**30 / 1e9 * 1.001, availability="none")
    assert closest_feasible(above, book).startswith("Closest feasible alternative: the largest cluster (500 x ")


def test_ten_priced_node_types_are_not_a_thin_table(book: PriceBook) -> None:
    current = sorted(p.node_type for p in book.on_demand.values()
                     if p.region == "eu-west-2" and p.engine == "valkey"
                     and book.nodes[p.node_type].generation == "current")
    def keeping(count: int) -> PriceBook:
        keep = set(current[:count])
        return book_without(book, on_demand=lambda p: p.region == "eu-west-2" and not (p.engine == "valkey"
                                                                                     and p.node_type in keep))

    w = _workload(region="eu-west-2")
    assert thin_price_table(w, keeping(10)) is None
    nine = thin_price_table(w, keeping(9))
    assert nine is not None and nine.startswith("Only 9 current node types have a bundled valkey price in eu-west-2 (")


def test_replicas_are_offered_for_connections_only_past_a_node_s_limit(book: PriceBook) -> None:
    # Not reading from replicas, but 65,000 connections or fewer fit one node: the one relaxation is one Region.
    for connections in (1000, 65_000):
        w = _workload(availability="multi_region", secondary_regions=["us-west-2"], read_from_replicas=False,
                      max_connections=connections)
        assert closest_feasible(w, book).startswith("Closest feasible alternative: Use Multi-AZ in one Region "
                                                    "instead of Global Datastore: ")


def test_without_data_tiering_nodes_the_largest_cluster_is_dram_only(book: PriceBook) -> None:
    # ap-southeast-5 sells no r6gd: the largest Valkey node holds its memory only (75% usable), x 500 shards,
    # less the 10% kept for hash-slot skew.
    current = [n for n, _ in book.priced_nodes("ap-southeast-5", "valkey") if n.generation == "current"]
    assert not any(n.data_tiering_ssd_gib for n in current)
    largest = max(current, key=lambda n: float(n.memory_gib))
    holds = float(largest.memory_gib) * 0.75 * 500 * (1 - SHARD_SKEW_HEADROOM)
    w = _workload(region="ap-southeast-5", dataset_gb=2_000_000, availability="none")
    assert closest_feasible(w, book).startswith(
        f"Closest feasible alternative: the largest cluster (500 x {largest.node_type}) holds about {holds:,.0f} GiB;")
