"""Commitment planner: reserved nodes (1 or 3 years, per family and Region, size-flexible) against Database
Savings Plans (1 year, No Upfront, a USD/hour commitment), for the steady baseline of the month-by-month plan.

The baseline is the smallest number of normalized units (facts file 6: large = 4, xlarge = 8, ...) the plan
runs in a family during each commitment year; growth above it stays on-demand. Reserved prices come from the
bundled tables (published, or estimates from the typical discount, labelled). Savings Plan rates are not
bundled: they are estimates from the discounts secondary sources quote (facts file 6), labelled as such.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from advisor.commands.aws_cli import OFFERING_ID_ENV, SECONDS_PER_YEAR, Command, EnvRef, cluster_id_from_name
from advisor.money import HOURS_PER_MONTH
from advisor.pricing.book import PriceBook, ReservedOption
from advisor.pricing.schema import Engine
from advisor.recommendation import Recommendation
from advisor.wording import noun

from .timeline import Timeline

# Facts file 6, normalized units per size (MemoryDB's table; the ElastiCache equivalence is unverified).
NORMALIZED_UNITS: dict[str, Decimal] = {
    "micro": Decimal("0.5"), "small": Decimal(1), "medium": Decimal(2), "large": Decimal(4),
    "xlarge": Decimal(8), "2xlarge": Decimal(16), "4xlarge": Decimal(32), "8xlarge": Decimal(64),
    "12xlarge": Decimal(96), "16xlarge": Decimal(128), "24xlarge": Decimal(192),
}
# ESTIMATES (facts file 6: "about 20% on instances and 30-35% on Serverless", secondary sources, 2025-12 to
# 2026-04); the lower Serverless figure is used so the saving is not overstated.
SAVINGS_PLAN_NODE_DISCOUNT = Decimal("0.20")
SAVINGS_PLAN_SERVERLESS_DISCOUNT = Decimal("0.30")
SAVINGS_PLAN_SOURCE = ("ESTIMATE from the discounts quoted by secondary sources (nops.io, usage.ai, prosperops.com, "
                       "2025-12 to 2026-04; facts file 6): exact ElastiCache Savings Plan rates are not bundled")
SAVINGS_PLAN_ENV = "SAVINGS_PLAN_OFFERING_ID"
VALKEY_ON_REDIS_RESERVATIONS = ("If you already hold Redis OSS reservations in this family and Region, AWS launch "
                                "material says they also apply to Valkey nodes: unverified for ElastiCache "
                                "(facts file 6); do not count on it without checking your bill.")


def family_generation(family: str) -> int | None:
    found = re.search(r"(\d+)", family)
    return int(found.group(1)) if found else None


def savings_plan_covers(engine: Engine, family: str | None) -> bool:
    """Valkey only: node-based on Generation 7 and newer, or Valkey Serverless (family None)."""
    if engine != "valkey":
        return False
    if family is None:
        return True
    generation = family_generation(family)
    return generation is not None and generation >= 7


@dataclass(frozen=True)
class PlanOption:
    """One way to pay over the window: a total, what is committed, and when it pays back."""

    label: str
    instrument: str  # on_demand | reserved | savings_plan
    is_estimate: bool
    total: Decimal
    upfront: Decimal
    committed_units: Decimal  # normalized units reserved (reserved), 0 otherwise
    hourly_commitment: Decimal  # USD/hour (savings_plan), 0 otherwise
    payback_month: int | None
    monthly: tuple[Decimal, ...]  # cost of each month of the window

    def saving_against(self, other: PlanOption) -> Decimal:
        return other.total - self.total


@dataclass(frozen=True)
class RegionPlan:
    region: str
    node_type: str
    baseline_nodes: int  # of node_type, i.e. the committed units in that size
    options: tuple[PlanOption, ...]
    best: PlanOption
    commands: tuple[Command, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Crossover:
    instrument: str
    requests_per_sec: float | None
    is_estimate: bool
    explanation: str


@dataclass(frozen=True)
class CommitmentPlan:
    window_months: int
    regions: tuple[RegionPlan, ...]
    crossovers: tuple[Crossover, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def saving(self) -> Decimal:
        return sum((r.best.saving_against(r.options[0]) for r in self.regions), Decimal(0))


def _units(size: str) -> Decimal:
    return NORMALIZED_UNITS.get(size, Decimal(0))


def window_of(rec: Recommendation) -> int:
    """The plan is judged over the horizon, at least the 12 months of the shortest commitment."""
    return max(12, rec.workload.horizon_months)


def _monthly_units(timeline: Timeline, book: PriceBook, window: int) -> list[Decimal]:
    units = []
    for point in timeline.points[1:window + 1]:
        assert point.node_type is not None
        units.append(_units(book.nodes[point.node_type].size) * point.node_count)
    return units


def _on_demand_per_unit(book: PriceBook, region: str, engine: Engine, node_type: str) -> Decimal:
    price = book.node_price(region, engine, node_type)
    assert price is not None
    return price.usd_per_hour / _units(book.nodes[node_type].size)


def _payback(plan: list[Decimal], on_demand: list[Decimal]) -> int | None:
    """First month from which the plan's cumulative cost stays at or below on-demand's to the window's end."""
    paid = base = Decimal(0)
    behind = 0
    for month, (cost, od) in enumerate(zip(plan, on_demand, strict=True), start=1):
        paid += cost
        base += od
        if paid > base:
            behind = month
    return behind + 1 if behind < len(plan) else None


