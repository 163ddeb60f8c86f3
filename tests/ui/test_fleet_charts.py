"""ui.fleet_charts: the export's chart data drawn so that it fits a phone, with the account's names as text."""

from __future__ import annotations

from advisor.fleet.export import Bars, Line
from ui.fleet_charts import bars_figure, line_figure

GROUPS = ("engine CPU (EngineCPUUtilization, Maximum)", "memory (DatabaseMemoryUsagePercentage, Maximum)")


def test_bars_are_named_briefly_under_the_axis_and_fully_in_the_hover_box() -> None:
    fig = bars_figure(Bars("c-1: p50/p95", GROUPS, (("p50", (9.0, 11.0)), ("p95", (12.0, 11.5))), "%"))
    for trace in fig.data:
        assert list(trace.x) == ["engine CPU", "memory"]
        assert list(trace.customdata) == list(GROUPS)
    assert [trace.name for trace in fig.data] == ["p50", "p95"]


def test_a_long_title_is_wrapped_and_a_clusters_name_is_text() -> None:
    title = "<b>x</b>: DatabaseMemoryUsagePercentage, daily averages over the review window"
    fig = line_figure(Line(title, ("2026-11-17", "2026-11-18"), (("daily", (1.0, 2.0)),), "%"))
    # By hand, 38 characters a line: "&lt;b&gt;x&lt;/b&gt;:" is 21, adding the metric's 30 makes 52; the metric
    # and " daily" make 36, adding " averages" 45.
    assert fig.layout.title.text == ("&lt;b&gt;x&lt;/b&gt;:<br>DatabaseMemoryUsagePercentage, daily<br>averages "
                                     "over the review window")
    assert fig.layout.margin.t == 40 + 22 * 3  # room above the plot for three lines


def test_the_window_is_a_subtitle_under_a_short_title() -> None:
    window = "2026-11-17 00:00 to 2026-12-01 00:00 UTC (14 days, 5-minute periods)"
    fig = bars_figure(Bars("catalog-api: p50/p95/p99/max", GROUPS, (("p50", (9.0, 11.0)),), "%", detail=window))
    assert fig.layout.title.text == "catalog-api: p50/p95/p99/max"  # 28 characters: one line
    # By hand, 50 characters a line: "2026-11-17 00:00 to 2026-12-01 00:00 UTC (14" is 44, adding " days," makes 50;
    # the rest, "5-minute periods)", is the second line.
    assert fig.layout.title.subtitle.text == "2026-11-17 00:00 to 2026-12-01 00:00 UTC (14 days,<br>5-minute periods)"
    assert fig.layout.margin.t == 40 + 22 * 1 + 18 * 2

