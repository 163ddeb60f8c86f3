"""The search (advisor/optimizer.py) pinned where mutation testing (scripts/mutation.sh) found the suite silent:
each exclusion's words, the tiny-workload bound for burstable nodes, the pricing and utilisation figures of a
candidate, and the counts. Figures by hand from node_types.csv, on_demand.csv and reserved.csv (quoted)."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.optimizer import search
from advisor.pricing import PriceBook
from advisor.workload import parse_workload

R7G_LARGE = "cache.r7g.large"  # 13.07 GiB, 0.937 Gbps baseline; us-east-1 Valkey $0.1752/h
BURSTABLE_WORDS = "burstable (T) nodes only for dev/test or tiny light workloads: CPU credits run out"
GDS_WORDS = "not a Global Datastore node type (M5/M6g/M7g/R5/R6g/R6gd/R7g/C7gn, large or bigger)"


def _w(**spec: Any) -> Any:
    return parse_workload({"dataset_gb": 1, "avg_reads_per_sec": 100, "avg_writes_per_sec": 10, **spec})


def _reasons(result: Any) -> dict[str, str]:
    return {e.node_type: e.reason for e in result.exclusions}


def test_pinned_node_type_family_and_tiering_words(book: PriceBook) -> None:
    by_type = _reasons(search(_w(constraints={"node_type": R7G_LARGE}), book, "valkey"))
    assert by_type["cache.m7g.large"] == "not the required node type cache.r7g.large"
    by_family = _reasons(search(_w(constraints={"node_family": "r7g"}), book, "valkey"))
    assert by_family["cache.m7g.large"] == "not in the required node family r7g"
    tiering = _reasons(search(_w(constraints={"data_tiering": True}), book, "valkey"))
    assert tiering[R7G_LARGE] == "data tiering is required and runs only on r6gd nodes"
    no_tiering = _reasons(search(_w(constraints={"data_tiering": False}), book, "valkey"))
    assert no_tiering["cache.r6gd.xlarge"] == "data tiering is ruled out and r6gd nodes always tier"


def test_eligibility_words(book: PriceBook) -> None:
    prod = _reasons(search(_w(avg_reads_per_sec=5000), book, "valkey"))
    assert prod["cache.t4g.medium"] == BURSTABLE_WORDS
    hot = _reasons(search(_w(hot_set_percent=50), book, "valkey"))
    assert hot["cache.r6gd.xlarge"] == "data tiering fits when at most 20% of the data is hot"
    vector = _reasons(search(_w(hot_set_percent=10, features=["vector_search"]), book, "valkey"))
    assert vector["cache.r6gd.xlarge"] == "vector search is not available on r6gd (data tiering) nodes"
    global_ds = {"availability": "multi_region", "secondary_regions": ["eu-west-1"]}
    multi = _reasons(search(_w(**global_ds), book, "valkey"))
    assert "cache.c7gn.large" not in multi and multi["cache.r8g.large"] == GDS_WORDS
    assert multi["cache.t4g.medium"] == "T nodes are not supported by Global Datastore"  # tiny, yet cross-Region
    dev_multi = _reasons(search(_w(traffic_shape="dev_test", **global_ds), book, "valkey"))
    assert dev_multi["cache.t4g.medium"] == "T nodes are not supported by Global Datastore"
    pinned_t = _reasons(search(_w(constraints={"node_type": "cache.t4g.medium"}, **global_ds), book, "valkey"))
    assert pinned_t["cache.t4g.medium"] == "T nodes are not supported by Global Datastore"


def test_burstable_nodes_for_a_tiny_light_workload_only(book: PriceBook) -> None:
    def t_allowed(dataset_gb: float, peak_reads: float, peak_writes: float) -> bool:
        w = _w(dataset_gb=dataset_gb, peak_reads_per_sec=peak_reads, peak_writes_per_sec=peak_writes,
               availability="none")
        return "cache.t4g.medium" not in _reasons(search(w, book, "valkey"))

    assert t_allowed(1.0, 1500, 500)  # at most 1 GB and 2,000 peak ops/s (reads + writes) together
    assert not t_allowed(1.01, 1500, 500)
    assert not t_allowed(1.0, 1500, 501)
    assert not t_allowed(1.0, 1501, 500)


def test_unoffered_families_and_pinned_ranges_say_why(book: PriceBook) -> None:
    result = search(_w(region="mx-central-1"), book, "valkey")
    assert _reasons(result)["cache.r6gd.*"] == "not offered in mx-central-1: no valkey price published there"
    pinned = search(_w(client_cluster_aware=False, constraints={"shards": 2}), book, "valkey")
    assert pinned.ranked == [] and pinned.evaluated == 0 and pinned.feasible_topologies == 0
    assert _reasons(pinned)["*"] == ("the required shard/replica counts (2 shards, any number of replicas per "
                                     "shard) are outside what valkey allows for this workload (cluster mode, "
                                     "client, availability)")


def test_why_nothing_fits_words(book: PriceBook) -> None:
    # 20 million writes/s on one shard (the client is not cluster-aware): no node applies them all.
    ops = search(_w(client_cluster_aware=False, peak_writes_per_sec=20_000_000, avg_writes_per_sec=1), book,
                 "valkey")
    assert ops.best is None
    assert ("*", "peak operations/s exceed what the largest allowed cluster can serve") in [
        (e.node_type, e.reason) for e in ops.exclusions]
    # 100,000 writes/s of 1 MB = 100 GB/s on one shard, far above any node's baseline network.
    net = search(_w(client_cluster_aware=False, avg_writes_per_sec=100_000, avg_write_bytes=1_000_000), book,
                 "valkey")
    assert ("*", "peak bandwidth exceeds the largest allowed cluster's baseline network") in [
        (e.node_type, e.reason) for e in net.exclusions]
    # 10 million connections: even 6 nodes per shard serve 65,000 x 6 = 390,000.
    conns = search(_w(max_connections=10_000_000, read_from_replicas=True), book, "valkey")
    assert ("*", "more than 65,000 client connections per node even with reads spread over replicas") in [
        (e.node_type, e.reason) for e in conns.exclusions]
    # Largest DRAM node (no tiering at 100% hot): cache.r5.24xlarge 635.61 GiB x 0.75 x 500 shards x 0.9
    # = 214,518.4 GiB.
    memory = search(_w(dataset_gb=900_000, hot_set_percent=100), book, "valkey")
    assert ("*", "the dataset needs more than the largest allowed cluster holds (214,518 GiB usable)") in [
        (e.node_type, e.reason) for e in memory.exclusions]


def test_candidate_prices_and_utilisation_by_hand(book: PriceBook) -> None:
    # One r7g.large shard with one replica: 2 nodes. Peak 2,000 reads/s (two readers) and 1,000 writes/s of
    # 1,000 bytes; reads of 1,000-byte values with 50-byte keys.
    w = _w(dataset_gb=5, avg_reads_per_sec=2000, avg_writes_per_sec=1000, avg_value_bytes=1000, avg_key_bytes=50,
           avg_write_bytes=1000, peak_reads_per_sec=2000, peak_writes_per_sec=1000, read_from_replicas=True,
           availability="multi_az", constraints={"node_type": R7G_LARGE, "shards": 1, "replicas_per_shard": 1})
    result = search(w, book, "valkey")
    best = result.best
    assert best is not None and (best.shards, best.replicas_per_shard) == (1, 1)
    assert float(best.on_demand_monthly) == pytest.approx(2 * 0.1752 * 730)  # 255.792
    # reserved.csv: 3-year All Upfront, effective $0.07884/h (2,071.9152 / 26,280 h), the cheapest option.
    assert best.best_reserved_label == "3-year All Upfront" and not best.best_reserved_is_estimate
    assert float(best.best_reserved_monthly) == pytest.approx(2 * 0.07884 * 730)
    assert not best.cluster_mode_enabled and best.family == "r7g" and not best.data_tiering
    # Each node: all 1,000 writes + 2,000 / 2 reads = 2,000 ops/s of 100,000 x 0.7 = 70,000.
    assert best.throughput_utilisation == pytest.approx(2000 / 70_000)
    # Primary: reads 2,000 x 1,050 B / 2 + writes 1,000 x 1,000 B x 2 (itself + its replica) = 3.05 MB/s of
    # 0.937e9 / 8 x 0.8 = 93.7 MB/s.
    assert best.network_utilisation == pytest.approx(3_050_000 / 93_700_000)
    assert best.memory_utilisation == pytest.approx(5e9 / 2**30 / (13.07 * 0.75))
    assert result.required_capacity_gib == pytest.approx(5e9 / 2**30)
    # One topology (1 shard x 1 replica count) x (on-demand + 2 terms x 3 payment options).
    assert result.evaluated == 7 and result.feasible_topologies == 1


def test_estimated_reservation_and_cluster_mode_flags(book: PriceBook) -> None:
    # mx-central-1 publishes no reservations: the best is 3-year All Upfront estimated from the typical 55%
    # discount, 0.13272 x 0.45 = $0.059724/h.
    w = _w(region="mx-central-1", constraints={"node_type": "cache.m7g.large", "shards": 2, "replicas_per_shard": 1})
    best = search(w, book, "valkey").best
    assert best is not None and best.cluster_mode_enabled  # two shards need cluster mode
    assert best.best_reserved_is_estimate and best.best_reserved_label == "3-year All Upfront (estimate)"
    assert float(best.best_reserved_monthly) == pytest.approx(4 * 0.059724 * 730)
    one_shard = search(_w(constraints={"node_type": R7G_LARGE, "shards": 1, "cluster_mode": True}), book, "valkey")
    assert one_shard.best is not None and one_shard.best.cluster_mode_enabled  # asked for, on one shard


def test_top_limits_the_rows(book: PriceBook) -> None:
    w = _w(dataset_gb=10)
    assert len(search(w, book, "valkey", top=3).ranked) == 3
    assert len(search(w, book, "valkey", top=1).ranked) == 1


def test_the_node_quota_counts_every_node(book: PriceBook) -> None:
    # r7g.large holds 13.07 x 0.75 x 0.9 = 8.822 GiB per shard (with the slot-skew margin). 2,800 GB = 2,607.7
    # GiB needs ceil(2,607.7 / 8.822) = 296 shards: 296 nodes fit the 500-node quota, but with one replica each
    # that is 592 nodes, over it.
    def best(replicas: int) -> Any:
        w = _w(dataset_gb=2800, availability="none" if replicas == 0 else "multi_az",
               constraints={"node_type": R7G_LARGE, "replicas_per_shard": replicas})
        return search(w, book, "valkey").best

    alone = best(0)
    assert alone is not None and alone.shards == 296 and alone.node_count == 296
    assert best(1) is None


def test_an_empty_search_still_says_what_was_needed(book: PriceBook) -> None:
    # 1 GB = 1e9 / 2^30 GiB, reported even when nothing could be searched.
    pinned = search(_w(client_cluster_aware=False, constraints={"shards": 2}), book, "valkey")
    assert pinned.ranked == [] and pinned.required_capacity_gib == pytest.approx(1e9 / 2**30)
    nothing = search(_w(constraints={"node_family": "r6gd", "data_tiering": False}), book, "valkey")
    assert nothing.ranked == [] and nothing.evaluated == 0
    assert nothing.required_capacity_gib == pytest.approx(1e9 / 2**30)


def test_t2_counts_as_a_previous_generation(book: PriceBook) -> None:
    # node_types.csv lists cache.t2.* as "current", but AWS sells no new T2 clusters or reservations: the search
    # excludes them by family, even for a dev/test workload that may use burstable nodes.
    dev = _reasons(search(_w(traffic_shape="dev_test", availability="none"), book, "valkey"))
    assert dev["cache.t2.medium"] == "previous generation (no new clusters or reservations)"
    assert dev["cache.t1.micro"] == "previous generation (no new clusters or reservations)"
    assert "cache.t4g.medium" not in dev