def _reserved(option: ReservedOption, units: list[Decimal], od_unit: Decimal, window: int,
              node_units: Decimal) -> PlanOption:
    """Reserve each term's baseline; a 1-year term is renewed at each year's own baseline."""
    term = option.term_years * 12
    hourly_unit = (option.usd_per_hour if option.usd_per_hour is not None else option.effective_usd_per_hour) \
        / node_units
    upfront_unit = (option.upfront_usd or Decimal(0)) / node_units
    if option.usd_per_hour is None:
        upfront_unit = Decimal(0)  # only the effective rate is bundled: spread as an hourly equivalent
    months: list[Decimal] = []
    upfront_total = Decimal(0)
    committed = Decimal(0)
    for start in range(0, window, term):
        span = units[start:start + term]
        baseline = min(span)
        committed = committed or baseline
        upfront = baseline * upfront_unit
        upfront_total += upfront
        for offset in range(term):
            month = start + offset
            if month >= window:
                # Committed beyond the window: still owed, so it counts (with no on-demand usage against it).
                months[-1] += baseline * hourly_unit * HOURS_PER_MONTH
                continue
            extra = max(Decimal(0), units[month] - baseline)
            cost = baseline * hourly_unit * HOURS_PER_MONTH + extra * od_unit * HOURS_PER_MONTH
            months.append(cost + (upfront if offset == 0 else Decimal(0)))
    on_demand = [u * od_unit * HOURS_PER_MONTH for u in units]
    return PlanOption(
        label=option.label, instrument="reserved", is_estimate=option.is_estimate, total=sum(months, Decimal(0)),
        upfront=upfront_total, committed_units=committed, hourly_commitment=Decimal(0),
        payback_month=_payback(months, on_demand), monthly=tuple(months))


def _savings_plan(units: list[Decimal], od_unit: Decimal, window: int) -> PlanOption:
    """Commit the year's baseline at the estimated Savings Plan rate; the rest on-demand."""
    rate = od_unit * (1 - SAVINGS_PLAN_NODE_DISCOUNT)
    months: list[Decimal] = []
    commitment = Decimal(0)
    for start in range(0, window, 12):
        baseline = min(units[start:start + 12])
        hourly = (baseline * rate).quantize(Decimal("0.001"), rounding=ROUND_DOWN)
        commitment = commitment or hourly
        covered = hourly / rate if rate else Decimal(0)
        for offset in range(12):
            month = start + offset
            if month >= window:
                months[-1] += hourly * HOURS_PER_MONTH
                continue
            extra = max(Decimal(0), units[month] - covered)
            months.append(hourly * HOURS_PER_MONTH + extra * od_unit * HOURS_PER_MONTH)
    on_demand = [u * od_unit * HOURS_PER_MONTH for u in units]
    return PlanOption("Database Savings Plan 1-year No Upfront (estimate)", "savings_plan", True,
                      sum(months, Decimal(0)), Decimal(0), Decimal(0), commitment,
                      _payback(months, on_demand), tuple(months))


