"""The exported HTML report read in headless Chromium at a phone's width (390 px) and a desktop's (1440 px): the
page never scrolls sideways (wide tables and the design picture scroll in their own boxes), the design picture
keeps its drawn size (shrunk to a phone's width its labels would be about 3 px high), chart titles are text that
wraps, and no chart's legend lies on its x-axis title."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from advisor.pricing import load_price_book
from advisor.recommend import recommend
from advisor.render.design_svg import MARGIN
from advisor.report.html import render_html
from advisor.report.model import build_report
from advisor.workload import load_workload

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    """The HTML report of the two-Region example (the widest picture and the most tables), and the picture's
    drawn width: its layout's width plus the margin on both sides."""
    book = load_price_book()
    report = build_report(recommend(load_workload(ROOT / "examples" / "multi_region_catalog.yaml"), book), book)
    assert report.design is not None
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_html(report))
    return path, report.design.width + 2 * MARGIN


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"] and \
        a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]


@pytest.mark.parametrize("width", [390, 1440])
def test_the_html_report_reads_on_a_phone_and_a_desktop(chromium: Any, report_file: tuple[Path, float],
                                                        width: int) -> None:
    path, drawn_width = report_file
    page = chromium.new_context(viewport={"width": width, "height": 900}).new_page()
    try:
        page.goto(path.as_uri())
        page.locator(".plotly-graph-div .xtitle").first.wait_for(timeout=30_000)
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll of the page
        picture = page.locator("svg.design-picture").first.bounding_box()
        assert picture is not None and picture["width"] >= drawn_width - 1  # never shrunk below its drawn size
        charts = page.locator(".plotly-graph-div").all()
        assert len(charts) == len(page.locator("p.chart-title").all()) >= 2
        for chart in charts:
            chart.scroll_into_view_if_needed()
            assert chart.locator(".gtitle").count() == 0  # the title is the text above, not an unwrapped SVG line
            box, x_title = chart.bounding_box(), chart.locator(".xtitle").first.bounding_box()
            assert box is not None and x_title is not None
            assert box["x"] >= 0 and box["x"] + box["width"] <= width
            if chart.locator(".legend").count():
                legend = chart.locator(".legend").first.bounding_box()
                assert legend is not None and not _overlap(legend, x_title), chart.get_attribute("id")
    finally:
        page.context.close()
