"""The sidebar shows the price date of the workload's own Region (its newest source), not the tables' newest."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _sidebar_for(region: str) -> None:
    import datetime as dt

    from advisor.pricing import load_price_book
    from advisor.workload import parse_workload
    from ui.layout import pricing_sidebar
    from ui.state import View

    pricing_sidebar(load_price_book(), View(parse_workload({"dataset_gb": 5, "region": region}), None),
                    today=dt.date(2026, 12, 2))


def test_sidebar_shows_the_regions_own_price_date() -> None:
    # manifest.json region_as_of: eu-central-1 2025-06-05 (all-Region sources); us-east-1 2026-10-02 (r8g rows).
    frankfurt = AppTest.from_function(_sidebar_for, args=("eu-central-1",)).run(timeout=60)
    captions = "\n".join(c.value for c in frankfurt.sidebar.caption)
    assert "Pricing as of **2025-06-05**" in captions and "Region **eu-central-1**" in captions
    # 2025-06-05 to 2026-12-02 is 545 days: past the 90-day freshness mark, so the warning shows.
    assert any("545 days old" in w.value for w in frankfurt.sidebar.warning)
    virginia = AppTest.from_function(_sidebar_for, args=("us-east-1",)).run(timeout=60)
    assert "Pricing as of **2026-10-02**" in "\n".join(c.value for c in virginia.sidebar.caption)
