"""A crafted `w` link whose keys and values are Markdown links, images and HTML pointing at other hosts: the
real browser shows them as text, builds no link or image from them, and sends no request to any host named
in the input. A link holding deeply nested JSON or a 400-digit number shows a message and the app works on."""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.browser.pageobjects import WAIT_MS, wait_idle, wait_rendered
from tests.browser.server import StreamlitServer
from tests.hostile.corpus import CASES, EVIL, link_token

pytestmark = pytest.mark.browser

CRAFTED = {
    "dataset_gb": 5,
    f"![k](https://k.{EVIL}/key.png)": 1,
    f"<img src=https://h.{EVIL}/html.png>": 2,
    "region": f"![r](https://r.{EVIL}/region.png)",
    "traffic_shape": f"[click](https://t.{EVIL}/shape) www.w.{EVIL} https://b.{EVIL}/bare",
    "name": f"![n](https://n.{EVIL}/name.png) <img src=https://i.{EVIL}/i.png> $x^2$",
}


def _token(data: dict[str, Any]) -> str:
    raw = json.dumps(data).encode()
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).rstrip(b"=").decode("ascii")


def _open(chromium: Any, url: str) -> tuple[Any, Any, list[str]]:
    context = chromium.new_context(viewport={"width": 1400, "height": 1800})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url, timeout=WAIT_MS)
    page.get_by_role("heading", name="Workload", exact=True).wait_for(timeout=WAIT_MS)
    wait_rendered(page)
    return context, page, requested


def test_markdown_in_a_crafted_link_stays_text_and_fetches_nothing(server: StreamlitServer, chromium: Any,
                                                                  screenshots: Path) -> None:
    context, page, requested = _open(chromium, f"{server.url}/?w={_token(CRAFTED)}")
    try:
        page.get_by_text("is not an ElastiCache Region code").first.wait_for(timeout=WAIT_MS)
        page.wait_for_timeout(1_000)  # let any image the page might have built start loading
        page.screenshot(path=str(screenshots / "hostile-link.png"), full_page=True)
        hosts = {urlparse(url).hostname or "" for url in requested}
        assert not [h for h in hosts if h.endswith(EVIL)], sorted(hosts)
        # Nor to anyone else: the page works offline and tells no third party (a font CDN, say) it was opened.
        assert hosts <= {"127.0.0.1", ""}, sorted(hosts)
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        srcs = page.eval_on_selector_all("img[src]", "els => els.map(e => e.src)")
        assert not [u for u in [*hrefs, *srcs] if EVIL in u], (hrefs, srcs)
        # The text is still there for the reader, as typed.
        # (an invisible word joiner after "https" is what keeps the browser from linking it)
        body = page.inner_text("body").replace("\u2060", "")
        assert f"https://r.{EVIL}/region.png" in body and f"![k](https://k.{EVIL}/key.png)" in body
    finally:
        context.close()


@pytest.mark.parametrize("case_id", ["deep-json", "400-digits"])
def test_a_broken_link_shows_a_message_and_the_app_works_on(server: StreamlitServer, chromium: Any,
                                                           case_id: str) -> None:
    case = next(c for c in CASES if c.id == case_id)
    context, page, _ = _open(chromium, f"{server.url}/?w={link_token(case)}")
    try:
        field = "link" if case.field == "file" else case.field
        page.get_by_text(field, exact=False).first.wait_for(timeout=WAIT_MS)
        assert page.get_by_text("Traceback").count() == 0
        assert page.get_by_test_id("stException").count() == 0
        page.get_by_test_id("stSidebarNav").get_by_text("Costs").click()
        page.get_by_role("heading", name="Costs", exact=True).wait_for(timeout=WAIT_MS)
        wait_idle(page, 3 * WAIT_MS)  # the Costs page draws charts: allow for a busy machine
        assert page.get_by_test_id("stException").count() == 0
    finally:
        context.close()
