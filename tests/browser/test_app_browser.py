"""End to end in headless Chromium against `streamlit run app.py`: preset, edit, shared link, every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import expect

from tests.browser.pageobjects import (
    WAIT_MS,
    choose_preset,
    go_to,
    headline,
    open_app,
    search,
    set_number,
    show_group,
    wait_for_rerun_after,
    wait_idle,
    wait_rendered,
)
from tests.browser.server import StreamlitServer

pytestmark = pytest.mark.browser
VIEWPORT = {"width": 1400, "height": 3200}  # tall: Streamlit scrolls inside its own container
# compare.png is retaken later, with scenarios
PAGES = [("Recommendation", "Recommendation"), ("Costs", "Costs"), ("Compare", "Compare scenarios"),
         ("Commands", "Commands and infrastructure as code"), ("Workload", "Workload")]


def _library_node_type(example: str) -> str:
    from advisor.pricing.loader import load_price_book
    from advisor.recommend import recommend
    from advisor.workload import load_workload

    rec = recommend(load_workload(example), load_price_book())
    assert rec.topology is not None
    return rec.topology.node_type


def no_exception(page: Any) -> None:
    assert page.get_by_test_id("stException").count() == 0


def test_preset_edit_share_and_every_page(server: StreamlitServer, chromium: Any, screenshots: Path) -> None:
    context = chromium.new_context(viewport=VIEWPORT)
    page = context.new_page()
    try:
        first = open_app(page, server.url)
        expect(page.get_by_label("Name", exact=True)).to_have_value("Game leaderboard", timeout=WAIT_MS)
        # The browser shows the same design the library computes (the sizing itself is tested by hand in
        # tests/core); a fixed node type here would break whenever a cheaper node type is priced.
        assert _library_node_type("examples/leaderboard.yaml") in first

        # Choose a preset: the recommendation follows it.
        before = search(page)
        choose_preset(page, "Session store")
        wait_for_rerun_after(page, before)
        session_store = headline(page)
        assert session_store != first
        show_group(page, "Dataset & growth")  # the form shows one group of fields at a time
        expect(page.get_by_label("Item count", exact=True)).to_have_value("2000000", timeout=WAIT_MS)

        # Change a value: ten times the reads needs a different cluster.
        show_group(page, "Traffic")
        before = search(page)
        set_number(page, "Average reads/s", "400000")
        wait_for_rerun_after(page, before)
        changed = headline(page)
        assert changed != session_store
        no_exception(page)
        wait_rendered(page)
        page.screenshot(path=str(screenshots / "workload.png"))

        # An invalid value names its field inline and keeps the last recommendation on screen; the sidebar,
        # outside the form's fragment, says so too (the fragment reruns the whole app when it must).
        show_group(page, "Dataset & growth")
        before = search(page)
        set_number(page, "Hot set (%)", "0")
        wait_for_rerun_after(page, before)
        expect(page.get_by_text("hot_set_percent").first).to_be_visible(timeout=WAIT_MS)
        expect(page.get_by_test_id("stSidebar").get_by_text("1 invalid input:")).to_be_visible(timeout=WAIT_MS)
        assert "Last valid recommendation" in headline(page)
        assert changed.split(":", 1)[1] in headline(page)
        no_exception(page)
        wait_rendered(page)
        page.screenshot(path=str(screenshots / "workload-invalid.png"))
        before = search(page)
        set_number(page, "Hot set (%)", "100")
        wait_for_rerun_after(page, before)
        expect(page.get_by_test_id("stSidebar").get_by_text("invalid input")).to_have_count(0, timeout=WAIT_MS)

        # The address bar is the share link: a fresh session opens the same workload.
        shared_url = page.url
        assert "?w=" in shared_url
        other = chromium.new_context(viewport=VIEWPORT).new_page()
        try:
            assert open_app(other, shared_url) == changed
            expect(other.get_by_label("Name", exact=True)).to_have_value("Session store", timeout=WAIT_MS)
            show_group(other, "Traffic")
            expect(other.get_by_label("Average reads/s", exact=True)).to_have_value("400000", timeout=WAIT_MS)
            no_exception(other)
        finally:
            other.context.close()

        # Every page renders, without an exception, and keeps the inputs in the URL.
        for nav_title, heading in PAGES:
            go_to(page, nav_title, heading)
            no_exception(page)
            assert "w=" in page.url
            page.screenshot(path=str(screenshots / f"{nav_title.lower()}.png"))
        assert headline(page) == changed  # back on the Workload page, nothing was lost
    finally:
        context.close()


def save_scenario(page: Any, name: str) -> None:
    go_to(page, "Compare", "Compare scenarios")
    page.get_by_label("Scenario name", exact=True).fill(name, timeout=WAIT_MS)
    page.get_by_role("button", name="Save current inputs as a scenario").click(timeout=WAIT_MS)
    page.get_by_text(f"{name} —", exact=False).first.wait_for(timeout=WAIT_MS)
    wait_idle(page)


def test_two_scenarios_side_by_side(server: StreamlitServer, chromium: Any, screenshots: Path) -> None:
    page = chromium.new_context(viewport=VIEWPORT).new_page()
    try:
        open_app(page, server.url)
        save_scenario(page, "today")
        go_to(page, "Workload", "Workload")
        show_group(page, "Dataset & growth")
        before = search(page)
        set_number(page, "Dataset size (GB)", "250")
        wait_for_rerun_after(page, before)
        save_scenario(page, "ten times the data")
        charts = page.get_by_test_id("stPlotlyChart")
        charts.first.wait_for(timeout=WAIT_MS)
        assert page.get_by_test_id("stTable").count() == 2  # figures side by side, and the inputs that differ
        no_exception(page)
        wait_rendered(page)
        page.screenshot(path=str(screenshots / "compare.png"))
    finally:
        page.context.close()


def test_pricing_provenance_is_in_the_sidebar(server: StreamlitServer, chromium: Any) -> None:
    page = chromium.new_context(viewport={"width": 1400, "height": 900}).new_page()
    try:
        open_app(page, server.url)
        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_text("Pricing as of").wait_for(timeout=WAIT_MS)
        assert "us-east-1" in sidebar.inner_text()
        wait_idle(page)
    finally:
        page.context.close()


def test_the_form_shows_one_group_and_the_sidebar_follows_its_changes(server: StreamlitServer, chromium: Any) -> None:
    page = chromium.new_context(viewport={"width": 1400, "height": 1200}).new_page()
    try:
        open_app(page, server.url)
        # A change inside the form reruns only the form; one that the sidebar shows (the name) reruns it all.
        before = search(page)
        name = page.get_by_label("Name", exact=True)
        name.fill("Renamed cache", timeout=WAIT_MS)
        name.press("Enter", timeout=WAIT_MS)
        wait_for_rerun_after(page, before)
        expect(page.get_by_test_id("stSidebar").get_by_text("Renamed cache")).to_be_visible(timeout=WAIT_MS)

        # The export, written when the button is clicked, holds the inputs as they stand.
        with page.expect_download(timeout=WAIT_MS) as download:
            page.get_by_role("button", name="Export YAML").click(timeout=WAIT_MS)
        exported = yaml.safe_load(Path(download.value.path()).read_text())
        assert exported["name"] == "Renamed cache" and exported["avg_reads_per_sec"] == 60000

        # The share link is drawn when its expander opens, and it is the address bar's link.
        page.get_by_text("Share these inputs").click(timeout=WAIT_MS)
        link = page.get_by_test_id("stCode").first
        link.wait_for(timeout=WAIT_MS)
        wait_idle(page)
        assert "?w=" in page.url and page.url.split("?w=", 1)[1] in link.inner_text().replace("\n", "")

        # Only the chosen group is drawn, and the choice survives a visit to another page.
        show_group(page, "Traffic")
        # The expander is drawn outside the form's fragment; a change while it is open still updates its link.
        before = search(page)
        set_number(page, "Average reads/s", "61000")
        wait_for_rerun_after(page, before)
        expect(link).to_contain_text(page.url.split("?w=", 1)[1][:40], timeout=WAIT_MS)
        wait_idle(page)
        assert page.url.split("?w=", 1)[1] in link.inner_text().replace("\n", "")
        before = search(page)
        set_number(page, "Average reads/s", "60000")
        wait_for_rerun_after(page, before)
        assert page.get_by_label("Item count", exact=True).count() == 0
        go_to(page, "Costs", "Costs")
        go_to(page, "Workload", "Workload")
        expect(page.get_by_label("Average reads/s", exact=True)).to_have_value("60000", timeout=WAIT_MS)
        assert page.get_by_label("Name", exact=True).count() == 0

        # Import YAML opens a popover with the uploader (drawn only then); a file fills every field.
        page.get_by_role("button", name="Import YAML").click(timeout=WAIT_MS)
        uploader = page.locator("[data-testid='stFileUploader'] input[type='file']")
        uploader.set_input_files(str(Path(__file__).resolve().parents[2] / "examples" / "pubsub_chat.yaml"),
                                 timeout=WAIT_MS)
        page.get_by_test_id("stSidebar").get_by_text("Pub/sub chat").wait_for(timeout=WAIT_MS)
        page.keyboard.press("Escape")  # close the popover
        show_group(page, "Name & Region")
        expect(page.get_by_label("Name", exact=True)).to_have_value("Pub/sub chat", timeout=WAIT_MS)
        no_exception(page)
    finally:
        page.context.close()
