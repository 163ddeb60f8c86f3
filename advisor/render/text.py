"""Render a recommendation as terminal text or Markdown."""

from __future__ import annotations

import re

import yaml

from advisor.money import fmt_usd
from advisor.recommendation import GivenDesign, Recommendation, WayOut
from advisor.wording import ENGINE_LABELS, count_noun

EXIT_CODES = {"design": 0, "conflict": 3, "infeasible": 3}


def way_out_cost(way: WayOut) -> str:
    estimate = " (estimate)" if way.is_estimate else ""
    if way.copies > 1:
        return (f"{fmt_usd(way.monthly)}/month each x {way.copies} = {fmt_usd(way.total_monthly)}/month"
                f"{estimate}")
    return f"{fmt_usd(way.monthly)}/month{estimate}"


def _signed(value: object) -> str:
    text = fmt_usd(value)  # type: ignore[arg-type]
    return text if text.startswith("-") else f"+{text}"


def given_lines(given: GivenDesign) -> list[str]:
    """The given design judged and priced beside the recommended one, as plain lines."""
    lines = [f"Given design: {given.topology.describe()} ({ENGINE_LABELS[given.topology.engine]})"]
    if given.monthly is not None:
        lines.append(f"  costs {fmt_usd(given.monthly)}/month on-demand")
    else:
        lines.append("  not priced: no bundled price for this node type in this Region")
    if given.recommended_headline is not None:
        lines.append(f"  recommended instead: {given.recommended_headline}")
    if given.difference_monthly is not None and given.difference_yearly is not None:
        lines.append(f"  difference (given - recommended): {_signed(given.difference_monthly)}/month, "
                     f"{_signed(given.difference_yearly)}/year")
    for check in given.checks:
        lines.append(f"  [{'ok' if check.ok else 'FAILS'}] {check.name}: {check.detail}")
    return lines


def fenced(lines: list[str] | tuple[str, ...]) -> list[str]:
    """A Markdown code block that no backtick run inside the (user-influenced) text can close early."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}text", *lines, fence]


def outcome_lines(rec: Recommendation, workload_file: str = "WORKLOAD.yaml") -> list[str]:
    """Status, the ceiling (infeasible) and the ways out (conflict/infeasible), as plain lines."""
    status = rec.status
    lines = [f"Status: {status} (exit {EXIT_CODES[status]})"]
    if rec.ceiling is not None:
        lines.append("Ceiling:")
        lines += [f"  - {key}: {value}" for key, value in rec.ceiling.limits.items()]
        lines.append(f"Nearest fit: {rec.ceiling.nearest}")
    if status != "design":
        if not rec.ways_out:
            lines.append("No single change found that gives a valid design; relax a requirement (see the findings).")
        else:
            lines.append("Ways out (each a priced, valid design):")
        for number, way in enumerate(rec.ways_out, 1):
            lines.append(f"  {number}. {way.title} [{way.id}]")
            lines.append(f"     {way.headline}")
            lines.append(f"     cost: {way_out_cost(way)}")
            lines.append(f"     adopt: python -m advisor recommend {workload_file} --way-out {way.id}")
            if way.copies == 1:
                lines.append(f"        or: {' '.join(way.set_flags)}")
            changes = yaml.safe_dump(way.changes, sort_keys=False, default_flow_style=False).rstrip()
            lines.append("     YAML changes:")
            lines += [f"       {line}" for line in changes.splitlines()]
    return lines


def _cost_rows(rec: Recommendation) -> list[tuple[str, str]]:
    costs = rec.costs
    if costs is None:
        return []
    rows = [("Monthly", fmt_usd(costs.monthly)), ("1 year", fmt_usd(costs.total_over(12))),
            ("3 years", fmt_usd(costs.total_over(36)))]
    if costs.serverless is not None and rec.deployment != "serverless":
        rows.append(("Serverless instead", f"{fmt_usd(costs.serverless.monthly)}/month"))
    if costs.on_demand is not None and rec.deployment != "provisioned":
        rows.append(("Provisioned instead", f"{fmt_usd(costs.on_demand.monthly)}/month on-demand"))
    for comparison in costs.reserved:
        rows.append((comparison.option.label,
                     f"{fmt_usd(comparison.monthly_equivalent)}/month effective, upfront "
                     f"{fmt_usd(comparison.estimate.upfront)}, break-even month {comparison.break_even_month or '-'}"))
    return rows


def render_text(rec: Recommendation, workload_file: str = "WORKLOAD.yaml") -> str:
    out = [rec.headline, f"Pricing as of {rec.pricing_as_of}; region {rec.workload.region}.", ""]
    out += [*outcome_lines(rec, workload_file), ""]
    if rec.given is not None:
        out += [*given_lines(rec.given), ""]
    for label, value in _cost_rows(rec):
        out.append(f"  {label:<40} {value}")
    out.append("")
    for f in rec.findings:
        out.append(f"[{f.severity.value.upper()}] {f.title} ({f.id})")
        out.append(f"  Decision: {f.decision}")
        out.append(f"  Why: {f.rationale}")
        for key, value in f.evidence.items():
            out.append(f"    - {key}: {value}")
        for link in f.docs:
            out.append(f"    docs: {link}")
        out.append("")
    if rec.search.ranked:
        out.append("Alternatives (cheapest per node type, on-demand):")
        for c in rec.search.ranked:
            layout = (count_noun(c.shards, "node") if rec.engine == "memcached" else
                      f"{count_noun(c.shards, 'shard')} x {count_noun(1 + c.replicas_per_shard, 'node')}")
            out.append(f"  {c.node_type:<22} {layout:<22}  "
                       f"{fmt_usd(c.on_demand_monthly):>14}/month  reserved {fmt_usd(c.best_reserved_monthly)}")
        out.append(f"  ({rec.search.evaluated:,} candidates evaluated)")
    return "\n".join(out) + "\n"


def _md_escape(text: str) -> str:
    for char in "\\`*_{}[]<>()#+-!|$&~":
        text = text.replace(char, "\\" + char)
    return text


def render_markdown(rec: Recommendation) -> str:
    out = [f"# ElastiCache recommendation: {_md_escape(rec.workload.name)}", "",
           f"**{_md_escape(rec.headline)}**", "", f"Pricing as of {rec.pricing_as_of}, region {rec.workload.region}.",
           "", "| Cost | Value |", "|---|---|"]
    out += [f"| {_md_escape(label)} | {_md_escape(value)} |" for label, value in _cost_rows(rec)]
    out.append("")
    out += ["## Outcome", "", *fenced(outcome_lines(rec)), ""]
    if rec.given is not None:
        out += ["## Given design", "", *fenced(given_lines(rec.given)), ""]
    for f in rec.findings:
        out += [f"## {_md_escape(f.title)} ({f.severity.value})", "", f"**Decision:** {_md_escape(f.decision)}", "",
                f"{_md_escape(f.rationale)}", ""]
        out += [f"- {_md_escape(k)}: {_md_escape(v)}" for k, v in f.evidence.items()]
        out += [f"- Docs: <{link}>" for link in f.docs]
        out.append("")
    if rec.search.ranked:
        out += ["## Alternatives", "", "| Node type | Shards | Nodes/shard | On-demand/month | Best reserved/month |",
                "|---|---|---|---|---|"]
        out += [f"| {c.node_type} | {c.shards} | {1 + c.replicas_per_shard} | {fmt_usd(c.on_demand_monthly)} | "
                f"{fmt_usd(c.best_reserved_monthly)} |" for c in rec.search.ranked]
    return "\n".join(out) + "\n"
