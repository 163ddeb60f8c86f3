"""Mutants that survived the suite (issue 12 §4), each pinned by a behaviour with an expectation worked out
by hand from AWS's rules and the bundled CSV rows, never read back from the code under test."""

from __future__ import annotations

from typing import Any

import pytest
from markdown_it import MarkdownIt

from advisor.choices import choose_engine
from advisor.live.cloudwatch import BURSTABLE_METRICS, NODE_METRICS
from advisor.live.redis_connection import RedisTarget
from advisor.optimizer import search
from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.recommendation import Topology
from advisor.report.markdown import md
from advisor.workload import parse_workload

R7G_LARGE = "cache.r7g.large"  # node_types.csv: 13.07 GiB, 0.937 Gbps baseline
# on_demand.csv, us-east-1: Valkey 0.1752 $/h, Redis OSS 0.219 $/h.


def _pinned(**extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"dataset_gb": 1, "avg_reads_per_sec": 100, "avg_writes_per_sec": 10,
                            "availability": "multi_az"}
    return {**base, **extra}


def _r7g_large(result: Any) -> Any:
    return next(c for c in result.ranked if c.node_type == R7G_LARGE)


def test_node_count_counts_every_primary_and_replica() -> None:
    # 3 shards, each 1 primary + 2 replicas = 9 nodes (shards x replicas alone would say 6).
    topo = Topology(engine="valkey", node_type=R7G_LARGE, shards=3, replicas_per_shard=2, cluster_mode_enabled=True,
                    data_tiering=False, multi_az=True, automatic_failover=True)
    assert topo.node_count == 9
    assert Topology(engine="valkey", node_type=R7G_LARGE, shards=1, replicas_per_shard=0, cluster_mode_enabled=False,
                    data_tiering=False, multi_az=False, automatic_failover=False).node_count == 1


def test_network_fit_counts_the_replication_of_writes(book: PriceBook) -> None:
    # 20,000 writes/s x 2,000 bytes = 40 MB/s of writes. A primary sends each write on to its 2 replicas, so a
    # one-shard cluster moves 40 x 3 = 120 MB/s, above r7g.large's baseline at 80%: 0.937e9 / 8 x 0.8 =
    # 93.7 MB/s. Two shards: 60 MB/s each, which fits. (Without the replication traffic one shard would do.)
    w = parse_workload(_pinned(avg_writes_per_sec=10_000, peak_writes_per_sec=20_000, avg_write_bytes=2_000,
                               avg_reads_per_sec=0, constraints={"node_type": R7G_LARGE, "replicas_per_shard": 2}))
    best = _r7g_large(search(w, book, "valkey", top=100))
    assert (best.shards, best.replicas_per_shard) == (2, 2)


def test_slot_skew_headroom_is_part_of_the_memory_fit(book: PriceBook) -> None:
    # 18.5 GiB on r7g.large (13.07 x 0.75 = 9.8025 GiB usable): two shards hold 19.605 GiB raw, but only
    # 19.605 x 0.9 = 17.64 GiB with 10% kept for slot skew, so three shards are needed.
    # The utilisation shown is against what the shards hold after that margin: 18.5 / (3 x 9.8025 x 0.9).
    w = parse_workload(_pinned(dataset_gb=18.5 * 2**30 / 1e9))
    best = _r7g_large(search(w, book, "valkey", top=100))
    assert best.shards == 3
    assert best.memory_utilisation == pytest.approx(18.5 / (3 * 13.07 * 0.75 * 0.9))


def test_data_tiering_only_at_20_percent_hot_or_less(book: PriceBook) -> None:
    def r6gd_excluded(hot: float) -> bool:
        w = parse_workload(_pinned(dataset_gb=500, hot_set_percent=hot))
        return any(e.node_type.startswith("cache.r6gd") and "hot" in e.reason
                   for e in search(w, book, "valkey", top=100).exclusions)

    assert not r6gd_excluded(20.0)  # AWS: data tiering suits workloads that regularly touch up to 20% of data
    assert r6gd_excluded(20.5)
    assert r6gd_excluded(30.0)


def test_memcached_is_never_chosen_when_hashes_are_needed() -> None:
    simple = parse_workload({"dataset_gb": 5, "features": ["simple_get_set", "multithreaded_simple_cache"],
                             "availability": "none", "snapshot_retention_days": 0, "auth": "none"})
    assert choose_engine(simple).engine == "memcached"  # the control: the same cache without hashes
    with_hashes = simple.with_changes(features=["simple_get_set", "multithreaded_simple_cache", "hashes"])
    choice = choose_engine(with_hashes)
    assert choice.engine != "memcached"
    assert any("hashes" in blocker for blocker in choice.memcached_blockers)


def test_valkey_saving_is_over_every_node(book: PriceBook) -> None:
    # 2 shards x (1 primary + 1 replica) = 4 nodes; (0.219 - 0.1752) $/h x 730 h x 4 = $127.896 a month.
    w = parse_workload(_pinned(constraints={"node_type": R7G_LARGE, "shards": 2, "replicas_per_shard": 1}))
    finding = next(f for f in recommend(w, book).findings if f.id == "engine.choice")
    assert finding.evidence["Valkey saves"] == "$127.90/month"
    assert "4 x cache.r7g.large Valkey" in finding.evidence


def test_cloudwatch_statistics_match_what_each_metric_means() -> None:
    # Evictions is a count per period: its Sum is the number evicted (Average would divide it by the samples).
    assert NODE_METRICS["Evictions"] == "Sum"
    # CPUCreditBalance: the Minimum shows whether the credits ever ran out in a period.
    assert BURSTABLE_METRICS["CPUCreditBalance"] == "Minimum"


def test_the_redis_password_is_not_in_repr() -> None:
    target = RedisTarget(host="cache.example", username="app", password="pw-Canary-1234")
    assert "pw-Canary-1234" not in repr(target) and "pw-Canary-1234" not in str(target)


def test_markdown_names_fold_newlines_so_they_cannot_start_blocks() -> None:
    html = MarkdownIt("commonmark").render("Workload " + md("evil\n# heading\n\n- item\n> quote\n    code"))
    assert html.count("<p>") == 1
    assert not any(tag in html for tag in ("<h1>", "<li>", "<blockquote>", "<pre>"))


def test_throughput_sizing_uses_the_planning_figure_per_node_size(book: PriceBook) -> None:
    # README assumption: 150,000 simple ops/s for an xlarge at 70% = 105,000 ops/s per node. 250,000 reads/s on
    # primaries only (no replicas) needs ceil(250,000 / 105,000) = 3 shards of r7g.xlarge. (Memcached's
    # per-vCPU figure, 4 x 50,000 x 0.7 = 140,000, would make it 2.)
    w = parse_workload(_pinned(avg_reads_per_sec=125_000, peak_reads_per_sec=250_000, avg_writes_per_sec=0,
                               availability="none", read_from_replicas=False,
                               constraints={"node_type": "cache.r7g.xlarge", "replicas_per_shard": 0}))
    best = next(c for c in search(w, book, "valkey", top=100).ranked if c.node_type == "cache.r7g.xlarge")
    assert best.shards == 3
