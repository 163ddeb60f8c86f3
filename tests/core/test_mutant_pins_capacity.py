"""What one node holds and carries (advisor/capacity.py), worked out by hand from node_types.csv and the rules
and labelled planning assumptions in the module's header. Each figure here was left unpinned by the rest of the
suite (mutation testing: scripts/mutation.sh)."""

from __future__ import annotations

import pytest

from advisor.capacity import (
    compute_node_capacity,
    gb_to_gib,
    planned_reserved_memory_percent,
    reserved_memory_fraction_of,
    shard_skew_headroom,
)
from advisor.pricing import PriceBook

# node_types.csv rows used below: node_type, vcpu, memory_gib, network_gbps_baseline, data_tiering_ssd_gib
#   cache.t4g.micro    2   0.50  0.064
#   cache.t4g.small    2   1.37  0.128
#   cache.t4g.medium   2   3.09  0.256
#   cache.r7g.large    2  13.07  0.937
#   cache.r7g.xlarge   4  26.32  1.876
#   cache.r7g.2xlarge  8  52.82  3.75
#   cache.r7g.16xlarge 64 419.09 30
#   cache.r6gd.xlarge  4  26.32  1.25   99.33
#   cache.c8gn.2xlarge (vCPU not found in any source: left empty) 14.18 25


@pytest.mark.parametrize(("node_type", "memory", "reserve", "ops", "gbps"), [
    # reserved-memory-percent: 50% on micro and 30% on small burstable nodes, 25% otherwise. Planning figure
    # of simple ops/s at 100% engine CPU by size, planned at 70%.
    ("cache.t4g.micro", 0.50, 0.50, 10_000 * 0.7, 0.064),
    ("cache.t4g.small", 1.37, 0.30, 20_000 * 0.7, 0.128),
    ("cache.t4g.medium", 3.09, 0.25, 40_000 * 0.7, 0.256),
    ("cache.r7g.large", 13.07, 0.25, 100_000 * 0.7, 0.937),
    ("cache.r7g.xlarge", 26.32, 0.25, 150_000 * 0.7, 1.876),
    ("cache.r7g.2xlarge", 52.82, 0.25, 200_000 * 0.7, 3.75),  # 2xlarge and up share one figure
    ("cache.r7g.16xlarge", 419.09, 0.25, 200_000 * 0.7, 30),
])
def test_valkey_node_capacity_by_hand(book: PriceBook, node_type: str, memory: float, reserve: float, ops: float,
                                      gbps: float) -> None:
    cap = compute_node_capacity(book.nodes[node_type], "valkey")
    assert cap.node_type == node_type
    assert cap.reserved_memory_fraction == reserve
    assert cap.usable_memory_gib == pytest.approx(memory * (1 - reserve))
    assert cap.usable_capacity_gib == pytest.approx(memory * (1 - reserve))  # no SSD
    assert cap.ops_per_second == pytest.approx(ops)
    # Baseline Gbps -> bytes/s, 80% of it usable: gbps x 1e9 / 8 x 0.8.
    assert cap.network_bytes_per_second == pytest.approx(gbps * 1e9 / 8 * 0.8)
    assert cap.memory_overhead == f"{round(reserve * 100)}% reserved memory (reserved-memory-percent)"


def test_data_tiering_adds_the_ssd_after_the_same_reserve(book: PriceBook) -> None:
    cap = compute_node_capacity(book.nodes["cache.r6gd.xlarge"], "redis")
    # DRAM 26.32 x 0.75 = 19.74 GiB; SSD 99.33 x 0.75 = 74.4975 GiB; together 94.2375 GiB.
    assert cap.usable_memory_gib == pytest.approx(19.74)
    assert cap.usable_capacity_gib == pytest.approx(94.2375)
    assert cap.ops_per_second == pytest.approx(150_000 * 0.7)


@pytest.mark.parametrize(("node_type", "memory", "vcpu"), [
    ("cache.r7g.large", 13.07, 2),
    ("cache.r7g.16xlarge", 419.09, 64),
    # No vCPU figure in any source: planned as 2 vCPUs (the smallest current node), never more than known.
    ("cache.c8gn.2xlarge", 14.18, 2),
])
def test_memcached_node_capacity_by_hand(book: PriceBook, node_type: str, memory: float, vcpu: int) -> None:
    cap = compute_node_capacity(book.nodes[node_type], "memcached")
    # AWS: memory for items = the node's memory minus memcached_connections_overhead, 100 MB (MiB) by default.
    assert cap.usable_memory_gib == pytest.approx(memory - 100 / 1024)
    assert cap.usable_capacity_gib == pytest.approx(memory - 100 / 1024)
    assert cap.reserved_memory_fraction == 0.0
    assert cap.memory_overhead == "100 MB memcached_connections_overhead"
    # Planning figure: 50,000 simple ops/s per vCPU, at 70%.
    assert cap.ops_per_second == pytest.approx(50_000 * vcpu * 0.7)


def test_reserved_memory_rules() -> None:
    assert reserved_memory_fraction_of("cache.t4g.micro", "memcached") == 0.0
    assert reserved_memory_fraction_of("cache.t3.micro", "redis") == 0.50
    assert reserved_memory_fraction_of("cache.t3.small", "valkey") == 0.30
    assert reserved_memory_fraction_of("cache.m7g.small", "valkey") == 0.25  # not burstable: AWS's default
    assert reserved_memory_fraction_of("cache.r7g.micro", "valkey") == 0.25
    # The parameter the cluster must run with, only when the plan reserves more than the default 25%.
    assert planned_reserved_memory_percent("cache.t4g.micro", "valkey") == 50
    assert planned_reserved_memory_percent("cache.t4g.small", "redis") == 30
    assert planned_reserved_memory_percent("cache.t4g.medium", "valkey") is None
    assert planned_reserved_memory_percent("cache.r7g.large", "valkey") is None
    assert planned_reserved_memory_percent("cache.t4g.micro", "memcached") is None


def test_slot_skew_margin_and_gib() -> None:
    assert shard_skew_headroom(1, "valkey") == 0.0
    assert shard_skew_headroom(2, "valkey") == 0.10
    assert shard_skew_headroom(2, "memcached") == 0.0
    assert gb_to_gib(1) == pytest.approx(1e9 / 2**30)
    assert gb_to_gib(2**30 / 1e9) == pytest.approx(1.0)
