"""Node-based clusters: on-demand and reserved node-hours, itemised."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, Decimal

from advisor.costs.lines import CostEstimate, CostLine
from advisor.money import HOURS_PER_MONTH
from advisor.pricing.book import PriceBook, ReservedOption
from advisor.pricing.schema import PAYMENT_OPTIONS, TERMS, Basis, OnDemandPrice
from advisor.wording import ENGINE_LABELS, count_noun


def on_demand_cost(price: OnDemandPrice, node_count: int) -> CostEstimate:
    line = CostLine(
        name=f"{price.node_type} on-demand ({ENGINE_LABELS[price.engine]})",
        unit="node-hours",
        quantity=Decimal(node_count) * HOURS_PER_MONTH,
        unit_price=price.usd_per_hour,
        basis=price.basis,
        note=f"{count_noun(node_count, 'node')} x {HOURS_PER_MONTH} h x ${price.usd_per_hour}/h; {price.region}, "
        f"source dated {price.source_date}",
    )
    return CostEstimate(label="On-demand", lines=(line,))


def reserved_cost(option: ReservedOption, node_count: int) -> CostEstimate:
    """A reservation covering every node for its whole term; upfront is a one-time line."""
    lines = []
    if option.upfront_usd is not None and option.usd_per_hour is not None:
        if option.upfront_usd > 0:
            lines.append(CostLine(
                name=f"{option.node_type} reservation upfront ({option.label})", unit="nodes",
                quantity=Decimal(node_count), unit_price=option.upfront_usd, basis=option.basis, one_time=True,
                note=f"paid once per node for {count_noun(option.term_years, 'year')}",
            ))
        hourly = option.usd_per_hour
        hourly_note = "recurring hourly charge"
    else:
        # Only the effective rate is published for this option; spread it as an hourly equivalent.
        hourly = option.effective_usd_per_hour
        hourly_note = "effective hourly rate (upfront/hourly split not bundled)"
    lines.append(CostLine(
        name=f"{option.node_type} reserved ({option.label})", unit="node-hours",
        quantity=Decimal(node_count) * HOURS_PER_MONTH, unit_price=hourly, basis=option.basis, note=hourly_note,
    ))
    return CostEstimate(label=option.label, lines=tuple(lines))


@dataclass(frozen=True)
class ReservationPart:
    """The nodes to reserve in one Region of a design, at that Region's own reserved price."""

    region: str
    node_type: str
    node_count: int
    option: ReservedOption


@dataclass(frozen=True)
class ReservedComparison:
    option: ReservedOption  # the primary Region's offer; its basis is the least certain of every part's
    estimate: CostEstimate
    monthly_equivalent: Decimal  # effective monthly cost over the term
    saving_vs_on_demand_pct: Decimal
    break_even_month: int | None  # first month whose cumulative cost is at or below on-demand's
    parts: tuple[ReservationPart, ...] = ()

    @property
    def term_months(self) -> int:
        return self.option.term_years * 12

    @property
    def node_count(self) -> int:
        return sum(part.node_count for part in self.parts)

    @property
    def plan(self) -> str:
        """How many nodes to reserve in which Region, e.g. '6 x cache.r7g.large in us-east-1, 6 in eu-west-1'."""
        return ", ".join(f"{p.node_count} x {p.node_type} in {p.region}" for p in self.parts)


@dataclass(frozen=True)
class ClusterNodes:
    """One cluster of a design (the primary, or a Global Datastore secondary) with its Region's node price."""

    region: str
    price: OnDemandPrice
    node_count: int


def design_on_demand(clusters: list[ClusterNodes]) -> CostEstimate:
    """On-demand node-hours of every priced cluster of a design, one line per cluster."""
    lines = tuple(line for cluster in clusters for line in on_demand_cost(cluster.price, cluster.node_count).lines)
    return CostEstimate(label="On-demand", lines=lines)


_BASIS_ORDER = (Basis.PUBLISHED, Basis.DERIVED, Basis.ESTIMATE)


def design_reservations(book: PriceBook, clusters: list[ClusterNodes]) -> list[ReservedComparison]:
    """Every term and payment option covering every node of the design, each Region at its own price."""
    on_demand = design_on_demand(clusters)
    comparisons = []
    for term in TERMS:
        for payment in PAYMENT_OPTIONS:
            parts = []
            for c in clusters:
                option = book.reserved_option(c.region, c.price.engine, c.price.node_type, term, payment)
                if option is None:
                    break
                parts.append(ReservationPart(c.region, c.price.node_type, c.node_count, option))
            else:
                comparisons.append(_compare_parts(on_demand, parts))
    return comparisons


def _compare_parts(on_demand: CostEstimate, parts: list[ReservationPart]) -> ReservedComparison:
    multi = len(parts) > 1
    lines = tuple(
        replace(line, name=f"{line.name} in {part.region}") if multi else line
        for part in parts for line in reserved_cost(part.option, part.node_count).lines
    )
    basis = max((part.option.basis for part in parts), key=_BASIS_ORDER.index)
    primary = replace(parts[0].option, basis=basis) if basis != parts[0].option.basis else parts[0].option
    estimate = CostEstimate(label=primary.label, lines=lines)
    monthly_equivalent = sum((p.option.effective_usd_per_hour * HOURS_PER_MONTH * p.node_count for p in parts),
                             Decimal(0))
    od_monthly = on_demand.monthly
    saving = (1 - monthly_equivalent / od_monthly) * 100 if od_monthly else Decimal(0)
    break_even = break_even_month(on_demand, estimate, primary.term_years * 12)
    return ReservedComparison(primary, estimate, monthly_equivalent, saving, break_even, tuple(parts))


def compare_reserved(on_demand: CostEstimate, option: ReservedOption, node_count: int) -> ReservedComparison:
    """One reservation for one cluster (a design with a single Region)."""
    return _compare_parts(on_demand, [ReservationPart(option.region, option.node_type, node_count, option)])


def break_even_month(on_demand: CostEstimate, reserved: CostEstimate, term_months: int) -> int | None:
    """First month m (1-based) where the reservation's cumulative cost <= on-demand's; None if never in term."""
    per_month_saving = on_demand.monthly - reserved.monthly
    if per_month_saving <= 0:
        return None
    if reserved.upfront == 0:
        return 1
    # Decimal's // truncates toward zero, so round the quotient up explicitly.
    months = (reserved.upfront / per_month_saving).to_integral_value(rounding=ROUND_CEILING)
    month = max(1, int(months))
    return month if month <= term_months else None
