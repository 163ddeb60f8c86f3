"""The seeded example fleet, reviewed end to end through moto in server mode (real HTTP): discovery, 14 days of
5-minute metrics, analysis and priced targets. Expectations are worked out by hand from the seeded shapes in
advisor/fleet/example.py (no noise on the series these tests check)."""

from __future__ import annotations

import datetime as dt

import pytest

from advisor.fleet.classify import UtilizationClass
from advisor.fleet.review import FleetReview
from advisor.fleet.stats import NOT_ENOUGH_DATA
from advisor.money import HOURS_PER_MONTH
from advisor.pricing import PriceBook


def test_every_case_is_recognised(example_review: FleetReview) -> None:
    classes = {c.row.id: c.analysis.utilization for c in example_review.clusters}
    assert classes == {
        "sessions-idle": UtilizationClass.IDLE,
        "catalog-api": UtilizationClass.OVER_PROVISIONED,
        "orders-memory": UtilizationClass.MEMORY_BOUND,
        "feed-network": UtilizationClass.NETWORK_BOUND,
        "leaderboard-hot": UtilizationClass.BALANCED,  # CPU p95 60 (medium), memory ~48, network ~22
        "promo-spiky": UtilizationClass.OVER_PROVISIONED,
        "legacy-redis5": UtilizationClass.BALANCED,
        "checkout-serverless": UtilizationClass.SERVERLESS,
        "reports-new": UtilizationClass.NOT_ENOUGH_DATA,
    }
    assert example_review.window_end == dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    assert example_review.window_end - example_review.window_start == dt.timedelta(days=14)


def test_spike_ratio_of_the_flash_sale(example_review: FleetReview) -> None:
    # promo-spiky's engine CPU: 12% flat, 90% for 3 of every 576 five-minute periods (0.52% of points), so
    # p50 = p95 = p99 = 12 and max = 90: spike ratio 90 / 12 = 7.5.
    cpu = example_review.cluster("promo-spiky").analysis.distributions["EngineCPUUtilization"]
    assert (cpu.p50, cpu.p95, cpu.p99, cpu.max) == (12.0, 12.0, 12.0, 90.0)
    assert cpu.spike_ratio == pytest.approx(7.5)
    assert cpu.points == cpu.expected == 14 * 288  # one primary, every 5-minute period of 14 days


def test_memory_trend_and_the_date_it_reaches_90_percent(example_review: FleetReview) -> None:
    # orders-memory: 48 + 1 point per day since the data began (30 days before the end), +2 from 08:00 to 20:00.
    # Day j's average = 48 + j + (0+1+...+287)/288 x 300/86400 + 2 x 0.5 = 49.498264 + j (j = 16..29 in the window):
    # slope 1.0/day, R^2 1. The line reaches 90 at j = 40.50, i.e. 11.5 days after the last day (2026-11-30):
    # rounded up, 2026-12-12.
    t = example_review.cluster("orders-memory").analysis.trends["DatabaseMemoryUsagePercentage"]
    assert len(t.days) == 14 and t.days[-1] == dt.date(2026, 11, 30)
    assert t.daily[0] == pytest.approx(49.498264 + 16, abs=1e-5)
    assert t.slope_per_day == pytest.approx(1.0) and t.r2 == pytest.approx(1.0)
    assert t.limit_date == dt.date(2026, 12, 12)
    growth = [f for f in example_review.cluster("orders-memory").findings if f.id == "fleet.memory_growth"]
    assert growth and "December 2026" in growth[0].rationale


def test_hot_shard_coefficient_of_variation(example_review: FleetReview) -> None:
    # Shard 1's primary runs 40% at night and 60% from 08:00 to 20:00, the other three 10% / 15%: per-primary p95
    # 60, 15, 15, 15 -> mean 26.25, population std sqrt(379.6875) = 19.4856 -> CV 0.7423 (structural, > 0.3).
    balance = example_review.cluster("leaderboard-hot").analysis.balance
    assert balance is not None
    assert sorted(balance.per_primary_p95.values()) == [15.0, 15.0, 15.0, 60.0]
    assert balance.cv_p95 == pytest.approx(379.6875**0.5 / 26.25)
    assert balance.kind == "structural" and balance.hottest is not None and "0001" in balance.hottest
    assert example_review.cluster("leaderboard-hot").analysis.workload_class == "leaderboard / ranking"
    assert example_review.cluster("feed-network").analysis.balance.kind == "balanced"  # type: ignore[union-attr]


