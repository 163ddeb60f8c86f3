"""A fresh server whose very first visit is a deep link still runs the router (sidebar, pricing, all pages).

Streamlit's legacy pages/ mode would otherwise run pages/costs.py alone; ui/router.py hands it back.
Its own module, so the server fixture here is new and nothing has visited it before.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.pageobjects import WAIT_MS, wait_rendered
from tests.browser.server import StreamlitServer

pytestmark = pytest.mark.browser


def test_first_visit_to_a_deep_link_gets_the_router(server: StreamlitServer, chromium: Any,
                                                     screenshots: Path) -> None:
    context = chromium.new_context(viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    try:
        page.goto(f"{server.url}/costs", timeout=WAIT_MS)
        page.get_by_role("heading", name="Costs", exact=True).wait_for(timeout=WAIT_MS)
        wait_rendered(page)
        sidebar = page.get_by_test_id("stSidebar")
        # app.py's sidebar, not Streamlit's auto-generated list of files in pages/
        sidebar.get_by_text("Pricing as of").wait_for(timeout=WAIT_MS)
        nav = page.get_by_test_id("stSidebarNav")
        assert nav.get_by_text("Caching patterns").count() == 1
        assert nav.get_by_text("app", exact=True).count() == 0
        assert page.url.rstrip("/").endswith("/costs") or "/costs?" in page.url
        page.screenshot(path=str(screenshots / "deep-link-costs.png"), full_page=True)
    finally:
        context.close()
