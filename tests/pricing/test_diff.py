"""The reviewable diff between two price books."""

from __future__ import annotations

from decimal import Decimal

from advisor.pricing import PriceBook
from advisor.pricing.diff import diff_books
from advisor.pricing.schema import NodeType, OnDemandPrice


def _rebuild(book: PriceBook, nodes: list[NodeType], on_demand: list[OnDemandPrice]) -> PriceBook:
    return PriceBook(
        manifest=book.manifest, nodes=nodes, on_demand=on_demand, reserved=list(book.reserved.values()),
        discounts=list(book.discounts.values()), serverless=list(book.serverless.values()), other=book.other,
    )


def test_identical_books_have_no_diff(book: PriceBook) -> None:
    diff = diff_books(book, book)
    assert diff.is_empty
    assert diff.render() == "No differences: the refreshed tables equal the current ones."


def test_added_and_removed_node_types_new_regions_and_price_moves(book: PriceBook) -> None:
    nodes = [n for n in book.nodes.values() if n.node_type != "cache.t2.micro"]
    nodes.append(book.nodes["cache.r7g.large"].model_copy(update={"node_type": "cache.r9g.large", "family": "r9g"}))
    base = book.on_demand[("us-east-1", "redis", "cache.r7g.large")]
    on_demand = [p for p in book.on_demand.values() if p.node_type != "cache.t2.micro"
                 and (p.region, p.engine, p.node_type) != ("us-east-1", "redis", "cache.r7g.large")]
    on_demand += [
        base.model_copy(update={"usd_per_hour": Decimal("0.23")}),  # +5.0%: reported
        base.model_copy(update={"region": "ap-southeast-6"}),  # a new Region
        base.model_copy(update={"node_type": "cache.r9g.large"}),
    ]
    valkey = book.on_demand[("us-east-1", "valkey", "cache.r7g.large")]
    on_demand.remove(valkey)
    on_demand.append(valkey.model_copy(update={"usd_per_hour": Decimal("0.1753"), "source": "refresh"}))  # <1%

    diff = diff_books(book, _rebuild(book, nodes, on_demand))
    assert diff.added_node_types == ["cache.r9g.large"]
    assert diff.removed_node_types == ["cache.t2.micro"]
    assert diff.new_regions == ["ap-southeast-6"]
    assert [str(c) for c in diff.price_changes] == [
        "on-demand us-east-1 redis cache.r7g.large USD/h: 0.219 -> 0.23 (+5.0%)"]
    assert diff.resourced_unchanged == 1
    text = diff.render()
    assert "Added node types (1):\n  + cache.r9g.large" in text
    assert "Removed node types (1):\n  - cache.t2.micro" in text
    assert "New regions (1):\n  + ap-southeast-6" in text
