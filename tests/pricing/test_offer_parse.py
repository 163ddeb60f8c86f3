"""Parsing single products: what is kept, what is skipped and why, what is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from advisor.pricing.offer_parse import MalformedOffer, OfferItem, parse_items

PUBLISHED = dt.date(2025, 6, 24)


def _node(usagetype: str = "NodeUsage:cache.c7gn.large", engine: str | None = "Valkey", usd: str = "0.204",
          sku: str = "4D2E7K7G4GPM84WN", reserved: dict[str, Any] | None = None, **attrs: str) -> OfferItem:
    attributes = {"instanceType": "cache.c7gn.large", "usagetype": usagetype, "regionCode": "us-east-1",
                  "locationType": "AWS Region", "vcpu": "2", "memory": "3.09 GiB",
                  "networkPerformance": "Up to 30 Gigabit", **attrs}
    if engine:
        attributes["cacheEngine"] = engine
    terms: dict[str, Any] = {"OnDemand": {f"{sku}.JRTCKXETXF": {"offerTermCode": "JRTCKXETXF", "priceDimensions": {
        "d": {"unit": "Hrs", "pricePerUnit": {"USD": usd}}}}}}
    if reserved:
        terms["Reserved"] = reserved
    return OfferItem(product={"sku": sku, "productFamily": "Cache Instance", "attributes": attributes},
                     terms=terms, publication_date=PUBLISHED)


def test_node_price_and_spec() -> None:
    parsed = parse_items([_node()])
    price = parsed.on_demand[("us-east-1", "valkey", "cache.c7gn.large")]
    assert price.usd_per_hour == Decimal("0.204")
    spec = parsed.node_specs["cache.c7gn.large"]
    assert (spec.vcpu, spec.memory_gib, spec.network_gbps_burst, spec.network_gbps_baseline) == (
        2, Decimal("3.09"), Decimal("30"), None)


def test_bare_gigabit_is_baseline_bandwidth() -> None:
    spec = parse_items([_node(networkPerformance="150 Gigabit")]).node_specs["cache.c7gn.large"]
    assert (spec.network_gbps_baseline, spec.network_gbps_burst) == (Decimal("150"), None)


@pytest.mark.parametrize(("item", "reason"), [
    (_node(engine=None), "no Valkey/Redis/Memcached cacheEngine"),
    (_node(usagetype="USE1-ExtendedSupportYr3-NodeUsage:cache.c7gn.large"), "add-on usage type"),
    (_node(usagetype="SyncDurability-NodeUsage:cache.c7gn.large"), "add-on usage type"),
    (_node(locationType="AWS Outposts"), "Outposts row"),
    (_node(usd="0.0000000000"), "zero-priced placeholder"),
])
def test_skips_say_why(item: OfferItem, reason: str) -> None:
    parsed = parse_items([item])
    assert not parsed.on_demand
    assert any(reason in r for r in parsed.skipped)


def test_legacy_utilization_reservations_are_skipped_not_misread() -> None:
    reserved = {"x": {"termAttributes": {"LeaseContractLength": "1yr", "PurchaseOption": "Heavy Utilization"},
                      "priceDimensions": {"d": {"unit": "Quantity", "pricePerUnit": {"USD": "100"}}}}}
    parsed = parse_items([_node(reserved=reserved)])
    assert not parsed.reserved
    assert any("legacy purchase option" in r for r in parsed.skipped)


def test_two_skus_disagreeing_on_one_price_is_an_anomaly() -> None:
    with pytest.raises(MalformedOffer, match="give different prices"):
        parse_items([_node(), _node(sku="OTHERSKU", usd="0.3")])


def test_instance_type_must_agree_with_usage_type() -> None:
    with pytest.raises(MalformedOffer, match="disagrees with usage type"):
        parse_items([_node(instanceType="cache.r7g.large")])
