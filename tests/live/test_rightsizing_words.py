"""Right-sizing findings read as written, and each rule's thresholds hold on both sides.

The wording invariant is the one every decision-rule finding obeys (tests/core/finding_text.py), applied here to
every finding the right-sizing rules can produce, from hand-made metric values that reach each rule's branches.
A live title starts with the cluster id as AWS spells it (lower case), so the title's first-letter check is
replaced by "the cluster id, a colon, then the words"; everything else is checked as for any finding.

Figures are worked by hand from the bundled us-east-1 on-demand prices (Redis OSS: r5.large $0.216/h, r6g.large
$0.206/h, r6g.xlarge $0.411/h, r7g.large $0.219/h; Valkey r6g.large $0.1648/h) and node memory
(pricing_data/node_types.csv: r5.large, r6g.large 13.07 GiB; r6g.xlarge 26.32 GiB; t2.micro 0.555 GiB; t3.micro,
t4g.micro 0.50 GiB), times 730 hours a month.
"""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from advisor.findings import Finding, Severity
from advisor.live.models import Fleet, FleetRow, ReservedNodes
from advisor.live.rightsizing import config_findings, reserved_coverage, rightsizing_findings
from advisor.pricing import PriceBook
from tests.core.finding_text import finding_problems
from tests.live.metric_frames import merged, metric_set
from tests.live.test_rightsizing import P, R, _row, _target_metrics

PRIMARY, REPLICA = "c1-0001-001/0001", "c1-0001-002/0001"

# Every finding id the right-sizing module can produce (reserved coverage adds the node type and engine).
LIVE_FINDING_IDS = frozenset({
    "live.valkey_savings", "live.old_generation", "live.no_replica", "live.no_tls", "live.memory_pressure",
    "live.memory_overprovisioned", "live.cpu_overprovisioned", "live.evictions", "live.swap", "live.hot_shard",
    "live.bandwidth_exceeded", "live.replication_lag", "live.cpu_credits", "live.rightsize_target",
    "live.reserved_coverage.r6g_large_redis",
})


def _primaries(shards: int, **metrics: list[float]) -> dict:
    return {(f"c1-{s:04d}-001/0001", P, metric): values for s in range(1, shards + 1)
            for metric, values in metrics.items()}


def _scenarios(book: PriceBook) -> dict[str, tuple[FleetRow | None, list[Finding]]]:
    """Named inputs that between them reach every right-sizing finding (and both severities where there are two)."""
    bare = _row("cache.r5.large", replicas=0).model_copy(update={"transit_encryption": False})
    busy = _row("cache.r5.large", shards=3)
    busy_series = _primaries(3, DatabaseMemoryUsagePercentage=[95], Evictions=[500], SwapUsage=[1e9],
                             NetworkBandwidthInAllowanceExceeded=[1], CPUCreditBalance=[3])
    busy_series.update({("c1-0001-001/0001", P, "EngineCPUUtilization"): [90],
                        ("c1-0002-001/0001", P, "EngineCPUUtilization"): [10],
                        ("c1-0003-001/0001", P, "EngineCPUUtilization"): [10],
                        (REPLICA, R, "ReplicationLag"): [5.0]})
    warm = metric_set({(PRIMARY, P, "DatabaseMemoryUsagePercentage"): [85], (PRIMARY, P, "Evictions"): [5]},
                      period=300)
    roomy = metric_set({(PRIMARY, P, "DatabaseMemoryUsagePercentage"): [20], (PRIMARY, P, "CPUUtilization"): [10]})
    idle = metric_set(_primaries(2, EngineCPUUtilization=[5.0], DatabaseMemoryUsagePercentage=[10.0]))
    oversized = metric_set(_target_metrics(3, [5.0], [15.0] * 99 + [35.0]))
    fleet = Fleet(region="us-east-1", rows=(_row(shards=1, replicas=2),))
    return {
        "bare": (bare, config_findings(bare, book)),
        "busy": (busy, rightsizing_findings(busy, metric_set(busy_series), book)),
        "warm": (_row(), rightsizing_findings(_row(), warm, book)),
        "roomy": (_row("cache.r6g.xlarge"), rightsizing_findings(_row("cache.r6g.xlarge"), roomy, book)),
        "idle": (_row(shards=2), rightsizing_findings(_row(shards=2), idle, book)),
        "oversized": (_row("cache.r6g.xlarge", shards=3),
                      rightsizing_findings(_row("cache.r6g.xlarge", shards=3), oversized, book)),
        "reserved": (None, reserved_coverage(fleet, [ReservedNodes(node_type="cache.r6g.large", engine="redis",
                                                                   count=1)], book)),
    }


