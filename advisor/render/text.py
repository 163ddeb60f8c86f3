"""Render a recommendation as terminal text or Markdown."""

from __future__ import annotations

from advisor.money import fmt_usd
from advisor.recommendation import Recommendation
from advisor.wording import count_noun


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


def render_text(rec: Recommendation) -> str:
    out = [rec.headline, f"Pricing as of {rec.pricing_as_of}; region {rec.workload.region}.", ""]
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
