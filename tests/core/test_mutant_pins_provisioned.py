"""Node-hour money (advisor/costs/provisioned.py) pinned where mutation testing (scripts/mutation.sh) found the
suite silent. Rates from the bundled CSVs, quoted beside each use:
on_demand.csv us-east-1 Valkey cache.c7gn.large $0.204/h (source_date 2025-06-05);
reserved.csv us-east-1 Valkey cache.c7gn.large, 1 year: No Upfront 0 + $0.1384/h; Partial Upfront $580.788 +
$0.0664/h (effective $0.1327/h); All Upfront $1,143.7056 + $0 (effective $0.13056/h)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from advisor.costs.lines import CostEstimate, CostLine
from advisor.costs.provisioned import (
    ClusterNodes,
    break_even_month,
    compare_reserved,
    design_on_demand,
    design_reservations,
    on_demand_cost,
    reserved_cost,
)
from advisor.pricing import PriceBook
from advisor.pricing.book import ReservedOption
from advisor.pricing.schema import Basis, OnDemandPrice

NODE = "cache.c7gn.large"


def _price(book: PriceBook, region: str = "us-east-1", node: str = NODE) -> OnDemandPrice:
    price = book.node_price(region, "valkey", node)
    assert price is not None
    return price


def _option(book: PriceBook, payment: str, region: str = "us-east-1", node: str = NODE) -> ReservedOption:
    option = book.reserved_option(region, "valkey", node, 1, payment)
    assert option is not None
    return option


def test_on_demand_line(book: PriceBook) -> None:
    estimate = on_demand_cost(_price(book), 2)
    (line,) = estimate.lines
    assert estimate.label == "On-demand"
    assert line.name == "cache.c7gn.large on-demand (Valkey)" and line.unit == "node-hours"
    assert line.quantity == 2 * 730 and line.unit_price == Decimal("0.204") and line.basis == Basis.PUBLISHED
    assert line.note == "2 nodes x 730 h x $0.204/h; us-east-1, source dated 2025-06-05"


def test_reservation_lines_for_each_payment_option(book: PriceBook) -> None:
    partial = reserved_cost(_option(book, "Partial Upfront"), 2)
    assert partial.label == "1-year Partial Upfront"
    upfront, hourly = partial.lines
    assert upfront.name == "cache.c7gn.large reservation upfront (1-year Partial Upfront)" and upfront.unit == "nodes"
    assert (upfront.quantity, upfront.unit_price, upfront.one_time) == (2, Decimal("580.788"), True)
    assert upfront.note == "paid once per node for 1 year" and upfront.basis == Basis.PUBLISHED
    assert hourly.name == "cache.c7gn.large reserved (1-year Partial Upfront)" and hourly.unit == "node-hours"
    assert (hourly.quantity, hourly.unit_price, hourly.one_time) == (2 * 730, Decimal("0.0664"), False)
    assert hourly.note == "recurring hourly charge"
    # No Upfront: nothing paid once, so no upfront line at all.
    (no_upfront,) = reserved_cost(_option(book, "No Upfront"), 2).lines
    assert no_upfront.unit_price == Decimal("0.1384") and not no_upfront.one_time
    # Only the effective rate known: one hourly-equivalent line at $0.1327/h, saying so.
    effective_only = replace(_option(book, "Partial Upfront"), upfront_usd=None, usd_per_hour=None)
    (line,) = reserved_cost(effective_only, 2).lines
    assert line.unit_price == Decimal("0.1327") and line.quantity == 2 * 730
    assert line.note == "effective hourly rate (upfront/hourly split not bundled)"
    half_known = replace(_option(book, "Partial Upfront"), usd_per_hour=None)
    assert [ln.note for ln in reserved_cost(half_known, 2).lines] == [
        "effective hourly rate (upfront/hourly split not bundled)"]


def test_comparison_saving_and_break_even(book: PriceBook) -> None:
    on_demand = on_demand_cost(_price(book), 2)  # 2 x 0.204 x 730 = 297.84
    comparison = compare_reserved(on_demand, _option(book, "Partial Upfront"), 2)
    assert comparison.monthly_equivalent == Decimal("0.1327") * 730 * 2  # 193.742
    # (1 - 193.742 / 297.84) x 100 = (1 - 0.1327 / 0.204) x 100 = 34.95%
    assert float(comparison.saving_vs_on_demand_pct) == pytest.approx((1 - 0.1327 / 0.204) * 100)
    # Upfront 1,161.576 over a monthly saving of 297.84 - 2 x 0.0664 x 730 = 200.896: 5.78 -> month 6.
    assert comparison.break_even_month == 6
    assert comparison.term_months == 12 and comparison.node_count == 2
    assert comparison.estimate.label == "1-year Partial Upfront"
    assert comparison.plan == "2 x cache.c7gn.large in us-east-1"
    assert [line.name for line in comparison.estimate.lines] == [  # one Region: no Region in the names
        "cache.c7gn.large reservation upfront (1-year Partial Upfront)",
        "cache.c7gn.large reserved (1-year Partial Upfront)"]
    no_upfront = compare_reserved(on_demand, _option(book, "No Upfront"), 2)
    assert no_upfront.break_even_month == 1  # cheaper from the first month, nothing paid upfront
    nothing_on_demand = compare_reserved(CostEstimate("On-demand"), _option(book, "No Upfront"), 2)
    assert nothing_on_demand.saving_vs_on_demand_pct == 0


def _months(upfront: int, saving: int, term: int) -> int | None:
    on_demand = CostEstimate("od", (CostLine("n", "h", Decimal(1), Decimal(100)),))
    reserved = CostEstimate("ri", (CostLine("up", "n", Decimal(1), Decimal(upfront), one_time=True),
                                   CostLine("h", "h", Decimal(1), Decimal(100 - saving))))
    return break_even_month(on_demand, reserved, term)


def test_break_even_month_boundaries() -> None:
    assert _months(100, 10, 12) == 10  # exactly 10 months: month 10, not 11
    assert _months(101, 10, 12) == 11  # 10.1 rounds up
    assert _months(120, 10, 12) == 12  # the last month of the term still counts
    assert _months(120, 10, 11) is None  # beyond the term: never
    assert _months(1, 10, 12) == 1  # a fraction of a month is month 1
    assert _months(100, 0, 12) is None  # no monthly saving: never


def test_design_reservations_name_regions_and_carry_the_least_certain_basis(book: PriceBook) -> None:
    # mx-central-1 has no reserved prices in the sources: its options are estimates.
    clusters = [ClusterNodes("us-east-1", _price(book, node="cache.m7g.large"), 2),
                ClusterNodes("mx-central-1", _price(book, "mx-central-1", "cache.m7g.large"), 2)]
    on_demand = design_on_demand(clusters)
    assert on_demand.label == "On-demand" and len(on_demand.lines) == 2
    comparisons = design_reservations(book, clusters)
    assert len(comparisons) == 6  # 2 terms x 3 payment options, each covering both Regions
    partial = next(c for c in comparisons if c.option.term_years == 1 and c.option.payment_option == "Partial Upfront")
    assert partial.option.basis == Basis.ESTIMATE and partial.option.region == "us-east-1"
    assert partial.plan == "2 x cache.m7g.large in us-east-1, 2 x cache.m7g.large in mx-central-1"
    assert [line.name.rsplit(" in ", 1)[1] for line in partial.estimate.lines] == [
        "us-east-1", "us-east-1", "mx-central-1", "mx-central-1"]
    # A Region without any reservation offer leaves the design with none to compare.
    unpriced = ClusterNodes("xx-nowhere-1", _price(book, node="cache.m7g.large"), 1)
    assert design_reservations(book, [clusters[0], unpriced]) == []


def test_break_even_is_within_the_reservations_own_term(book: PriceBook) -> None:
    # Partial Upfront for 2 nodes: upfront 2 x 580.788 = 1,161.576; hourly 2 x 0.0664 x 730 = 96.944 a month.
    # Against an on-demand month of 188.944 the saving is 92 a month: 1,161.576 / 92 = 12.6 -> month 13, which
    # is past the 1-year term, so the reservation never breaks even.
    on_demand = CostEstimate("On-demand", (CostLine("nodes", "month", Decimal(1), Decimal("188.944")),))
    assert compare_reserved(on_demand, _option(book, "Partial Upfront"), 2).break_even_month is None
    # 7.4 a month more saving (99.4): 1,161.576 / 99.4 = 11.7 -> month 12, the term's last.
    cheaper = CostEstimate("On-demand", (CostLine("nodes", "month", Decimal(1), Decimal("196.344")),))
    assert compare_reserved(cheaper, _option(book, "Partial Upfront"), 2).break_even_month == 12


def test_any_upfront_payment_gets_its_line_and_each_line_keeps_its_basis(book: PriceBook) -> None:
    small_upfront = replace(_option(book, "Partial Upfront"), upfront_usd=Decimal("0.5"))
    upfront, _hourly = reserved_cost(small_upfront, 2).lines
    assert upfront.one_time and upfront.total == Decimal("1.0")  # 2 nodes x $0.50
    # A derived or estimated price stays labelled so on its line (every bundled on-demand row is published today).
    derived = _price(book).model_copy(update={"basis": Basis.DERIVED})
    assert on_demand_cost(derived, 1).lines[0].basis == Basis.DERIVED
