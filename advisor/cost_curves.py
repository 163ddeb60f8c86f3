"""Data behind the cost charts: traffic sweeps, reserved cumulative costs, growth and engine comparisons.

Pure data in, data out; the UI and the report turn these into charts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from advisor.choices import assess_serverless
from advisor.optimizer import search
from advisor.pricing.book import PriceBook
from advisor.pricing.schema import Engine
from advisor.recommendation import Recommendation
from advisor.workload import Workload

DEFAULT_TRAFFIC_SCALES: tuple[float, ...] = (
    0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 7.5, 10.0, 15.0, 20.0,
)


@dataclass(frozen=True)
class TrafficPoint:
    scale: float
    average_requests_per_sec: float
    serverless_monthly: Decimal | None
    provisioned_monthly: Decimal | None  # cheapest feasible topology at this traffic, on-demand
    provisioned_config: str


def traffic_sweep(
    workload: Workload, book: PriceBook, engine: Engine, scales: tuple[float, ...] = DEFAULT_TRAFFIC_SCALES
) -> list[TrafficPoint]:
    """Serverless (linear in traffic) vs the cheapest provisioned cluster (steps up with traffic)."""
    points = []
    base = workload.avg_reads_per_sec + workload.avg_writes_per_sec
    for scale in scales:
        best = search(workload, book, engine, traffic_scale=scale, top=1).best
        fit = assess_serverless(workload, book, engine, traffic_scale=scale)
        points.append(TrafficPoint(
            scale=scale,
            average_requests_per_sec=base * scale,
            serverless_monthly=fit.estimate.monthly if fit.estimate is not None and fit.feasible else None,
            provisioned_monthly=best.on_demand_monthly if best else None,
            provisioned_config=f"{best.node_count} x {best.node_type}" if best else "no fit",
        ))
    return points


def crossover_points(points: list[TrafficPoint]) -> list[float]:
    """Average requests/s where the two curves cross, by linear interpolation between sweep points."""
    crossings = []
    for a, b in pairwise(points):
        if None in (a.serverless_monthly, a.provisioned_monthly, b.serverless_monthly, b.provisioned_monthly):
            continue
        da = float(a.serverless_monthly - a.provisioned_monthly)  # type: ignore[operator]
        db = float(b.serverless_monthly - b.provisioned_monthly)  # type: ignore[operator]
        if da == 0:
            crossings.append(a.average_requests_per_sec)
        elif da * db < 0:
            t = da / (da - db)
            crossings.append(a.average_requests_per_sec + t * (b.average_requests_per_sec - a.average_requests_per_sec))
    return crossings


def describe_sweep(points: list[TrafficPoint], crossings: list[float], current_rps: float) -> str:
    """What the traffic chart shows, in one or two sentences: which side is cheaper where, read from the same
    points the chart draws (so the caption can never contradict the chart above it)."""
    both = [p for p in points if p.serverless_monthly is not None and p.provisioned_monthly is not None]
    if not both:
        return ("The chart has no traffic level where both Serverless and a node-based cluster are priced and "
                "fit, so there is nothing to compare.")
    low, high = both[0], both[-1]
    span = f"{low.average_requests_per_sec:,.0f} to {high.average_requests_per_sec:,.0f} average requests/s"

    def cheaper(p: TrafficPoint) -> str:
        return "Serverless" if p.serverless_monthly < p.provisioned_monthly else "provisioned"  # type: ignore[operator]

    if not crossings:
        return (f"Across the range drawn ({span}), {cheaper(low)} is cheaper at every traffic level; the curves "
                "do not cross.")
    where = " and ".join(f"about {x:,.0f}" for x in crossings)
    # Each crossing below today's traffic flips which side is cheaper, starting from the lowest point drawn.
    flips = sum(1 for x in crossings if x < current_rps)
    today = cheaper(low) if flips % 2 == 0 else ("provisioned" if cheaper(low) == "Serverless" else "Serverless")
    return (f"The curves cross at {where} average requests/s: {cheaper(low)} is cheaper below"
            f"{' the first crossing' if len(crossings) > 1 else ''}, {cheaper(high)} above"
            f"{' the last' if len(crossings) > 1 else ''}. At today's {current_rps:,.0f} requests/s "
            f"{today} is cheaper. The provisioned curve re-sizes the cluster at every traffic level.")


@dataclass(frozen=True)
class CumulativeSeries:
    label: str
    is_estimate: bool
    monthly_totals: list[Decimal]  # cumulative cost at the end of months 1..N
    break_even_month: int | None


def reserved_cumulative(rec: Recommendation, months: int = 36) -> list[CumulativeSeries]:
    """On-demand and each reserved option, cumulative over `months`; a 1-year term renews at its own price."""
    costs = rec.costs
    if costs is None or costs.on_demand is None:
        return []
    series = [CumulativeSeries("On-demand", costs.on_demand.is_estimate, costs.on_demand.cumulative(months), None)]
    for comparison in costs.reserved:
        term = comparison.term_months
        estimate = comparison.estimate
        totals = []
        for month in range(1, months + 1):
            terms_started = (month - 1) // term + 1
            totals.append(estimate.upfront * terms_started + estimate.monthly * month)
        series.append(CumulativeSeries(comparison.option.label, comparison.option.is_estimate, totals,
                                       comparison.break_even_month))
    return series


@dataclass(frozen=True)
class GrowthPoint:
    month: int
    dataset_gb: float
    provisioned_monthly: Decimal | None
    provisioned_config: str
    serverless_monthly: Decimal | None


def growth_curve(workload: Workload, book: PriceBook, engine: Engine, step_months: int = 3) -> list[GrowthPoint]:
    """Monthly cost as the dataset grows: each point sized for that month's data (no further growth)."""
    points = []
    for month in range(0, workload.horizon_months + 1, max(1, step_months)):
        dataset = workload.current_dataset_gb * (1 + workload.monthly_growth_percent / 100) ** month
        at_month = workload.with_changes(dataset_gb=dataset, item_count=None, horizon_months=0,
                                         monthly_growth_percent=0)
        best = search(at_month, book, engine, top=1).best
        fit = assess_serverless(at_month, book, engine)
        points.append(GrowthPoint(
            month=month, dataset_gb=dataset,
            provisioned_monthly=best.on_demand_monthly if best else None,
            provisioned_config=f"{best.node_count} x {best.node_type}" if best else "no fit",
            serverless_monthly=fit.estimate.monthly if fit.estimate is not None and fit.feasible else None,
        ))
    return points


@dataclass(frozen=True)
class EngineCost:
    engine: Engine
    provisioned_monthly: Decimal | None
    provisioned_config: str
    serverless_monthly: Decimal | None


def engine_comparison(workload: Workload, book: PriceBook) -> list[EngineCost]:
    """Valkey vs Redis OSS for the same workload (Memcached only when it could serve it)."""
    from advisor.choices import memcached_blockers

    engines: list[Engine] = ["valkey", "redis"]
    if not memcached_blockers(workload):
        engines.append("memcached")
    rows = []
    for engine in engines:
        best = search(workload, book, engine, top=1).best
        fit = assess_serverless(workload, book, engine)
        rows.append(EngineCost(
            engine=engine, provisioned_monthly=best.on_demand_monthly if best else None,
            provisioned_config=f"{best.node_count} x {best.node_type}" if best else "no fit",
            serverless_monthly=fit.estimate.monthly if fit.estimate is not None and fit.feasible else None,
        ))
    return rows
