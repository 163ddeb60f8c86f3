"""The report as machine-readable JSON, valid against schemas/report.schema.json (see SCHEMA_VERSION).

Money totals are strings with two decimals and unit prices and quantities are exact decimal strings, so no
figure is changed by a float round trip.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from advisor.design_picture import DesignPicture
from advisor.money import round_cents
from advisor.report.model import Charts, CostSection, Report


def _usd(value: Decimal | None) -> str | None:
    return None if value is None else str(round_cents(value))


def _exact(value: Decimal) -> str:
    # normalize() drops trailing zeros; format with "f" keeps it out of scientific notation.
    return format(value.normalize(), "f")


def _costs(costs: CostSection | None) -> dict[str, Any] | None:
    if costs is None:
        return None
    return {
        "label": costs.label,
        "is_estimate": costs.is_estimate,
        "complete": costs.complete,
        "excluded": list(costs.excluded),
        "reserve_plan": costs.reserve_plan,
        "monthly_usd": _usd(costs.monthly),
        "one_year_usd": _usd(costs.one_year),
        "three_year_usd": _usd(costs.three_years),
        "upfront_usd": _usd(costs.upfront),
        "lines": [
            {"name": line.name, "unit": line.unit, "quantity": _exact(line.quantity),
             "unit_price_usd": _exact(line.unit_price), "total_usd": _usd(line.total), "basis": line.basis,
             "is_estimate": line.is_estimate, "one_time": line.one_time, "note": line.note}
            for line in costs.lines
        ],
        "options": [
            {"label": o.label, "kind": o.kind, "is_estimate": o.is_estimate, "chosen": o.chosen,
             "upfront_usd": _usd(o.upfront), "monthly_usd": _usd(o.monthly),
             "monthly_equivalent_usd": _usd(o.monthly_equivalent), "one_year_usd": _usd(o.one_year),
             "three_year_usd": _usd(o.three_years), "break_even_month": o.break_even_month}
            for o in costs.options
        ],
        "secondary_regions": [
            {"region": s.region, "monthly_usd": _usd(s.monthly), "is_estimate": s.is_estimate, "note": s.note}
            for s in costs.secondaries
        ],
        "caveats": list(costs.caveats),
    }


def _charts(charts: Charts) -> dict[str, Any]:
    t, r, g = charts.traffic, charts.reserved, charts.growth
    return {
        "traffic_sweep": None if t is None else {
            "requests_per_sec": list(t.requests_per_sec),
            "serverless_monthly_usd": list(t.serverless_monthly),
            "provisioned_monthly_usd": list(t.provisioned_monthly),
            "provisioned_config": list(t.provisioned_config),
            "crossover_requests_per_sec": list(t.crossovers),
            "current_requests_per_sec": t.current_requests_per_sec,
        },
        "reserved_cumulative": None if r is None else {
            "months": list(r.months),
            "series": [{"label": label, "cumulative_usd": list(values)} for label, values in r.series],
        },
        "growth": None if g is None else {
            "months": list(g.months), "dataset_gb": list(g.dataset_gb),
            "provisioned_monthly_usd": list(g.provisioned_monthly),
            "serverless_monthly_usd": list(g.serverless_monthly),
            "provisioned_config": list(g.provisioned_config),
        },
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    return {
        "schema_version": report.schema_version,
        "title": report.title,
        "generated_on": report.generated_on,
        "pricing_as_of": report.pricing_as_of,
        "region": report.region,
        "currency": report.currency,
        "workload": report.workload,
        "inputs": [{"field": i.field, "description": i.description, "value": i.value} for i in report.inputs],
        "headline": report.headline,
        "feasible": report.feasible,
        "engine": report.engine,
        "deployment": report.deployment,
        "deployment_reason": report.deployment_reason,
        "topology": report.topology,
        "findings": [
            {"id": f.id, "severity": f.severity, "title": f.title, "decision": f.decision, "rationale": f.rationale,
             "evidence": [{"name": k, "value": v} for k, v in f.evidence], "docs": list(f.docs),
             "patterns": list(f.patterns), "monthly_saving_usd": _usd(f.monthly_saving)}
            for f in report.findings
        ],
        "warnings": [f.id for f in report.warnings],
        "conflicts": [f.id for f in report.conflicts],
        "alternatives": [
            {"rank": a.rank, "node_type": a.node_type, "shards": a.shards, "replicas_per_shard": a.replicas_per_shard,
             "node_count": a.node_count, "cluster_mode_enabled": a.cluster_mode_enabled,
             "on_demand_monthly_usd": _usd(a.on_demand_monthly),
             "best_reserved_monthly_usd": _usd(a.best_reserved_monthly), "best_reserved_option": a.best_reserved_label,
             "memory_utilisation": round(a.memory_utilisation, 4), "chosen": a.chosen}
            for a in report.alternatives
        ],
        "candidates_evaluated": report.candidates_evaluated,
        "costs": _costs(report.costs),
        "crossover": report.crossover,
        "charts": _charts(report.charts),
        "commands": {
            "aws_cli": [{"purpose": c.purpose, "text": c.text} for c in report.aws_cli],
            "terraform": report.terraform,
            "cloudformation": report.cloudformation,
        },
        "assumptions": list(report.assumptions),
        "caveats": list(report.caveats),
        "known_gaps": list(report.known_gaps),
        "decision_depth": None if report.decision_depth is None else report.decision_depth.data,
        "status": report.status,
        "outcome": report.outcome,
        "design": _design(report.design),
        "given_design": _design(report.given_design),
        "patterns": [
            {"id": p.id, "title": p.title, "summary": p.summary, "when_to_use": p.when_to_use,
             "trade_offs": list(p.trade_offs), "code": p.code, "docs": list(p.docs)}
            for p in report.patterns
        ],
    }


def _design(d: DesignPicture | None) -> dict[str, Any] | None:
    """A design picture as data: what a tool needs to redraw it (boxes, links) and the counts it shows."""
    if d is None:
        return None
    return {
        "label": d.label, "title": d.title, "caption": d.caption, "width": d.width, "height": d.height,
        "counts": asdict(d.counts),
        "boxes": [{"kind": b.kind, "role": b.role, "region": b.region, "label": b.label, "x": b.x, "y": b.y,
                   "width": b.width, "height": b.height} for b in d.boxes],
        "links": [{"label": a.label, "target_region": a.target, "points": [list(pt) for pt in a.points]}
                  for a in d.arrows],
    }


def render_json(report: Report) -> str:
    # ensure_ascii keeps the file 7-bit, so no reader can mis-decode a user's name; < > & as \u escapes (same
    # data once parsed) let the JSON sit inside an HTML <script> block without a name closing it.
    text = json.dumps(report_to_dict(report), indent=2, ensure_ascii=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"
