"""Reserved nodes, budget, and how trustworthy the figures are."""

from __future__ import annotations

from decimal import Decimal

from advisor import docs
from advisor.costs.extended_support import DOC as EXTENDED_SUPPORT_DOC
from advisor.costs.provisioned import ReservedComparison
from advisor.findings import Finding, Severity
from advisor.money import fmt_usd
from advisor.pricing.book import PriceBook
from advisor.pricing.schema import Basis
from advisor.recommendation import Recommendation
from advisor.rules.registry import rule
from advisor.wording import ENGINE_LABELS, count_noun
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
        saved = rec.costs.on_demand.monthly - pick.monthly_equivalent if rec.costs.on_demand else None
        decision = (f"Buy {pick.node_count} reserved nodes ({pick.plan}): {pick.option.label}, about "
                    f"{fmt_usd(saved)}/month saved. Reservations are size-flexible within the family and Region.")
        rationale = ("Steady node-based capacity is cheapest reserved; a 3-year term saves most but commits longest, "
                     "so it fits only when the planning horizon covers it.")
        severity = Severity.ADVICE
    else:
        decision = "Stay on-demand until the load settles; then reserve the steady baseline."
        rationale = "Spiky or dev/test capacity changes too often to commit to a 1- or 3-year reservation."
        severity = Severity.ADVICE
    covered = pick or rec.costs.best_reserved
    if covered is not None and len(covered.parts) > 1:
        rationale += (" Every cluster of the design is covered, each reserved in its own Region at that Region's "
                      "price: " + covered.plan + ".")
        evidence["nodes to reserve"] = covered.plan
    if rec.costs.excluded:
        rationale += f" Not covered (no price): {', '.join(rec.costs.excluded)}."
    if any(c.option.is_estimate for c in rec.costs.reserved):
        rationale += (" Reserved figures marked '(estimate)' come from the typical discount for their term and "
                      "payment option, not from a published price for this node type.")
    if any(c.option.basis == Basis.DERIVED for c in rec.costs.reserved):
        rationale += (" Reserved figures marked '(derived)' are not published for this engine: they follow AWS's "
                      "pricing rules from the published reservation of the same node type (Valkey = 0.8 x Redis "
                      "OSS; Redis OSS = Memcached).")
    return Finding(id="pricing.reserved", severity=severity, title="Reserved nodes", decision=decision,
                   rationale=rationale, evidence=evidence, docs=[docs.RESERVED_NODES, docs.PRICING])


rule("pricing.reserved")(reserved)


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


rule("pricing.budget")(budget)


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
        rationale=f"Bundled {rec.workload.region} prices as of {book.region_as_of(rec.workload.region)} (the date "
                  "of its newest source); every row carries its source and date."
                  + (" Some figures are estimates and are labelled so." if estimates else ""),
        evidence=notes, docs=[docs.PRICING])


rule("pricing.provenance")(provenance)


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


rule("pricing.region_offer")(region_offer)


def incomplete_total(rec: Recommendation, book: PriceBook) -> Finding | None:
    """A part of the design without a price is named, never dropped from the total in silence."""
    if rec.costs is None or rec.costs.complete:
        return None
    return Finding(
        id="pricing.incomplete_total", severity=Severity.WARNING, title="The total leaves part of the design out",
        decision=f"Read the total as incomplete: it excludes {', '.join(rec.costs.excluded)}.",
        rationale="No bundled price covers those parts, so they are not in the monthly or reserved figures; "
                  "refresh the price tables for them (python -m advisor pricing refresh --regions ...) before "
                  "budgeting.",
        evidence={s.region: s.note for s in rec.costs.secondaries if s.estimate is None},
        docs=[docs.PRICING])


rule("pricing.incomplete_total")(incomplete_total)


def extended_support(rec: Recommendation, book: PriceBook) -> Finding | None:
    """A pinned Redis OSS version past (or nearing) standard support: the surcharge, its steps, the way out."""
    if rec.costs is None or not rec.costs.extended_support:
        return None
    charges = [c for c in rec.costs.extended_support if c.status in ("charged", "not_started")]
    if not charges:
        return None
    primary = charges[0]
    evidence = {}
    for step in primary.steps:
        rate = "not priced" if step.usd_per_node_hour is None else f"${step.usd_per_node_hour}/node-hour"
        basis = " (estimate)" if step.basis == Basis.ESTIMATE else ""
        evidence[f"{step.label} from {step.starts.isoformat()}"] = f"{rate}{basis} in {primary.region}"
    monthly = sum((c.monthly for c in charges), Decimal(0))
    saving = sum((c.valkey_saving_monthly or Decimal(0) for c in charges), Decimal(0))
    evidence["surcharge now"] = f"{fmt_usd(monthly)}/month ({count_noun(len(charges), 'Region')})"
    evidence["upgrading to Valkey saves"] = f"{fmt_usd(saving)}/month (surcharge plus the 20% Valkey node price)"
    if primary.status == "charged":
        estimate = " (estimate)" if any(c.is_estimate for c in charges) else ""
        decision = (f"Upgrade Redis OSS {primary.engine_version} to Valkey: the design pays {fmt_usd(monthly)}/month"
                    f"{estimate} in Extended Support, included in its total.")
        severity = Severity.WARNING
    else:
        decision = (f"Plan the move off Redis OSS {primary.engine_version} before "
                    f"{primary.steps[0].starts.isoformat()}, when Extended Support charges start.")
        severity = Severity.ADVICE
    return Finding(
        id="pricing.extended_support", severity=severity, title=f"Extended Support for Redis OSS "
                                                                 f"{primary.engine_version}",
        decision=decision, rationale=primary.note, evidence=evidence,
        monthly_saving_usd=float(saving) if saving else None, docs=[EXTENDED_SUPPORT_DOC, docs.PRICING])


rule("pricing.extended_support")(extended_support)
