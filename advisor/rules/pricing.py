"""Reserved nodes, budget, and how trustworthy the figures are."""

from __future__ import annotations

from advisor import docs
from advisor.costs.provisioned import ReservedComparison
from advisor.findings import Finding, Severity
from advisor.money import fmt_usd
from advisor.pricing.book import PriceBook
from advisor.pricing.schema import ENGINE_LABELS, Basis
from advisor.recommendation import Recommendation
from advisor.rules.registry import rule
from advisor.workload import TrafficShape

OLD_PRICE_DAYS = 365


def advised_reservation(rec: Recommendation) -> ReservedComparison | None:
    """The reservation the advisor tells the user to buy, or None (stay on-demand, or Serverless). The rule
    below and every report read this one function, so they never disagree about what is recommended."""
    if rec.deployment != "provisioned" or rec.costs is None or not rec.costs.reserved:
        return None
    w = rec.workload
    if w.traffic_shape not in (TrafficShape.STEADY, TrafficShape.DAILY_CYCLE):
        return None
    one_year = [c for c in rec.costs.reserved if c.option.term_years == 1]
    if w.horizon_months < 36 and one_year:
        return min(one_year, key=lambda c: c.monthly_equivalent)
    return rec.costs.best_reserved


@rule("pricing.reserved")
def reserved(rec: Recommendation, book: PriceBook) -> Finding | None:
    if rec.deployment != "provisioned" or rec.costs is None or not rec.costs.reserved:
        return None
    evidence = {}
    for comparison in rec.costs.reserved:
        break_even = f", break-even month {comparison.break_even_month}" if comparison.break_even_month else ""
        evidence[comparison.option.label] = (
            f"{fmt_usd(comparison.monthly_equivalent)}/month effective, saves "
            f"{comparison.saving_vs_on_demand_pct:.0f}%{break_even}")
    pick = advised_reservation(rec)
    if pick is not None:
        nodes = rec.topology.node_count if rec.topology else 0
        saved = rec.costs.on_demand.monthly - pick.monthly_equivalent if rec.costs.on_demand else None
        decision = (f"Buy {nodes} reserved nodes: {pick.option.label}, about {fmt_usd(saved)}/month saved. "
                    "Reservations are size-flexible within the family.")
        rationale = ("Steady node-based capacity is cheapest reserved; a 3-year term saves most but commits longest, "
                     "so it fits only when the planning horizon covers it.")
        severity = Severity.ADVICE
    else:
        decision = "Stay on-demand until the load settles; then reserve the steady baseline."
        rationale = "Spiky or dev/test capacity changes too often to commit to a 1- or 3-year reservation."
        severity = Severity.ADVICE
    if any(c.option.is_estimate for c in rec.costs.reserved):
        rationale += (" Reserved figures marked '(estimate)' come from the typical discount for their term and "
                      "payment option, not from a published price for this node type.")
    if any(c.option.basis == Basis.DERIVED for c in rec.costs.reserved):
        rationale += (" Reserved figures marked '(derived)' are not published for this engine: they follow AWS's "
                      "pricing rules from the published reservation of the same node type (Valkey = 0.8 x Redis "
                      "OSS; Redis OSS = Memcached).")
    return Finding(id="pricing.reserved", severity=severity, title="Reserved nodes", decision=decision,
                   rationale=rationale, evidence=evidence, docs=[docs.RESERVED_NODES, docs.PRICING])


