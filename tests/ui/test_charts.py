"""ui.charts draws the advisor's curve data as given: crossovers and break-even months are marked."""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

import pytest

from advisor.cost_curves import (
    TrafficPoint,
    crossover_points,
    describe_sweep,
    engine_comparison,
    growth_curve,
    reserved_cumulative,
    traffic_sweep,
)
from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.workload import load_workload
from ui import charts

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_traffic_chart_marks_each_crossover_and_today(book: PriceBook) -> None:
    workload = load_workload(EXAMPLES / "pubsub_chat.yaml")
    points = traffic_sweep(workload, book, "valkey")
    crossings = crossover_points(points)
    assert crossings, "the chat preset's curves cross within the sweep"
    fig = charts.traffic_chart(points, crossings, 18_000)
    marked = sorted(shape.x0 for shape in fig.layout.shapes)
    assert marked == sorted([*crossings, 18_000])
    assert [trace.name for trace in fig.data] == ["Provisioned (on-demand)", "Serverless"]
    assert len(fig.data[0].x) == len(points)


def test_reserved_chart_has_a_marker_at_each_break_even_month(book: PriceBook) -> None:
    rec = recommend(load_workload(EXAMPLES / "leaderboard.yaml"), book)
    series = reserved_cumulative(rec, 36)
    fig = charts.reserved_chart(series)
    markers = {trace.name: trace.x[0] for trace in fig.data if trace.name.startswith("break-even")}
    expected = {f"break-even: {s.label}": s.break_even_month for s in series if s.break_even_month}
    assert markers == expected
    on_demand = next(t for t in fig.data if t.name == "On-demand")
    assert on_demand.y[35] == float(series[0].monthly_totals[35])


def test_other_charts_draw_every_row(book: PriceBook) -> None:
    workload = load_workload(EXAMPLES / "session_store.yaml")
    rec = recommend(workload, book)
    assert len(charts.node_type_chart(rec.search.ranked).data[0].y) == len(rec.search.ranked)
    rows = engine_comparison(workload, book)
    assert list(charts.engine_chart(rows).data[0].x) == ["Valkey", "Redis OSS"]
    growth = growth_curve(workload, book, "valkey")
    assert list(charts.growth_chart(growth).data[0].x) == [p.month for p in growth]
    assert charts.scenario_chart({"a": rec, "b": rec}).data[0].x == ("a", "b")


def test_traffic_markers_are_labelled_where_a_log_axis_puts_them(book: PriceBook) -> None:
    workload = load_workload(EXAMPLES / "pubsub_chat.yaml")
    points = traffic_sweep(workload, book, "valkey")
    crossings = crossover_points(points)
    fig = charts.traffic_chart(points, crossings, 18_000)
    labels = {a.text: a.x for a in fig.layout.annotations}
    assert labels["today 18,000 req/s"] == pytest.approx(math.log10(18_000))  # log10: the axis is log
    for x in crossings:
        assert labels[f"crossover ≈ {x:,.0f} req/s"] == pytest.approx(math.log10(x))


def test_each_reservation_has_its_own_colour_and_a_break_even_label_in_it(book: PriceBook) -> None:
    rec = recommend(load_workload(EXAMPLES / "leaderboard.yaml"), book)
    fig = charts.reserved_chart(reserved_cumulative(rec, 36))
    lines = {t.name: t.line.color for t in fig.data if t.mode == "lines"}
    assert len(lines) == 7 and len(set(lines.values())) == 7  # on-demand + six reservations, all distinct
    for marker in (t for t in fig.data if t.mode == "markers+text"):
        label = marker.name.removeprefix("break-even: ")
        assert marker.marker.color == lines[label] and marker.textfont.color == lines[label]
        assert marker.text[0] == f"month {marker.x[0]}"
    # At the foot of the whole figure, where Plotly reserves room under the axis title (measured in
    # tests/browser/test_charts_on_phone.py), not at a share of the plot's height below it.
    legend = fig.layout.legend
    assert (legend.yref, legend.y, legend.yanchor) == ("container", 0, "bottom")


def test_scenarios_draw_monthly_and_three_year_totals_on_separate_axes(book: PriceBook) -> None:
    recs = {name: recommend(load_workload(EXAMPLES / f"{name}.yaml"), book)
            for name in ("leaderboard", "session_store")}
    fig = charts.scenario_chart(recs)
    monthly, total = fig.data
    assert (monthly.xaxis, monthly.yaxis) != (total.xaxis, total.yaxis)
    assert fig.layout.yaxis.title.text == "USD per month" and fig.layout.yaxis2.title.text == "USD over 3 years"
    assert total.y[0] == pytest.approx(float(recs["leaderboard"].costs.total_over(36)))


