"""Right-sizing rules on hand-written metric values; savings from the bundled prices times 730 hours."""

from __future__ import annotations

from decimal import Decimal

import pytest

from advisor import docs
from advisor.findings import Severity
from advisor.live.models import Fleet, FleetRow, NodeRef, ReservedNodes
from advisor.live.rightsizing import (
    CONFIG_RULES,
    METRIC_RULES,
    SizingContext,
    config_findings,
    consistent_target,
    reserved_coverage,
    rightsizing_findings,
    top_finding,
)
from advisor.money import HOURS_PER_MONTH
from advisor.pricing import PriceBook
from tests.live.metric_frames import merged, metric_set

P, R = "primary", "replica"


def _row(node_type: str = "cache.r6g.large", shards: int = 1, replicas: int = 1, engine: str = "redis",
         region: str = "us-east-1", version: str = "7.1") -> FleetRow:
    nodes = []
    for s in range(1, shards + 1):
        nodes.append(NodeRef(cache_cluster_id=f"c1-{s:04d}-001", role="primary", shard=f"{s:04d}"))
        nodes += [NodeRef(cache_cluster_id=f"c1-{s:04d}-{r + 2:03d}", role="replica", shard=f"{s:04d}")
                  for r in range(replicas)]
    return FleetRow(id="c1", kind="replication_group", region=region, engine=engine, engine_version=version,
                    node_type=node_type, shards=shards, replicas_per_shard=replicas, node_count=len(nodes),
                    transit_encryption=True, nodes=tuple(nodes))


def _ids(findings: list) -> set[str]:
    return {f.id for f in findings}


def _hourly(book: PriceBook, node_type: str, engine: str = "redis") -> Decimal:
    price = book.node_price("us-east-1", engine, node_type)  # type: ignore[arg-type]
    assert price is not None
    return price.usd_per_hour


def test_memory_overprovisioned_suggests_next_size_down(book: PriceBook) -> None:
    row = _row("cache.r6g.xlarge")
    # 20% of 26.32 GiB = 5.26 GiB; x2 headroom = 10.53 GiB <= r6g.large's 13.07 GiB.
    metrics = metric_set({("c1-0001-001/0001", P, "DatabaseMemoryUsagePercentage"): [15, 20, 18],
                          ("c1-0001-001/0001", P, "CPUUtilization"): [10, 12, 11]})
    found = {f.id: f for f in rightsizing_findings(row, metrics, book)}
    finding = found["live.memory_overprovisioned"]
    assert finding.evidence["suggested"] == "cache.r6g.large"
    expected = (_hourly(book, "cache.r6g.xlarge") - _hourly(book, "cache.r6g.large")) * HOURS_PER_MONTH * 2
    assert finding.monthly_saving_usd == pytest.approx(float(expected), abs=0.01)


def test_memory_not_overprovisioned_when_headroom_would_be_lost(book: PriceBook) -> None:
    # 30% of 26.32 = 7.9 GiB, x2 = 15.8 GiB > 13.07 GiB: keep the xlarge.
    metrics = metric_set({("c1-0001-001/0001", P, "DatabaseMemoryUsagePercentage"): [30]})
    assert "live.memory_overprovisioned" not in _ids(rightsizing_findings(_row("cache.r6g.xlarge"), metrics, book))


@pytest.mark.parametrize(("peak", "severity"), [(85, Severity.ADVICE), (92, Severity.WARNING)])
def test_memory_pressure_levels(book: PriceBook, peak: float, severity: Severity) -> None:
    metrics = metric_set({("c1-0001-001/0001", P, "DatabaseMemoryUsagePercentage"): [50, peak]})
    found = {f.id: f for f in rightsizing_findings(_row(), metrics, book)}
    assert found["live.memory_pressure"].severity == severity
    assert "live.memory_pressure" not in _ids(rightsizing_findings(
        _row(), metric_set({("c1-0001-001/0001", P, "DatabaseMemoryUsagePercentage"): [79.9]}), book))


