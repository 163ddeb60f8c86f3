"""All of decision depth for one recommendation, as one object and as JSON-ready data."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from advisor.money import round_cents
from advisor.pricing.book import PriceBook
from advisor.recommend import Recommendation

from .flips import FlipAnalysis, what_changes_the_answer
from .headroom import Headroom, headroom
from .timeline import Timeline, design_timeline


@dataclass(frozen=True)
class DecisionDepth:
    flips: FlipAnalysis | None  # None when nothing is feasible to flip from
    timeline: Timeline | None
    headroom: Headroom | None


def decision_depth(rec: Recommendation, book: PriceBook, traffic_growth_percent: float | None = None) -> DecisionDepth:
    if not rec.feasible:
        return DecisionDepth(None, None, None)
    return DecisionDepth(
        flips=what_changes_the_answer(rec, book),
        timeline=design_timeline(rec, book, traffic_growth_percent),
        headroom=headroom(rec, book),
    )


def _money(value: Any) -> str | None:
    return None if value is None else str(round_cents(value))


def _share(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 4)


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
    if not lines:
        return "No feasible design: nothing to analyse.\n"
    return "\n".join(lines)
