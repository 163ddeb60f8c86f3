"""The vectorised search against a plain-loop reference written from the sizing rules, plus constraints."""

from __future__ import annotations

import math

import pytest

from advisor.optimizer import GLOBAL_DATASTORE_FAMILIES, search
from advisor.pricing import PriceBook
from advisor.workload import Workload, parse_workload


def reference_cheapest(w: Workload, book: PriceBook, engine: str) -> float:
    """Brute force over every node type, shard count and replica count with the documented rules:
    usable = memory x (1 - reserved%), x 0.9 for slot skew from two shards up;
    ops per node = writes/shards + reads/(shards x nodes/shard)
    at 70% of the assumed capacity; network on the baseline at 80%; 65,000 connections per node."""
    need_gib = w.dataset_gb_at_horizon * 1e9 / 2**30
    best = math.inf
    for node, price in book.priced_nodes(w.region, engine):  # type: ignore[arg-type]
        if node.generation != "current" or node.family in ("t1", "t2") or node.is_burstable:
            continue
        if node.has_data_tiering:
            continue
        reserve = 0.25
        usable = float(node.memory_gib) * (1 - reserve)
        ops = {"large": 100_000, "xlarge": 150_000}.get(node.size, 200_000) * 0.7
        net = float(node.network_gbps_baseline or 0) * 1e9 / 8 * 0.8
        for replicas in range(1, 6):
            for shards in range(1, 501):
                nodes = shards * (1 + replicas)
                if nodes > 500 or usable * shards * (0.9 if shards > 1 else 1.0) < need_gib:
                    continue
                readers = 1 + replicas
                if w.peak_writes / shards + w.peak_reads / (shards * readers) > ops:
                    continue
                read_bytes = w.peak_reads * (w.read_bytes + w.avg_key_bytes)
                write_bytes = w.peak_writes * w.write_bytes
                if read_bytes / (shards * readers) + write_bytes * readers / shards > net:
                    continue
                best = min(best, float(price.usd_per_hour) * nodes * 730)
                break  # more shards only cost more for this node and replica count
    return best


@pytest.mark.parametrize("spec", [
    {"dataset_gb": 10, "avg_reads_per_sec": 1000, "avg_writes_per_sec": 100},
    {"dataset_gb": 300, "avg_reads_per_sec": 200_000, "avg_writes_per_sec": 50_000, "avg_value_bytes": 2000},
    {"dataset_gb": 80, "monthly_growth_percent": 5, "horizon_months": 24, "avg_reads_per_sec": 40_000},
    {"dataset_gb": 5, "avg_reads_per_sec": 900_000, "avg_writes_per_sec": 10_000},
])
def test_matches_brute_force_reference(book: PriceBook, spec: dict[str, float]) -> None:
    w = parse_workload({**spec, "availability": "multi_az", "hot_set_percent": 100})
    result = search(w, book, "valkey")
    assert result.best is not None
    assert float(result.best.on_demand_monthly) == pytest.approx(reference_cheapest(w, book, "valkey"))


def test_ten_gb_by_hand(book: PriceBook) -> None:
    # 10 GB = 9.31 GiB. One shard has no slot skew, so r7g.large holds 13.07 x 0.75 = 9.80 GiB: it fits in one
    # shard (with the 10% skew margin it would have held 8.82 GiB and needed two shards or an xlarge).
    # r7g.xlarge (26.32 GiB -> 19.74) fits too: 2 nodes x 0.3496 (on_demand.csv) x 730 = 510.416 (Valkey).
    w = parse_workload({"dataset_gb": 10, "avg_reads_per_sec": 1000, "avg_writes_per_sec": 100,
                        "availability": "multi_az"})
    result = search(w, book, "valkey", top=100)
    best = result.best
    assert best is not None
    nodes = best.shards * (1 + best.replicas_per_shard)  # counted here, not read from the winner
    assert best.node_count == nodes
    assert nodes * float(book.node_price("us-east-1", "valkey", best.node_type).usd_per_hour) * 730 == \
        pytest.approx(float(best.on_demand_monthly))
    r7g_xlarge = next(c for c in result.ranked if c.node_type == "cache.r7g.xlarge")
    assert (r7g_xlarge.shards, r7g_xlarge.replicas_per_shard) == (1, 1)
    assert float(r7g_xlarge.on_demand_monthly) == pytest.approx(2 * 0.3496 * 730)
    r7g_large = next(c for c in result.ranked if c.node_type == "cache.r7g.large")
    assert (r7g_large.shards, r7g_large.replicas_per_shard) == (1, 1)
    assert r7g_large.memory_utilisation == pytest.approx((10e9 / 2**30) / (13.07 * 0.75))


def test_skew_margin_only_from_two_shards(book: PriceBook) -> None:
    # 9.9 GiB: above one r7g.large shard (13.07 x 0.75 = 9.8025 GiB), so two shards; two shards hold
    # 2 x 9.8025 x 0.9 = 17.64 GiB with the skew margin, and the utilisation says so.
    w = parse_workload({"dataset_gb": 9.9 * 2**30 / 1e9, "avg_reads_per_sec": 100, "avg_writes_per_sec": 10,
                        "availability": "multi_az"})
    r7g_large = next(c for c in search(w, book, "valkey", top=100).ranked if c.node_type == "cache.r7g.large")
    assert r7g_large.shards == 2
    assert r7g_large.memory_utilisation == pytest.approx(9.9 / (2 * 13.07 * 0.75 * 0.9))