def test_evictions_sustained(book: PriceBook) -> None:
    metrics = metric_set({("c1-0001-001/0001", P, "Evictions"): [0, 50, 150]}, period=300)
    finding = {f.id: f for f in rightsizing_findings(_row(), metrics, book)}["live.evictions"]
    assert finding.severity == Severity.WARNING and finding.evidence == {"evictions_total": "200",
                                                                         "peak_per_5min": "150"}
    few = metric_set({("c1-0001-001/0001", P, "Evictions"): [0, 5]}, period=300)
    assert {f.id: f for f in rightsizing_findings(_row(), few, book)}["live.evictions"].severity == Severity.ADVICE


def test_swap_over_50_mib(book: PriceBook) -> None:
    assert "live.swap" in _ids(rightsizing_findings(
        _row(), metric_set({("c1-0001-001/0001", P, "SwapUsage"): [60 * 2**20]}), book))
    assert "live.swap" not in _ids(rightsizing_findings(
        _row(), metric_set({("c1-0001-001/0001", P, "SwapUsage"): [10 * 2**20]}), book))


def test_hot_shard(book: PriceBook) -> None:
    row = _row(shards=3)
    hot = metric_set({("c1-0001-001/0001", P, "EngineCPUUtilization"): [60, 60],
                      ("c1-0002-001/0001", P, "EngineCPUUtilization"): [20, 20],
                      ("c1-0003-001/0001", P, "EngineCPUUtilization"): [22, 22],
                      ("c1-0001-002/0001", R, "EngineCPUUtilization"): [99, 99]})  # replicas are not shards
    finding = {f.id: f for f in rightsizing_findings(row, hot, book)}["live.hot_shard"]
    assert finding.evidence["hot_primary"] == "c1-0001-001/0001"
    assert finding.evidence["others_median_p95_pct"] == "21.0"
    even = metric_set({("c1-0001-001/0001", P, "EngineCPUUtilization"): [30],
                       ("c1-0002-001/0001", P, "EngineCPUUtilization"): [28],
                       ("c1-0003-001/0001", P, "EngineCPUUtilization"): [25]})
    assert "live.hot_shard" not in _ids(rightsizing_findings(row, even, book))


def test_bandwidth_lag_and_credits(book: PriceBook) -> None:
    metrics = metric_set({("c1-0001-001/0001", P, "NetworkBandwidthOutAllowanceExceeded"): [0, 3],
                          ("c1-0001-002/0001", R, "ReplicationLag"): [2.0, 2.0, 2.0]})
    assert {"live.bandwidth_exceeded", "live.replication_lag"} <= _ids(rightsizing_findings(_row(), metrics, book))
    credits = metric_set({("c1-0001-001/0001", P, "CPUCreditBalance"): [100, 3]})
    assert "live.cpu_credits" in _ids(rightsizing_findings(_row("cache.t3.micro"), credits, book))


def test_cpu_overprovisioned_removes_shards(book: PriceBook) -> None:
    row = _row(shards=4, replicas=1)
    series = {}
    for s in range(1, 5):
        series[(f"c1-{s:04d}-001/0001", P, "EngineCPUUtilization")] = [5.0]
        series[(f"c1-{s:04d}-001/0001", P, "DatabaseMemoryUsagePercentage")] = [10.0]
    finding = {f.id: f for f in rightsizing_findings(row, metric_set(series), book)}["live.cpu_overprovisioned"]
    # Data: 4 x 10% x 13.07 GiB = 5.23 GiB; x2 = 10.46 GiB fits one shard; CPU 4 x 5% = 20% < 40%: 1 shard.
    assert finding.evidence["suggested_shards"] == "1"
    expected = _hourly(book, "cache.r6g.large") * HOURS_PER_MONTH * 6  # 3 shards x (primary + replica)
    assert finding.monthly_saving_usd == pytest.approx(float(expected), abs=0.01)


