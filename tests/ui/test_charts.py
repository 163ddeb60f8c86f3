"""ui.charts draws the advisor's curve data as given: crossovers and break-even months are marked."""

from __future__ import annotations

from pathlib import Path

from advisor.cost_curves import crossover_points, engine_comparison, growth_curve, reserved_cumulative, traffic_sweep
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
