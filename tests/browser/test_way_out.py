"""End to end in Chromium: a shared link holding a conflict opens on "Conflict", and one click on a way out's
button makes it the workload; the Recommendation page then shows a design. Its own module: its own server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor.workload_link import encode_workload_link
from tests.browser.pageobjects import WAIT_MS, go_to, headline, wait_rendered
from tests.browser.server import ROOT, StreamlitServer

pytestmark = pytest.mark.browser
CONFLICT = ROOT / "examples" / "conflicts" / "memcached_client_failover_backups.yaml"


def test_adopting_a_way_out_with_one_click(server: StreamlitServer, chromium: Any, screenshots: Path) -> None:
    token = encode_workload_link(yaml.safe_load(CONFLICT.read_text()))
    context = chromium.new_context(viewport={"width": 1400, "height": 1800})
    page = context.new_page()
    try:
        page.goto(f"{server.url}/?w={token}", timeout=WAIT_MS)
        assert "Conflict" in headline(page)
        go_to(page, "Recommendation", "Recommendation")
        page.get_by_role("heading", name="Ways out", exact=True).wait_for(timeout=WAIT_MS)
        page.screenshot(path=str(screenshots / "way-out-before.png"), full_page=True)
        page.get_by_role("button", name="Adopt this design").first.click(timeout=WAIT_MS)
        page.get_by_role("heading", level=3).filter(has_text="Memcached Serverless").first.wait_for(
            timeout=WAIT_MS)
        wait_rendered(page)
        assert page.get_by_role("heading", name="Ways out", exact=True).count() == 0
        page.screenshot(path=str(screenshots / "way-out-adopted.png"), full_page=True)
    finally:
        context.close()
