"""The report as a PDF: text, tables and the charts as vector drawings, made with reportlab alone.

reportlab is pure Python with its own chart library, so a PDF needs no browser, Chrome, kaleido or network
on a fresh machine. Paragraph text is XML-escaped (reportlab reads a small markup language), and code is
set with Preformatted, which takes text literally, so user input always prints as typed.
"""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    Preformatted,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from advisor.render.design_pdf import design_drawing
from advisor.report import tables
from advisor.report.charts import chart_specs, pdf_drawing
from advisor.report.model import FindingItem, Report
from advisor.report.tables import Table as TextTable

MARGIN = 15 * mm
CODE_WRAP = 105  # characters per line of code at 7 pt within A4 margins


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName="Helvetica", fontSize=9, leading=11.5)
    return {
        "title": ParagraphStyle("title", parent=base["Title"], fontSize=16, leading=20, alignment=0),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontSize=12.5, spaceBefore=10, spaceAfter=4),
        "h3": ParagraphStyle("h3", parent=base["Heading3"], fontSize=10, spaceBefore=6, spaceAfter=2),
        "body": body,
        "meta": ParagraphStyle("meta", parent=body, textColor=colors.HexColor("#555555")),
        "headline": ParagraphStyle("headline", parent=body, fontName="Helvetica-Bold", fontSize=11, leading=14,
                                   backColor=colors.HexColor("#eef5ff"), borderPadding=5, spaceBefore=4,
                                   spaceAfter=8),
        "cell": ParagraphStyle("cell", parent=body, fontSize=7.5, leading=9),
        "cellnum": ParagraphStyle("cellnum", parent=body, fontSize=7.5, leading=9, alignment=TA_RIGHT),
        "cellhead": ParagraphStyle("cellhead", parent=body, fontName="Helvetica-Bold", fontSize=7.5, leading=9),
        "caption": ParagraphStyle("caption", parent=body, fontName="Helvetica-Bold", spaceBefore=4, spaceAfter=2),
        "code": ParagraphStyle("code", fontName="Courier", fontSize=7, leading=8.5, backColor=colors.HexColor(
            "#f6f8fa"), borderPadding=3, spaceBefore=2, spaceAfter=6),
    }


def p(text: object) -> str:
    """Text for a Paragraph: reportlab parses <b>, <font>, &entities; escaping makes them literal."""
    return escape(" ".join(str(text).split()))