def test_old_generation_suggests_cheapest_graviton(book: PriceBook) -> None:
    found = {f.id: f for f in rightsizing_findings(_row("cache.r5.large"), None, book)}
    finding = found["live.old_generation"]
    r7g, r6g = _hourly(book, "cache.r7g.large"), _hourly(book, "cache.r6g.large")
    cheapest = "cache.r6g.large" if r6g <= r7g else "cache.r7g.large"
    assert finding.evidence["suggested"] == cheapest
    saving = (_hourly(book, "cache.r5.large") - min(r6g, r7g)) * HOURS_PER_MONTH * 2
    assert finding.monthly_saving_usd == pytest.approx(float(saving), abs=0.01)


def test_valkey_savings(book: PriceBook) -> None:
    finding = {f.id: f for f in rightsizing_findings(_row(), None, book)}["live.valkey_savings"]
    expected = (_hourly(book, "cache.r6g.large") - _hourly(book, "cache.r6g.large", "valkey")) * HOURS_PER_MONTH * 2
    assert finding.monthly_saving_usd == pytest.approx(float(expected), abs=0.01)
    assert "live.valkey_savings" not in _ids(rightsizing_findings(_row(engine="valkey"), None, book))


def test_reserved_coverage(book: PriceBook) -> None:
    fleet = Fleet(region="us-east-1", rows=(_row(shards=1, replicas=2),))  # 3 r6g.large redis nodes
    findings = reserved_coverage(fleet, [ReservedNodes(node_type="cache.r6g.large", engine="redis", count=1)], book)
    assert len(findings) == 1
    option = book.reserved_option("us-east-1", "redis", "cache.r6g.large", 1, "No Upfront")
    assert option is not None
    expected = (_hourly(book, "cache.r6g.large") - option.effective_usd_per_hour) * HOURS_PER_MONTH * 2
    assert findings[0].monthly_saving_usd == pytest.approx(float(expected), abs=0.01)
    covered = [ReservedNodes(node_type="cache.r6g.large", engine="redis", count=3)]
    assert reserved_coverage(fleet, covered, book) == []


def test_every_rule_has_unique_ids_and_https_docs(book: PriceBook) -> None:
    assert len({r.__name__ for r in CONFIG_RULES + METRIC_RULES}) == len(CONFIG_RULES + METRIC_RULES)
    row = _row("cache.r5.large", shards=3)
    series = {(f"c1-{s:04d}-001/0001", P, m): v for s in range(1, 4) for m, v in (
        ("DatabaseMemoryUsagePercentage", [95]), ("Evictions", [500]), ("SwapUsage", [1e9]),
        ("EngineCPUUtilization", [90 if s == 1 else 10]), ("NetworkBandwidthInAllowanceExceeded", [1]))}
    series[("c1-0001-002/0001", R, "ReplicationLag")] = [5.0]
    findings = rightsizing_findings(row, metric_set(series), book)
    assert len({f.id for f in findings}) == len(findings) >= 7
    assert all(link.startswith("https://") for f in findings for link in f.docs)
    assert findings[0].severity == Severity.WARNING  # most urgent first