def _commands(rec: Recommendation, region: str, node_type: str, best: PlanOption, nodes: int) -> tuple[Command, ...]:
    if best.instrument == "reserved":
        term = 3 if best.label.startswith("3-year") else 1
        payment = best.label.split(" ", 1)[1].replace(" (estimate)", "")
        return (
            Command(f"Find the {term}-year {payment} offering for {node_type} in {region} (export its "
                    f"ReservedCacheNodesOfferingId as {OFFERING_ID_ENV})",
                    ("aws", "elasticache", "describe-reserved-cache-nodes-offerings", "--cache-node-type",
                     node_type, "--duration", str(SECONDS_PER_YEAR * term), "--offering-type", payment,
                     "--product-description", rec.engine, "--region", region)),
            Command(f"Buy {nodes} reserved {node_type} {noun(nodes, 'node')} in {region}: size-flexible, "
                    f"{noun(nodes, 'it also covers', 'they also cover')} other sizes of the family by normalized units",
                    ("aws", "elasticache", "purchase-reserved-cache-nodes-offering",
                     "--reserved-cache-nodes-offering-id", EnvRef(OFFERING_ID_ENV), "--cache-node-count",
                     str(nodes), "--reserved-cache-node-id",
                     f"{cluster_id_from_name(rec.workload.name)}-{region}-{term}y"[:100], "--region", region)),
        )
    if best.instrument == "savings_plan":
        return (
            Command(f"Find the 1-year No Upfront Database Savings Plan offering (export its offeringId as "
                    f"{SAVINGS_PLAN_ENV})",
                    ("aws", "savingsplans", "describe-savings-plans-offerings", "--plan-types", "Database",
                     "--payment-options", "No Upfront", "--durations", str(SECONDS_PER_YEAR),
                     "--currencies", "USD")),
            Command(f"Commit ${best.hourly_commitment}/hour for one year (floats across Regions and database "
                    "services)",
                    ("aws", "savingsplans", "create-savings-plan", "--savings-plan-offering-id",
                     EnvRef(SAVINGS_PLAN_ENV), "--commitment", str(best.hourly_commitment))),
        )
    return ()


def _region_plan(rec: Recommendation, book: PriceBook, timeline: Timeline, region: str, window: int) -> RegionPlan:
    assert rec.topology is not None
    node_type = rec.topology.node_type
    node = book.nodes[node_type]
    units = _monthly_units(timeline, book, window)
    od_unit = _on_demand_per_unit(book, region, rec.engine, node_type)
    on_demand_months = tuple(u * od_unit * HOURS_PER_MONTH for u in units)
    on_demand = PlanOption("On-demand", "on_demand", False, sum(on_demand_months, Decimal(0)), Decimal(0),
                           Decimal(0), Decimal(0), None, on_demand_months)
    options = [on_demand]
    for option in book.reserved_options(region, rec.engine, node_type):
        options.append(_reserved(option, units, od_unit, window, _units(node.size)))
    notes = []
    if savings_plan_covers(rec.engine, node.family):
        options.append(_savings_plan(units, od_unit, window))
    else:
        why = "Redis OSS and Memcached" if rec.engine != "valkey" else f"{node.family} (before Generation 7)"
        notes.append(f"Database Savings Plans do not cover {why}: reserved nodes are the only commitment here.")
    if rec.engine == "valkey":
        notes.append(VALKEY_ON_REDIS_RESERVATIONS)
    best = min(options, key=lambda o: o.total)
    baseline_nodes = int(min(units) / _units(node.size)) if units else 0
    if best.instrument == "reserved" and len({u for u in units}) > 1:
        notes.append(f"The plan grows from {units[0]} to {units[-1]} normalized units: the baseline is reserved, "
                     "the growth runs on-demand, and a size-flexible reservation keeps applying after a scale-up "
                     "within the family.")
    return RegionPlan(region, node_type, baseline_nodes, tuple(options), best,
                      _commands(rec, region, node_type, best, baseline_nodes), tuple(notes))


