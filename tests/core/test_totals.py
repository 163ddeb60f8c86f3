"""Totals that hold every part of a design: unpriced Regions flagged, reservations over every cluster,
Serverless storage month by month, Extended Support in the total. Figures by hand from the source rows."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.report.json_export import report_to_dict
from advisor.report.model import build_report
from advisor.report.tables import cost_summary, secondaries
from advisor.serialize import recommendation_to_dict
from advisor.workload import load_workload, parse_workload

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "examples" / "multi_region_catalog.yaml"
SCHEMA = json.loads((ROOT / "schemas" / "report.schema.json").read_text())


@pytest.fixture(scope="module")
def two_region(book: PriceBook):
    return recommend(load_workload(CATALOG), book)


@pytest.fixture(scope="module")
def one_unpriced(book: PriceBook):
    # ap-southeast-6 (New Zealand) is an ElastiCache Region with no bundled prices.
    return recommend(load_workload(CATALOG).with_changes(secondary_regions=["eu-west-1", "ap-southeast-6"]), book)


def test_unpriced_secondary_marks_the_total_incomplete(one_unpriced) -> None:
    costs = one_unpriced.costs
    assert costs is not None and not costs.complete
    assert costs.excluded == ("ap-southeast-6: not priced",)
    assert "excluding ap-southeast-6: not priced" in one_unpriced.headline
    assert "including 1 secondary Region;" in one_unpriced.headline  # only the priced one is counted
    topo = one_unpriced.topology
    # The total is the primary plus eu-west-1's cluster: node count x $0.1832/h (Valkey r6g.large) x 730 h.
    eu = next(s for s in costs.secondaries if s.region == "eu-west-1")
    assert eu.estimate is not None and eu.estimate.monthly == topo.node_count * Decimal("0.1832") * 730
    assert costs.monthly == costs.chosen.monthly + eu.estimate.monthly
    finding = next(f for f in one_unpriced.findings if f.id == "pricing.incomplete_total")
    assert "ap-southeast-6" in finding.decision


def test_exports_carry_the_incomplete_flag(one_unpriced, book: PriceBook) -> None:
    as_json = recommendation_to_dict(one_unpriced)["costs"]
    assert as_json["complete"] is False and as_json["excluded"] == ["ap-southeast-6: not priced"]
    report = build_report(one_unpriced, book, today=dt.date(2026, 12, 2), include_charts=False)
    exported = report_to_dict(report)
    jsonschema.validate(exported, SCHEMA)
    assert exported["costs"]["complete"] is False
    assert exported["costs"]["excluded"] == ["ap-southeast-6: not priced"]
    summary = cost_summary(report)
    assert summary is not None and "incomplete: excluding ap-southeast-6: not priced" in summary.title
    table = secondaries(report)
    assert table is not None and "NOT in the totals" in table.title
    assert table.rows[-1][:2] == ("ap-southeast-6", "not priced")


def test_complete_design_says_so(two_region) -> None:
    assert two_region.costs.complete and "incomplete" not in two_region.headline


def test_reservations_cover_every_node_in_every_region(two_region) -> None:
    costs, topo = two_region.costs, two_region.topology
    assert topo is not None and costs is not None
    nodes = topo.node_count
    for comparison in costs.reserved:
        assert [(p.region, p.node_count) for p in comparison.parts] == [("us-east-1", nodes), ("eu-west-1", nodes)]
        assert comparison.node_count == 2 * nodes
    one_year = next(c for c in costs.reserved if c.option.label.startswith("1-year No Upfront"))
    assert topo.node_type == "cache.r6g.large"
    # reserved_all_regions.csv, 1-year No Upfront Redis OSS r6g.large: us-east-1 $0.141/h, eu-west-1 $0.157/h;
    # Valkey is derived as 0.8 x: $0.1128 and $0.1256/h. Each Region's nodes at its own rate, 730 h a month.
    assert one_year.monthly_equivalent == nodes * (Decimal("0.1128") + Decimal("0.1256")) * 730
    # On-demand over the same nodes: (0.1648 + 0.1832) x nodes x 730.
    assert costs.on_demand.monthly == nodes * (Decimal("0.1648") + Decimal("0.1832")) * 730
    reserved = next(f for f in two_region.findings if f.id == "pricing.reserved")
    assert f"Buy {2 * nodes} reserved nodes" in reserved.decision
    assert f"{nodes} x cache.r6g.large in us-east-1" in reserved.decision
    assert f"{nodes} x cache.r6g.large in eu-west-1" in reserved.decision


def test_serverless_storage_is_billed_month_by_month(book: PriceBook) -> None:
    w = parse_workload({"dataset_gb": 10, "monthly_growth_percent": 5, "horizon_months": 6, "region": "eu-central-1",
                        "traffic_shape": "spiky", "avg_reads_per_sec": 100, "avg_writes_per_sec": 10})
    rec = recommend(w, book)
    storage = rec.serverless_fit.estimate.lines[0]
    assert storage.unit == "GB-hours"
    # Months 1..6 hold 10 x 1.05^0..5 GB; the average is 10 x (1.05^6 - 1) / (0.05 x 6) = 11.3401 GB.
    average = 10 * (1.05**6 - 1) / (0.05 * 6)
    # serverless_all_regions.csv: eu-central-1 Valkey $0.101 per GB-hour.
    assert float(storage.total) == pytest.approx(average * 730 * 0.101, rel=1e-6)
    first_month = 10 * 730 * 0.101  # month 1 at today's 10 GB: $737.30
    assert f"month 1 10.00 GB (today's dataset) = ${first_month:,.2f}/month" in storage.note
    assert f"horizon average {average:,.2f} GB" in storage.note
    # Nodes are still sized for the horizon: 10 x 1.05^6 = 13.40 GB.
    assert rec.serverless_fit.stored_gb == pytest.approx(10 * 1.05**6)


def test_pinned_redis_past_standard_support_pays_extended_support(book: PriceBook) -> None:
    w = parse_workload({"dataset_gb": 5, "region": "eu-west-1",
                        "constraints": {"engine": "redis", "engine_version": "5.0.6", "node_type": "cache.r7g.large",
                                        "deployment": "provisioned"}})
    rec = recommend(w, book, today=dt.date(2026, 6, 1))
    topo, costs = rec.topology, rec.costs
    assert topo is not None and costs is not None and topo.node_type == "cache.r7g.large"
    line = next(line for line in costs.chosen.lines if "Extended Support" in line.name)
    # other_rates.csv: eu-west-1 cache.r7g.large years 1-2 $0.194/node-hour, published.
    assert line.total == topo.node_count * Decimal("0.194") * 730 and not line.is_estimate
    finding = next(f for f in rec.findings if f.id == "pricing.extended_support")
    assert "2026-02-01" in " ".join(finding.evidence) and "2028-02-01" in " ".join(finding.evidence)
    # Valkey saves the surcharge plus (0.243 - 0.1944) per node-hour.
    saving = topo.node_count * (Decimal("0.194") + Decimal("0.243") - Decimal("0.1944")) * 730
    assert finding.monthly_saving_usd == pytest.approx(float(saving))


def test_version_whose_extended_support_has_not_started_is_charged_nothing(book: PriceBook) -> None:
    w = parse_workload({"dataset_gb": 5, "region": "eu-west-1",
                        "constraints": {"engine": "redis", "engine_version": "6.2", "deployment": "provisioned"}})
    rec = recommend(w, book, today=dt.date(2026, 12, 2))
    assert not any("Extended Support" in line.name for line in rec.costs.chosen.lines)
    finding = next(f for f in rec.findings if f.id == "pricing.extended_support")
    assert "2027-02-01" in finding.decision