def _live_problems(row: FleetRow | None, finding: Finding) -> list[str]:
    problems = finding_problems(finding)
    if row is not None:  # a cluster's finding: "<cluster id>: <words>"
        prefix = f"{row.id}: "
        unchanged_id = f"{finding.id} title: does not start with a capital letter: {finding.title!r}"
        problems = [p for p in problems if p != unchanged_id]
        if not finding.title.startswith(prefix) or not finding.title[len(prefix):].strip():
            problems.append(f"{finding.id} title: not '{prefix}' then words: {finding.title!r}")
    return problems


def test_every_rightsizing_finding_reads_as_written(book: PriceBook) -> None:
    problems = [p for row, found in _scenarios(book).values() for f in found for p in _live_problems(row, f)]
    assert not problems, "\n".join(problems)


def test_the_scenarios_reach_every_finding_and_both_severities(book: PriceBook) -> None:
    found = [f for _, fs in _scenarios(book).values() for f in fs]
    assert {f.id for f in found} == LIVE_FINDING_IDS
    severities = {(f.id, f.severity) for f in found}
    for two_level in ("live.memory_pressure", "live.evictions"):
        assert {(two_level, Severity.ADVICE), (two_level, Severity.WARNING)} <= severities


def _found(row: FleetRow, series: dict, book: PriceBook, period: int = 3600) -> dict[str, Finding]:
    return {f.id: f for f in rightsizing_findings(row, metric_set(series, period=period), book)}


# Configuration rules ---------------------------------------------------------------------------------------


def test_valkey_savings_words_and_figures(book: PriceBook) -> None:
    finding = {f.id: f for f in config_findings(_row(), book)}["live.valkey_savings"]
    assert finding.severity == Severity.ADVICE
    assert finding.title == "c1: Valkey runs the same nodes for less"
    assert finding.decision == ("Upgrade c1 from Redis OSS 7.1 to Valkey on cache.r6g.large (an in-place engine "
                                "upgrade).")
    assert finding.rationale == ("The bundled us-east-1 price for cache.r6g.large is $0.1648/h on Valkey against "
                                 "$0.206/h on Redis OSS, for 2 nodes.")
    assert finding.evidence == {"redis_usd_per_hour": "0.206", "valkey_usd_per_hour": "0.1648", "nodes": "2"}
    assert finding.monthly_saving_usd == 60.15  # 2 nodes x ($0.206 - $0.1648) x 730 = $60.152
    serverless = _row().model_copy(update={"kind": "serverless"})
    assert "live.valkey_savings" not in {f.id for f in config_findings(serverless, book)}
    # What if Valkey cost the same as Redis OSS here (a test-only price, never shown): no saving, no advice.
    same = copy.copy(book)
    key = ("us-east-1", "valkey", "cache.r6g.large")
    same.on_demand = {**book.on_demand, key: book.on_demand[key].model_copy(update={"usd_per_hour": Decimal("0.206")})}
    assert "live.valkey_savings" not in {f.id for f in config_findings(_row(), same)}


def test_old_generation_words_and_the_95_percent_memory_bound(book: PriceBook) -> None:
    finding = {f.id: f for f in config_findings(_row("cache.r5.large"), book)}["live.old_generation"]
    assert finding.title == "c1: cache.r5.large is an older x86 node"
    assert finding.decision == "Move c1 to cache.r6g.large (Graviton) of the same size."
    assert finding.rationale == ("The r5 family is x86, listed as current generation; cache.r6g.large has 13.07 GiB "
                                 "against 13.07 GiB and costs $0.206/h against $0.216/h in us-east-1.")
    assert finding.evidence == {"current": "cache.r5.large", "suggested": "cache.r6g.large",
                                "current_usd_per_hour": "0.216", "suggested_usd_per_hour": "0.206"}
    assert finding.monthly_saving_usd == 14.6  # 2 x ($0.216 - $0.206) x 730
    # t3.micro (0.50 GiB) -> t4g.micro (0.50 GiB): same memory, moved. t2.micro (0.555 GiB) -> t4g.micro would
    # lose memory: 0.50 < 0.95 x 0.555 = 0.527 GiB, so no move is offered.
    t3 = {f.id: f for f in config_findings(_row("cache.t3.micro"), book)}
    assert t3["live.old_generation"].evidence["suggested"] == "cache.t4g.micro"
    assert "live.old_generation" not in {f.id for f in config_findings(_row("cache.t2.micro"), book)}
    # Graviton already: nothing to move to.
    assert "live.old_generation" not in {f.id for f in config_findings(_row("cache.r6g.large"), book)}


