"""Advisor data -> plotly figures. Each function takes the advisor's own result types and only draws them."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from decimal import Decimal

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from advisor.cost_curves import CumulativeSeries, EngineCost, GrowthPoint, TrafficPoint
from advisor.optimizer import Candidate
from advisor.recommendation import Recommendation
from advisor.untrusted_text import chart_text
from advisor.wording import ENGINE_LABELS, count_noun

SERVERLESS_COLOUR = "#ff9900"
PROVISIONED_COLOUR = "#1f77b4"
CROSSOVER_COLOUR = "#d62728"
TODAY_COLOUR = "#2ca02c"
# Six reservations (1 and 3 years x three payment options), each its own colour, none the on-demand blue.
RESERVED_PALETTE = ("#2ca02c", "#98df8a", "#d62728", "#ff9896", "#9467bd", "#8c564b")
# The legend goes in its own rows at the foot of the figure. Placed in container coordinates, Plotly reserves that
# room below the x-axis title however many rows the legend wraps into on a phone, so it never covers the title
# (a paper-relative y such as -0.22 is a share of the plot's height, which shrinks on a phone).
LEGEND = {"orientation": "h", "xref": "paper", "x": 0, "yref": "container", "y": 0, "yanchor": "bottom"}
LAYOUT = {"margin": {"l": 10, "r": 10, "t": 50, "b": 10}, "hovermode": "x unified", "legend": LEGEND}
# Plotly never wraps a title or a label, and the server does not know the screen's width: a title this long
# fits a phone's 358 px column at the theme's title font; longer explanations go in the page's text.
TITLE_CHARS = 38


def wrapped(text: str, width: int) -> str:
    """`text` in lines of at most `width` characters (Plotly's `<br>`), broken between words only. Give it
    text already passed through chart_text when it comes from a user or a server."""
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def traffic_chart(points: Sequence[TrafficPoint], crossings: Sequence[float], current_rps: float) -> go.Figure:
    """Serverless (linear in traffic) vs the cheapest provisioned cluster (steps), crossovers marked."""
    x = [p.average_requests_per_sec for p in points]
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=x, y=[_f(p.provisioned_monthly) for p in points], name="Provisioned (on-demand)", mode="lines+markers",
        line={"shape": "hv", "color": PROVISIONED_COLOUR}, customdata=[p.provisioned_config for p in points],
        hovertemplate="$%{y:,.2f}/month — %{customdata}<extra>Provisioned</extra>",
    ))
    fig.add_trace(go.Scatter(
        x=x, y=[_f(p.serverless_monthly) for p in points], name="Serverless", mode="lines+markers",
        line={"color": SERVERLESS_COLOUR}, hovertemplate="$%{y:,.2f}/month<extra>Serverless</extra>",
    ))
    # Markers as lines plus explicit annotations: on a log axis an annotation's x is log10 of the value
    # (add_vline's own annotation lands in the wrong place there, so the labels went missing in the app).
    markers = [(x, f"crossover ≈ {x:,.0f} req/s", CROSSOVER_COLOUR, "dash", 1.0) for x in crossings]
    if current_rps > 0:
        markers.append((current_rps, f"today {current_rps:,.0f} req/s", TODAY_COLOUR, "dot", 0.02))
    # A label in the right half of the sweep is written leftwards from its line, so on a phone it stays inside.
    middle = (math.log10(min(x)) + math.log10(max(x))) / 2 if x else 0.0
    for at, text, colour, dash, y in markers:
        fig.add_vline(x=at, line={"dash": dash, "color": colour})
        fig.add_annotation(x=math.log10(at), y=y, yref="paper", text=text, showarrow=False,
                           xanchor="right" if math.log10(at) > middle else "left",
                           yanchor="top" if y > 0.5 else "bottom", font={"color": colour},
                           bgcolor="rgba(255,255,255,0.8)", name=f"marker: {text}")
    fig.update_layout(title="Monthly cost as average traffic varies", xaxis_title="Average requests/s (log)",
                      yaxis_title="USD per month", xaxis_type="log", **LAYOUT)
    return fig


# Where the second, third... break-even label of one month goes, so labels at one point do not print over each other.
LABEL_POSITIONS = ("top left", "bottom right", "top right", "bottom left", "middle left", "middle right")


RESERVED_NOTE = "Dotted lines are estimates; ◆ marks the month a reservation breaks even."


def reserved_chart(series: Sequence[CumulativeSeries]) -> go.Figure:
    """On-demand and each reservation, cumulative over the months, each in its own colour, with its
    break-even month marked and labelled in that colour (RESERVED_NOTE says how to read it)."""
    fig = go.Figure()
    reserved = iter(RESERVED_PALETTE)
    labelled_at: dict[int, int] = {}  # break-even month -> labels already there (No Upfront options share month 1)
    for s in series:
        colour = PROVISIONED_COLOUR if s.label == "On-demand" else next(reserved, "#7f7f7f")
        months = list(range(1, len(s.monthly_totals) + 1))
        dash = "dot" if s.is_estimate else "solid"
        fig.add_trace(go.Scatter(x=months, y=[float(v) for v in s.monthly_totals], name=s.label, mode="lines",
                                 line={"dash": dash, "width": 3 if s.label == "On-demand" else 2, "color": colour},
                                 hovertemplate="$%{y:,.0f}<extra>" + s.label + "</extra>"))
        if s.break_even_month is not None and s.break_even_month <= len(s.monthly_totals):
            y = float(s.monthly_totals[s.break_even_month - 1])
            nth = labelled_at.get(s.break_even_month, 0)
            labelled_at[s.break_even_month] = nth + 1
            fig.add_trace(go.Scatter(
                x=[s.break_even_month], y=[y], mode="markers+text", marker={"size": 10, "symbol": "diamond",
                                                                             "color": colour},
                text=[f"month {s.break_even_month}"], textposition=LABEL_POSITIONS[nth % len(LABEL_POSITIONS)],
                textfont={"color": colour}, cliponaxis=False,  # "month 1" sits left of the axis's start
                name=f"break-even: {s.label}", showlegend=False,
                hovertemplate=f"{s.label} breaks even in month {s.break_even_month}<extra></extra>",
            ))
    fig.update_layout(title="Cumulative cost: on-demand vs reserved", xaxis_title="Month",
                      yaxis_title="USD paid to date", height=520, **LAYOUT)
    return fig


def node_type_chart(ranked: Sequence[Candidate]) -> go.Figure:
    """Cheapest topology per node type: on-demand and best reserved monthly cost."""
    labels = [f"{c.node_type} ({count_noun(c.node_count, 'node')})" for c in ranked]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=labels, x=[float(c.on_demand_monthly) for c in ranked], name="On-demand",
                         orientation="h", marker_color=PROVISIONED_COLOUR))
    fig.add_trace(go.Bar(y=labels, x=[float(c.best_reserved_monthly) for c in ranked], name="Best reserved",
                         orientation="h", marker_color="#98df8a",
                         customdata=[c.best_reserved_label for c in ranked],
                         hovertemplate="$%{x:,.2f}/month — %{customdata}<extra></extra>"))
    fig.update_layout(title="Monthly cost per node-type candidate", xaxis_title="USD per month", barmode="group",
                      yaxis={"autorange": "reversed"}, height=max(320, 40 * len(ranked) + 120),
                      **{**LAYOUT, "hovermode": "closest"})
    return fig


def engine_chart(rows: Sequence[EngineCost]) -> go.Figure:
    names = [ENGINE_LABELS[r.engine] for r in rows]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=names, y=[_f(r.provisioned_monthly) for r in rows], name="Provisioned (on-demand)",
                         marker_color=PROVISIONED_COLOUR, customdata=[r.provisioned_config for r in rows],
                         hovertemplate="$%{y:,.2f}/month — %{customdata}<extra></extra>",
                         text=[r.provisioned_config for r in rows], textposition="inside"))
    fig.add_trace(go.Bar(x=names, y=[_f(r.serverless_monthly) for r in rows], name="Serverless",
                         marker_color=SERVERLESS_COLOUR))
    fig.update_layout(title="Valkey vs Redis OSS for the same workload", yaxis_title="USD per month",
                      barmode="group", **{**LAYOUT, "hovermode": "closest"})
    return fig


def growth_chart(points: Sequence[GrowthPoint]) -> go.Figure:
    months = [p.month for p in points]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=months, y=[_f(p.provisioned_monthly) for p in points], name="Provisioned (on-demand)",
                             mode="lines+markers", line={"shape": "hv", "color": PROVISIONED_COLOUR},
                             customdata=[[p.provisioned_config, p.dataset_gb] for p in points],
                             hovertemplate="$%{y:,.2f}/month — %{customdata[0]}, %{customdata[1]:,.1f} GB"
                                           "<extra></extra>"))
    fig.add_trace(go.Scatter(x=months, y=[_f(p.serverless_monthly) for p in points], name="Serverless",
                             mode="lines+markers", line={"color": SERVERLESS_COLOUR}))
    fig.update_layout(title="Monthly cost over the growth horizon", xaxis_title="Month",
                      yaxis_title="USD per month", **LAYOUT)
    return fig


SCENARIO_NAME_CHARS = 14  # a scenario's name in short lines under its bar, not slanted past the chart's edge


def scenario_chart(recs: Mapping[str, Recommendation]) -> go.Figure:
    """Monthly cost and 3-year total, one above the other, each on its own axis with its own title, so a monthly
    bar is never drawn at the height of a 3-year bar (side by side, a phone left each half a third of its width)."""
    names = [wrapped(chart_text(name), SCENARIO_NAME_CHARS) for name in recs]  # typed by the user (or a link)
    fig = make_subplots(rows=2, cols=1, subplot_titles=("Monthly cost", "Total over 3 years"), vertical_spacing=0.2)
    fig.add_trace(go.Bar(x=names, y=[_f(r.costs.monthly) if r.costs else None for r in recs.values()],
                         name="Monthly", marker_color=PROVISIONED_COLOUR,
                         hovertemplate="%{x}: $%{y:,.2f}/month<extra></extra>"), row=1, col=1)
    fig.add_trace(go.Bar(x=names, y=[_f(r.costs.total_over(36)) if r.costs else None for r in recs.values()],
                         name="3-year total", marker_color="#9467bd",
                         hovertemplate="%{x}: $%{y:,.0f} over 3 years<extra></extra>"), row=2, col=1)
    fig.update_yaxes(title_text="USD per month", row=1, col=1)
    fig.update_yaxes(title_text="USD over 3 years", row=2, col=1)
    fig.update_xaxes(tickangle=0)
    fig.update_layout(title="Scenarios: monthly and 3-year cost", showlegend=False, height=640,
                      **{**LAYOUT, "hovermode": "closest", "margin": {"l": 10, "r": 10, "t": 80, "b": 10}})
    return fig
