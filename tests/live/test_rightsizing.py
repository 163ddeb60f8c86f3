"""Right-sizing rules on hand-written metric values; savings from the bundled prices times 730 hours."""

from __future__ import annotations

from decimal import Decimal

import pytest

from advisor.findings import Severity
from advisor.live.models import Fleet, FleetRow, NodeRef, ReservedNodes
from advisor.live.rightsizing import CONFIG_RULES, METRIC_RULES, reserved_coverage, rightsizing_findings
from advisor.money import HOURS_PER_MONTH
from advisor.pricing import PriceBook
from tests.live.metric_frames import metric_set

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
