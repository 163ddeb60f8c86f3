"""The router: every page registered and reachable, pricing provenance on every page, no empty pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.by_hand import pricing_as_of
from tests.ui.conftest import open_page
from ui.navigation import PAGES

MakeApp = Callable[[], AppTest]
ROOT = Path(__file__).resolve().parents[2]
MY_PAGES = ["workload", "recommendation", "costs", "compare", "commands"]


def router_pages() -> list[str]:
    """Page paths the router's navigation lists."""
    return [spec.path for spec in PAGES]


def test_every_listed_page_that_exists_is_a_real_file_and_mine_are_all_there() -> None:
    listed = router_pages()
    assert [f"pages/{p}.py" for p in MY_PAGES] == listed[:5]
    for path in listed:
        if (ROOT / path).exists():
            assert (ROOT / path).read_text().strip(), f"{path} is an empty placeholder"


@pytest.mark.parametrize("page", MY_PAGES)
def test_each_page_shows_pricing_as_of_and_region_in_the_sidebar(router_app: MakeApp, page: str) -> None:
    at = open_page(router_app, page)
    assert not at.exception
    sidebar = "\n".join(c.value for c in at.sidebar.caption)
    assert f"Pricing as of **{pricing_as_of()}**" in sidebar
    assert "Region **us-east-1**" in sidebar


def _sidebar_on(today: str) -> None:
    import datetime as dt

    from advisor.pricing import load_price_book
    from ui.layout import pricing_sidebar
    from ui.state import View

    pricing_sidebar(load_price_book(), View(None, None), today=dt.date.fromisoformat(today))


def test_staleness_warning_appears_when_prices_are_old() -> None:
    as_of = dt.date.fromisoformat(pricing_as_of())
    stale = AppTest.from_function(_sidebar_on, args=((as_of + dt.timedelta(days=200)).isoformat(),)).run()
    assert any("200 days old" in w.value for w in stale.sidebar.warning)
    fresh = AppTest.from_function(_sidebar_on, args=((as_of + dt.timedelta(days=10)).isoformat(),)).run()
    assert not fresh.sidebar.warning