def _point(rps: float, serverless: str, provisioned: str) -> TrafficPoint:
    return TrafficPoint(1.0, rps, Decimal(serverless), Decimal(provisioned), "2 x cache.r7g.large")


def test_the_sweep_caption_says_what_the_points_show() -> None:
    # Serverless $100 vs $300 at 1,000 req/s, $500 vs $300 at 10,000: it crosses where the difference
    # -200 -> +200 passes zero, halfway: 5,500 req/s (the chart interpolates the same way).
    points = [_point(1_000, "100", "300"), _point(10_000, "500", "300")]
    crossings = crossover_points(points)
    assert crossings == [5_500]
    text = describe_sweep(points, crossings, 2_000)
    assert "cross at about 5,500" in text and "Serverless is cheaper below" in text
    assert "provisioned above" in text and "At today's 2,000 requests/s Serverless is cheaper" in text
    flat = [_point(1_000, "100", "300"), _point(10_000, "200", "300")]
    assert "Serverless is cheaper at every traffic level" in describe_sweep(flat, crossover_points(flat), 1_000)


def test_scenario_names_reach_the_chart_as_text_not_plotly_html(book: PriceBook) -> None:
    """Plotly draws <a href>, <b> and <br> found in any label; a scenario name (typed, or a shared link's workload
    name) must show as typed: every '<', '>' and '&' goes in as an entity, which Plotly decodes for display."""
    rec = recommend(load_workload(EXAMPLES / "session_store.yaml"), book)
    evil = '<a href="https://evil.example/x">click</a> <b>&amp;</b>'
    fig = charts.scenario_chart({evil: rec, "plain": rec})
    for trace in fig.data:
        # The chart's own line breaks (<br> between words, so a long name fits under its bar) are the only markup.
        assert [x.replace("<br>", " ") for x in trace.x] == [
            '&lt;a href="https://evil.example/x"&gt;click&lt;/a&gt; &lt;b&gt;&amp;amp;&lt;/b&gt;', "plain"]
        assert "<" not in "".join(trace.x).replace("<br>", "")


def test_break_even_labels_at_one_point_do_not_print_over_each_other(book: PriceBook) -> None:
    """Both No Upfront reservations pay off from month 1 (no upfront, a lower hourly rate), so two labels sit at
    one spot; each must be placed on its own side of the marker."""
    rec = recommend(load_workload(EXAMPLES / "leaderboard.yaml"), book)
    fig = charts.reserved_chart(reserved_cumulative(rec, 36))
    markers = [t for t in fig.data if t.mode == "markers+text"]
    at_month_one = [t for t in markers if t.x[0] == 1]
    assert {t.name for t in at_month_one} == {"break-even: 1-year No Upfront (estimate)",
                                              "break-even: 3-year No Upfront (estimate)"}
    spots = [(t.x[0], t.textposition) for t in markers]
    assert len(spots) == len(set(spots))


def test_node_type_labels_count_nodes_in_words(book: PriceBook) -> None:
    """Issue 13 §1: "cache.m7g.large (1 node)", never "(1 nodes)". The dev/test example ranks one-node designs."""
    rec = recommend(load_workload(EXAMPLES / "dev_test.yaml"), book)
    labels = list(charts.node_type_chart(rec.search.ranked).data[0].y)
    ones = [c for c in rec.search.ranked if c.node_count == 1]
    assert ones, "the example should rank a one-node design"
    assert f"{ones[0].node_type} (1 node)" in labels
    assert not [label for label in labels if label.endswith("(1 nodes)")]


def test_long_labels_are_broken_between_words_into_short_lines() -> None:
    # By hand: "Average requests/s" is 18 characters, adding " (reads" makes 25 > 22.
    assert charts.wrapped("Average requests/s (reads and writes together)", 22) == (
        "Average requests/s<br>(reads and writes<br>together)")
    assert charts.wrapped("Month", 22) == "Month"
    # A word longer than the width stays whole (a metric name cut in two would read as two words).
    assert charts.wrapped("DatabaseMemoryUsagePercentage", 10) == "DatabaseMemoryUsagePercentage"


def test_a_label_in_the_right_half_of_the_sweep_is_written_leftwards(book: PriceBook) -> None:
    workload = load_workload(EXAMPLES / "pubsub_chat.yaml")
    points = traffic_sweep(workload, book, "valkey")
    low, high = points[0].average_requests_per_sec, points[-1].average_requests_per_sec
    middle = math.sqrt(low * high)  # the middle of a log axis
    fig = charts.traffic_chart(points, [middle * 2], middle / 2)
    anchors = {a.text.split(" ")[0]: a.xanchor for a in fig.layout.annotations}
    assert anchors == {"crossover": "right", "today": "left"}