def test_no_replica_and_no_tls_words_and_exemptions(book: PriceBook) -> None:
    bare = _row(replicas=0).model_copy(update={"transit_encryption": False})
    found = {f.id: f for f in config_findings(bare, book)}
    assert found["live.no_replica"].severity == Severity.WARNING
    assert found["live.no_replica"].decision == (
        "Add at least one replica per shard to c1 in another AZ and enable Multi-AZ.")
    assert found["live.no_tls"].decision == "Enable in-transit encryption (TLS) on c1."
    assert found["live.no_tls"].evidence == {"transit_encryption": "false"}
    # Memcached has no replicas to add; Serverless manages both for you.
    memcached = bare.model_copy(update={"engine": "memcached"})
    assert "live.no_replica" not in {f.id for f in config_findings(memcached, book)}
    serverless = bare.model_copy(update={"kind": "serverless"})
    assert not {"live.no_replica", "live.no_tls"} & {f.id for f in config_findings(serverless, book)}


# Metric rules: both sides of each threshold ------------------------------------------------------------------


def test_memory_pressure_at_80_and_90_percent(book: PriceBook) -> None:
    # Warn at 80% (inclusive), critical at 90% (inclusive).
    assert "live.memory_pressure" not in _found(_row(), {(PRIMARY, P, "DatabaseMemoryUsagePercentage"): [79.9]}, book)
    at_warn = _found(_row(), {(PRIMARY, P, "DatabaseMemoryUsagePercentage"): [80.0]}, book)["live.memory_pressure"]
    assert at_warn.severity == Severity.ADVICE
    below = _found(_row(), {(PRIMARY, P, "DatabaseMemoryUsagePercentage"): [89.9]}, book)["live.memory_pressure"]
    assert below.severity == Severity.ADVICE
    # 21 readings 70, 71, ..., 90: max 90; p95 at position 0.95 x 20 = 19 -> 89.0.
    critical = _found(_row(), {(PRIMARY, P, "DatabaseMemoryUsagePercentage"): list(range(70, 91))}, book)[
        "live.memory_pressure"]
    assert critical.severity == Severity.WARNING
    assert critical.title == "c1: memory use reached 90% of maxmemory"
    assert critical.decision == ("Scale up the node type or add shards before evictions or out-of-memory errors "
                                 "start.")
    assert critical.rationale == ("DatabaseMemoryUsagePercentage peaked at 90.0% (warn 80%, critical 90%); "
                                  "p95 89.0%.")
    assert critical.evidence == {"max_pct": "90.0", "p95_pct": "89.0"}


