"""N-1 and maintenance headroom on designs built so the verdict can be worked out by hand."""

from __future__ import annotations

import dataclasses

from advisor.depth.headroom import headroom
from advisor.pricing.book import PriceBook
from advisor.recommend import Topology, recommend
from advisor.workload import parse_workload
from tests.ui.by_hand import HOURS_PER_MONTH, on_demand_hourly


def _design(book: PriceBook, replicas: int, **fields):  # type: ignore[no-untyped-def]
    workload = parse_workload({"name": "reads", "dataset_gb": 1, "avg_reads_per_sec": 75_000,
                               "avg_writes_per_sec": 0, "avg_read_bytes": 100, "features": ["hashes"],
                               "snapshot_retention_days": 0, **fields})
    rec = recommend(workload, book)
    topology = Topology("valkey", "cache.r6g.large", 1, replicas, False, False, True, True)
    return dataclasses.replace(rec, deployment="provisioned", topology=topology)


def test_design_that_fits_only_with_every_node_fails_n_minus_1(book: PriceBook) -> None:
    # Peak reads 150,000/s over 2 readers = 75,000 per node: 75% of a large node's 100,000 ops/s.
    # One node lost: 150,000 on the survivor = 150% -> does not fit. Two replicas: 150,000 / 2 = 75% -> fits.
    check = next(c for c in headroom(_design(book, 1), book).checks if c.id == "headroom.node_lost")
    assert not check.fits
    assert check.evidence["engine CPU at peak, one node down"] == "150%"
    assert check.remedy == "1 shard x 3 nodes of cache.r6g.large"
    assert check.remedy_monthly == 3 * on_demand_hourly("us-east-1", "valkey", "cache.r6g.large") * HOURS_PER_MONTH


def test_same_load_with_two_replicas_survives_a_lost_node(book: PriceBook) -> None:
    check = next(c for c in headroom(_design(book, 2), book).checks if c.id == "headroom.node_lost")
    assert check.fits
    assert check.evidence["engine CPU at peak, one node down"] == "75%"


def test_no_replica_means_lost_data_and_the_fix_is_one_replica(book: PriceBook) -> None:
    check = next(c for c in headroom(_design(book, 0, availability="none"), book).checks)
    assert not check.fits and "loses its shard's data" in check.explanation
    assert check.remedy is not None and check.remedy.startswith("1 shard x 2 nodes")


def test_memcached_node_loss_reports_the_extra_database_reads(book: PriceBook) -> None:
    workload = parse_workload({"name": "mc", "dataset_gb": 10, "avg_reads_per_sec": 40_000,
                               "avg_writes_per_sec": 1_000, "features": ["simple_get_set",
                                                                         "multithreaded_simple_cache"],
                               "availability": "none", "auth": "none", "snapshot_retention_days": 0})
    rec = recommend(workload, book)
    assert rec.engine == "memcached" and rec.topology is not None
    check = headroom(rec, book).checks[0]
    nodes = rec.topology.shards
    # Peak reads 80,000/s; each node holds 1/N of the keys, so up to 80,000 / N reads/s go to the database.
    assert check.evidence["extra database reads/s until refilled (at most)"] == f"{80_000 / nodes:,.0f}"