def test_fewer_shards_and_smaller_node_become_one_consistent_target(book: PriceBook) -> None:
    # 3 shards of r6g.xlarge (26.32 GiB), each primary at 15% at peak (3.948 GiB): 11.844 GiB in total, idle CPU.
    row = _row("cache.r6g.xlarge", shards=3, replicas=1)
    series = {}
    for s in range(1, 4):
        series[(f"c1-{s:04d}-001/0001", P, "EngineCPUUtilization")] = [5.0]
        series[(f"c1-{s:04d}-001/0001", P, "DatabaseMemoryUsagePercentage")] = [15.0]
    found = {f.id: f for f in rightsizing_findings(row, metric_set(series), book)}
    # Alone, "1 shard" and "r6g.large" would each be right; together they put 11.84 GiB on one 13.07 GiB node.
    assert "live.cpu_overprovisioned" not in found and "live.memory_overprovisioned" not in found
    target = found["live.rightsize_target"]
    # 11.844 x 2 headroom = 23.69 GiB: 2 shards of r6g.large (2 x 13.07 = 26.14) or 1 of r6g.xlarge (26.32).
    # CPU: 3 shards x 5% = 15% of one primary, under 40%: 1 shard would do for CPU.
    large, xlarge = _hourly(book, "cache.r6g.large"), _hourly(book, "cache.r6g.xlarge")
    cheapest = min(2 * 2 * large, 1 * 2 * xlarge)
    expected_saving = (3 * 2 * xlarge - cheapest) * HOURS_PER_MONTH
    assert target.monthly_saving_usd == pytest.approx(float(expected_saving), abs=0.01)
    shards, node = int(target.evidence["suggested_shards"]), target.evidence["suggested"]
    node_gib = {"cache.r6g.large": 13.07, "cache.r6g.xlarge": 26.32}[node]
    assert shards * node_gib >= 11.844 * 2  # the target really holds the data with 2x headroom
    assert "reshard" in target.decision


# Exact figures for the consistent target, the reservation coverage and the fleet's headline finding. Prices are
# the bundled us-east-1 on-demand Redis OSS rates: r6g.large $0.206/h, r6g.xlarge $0.411/h, m6g.large $0.149/h.


def _target_metrics(shards: int, memory_pct: list[float], cpu: list[float]) -> dict:
    """Primaries at `memory_pct` peak and `cpu` engine CPU; replicas hold the same data and run hot on reads
    (they are neither shards nor extra data, so the target must ignore them)."""
    series = {}
    for s in range(1, shards + 1):
        series[(f"c1-{s:04d}-001/0001", P, "EngineCPUUtilization")] = cpu
        series[(f"c1-{s:04d}-001/0001", P, "DatabaseMemoryUsagePercentage")] = memory_pct
        series[(f"c1-{s:04d}-002/0001", R, "EngineCPUUtilization")] = [90.0]
        series[(f"c1-{s:04d}-002/0001", R, "DatabaseMemoryUsagePercentage")] = memory_pct
    return series


def test_consistent_target_fewer_shards_same_node(book: PriceBook) -> None:
    # 3 x r6g.xlarge primaries at 15%: 3 x 0.15 x 26.32 = 11.844 GiB; x2 = 23.688 GiB. r6g.large needs
    # ceil(23.688 / 13.07) = 2 shards: 2 x 2 nodes x $0.206 = $0.824/h; r6g.xlarge needs 1: 1 x 2 x $0.411 = $0.822/h.
    row = _row("cache.r6g.xlarge", shards=3, replicas=1)
    target = {f.id: f for f in rightsizing_findings(row, metric_set(_target_metrics(3, [15.0], [5.0])), book)}[
        "live.rightsize_target"]
    assert target.title == "c1: 1 x cache.r6g.xlarge would hold this data for less"
    assert target.decision == ("Target 1 shard of cache.r6g.xlarge: reshard c1 from 3 to 1 shard (online "
                               "scale-in).")
    assert target.evidence == {"peak_data_gib": "11.84", "busiest_primary_engine_cpu_p99": "5.0", "shards": "3",
                               "node_type": "cache.r6g.xlarge", "suggested_shards": "1",
                               "suggested": "cache.r6g.xlarge", "per_shard_gib": "11.84"}
    assert target.rationale.endswith(
        "needs at least 1 shard. This one target replaces separate 'fewer shards' and 'smaller node' advice, "
        "which together could overload a node.")
    # Today 3 x 2 x $0.411 = $2.466/h; saving ($2.466 - $0.822) x 730 = $1,200.12 a month.
    assert target.monthly_saving_usd == 1200.12


