"""Plotly figures for the Fleet review page, drawn from the same chart data as the HTML and PDF export, in the
colour-blind-safe Okabe-Ito palette."""

from __future__ import annotations

import plotly.graph_objects as go

from advisor.fleet.export import OKABE_ITO, Bars, Line
from advisor.untrusted_text import chart_text
from ui.charts import LEGEND, TITLE_CHARS, wrapped


def _layout(title: str, unit: str, height: int) -> dict[str, object]:
    """The export's long titles (cluster, metrics, window) wrapped to fit a phone, with room above for each line;
    the cluster's name in them comes from the AWS account, so it is escaped first."""
    text = wrapped(chart_text(title), TITLE_CHARS)
    lines = text.count("<br>") + 1
    return {"title": text, "yaxis_title": chart_text(unit), "height": height + 22 * (lines - 1),
            "margin": {"l": 10, "r": 10, "t": 40 + 22 * lines, "b": 10}, "legend": LEGEND}


def bars_figure(chart: Bars) -> go.Figure:
    fig = go.Figure()
    # Under the bars only "engine CPU", not "engine CPU (EngineCPUUtilization, Maximum)": three such names ran into
    # each other on a phone. The metric and statistic are in the hover box and the table under the chart.
    full = [chart_text(group) for group in chart.groups]
    short = [group.split(" (", 1)[0] for group in full]
    for index, (name, values) in enumerate(chart.series):
        fig.add_bar(name=chart_text(name), x=short, y=list(values), marker_color=OKABE_ITO[index % len(OKABE_ITO)],
                    customdata=full, hovertemplate="%{customdata}: %{y:,.2f}<extra>%{fullData.name}</extra>")
    fig.update_layout(barmode="group", xaxis_tickangle=0, **_layout(chart.title, chart.unit, 400))
    return fig


def line_figure(chart: Line) -> go.Figure:
    fig = go.Figure()
    for index, (name, values) in enumerate(chart.series):
        fig.add_scatter(name=chart_text(name), x=list(chart.x), y=list(values),
                        mode="lines+markers" if index == 0 else "lines",
                        line={"color": OKABE_ITO[index % len(OKABE_ITO)], "dash": "solid" if index == 0 else "dash"})
    fig.update_layout(**_layout(chart.title, chart.unit, 340))
    return fig
