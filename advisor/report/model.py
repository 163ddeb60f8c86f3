"""One report model built from a Recommendation; every renderer (Markdown, HTML, PDF, JSON) reads only this.

The model holds plain values: text as the user or the advisor wrote it (renderers escape it for their
format), money as Decimal (renderers format it), chart series as numbers. Building it is the only step that
computes anything (cost curves, generated commands), so the four formats always agree.

No secret can reach the model: commands reference secrets through environment variables or Terraform/
CloudFormation inputs, and nothing here reads the environment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from advisor.commands import CommandSettings, generate_commands
from advisor.commands.cloudformation import cloudformation_for
from advisor.commands.terraform import terraform_for
from advisor.cost_curves import crossover_points, growth_curve, reserved_cumulative, traffic_sweep
from advisor.costs.lines import CostEstimate
from advisor.design_picture import DesignPicture, design_pictures
from advisor.pricing.book import PriceBook
from advisor.recommendation import Recommendation
from advisor.render.text import given_lines, outcome_lines
from advisor.rules.pricing import advised_reservation
from advisor.serialize import outcome_to_dict
from advisor.wording import ENGINE_LABELS, choice_label
from advisor.workload import CommandShare, Workload, command_mix_text, workload_to_dict

if TYPE_CHECKING:
    from advisor.report.depth_section import DepthSection

SCHEMA_VERSION = "1.0.0"
ESTIMATE_SUFFIX = " (estimate)"

# Planning assumptions every report states, whatever the workload (the figures behind the cost model).
STANDING_ASSUMPTIONS: tuple[str, ...] = (
    "A month is 730 hours (8,760 h / 12), as in AWS's pricing pages and calculator.",
    "Node throughput is a planning assumption (AWS publishes none): verify the chosen size with a load test.",
    "Prices are USD list prices from the bundled tables, without taxes, credits or private discounts.",
    "Reserved figures marked '(estimate)' come from a typical discount for their term and payment option, "
    "not from a published price for that node type.",
    "Serverless ECPUs: 1 ECPU per KiB transferred, at least 1 per request, more for complex commands.",
    "Data transfer within an Availability Zone is free; cross-AZ transfer is not included.",
)


def with_estimate(label: str, is_estimate: bool) -> str:
    """A label marked '(estimate)' exactly once when any figure behind it is estimated."""
    if is_estimate and "estimate" not in label.lower():
        return label + ESTIMATE_SUFFIX
    return label


@dataclass(frozen=True)
class InputRow:
    field: str
    description: str
    value: str


@dataclass(frozen=True)
class FindingItem:
    id: str
    severity: str
    title: str
    decision: str
    rationale: str
    evidence: tuple[tuple[str, str], ...]
    docs: tuple[str, ...]
    patterns: tuple[str, ...]
    monthly_saving: Decimal | None


@dataclass(frozen=True)
class CostLineItem:
    name: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    total: Decimal
    basis: str
    one_time: bool
    note: str

    @property
    def is_estimate(self) -> bool:
        return self.basis == "estimate"


@dataclass(frozen=True)
class CostOption:
    """One way to pay for the design's nodes (every priced cluster, each at its Region's price), with totals over
    one and three years."""

    label: str  # carries "(estimate)" when estimated
    kind: str  # on_demand | reserved | serverless
    is_estimate: bool
    upfront: Decimal
    monthly: Decimal  # recurring monthly charge
    monthly_equivalent: Decimal  # upfront spread over the term plus the monthly charge
    one_year: Decimal
    three_years: Decimal
    break_even_month: int | None
    chosen: bool


@dataclass(frozen=True)
class SecondaryItem:
    region: str
    monthly: Decimal | None
    is_estimate: bool
    note: str


@dataclass(frozen=True)
class CostSection:
    label: str
    is_estimate: bool
    monthly: Decimal
    one_year: Decimal
    three_years: Decimal
    upfront: Decimal
    lines: tuple[CostLineItem, ...]
    options: tuple[CostOption, ...]
    secondaries: tuple[SecondaryItem, ...]
    caveats: tuple[str, ...]
    complete: bool = True  # False: a part of the design has no price and is left out of every total
    excluded: tuple[str, ...] = ()  # what the totals leave out, e.g. "eu-west-9: not priced"
    reserve_plan: str = ""  # nodes to reserve per Region for the best reservation, e.g. "6 x ... in us-east-1"


@dataclass(frozen=True)
class AlternativeItem:
    rank: int
    node_type: str
    shards: int
    replicas_per_shard: int
    node_count: int
    cluster_mode_enabled: bool
    on_demand_monthly: Decimal
    best_reserved_monthly: Decimal
    best_reserved_label: str
    memory_utilisation: float
    chosen: bool


@dataclass(frozen=True)
class TrafficChart:
    requests_per_sec: tuple[float, ...]
    serverless_monthly: tuple[float | None, ...]
    provisioned_monthly: tuple[float | None, ...]
    provisioned_config: tuple[str, ...]
    crossovers: tuple[float, ...]
    current_requests_per_sec: float


@dataclass(frozen=True)
class CumulativeChart:
    months: tuple[int, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]  # (label with "(estimate)" if so, cumulative USD)


@dataclass(frozen=True)
class GrowthChart:
    months: tuple[int, ...]
    dataset_gb: tuple[float, ...]
    provisioned_monthly: tuple[float | None, ...]
    serverless_monthly: tuple[float | None, ...]
    provisioned_config: tuple[str, ...]


@dataclass(frozen=True)
class Charts:
    traffic: TrafficChart | None
    reserved: CumulativeChart | None
    growth: GrowthChart | None


@dataclass(frozen=True)
class CommandItem:
    purpose: str
    text: str


@dataclass(frozen=True)
class PatternQuote:
    id: str
    title: str
    summary: str
    when_to_use: str
    trade_offs: tuple[str, ...]
    code: str
    docs: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    schema_version: str
    title: str
    generated_on: str
    pricing_as_of: str
    region: str
    currency: str
    workload_name: str
    inputs: tuple[InputRow, ...]
    workload: dict[str, Any]
    headline: str
    feasible: bool
    engine: str
    deployment: str | None
    deployment_reason: str
    topology: str | None
    findings: tuple[FindingItem, ...]
    alternatives: tuple[AlternativeItem, ...]
    candidates_evaluated: int
    costs: CostSection | None
    crossover: str | None
    charts: Charts
    aws_cli: tuple[CommandItem, ...]
    terraform: str
    cloudformation: str
    assumptions: tuple[str, ...]
    caveats: tuple[str, ...]
    patterns: tuple[PatternQuote, ...]
    known_gaps: tuple[str, ...] = field(default_factory=tuple)
    decision_depth: DepthSection | None = None  # what changes the answer, fit over time, headroom, commitments
    design: DesignPicture | None = None  # the recommended design drawn (None when nothing is feasible)
    given_design: DesignPicture | None = None  # a pinned or discovered design, drawn beside the recommended one
    status: str = "design"  # design | conflict | infeasible
    outcome_lines: tuple[str, ...] = ()  # status, ceiling, ways out (priced, with how to adopt), given design
    outcome: dict[str, Any] = field(default_factory=dict)  # the same as data (advisor.serialize.outcome_to_dict)

    @property
    def designs(self) -> tuple[DesignPicture, ...]:
        """The pictures to draw side by side: the given design (if any) first, then the recommended one."""
        return tuple(d for d in (self.given_design, self.design) if d is not None)

    @property
    def conflicts(self) -> tuple[FindingItem, ...]:
        return tuple(f for f in self.findings if f.severity == "conflict")

    @property
    def warnings(self) -> tuple[FindingItem, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")


# ---------------------------------------------------------------------------------------------- builders


def shown_input(value: Any, in_section: bool = False) -> str:
    """An input as people read it: yes/no, a choice by its name (Multi-AZ, not multi_az), thousands separators;
    a list joined; a command mix in its own compact syntax; a section (constraints, preferences) as
    'engine: Redis OSS; shards: 3' of what is set in it. A section's text values are choices; a top-level one is
    a name or a Region, shown as typed."""
    if isinstance(value, bool | Enum):
        return choice_label(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.4f}".rstrip("0")
    if isinstance(value, list | tuple) and value and all(isinstance(v, CommandShare) for v in value):
        return command_mix_text(list(value))
    if isinstance(value, list | tuple | frozenset | set):
        return ", ".join(shown_input(v, in_section) for v in value) or "(none)"
    if isinstance(value, BaseModel):
        return "; ".join(f"{name.replace('_', ' ')}: {shown_input(getattr(value, name), in_section=True)}"
                         for name in value.model_dump(exclude_none=True))
    return choice_label(value) if in_section else str(value)


def _inputs(workload: Workload) -> tuple[InputRow, ...]:
    """Every field the user set (or left at its default), described by the model's own field descriptions; the
    field is the YAML key, the value in words (the JSON export keeps the raw workload beside it)."""
    rows = []
    for name in workload_to_dict(workload):
        info = type(workload).model_fields.get(name)
        rows.append(InputRow(name, (info.description or "") if info else "", shown_input(getattr(workload, name))))
    return tuple(rows)


def _finding(f: Any) -> FindingItem:
    saving = None if f.monthly_saving_usd is None else Decimal(str(f.monthly_saving_usd))
    return FindingItem(
        id=f.id, severity=f.severity.value, title=f.title, decision=f.decision, rationale=f.rationale,
        evidence=tuple(f.evidence.items()), docs=tuple(f.docs), patterns=tuple(f.patterns), monthly_saving=saving,
    )


def _line_items(estimate: CostEstimate) -> tuple[CostLineItem, ...]:
    return tuple(
        CostLineItem(line.name, line.unit, line.quantity, line.unit_price, line.total, line.basis.value,
                     line.one_time, line.note)
        for line in estimate.lines
    )


def _options(rec: Recommendation) -> tuple[CostOption, ...]:
    costs = rec.costs
    assert costs is not None
    # "Recommended" marks what the advisor tells the user to buy: the reservation the pricing.reserved
    # finding advises, else on-demand (or Serverless). One function decides both.
    advised = advised_reservation(rec)
    options: list[CostOption] = []
    if costs.on_demand is not None:
        od = costs.on_demand
        options.append(CostOption(
            with_estimate("On-demand", od.is_estimate), "on_demand", od.is_estimate, Decimal(0), od.monthly,
            od.monthly, od.total_over(12), od.total_over(36), None,
            rec.deployment == "provisioned" and advised is None))
    # Reserved totals follow the cumulative curve: a 1-year term bought again for years 2 and 3.
    cumulative = {s.label: s for s in reserved_cumulative(rec, 36)}
    for comparison in costs.reserved:
        series = cumulative.get(comparison.option.label)
        estimate = comparison.estimate
        options.append(CostOption(
            with_estimate(comparison.option.label, comparison.option.is_estimate), "reserved",
            comparison.option.is_estimate, estimate.upfront, estimate.monthly, comparison.monthly_equivalent,
            series.monthly_totals[11] if series else estimate.total_over(12),
            series.monthly_totals[35] if series else estimate.total_over(36),
            comparison.break_even_month, comparison is advised))
    if costs.serverless is not None:
        sv = costs.serverless
        options.append(CostOption(
            with_estimate("Serverless", sv.is_estimate), "serverless", sv.is_estimate, Decimal(0), sv.monthly,
            sv.monthly, sv.total_over(12), sv.total_over(36), None, rec.deployment == "serverless"))
    return tuple(options)


def _costs(rec: Recommendation) -> CostSection | None:
    costs = rec.costs
    if costs is None:
        return None
    secondaries = tuple(
        SecondaryItem(s.region, s.estimate.monthly if s.estimate else None,
                      bool(s.estimate and s.estimate.is_estimate), s.note)
        for s in costs.secondaries
    )
    caveats = tuple(dict.fromkeys(costs.caveats + costs.chosen.caveats))
    return CostSection(
        label=with_estimate(costs.chosen.label, costs.is_estimate), is_estimate=costs.is_estimate,
        monthly=costs.monthly, one_year=costs.total_over(12), three_years=costs.total_over(36),
        upfront=costs.chosen.upfront, lines=_line_items(costs.chosen), options=_options(rec),
        secondaries=secondaries, caveats=caveats, complete=costs.complete, excluded=costs.excluded,
        reserve_plan=costs.best_reserved.plan if costs.best_reserved else "",
    )


def _alternatives(rec: Recommendation) -> tuple[AlternativeItem, ...]:
    topo = rec.topology
    items = []
    for rank, c in enumerate(rec.search.ranked, start=1):
        chosen = topo is not None and (c.node_type, c.shards, c.replicas_per_shard) == (
            topo.node_type, topo.shards, topo.replicas_per_shard)
        items.append(AlternativeItem(
            rank, c.node_type, c.shards, c.replicas_per_shard, c.node_count, c.cluster_mode_enabled,
            c.on_demand_monthly, c.best_reserved_monthly,
            with_estimate(c.best_reserved_label, c.best_reserved_is_estimate), c.memory_utilisation, chosen))
    return tuple(items)


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _charts(rec: Recommendation, book: PriceBook, include: bool) -> Charts:
    if not include or rec.deployment is None:
        return Charts(None, None, None)
    w = rec.workload
    sweep = traffic_sweep(w, book, rec.engine)
    traffic = TrafficChart(
        requests_per_sec=tuple(p.average_requests_per_sec for p in sweep),
        serverless_monthly=tuple(_money(p.serverless_monthly) for p in sweep),
        provisioned_monthly=tuple(_money(p.provisioned_monthly) for p in sweep),
        provisioned_config=tuple(p.provisioned_config for p in sweep),
        crossovers=tuple(crossover_points(sweep)),
        current_requests_per_sec=w.avg_reads_per_sec + w.avg_writes_per_sec,
    )
    series = reserved_cumulative(rec, 36)
    reserved = CumulativeChart(
        months=tuple(range(1, 37)),
        series=tuple((with_estimate(s.label, s.is_estimate), tuple(float(v) for v in s.monthly_totals))
                     for s in series),
    ) if series else None
    points = growth_curve(w, book, rec.engine)
    growth = GrowthChart(
        months=tuple(p.month for p in points), dataset_gb=tuple(p.dataset_gb for p in points),
        provisioned_monthly=tuple(_money(p.provisioned_monthly) for p in points),
        serverless_monthly=tuple(_money(p.serverless_monthly) for p in points),
        provisioned_config=tuple(p.provisioned_config for p in points),
    ) if points else None
    return Charts(traffic, reserved, growth)


def _patterns(findings: tuple[FindingItem, ...]) -> tuple[PatternQuote, ...]:
    """The caching patterns the findings recommend, quoted from the patterns catalog (code included)."""
    ids = list(dict.fromkeys(pid for f in findings for pid in f.patterns))
    if not ids:
        return ()
    try:
        from advisor.patterns.catalog import UnknownPattern, pattern_by_id
    except ImportError:  # the catalog is optional: name the ids without quoting them
        return tuple(PatternQuote(pid, pid, "", "", (), "", ()) for pid in ids)
    quotes = []
    for pid in ids:
        try:
            p = pattern_by_id(pid)
        except UnknownPattern:
            quotes.append(PatternQuote(pid, pid, "Not in the patterns catalog.", "", (), "", ()))
            continue
        quotes.append(PatternQuote(p.id, p.title, p.summary, p.when_to_use, tuple(p.trade_offs), p.code,
                                   tuple(p.docs)))
    return tuple(quotes)


def build_report(
    rec: Recommendation,
    book: PriceBook,
    *,
    settings: CommandSettings | None = None,
    today: dt.date | None = None,
    include_charts: bool = True,
    include_depth: bool = True,
) -> Report:
    """The report for a recommendation. `today` fixes the date (golden files); charts can be skipped for speed."""
    w = rec.workload
    findings = tuple(_finding(f) for f in rec.findings)
    costs = _costs(rec)
    caveats = list(costs.caveats if costs else ())
    caveats += [note for note in rec.serverless_fit.notes if note not in caveats]
    assumptions = list(STANDING_ASSUMPTIONS)
    if costs and costs.is_estimate:
        assumptions.append("Some figures behind the totals are estimates; they are labelled '(estimate)'.")
    given_picture, recommended_picture = design_pictures(rec)
    return Report(
        schema_version=SCHEMA_VERSION,
        title=f"ElastiCache recommendation: {w.name}",
        generated_on=(today or dt.date.today()).isoformat(),
        pricing_as_of=rec.pricing_as_of,
        region=w.region,
        currency=book.manifest.currency,
        workload_name=w.name,
        inputs=_inputs(w),
        workload=workload_to_dict(w),
        headline=rec.headline,
        feasible=rec.feasible,
        engine=ENGINE_LABELS[rec.engine],
        deployment=rec.deployment,
        deployment_reason=rec.deployment_reason,
        topology=rec.topology.describe() if rec.topology else None,
        findings=findings,
        alternatives=_alternatives(rec),
        candidates_evaluated=rec.search.evaluated,
        costs=costs,
        crossover=rec.crossover.explanation if rec.crossover else None,
        charts=_charts(rec, book, include_charts),
        aws_cli=tuple(CommandItem(c.purpose, c.render()) for c in generate_commands(rec, settings)),
        terraform=terraform_for(rec, settings),
        cloudformation=cloudformation_for(rec, settings),
        assumptions=tuple(assumptions),
        caveats=tuple(caveats),
        patterns=_patterns(findings),
        known_gaps=tuple(book.manifest.known_gaps),
        decision_depth=_depth(rec, book) if include_depth else None,
        given_design=given_picture,
        design=recommended_picture,
        status=rec.status,
        outcome_lines=_outcome_lines(rec),
        outcome=outcome_to_dict(rec),
    )


def _outcome_lines(rec: Recommendation) -> tuple[str, ...]:
    lines = outcome_lines(rec)
    if rec.given is not None:
        lines += ["", *given_lines(rec.given)]
    return tuple(lines)


def _depth(rec: Recommendation, book: PriceBook) -> DepthSection | None:
    from advisor.depth.plan import decision_depth
    from advisor.report.depth_section import depth_section

    return depth_section(decision_depth(rec, book)) if rec.feasible else None

