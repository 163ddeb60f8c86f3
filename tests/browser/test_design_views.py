"""Issue 13 in headless Chromium: the design picture on three presets, the Alternatives table's deciding
columns at desktop and phone widths, and the Costs page's traffic chart labels and caption."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from tests.browser.pageobjects import WAIT_MS, choose_preset, go_to, open_app, wait_rendered
from tests.browser.server import ROOT, StreamlitServer

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1440, "height": 2400}
PHONE = {"width": 390, "height": 3000}


def _library(example: str) -> Any:
    from advisor.pricing.loader import load_price_book
    from advisor.recommend import recommend
    from advisor.workload import load_workload

    return recommend(load_workload(example), load_price_book())


def _picture_svg(page: Any, label: str = "Recommended design") -> str:
    """The design picture's SVG, read back from the image Streamlit shows (its alt text is its title)."""
    image = page.get_by_role("img", name=re.compile(f"^{label}")).first
    image.wait_for(timeout=WAIT_MS)
    src = str(image.get_attribute("src"))
    head, data = src.split(",", 1)
    return base64.b64decode(data).decode() if head.endswith(";base64") else unquote(data)


@pytest.mark.parametrize(("preset", "example"), [
    ("Game leaderboard", "examples/leaderboard.yaml"),
    ("Product catalog", "examples/multi_region_catalog.yaml"),
    ("Pub/sub chat", "examples/pubsub_chat.yaml"),
])
def test_the_design_picture_shows_the_right_counts(server: StreamlitServer, chromium: Any, preset: str,
                                                   example: str) -> None:
    rec = _library(example)
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        open_app(page, server.url)
        choose_preset(page, preset)
        go_to(page, "Recommendation", "Recommendation")
        svg = _picture_svg(page)
        regions = 1 + len(rec.workload.secondary_regions)
        assert f"data-regions='{regions if rec.deployment == 'provisioned' else 1}'" in svg
        if rec.deployment == "serverless":
            assert "data-kind='endpoint'" in svg and "data-kind='node'" not in svg
            assert "Serverless: one endpoint" in svg
            return
        topo = rec.topology
        nodes = topo.shards * (1 + topo.replicas_per_shard) * regions
        assert f"data-nodes='{nodes}'" in svg and topo.node_type in svg
        # Every drawn shard has one primary (read-only in a secondary Region) and its replicas.
        drawn = min(topo.shards, 4) * regions
        assert svg.count("data-role='primary'") + svg.count("data-role='secondary'") == drawn
        assert svg.count("data-role='replica'") == drawn * topo.replicas_per_shard
        assert svg.count("data-kind='link'") == regions - 1  # one Global Datastore arrow per secondary
    finally:
        context.close()


def test_a_given_design_is_drawn_beside_the_recommended_one(server: StreamlitServer, chromium: Any,
                                                            screenshots: Path) -> None:
    import yaml

    from advisor.workload_link import encode_workload_link

    given = yaml.safe_load((ROOT / "examples" / "given_designs" / "three_shards_r7g_xlarge.yaml").read_text())
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(f"{server.url}/recommendation?w={encode_workload_link(given)}", timeout=WAIT_MS)
        page.get_by_role("heading", name="Design", exact=True).wait_for(timeout=WAIT_MS)
        wait_rendered(page)
        drawn = _picture_svg(page, "Given design")
        ours = _picture_svg(page, "Recommended design")
        # Given: 3 shards x (1 primary + 2 replicas) of cache.r7g.xlarge = 9 nodes, each shard over 3 AZs.
        assert "data-nodes='9'" in drawn and "cache.r7g.xlarge" in drawn
        assert drawn.count("data-role='primary'") == 3 and drawn.count("data-role='replica'") == 6
        assert drawn.count("data-kind='az'") == 3
        # The advisor's own for the same 45 GB: 1 shard x (1 primary + 1 replica) of cache.r8g.2xlarge, 2 AZs.
        assert "data-nodes='2'" in ours and "cache.r8g.2xlarge" in ours and ours.count("data-kind='az'") == 2
        # Side by side: the given design on the left, the recommended one to its right, at the same height. Each
        # sits in its own frame (a picture wider than its column scrolls inside it rather than shrinking).
        left = page.locator(".st-key-design-picture-0").bounding_box()
        right = page.locator(".st-key-design-picture-1").bounding_box()
        assert left is not None and right is not None
        assert left["x"] + left["width"] <= right["x"] and abs(left["y"] - right["y"]) < 5
        page.screenshot(path=str(screenshots / "given-beside-recommended.png"), full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1440px", "390px"])
def test_the_deciding_alternatives_columns_fit_the_screen(server: StreamlitServer, chromium: Any,
                                                          viewport: dict[str, int]) -> None:
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    try:
        page.goto(f"{server.url}/recommendation", timeout=WAIT_MS)
        page.get_by_role("heading", name="Alternatives").first.wait_for(timeout=WAIT_MS)
        wait_rendered(page)
        grid = page.locator("[data-testid='stDataFrame']").first
        box = grid.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
        # The grid draws its cells on a canvas; its scroller is only wider than its frame when columns are
        # cut off. Node type, nodes, $/month and the binding limit all fit, with no sideways scrolling.
        widths = page.evaluate("""() => { const s = document.querySelector("[data-testid='stDataFrame'] .dvn-scroller");
                                          return [s.scrollWidth, s.clientWidth]; }""")
        assert widths[0] <= widths[1] + 1, widths
    finally:
        context.close()


@pytest.mark.parametrize("preset", ["Pub/sub chat", "Game leaderboard"])
def test_the_traffic_chart_is_labelled_and_its_caption_agrees(server: StreamlitServer, chromium: Any,
                                                              preset: str) -> None:
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        open_app(page, server.url)
        choose_preset(page, preset)
        go_to(page, "Costs", "Costs")
        chart = page.locator("[data-testid='stPlotlyChart']").nth(0)
        chart.locator("text").first.wait_for(timeout=WAIT_MS)
        labels = chart.locator(".annotation-text").evaluate_all("nodes => nodes.map(n => n.textContent)")
        assert any(label.startswith("today ") for label in labels), labels
        captions = " ".join(page.locator("[data-testid='stCaptionContainer']").all_inner_texts())
        crossings = [label for label in labels if label.startswith("crossover")]
        if crossings:  # each crossover drawn is the one the caption names
            for label in crossings:
                value = label.removeprefix("crossover ≈ ").removesuffix(" req/s")
                assert f"about {value}" in captions
            assert "The curves cross at" in captions
        else:
            assert "the curves do not cross" in captions
        assert "at any traffic" not in captions or preset == "Game leaderboard"
    finally:
        context.close()