def test_consistent_target_held_up_by_cpu(book: PriceBook) -> None:
    # Primaries at 5%: 3 x 0.05 x 26.32 = 3.948 GiB (x2 = 7.9 GiB: one r6g.large would hold it). Engine CPU p99
    # on each primary: 99 readings of 15% and one of 35% -> 15 + 0.01 x (35 - 15) = 15.2%; the same load on
    # fewer shards: ceil(3 x 15.2 / 40) = 2 shards. 2 x r6g.large ($0.824/h) beats 2 x r6g.xlarge ($1.644/h);
    # a cheaper family (m6g.large, $0.149/h) is not offered: the target stays in the cluster's family.
    row = _row("cache.r6g.xlarge", shards=3, replicas=1)
    metrics = metric_set(_target_metrics(3, [5.0], [15.0] * 99 + [35.0]))
    target = {f.id: f for f in rightsizing_findings(row, metrics, book)}["live.rightsize_target"]
    assert target.decision == ("Target 2 shards of cache.r6g.large: reshard c1 from 3 to 2 shards (online "
                               "scale-in); then change the node type to cache.r6g.large (online vertical scaling).")
    assert target.evidence["busiest_primary_engine_cpu_p99"] == "15.2"
    assert target.evidence["per_shard_gib"] == "1.97"  # 3.948 / 2
    assert "needs at least 2 shards" in target.rationale
    # ($2.466 - $0.824) x 730 = $1,198.66.
    assert target.monthly_saving_usd == 1198.66


def test_consistent_target_smaller_node_same_shards(book: PriceBook) -> None:
    # Primaries at 24%: 3 x 0.24 x 26.32 = 18.9504 GiB; x2 = 37.90 GiB: r6g.large needs ceil(2.8998) = 3 shards
    # ($1.236/h), r6g.xlarge 2 ($1.644/h). Same shard count, smaller node: one step, no "then".
    row = _row("cache.r6g.xlarge", shards=3, replicas=1)
    target = {f.id: f for f in rightsizing_findings(row, metric_set(_target_metrics(3, [24.0], [5.0])), book)}[
        "live.rightsize_target"]
    assert target.decision == ("Target 3 shards of cache.r6g.large: change the node type to cache.r6g.large "
                               "(online vertical scaling).")
    assert target.evidence["per_shard_gib"] == "6.32"  # 18.9504 / 3
    assert target.monthly_saving_usd == 897.9  # ($2.466 - $1.236) x 730


def test_consistent_target_needs_a_priced_node_memory_and_cpu_and_a_saving(book: PriceBook) -> None:
    only_memory = metric_set({("c1-0001-001/0001", P, "DatabaseMemoryUsagePercentage"): [5.0],
                              ("c1-0002-001/0001", P, "DatabaseMemoryUsagePercentage"): [5.0]})
    assert consistent_target(SizingContext(_row("cache.r6g.xlarge", shards=2), book, only_memory)) is None
    both = metric_set(_target_metrics(2, [5.0], [5.0]))
    assert consistent_target(SizingContext(_row("cache.x9.unknown", shards=2), book, both)) is None
    # One shard of the family's smallest node already: nothing cheaper exists.
    one = metric_set(_target_metrics(1, [5.0], [5.0]))
    assert consistent_target(SizingContext(_row("cache.r6g.large", shards=1), book, one)) is None


