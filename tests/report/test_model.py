"""The report model: estimates labelled, options complete, charts present, inputs described."""

from __future__ import annotations

import json
from decimal import Decimal

from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.report.model import Report, build_report, with_estimate
from advisor.workload import parse_workload
from tests.report.conftest import usd


def test_estimate_label_added_once() -> None:
    assert with_estimate("1-year All Upfront", True) == "1-year All Upfront (estimate)"
    assert with_estimate("Serverless (estimate)", True) == "Serverless (estimate)"
    assert with_estimate("On-demand", False) == "On-demand"


def test_cost_options_cover_on_demand_reserved_and_serverless(
    large_report: Report, expected_node_monthly: Decimal
) -> None:
    costs = large_report.costs
    assert costs is not None
    on_demand = next(o for o in costs.options if o.kind == "on_demand")  # the nodes' payment options
    assert usd(on_demand.monthly) == usd(expected_node_monthly)
    assert usd(on_demand.three_years) == usd(expected_node_monthly * 36)
    reserved = [o for o in costs.options if o.kind == "reserved"]
    assert len(reserved) == 6  # 1 and 3 years x no / partial / all upfront
    for option in reserved:
        assert option.is_estimate == option.label.endswith("(estimate)")
        assert option.three_years <= on_demand.three_years  # every reservation beats on-demand over 3 years
        if option.label.startswith("1-year"):
            assert option.one_year <= on_demand.one_year


def test_the_recommended_option_is_the_reservation_the_findings_advise(large_report: Report) -> None:
    # One source of truth (issue 13): the large example is steady traffic with a 12-month horizon, so the
    # pricing.reserved finding advises the cheapest 1-year reservation; the report marks that one, not on-demand.
    costs = large_report.costs
    assert costs is not None
    advice = next(f for f in large_report.findings if f.id == "pricing.reserved")
    chosen = [o for o in costs.options if o.chosen]
    assert len(chosen) == 1 and chosen[0].kind == "reserved"
    assert chosen[0].label.removesuffix(" (estimate)") in advice.decision
    one_year = [o for o in costs.options if o.kind == "reserved" and o.label.startswith("1-year")]
    assert chosen[0].monthly_equivalent == min(o.monthly_equivalent for o in one_year)


def test_all_upfront_three_year_total_is_the_upfront(large_report: Report) -> None:
    costs = large_report.costs
    assert costs is not None
    option = next(o for o in costs.options if o.label.startswith("3-year All Upfront"))
    assert option.monthly == 0 and option.three_years == option.upfront == option.one_year


def test_charts_and_inputs(large_report: Report) -> None:
    charts = large_report.charts
    assert charts.traffic is not None and charts.reserved is not None and charts.growth is not None
    assert len(charts.reserved.months) == 36
    fields = {i.field: i for i in large_report.inputs}
    assert fields["dataset_gb"].value == "2,000" and fields["dataset_gb"].description


def test_inputs_read_in_words_while_the_json_keeps_the_raw_workload(book: PriceBook) -> None:
    """The inputs table names choices as the form does; the raw values stay in the report's workload data."""
    from advisor.report.json_export import render_json

    workload = parse_workload({"name": "my_cache", "dataset_gb": 1234.5, "avg_reads_per_sec": 60_000,
                               "availability": "multi_az", "auth": "iam", "read_from_replicas": False,
                               "features": ["vector_search", "json"], "constraints": {"replicas_per_shard": 2},
                               "preferences": {"engine": "redis"}, "command_mix": "GET 70% 1x, SORT 30% 3x 2048B"})
    report = build_report(recommend(workload, book), book)
    shown = {i.field: i.value for i in report.inputs}
    assert shown["name"] == "my_cache"  # a name is never reworded
    assert shown["dataset_gb"] == "1,234.5" and shown["avg_reads_per_sec"] == "60,000"
    assert shown["availability"] == "Multi-AZ" and shown["auth"] == "IAM" and shown["read_from_replicas"] == "no"
    assert shown["features"] == "vector search, JSON"
    assert shown["constraints"] == "replicas per shard: 2" and shown["preferences"] == "engine: Redis OSS"
    assert shown["command_mix"] == "GET 70% 1x, SORT 30% 3x 2048B"  # in the syntax the form and files take
    data = json.loads(render_json(report))
    assert data["workload"]["availability"] == "multi_az" and data["workload"]["features"] == ["vector_search", "json"]
