"""Plotly figures for the Fleet review page, drawn from the same chart data as the HTML and PDF export, in the
colour-blind-safe Okabe-Ito palette."""

from __future__ import annotations

import plotly.graph_objects as go

from advisor.fleet.export import OKABE_ITO, Bars, Line


def bars_figure(chart: Bars) -> go.Figure:
    fig = go.Figure()
    for index, (name, values) in enumerate(chart.series):
        fig.add_bar(name=name, x=list(chart.groups), y=list(values), marker_color=OKABE_ITO[index % len(OKABE_ITO)])
    fig.update_layout(title=chart.title, barmode="group", yaxis_title=chart.unit, height=360,
                      margin={"t": 60, "b": 40})
    return fig


def line_figure(chart: Line) -> go.Figure:
    fig = go.Figure()
    for index, (name, values) in enumerate(chart.series):
        fig.add_scatter(name=name, x=list(chart.x), y=list(values), mode="lines+markers" if index == 0 else "lines",
                        line={"color": OKABE_ITO[index % len(OKABE_ITO)], "dash": "solid" if index == 0 else "dash"})
    fig.update_layout(title=chart.title, yaxis_title=chart.unit, height=320, margin={"t": 60, "b": 40})
    return fig