def test_reserved_coverage_by_type_and_engine(book: PriceBook) -> None:
    rows = (
        _row(shards=1, replicas=2).model_copy(update={"id": "a"}),  # 3 r6g.large redis
        _row(shards=1, replicas=1).model_copy(update={"id": "b"}),  # 2 more: 5 in all
        _row(engine="valkey", shards=1, replicas=1).model_copy(update={"id": "c", "node_type": "cache.m6g.large"}),
        _row(shards=1, replicas=1).model_copy(update={"id": "d", "node_type": "cache.m6g.large"}),  # fully reserved
        _row(shards=1, replicas=0).model_copy(update={"id": "e", "node_type": "cache.t4g.micro"}),
        _row(shards=1, replicas=0).model_copy(update={"id": "f", "node_type": "cache.b9.unpriced"}),
        _row(shards=1, replicas=1).model_copy(update={"id": "g", "node_type": None}),  # type unknown: skipped
        _row(engine="valkey").model_copy(update={"id": "h", "kind": "serverless", "node_type": "cache.r7g.large"}),
    )
    reserved = [ReservedNodes(node_type="cache.r6g.large", engine="redis", count=1),
                ReservedNodes(node_type="cache.m6g.large", engine="valkey", count=1),
                ReservedNodes(node_type="cache.m6g.large", engine="redis", count=2)]
    findings = reserved_coverage(Fleet(region="us-east-1", rows=rows), reserved, book)
    assert [f.id for f in findings] == ["live.reserved_coverage.m6g_large_valkey",
                                        "live.reserved_coverage.r6g_large_redis",
                                        "live.reserved_coverage.t4g_micro_redis"]
    valkey, redis, micro = findings
    assert valkey.monthly_saving_usd == 27.45  # 1 node x ($0.1192 - $0.0816) x 730 = $27.448
    assert micro.title == "1 on-demand Redis OSS cache.t4g.micro node has no reservation"
    assert micro.rationale.startswith("1 cache.t4g.micro node runs and 0 are reserved; ")
    assert (micro.evidence["running"], micro.evidence["reserved"]) == ("1", "0")
    option = book.reserved_option("us-east-1", "redis", "cache.r6g.large", 1, "No Upfront")
    assert option is not None and len(option.source) > 160
    assert redis.title == "4 on-demand Redis OSS cache.r6g.large nodes have no reservation"
    assert redis.decision == "Buy 4 reserved cache.r6g.large nodes (1-year No Upfront) if they will run for a year."
    assert redis.rationale == (
        "5 cache.r6g.large nodes run and 1 is reserved; on-demand $0.206/h against $0.1410/h reserved. "
        "Exact type match only: size-flexible reservations in the same family are not counted.")
    assert redis.evidence == {"running": "5", "reserved": "1", "reserved_basis": "published",
                              "reserved_source": option.source[:160]}
    assert redis.docs == [docs.RESERVED_NODES, docs.PRICING]
    assert redis.monthly_saving_usd == 189.8  # 4 x ($0.206 - $0.141) x 730


def test_fleet_headline_is_the_most_urgent_then_the_biggest_saving(book: PriceBook) -> None:
    bare = _row("cache.r5.large", replicas=0).model_copy(update={"transit_encryption": False})
    assert top_finding(config_findings(bare, book)) == "c1: no replica, no automatic failover"  # a warning first
    # Replicated, encrypted r5.large pair: Valkey saves 2 x ($0.216 - $0.1728) x 730 = $63.07; Graviton
    # (r6g.large $0.206 < r7g.large $0.219) saves 2 x ($0.216 - $0.206) x 730 = $14.60.
    found = config_findings(_row("cache.r5.large"), book)
    assert {f.id for f in found} == {"live.valkey_savings", "live.old_generation"}
    assert top_finding(found) == "c1: Valkey runs the same nodes for less (saves $63.07/month)"
    assert top_finding([]) is None
    assert top_finding([f for f in found if f.id == "live.old_generation"]) == (
        "c1: cache.r5.large is an older x86 node (saves $14.60/month)")


def test_memory_overprovisioned_steps_down_one_size(book: PriceBook) -> None:
    # r6g.2xlarge (52.82 GiB) at 10%: 5.28 GiB, x2 = 10.56 GiB. Both r6g.xlarge and r6g.large would hold it;
    # the rule suggests the next size down (one step at a time), r6g.xlarge.
    metrics = metric_set({("c1-0001-001/0001", P, "DatabaseMemoryUsagePercentage"): [10.0]})
    found = {f.id: f for f in rightsizing_findings(_row("cache.r6g.2xlarge"), metrics, book)}
    assert found["live.memory_overprovisioned"].evidence["suggested"] == "cache.r6g.xlarge"


