"""A recommendation as plain JSON-ready data (money as strings with cents, so nothing is lost to floats)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from advisor.costs.lines import CostEstimate
from advisor.money import round_cents
from advisor.recommendation import Recommendation
from advisor.workload import workload_to_dict


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(round_cents(value))


def estimate_to_dict(estimate: CostEstimate | None) -> dict[str, Any] | None:
    if estimate is None:
        return None
    return {
        "label": estimate.display_label,
        "monthly_usd": money(estimate.monthly),
        "upfront_usd": money(estimate.upfront),
        "is_estimate": estimate.is_estimate,
        "lines": [
            {"name": line.name, "unit": line.unit, "quantity": str(line.quantity),
             "unit_price_usd": str(line.unit_price),
             "total_usd": money(line.total), "basis": line.basis.value, "one_time": line.one_time, "note": line.note}
            for line in estimate.lines
        ],
        "caveats": list(estimate.caveats),
    }


def recommendation_to_dict(rec: Recommendation) -> dict[str, Any]:
    costs = rec.costs
    topo = rec.topology
    return {
        "headline": rec.headline,
        "region": rec.workload.region,
        "pricing_as_of": rec.pricing_as_of,
        "engine": rec.engine,
        "deployment": rec.deployment,
        "deployment_reason": rec.deployment_reason,
        "topology": None if topo is None else {
            "node_type": topo.node_type, "shards": topo.shards, "replicas_per_shard": topo.replicas_per_shard,
            "node_count": topo.node_count, "cluster_mode_enabled": topo.cluster_mode_enabled,
            "data_tiering": topo.data_tiering, "multi_az": topo.multi_az,
            "automatic_failover": topo.automatic_failover,
        },
        "costs": None if costs is None else {
            "monthly_usd": money(costs.monthly),
            "one_year_usd": money(costs.total_over(12)),
            "three_year_usd": money(costs.total_over(36)),
            "is_estimate": costs.is_estimate,
            "complete": costs.complete,
            "excluded": list(costs.excluded),
            "chosen": estimate_to_dict(costs.chosen),
            "on_demand": estimate_to_dict(costs.on_demand),
            "serverless": estimate_to_dict(costs.serverless),
            "reserved": [
                {"option": c.option.label, "term_years": c.option.term_years, "payment_option": c.option.payment_option,
                 "is_estimate": c.option.is_estimate, "upfront_usd": money(c.estimate.upfront),
                 "monthly_equivalent_usd": money(c.monthly_equivalent),
                 "saving_vs_on_demand_pct": f"{c.saving_vs_on_demand_pct:.1f}",
                 "break_even_month": c.break_even_month, "basis": c.option.basis.value,
                 "nodes": [{"region": p.region, "node_type": p.node_type, "node_count": p.node_count,
                            "basis": p.option.basis.value} for p in c.parts]}
                for c in costs.reserved
            ],
            "extended_support": [
                {"region": e.region, "engine_version": e.engine_version, "status": e.status,
                 "monthly_usd": money(e.monthly), "is_estimate": e.is_estimate,
                 "valkey_saving_monthly_usd": money(e.valkey_saving_monthly),
                 "steps": [{"label": s.label, "starts": s.starts.isoformat(), "ends": s.ends.isoformat(),
                            "usd_per_node_hour": None if s.usd_per_node_hour is None else str(s.usd_per_node_hour),
                            "basis": s.basis.value} for s in e.steps],
                 "note": e.note}
                for e in costs.extended_support
            ],
            "secondary_regions": [
                {"region": s.region, "estimate": estimate_to_dict(s.estimate), "note": s.note}
                for s in costs.secondaries
            ],
            "caveats": list(costs.caveats),
        },
        "crossover": None if rec.crossover is None else {
            "requests_per_sec": rec.crossover.requests_per_sec,
            "current_requests_per_sec": rec.crossover.current_requests_per_sec,
            "explanation": rec.crossover.explanation,
        },
        "alternatives": [
            {"node_type": c.node_type, "shards": c.shards, "replicas_per_shard": c.replicas_per_shard,
             "node_count": c.node_count, "cluster_mode_enabled": c.cluster_mode_enabled,
             "on_demand_monthly_usd": money(c.on_demand_monthly), "best_reserved_monthly_usd":
             money(c.best_reserved_monthly), "best_reserved_option": c.best_reserved_label,
             "memory_utilisation": round(c.memory_utilisation, 4)}
            for c in rec.search.ranked
        ],
        "candidates_evaluated": rec.search.evaluated,
        "findings": [f.model_dump(mode="json") for f in rec.findings],
        "workload": workload_to_dict(rec.workload),
        **outcome_to_dict(rec),
    }


def outcome_to_dict(rec: Recommendation) -> dict[str, Any]:
    """Status, conflict ids, ceiling, ways out and the given design: the outcome as data."""
    given = rec.given
    return {
        "status": rec.status,
        "conflict_ids": [f.id for f in rec.conflicts],
        "ceiling": None if rec.ceiling is None else {
            "asked": rec.ceiling.asked, "limits": rec.ceiling.limits, "nearest": rec.ceiling.nearest},
        "ways_out": [
            {"id": w.id, "title": w.title, "changes": w.changes, "set_flags": w.set_flags, "headline": w.headline,
             "monthly_usd": money(w.monthly), "copies": w.copies, "total_monthly_usd": money(w.total_monthly),
             "is_estimate": w.is_estimate}
            for w in rec.ways_out
        ],
        "given_design": None if given is None else {
            "topology": given.topology.describe(), "engine": given.topology.engine,
            "node_type": given.topology.node_type, "shards": given.topology.shards,
            "replicas_per_shard": given.topology.replicas_per_shard, "fits": given.fits,
            "monthly_usd": money(given.monthly), "recommended": given.recommended_headline,
            "recommended_monthly_usd": money(given.recommended_monthly),
            "difference_monthly_usd": money(given.difference_monthly),
            "difference_yearly_usd": money(given.difference_yearly),
            "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in given.checks],
        },
    }
