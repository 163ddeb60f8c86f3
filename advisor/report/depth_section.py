"""The report's "Decision depth" section: what would change the answer, when the design stops fitting,
headroom, the commitment plan and durability, as plain sentences, text tables and commands (each renderer
escapes them) plus the same data as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from advisor.depth.flips import format_value
from advisor.depth.plan import DecisionDepth, depth_to_dict, upgrade_sentence
from advisor.money import fmt_usd
from advisor.report.tables import Table


@dataclass(frozen=True)
class DepthCommand:
    purpose: str
    text: str


@dataclass(frozen=True)
class DepthPart:
    title: str
    sentences: tuple[str, ...]
    tables: tuple[Table, ...] = ()
    commands: tuple[DepthCommand, ...] = ()


@dataclass(frozen=True)
class DepthSection:
    parts: tuple[DepthPart, ...]
    data: dict[str, Any] = field(default_factory=dict)  # the JSON export's "decision_depth"


def _flips(depth: DecisionDepth) -> DepthPart | None:
    flips = depth.flips
    if flips is None:
        return None
    rows = tuple((f.label, f.direction, format_value(f.current, f.unit), format_value(f.threshold, f.unit),
                  f"{f.change_percent:+.1f}%", ", ".join(f.changes), f.after,
                  "-" if f.monthly_delta is None else ("+" if f.monthly_delta >= 0 else "-")
                  + fmt_usd(abs(f.monthly_delta))) for f in flips.flips)
    table = Table("Nearest value of each input at which the design changes (others fixed)",
                  ("Input", "Direction", "Today", "Flips at", "Change", "Decisions", "New design", "Per month"),
                  rows, (2, 3, 4, 7))
    sentences = tuple(f"{d.decision.capitalize()}: {d.note}" for d in flips.decisions)
    return DepthPart("What would change the answer", sentences, (table,) if rows else ())


def _timeline(depth: DecisionDepth) -> DepthPart | None:
    timeline = depth.timeline
    if timeline is None:
        return None
    words = {"memory": "Memory over 75%", "cpu": "Engine CPU over 70%", "network": "Network over 70%"}
    sentences = [f"{words[name]}: {'never' if month is None else f'month {month}'} (design as recommended)"
                 for name, month in timeline.first_crossing.items()]
    sentences += [s.sentence for s in timeline.steps] + list(timeline.notes)
    sentences.append(f"Node cost over months 1-{timeline.months} with these steps: {fmt_usd(timeline.total)}.")

    def pct(value: float) -> str:
        return "-" if value != value else f"{value:.0%}"  # NaN on Serverless

    rows = tuple((str(p.month), f"{p.dataset_gb:,.2f}", pct(p.memory), pct(p.cpu), pct(p.network), p.design,
                  fmt_usd(p.monthly)) for p in timeline.points if p.month % 3 == 0)
    table = Table("Month by month (every third month)", ("Month", "Dataset GB", "Memory", "CPU", "Network",
                                                         "Design", "Monthly"), rows, (0, 1, 2, 3, 4, 6))
    return DepthPart("When the design stops fitting", tuple(sentences), (table,))


def _headroom(depth: DecisionDepth) -> DepthPart | None:
    room = depth.headroom
    if room is None:
        return None
    sentences = [room.note] if room.note else []
    for check in room.checks:
        fix = f" Would fit: {check.remedy} ({fmt_usd(check.remedy_monthly)}/month)." if check.remedy else ""
        evidence = "; ".join(f"{k}: {v}" for k, v in check.evidence.items())
        sentences.append(f"{check.scenario}: {'fits' if check.fits else 'does NOT fit'}. {check.explanation}{fix} "
                         f"({evidence})")
    return DepthPart("Headroom for failure and maintenance", tuple(sentences))


def _commitments(depth: DecisionDepth) -> DepthPart | None:
    plan = depth.commitments
    if plan is None:
        return None
    tables, commands, sentences = [], [], list(plan.notes)
    for region in plan.regions:
        base = region.options[0]
        sentences.append(f"{region.region}: {region.best.label} for {region.baseline_nodes} x {region.node_type}, "
                         f"saving {fmt_usd(region.best.saving_against(base))} over {plan.window_months} months"
                         + (f", paying back in month {region.best.payback_month}."
                            if region.best.payback_month else "."))
        sentences += list(region.notes)
        tables.append(Table(f"{region.region}: total over {plan.window_months} months by instrument",
                            ("Option", "Total", "Upfront", "Hourly commitment", "Saving", "Payback month"),
                            tuple((o.label, fmt_usd(o.total), fmt_usd(o.upfront),
                                   f"${o.hourly_commitment}/h" if o.hourly_commitment else "-",
                                   fmt_usd(o.saving_against(base)), str(o.payback_month or "-"))
                                  for o in region.options), (1, 2, 3, 4, 5)))
        commands += [DepthCommand(c.purpose, c.render()) for c in region.commands]
    sentences += [f"Serverless crossover, {c.explanation}" for c in plan.crossovers]
    return DepthPart("What to commit to", tuple(sentences), tuple(tables), tuple(commands))


def _durability(depth: DecisionDepth) -> DepthPart | None:
    advice = depth.durability
    if advice is None:
        return None
    rows = tuple((m.setting, m.protects, m.write_latency,
                  fmt_usd(m.monthly_surcharge) if m.monthly_surcharge is not None else m.surcharge_note)
                 for m in advice.modes)
    tables = (Table("Durability options", ("Setting", "Protects", "Write latency", "Surcharge per month"), rows),
              ) if rows else ()
    return DepthPart("Durability", (advice.recommendation, f"AWS documentation: {advice.docs[0]}"), tables,
                     tuple(DepthCommand(c.purpose, c.render()) for c in advice.commands))


def _upgrade(depth: DecisionDepth) -> DepthPart | None:
    upgrade = depth.stay_or_upgrade
    if upgrade is None:
        return None
    rows = tuple((str(m.month), m.starts.isoformat(), fmt_usd(m.stay), fmt_usd(m.surcharge), fmt_usd(m.upgrade))
                 for m in upgrade.months if m.month % 3 == 1)
    table = Table("Stay or upgrade, month by month (every third month)",
                  ("Month", "Starts", "Stay (nodes + surcharge)", "Surcharge", "Valkey"), rows, (0, 2, 3, 4))
    return DepthPart("Stay on Redis OSS or upgrade to Valkey",
                     (upgrade_sentence(upgrade), upgrade.path, *upgrade.notes), (table,),
                     tuple(DepthCommand(c.purpose, c.render()) for c in upgrade.commands))


def depth_section(depth: DecisionDepth) -> DepthSection:
    builders = (_flips, _timeline, _headroom, _commitments, _durability, _upgrade)
    parts = tuple(part for build in builders if (part := build(depth)) is not None)
    return DepthSection(parts, depth_to_dict(depth))
