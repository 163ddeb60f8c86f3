"""The report as one self-contained HTML file: inline CSS, plotly.js inlined once, no external requests,
so it opens offline. Every text is HTML-escaped, so user input can never become markup or script."""

from __future__ import annotations

import re
from html import escape

import plotly.io as pio

from advisor.render.design_svg import design_svg, display_widths
from advisor.report import tables
from advisor.report.charts import chart_specs, plotly_figure
from advisor.report.model import FindingItem, Report
from advisor.report.tables import Table

_CSS = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#1a1a1a;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
.meta{color:#555}.headline{font-size:1.2em;font-weight:600;background:#eef5ff;padding:.8em;border-radius:6px}
table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:.9em}caption{text-align:left;font-weight:600;
padding:.3em 0}th,td{border:1px solid #ccc;padding:.3em .6em;vertical-align:top}th{background:#f4f4f4}
td.num{text-align:right;white-space:nowrap}pre{background:#f6f8fa;padding:.8em;overflow-x:auto;font-size:.85em;
border-radius:6px}.finding{border-left:4px solid #999;padding:.2em 1em;margin:1em 0}
.sev-decision{border-color:#2b7bd6}.sev-advice{border-color:#3a9d5d}.sev-warning{border-color:#e69d00}
.sev-conflict{border-color:#c62828}.badge{font-size:.75em;text-transform:uppercase;padding:.1em .5em;
border-radius:3px;background:#eee;margin-right:.5em}.fid{color:#666;font-family:monospace;font-size:.85em}
.designs{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}.design{flex:1 1 420px;margin:0;min-width:0}
.design .scroll{overflow-x:auto}.design svg.design-picture{min-width:var(--narrowest)}
table{display:block;max-width:100%;overflow-x:auto}p,li,a{overflow-wrap:anywhere}.chart-title{margin:1.5em 0 0}
@media print{table{display:table}.design .scroll{overflow:visible}}
"""


def h(text: object) -> str:
    return escape(str(text), quote=True)


def _link(url: str) -> str:
    # Only https documentation links become anchors; anything else is shown as escaped text.
    if re.fullmatch(r"https://[^\s<>\"']+", url):
        return f'<a href="{h(url)}" rel="noopener noreferrer">{h(url)}</a>'
    return h(url)


def _table(t: Table) -> str:
    head = "".join(f"<th>{h(x)}</th>" for x in t.headers)
    rows = "".join(
        "<tr>" + "".join(f'<td class="num">{h(c)}</td>' if i in t.numeric else f"<td>{h(c)}</td>"
                         for i, c in enumerate(row)) + "</tr>"
        for row in t.rows
    )
    return f"<table><caption>{h(t.title)}</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _finding(f: FindingItem) -> str:
    parts = [f'<div class="finding sev-{h(f.severity)}"><h3><span class="badge">{h(f.severity)}</span>{h(f.title)} '
             f'<span class="fid">{h(f.id)}</span></h3>',
             f"<p><strong>Decision:</strong> {h(f.decision)}</p><p><strong>Why:</strong> {h(f.rationale)}</p>"]
    if f.evidence:
        parts.append("<ul>" + "".join(f"<li>{h(k)}: {h(v)}</li>" for k, v in f.evidence) + "</ul>")
    if f.patterns:
        parts.append("<p><strong>Caching patterns:</strong> " + ", ".join(f"<code>{h(p)}</code>" for p in f.patterns)
                     + "</p>")
    if f.docs:
        parts.append("<p><strong>Documentation:</strong> " + ", ".join(_link(u) for u in f.docs) + "</p>")
    parts.append("</div>")
    return "".join(parts)


def _charts(report: Report, interactive: bool) -> list[str]:
    out = []
    first = True
    for spec in chart_specs(report):
        if not interactive:
            continue
        fig = plotly_figure(spec, report)
        # plotly.js goes in once, with the first chart; the HTML then loads nothing from the network.
        out.append(f'<p class="chart-title"><strong>{h(spec.title)}</strong></p>')
        out.append(pio.to_html(fig, full_html=False, include_plotlyjs=bool(first),
                               config={"displaylogo": False, "responsive": True}, div_id=f"chart-{spec.key}"))
        first = False
    return out


def render_html(report: Report, *, interactive_charts: bool = True) -> str:
    r = report
    body = [f"<h1>{h(r.title)}</h1>",
            f'<p class="meta">Generated on {h(r.generated_on)} · pricing as of {h(r.pricing_as_of)} · region '
            f"{h(r.region)} · all figures in {h(r.currency)}</p>",
            "<h2>Recommendation</h2>", f'<p class="headline">{h(r.headline)}</p><ul>']
    if r.topology:
        body.append(f"<li>Topology: {h(r.topology)}</li>")
    body += [f"<li>Engine: {h(r.engine)}</li>", f"<li>Deployment: {h(r.deployment or 'none feasible')}</li>",
             f"<li>Why this deployment: {h(r.deployment_reason)}</li></ul>"]
    if r.designs:
        # Side by side when there are two (the given design, then the recommended one); each keeps its label.
        body += ['<h3 id="design">Design</h3>', '<div class="designs">']
        # As in the app: never narrower than drawn (labels would shrink below reading size on a phone); a
        # narrow screen scrolls the picture sideways instead.
        body += [f'<figure class="design"><p><strong>{h(d.title)}</strong></p>'
                 f'<div class="scroll" style="--narrowest:{display_widths(d)[0]:.0f}px">{design_svg(d)}</div>'
                 f"<figcaption>{h(d.caption)}</figcaption></figure>" for d in r.designs]
        body.append("</div>")

    if r.conflicts or r.warnings:
        body.append('<h2 id="warnings">Warnings and conflicts</h2><ul>')
        body += [f"<li><strong>{h(f.severity.upper())}</strong> {h(f.title)}: {h(f.decision)}</li>"
                 for f in r.conflicts + r.warnings]
        body.append("</ul>")

    body.append('<h2 id="costs">Costs</h2>')
    if r.costs is None:
        body.append("<p>No feasible configuration, so nothing is costed.</p>")
    body += [_table(t) for t in tables.cost_tables(r)]

    body += ['<h2 id="charts">Charts</h2>', f"<p>{h(tables.crossover_text(r))}</p>"]
    body += _charts(r, interactive_charts)
    body.append("<details><summary>Chart data</summary>")
    body += [_table(t) for t in (tables.traffic(r), tables.reserved(r), tables.growth(r)) if t is not None]
    body.append("</details>")

    if r.outcome_lines and (r.status != "design" or any(x.startswith("Given design") for x in r.outcome_lines)):
        body.append('<h2 id="outcome">Outcome</h2><pre>' + h("\n".join(r.outcome_lines)) + "</pre>")

    if r.decision_depth is not None:
        body.append('<h2 id="decision-depth">Decision depth</h2>')
        for part in r.decision_depth.parts:
            body.append(f"<h3>{h(part.title)}</h3><ul>" + "".join(f"<li>{h(x)}</li>" for x in part.sentences)
                        + "</ul>")
            body += [_table(t) for t in part.tables]
            body += [f"<p>{h(c.purpose)}</p><pre><code>{h(c.text)}</code></pre>" for c in part.commands]

    body.append('<h2 id="findings">Findings</h2>')
    body += [_finding(f) for f in r.findings]

    alternatives = tables.alternatives(r)
    if alternatives:
        body += ['<h2 id="alternatives">Alternatives</h2>', _table(alternatives)]
    body += ['<h2 id="inputs">Workload inputs</h2>', _table(tables.inputs(r))]

    body.append('<h2 id="commands">Commands</h2>')
    if r.aws_cli:
        body.append("<h3>AWS CLI</h3>")
        body += [f"<p>{h(c.purpose)}</p><pre><code>{h(c.text)}</code></pre>" for c in r.aws_cli]
    body += ["<h3>Terraform</h3>", f"<pre><code>{h(r.terraform)}</code></pre>",
             "<h3>CloudFormation</h3>", f"<pre><code>{h(r.cloudformation)}</code></pre>"]

    if r.patterns:
        body.append('<h2 id="patterns">Caching patterns</h2>')
        for p in r.patterns:
            body.append(f"<h3>{h(p.title)} <code>{h(p.id)}</code></h3><p>{h(p.summary)}</p>")
            if p.when_to_use:
                body.append(f"<p><strong>When to use:</strong> {h(p.when_to_use)}</p>")
            if p.trade_offs:
                body.append("<ul>" + "".join(f"<li>{h(t)}</li>" for t in p.trade_offs) + "</ul>")
            if p.code:
                body.append(f"<pre><code>{h(p.code)}</code></pre>")
            if p.docs:
                body.append("<p>Documentation: " + ", ".join(_link(u) for u in p.docs) + "</p>")

    body.append('<h2 id="assumptions">Assumptions and caveats</h2><ul>')
    body += [f"<li>{h(a)}</li>" for a in r.assumptions + r.caveats]
    body.append("</ul><h3>Known gaps in the bundled prices</h3><ul>")
    body += [f"<li>{h(g)}</li>" for g in r.known_gaps]
    body.append("</ul>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{h(r.title)}</title><style>{_CSS}</style></head>\n<body>\n" + "\n".join(body)
            + "\n</body></html>\n")
