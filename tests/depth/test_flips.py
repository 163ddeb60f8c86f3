"""Flip thresholds found by bisection with the optimizer, checked against thresholds worked out by hand."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from advisor.depth.flips import what_changes_the_answer
from advisor.pricing.book import PriceBook
from advisor.recommend import recommend
from advisor.workload import load_workload, parse_workload
from tests.ui.by_hand import HOURS_PER_MONTH, on_demand_hourly

SECONDS_PER_MONTH = 730 * 3600


def _flip(analysis, key: str, direction: str):  # type: ignore[no-untyped-def]
    return next(f for f in analysis.flips if f.input == key and f.direction == direction)


def test_serverless_crossover_on_a_small_steady_cache(book: PriceBook) -> None:
    workload = parse_workload({
        "name": "small steady", "dataset_gb": 1, "avg_reads_per_sec": 20_000, "avg_writes_per_sec": 0,
        "avg_read_bytes": 100, "features": ["hashes"], "traffic_shape": "steady",
    })
    rec = recommend(workload, book)
    assert rec.deployment == "provisioned"
    assert rec.topology is not None and rec.topology.node_type == "cache.m6g.large" and rec.topology.node_count == 2
    analysis = what_changes_the_answer(rec, book)
    flip = _flip(analysis, "avg_reads_per_sec", "down")
    # Provisioned: 2 x m6g.large Valkey. Serverless: 1 GB x $0.084 x 730 h + reads x 1 ECPU x 2,628,000 s
    # / 1e6 x $0.0023. Equal where reads = (2 x 0.1192 x 730 - 61.32) / 6.0444e-3.
    provisioned = 2 * float(on_demand_hourly("us-east-1", "valkey", "cache.m6g.large")) * 730
    storage = 1 * 0.084 * 730
    per_read = SECONDS_PER_MONTH / 1e6 * 0.0023
    expected = (provisioned - storage) / per_read
    assert flip.threshold == pytest.approx(expected, rel=0.02)
    assert flip.changes == ("deployment",)
    assert flip.after == "Serverless"
    assert flip.sentence.startswith("When average reads/s falls below ") and "Serverless instead of" in flip.sentence
    deployment = next(d for d in analysis.decisions if d.decision == "deployment")
    assert deployment.nearest is not None and deployment.nearest.input in ("avg_reads_per_sec", "avg_requests_per_sec")


def test_leaderboard_needs_more_shards_where_one_primary_runs_out(book: PriceBook) -> None:
    rec = recommend(load_workload("examples/leaderboard.yaml"), book)
    assert rec.topology is not None and (rec.topology.shards, rec.topology.node_type) == (1, "cache.r8g.2xlarge")
    analysis = what_changes_the_answer(rec, book)
    # A 2xlarge node serves 200,000 ops/s at 100% (assumption), planned at 70% = 140,000. Each node applies
    # every write (peak 2 x 15,000 = 30,000) plus half the reads (2 readers): 30,000 + 2 x R / 2 <= 140,000
    # =>  R <= 110,000 average reads/s; beyond it one primary is not enough.
    reads = _flip(analysis, "avg_reads_per_sec", "up")
    assert reads.threshold == pytest.approx(110_000, rel=0.02)
    assert "shard count" in reads.changes and not reads.after.startswith("1 shard ")
    today = 2 * on_demand_hourly("us-east-1", "valkey", "cache.r8g.2xlarge") * HOURS_PER_MONTH
    assert reads.monthly_after is not None
    assert reads.monthly_delta == pytest.approx(reads.monthly_after - today, abs=Decimal("0.01"))
    # Writes: 2 x W + 2 x 60,000 / 2 <= 140,000  =>  W <= 40,000 average writes/s.
    writes = _flip(analysis, "avg_writes_per_sec", "up")
    assert writes.threshold == pytest.approx(40_000, rel=0.02)
    assert "shard count" in writes.changes


def test_tornado_rows_cover_every_searched_input(book: PriceBook) -> None:
    rec = recommend(load_workload("examples/leaderboard.yaml"), book)
    analysis = what_changes_the_answer(rec, book)
    rows = {label: (down, up) for label, down, up in analysis.tornado()}
    assert rows["Average reads/s"][1] == pytest.approx(110_000 / 60_000 * 100 - 100, rel=0.05)
    assert all(down is None or down < 0 for down, _ in rows.values())
    assert all(up is None or up > 0 for _, up in rows.values())
    assert analysis.decisions[0].decision == "engine" and analysis.decisions[0].nearest is None


@pytest.mark.parametrize("path", sorted(Path("examples").glob("*.yaml")), ids=lambda p: p.stem)
def test_capped_probe_gives_the_full_searchs_answer(book: PriceBook, path: Path) -> None:
    """The probes enumerate fewer shard counts; the cost bound must send them back to a full search whenever a
    design beyond the cap could win (here: up to 10x the data or traffic, far past the cap on some examples)."""
    from advisor.depth.flips import AXES, decide

    workload = load_workload(path)
    engine = recommend(workload, book).engine
    for axis in AXES[:3]:
        for factor in (0.3, 3.0, 10.0):
            moved = axis.apply(workload, axis.current(workload) * factor)
            assert decide(moved, book, engine, shard_limit=4) == decide(moved, book, engine), (axis.key, factor)


def test_memcached_flips_speak_of_nodes_not_shards_or_replicas(book: PriceBook) -> None:
    """Issue 13: Memcached has independent nodes; its decision depth must not talk of shards or replicas."""
    rec = recommend(load_workload("examples/memcached_page_cache.yaml"), book)
    assert rec.engine == "memcached" and rec.topology is not None
    analysis = what_changes_the_answer(rec, book)
    assert analysis.design.describe() == f"{rec.topology.shards} nodes of {rec.topology.node_type}"
    assert [s.decision for s in analysis.decisions] == ["engine", "deployment", "node type", "node count"]
    words = " ".join([f.before + " " + f.after + " " + " ".join(f.changes) for f in analysis.flips])
    assert analysis.flips and "shard" not in words and "replica" not in words
