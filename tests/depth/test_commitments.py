"""Commitment plans worked out by hand from the bundled price tables (on-demand x typical discount)."""

from __future__ import annotations

import csv
import dataclasses
import math
from decimal import Decimal

import pytest

from advisor.depth.commitments import commitment_plan
from advisor.depth.timeline import MonthPoint, Timeline, design_timeline
from advisor.pricing.book import PriceBook
from advisor.recommend import Topology, recommend
from advisor.workload import load_workload, parse_workload
from tests.support.aws_cli_dry_run import dry_run
from tests.ui.by_hand import PRICING, on_demand_hourly

H = Decimal(730)
ENV = {"RESERVED_OFFERING_ID": "438012d3-4052-4cc7-b2e3-8d3372e0e706",
       "SAVINGS_PLAN_OFFERING_ID": "2a4a5b1c-1111-4c3e-9d2a-0123456789ab"}


def memcached_reservations(node_type: str) -> dict[tuple[int, str], tuple[Decimal, Decimal, Decimal]]:
    """(term, payment) -> (upfront, hourly, effective) published for Memcached in us-east-1. Valkey's are
    derived as 0.8 x these (AWS prices Valkey nodes 20% below Redis OSS = Memcached)."""
    rows = {}
    with (PRICING / "reserved.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            if (row["region"], row["engine"], row["node_type"]) == ("us-east-1", "memcached", node_type):
                rows[(int(row["term_years"]), row["payment_option"])] = (
                    Decimal(row["upfront_usd"]), Decimal(row["usd_per_hour"]), Decimal(row["effective_usd_per_hour"]))
    return rows


def _m7g_plan(book: PriceBook):  # type: ignore[no-untyped-def]
    """2 x m7g.large for months 1-6, 4 from month 7 (12-month window)."""
    workload = parse_workload({"name": "steady then double", "dataset_gb": 2, "features": ["hashes"],
                               "horizon_months": 12})
    rec = dataclasses.replace(recommend(workload, book), deployment="provisioned",
                              topology=Topology("valkey", "cache.m7g.large", 1, 1, False, False, True, True))
    points = [MonthPoint(m, 2.0, 0.5, 0.1, 0.1, "", 2 if m <= 6 else 4, Decimal(0), "cache.m7g.large")
              for m in range(13)]
    return rec, Timeline(12, 0.0, tuple(points), {}, ())


def test_baseline_reserved_and_growth_on_demand(book: PriceBook) -> None:
    rec, timeline = _m7g_plan(book)
    plan = commitment_plan(rec, book, timeline)
    assert plan is not None and plan.window_months == 12
    region = plan.regions[0]
    od = on_demand_hourly("us-east-1", "valkey", "cache.m7g.large")  # 0.1264
    on_demand = (6 * 2 + 6 * 4) * od * H
    assert region.options[0].total == on_demand
    published = memcached_reservations("cache.m7g.large")
    # 1-year All Upfront (Valkey = 0.8 x Memcached's $885.811 upfront, no hourly): 2 nodes reserved for the
    # year, the 2 extra nodes of months 7-12 on-demand.
    upfront = 2 * Decimal("0.8") * published[(1, "All Upfront")][0]
    all_upfront = upfront + 6 * 2 * od * H
    best = region.best
    assert best.label == "1-year All Upfront (derived)"
    assert best.total == pytest.approx(all_upfront, abs=Decimal("0.01"))
    assert best.upfront == pytest.approx(upfront, abs=Decimal("0.01"))
    assert region.baseline_nodes == 2
    # Payback: upfront 2 x 708.65 = 1,417.30 against 2 x 0.1264 x 730 = 184.54/month of on-demand saved:
    # cumulative on-demand passes it in month 8 (7 x 184.54 = 1,291.8 < 1,417.3 <= 8 x 184.54).
    assert best.payback_month == math.ceil(float(upfront / (2 * od * H))) == 8
    assert plan.saving == on_demand - best.total
    no_upfront = next(o for o in region.options if o.label == "1-year No Upfront (derived)")
    hourly = Decimal("0.8") * published[(1, "No Upfront")][1]
    assert no_upfront.total == pytest.approx(12 * 2 * hourly * H + 6 * 2 * od * H, abs=Decimal("0.01"))


def test_savings_plan_commitment_is_priced_as_an_estimate(book: PriceBook) -> None:
    rec, timeline = _m7g_plan(book)
    region = commitment_plan(rec, book, timeline).regions[0]  # type: ignore[union-attr]
    plan = next(o for o in region.options if o.instrument == "savings_plan")
    od = on_demand_hourly("us-east-1", "valkey", "cache.m7g.large")
    # Commit the baseline (2 nodes) at 80% of on-demand: 2 x 0.1264 x 0.8 = 0.20224 -> $0.202/hour.
    assert plan.hourly_commitment == Decimal("0.202")
    assert plan.is_estimate and "estimate" in plan.label
    covered_nodes = Decimal("0.202") / (od * Decimal("0.8"))
    expected = (12 * Decimal("0.202") * H + 6 * (2 - covered_nodes) * od * H + 6 * (4 - covered_nodes) * od * H)
    assert plan.total == pytest.approx(expected, abs=Decimal("0.01"))


def test_purchase_steps_pass_the_aws_cli(book: PriceBook) -> None:
    rec = recommend(load_workload("examples/multi_region_catalog.yaml"), book)
    plan = commitment_plan(rec, book, design_timeline(rec, book))
    assert plan is not None and [r.region for r in plan.regions] == ["us-east-1", "eu-west-1"]
    for region in plan.regions:
        assert region.commands, region.region
        for command in region.commands:
            result = dry_run(command.resolved(ENV))
            assert result.exit_code == 0, f"{command.render()}\n{result.stderr}"
            assert ("--region", region.region) == tuple(command.argv[-2:])


def test_savings_plan_purchase_passes_the_aws_cli(book: PriceBook) -> None:
    rec, timeline = _m7g_plan(book)
    plan = commitment_plan(rec, book, timeline)
    assert plan is not None
    region = plan.regions[0]
    from advisor.depth.commitments import _commands

    sp = next(o for o in region.options if o.instrument == "savings_plan")
    commands = _commands(rec, "us-east-1", "cache.m7g.large", sp, 2)
    assert commands[1].argv[-1] == "0.202"
    for command in commands:
        result = dry_run(command.resolved(ENV))
        assert result.exit_code == 0, f"{command.render()}\n{result.stderr}"
    assert commands[0].argv[1] == "savingsplans" and "Database" in commands[0].argv


def test_redis_and_pre_gen7_get_no_savings_plan_and_valkey_carries_the_unverified_label(book: PriceBook) -> None:
    rec = recommend(load_workload("examples/session_store.yaml"), book)  # m6g: before Generation 7
    region = commitment_plan(rec, book, design_timeline(rec, book)).regions[0]  # type: ignore[union-attr]
    assert not any(o.instrument == "savings_plan" for o in region.options)
    assert any("unverified for ElastiCache" in n for n in region.notes)


def test_serverless_valkey_gets_a_savings_plan_commitment(book: PriceBook) -> None:
    rec = recommend(load_workload("examples/dev_test.yaml"), book)
    assert rec.deployment == "serverless" and rec.engine == "valkey"
    plan = commitment_plan(rec, book, design_timeline(rec, book))
    assert plan is not None and not plan.regions
    assert "estimate" in plan.notes[0].lower() and "30%" in plan.notes[0]


def test_serverless_crossover_with_each_instrument(book: PriceBook) -> None:
    workload = parse_workload({
        "name": "small steady", "dataset_gb": 1, "avg_reads_per_sec": 20_000, "avg_writes_per_sec": 0,
        "avg_read_bytes": 100, "features": ["hashes"], "traffic_shape": "steady",
    })
    rec = recommend(workload, book)
    assert rec.topology is not None and rec.topology.node_type == "cache.m6g.large"
    plan = commitment_plan(rec, book, design_timeline(rec, book))
    assert plan is not None
    found = {c.instrument.split(" ")[0]: c for c in plan.crossovers}
    od = float(on_demand_hourly("us-east-1", "valkey", "cache.m6g.large"))
    storage, per_read = 1 * 0.084 * 730, 2_628_000 / 1e6 * 0.0023
    # On-demand: 2 nodes x 730 h; best reservation: the lowest effective rate (Valkey = 0.8 x Memcached's).
    assert found["On-demand"].requests_per_sec == pytest.approx((2 * od * 730 - storage) / per_read, rel=1e-3)
    effective = min(row[2] for row in memcached_reservations("cache.m6g.large").values())
    reserved = 2 * 0.8 * float(effective) * 730
    assert found["Reserved"].requests_per_sec == pytest.approx((reserved - storage) / per_read, rel=1e-3)