def test_memory_overprovisioned_headroom_and_cpu_bounds(book: PriceBook) -> None:
    xlarge = _row("cache.r6g.xlarge")
    # 24.8% of 26.32 GiB = 6.527 GiB; x2 = 13.05 GiB <= r6g.large's 13.07 GiB: step down.
    fits = _found(xlarge, {(PRIMARY, P, "DatabaseMemoryUsagePercentage"): [24.8],
                           (PRIMARY, P, "CPUUtilization"): [50.0]}, book)["live.memory_overprovisioned"]
    assert fits.title == "c1: cache.r6g.xlarge has far more memory than the data needs"
    assert fits.decision == "Scale c1 down to cache.r6g.large."
    assert fits.rationale == ("Peak use was 24.8% of 26.32 GiB = 6.53 GiB per node; cache.r6g.large (13.07 GiB) "
                              "still leaves the 2x headroom AWS suggests for growth, fragmentation and the 25% "
                              "reserve.")
    assert fits.evidence == {"peak_memory_pct": "24.8", "peak_gib_per_node": "6.53", "suggested": "cache.r6g.large",
                             "cpu_p95_pct": "50.0"}  # host CPU p95 exactly 50% still leaves room
    assert fits.monthly_saving_usd == 299.3  # 2 nodes x ($0.411 - $0.206) x 730
    no_cpu = _found(xlarge, {(PRIMARY, P, "DatabaseMemoryUsagePercentage"): [24.8]}, book)
    assert no_cpu["live.memory_overprovisioned"].evidence["cpu_p95_pct"] == "n/a"
    # 24.9% -> 6.554 GiB; x2 = 13.11 GiB > 13.07 GiB: keep the xlarge.
    assert "live.memory_overprovisioned" not in _found(
        xlarge, {(PRIMARY, P, "DatabaseMemoryUsagePercentage"): [24.9]}, book)
    # Host CPU p95 above 50%: fewer vCPUs would not do.
    assert "live.memory_overprovisioned" not in _found(
        xlarge, {(PRIMARY, P, "DatabaseMemoryUsagePercentage"): [10.0], (PRIMARY, P, "CPUUtilization"): [50.1]},
        book)
    # r6g.large is the smallest r6g: nothing smaller to suggest.
    assert "live.memory_overprovisioned" not in _found(
        _row("cache.r6g.large"), {(PRIMARY, P, "DatabaseMemoryUsagePercentage"): [1.0]}, book)


def test_cpu_overprovisioned_idle_bound_and_cpu_share(book: PriceBook) -> None:
    two = _row(shards=2)
    # Two r6g.large primaries at 10%: 2 x 0.10 x 13.07 = 2.614 GiB, x2 = 5.23 GiB: one shard holds it. Engine CPU
    # p99 19.9% is idle (under 20%); one shard takes both shares: ceil(2 x 19.9 / 40) = 1.
    idle = _found(two, _primaries(2, EngineCPUUtilization=[19.9], DatabaseMemoryUsagePercentage=[10.0]), book)[
        "live.cpu_overprovisioned"]
    assert idle.title == "c1: 2 shards where 1 would do"
    assert idle.decision == "Reshard c1 to 1 shard (online scale-in)."
    assert idle.rationale == ("EngineCPUUtilization p99 was at most 19.9% on every primary (under the 20% idle "
                              "level) and the data (2.61 GiB at peak) fits 1 shard of cache.r6g.large with 2x "
                              "headroom.")
    assert idle.evidence == {"busiest_primary_engine_cpu_p99": "19.9", "peak_data_gib": "2.61", "shards": "2",
                             "suggested_shards": "1"}
    assert idle.monthly_saving_usd == 300.76  # 1 shard x 2 nodes x $0.206 x 730
    # On Valkey (r6g.large $0.1648/h) the saving has a third decimal: 2 x $0.1648 x 730 = $240.608 -> $240.61.
    valkey = _found(_row(shards=2, engine="valkey", version="8.0"),
                    _primaries(2, EngineCPUUtilization=[19.9], DatabaseMemoryUsagePercentage=[10.0]), book)
    assert valkey["live.cpu_overprovisioned"].monthly_saving_usd == 240.61
    # 20% is not idle.
    assert "live.cpu_overprovisioned" not in _found(
        two, _primaries(2, EngineCPUUtilization=[20.0], DatabaseMemoryUsagePercentage=[10.0]), book)
    # At 30% each: 2 x 0.30 x 13.07 = 7.84 GiB, x2 = 15.68 GiB > 13.07: both shards are needed for memory.
    assert "live.cpu_overprovisioned" not in _found(
        two, _primaries(2, EngineCPUUtilization=[5.0], DatabaseMemoryUsagePercentage=[30.0]), book)
    # Four primaries at 10.5%: one shard would hold the data, but the load of four on fewer shards must stay under
    # twice the idle level: ceil(4 x 10.5 / 40) = ceil(1.05) = 2 shards.
    four = _found(_row(shards=4), _primaries(4, EngineCPUUtilization=[10.5], DatabaseMemoryUsagePercentage=[5.0]),
                  book)["live.cpu_overprovisioned"]
    assert four.evidence["suggested_shards"] == "2"
    assert four.monthly_saving_usd == 601.52  # 2 shards x 2 nodes x $0.206 x 730
    # One shard: nothing to take away.
    assert "live.cpu_overprovisioned" not in _found(
        _row(), _primaries(1, EngineCPUUtilization=[1.0], DatabaseMemoryUsagePercentage=[1.0]), book)


