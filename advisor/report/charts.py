"""The report's three charts, drawn from the report model: interactive plotly figures for HTML, and
reportlab vector drawings for the PDF (pure Python, so a PDF needs no browser, Chrome or network).

Charts carry only advisor-generated labels (option names, node configurations), never the workload's name,
so no user text reaches plotly's HTML-capable labels.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import plotly.graph_objects as go

from advisor.report.model import Report

SERVERLESS_COLOUR = "#d62728"
PROVISIONED_COLOUR = "#1f77b4"
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22")


@dataclass(frozen=True)
class ChartSpec:
    """A chart as data: titled series of (x, y) points, shared by both back ends."""

    key: str
    title: str
    x_title: str
    y_title: str
    series: tuple[tuple[str, tuple[tuple[float, float], ...], str], ...]  # (name, points, colour)
    log_x: bool = False
    markers: tuple[tuple[str, float], ...] = ()  # vertical reference lines: (label, x)
    step: tuple[str, ...] = ()  # series names drawn as steps (a cluster size changes in jumps)


def _points(xs: tuple[float, ...], ys: tuple[float | None, ...]) -> tuple[tuple[float, float], ...]:
    return tuple((x, y) for x, y in zip(xs, ys, strict=True) if y is not None)


def chart_specs(report: Report) -> list[ChartSpec]:
    specs = []
    t = report.charts.traffic
    if t is not None:
        markers = [("today", t.current_requests_per_sec)]
        markers += [(f"crossover ~{x:,.0f}/s", x) for x in t.crossovers]
        specs.append(ChartSpec(
            "traffic", "Monthly cost vs traffic (Serverless vs cheapest provisioned, on-demand)",
            "average requests/s", "USD per month",
            (("Serverless", _points(t.requests_per_sec, t.serverless_monthly), SERVERLESS_COLOUR),
             ("Provisioned", _points(t.requests_per_sec, t.provisioned_monthly), PROVISIONED_COLOUR)),
            log_x=True, markers=tuple(markers), step=("Provisioned",)))
    r = report.charts.reserved
    if r is not None:
        months = tuple(float(m) for m in r.months)
        specs.append(ChartSpec(
            "reserved", "Cumulative cost: on-demand vs reserved", "month", "USD paid to date",
            tuple((label, _points(months, values), PALETTE[i % len(PALETTE)])
                  for i, (label, values) in enumerate(r.series))))
    g = report.charts.growth
    if g is not None:
        months = tuple(float(m) for m in g.months)
        specs.append(ChartSpec(
            "growth", "Monthly cost as the dataset grows", "month", "USD per month",
            (("Provisioned (on-demand)", _points(months, g.provisioned_monthly), PROVISIONED_COLOUR),
             ("Serverless", _points(months, g.serverless_monthly), SERVERLESS_COLOUR)),
            step=("Provisioned (on-demand)",)))
    return [s for s in specs if any(points for _, points, _ in s.series)]


# ---------------------------------------------------------------------------------------------- plotly


def plotly_figure(spec: ChartSpec, report: Report) -> go.Figure:
    fig = go.Figure()
    hover = _hover_text(spec, report)
    for name, points, colour in spec.series:
        fig.add_trace(go.Scatter(
            x=[p[0] for p in points], y=[p[1] for p in points], name=name, mode="lines+markers",
            line={"color": colour, "shape": "hv" if name in spec.step else "linear"},
            text=hover.get(name), hovertemplate="%{x:,.0f}: $%{y:,.2f}<br>%{text}<extra>%{fullData.name}</extra>"
            if hover.get(name) else "%{x:,.0f}: $%{y:,.2f}<extra>%{fullData.name}</extra>",
        ))
    for label, x in spec.markers:
        fig.add_vline(x=x, line_dash="dash", line_color="#555")
        # Annotations on a log axis take log10 positions (shapes take data values), so place the label apart.
        fig.add_annotation(x=math.log10(x) if spec.log_x else x, y=1, yref="paper", text=label, showarrow=False,
                           xanchor="left", yanchor="bottom", font={"size": 11})
    # No Plotly title: the HTML report writes it above the chart as text, which wraps on a phone (a Plotly title
    # does not, and is cut at the chart's edge).
    # The legend in its own rows at the figure's foot, in container coordinates as in the app's charts: Plotly
    # then keeps room for it below the x-axis title however many rows it wraps into (a paper-relative y is a
    # share of the plot's height, which shrinks on a phone, and sat on the title there).
    fig.update_layout(xaxis_title=spec.x_title, yaxis_title=spec.y_title, height=420, template="plotly_white",
                      margin={"l": 60, "r": 20, "t": 30, "b": 50},
                      legend={"orientation": "h", "xref": "paper", "x": 0, "yref": "container", "y": 0,
                              "yanchor": "bottom"})
    if spec.log_x:
        fig.update_xaxes(type="log")
    # automargin: the axis titles move clear of the tick labels instead of being cut at the chart's edge.
    fig.update_yaxes(tickprefix="$", separatethousands=True, automargin=True)
    fig.update_xaxes(automargin=True)
    return fig


def _hover_text(spec: ChartSpec, report: Report) -> dict[str, list[str]]:
    """The provisioned cluster behind each point, for hovering (advisor text only)."""
    if spec.key == "traffic" and report.charts.traffic is not None:
        t = report.charts.traffic
        configs = [c for c, y in zip(t.provisioned_config, t.provisioned_monthly, strict=True) if y is not None]
        return {"Provisioned": configs}
    if spec.key == "growth" and report.charts.growth is not None:
        g = report.charts.growth
        configs = [c for c, y in zip(g.provisioned_config, g.provisioned_monthly, strict=True) if y is not None]
        return {"Provisioned (on-demand)": configs}
    return {}


# ---------------------------------------------------------------------------------------------- reportlab


def pdf_drawing(spec: ChartSpec, width: float, height: float):  # -> reportlab Drawing; lazy import keeps
    """A vector line chart. reportlab is imported here so the other formats never need it."""  # HTML light
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.charts.lineplots import LinePlot
    from reportlab.graphics.shapes import Drawing, Line, String
    from reportlab.lib import colors

    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, spec.title, fontName="Helvetica-Bold", fontSize=10))
    shown = [(name, colour) for name, points, colour in spec.series if points]
    columns = 3 if len(shown) > 3 else len(shown) or 1
    legend_rows = -(-len(shown) // columns)
    legend_top = legend_rows * 10 + 2  # the legend hangs down from its y
    plot = LinePlot()
    plot.x, plot.y = 58, legend_top + 34
    plot.width, plot.height = width - 75, height - plot.y - 24

    def tx(x: float) -> float:  # log-scale x is plotted as log10 and labelled back in requests/s
        return math.log10(max(x, 1e-9)) if spec.log_x else x

    data = []
    for name, points, _ in spec.series:
        pts = [(tx(x), y) for x, y in points]
        if name in spec.step and len(pts) > 1:  # draw the jumps as steps, like the HTML chart
            stepped = [pts[0]]
            for (_, y0), (x1, y1) in itertools.pairwise(pts):
                stepped += [(x1, y0), (x1, y1)]
            pts = stepped
        data.append(pts or [(0.0, 0.0)])
    plot.data = data
    for i, (_, points, colour) in enumerate(spec.series):
        plot.lines[i].strokeColor = colors.HexColor(colour) if points else colors.transparent
        plot.lines[i].strokeWidth = 1.4
    xs = [x for (_, points, _), pts in zip(spec.series, data, strict=True) if points for x, _ in pts]
    ys = [y for (_, points, _), pts in zip(spec.series, data, strict=True) if points for _, y in pts]
    x_axis, y_axis = plot.xValueAxis, plot.yValueAxis
    x_axis.valueMin, x_axis.valueMax = min(xs), max(xs)
    if spec.log_x:  # ticks at powers of ten inside the range, labelled in requests/s
        steps = [float(e) for e in range(math.ceil(x_axis.valueMin), math.floor(x_axis.valueMax) + 1)]
        if len(steps) >= 2:
            x_axis.valueSteps = steps
        x_axis.labelTextFormat = lambda v: f"{10 ** v:,.0f}"
    else:
        x_axis.labelTextFormat = lambda v: f"{v:,.0f}"
    y_axis.valueMin = 0
    y_axis.valueMax = max(ys) * 1.08 if ys and max(ys) > 0 else 1
    y_axis.labelTextFormat = lambda v: f"${v:,.0f}"
    for axis in (x_axis, y_axis):
        axis.labels.fontName, axis.labels.fontSize = "Helvetica", 7
    drawing.add(plot)
    drawing.add(String(plot.x + plot.width / 2, plot.y - 24, spec.x_title, fontName="Helvetica", fontSize=8,
                       textAnchor="middle"))
    span = (x_axis.valueMax - x_axis.valueMin) or 1
    for label, x in spec.markers:
        value = tx(x)
        if not x_axis.valueMin <= value <= x_axis.valueMax:
            continue
        px = plot.x + (value - x_axis.valueMin) / span * plot.width
        drawing.add(Line(px, plot.y, px, plot.y + plot.height, strokeColor=colors.grey, strokeDashArray=[3, 2]))
        drawing.add(String(px + 2, plot.y + plot.height - 8, label, fontName="Helvetica", fontSize=7))
    legend = Legend()
    legend.x, legend.y = plot.x, legend_top
    legend.dx = legend.dy = 6
    legend.deltay = 10
    legend.fontName, legend.fontSize = "Helvetica", 7
    legend.columnMaximum = legend_rows
    legend.deltax = 50
    legend.alignment = "right"
    legend.colorNamePairs = [(colors.HexColor(c), n) for n, c in shown]
    drawing.add(legend)
    return drawing
