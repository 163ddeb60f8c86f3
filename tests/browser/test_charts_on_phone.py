"""Issue 13 §1 for every Plotly chart, in headless Chromium at a phone's 390 px and a desktop's 1440 px: nothing
is cut off at the chart's edge (title, legend, axis titles, tick labels, notes on the plot), the legend does not
sit on the x-axis title, level x tick labels do not run into each other, and tick labels leave the plot at least
half the chart's width."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor.workload_link import encode_workload_link
from tests.browser.pageobjects import WAIT_MS, wait_idle, wait_rendered
from tests.browser.server import ROOT, StreamlitServer

pytestmark = pytest.mark.browser
WIDTHS = (390, 1440)
SLACK_PX = 1.0  # sub-pixel rounding of text boxes


def _link(example: str, **constraints: str) -> str:
    """The `w=` parameter that opens the app on an example workload, with constraints added."""
    data = yaml.safe_load((ROOT / "examples" / example).read_text())
    if constraints:
        data["constraints"] = {**data.get("constraints", {}), **constraints}
    return f"w={encode_workload_link(data)}"


def _save_scenarios(page: Any) -> None:
    """Two scenarios, one with a long name (the user's text, drawn under its bars)."""
    for name in ("today", "next year with twice the traffic"):
        page.get_by_label("Scenario name", exact=True).fill(name, timeout=WAIT_MS)
        page.get_by_role("button", name="Save current inputs as a scenario").click(timeout=WAIT_MS)
        page.get_by_text(f"{name} —", exact=False).first.wait_for(timeout=WAIT_MS)
        wait_idle(page)


def _nothing(page: Any) -> None:
    pass


# (what the page shows, its path, a query string or "", its heading, what to do there, how many charts at least)
VISITS: tuple[tuple[str, str, str, str, Callable[[Any], None], int], ...] = (
    ("Costs, Game leaderboard", "costs", "", "Costs", _nothing, 5),
    ("Costs, Serverless (Pub/sub chat)", "costs", _link("pubsub_chat.yaml"), "Costs", _nothing, 5),
    ("Compare", "compare", "", "Compare scenarios", _save_scenarios, 1),
    ("Decisions & plan, Game leaderboard", "decisions", "", "Decisions & plan", _nothing, 2),
    # Redis OSS insisted on: the page adds the stay-or-upgrade chart.
    ("Decisions & plan, Redis OSS", "decisions", _link("leaderboard.yaml", engine="redis"), "Decisions & plan",
     _nothing, 3),
    ("Caching patterns", "patterns", "", "Caching patterns lab", _nothing, 4),
    # The example fleet's first cluster: its statistics and every trend (the expanders are opened).
    ("Fleet review, example fleet", "fleet", "", "Fleet review", _nothing, 2),
)

# Every chart's box and the boxes of the parts that must fit in it, in page pixels.
MEASURE = """() => [...document.querySelectorAll("[data-testid='stPlotlyChart']")].map(chart => {
    const box = e => { const r = e.getBoundingClientRect();
                       return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, text: e.textContent,
                               slanted: (e.getAttribute("transform") || "").includes("rotate")}; };
    const all = sel => [...chart.querySelectorAll(sel)].filter(e => e.textContent.trim() !== "").map(box);
    return {
        chart: box(chart.querySelector(".main-svg")),
        titles: all(".gtitle"),
        legend: all(".legend"),
        xtitles: all("text[class*='xtitle']"),
        ytitles: all("text[class*='ytitle']"),
        xticks: all("[class*='xtick'] text"),
        yticks: all("[class*='ytick'] text"),
        notes: all(".annotation"),
        plots: [...chart.querySelectorAll(".draglayer .nsewdrag")].map(box),
    };
})"""


def _inside(part: dict[str, Any], box: dict[str, Any]) -> bool:
    return (part["left"] >= box["left"] - SLACK_PX and part["right"] <= box["right"] + SLACK_PX
            and part["top"] >= box["top"] - SLACK_PX and part["bottom"] <= box["bottom"] + SLACK_PX)


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (min(a["right"], b["right"]) - max(a["left"], b["left"]) > SLACK_PX
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > SLACK_PX)


PARTS = {"titles": "the title", "legend": "the legend", "xtitles": "the x-axis title", "ytitles": "the y-axis title",
         "xticks": "the x tick label", "notes": "the note"}


def problems(charts: list[dict[str, Any]]) -> list[str]:
    """What a reader would find cut off or drawn over, one sentence per fault."""
    found = []
    for index, chart in enumerate(charts):
        box = chart["chart"]
        name = repr(chart["titles"][0]["text"]) if chart["titles"] else f"chart {index + 1}"
        edges = f"the chart spans {box['left']:.0f}-{box['right']:.0f} x {box['top']:.0f}-{box['bottom']:.0f} px"
        for kind, what in PARTS.items():
            for part in chart[kind]:
                if not _inside(part, box):
                    found.append(f"{name}: {what} {part['text'][:40]!r} is cut off at "
                                 f"{part['left']:.0f}-{part['right']:.0f} x {part['top']:.0f}-{part['bottom']:.0f} px; "
                                 f"{edges}")
        for tick in chart["yticks"]:
            if tick["left"] < box["left"] - SLACK_PX or tick["right"] > box["right"] + SLACK_PX:
                found.append(f"{name}: the y tick label {tick['text']!r} starts at {tick['left']:.0f} px, outside; "
                             f"{edges}")
        # Plotly slants labels that would not fit level; a slanted label's box is wider than its ink, so only
        # level ones are compared (the slanted ones are still checked for being inside the chart).
        ticks = [tick for tick in chart["xticks"] if not tick["slanted"]]
        for i, tick in enumerate(ticks):
            for other in ticks[i + 1:]:
                if _overlap(tick, other):
                    found.append(f"{name}: the x tick labels {tick['text']!r} and {other['text']!r} run into each "
                                 "other")
        for legend in chart["legend"]:
            for axis in chart["xtitles"]:
                if _overlap(legend, axis):
                    found.append(f"{name}: the legend covers the x-axis title {axis['text']!r}")
        plotted = sum(plot["right"] - plot["left"] for plot in chart["plots"])
        if plotted < 0.5 * (box["right"] - box["left"]):
            found.append(f"{name}: labels leave the plot {plotted:.0f} px of the chart's "
                         f"{box['right'] - box['left']:.0f} px")
    return found


def _visit(page: Any, url: str, heading: str, action: Callable[[Any], None], at_least: int) -> list[dict[str, Any]]:
    page.goto(url, timeout=WAIT_MS)
    page.get_by_role("heading", level=1).filter(has_text=heading).first.wait_for(timeout=WAIT_MS)
    wait_rendered(page, timeout=90_000)  # the example fleet takes about half a minute the first time
    action(page)
    for expander in page.locator("[data-testid='stExpander'] summary").all():
        if expander.locator("xpath=..").get_attribute("open") is None:
            expander.click(timeout=WAIT_MS)
    wait_idle(page)
    page.wait_for_function(
        "n => document.querySelectorAll(\"[data-testid='stPlotlyChart'] .main-svg .gtitle\").length >= n",
        arg=at_least, timeout=90_000)
    page.wait_for_timeout(300)  # Plotly lays out once more after the container's width settles
    return page.evaluate(MEASURE)


@pytest.mark.parametrize("width", WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def test_every_chart_fits_its_box(server: StreamlitServer, chromium: Any, screenshots: Path, width: int) -> None:
    context = chromium.new_context(viewport={"width": width, "height": 2400})
    page = context.new_page()
    found = []
    try:
        for what, path, query, heading, action, at_least in VISITS:
            charts = _visit(page, f"{server.url}/{path}{'?' + query if query else ''}", heading, action, at_least)
            assert len(charts) >= at_least, (what, len(charts))
            found += [f"{what} at {width} px: {p}" for p in problems(charts)]
            stem = what.lower().replace(" ", "-").replace(",", "").replace("&", "and").replace("/", "-")
            for index, chart in enumerate(page.locator("[data-testid='stPlotlyChart']").all()):
                chart.screenshot(path=str(screenshots / f"chart-{width}-{stem}-{index}.png"))
    finally:
        context.close()
    assert not found, "\n".join(found)


def _part(left: float, top: float, right: float, bottom: float, text: str = "t",
          slanted: bool = False) -> dict[str, Any]:
    return {"left": left, "top": top, "right": right, "bottom": bottom, "text": text, "slanted": slanted}


def test_each_fault_is_reported() -> None:
    """The checks themselves, on boxes drawn by hand: a chart 0-358 x 0-450 px whose plot spans 60-350 px."""
    fine = {"chart": _part(0, 0, 358, 450), "titles": [_part(4, 5, 200, 25, "Costs")],
            "legend": [_part(10, 420, 300, 440)], "xtitles": [_part(150, 390, 200, 405)],
            "ytitles": [_part(2, 100, 20, 300)],
            "xticks": [_part(60, 370, 90, 382, "a"), _part(100, 370, 130, 382, "b")],
            "yticks": [_part(30, 100, 55, 112)], "notes": [], "plots": [_part(60, 40, 350, 360)]}
    assert problems([fine]) == []
    faults = {
        "titles": [_part(4, 5, 605, 25, "Costs")],  # runs past the right edge
        "legend": [_part(10, 395, 300, 440)],  # over the x-axis title
        "yticks": [_part(-40, 100, 55, 112, "Average requests/s")],  # starts left of the chart
        "xticks": [_part(60, 370, 110, 382, "a"), _part(100, 370, 130, 382, "b")],  # level, running together
        "plots": [_part(250, 40, 350, 360)],  # labels take 250 of 358 px
    }
    for kind, parts in faults.items():
        assert len(problems([{**fine, kind: parts}])) == 1, kind
    slanted = [_part(60, 370, 110, 400, "a", True), _part(100, 370, 130, 400, "b", True)]
    assert problems([{**fine, "xticks": slanted}]) == []  # a slanted label's box is wider than its ink