def test_unpriced_node_type_gets_no_priced_advice(book: PriceBook) -> None:
    # A node type the price tables do not have: no Valkey saving, no Graviton move, no crash.
    assert rightsizing_findings(_row("cache.x9.unknown"), None, book) == []


def test_consistent_target_for_valkey_to_the_cent(book: PriceBook) -> None:
    # As the CPU-bound case above on Valkey (r6g.large $0.1648/h, r6g.xlarge $0.3288/h): no Valkey advice, so the
    # two sizing findings are the only ones and give way to one target. Today 3 x 2 x $0.3288 = $1.9728/h,
    # target 2 x 2 x $0.1648 = $0.6592/h: $1.3136/h x 730 = $958.928 a month, $958.93 to the cent.
    row = _row("cache.r6g.xlarge", shards=3, replicas=1, engine="valkey", version="8.0")
    metrics = metric_set(_target_metrics(3, [5.0], [15.0] * 99 + [35.0]))
    [target] = rightsizing_findings(row, metrics, book)
    assert target.id == "live.rightsize_target" and target.evidence["suggested"] == "cache.r6g.large"
    assert target.monthly_saving_usd == 958.93
    assert target.docs == [docs.SHARDS, docs.NODE_TYPES]


def test_rules_read_only_this_cluster_and_the_right_roles(book: PriceBook) -> None:
    # Another cluster in the same fetch is full, swapping and has one hot primary; c1 is quiet.
    other = metric_set({("c2-0001-001/0001", P, "DatabaseMemoryUsagePercentage"): [97.0],
                        ("c2-0001-001/0001", P, "SwapUsage"): [1e9],
                        ("c2-0001-001/0001", P, "EngineCPUUtilization"): [90.0],
                        ("c2-0002-001/0001", P, "EngineCPUUtilization"): [5.0]}, cluster="c2")
    mine = metric_set({("c1-0001-001/0001", P, "DatabaseMemoryUsagePercentage"): [50.0],
                       ("c1-0001-001/0001", P, "EngineCPUUtilization"): [30.0],
                       # a primary reports no lag; 100 zeros would drown the replica's 1.5 s in a p95 over both
                       ("c1-0001-001/0001", P, "ReplicationLag"): [0.0] * 100,
                       ("c1-0001-002/0001", R, "ReplicationLag"): [1.5] * 3})
    ids = _ids(rightsizing_findings(_row(), merged(mine, other), book))
    assert "live.memory_pressure" not in ids and "live.swap" not in ids and "live.hot_shard" not in ids
    assert "live.replication_lag" in ids  # replicas' p95 1.5 s > 1 s


def test_rule_words_evidence_and_bounds(book: PriceBook) -> None:
    """What each metric rule says, its evidence, and the edge of each threshold (facts 7: starting alarms)."""
    # Bandwidth: 3 shaped packets out.
    shaped = metric_set({("c1-0001-001/0001", P, "NetworkBandwidthOutAllowanceExceeded"): [0, 3]})
    bandwidth = {f.id: f for f in rightsizing_findings(_row(), shaped, book)}["live.bandwidth_exceeded"]
    assert bandwidth.evidence == {"in_exceeded": "0", "out_exceeded": "3"}
    assert bandwidth.docs == [docs.MONITORING, docs.NODE_TYPES]
    # CPU credits on a burstable node.
    credits = metric_set({("c1-0001-001/0001", P, "CPUCreditBalance"): [100, 3]})
    credit = {f.id: f for f in rightsizing_findings(_row("cache.t3.micro"), credits, book)}["live.cpu_credits"]
    assert credit.decision == ("Move c1 off cache.t3.micro to an m- or r-family node: T nodes run in standard credit "
                               "mode and fall back to baseline CPU.")
    # Replication lag: p95 exactly 1 s is the alarm level, not past it; 2 s is.
    at_limit = metric_set({("c1-0001-002/0001", R, "ReplicationLag"): [1.0, 1.0, 1.0]})
    assert "live.replication_lag" not in _ids(rightsizing_findings(_row(), at_limit, book))
    lagging = metric_set({("c1-0001-002/0001", R, "ReplicationLag"): [2.0, 2.0, 2.0]})
    lag = {f.id: f for f in rightsizing_findings(_row(), lagging, book)}["live.replication_lag"]
    assert lag.evidence == {"lag_p95_s": "2.00", "lag_max_s": "2.00"}
    assert lag.rationale.endswith("(starting alarm 1 s sustained); a failover now would lose more writes.")


