"""The Live clusters page's CloudWatch chart: a line per node, the legend at the figure's foot, and node names
(they come from the AWS account) drawn as typed, never as Plotly's HTML."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ui.charts import LEGEND
from ui.live_tables import metric_chart


def test_metric_chart_has_a_line_per_node_a_foot_legend_and_escaped_names() -> None:
    start = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    nodes = ["cache-0001-001", "<a href='https://evil.example'>x</a>"]
    series = pd.DataFrame([{"timestamp": start + dt.timedelta(minutes=5 * i), "value": 10.0 + i, "node": node}
                           for node in nodes for i in range(3)])
    fig = metric_chart(series, "EngineCPUUtilization")
    assert sorted(trace.name for trace in fig.data) == sorted(
        ["cache-0001-001", "&lt;a href='https://evil.example'&gt;x&lt;/a&gt;"])
    assert fig.layout.legend.orientation == "h" and fig.layout.legend.yref == LEGEND["yref"] == "container"
    assert fig.layout.title.text == "EngineCPUUtilization"
    assert all(len(trace.y) == 3 for trace in fig.data)
