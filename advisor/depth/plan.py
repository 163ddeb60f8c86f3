"""All of decision depth for one recommendation, as one object and as JSON-ready data."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from advisor.money import fmt_usd, round_cents
from advisor.pricing.book import PriceBook
from advisor.recommendation import Recommendation

from .commitments import CommitmentPlan, commitment_plan
from .durability import DurabilityAdvice, durability_advice
from .flips import FlipAnalysis, what_changes_the_answer
from .headroom import Headroom, headroom
from .timeline import Timeline, design_timeline
from .upgrade import StayOrUpgrade, for_recommendation


@dataclass(frozen=True)
class DecisionDepth:
    flips: FlipAnalysis | None  # None when nothing is feasible to flip from
    timeline: Timeline | None
    headroom: Headroom | None
    commitments: CommitmentPlan | None = None
    durability: DurabilityAdvice | None = None
    stay_or_upgrade: StayOrUpgrade | None = None  # Redis OSS designs only


def decision_depth(rec: Recommendation, book: PriceBook, traffic_growth_percent: float | None = None, *,
                   today: dt.date | None = None, migration_cost: Decimal = Decimal(0)) -> DecisionDepth:
    if not rec.feasible:
        return DecisionDepth(None, None, None)
    timeline = design_timeline(rec, book, traffic_growth_percent)
    return DecisionDepth(
        flips=what_changes_the_answer(rec, book),
        timeline=timeline,
        headroom=headroom(rec, book),
        commitments=commitment_plan(rec, book, timeline),
        durability=durability_advice(rec, book),
        stay_or_upgrade=for_recommendation(rec, book, today or dt.date.today(), migration_cost),
    )


def _money(value: Any) -> str | None:
    return None if value is None else str(round_cents(value))


def _share(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 4)


def _commitments_dict(plan: CommitmentPlan | None) -> dict[str, Any] | None:
    if plan is None:
        return None
    return {
        "window_months": plan.window_months,
        "saving_usd": _money(plan.saving),
        "regions": [{
            "region": r.region, "node_type": r.node_type, "baseline_nodes": r.baseline_nodes,
            "best": r.best.label,
            "options": [{"label": o.label, "instrument": o.instrument, "is_estimate": o.is_estimate,
                         "total_usd": _money(o.total), "upfront_usd": _money(o.upfront),
                         "hourly_commitment_usd": str(o.hourly_commitment) if o.hourly_commitment else None,
                         "payback_month": o.payback_month, "saving_vs_on_demand_usd": _money(
                             o.saving_against(r.options[0]))} for o in r.options],
            "purchase_steps": [{"purpose": c.purpose, "command": c.render()} for c in r.commands],
            "notes": list(r.notes),
        } for r in plan.regions],
        "serverless_crossover": [{"instrument": c.instrument, "requests_per_sec": c.requests_per_sec,
                                  "is_estimate": c.is_estimate, "explanation": c.explanation}
                                 for c in plan.crossovers],
        "notes": list(plan.notes),
    }


def depth_to_dict(depth: DecisionDepth) -> dict[str, Any]:
    flips, timeline, room = depth.flips, depth.timeline, depth.headroom
    return {
        "what_changes_the_answer": None if flips is None else {
            "design": flips.design.describe(),
            "optimizer_runs": flips.probes,
            "flips": [{"input": f.input, "label": f.label, "unit": f.unit, "direction": f.direction,
                       "current": f.current, "threshold": f.threshold, "change_percent": round(f.change_percent, 2),
                       "changes": list(f.changes), "before": f.before, "after": f.after,
                       "monthly_after_usd": _money(f.monthly_after), "monthly_delta_usd": _money(f.monthly_delta),
                       "sentence": f.sentence} for f in flips.flips],
            "holds": [{"input": h.input, "label": h.label, "direction": h.direction, "current": h.current,
                       "searched_to": h.searched_to} for h in flips.holds],
            "decisions": [{"decision": d.decision, "note": d.note,
                           "nearest_input": d.nearest.input if d.nearest else None} for d in flips.decisions],
            "skipped": list(flips.skipped),
        },
        "when_it_stops_fitting": None if timeline is None else {
            "months": timeline.months,
            "traffic_growth_percent": timeline.traffic_growth_percent,
            "first_crossing_month": dict(timeline.first_crossing),
            "steps": [{"month": s.month, "trigger": s.trigger, "action": s.action, "before": s.before,
                       "after": s.after, "monthly_before_usd": _money(s.monthly_before),
                       "monthly_after_usd": _money(s.monthly_after), "disruption": s.disruption,
                       "sentence": s.sentence} for s in timeline.steps],
            "months_detail": [{"month": p.month, "dataset_gb": round(p.dataset_gb, 4), "memory": _share(p.memory),
                               "cpu": _share(p.cpu), "network": _share(p.network), "design": p.design,
                               "monthly_usd": _money(p.monthly)} for p in timeline.points],
            "total_usd": _money(timeline.total),
            "notes": list(timeline.notes),
        },
        "headroom": None if room is None else {
            "applies": room.applies, "all_fit": room.all_fit, "note": room.note,
            "checks": [{"id": c.id, "scenario": c.scenario, "fits": c.fits, "explanation": c.explanation,
                        "evidence": dict(c.evidence), "remedy": c.remedy,
                        "remedy_monthly_usd": _money(c.remedy_monthly)} for c in room.checks],
        },
        "commitments": _commitments_dict(depth.commitments),
        "durability": None if depth.durability is None else {
            "applies": depth.durability.applies, "needed": depth.durability.needed,
            "recommendation": depth.durability.recommendation,
            "modes": [{"setting": m.setting, "protects": m.protects, "write_latency": m.write_latency,
                       "monthly_surcharge_usd": _money(m.monthly_surcharge), "surcharge_note": m.surcharge_note,
                       "meets_rpo": m.meets_rpo} for m in depth.durability.modes],
            "commands": [{"purpose": c.purpose, "command": c.render()} for c in depth.durability.commands],
            "docs": list(depth.durability.docs),
        },
        "stay_or_upgrade": _upgrade_dict(depth.stay_or_upgrade),
    }


def _upgrade_dict(upgrade: StayOrUpgrade | None) -> dict[str, Any] | None:
    if upgrade is None:
        return None
    return {
        "engine_version": upgrade.engine_version, "region": upgrade.region, "node_type": upgrade.node_type,
        "node_count": upgrade.node_count, "is_estimate": upgrade.is_estimate, "path": upgrade.path,
        "in_place": upgrade.in_place, "migration_cost_usd": _money(upgrade.migration_cost),
        "payback_month": upgrade.payback_month,
        "dearer_on": upgrade.dearer_on.isoformat() if upgrade.dearer_on else None, "dearer_why": upgrade.dearer_why,
        "stay_total_usd": _money(upgrade.stay_total), "upgrade_total_usd": _money(upgrade.upgrade_total),
        "saving_usd": _money(upgrade.saving),
        "months": [{"month": m.month, "starts": m.starts.isoformat(), "stay_usd": _money(m.stay),
                    "surcharge_usd": _money(m.surcharge), "upgrade_usd": _money(m.upgrade)} for m in upgrade.months],
        "commands": [{"purpose": c.purpose, "command": c.render()} for c in upgrade.commands],
        "notes": list(upgrade.notes),
    }


def render_depth_text(depth: DecisionDepth) -> str:
    """Plain text for the terminal: the sentences a reader acts on."""
    lines: list[str] = []
    if depth.flips is not None:
        lines.append("What would change the answer")
        lines += [f"  - {d.decision}: {d.note}" for d in depth.flips.decisions]
        lines.append("")
    if depth.timeline is not None:
        first = depth.timeline.first_crossing
        lines.append(f"When the design stops fitting (months 0-{depth.timeline.months})")
        lines += [f"  - first month over the alarm level for {name}: {month if month is not None else 'never'}"
                  for name, month in first.items()]
        lines += [f"  - {s.sentence}" for s in depth.timeline.steps]
        lines += [f"  - {n}" for n in depth.timeline.notes]
        lines.append("")
    if depth.headroom is not None:
        lines.append("Headroom for failure and maintenance")
        if depth.headroom.note:
            lines.append(f"  {depth.headroom.note}")
        for c in depth.headroom.checks:
            verdict = "fits" if c.fits else "does NOT fit"
            fix = f" Would fit: {c.remedy} (${c.remedy_monthly:,.2f}/month)." if c.remedy and c.remedy_monthly else ""
            lines.append(f"  - {c.scenario}: {verdict}. {c.explanation}{fix}")
        lines.append("")
    lines += _commitment_lines(depth.commitments)
    if depth.durability is not None:
        lines += ["Durability", f"  {depth.durability.recommendation}"]
        lines += [f"  - {m.setting}: {m.protects}; write latency {m.write_latency}; surcharge "
                  + (f"${m.monthly_surcharge:,.2f}/month ({m.surcharge_note})" if m.monthly_surcharge is not None
                     else m.surcharge_note) for m in depth.durability.modes]
        lines += [f"      {c.render()}".replace("\n", "\n      ") for c in depth.durability.commands]
        lines.append("")
    lines += _upgrade_lines(depth.stay_or_upgrade)
    if not lines:
        return "No feasible design: nothing to analyse.\n"
    return "\n".join(lines)


def _commitment_lines(plan: CommitmentPlan | None) -> list[str]:
    if plan is None:
        return []
    lines = [f"Commitment plan (judged over {plan.window_months} months)"]
    for region in plan.regions:
        best, base = region.best, region.options[0]
        payback = f", pays back in month {best.payback_month}" if best.payback_month else ""
        lines.append(f"  - {region.region}: {best.label} for {region.baseline_nodes} x {region.node_type}, "
                     f"{fmt_usd(best.total)} vs {fmt_usd(base.total)} on-demand (saves "
                     f"{fmt_usd(best.saving_against(base))}{payback})")
        lines += [f"      {c.render()}".replace("\n", "\n      ") for c in region.commands]
        lines += [f"    {n}" for n in region.notes]
    lines += [f"  - Serverless crossover, {c.explanation}" for c in plan.crossovers]
    lines += [f"  - {n}" for n in plan.notes]
    lines.append("")
    return lines


def upgrade_sentence(upgrade: StayOrUpgrade) -> str:
    estimate = " (surcharge estimated)" if upgrade.is_estimate else ""
    payback = (f"pays back in month {upgrade.payback_month}" if upgrade.payback_month
               else "does not pay back within the plan")
    return (f"Redis OSS {upgrade.engine_version} on {upgrade.node_count} x {upgrade.node_type}: staying costs "
            f"{fmt_usd(upgrade.stay_total)} over {len(upgrade.months)} months{estimate}, upgrading to Valkey now "
            f"{fmt_usd(upgrade.upgrade_total)} (saves {fmt_usd(upgrade.saving)}; {payback}). Staying gets dearer on "
            f"{upgrade.dearer_on.isoformat() if upgrade.dearer_on else 'no scheduled date'}: {upgrade.dearer_why}.")


def _upgrade_lines(upgrade: StayOrUpgrade | None) -> list[str]:
    if upgrade is None:
        return []
    lines = ["Stay on Redis OSS or upgrade to Valkey", f"  {upgrade_sentence(upgrade)}", f"  {upgrade.path}"]
    lines += [f"      {c.render()}".replace("\n", "\n      ") for c in upgrade.commands]
    lines += [f"  - {n}" for n in upgrade.notes]
    lines.append("")
    return lines
