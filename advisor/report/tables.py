"""The report's tables as plain text cells, shared by the Markdown, HTML and PDF renderers.

Cells are unescaped text: each renderer escapes them for its own format, so a table is defined once and
reads the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from advisor.money import fmt_usd
from advisor.report.model import Report
from advisor.wording import ENGINE_LABELS


@dataclass(frozen=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()  # columns to right-align


def _qty(value: Decimal) -> str:
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return text or "0"


def _price(value: Decimal) -> str:
    return "$" + format(value.normalize(), "f")


def _usd_or_dash(value: float | None) -> str:
    return "-" if value is None else f"${value:,.2f}"


def cost_summary(report: Report) -> Table | None:
    c = report.costs
    if c is None:
        return None
    rows = [("Monthly", fmt_usd(c.monthly)), ("1 year (12 months)", fmt_usd(c.one_year)),
            ("3 years (36 months)", fmt_usd(c.three_years))]
    if c.upfront:
        rows.append(("Upfront (included above)", fmt_usd(c.upfront)))
    if not c.complete:
        rows.append(("Not in the total (incomplete)", "; ".join(c.excluded)))
        return Table(f"Total cost: {c.label} (incomplete: excluding {', '.join(c.excluded)})", ("Period", "Cost"),
                     tuple(rows), (1,))
    return Table(f"Total cost: {c.label}", ("Period", "Cost"), tuple(rows), (1,))


def cost_options(report: Report) -> Table | None:
    c = report.costs
    if c is None or not c.options:
        return None
    rows = tuple(
        (o.label + (" [recommended]" if o.chosen else ""), fmt_usd(o.upfront), fmt_usd(o.monthly),
         fmt_usd(o.monthly_equivalent), fmt_usd(o.one_year), fmt_usd(o.three_years),
         str(o.break_even_month) if o.break_even_month else "-")
        for o in c.options
    )
    title = ("Every cluster's nodes: on-demand vs reserved" if c.secondaries
             else "Primary cluster: on-demand vs reserved vs Serverless")
    if c.reserve_plan and c.secondaries:
        title += f" (reserve {c.reserve_plan})"
    return Table(title,
                 ("Option", "Upfront", "Monthly charge", "Effective monthly", "1 year", "3 years", "Break-even month"),
                 rows, (1, 2, 3, 4, 5, 6))


def cost_lines(report: Report) -> Table | None:
    c = report.costs
    if c is None:
        return None
    rows = tuple(
        (line.name + (" (estimate)" if line.is_estimate and "estimate" not in line.name else ""),
         f"{_qty(line.quantity)} {line.unit}", _price(line.unit_price), fmt_usd(line.total),
         ("one-time; " if line.one_time else "") + line.basis + (f"; {line.note}" if line.note else ""))
        for line in c.lines
    )
    return Table("Itemised monthly cost of the recommendation", ("Item", "Quantity", "Unit price", "Total", "Basis"),
                 rows, (2, 3))


def secondaries(report: Report) -> Table | None:
    c = report.costs
    if c is None or not c.secondaries:
        return None
    rows = tuple((s.region, "not priced" if s.monthly is None else
                  fmt_usd(s.monthly) + (" (estimate)" if s.is_estimate else ""), s.note)
                 for s in c.secondaries)
    title = ("Secondary Regions (included in the totals)" if c.complete
             else "Secondary Regions (unpriced ones are NOT in the totals)")
    return Table(title, ("Region", "Monthly", "Note"), rows, (1,))


def alternatives(report: Report) -> Table | None:
    if not report.alternatives:
        return None
    title = f"Ranked alternatives (cheapest per node type; {report.candidates_evaluated:,} candidates evaluated)"
    if report.engine == ENGINE_LABELS["memcached"]:  # independent nodes: no shards, no replicas
        rows = tuple((str(a.rank) + (" (chosen)" if a.chosen else ""), a.node_type, str(a.node_count),
                      fmt_usd(a.on_demand_monthly), f"{fmt_usd(a.best_reserved_monthly)} ({a.best_reserved_label})",
                      f"{a.memory_utilisation:.0%}") for a in report.alternatives)
        return Table(title, ("Rank", "Node type", "Nodes", "On-demand/month", "Best reserved/month", "Memory used"),
                     rows, (2, 3, 4, 5))
    rows = tuple(
        (str(a.rank) + (" (chosen)" if a.chosen else ""), a.node_type, str(a.shards), str(a.replicas_per_shard),
         str(a.node_count), fmt_usd(a.on_demand_monthly),
         f"{fmt_usd(a.best_reserved_monthly)} ({a.best_reserved_label})", f"{a.memory_utilisation:.0%}")
        for a in report.alternatives
    )
    return Table(title, ("Rank", "Node type", "Shards", "Replicas/shard", "Nodes", "On-demand/month",
                         "Best reserved/month", "Memory used"), rows, (2, 3, 4, 5, 6, 7))


def inputs(report: Report) -> Table:
    return Table("Workload inputs", ("Field", "Value", "Meaning"),
                 tuple((i.field, i.value, i.description) for i in report.inputs))


def traffic(report: Report) -> Table | None:
    t = report.charts.traffic
    if t is None:
        return None
    rows = tuple((f"{rps:,.0f}", _usd_or_dash(s), _usd_or_dash(p), cfg)
                 for rps, s, p, cfg in zip(t.requests_per_sec, t.serverless_monthly, t.provisioned_monthly,
                                           t.provisioned_config, strict=True))
    return Table("Traffic sweep: monthly cost vs average requests/s",
                 ("Requests/s", "Serverless/month", "Provisioned/month (on-demand)", "Provisioned cluster"), rows,
                 (0, 1, 2))


def crossover_text(report: Report) -> str:
    t = report.charts.traffic
    parts = []
    if t is not None:
        if t.crossovers:
            points = ", ".join(f"{x:,.0f}" for x in t.crossovers)
            parts.append(f"Serverless and provisioned cost the same at about {points} average requests/s "
                         f"(today {t.current_requests_per_sec:,.0f}), the provisioned cluster re-sized at each "
                         "traffic level.")
        else:
            parts.append("The Serverless and provisioned curves do not cross within the sweep "
                         f"(today {t.current_requests_per_sec:,.0f} average requests/s).")
    if report.crossover:
        parts.append(report.crossover)
    return " ".join(parts)


def reserved(report: Report, months: tuple[int, ...] = (1, 6, 12, 18, 24, 36)) -> Table | None:
    r = report.charts.reserved
    if r is None:
        return None
    rows = tuple((label, *(f"${values[m - 1]:,.2f}" for m in months)) for label, values in r.series)
    return Table("Cumulative cost by month: on-demand vs reserved",
                 ("Option", *(f"Month {m}" for m in months)), rows, tuple(range(1, len(months) + 1)))


def growth(report: Report) -> Table | None:
    g = report.charts.growth
    if g is None:
        return None
    rows = tuple((str(m), f"{gb:,.1f}", _usd_or_dash(p), cfg, _usd_or_dash(s))
                 for m, gb, p, cfg, s in zip(g.months, g.dataset_gb, g.provisioned_monthly, g.provisioned_config,
                                             g.serverless_monthly, strict=True))
    return Table("Growth: monthly cost as the dataset grows",
                 ("Month", "Dataset GB", "Provisioned/month", "Provisioned cluster", "Serverless/month"), rows,
                 (0, 1, 2, 4))


def cost_tables(report: Report) -> list[Table]:
    return [t for t in (cost_summary(report), cost_options(report), cost_lines(report), secondaries(report))
            if t is not None]