def test_hot_shard_bounds_and_advice(book: PriceBook) -> None:
    # Two primaries are enough to compare; 20% p95 is busy enough (the bound is inclusive), at 4x the other.
    two = metric_set({("c1-0001-001/0001", P, "EngineCPUUtilization"): [20.0],
                      ("c1-0002-001/0001", P, "EngineCPUUtilization"): [5.0]})
    hot = {f.id: f for f in rightsizing_findings(_row(shards=2), two, book)}["live.hot_shard"]
    assert hot.evidence == {"hot_primary": "c1-0001-001/0001", "hot_p95_pct": "20.0", "others_median_p95_pct": "5.0"}
    assert hot.decision.startswith("Find the hot keys on that shard (redis-cli --hotkeys, key prefixes)")


def test_two_idle_shards_become_one(book: PriceBook) -> None:
    # 2 x r6g.large primaries at 10%: 2 x 0.10 x 13.07 = 2.614 GiB; x2 = 5.23 GiB fits one shard; CPU idle.
    series = {}
    for s in (1, 2):
        series[(f"c1-{s:04d}-001/0001", P, "EngineCPUUtilization")] = [5.0]
        series[(f"c1-{s:04d}-001/0001", P, "DatabaseMemoryUsagePercentage")] = [10.0]
    finding = {f.id: f for f in rightsizing_findings(_row(shards=2), metric_set(series), book)}[
        "live.cpu_overprovisioned"]
    assert finding.evidence["peak_data_gib"] == "2.61" and finding.evidence["suggested_shards"] == "1"


def test_configuration_findings_say_what_they_saw(book: PriceBook) -> None:
    bare = _row(replicas=0).model_copy(update={"transit_encryption": False})
    found = {f.id: f for f in config_findings(bare, book)}
    assert found["live.no_replica"].evidence == {"replicas per shard": "0", "Multi-AZ": "no"}
    assert found["live.no_tls"].rationale == (
        "Without TLS, keys, values and AUTH credentials cross the network in clear text.")


def test_eviction_swap_and_memory_words_at_their_limits(book: PriceBook) -> None:
    # AWS's starting alarm is more than 100 evictions per 5 minutes: exactly 100 is advice, not a warning.
    at_alarm = metric_set({("c1-0001-001/0001", P, "Evictions"): [100]}, period=300)
    assert {f.id: f for f in rightsizing_findings(_row(), at_alarm, book)}["live.evictions"].severity == (
        Severity.ADVICE)
    swapping = metric_set({("c1-0001-001/0001", P, "SwapUsage"): [60 * 2**20]})
    swap = {f.id: f for f in rightsizing_findings(_row(), swapping, book)}["live.swap"]
    assert swap.rationale.startswith("SwapUsage reached 60 MiB (starting limit 50 MiB)")
    warm = metric_set({("c1-0001-001/0001", P, "DatabaseMemoryUsagePercentage"): [85]})
    pressure = {f.id: f for f in rightsizing_findings(_row(), warm, book)}["live.memory_pressure"]
    assert pressure.decision == "Plan more memory: usage is above the 80% warning level."