AWS_MEMCACHED_35_GB = 35 * 2**30 / 1e9  # AWS's "35 GB of cache memory" uses GiB (3 x 12.3 = 36.9 on r4.large)


@pytest.mark.parametrize(("node_type", "nodes", "max_cache_memory_mb"), [
    # AWS's Memcached node-size example (35 GB of cache memory) and max_cache_memory per node type from the
    # Memcached parameter-group page; usable = max_cache_memory - 100 MB memcached_connections_overhead.
    ("cache.r6g.large", 3, 13_387),   # 35 x 1024 / (13,387 - 100) = 2.70 -> 3 nodes (AWS: 3 x r*.large)
    ("cache.m6g.large", 6, 6_537),    # 35 x 1024 / (6,537 - 100) = 5.57 -> 6 nodes (AWS: 6 x m4.large)
    ("cache.r6g.xlarge", 2, 26_953),  # 35 x 1024 / (26,953 - 100) = 1.33 -> 2 nodes
])
def test_memcached_sized_by_aws_overhead_model(book: PriceBook, node_type: str, nodes: int,
                                               max_cache_memory_mb: int) -> None:
    w = parse_workload({"dataset_gb": AWS_MEMCACHED_35_GB, "avg_reads_per_sec": 1000, "avg_writes_per_sec": 100,
                        "availability": "none", "auth": "none", "snapshot_retention_days": 0,
                        "features": ["simple_get_set", "multithreaded_simple_cache"]})
    row = next(c for c in search(w, book, "memcached", top=200).ranked if c.node_type == node_type)
    assert (row.shards, row.replicas_per_shard) == (nodes, 0)
    assert math.ceil(35 * 1024 / (max_cache_memory_mb - 100)) == nodes
    # The bundled memory (GiB) is AWS's max_cache_memory within rounding: 13.07 GiB = 13,384 MiB for r6g.large.
    memory_mib = float(book.nodes[node_type].memory_gib) * 1024
    assert memory_mib == pytest.approx(max_cache_memory_mb, rel=0.005)
    assert row.memory_utilisation == pytest.approx(35 / (nodes * (memory_mib - 100) / 1024))


def test_candidate_count_covers_every_combination(book: PriceBook) -> None:
    w = parse_workload({"dataset_gb": 10, "availability": "multi_az"})
    result = search(w, book, "valkey")
    eligible = len(book.priced_nodes("us-east-1", "valkey")) - len(result.exclusions)
    # node types x 500 shard counts x 5 replica counts (1-5) x 7 pricing options
    assert result.evaluated == eligible * 500 * 5 * 7


def test_client_not_cluster_aware_means_one_shard(book: PriceBook) -> None:
    w = parse_workload({"dataset_gb": 150, "client_cluster_aware": False})
    result = search(w, book, "valkey")
    assert result.ranked and all(c.shards == 1 and not c.cluster_mode_enabled for c in result.ranked)


def test_multi_region_only_global_datastore_families(book: PriceBook) -> None:
    w = parse_workload({"dataset_gb": 20, "availability": "multi_region", "secondary_regions": ["eu-west-1"]})
    result = search(w, book, "valkey", top=50)
    assert result.ranked
    for c in result.ranked:
        assert c.family in GLOBAL_DATASTORE_FAMILIES
        assert c.node_type.split(".")[2] not in ("micro", "small", "medium")


def test_burstable_only_for_dev_test(book: PriceBook) -> None:
    prod = search(parse_workload({"dataset_gb": 0.5, "avg_reads_per_sec": 5000}), book, "valkey", top=100)
    assert not any(c.family.startswith("t") for c in prod.ranked)
    dev = search(parse_workload({"dataset_gb": 0.5, "avg_reads_per_sec": 10, "avg_writes_per_sec": 1,
                                 "traffic_shape": "dev_test", "availability": "none"}), book, "valkey")
    assert dev.best is not None and dev.best.family.startswith("t")


def test_data_tiering_only_for_small_hot_sets(book: PriceBook) -> None:
    hot = search(parse_workload({"dataset_gb": 2000, "hot_set_percent": 100}), book, "valkey", top=100)
    assert not any(c.data_tiering for c in hot.ranked)
    cold = search(parse_workload({"dataset_gb": 2000, "hot_set_percent": 10, "avg_value_bytes": 8000}), book,
                  "valkey", top=100)
    assert any(c.data_tiering for c in cold.ranked)


def test_memcached_has_no_replicas(book: PriceBook) -> None:
    w = parse_workload({"dataset_gb": 30, "availability": "none", "auth": "none", "snapshot_retention_days": 0,
                        "features": ["simple_get_set", "multithreaded_simple_cache"]})
    result = search(w, book, "memcached")
    assert result.ranked and all(c.replicas_per_shard == 0 for c in result.ranked)


def test_impossible_dataset_explains_itself(book: PriceBook) -> None:
    result = search(parse_workload({"dataset_gb": 900_000}), book, "valkey")
    assert result.best is None
    assert any("largest allowed cluster" in e.reason for e in result.exclusions)