def test_evictions_scale_to_five_minutes_and_sum_over_nodes(book: PriceBook) -> None:
    # 1-minute periods: 30 in one minute is 150 per 5 minutes, past the 100 alarm.
    fast = _found(_row(), {(PRIMARY, P, "Evictions"): [0, 30]}, book, period=60)["live.evictions"]
    assert fast.severity == Severity.WARNING
    assert fast.evidence == {"evictions_total": "30", "peak_per_5min": "150"}
    assert fast.rationale == ("Evictions peaked at about 150 per 5 minutes (AWS starting alarm: 100); sustained "
                              "evictions mean the dataset outgrew the cache.")
    # Hourly periods: 1,500 in an hour is 125 per 5 minutes.
    hourly = _found(_row(), {(PRIMARY, P, "Evictions"): [1500]}, book)["live.evictions"]
    assert hourly.title == "c1: 1,500 keys evicted in the window"
    assert (hourly.severity, hourly.evidence["peak_per_5min"]) == (Severity.WARNING, "125")
    # 1,000 in an hour is 83 per 5 minutes: advice.
    assert _found(_row(), {(PRIMARY, P, "Evictions"): [1000]}, book)["live.evictions"].severity == Severity.ADVICE
    # Two nodes at 60 in the same 5 minutes: 120 for the cluster, past the alarm although each node is under it.
    both = _found(_row(shards=2), {("c1-0001-001/0001", P, "Evictions"): [60],
                                   ("c1-0002-001/0001", P, "Evictions"): [60]}, book, period=300)["live.evictions"]
    assert (both.severity, both.evidence["peak_per_5min"]) == (Severity.WARNING, "120")
    assert "live.evictions" not in _found(_row(), {(PRIMARY, P, "Evictions"): [0, 0]}, book)
    # Another cluster in the same fetch evicting 500 in the same 5 minutes does not count for c1 (5: advice).
    fetch = merged(metric_set({(PRIMARY, P, "Evictions"): [5]}, period=300),
                   metric_set({("c2-0001-001/0001", P, "Evictions"): [500]}, period=300, cluster="c2"))
    mine = {f.id: f for f in rightsizing_findings(_row(), fetch, book)}["live.evictions"]
    assert (mine.severity, mine.evidence) == (Severity.ADVICE, {"evictions_total": "5", "peak_per_5min": "5"})


def test_swap_limit_is_50_mib(book: PriceBook) -> None:
    limit = 50 * 2**20  # 52,428,800 bytes
    assert "live.swap" not in _found(_row(), {(PRIMARY, P, "SwapUsage"): [limit]}, book)
    swap = _found(_row(), {(PRIMARY, P, "SwapUsage"): [limit + 1]}, book)["live.swap"]
    assert swap.title == "c1: the node is swapping"
    assert swap.evidence == {"swap_max_bytes": "52428801"}
    assert swap.decision == ("Add memory (larger node or more shards); check reserved-memory-percent is at its 25% "
                             "default.")


def test_hot_shard_ratio_and_busy_bounds(book: PriceBook) -> None:
    def hot(*p95: list[float]) -> Finding | None:
        series = {(f"c1-{s:04d}-001/0001", P, "EngineCPUUtilization"): v for s, v in enumerate(p95, start=1)}
        return _found(_row(shards=len(p95)), series, book).get("live.hot_shard")

    # Exactly twice the others' median (30 against 15) is hot; 30 against 15.1 is not.
    assert hot([30.0], [15.0]) is not None and hot([30.0], [15.1]) is None
    # Four times the other but under 20%: not busy enough to matter.
    assert hot([19.9], [5.0]) is None
    # The baseline is the median of the others (10, 12, 35 -> 12), not their mean (19): 30 >= 2 x 12.
    median = hot([30.0], [10.0], [12.0], [35.0])
    assert median is not None and median.evidence["others_median_p95_pct"] == "12.0"
    # p95, not max: 0, 5, ..., 100 (21 readings) has p95 at position 19: 95.0.
    spread = hot([float(v) for v in range(0, 101, 5)], [0.0])
    assert spread is not None and spread.evidence == {"hot_primary": "c1-0001-001/0001", "hot_p95_pct": "95.0",
                                                      "others_median_p95_pct": "0.0"}
    assert spread.rationale == ("Primary c1-0001-001/0001 runs EngineCPUUtilization p95 95.0% against a median of "
                                "0.0% on the other primaries; adding shards will not help a single hot key.")
    assert hot([90.0]) is None  # one primary: nothing to compare