@rule("pricing.budget")
def budget(rec: Recommendation, book: PriceBook) -> Finding | None:
    w = rec.workload
    if w.monthly_budget_usd is None or rec.costs is None:
        return None
    monthly = rec.costs.monthly
    limit = w.monthly_budget_usd
    evidence = {"budget": f"${limit:,.2f}/month", "recommended": f"{fmt_usd(monthly)}/month"}
    if monthly <= limit:
        return Finding(id="pricing.budget", severity=Severity.ADVICE, title="Within budget",
                       decision="The recommendation fits the budget.",
                       rationale=f"{fmt_usd(monthly)} per month is below the ${limit:,.2f} budget.",
                       evidence=evidence, docs=[docs.PRICING])
    best = rec.costs.best_reserved
    if best is not None and rec.costs.on_demand is not None:
        reserved_total = monthly - rec.costs.on_demand.monthly + best.monthly_equivalent
        evidence["with " + best.option.label] = f"{fmt_usd(reserved_total)}/month"
        if reserved_total <= limit:
            return Finding(
                id="pricing.budget", severity=Severity.WARNING, title="Over budget on-demand, within it reserved",
                decision=f"Meet the budget by reserving: {best.option.label}.",
                rationale=f"On-demand costs {fmt_usd(monthly)}, above the ${limit:,.2f} budget; the reservation "
                          f"brings it to {fmt_usd(reserved_total)}.",
                evidence=evidence, docs=[docs.RESERVED_NODES])
    alternatives = []
    if rec.serverless_fit.estimate is not None and rec.serverless_fit.feasible:
        alternatives.append(f"Serverless at {fmt_usd(rec.serverless_fit.estimate.monthly)}/month")
    cheapest = rec.search.best
    if cheapest is not None:
        alternatives.append(f"{cheapest.node_count} x {cheapest.node_type} at "
                            f"{fmt_usd(cheapest.best_reserved_monthly)}/month with {cheapest.best_reserved_label}")
    return Finding(
        id="pricing.budget", severity=Severity.CONFLICT, title="No feasible option fits the budget",
        decision="Raise the budget or relax a requirement (availability, horizon, dataset).",
        rationale=f"The cheapest feasible configuration costs more than ${limit:,.2f} per month. Closest: "
                  + ("; ".join(alternatives) or "none") + ".",
        evidence=evidence, docs=[docs.PRICING])


@rule("pricing.provenance")
def provenance(rec: Recommendation, book: PriceBook) -> Finding | None:
    topo = rec.topology
    if rec.costs is None:
        return None
    notes = {}
    if topo is not None:
        price = book.node_price(rec.workload.region, topo.engine, topo.node_type)
        if price is not None:
            age = (book.manifest.compiled - price.source_date).days
            notes["node price"] = (f"${price.usd_per_hour}/h, {price.basis.value}, source dated {price.source_date}, "
                                   f"confidence {price.confidence}")
            if age > OLD_PRICE_DAYS:
                notes["age"] = f"{age} days old"
    if rec.serverless_fit.estimate is not None:
        serverless = book.serverless_price(rec.workload.region, rec.engine)
        if serverless is not None:
            notes["Serverless price"] = (f"${serverless.storage_usd_per_gb_hour}/GB-h, "
                                         f"${serverless.ecpu_usd_per_million}/M ECPU, confidence "
                                         f"{serverless.confidence}, dated {serverless.source_date}")
    estimates = rec.costs.is_estimate or any(c.option.is_estimate for c in rec.costs.reserved)
    old = "age" in notes
    severity = Severity.WARNING if old else Severity.ADVICE
    return Finding(
        id="pricing.provenance", severity=severity, title="Where the prices come from",
        decision="Check the figures against the AWS pricing page before committing"
                 + (", and refresh the price tables: the node price is over a year old." if old else "."),
        rationale=f"Bundled prices as of {book.manifest.as_of}; every row carries its source and date."
                  + (" Some figures are estimates and are labelled so." if estimates else ""),
        evidence=notes, docs=[docs.PRICING])


@rule("pricing.region_offer")
def region_offer(rec: Recommendation, book: PriceBook) -> Finding | None:
    """A Region that lists fewer node families than AWS offers elsewhere is searched over what it has."""
    region, engine = rec.workload.region, rec.engine
    missing = book.unoffered_families(region, engine)
    if not missing:
        return None
    offered = book.node_families(region, engine)
    return Finding(
        id="pricing.region_offer", severity=Severity.ADVICE,
        title=f"Node families offered in {region}",
        decision=f"The search covered the {ENGINE_LABELS[engine]} node families {region} offers: "
                 f"{', '.join(offered)}.",
        rationale=f"AWS publishes no {ENGINE_LABELS[engine]} price in {region} for {', '.join(missing)}, so those "
                  "families are not offered there and were left out (see the node types ruled out). Compare in "
                  "another Region if you need them.",
        evidence={"offered": ", ".join(offered), "not offered here": ", ".join(missing),
                  "prices as of": book.region_as_of(region).isoformat()},
        docs=[docs.PRICING])