def _crossovers(rec: Recommendation, book: PriceBook) -> tuple[Crossover, ...]:
    """Serverless vs the recommended cluster, with each instrument applied to both sides where it applies."""
    fit, costs, topo = rec.serverless_fit, rec.costs, rec.topology
    if fit.estimate is None or costs is None or costs.on_demand is None or topo is None:
        return ()
    storage = sum((line.total for line in fit.estimate.lines if line.unit == "GB-hours"), Decimal(0))
    ecpu = sum((line.total for line in fit.estimate.lines if line.unit == "million ECPUs"), Decimal(0))
    requests = rec.workload.avg_reads_per_sec + rec.workload.avg_writes_per_sec
    if ecpu == 0 or requests == 0:
        return ()
    per_request = ecpu / Decimal(str(requests))
    cases: list[tuple[str, Decimal, Decimal, bool]] = [("On-demand", costs.on_demand.monthly, Decimal(1), False)]
    best = costs.best_reserved
    if best is not None:
        cases.append((f"Reserved {best.option.label}", best.monthly_equivalent, Decimal(1), best.option.is_estimate))
    if savings_plan_covers(rec.engine, book.nodes[topo.node_type].family):
        cases.append(("Database Savings Plan (estimate)", costs.on_demand.monthly * (1 - SAVINGS_PLAN_NODE_DISCOUNT),
                      1 - SAVINGS_PLAN_SERVERLESS_DISCOUNT, True))
    found = []
    for label, provisioned, serverless_factor, estimate in cases:
        fixed = storage * serverless_factor
        if fixed >= provisioned:
            found.append(Crossover(label, None, estimate, f"{label}: Serverless storage alone costs more than the "
                                                          f"cluster (${provisioned:,.2f}/month)."))
            continue
        at = float((provisioned - fixed) / (per_request * serverless_factor))
        found.append(Crossover(label, at, estimate,
                               f"{label}: the cluster costs ${provisioned:,.2f}/month; Serverless costs the same at "
                               f"about {at:,.0f} average requests/s (today {requests:,.0f})."))
    return tuple(found)


def commitment_plan(rec: Recommendation, book: PriceBook, timeline: Timeline) -> CommitmentPlan | None:
    """The cheapest way to pay for the month-by-month plan, per Region, with the purchase steps."""
    window = window_of(rec)
    if rec.topology is None:
        if rec.deployment == "serverless" and savings_plan_covers(rec.engine, None):
            monthly = timeline.points[1].monthly if len(timeline.points) > 1 else Decimal(0)
            hourly = (monthly / HOURS_PER_MONTH * (1 - SAVINGS_PLAN_SERVERLESS_DISCOUNT)).quantize(
                Decimal("0.001"), rounding=ROUND_DOWN)
            note = (f"Valkey Serverless has no reservations; a Database Savings Plan covers its storage and ECPUs. "
                    f"Committing the first month's usage, about ${hourly}/hour, saves an estimated "
                    f"{SAVINGS_PLAN_SERVERLESS_DISCOUNT:.0%} of it ({SAVINGS_PLAN_SOURCE}).")
            return CommitmentPlan(window, (), (), (note,))
        return None
    if len(timeline.points) <= window:
        window = len(timeline.points) - 1
    regions = [_region_plan(rec, book, timeline, rec.workload.region, window)]
    notes = []
    for secondary in rec.workload.secondary_regions:
        if book.node_price(secondary, rec.engine, rec.topology.node_type) is None:
            notes.append(f"{secondary}: no bundled {rec.topology.node_type} price, so no plan for that Region.")
            continue
        regions.append(_region_plan(rec, book, timeline, secondary, window))
    if any(r.best.instrument == "savings_plan" for r in regions) and len(regions) > 1:
        notes.append("A Savings Plan commitment floats across Regions: the per-Region commitments can be bought as "
                     "one plan.")
    if math.isclose(window, 12) and rec.workload.horizon_months < 12:
        notes.append("The horizon is under a year: plans are judged over the 12 months of the shortest term.")
    return CommitmentPlan(window, tuple(regions), _crossovers(rec, book), tuple(notes))