def _table(t: TextTable, st: dict[str, ParagraphStyle], width: float) -> list:
    head = [Paragraph(p(x), st["cellhead"]) for x in t.headers]
    rows = [[Paragraph(p(c), st["cellnum"] if i in t.numeric else st["cell"]) for i, c in enumerate(row)]
            for row in t.rows]
    table = Table([head, *rows], repeatRows=1, colWidths=_col_widths(t, width), hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#bbbbbb")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f0f0")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return [Paragraph(p(t.title), st["caption"]), table, Spacer(1, 6)]


def _col_widths(t: TextTable, width: float) -> list[float]:
    # Share the width by the longest text in each column, with a floor so short columns stay readable.
    lengths = [max([len(t.headers[i])] + [len(r[i]) for r in t.rows]) for i in range(len(t.headers))]
    weights = [min(max(n, 6), 60) for n in lengths]
    total = sum(weights)
    return [width * w / total for w in weights]


def _finding(f: FindingItem, st: dict[str, ParagraphStyle]) -> list:
    parts = [Paragraph(f"<b>[{p(f.severity.upper())}] {p(f.title)}</b> <font color='#666666'>({p(f.id)})</font>",
                       st["h3"]),
             Paragraph(f"<b>Decision:</b> {p(f.decision)}", st["body"]),
             Paragraph(f"<b>Why:</b> {p(f.rationale)}", st["body"])]
    parts += [Paragraph(f"&bull; {p(k)}: {p(v)}", st["body"]) for k, v in f.evidence]
    if f.patterns:
        parts.append(Paragraph(f"<b>Caching patterns:</b> {p(', '.join(f.patterns))}", st["body"]))
    parts += [Paragraph(f"Docs: {p(u)}", st["meta"]) for u in f.docs]
    return [KeepTogether(parts[:3]), *parts[3:], Spacer(1, 4)]


def _code(text: str, st: dict[str, ParagraphStyle]) -> Preformatted:
    return Preformatted(text.rstrip(), st["code"], maxLineLength=CODE_WRAP, newLineChars="  ")


def _on_page(title: str):
    def draw(canvas, doc) -> None:  # footer on every page: title and page number
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.setFillColor(colors.grey)
        canvas.drawString(MARGIN, 8 * mm, title[:120])
        canvas.drawRightString(A4[0] - MARGIN, 8 * mm, f"page {doc.page}")
        canvas.restoreState()
    return draw


def render_pdf(report: Report) -> bytes:
    r = report
    st = _styles()
    width = A4[0] - 2 * MARGIN
    story: list = [
        Paragraph(p(r.title), st["title"]),
        Paragraph(f"Generated on {p(r.generated_on)} &middot; pricing as of {p(r.pricing_as_of)} &middot; region "
                  f"{p(r.region)} &middot; all figures in {p(r.currency)}", st["meta"]),
        Paragraph("Recommendation", st["h2"]),
        Paragraph(p(r.headline), st["headline"]),
    ]
    if r.topology:
        story.append(Paragraph(f"<b>Topology:</b> {p(r.topology)}", st["body"]))
    story += [Paragraph(f"<b>Engine:</b> {p(r.engine)} &middot; <b>Deployment:</b> "
                        f"{p(r.deployment or 'none feasible')}", st["body"]),
              Paragraph(f"<b>Why this deployment:</b> {p(r.deployment_reason)}", st["body"])]
    # The given design (if any) first, then the recommended one, each at the full text width: side by side on
    # A4 they would shrink a 3-AZ picture's labels to about 3 points.
    for d in r.designs:
        story += [KeepTogether([Paragraph(p(d.title), st["caption"]), design_drawing(d, width),
                                Paragraph(p(d.caption), st["meta"])]), Spacer(1, 6)]

    if r.conflicts or r.warnings:
        story.append(Paragraph("Warnings and conflicts", st["h2"]))
        story += [Paragraph(f"<b>{p(f.severity.upper())}</b> {p(f.title)}: {p(f.decision)}", st["body"])
                  for f in r.conflicts + r.warnings]

    story.append(Paragraph("Costs", st["h2"]))
    if r.costs is None:
        story.append(Paragraph("No feasible configuration, so nothing is costed.", st["body"]))
    for t in tables.cost_tables(r):
        story += _table(t, st, width)

    story += [CondPageBreak(90 * mm), Paragraph("Charts", st["h2"]),
              Paragraph(p(tables.crossover_text(r)), st["body"]), Spacer(1, 4)]
    for spec in chart_specs(r):
        story += [KeepTogether([pdf_drawing(spec, width, 78 * mm)]), Spacer(1, 8)]

    if r.outcome_lines and (r.status != "design" or any(x.startswith("Given design") for x in r.outcome_lines)):
        story.append(Paragraph("Outcome", st["h2"]))
        story += [Paragraph(p(line) or "&nbsp;", st["body"]) for line in r.outcome_lines]

    if r.decision_depth is not None:
        story.append(Paragraph("Decision depth", st["h2"]))
        for part in r.decision_depth.parts:
            story.append(Paragraph(p(part.title), st["h3"]))
            story += [Paragraph(f"&bull; {p(x)}", st["body"]) for x in part.sentences]
            for t in part.tables:
                story += _table(t, st, width)
            for c in part.commands:
                story += [Paragraph(p(c.purpose), st["body"]), _code(c.text, st)]

    story.append(Paragraph("Findings", st["h2"]))
    for f in r.findings:
        story += _finding(f, st)

    alternatives = tables.alternatives(r)
    if alternatives:
        story += [Paragraph("Alternatives", st["h2"]), *_table(alternatives, st, width)]
    story += [Paragraph("Workload inputs", st["h2"]), *_table(tables.inputs(r), st, width)]

    story.append(Paragraph("Commands", st["h2"]))
    if r.aws_cli:
        story.append(Paragraph("AWS CLI", st["h3"]))
        for c in r.aws_cli:
            story += [Paragraph(p(c.purpose), st["body"]), _code(c.text, st)]
    story += [Paragraph("Terraform", st["h3"]), _code(r.terraform, st),
              Paragraph("CloudFormation", st["h3"]), _code(r.cloudformation, st)]

    if r.patterns:
        story.append(Paragraph("Caching patterns", st["h2"]))
        for pat in r.patterns:
            story.append(Paragraph(f"{p(pat.title)} ({p(pat.id)})", st["h3"]))
            story.append(Paragraph(p(pat.summary), st["body"]))
            if pat.when_to_use:
                story.append(Paragraph(f"<b>When to use:</b> {p(pat.when_to_use)}", st["body"]))
            story += [Paragraph(f"&bull; {p(t)}", st["body"]) for t in pat.trade_offs]
            if pat.code:
                story.append(_code(pat.code, st))

    story.append(Paragraph("Assumptions and caveats", st["h2"]))
    story += [Paragraph(f"&bull; {p(a)}", st["body"]) for a in r.assumptions + r.caveats]
    story.append(Paragraph("Known gaps in the bundled prices", st["h3"]))
    story += [Paragraph(f"&bull; {p(g)}", st["body"]) for g in r.known_gaps]

    buffer = BytesIO()
    # invariant=1 fixes the creation date and document id, so the same report gives the same bytes.
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN + 4 * mm, title=r.title, author="ElastiCache advisor",
                            subject=r.headline, invariant=1)
    doc.build(story, onFirstPage=_on_page(r.title), onLaterPages=_on_page(r.title))
    return buffer.getvalue()
