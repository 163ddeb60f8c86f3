"""The Recommendation page: headline, hand-checked costs, findings with evidence and docs, alternatives."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from streamlit.testing.v1 import AppTest

from tests.ui.by_hand import has_published_reservation, leaderboard_monthly, monthly_nodes, usd
from tests.ui.conftest import choose_preset, open_page, page_text, show_fields

MakeApp = Callable[[], AppTest]


def metric(at: AppTest, label: str) -> str:
    return next(str(m.value) for m in at.metric if m.label == label)


def test_headline_metrics_and_costs_match_a_hand_computation(router_app: MakeApp) -> None:
    at = open_page(router_app, "recommendation")
    assert not at.exception
    # The leaderboard: one shard, a primary and a replica of cache.r8g.2xlarge (its sorted sets stay on one
    # shard), so 2 nodes x the on_demand.csv hourly price x 730 h.
    monthly = leaderboard_monthly()  # nodes + snapshot storage
    assert at.subheader[0].value.startswith("Valkey in us-east-1: 1 shard x (1 primary + 1 replica)")
    assert metric(at, "Engine") == "Valkey"
    assert metric(at, "Deployment") == "Provisioned"
    assert metric(at, "Node type") == "cache.r8g.2xlarge"
    assert metric(at, "Monthly cost") == usd(monthly)
    assert metric(at, "3-year cost") == usd(monthly * 36)  # on-demand: no upfront
    assert metric(at, "1-year cost") == usd(monthly * 12)


def test_each_finding_shows_its_decision_reason_evidence_and_docs(router_app: MakeApp) -> None:
    at = open_page(router_app, "recommendation")
    engine = next(e for e in at.expander if "Engine: Valkey" in e.label)
    text = "\n".join(m.value for m in engine.markdown)
    assert "**Decision:** Use Valkey." in text
    assert "**Why:** Valkey is a superset of Redis OSS 7.2" in text
    # Evidence: r8g is a Valkey-only family in on_demand.csv, so there is no Redis OSS price to compare with.
    assert "no price pair bundled for cache.r8g.2xlarge in us-east-1" in text
    assert "](https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/SelectEngine.html)" in text


def test_alternatives_show_the_deciding_columns_first(router_app: MakeApp) -> None:
    at = open_page(router_app, "recommendation")
    table = at.dataframe[0].value
    assert list(table.columns) == ["Node type", "Nodes", "On-demand $/month", "Binding limit"]
    first = table.iloc[0]
    assert first["Node type"] == "cache.r8g.2xlarge" and first["Nodes"] == "2 (1 x 2)"
    assert Decimal(str(first["On-demand $/month"])) == monthly_nodes(
        "us-east-1", "valkey", "cache.r8g.2xlarge", 2).quantize(Decimal("0.01"))
    limit, share = first["Binding limit"].rsplit(" ", 1)
    assert limit in ("memory", "engine", "network") and share.endswith("%")


def test_every_column_is_one_toggle_away_with_estimates_labelled(router_app: MakeApp) -> None:
    at = open_page(router_app, "recommendation")
    at.toggle(key="alternatives.all").set_value(True).run()
    table = at.dataframe[0].value
    assert list(table["Rank"]) == list(range(1, len(table) + 1))
    assert table["On-demand $/month"].is_monotonic_increasing
    assert table.iloc[0]["Node type"] == "cache.r8g.2xlarge"
    assert Decimal(str(table.iloc[0]["On-demand $/month"])) == monthly_nodes(
        "us-east-1", "valkey", "cache.r8g.2xlarge", 2).quantize(Decimal("0.01"))
    for _, row in table.iterrows():  # "(estimate)" exactly where reserved.csv has no published price
        published = has_published_reservation("us-east-1", "valkey", row["Node type"])
        unpublished = row["Best reserved option"].endswith(("(estimate)", "(derived)"))
        assert unpublished is not published


def test_conflicts_are_shown_as_errors(router_app: MakeApp) -> None:
    at = open_page(router_app)
    budget = show_fields(at, "preferences.monthly_budget_usd").number_input(key="wl.preferences.monthly_budget_usd")
    budget.set_value(10.0).run()
    at.switch_page("pages/recommendation.py").run()
    assert not at.exception
    assert any("Conflict — No feasible option fits the budget" in e.value for e in at.error)


def test_warnings_are_shown_prominently(router_app: MakeApp) -> None:
    at = choose_preset(open_page(router_app), "Page fragment cache")
    at.switch_page("pages/recommendation.py").run()
    assert not at.exception
    assert at.subheader[0].value.startswith("Memcached in us-east-1")
    assert any("Where the prices come from" in w.value for w in at.warning)  # each warning in its own box
    # Memcached's own words: nodes, never shards, replicas or cluster mode.
    assert "shard" not in at.subheader[0].value and "replica" not in at.subheader[0].value
    at.toggle(key="alternatives.all").set_value(True).run()
    columns = list(at.dataframe[0].value.columns)
    assert "Nodes" in columns and not {"Shards", "Replicas per shard", "Cluster mode"} & set(columns)


def test_no_feasible_configuration_is_explained_not_crashed(router_app: MakeApp) -> None:
    at = open_page(router_app)
    # 900 TB at 5% monthly growth for a year: beyond any ElastiCache cluster (500 shards of the largest node).
    show_fields(at, "dataset_gb").number_input(key="wl.dataset_gb").set_value(900_000.0).run()
    at.switch_page("pages/recommendation.py").run()
    assert not at.exception
    assert at.subheader[0].value.startswith("Infeasible")
    assert at.error  # the conflicts say why
    assert "Ceiling" in page_text(at) and "500" in page_text(at)


def test_serverless_recommendation(router_app: MakeApp) -> None:
    at = choose_preset(open_page(router_app), "Dev test cache")
    at.switch_page("pages/recommendation.py").run()
    assert not at.exception
    assert metric(at, "Deployment") == "Serverless"
    assert "Valkey Serverless in us-east-1" in page_text(at)


def test_a_memcached_design_offers_nodes_not_shards(router_app: MakeApp) -> None:
    """Issue 13 §1: Memcached in its own words, down to the Alternatives toggle and the deployment decision."""
    at = choose_preset(open_page(router_app), "Page fragment cache")
    at.switch_page("pages/recommendation.py").run()
    assert not at.exception
    assert at.toggle(key="alternatives.all").label == "Show every column (nodes, reserved prices, each utilisation)"
    deployment = next(e for e in at.expander if "Deployment:" in e.label)
    assert "Deploy a provisioned (node-based) cluster." in deployment.label
