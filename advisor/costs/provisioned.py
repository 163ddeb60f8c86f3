"""Node-based clusters: on-demand and reserved node-hours, itemised."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from advisor.costs.lines import CostEstimate, CostLine
from advisor.money import HOURS_PER_MONTH
from advisor.pricing.book import ReservedOption
from advisor.pricing.schema import OnDemandPrice


def on_demand_cost(price: OnDemandPrice, node_count: int) -> CostEstimate:
    line = CostLine(
        name=f"{price.node_type} on-demand ({price.engine})",
        unit="node-hours",
        quantity=Decimal(node_count) * HOURS_PER_MONTH,
        unit_price=price.usd_per_hour,
        basis=price.basis,
        note=f"{node_count} nodes x {HOURS_PER_MONTH} h x ${price.usd_per_hour}/h; {price.region}, "
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
                note=f"paid once per node for {option.term_years} year(s)",
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
class ReservedComparison:
    option: ReservedOption
    estimate: CostEstimate
    monthly_equivalent: Decimal  # effective monthly cost over the term
    saving_vs_on_demand_pct: Decimal
    break_even_month: int | None  # first month whose cumulative cost is at or below on-demand's

    @property
    def term_months(self) -> int:
        return self.option.term_years * 12


def compare_reserved(on_demand: CostEstimate, option: ReservedOption, node_count: int) -> ReservedComparison:
    estimate = reserved_cost(option, node_count)
    monthly_equivalent = option.effective_usd_per_hour * HOURS_PER_MONTH * node_count
    od_monthly = on_demand.monthly
    saving = (1 - monthly_equivalent / od_monthly) * 100 if od_monthly else Decimal(0)
    break_even = break_even_month(on_demand, estimate, option.term_years * 12)
    return ReservedComparison(option, estimate, monthly_equivalent, saving, break_even)


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
