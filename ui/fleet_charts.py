"""Plotly figures for the Fleet review page, drawn from the same chart data as the HTML and PDF export, in the
colour-blind-safe Okabe-Ito palette."""

from __future__ import annotations

import plotly.graph_objects as go

from advisor.fleet.export import OKABE_ITO, Bars, Line
from advisor.untrusted_text import chart_text
from ui.charts import LEGEND, TITLE_CHARS, wrapped

SUBTITLE_CHARS = 50  # the subtitle's smaller type fits more to a phone's line than the title's


def _layout(chart: Bars | Line, height: int) -> dict[str, object]:
    """The cluster and metrics as the title, what the figures cover (the window) as a smaller subtitle, each
    wrapped to fit a phone, with room above the plot for every line; the cluster's name comes from the AWS
    account, so all of it is escaped first."""
    title = wrapped(chart_text(chart.title), TITLE_CHARS)
    subtitle = wrapped(chart_text(chart.detail), SUBTITLE_CHARS) if chart.detail else ""
    title_lines = title.count("<br>") + 1
    subtitle_lines = subtitle.count("<br>") + 1 if subtitle else 0
    room = 22 * title_lines + 18 * subtitle_lines
    return {"title": {"text": title, "subtitle": {"text": subtitle, "font": {"size": 12}}},
            "yaxis_title": chart_text(chart.unit), "height": height + room - 22,
            "margin": {"l": 10, "r": 10, "t": 40 + room, "b": 10}, "legend": LEGEND}


def bars_figure(chart: Bars) -> go.Figure:
    fig = go.Figure()
    # Under the bars only "engine CPU", not "engine CPU (EngineCPUUtilization, Maximum)": three such names ran into
    # each other on a phone. The metric and statistic are in the hover box and the table under the chart.
    full = [chart_text(group) for group in chart.groups]
    short = [group.split(" (", 1)[0] for group in full]
    for index, (name, values) in enumerate(chart.series):
        fig.add_bar(name=chart_text(name), x=short, y=list(values), marker_color=OKABE_ITO[index % len(OKABE_ITO)],
                    customdata=full, hovertemplate="%{customdata}: %{y:,.2f}<extra>%{fullData.name}</extra>")
    fig.update_layout(barmode="group", xaxis_tickangle=0, **_layout(chart, 400))
    return fig


def line_figure(chart: Line) -> go.Figure:
    fig = go.Figure()
    for index, (name, values) in enumerate(chart.series):
        fig.add_scatter(name=chart_text(name), x=list(chart.x), y=list(values),
                        mode="lines+markers" if index == 0 else "lines",
                        line={"color": OKABE_ITO[index % len(OKABE_ITO)], "dash": "solid" if index == 0 else "dash"})
    fig.update_layout(**_layout(chart, 340))
    return fig
