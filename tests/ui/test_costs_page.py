"""The Costs page: every chart renders, and the itemized bill matches a hand computation."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from streamlit.testing.v1 import AppTest

from tests.ui.by_hand import HOURS_PER_MONTH, leaderboard_monthly, monthly_nodes, on_demand_hourly, usd
from tests.ui.conftest import choose_preset, open_page, show_fields

MakeApp = Callable[[], AppTest]
SECTIONS = [
    "Itemized monthly bill", "Serverless vs provisioned as traffic varies",
    "On-demand vs reserved, cumulative over 36 months", "Cost per node-type candidate", "Valkey vs Redis OSS",
    "Cost over the growth horizon",
]


def test_every_section_renders_with_its_chart(router_app: MakeApp) -> None:
    at = open_page(router_app, "costs")
    assert not at.exception
    assert [h.value for h in at.header] == SECTIONS
    assert len(at.get("plotly_chart")) == 5


def test_itemized_line_matches_nodes_times_price_times_730(router_app: MakeApp) -> None:
    at = open_page(router_app, "costs")
    lines = at.dataframe[0].value
    node_line = lines.iloc[0]
    price = on_demand_hourly("us-east-1", "valkey", "cache.r8g.2xlarge")
    assert Decimal(str(node_line["Quantity"])) == 2 * HOURS_PER_MONTH
    assert Decimal(str(node_line["Unit price $"])) == price
    assert usd(Decimal(str(node_line["Total $"]))) == usd(monthly_nodes("us-east-1", "valkey", "cache.r8g.2xlarge", 2))
    assert at.metric[0].value == usd(leaderboard_monthly())  # nodes + snapshot storage


def test_reserved_options_are_tabled_with_break_even_and_estimates_marked(router_app: MakeApp) -> None:
    at = open_page(router_app, "costs")
    reserved = at.dataframe[1].value
    assert len(reserved) == 6  # 1 and 3 years x three payment options
    assert set(reserved["Payment"]) == {"No Upfront", "Partial Upfront", "All Upfront"}
    assert reserved["Option"].str.contains(r"\(estimate\)").all()
    assert (reserved["Break-even month"] >= 1).all()


def test_serverless_recommendation_shows_reserved_figures_for_the_provisioned_alternative(router_app: MakeApp) -> None:
    at = choose_preset(open_page(router_app), "Dev test cache")
    at.switch_page("pages/costs.py").run()
    assert not at.exception
    assert any("cheapest provisioned alternative" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 5


def test_invalid_inputs_keep_the_last_costs_on_screen(router_app: MakeApp) -> None:
    at = open_page(router_app)
    show_fields(at, "hot_set_percent").number_input(key="wl.hot_set_percent").set_value(0.0).run()
    at.switch_page("pages/costs.py").run()
    assert not at.exception
    assert any("`hot_set_percent`" in e.value for e in at.error)
    assert len(at.get("plotly_chart")) == 5


def test_the_traffic_caption_describes_the_chart_for_a_serverless_preset(router_app: MakeApp) -> None:
    at = choose_preset(open_page(router_app), "Pub/sub chat")
    at.switch_page("pages/costs.py").run()
    assert not at.exception
    captions = [c.value for c in at.caption]
    # The chat preset's curves cross inside the sweep (tests/ui/test_charts.py draws the same points), so
    # the caption says so; nothing on the page claims the opposite for a Serverless recommendation.
    assert any(c.startswith("The curves cross at about") for c in captions)
    assert not any("at any traffic" in c for c in captions)
    # Provisioned is cheaper at today's traffic, so the page says why Serverless is still the answer; the
    # provisioned figure is 2 x cache.r6g.xlarge x $0.3288/h x 730 h = $480.05 (pricing_data/on_demand.csv).
    why = [c for c in captions if c.startswith("Why Serverless: Spiky traffic")]
    assert len(why) == 1 and "$480.05 provisioned" in why[0]


def test_the_costs_page_names_the_engine(router_app: MakeApp) -> None:
    """Issue 13 §1: cost lines say "Memcached", not the raw engine id "memcached"."""
    at = choose_preset(open_page(router_app), "Page fragment cache")
    at.switch_page("pages/costs.py").run()
    assert not at.exception
    items = list(at.dataframe[0].value["Item"])
    assert any(item.endswith("on-demand (Memcached)") for item in items), items
    assert not any(re.search(r"\((valkey|redis|memcached)\)", item) for item in items)


def test_bill_quantities_group_their_thousands(router_app: MakeApp) -> None:
    """Issue 13 §1: 2 nodes x 730 h = 1,460 node-hours reads "1,460", not "1460": the Quantity column is shown in
    the browser's locale format (the value itself stays a number, for sorting)."""
    import json

    at = open_page(router_app, "costs")
    columns = json.loads(at.dataframe[0].proto.columns)
    assert columns["Quantity"]["type_config"]["format"] == "localized"
    assert at.dataframe[0].value["Quantity"].iloc[0] == 2 * 730
