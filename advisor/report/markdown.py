"""The report as CommonMark/GitHub Markdown. Every piece of text is escaped, so a workload name such as
`<script>` or `$x$` shows literally instead of becoming HTML, a link, emphasis or LaTeX math."""

from __future__ import annotations

import re

from advisor.design_picture import outline
from advisor.render.text import fenced
from advisor.report import tables
from advisor.report.model import FindingItem, Report
from advisor.report.tables import Table
from advisor.untrusted_text import document_markdown


def md(text: str, line_start: bool = True) -> str:
    """Inline text for the Markdown report: only what Markdown would read as markup is escaped, so Regions
    and money read as written ("us-east-1", "$1,203.04"); line breaks folded, bare autolinks broken."""
    return document_markdown(text, line_start)


def fence(code: str, language: str = "") -> str:
    """A fenced code block whose fence is longer than any backtick run inside, so content cannot close it."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    marker = "`" * max(3, longest + 1)
    return f"{marker}{language}\n{code.rstrip()}\n{marker}"


def link(url: str) -> str:
    # Advisor links are https documentation URLs; anything else is shown as text, never as a link.
    if re.fullmatch(r"https://[^\s<>]+", url):
        return f"<{url}>"
    return md(url)


def table(t: Table) -> list[str]:
    out = [f"**{md(t.title)}**", "", "| " + " | ".join(md(h) for h in t.headers) + " |"]
    out.append("|" + "|".join("---:" if i in t.numeric else "---" for i in range(len(t.headers))) + "|")
    out += ["| " + " | ".join(md(cell, line_start=False) for cell in row) + " |" for row in t.rows]
    out.append("")
    return out


def _finding(f: FindingItem) -> list[str]:
    out = [f"### {md(f.title)}", "", f"*{md(f.severity)}* · `{f.id}`", "", f"**Decision:** {md(f.decision)}", "",
           f"**Why:** {md(f.rationale)}", ""]
    if f.evidence:
        out += ["**Evidence:**", ""] + [f"- {md(k)}: {md(v)}" for k, v in f.evidence] + [""]
    if f.patterns:
        out += ["**Caching patterns:** " + ", ".join(f"`{p}`" for p in f.patterns if re.fullmatch(r"[a-z_]+", p)),
                ""]
    if f.docs:
        out += ["**Documentation:** " + ", ".join(link(u) for u in f.docs), ""]
    return out


def render_markdown(report: Report) -> str:
    r = report
    out = [f"# {md(r.title)}", "",
           f"Generated on {md(r.generated_on)} · pricing as of {md(r.pricing_as_of)} · region {md(r.region)} · "
           f"all figures in {md(r.currency)}", "",
           "## Recommendation", "", f"**{md(r.headline)}**", ""]
    if r.topology:
        out += [f"- Topology: {md(r.topology)}"]
    out += [f"- Engine: {md(r.engine)}", f"- Deployment: {md(r.deployment or 'none feasible')}",
            f"- Why this deployment: {md(r.deployment_reason)}", ""]
    if r.designs:
        # Markdown cannot draw: each picture's outline, Region > AZ > nodes, as literal text (given design first).
        out += ["### Design", ""]
        for d in r.designs:
            out += [fence("\n".join(outline(d)), "text"), "", md(d.caption), ""]

    if r.conflicts or r.warnings:
        out += ["## Warnings and conflicts", ""]
        out += [f"- **{md(f.severity.upper())}** {md(f.title)}: {md(f.decision)}" for f in r.conflicts + r.warnings]
        out.append("")

    out += ["## Costs", ""]
    if r.costs is None:
        out += ["No feasible configuration, so nothing is costed.", ""]
    for t in tables.cost_tables(r):
        out += table(t)

    out += ["## Charts", "", md(tables.crossover_text(r)), ""]
    for t in (tables.traffic(r), tables.reserved(r), tables.growth(r)):
        if t is not None:
            out += table(t)

    if r.outcome_lines and (r.status != "design" or any(x.startswith("Given design") for x in r.outcome_lines)):
        out += ["## Outcome", "", *fenced(r.outcome_lines), ""]

    if r.decision_depth is not None:
        out += ["## Decision depth", ""]
        for part in r.decision_depth.parts:
            out += [f"### {md(part.title)}", ""] + [f"- {md(x)}" for x in part.sentences] + [""]
            for t in part.tables:
                out += table(t)
            for c in part.commands:
                out += [md(c.purpose), "", fence(c.text, "bash"), ""]

    out += ["## Findings", ""]
    for f in r.findings:
        out += _finding(f)

    alternatives = tables.alternatives(r)
    if alternatives:
        out += ["## Alternatives", "", *table(alternatives)]

    out += ["## Workload inputs", "", *table(tables.inputs(r))]

    out += ["## Commands", ""]
    if r.aws_cli:
        out += ["### AWS CLI", ""]
        for c in r.aws_cli:
            out += [md(c.purpose), "", fence(c.text, "bash"), ""]
    out += ["### Terraform", "", fence(r.terraform, "hcl"), "", "### CloudFormation", "",
            fence(r.cloudformation, "yaml"), ""]

    if r.patterns:
        out += ["## Caching patterns", ""]
        for p in r.patterns:
            out += [f"### {md(p.title)} (`{p.id}`)", "", md(p.summary), ""]
            if p.when_to_use:
                out += [f"**When to use:** {md(p.when_to_use)}", ""]
            out += [f"- {md(t)}" for t in p.trade_offs]
            out.append("")
            if p.code:
                out += [fence(p.code, "python"), ""]
            if p.docs:
                out += ["Documentation: " + ", ".join(link(u) for u in p.docs), ""]

    out += ["## Assumptions and caveats", ""] + [f"- {md(a)}" for a in r.assumptions + r.caveats]
    out += ["", "### Known gaps in the bundled prices", ""] + [f"- {md(g)}" for g in r.known_gaps]
    return "\n".join(out) + "\n"
