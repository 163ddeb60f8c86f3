"""A multi-year commitment: which reservation to buy, and how size flexibility keeps it useful as sizes change."""

from __future__ import annotations

from decimal import Decimal

from advisor import docs
from advisor.depth.commitments import NORMALIZED_UNITS, savings_plan_covers
from advisor.findings import Finding, Severity
from advisor.money import fmt_usd
from advisor.pricing.book import PriceBook
from advisor.recommendation import Recommendation
from advisor.rules.registry import rule
from advisor.wording import choice_label, count_noun


def _flexibility(family: str, size: str, count: int) -> str:
    units = NORMALIZED_UNITS.get(size)
    if units is None:
        return f"reservations apply to any {family} size in this Region by normalized units"
    larger = next((s for s, u in NORMALIZED_UNITS.items() if u == units * 2), None)
    example = (f": {count} x {family}.{size} is {units * count:g} normalized units ({units:g} each), which a "
               f"reservation of {count / 2:g} x {family}.{larger} ({units * 2:g} each) also covers" if larger else "")
    return (f"a reservation applies to any size of the {family} family in this Region by normalized units"
            f"{example}; other families (r6g vs r6gd, r7g vs m7g) are not covered. Unit table: MemoryDB's, the "
            "ElastiCache equivalence unverified")


def commitment(rec: Recommendation, book: PriceBook) -> Finding | None:
    w = rec.workload
    years = w.commitment_years
    if years == 0 or rec.costs is None:
        return None
    if rec.deployment == "serverless":
        covered = savings_plan_covers(rec.engine, None)
        return Finding(
            id="pricing.commitment_serverless", severity=Severity.ADVICE,
            title=f"{years}-year commitment: Serverless has no reserved pricing",
            decision=("Commit through a 1-year Database Savings Plan (covers Valkey Serverless), or move to "
                      "node-based reserved nodes if the load is steady.") if covered else
                     "Move to node-based reserved nodes if the load is steady; Serverless has no reservations.",
            rationale="Reserved nodes exist only for node-based clusters. Database Savings Plans (1 year, No "
                      "Upfront) cover Valkey only, node-based Gen 7+ and Valkey Serverless; the discount (about "
                      "30% on Serverless) is an ESTIMATE from secondary sources.",
            evidence={"Serverless now": f"{fmt_usd(rec.costs.chosen.monthly)}/month",
                      "Savings Plan covers this engine": choice_label(covered)},
            docs=[docs.RESERVED_NODES, docs.PRICING],
        )
    topo = rec.topology
    options = [r for r in rec.costs.reserved if r.option.term_years == years]
    if topo is None or not options or rec.costs.on_demand is None:
        return None
    best = min(options, key=lambda r: r.monthly_equivalent)
    on_demand = rec.costs.on_demand.monthly
    node = book.nodes[topo.node_type]
    evidence = {"on-demand": f"{fmt_usd(on_demand)}/month for {topo.node_count} x {topo.node_type}"}
    for option in sorted(options, key=lambda r: r.monthly_equivalent):
        upfront = option.option.upfront_usd or Decimal(0)
        evidence[f"{years}-year {option.option.payment_option}"] = (
            f"{fmt_usd(option.monthly_equivalent)}/month effective ({option.saving_vs_on_demand_pct:.0f}% less), "
            f"{fmt_usd(upfront * topo.node_count)} upfront" + (" (estimate)" if option.option.is_estimate else ""))
    saving = (on_demand - best.monthly_equivalent) * 12 * years
    estimate = " (estimate)" if best.option.is_estimate else ""
    evidence[f"saving over {count_noun(years, 'year')}"] = fmt_usd(saving) + estimate
    if savings_plan_covers(rec.engine, node.family):
        evidence["Database Savings Plan"] = "also covers this Valkey Gen 7+ node (1 year, about 20%: an estimate)"
    return Finding(
        id="pricing.commitment", severity=Severity.DECISION,
        title=f"{years}-year commitment: reserve {topo.node_count} x {topo.node_type}",
        decision=f"Buy {topo.node_count} {years}-year {best.option.payment_option} reserved nodes for "
                 f"{topo.node_type} in {w.region}: {fmt_usd(best.monthly_equivalent)}/month effective.",
        rationale=f"A reservation is a billing discount on matching running nodes, fixed to Region, family and "
                  f"term. Size flexibility: {_flexibility(node.family, node.size, topo.node_count)}. So growing "
                  f"from .large to .xlarge within {node.family} keeps the discount; changing family does not.",
        evidence=evidence, docs=[docs.RESERVED_NODES, docs.RESERVED_SIZE_FLEXIBILITY],
        monthly_saving_usd=float(on_demand - best.monthly_equivalent),
    )


rule("pricing.commitment")(commitment)