def test_bandwidth_counts_either_direction(book: PriceBook) -> None:
    assert "live.bandwidth_exceeded" not in _found(_row(), {(PRIMARY, P, "NetworkBandwidthInAllowanceExceeded"): [0],
                                                            (PRIMARY, P, "NetworkBandwidthOutAllowanceExceeded"): [0]},
                                                   book)
    inbound = _found(_row(), {(PRIMARY, P, "NetworkBandwidthInAllowanceExceeded"): [1000, 234]}, book)[
        "live.bandwidth_exceeded"]
    assert inbound.evidence == {"in_exceeded": "1234", "out_exceeded": "0"}
    assert inbound.rationale == ("NetworkBandwidthIn/OutAllowanceExceeded counted 1,234 inbound and 0 outbound "
                                 "shaped packets: the node ran past its baseline bandwidth.")
    assert inbound.title == "c1: packets shaped by the node's network allowance"


def test_replication_lag_p95_past_one_second(book: PriceBook) -> None:
    # 21 replica readings 0.0, 0.1, ..., 2.0 s: p95 at position 19 = 1.90 s, max 2.00 s.
    lag = _found(_row(), {(REPLICA, R, "ReplicationLag"): [v / 10 for v in range(21)]}, book)["live.replication_lag"]
    assert lag.evidence == {"lag_p95_s": "1.90", "lag_max_s": "2.00"}
    assert lag.rationale == ("ReplicationLag p95 1.90 s, max 2.00 s (starting alarm 1 s sustained); a failover now "
                             "would lose more writes.")
    assert lag.title == "c1: replicas fall behind"
    assert "live.replication_lag" in _found(_row(), {(REPLICA, R, "ReplicationLag"): [1.01]}, book)


def test_cpu_credits_at_ten(book: PriceBook) -> None:
    t3 = _row("cache.t3.micro")
    low = _found(t3, {(PRIMARY, P, "CPUCreditBalance"): [50.0, 10.0]}, book)["live.cpu_credits"]
    assert low.title == "c1: burstable node out of CPU credits"
    assert low.rationale == ("CPUCreditBalance dropped to 10.0; when credits run out, performance drops to the "
                             "baseline (10-20% per vCPU).")
    assert low.evidence == {"credit_balance_min": "10.0"}
    assert "live.cpu_credits" not in _found(t3, {(PRIMARY, P, "CPUCreditBalance"): [50.0, 10.1]}, book)


@pytest.mark.parametrize("metric", ["DatabaseMemoryUsagePercentage", "SwapUsage", "CPUCreditBalance",
                                    "ReplicationLag", "Evictions"])
def test_no_metrics_no_metric_findings(book: PriceBook, metric: str) -> None:
    # Without a metric fetch only the configuration rules speak (here: Valkey would save on a Redis OSS r6g).
    assert {f.id for f in rightsizing_findings(_row(), None, book)} == {"live.valkey_savings"}
    # An empty series for one metric is no reading, not a zero.
    assert {f.id for f in rightsizing_findings(_row(), metric_set({(PRIMARY, P, metric): []}), book)} == {
        "live.valkey_savings"}


def test_reserved_coverage_decision_for_one_node(book: PriceBook) -> None:
    # One on-demand r6g.large (published reservation) and none reserved: the decision speaks of one node, "it".
    fleet = Fleet(region="us-east-1", rows=(_row(replicas=0),))
    [finding] = reserved_coverage(fleet, [], book)
    assert finding.decision == "Buy 1 reserved cache.r6g.large node (1-year No Upfront) if it will run for a year."
