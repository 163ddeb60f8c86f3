"""Extended Support surcharges, by hand from other_rates.csv / on_demand.csv and the facts file (section 1.3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from advisor.costs.extended_support import extended_support_cost
from advisor.pricing import PriceBook
from advisor.pricing.schema import Basis


def charge(book: PriceBook, version: str, on: str, region: str = "eu-west-1", node_type: str = "cache.r7g.large",
           nodes: int = 3, engine: str = "redis"):
    return extended_support_cost(book, engine=engine, engine_version=version, region=region, node_type=node_type,
                                 node_count=nodes, on=dt.date.fromisoformat(on))


def test_redis_5_in_year_one_pays_the_published_rate(book: PriceBook) -> None:
    es = charge(book, "5.0.6", "2026-06-01")
    assert es.status == "charged" and es.current is not None and es.current.basis == Basis.PUBLISHED
    # other_rates.csv: eu-west-1 cache.r7g.large ExtendedSupportYr1_Yr2 $0.194/node-hour; 3 nodes x 730 h
    assert es.monthly == Decimal("0.194") * 3 * 730 == Decimal("424.860")
    assert [s.starts for s in es.steps] == [dt.date(2026, 2, 1), dt.date(2028, 2, 1)]
    assert es.steps[-1].ends == dt.date(2029, 1, 31)
    # Valkey saves the surcharge plus 20% of the node: (0.243 - 0.1944) x 3 x 730 = 106.434
    assert es.valkey_saving_monthly == Decimal("424.860") + Decimal("106.434")
    line = es.line()
    assert line is not None and line.total == es.monthly and "2026-02-01" in line.note


def test_year_three_steps_up(book: PriceBook) -> None:
    es = charge(book, "4.0.10", "2028-03-01")
    assert es.current is not None and es.current.key == "yr3"
    assert es.monthly == Decimal("0.389") * 3 * 730  # 851.910


def test_version_before_its_extended_support_is_charged_nothing_and_says_when(book: PriceBook) -> None:
    es = charge(book, "6.2", "2026-12-01")
    assert es.status == "not_started" and es.monthly == 0 and es.line() is None
    assert es.steps[0].starts == dt.date(2027, 2, 1) and "2027-02-01" in es.note
    assert es.next_step is es.steps[0]


def test_without_a_published_sku_the_documented_share_is_an_estimate(book: PriceBook) -> None:
    # us-east-2 Redis OSS cache.r7g.large on-demand $0.219/h; years 1-2 = 80% = $0.1752/h; 2 nodes x 730 h
    es = charge(book, "6.0", "2027-03-01", region="us-east-2", nodes=2)
    assert es.status == "charged" and es.is_estimate
    assert es.monthly == Decimal("0.219") * Decimal("0.8") * 2 * 730 == Decimal("255.7920")
    line = es.line()
    assert line is not None and line.is_estimate and "ESTIMATE" in line.note
    # year 3: 160% of 0.219 = 0.3504
    assert es.steps[1].usd_per_node_hour == Decimal("0.3504")


def test_published_year_three_sku_for_a_small_node(book: PriceBook) -> None:
    es = charge(book, "5.0.0", "2028-06-01", region="eu-west-2", node_type="cache.t4g.micro", nodes=1)
    # other_rates.csv: eu-west-2 cache.t4g.micro ExtendedSupportYr3 $0.029/node-hour
    assert es.current is not None and es.current.basis == Basis.PUBLISHED
    assert es.monthly == Decimal("0.029") * 730


def test_versions_in_standard_support_and_other_engines_pay_nothing(book: PriceBook) -> None:
    assert charge(book, "7.1", "2028-01-01").status == "standard_support"
    valkey = charge(book, "8.0", "2028-01-01", engine="valkey")
    assert valkey.status == "not_applicable" and valkey.monthly == 0 and valkey.valkey_saving_monthly is None
    after = charge(book, "5.0.6", "2029-02-01")
    assert after.status == "ended" and after.monthly == 0