def test_no_network_bound_cluster_is_told_to_downsize(example_review: FleetReview, book: PriceBook) -> None:
    bound = [c for c in example_review.clusters if c.analysis.utilization is UtilizationClass.NETWORK_BOUND]
    assert bound
    for c in bound:
        now, then = book.nodes[c.row.node_type or ""], book.nodes[c.target.node_type or ""]
        assert c.target.action not in ("right-size", "Serverless")
        assert then.memory_gib >= now.memory_gib and then.network_gbps_baseline >= now.network_gbps_baseline
        assert (c.target.node_count or 0) >= c.row.node_count
        assert (c.target.monthly_saving_usd or 0) <= 0  # growing costs money; it is never sold as a saving


def test_sparse_cluster_is_not_enough_data(example_review: FleetReview) -> None:
    # reports-new has 2 days of data in a 14-day window: 2/14 = 14% of the datapoints, under 75%.
    c = example_review.cluster("reports-new")
    cpu = c.analysis.distributions["EngineCPUUtilization"]
    assert cpu.status == NOT_ENOUGH_DATA and cpu.p95 is None and cpu.max is None
    assert cpu.coverage == pytest.approx(2 / 14)
    assert c.target.action == "not enough data" and c.target.monthly_saving_usd == 0
    assert any(f.id == "fleet.not_enough_data" for f in c.findings)


def test_targets_agree_with_the_class(example_review: FleetReview, book: PriceBook) -> None:
    idle = example_review.cluster("sessions-idle").target
    assert idle.action == "Serverless" and idle.monthly_saving_usd and idle.monthly_saving_usd > 0
    over = example_review.cluster("catalog-api")
    assert over.target.action == "right-size"
    small = book.nodes[over.target.node_type or ""]
    # Peak data 11.5-12% of 52.82 GiB is about 6.3 GiB per node; the new node holds it twice over.
    assert float(small.memory_gib) * 0.5 >= over.analysis.grid.memory_max / 100 * 52.82  # type: ignore[operator]
    grow = example_review.cluster("orders-memory").target
    assert grow.action == "scale up" and book.nodes[grow.node_type or ""].memory_gib > book.nodes[
        "cache.r7g.large"].memory_gib


def test_redis5_extended_support_and_configuration(example_review: FleetReview, book: PriceBook) -> None:
    c = example_review.cluster("legacy-redis5")
    ids = {f.id for f in c.findings}
    assert {"fleet.extended_support", "fleet.tls_off", "fleet.at_rest_off", "fleet.no_auth", "fleet.no_backups",
            "fleet.auto_minor_off", "fleet.no_failover"} <= ids
    # Current cost = the on-demand node price plus Extended Support, 80% of it (an estimate: no bundled rate).
    redis = book.node_price("us-east-1", "redis", "cache.m5.large")
    assert redis is not None
    assert c.target.current_monthly_usd == redis.usd_per_hour * HOURS_PER_MONTH * 18 / 10
    assert c.target.estimate and c.target.engine == "valkey"
    assert c.target.steps[0].startswith("Upgrade Redis OSS 5.0.6 to Valkey")


def test_parameter_checks(example_review: FleetReview) -> None:
    orders = {f.id for f in example_review.cluster("orders-memory").findings}
    assert "fleet.noeviction_full" in orders  # noeviction with memory above 70%
    catalog = {f.id for f in example_review.cluster("catalog-api").findings}
    assert {"fleet.reserved_memory", "fleet.parameter_drift"} <= catalog  # 10% where AWS says never below 25
    reports = {f.id for f in example_review.cluster("reports-new").findings}
    assert "fleet.no_failover" not in reports  # tagged dev
    assert "fleet.reserved_memory" in reports  # t4g.small keeps the 25% default where AWS advises 30%


def test_sorted_by_money(example_review: FleetReview) -> None:
    savings = [c.saving for c in example_review.clusters]
    assert savings == sorted(savings, reverse=True)


def test_serverless_usage_against_its_limits(example_review: FleetReview) -> None:
    from advisor.fleet.analysis import serverless_limit_findings, serverless_usage

    c = example_review.cluster("checkout-serverless")
    ecpu, storage = serverless_usage(c.analysis, c.config.storage_limit_gb, c.config.ecpu_limit_per_s)
    # 6 GB stored (+- 10 MB) of a 20 GB limit; ECPU/s at most (4,000 + 3,000 + noise) x 1.4 of 50,000.
    assert storage == pytest.approx(6 / 20, abs=0.005)
    assert ecpu is not None and 0.1 < ecpu < 7_400 * 1.4 / 50_000
    assert "stored data at 30% of its limit" in c.target.steps[0]
    assert not serverless_limit_findings(c.analysis, c.config.storage_limit_gb, c.config.ecpu_limit_per_s)
    tight = serverless_limit_findings(c.analysis, 7.0, 10_000.0)  # 6 GB of 7 GB is above 70%
    assert {f.id for f in tight} >= {"fleet.serverless_storage_limit"}
    assert c.target.current_monthly_usd is not None  # its own bill, from ECPUs and stored bytes
