"""Advisor data -> plotly figures. Each function takes the advisor's own result types and only draws them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

import plotly.graph_objects as go

from advisor.cost_curves import CumulativeSeries, EngineCost, GrowthPoint, TrafficPoint
from advisor.optimizer import Candidate
from advisor.pricing.schema import ENGINE_LABELS
from advisor.recommendation import Recommendation

SERVERLESS_COLOUR = "#ff9900"
PROVISIONED_COLOUR = "#1f77b4"
LAYOUT = {"margin": {"l": 10, "r": 10, "t": 50, "b": 10}, "hovermode": "x unified", "legend": {"orientation": "h"}}


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
    for crossing in crossings:
        fig.add_vline(x=crossing, line={"dash": "dash", "color": "#d62728"},
                      annotation_text=f"crossover ≈ {crossing:,.0f} req/s", annotation_position="top left")
    if current_rps > 0:
        fig.add_vline(x=current_rps, line={"dash": "dot", "color": "#2ca02c"},
                      annotation_text="today", annotation_position="bottom right")
    fig.update_layout(title="Monthly cost as average traffic varies", xaxis_title="Average requests/s (log)",
                      yaxis_title="USD per month", xaxis_type="log", **LAYOUT)
    return fig


def reserved_chart(series: Sequence[CumulativeSeries]) -> go.Figure:
    """On-demand and each reservation, cumulative over the months, with each break-even month marked."""
    fig = go.Figure()
    for s in series:
        months = list(range(1, len(s.monthly_totals) + 1))
        dash = "dot" if s.is_estimate else "solid"
        fig.add_trace(go.Scatter(x=months, y=[float(v) for v in s.monthly_totals], name=s.label, mode="lines",
                                 line={"dash": dash, "width": 3 if s.label == "On-demand" else 2},
                                 hovertemplate="$%{y:,.0f}<extra>" + s.label + "</extra>"))
        if s.break_even_month is not None and s.break_even_month <= len(s.monthly_totals):
            y = float(s.monthly_totals[s.break_even_month - 1])
            fig.add_trace(go.Scatter(
                x=[s.break_even_month], y=[y], mode="markers", marker={"size": 10, "symbol": "diamond"},
                name=f"break-even: {s.label}", showlegend=False,
                hovertemplate=f"{s.label} breaks even in month {s.break_even_month}<extra></extra>",
            ))
    fig.update_layout(title="Cumulative cost: on-demand vs reserved (dotted = estimate)", xaxis_title="Month",
                      yaxis_title="USD paid to date", **LAYOUT)
    return fig


def node_type_chart(ranked: Sequence[Candidate]) -> go.Figure:
    """Cheapest topology per node type: on-demand and best reserved monthly cost."""
    labels = [f"{c.node_type} ({c.node_count} nodes)" for c in ranked]
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


def scenario_chart(recs: Mapping[str, Recommendation]) -> go.Figure:
    names = list(recs)
    fig = go.Figure()
    fig.add_trace(go.Bar(x=names, y=[_f(r.costs.monthly) if r.costs else None for r in recs.values()],
                         name="Monthly", marker_color=PROVISIONED_COLOUR, offsetgroup="monthly"))
    fig.add_trace(go.Bar(x=names, y=[_f(r.costs.total_over(36)) if r.costs else None for r in recs.values()],
                         name="3-year total", marker_color="#9467bd", yaxis="y2",
                         offsetgroup="three_year"))
    fig.update_layout(title="Scenarios: monthly cost and 3-year total", barmode="group",
                      yaxis={"title": "USD per month"},
                      yaxis2={"title": "USD over 3 years", "overlaying": "y", "side": "right"},
                      **{**LAYOUT, "hovermode": "closest"})
    return fig
