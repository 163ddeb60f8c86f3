"""The bundled tables load, and each sanity guard refuses a table that breaks it."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from advisor.errors import PricingDataError, RegionNotPriced
from advisor.pricing import DEFAULT_PRICING_DIR, PriceBook, load_price_book
from advisor.pricing.schema import Basis


@pytest.fixture
def tables(tmp_path: Path) -> Path:
    target = tmp_path / "pricing_data"
    shutil.copytree(DEFAULT_PRICING_DIR, target)
    return target


def edit(path: Path, change: Callable[[str], str]) -> None:
    path.write_text(change(path.read_text()))


def test_bundled_tables_load(book: PriceBook) -> None:
    assert book.manifest.currency == "USD"
    assert "us-east-1" in book.regions
    assert len(book.nodes) > 100
    price = book.node_price("us-east-1", "valkey", "cache.r7g.large")
    assert price is not None and str(price.usd_per_hour) == "0.1752"
    assert price.source and price.source_date


def test_every_row_has_source_and_date(book: PriceBook) -> None:
    for price in book.on_demand.values():
        assert price.source and price.source_date and price.basis in Basis


def test_unpriced_region_says_so(book: PriceBook) -> None:
    # ap-southeast-6 is an ElastiCache Region the all-Region sources do not list; the manifest says why.
    with pytest.raises(RegionNotPriced, match=r"ap-southeast-6 \(Asia Pacific \(New Zealand\)"):
        book.require_region("ap-southeast-6")


def test_every_commercial_region_in_the_sources_is_priced_and_dated(book: PriceBook) -> None:
    assert len(book.regions) == 33
    assert not any(region.startswith(("us-gov-", "cn-")) for region in book.regions)
    for region in book.regions:
        assert book.region_as_of(region) >= dt.date(2025, 6, 5)  # on-demand and Serverless sources
    assert book.region_as_of("us-east-1") == dt.date(2026, 10, 2)  # r8g/m8g/c8gn rows read then
    assert "us-gov-west-1" in book.manifest.excluded_regions


def test_reserved_estimate_is_labelled_and_computed_from_the_discount(book: PriceBook) -> None:
    # ap-southeast-7 has no reserved prices in the sources: the typical discount applies, labelled so.
    option = book.reserved_option("ap-southeast-7", "valkey", "cache.r7g.large", 1, "No Upfront")
    assert option is not None and option.is_estimate and "estimate" in option.label
    # on-demand 0.1792 x (1 - 0.32) = 0.121856
    assert float(option.effective_usd_per_hour) == pytest.approx(0.121856)


def test_valkey_reservation_is_derived_from_redis_and_labelled(book: PriceBook) -> None:
    # reserved_all_regions.csv: us-east-1 redis cache.r7g.large 1yr Partial Upfront 623.493 upfront, 0.071/h.
    option = book.reserved_option("us-east-1", "valkey", "cache.r7g.large", 1, "Partial Upfront")
    assert option is not None and option.basis == Basis.DERIVED and "(derived)" in option.label
    assert not option.is_estimate or option.basis != Basis.PUBLISHED
    assert option.upfront_usd == Decimal("623.493") * Decimal("0.8")  # 498.7944
    assert option.usd_per_hour == Decimal("0.071") * Decimal("0.8")  # 0.0568
    assert "DERIVED" in option.source and "0.8 x" in option.source


def test_redis_reservation_from_the_memcached_sku_is_derived(book: PriceBook) -> None:
    # The us-east-1 cache.t4g.micro reservations are published under Memcached SKUs only.
    published = book.reserved["us-east-1", "memcached", "cache.t4g.micro", 3, "All Upfront"]
    redis = book.reserved_option("us-east-1", "redis", "cache.t4g.micro", 3, "All Upfront")
    assert redis is not None and redis.basis == Basis.DERIVED
    assert redis.upfront_usd == published.upfront_usd


def test_every_reservation_in_every_region_is_below_on_demand(book: PriceBook) -> None:
    checked = 0
    for (region, engine, node_type), price in book.on_demand.items():
        for option in book.reserved_options(region, engine, node_type):
            assert option.effective_usd_per_hour < price.usd_per_hour, (region, engine, node_type, option.label)
            checked += 1
    assert checked > 4802 * 3  # every node type has at least the three 1-year options


def test_published_reserved_is_used_as_is(book: PriceBook) -> None:
    option = book.reserved_option("us-east-1", "redis", "cache.c7gn.large", 1, "Partial Upfront")
    assert option is not None and not option.is_estimate
    assert str(option.upfront_usd) == "725.985" and str(option.usd_per_hour) == "0.083"


def test_negative_price_is_refused(tables: Path) -> None:
    edit(tables / "on_demand.csv", lambda t: t.replace("us-east-1,cache.r7g.large,redis,0.219", "us-east-1,"
                                                        "cache.r7g.large,redis,-0.219"))
    with pytest.raises(PricingDataError, match=r"on_demand\.csv line"):
        load_price_book(tables)


def test_missing_date_is_refused(tables: Path) -> None:
    edit(tables / "on_demand.csv", lambda t: t.replace("us-east-1,cache.r7g.large,redis,0.219,published,2025-06-05",
                                                        "us-east-1,cache.r7g.large,redis,0.219,published,"))
    with pytest.raises(PricingDataError, match="source_date"):
        load_price_book(tables)


def test_valkey_above_redis_is_refused(tables: Path) -> None:
    edit(tables / "on_demand.csv", lambda t: t.replace("us-east-1,cache.r7g.large,valkey,0.1752",
                                                        "us-east-1,cache.r7g.large,valkey,0.30"))
    with pytest.raises(PricingDataError, match="Valkey costs more than Redis OSS"):
        load_price_book(tables)


def test_reserved_not_below_on_demand_is_refused(tables: Path) -> None:
    edit(tables / "reserved.csv", lambda t: t.replace("1,No Upfront,0,0.173,0.173", "1,No Upfront,0,0.3,0.3"))
    with pytest.raises(PricingDataError, match="not below on-demand"):
        load_price_book(tables)


def test_add_on_price_is_never_a_node_price(tables: Path) -> None:
    edit(tables / "on_demand.csv", lambda t: t.replace(
        "us-east-1,cache.r7g.large,redis,0.219,published,2025-06-05,high,",
        "us-east-1,cache.r7g.large,redis,0.219,published,2025-06-05,high,USE1-ExtendedSupportYr1_Yr2-NodeUsage "))
    with pytest.raises(PricingDataError, match="add-on"):
        load_price_book(tables)


def test_node_type_without_any_price_is_refused(tables: Path) -> None:
    with (tables / "node_types.csv").open("a") as fh:
        fh.write("cache.r99.large,r99,current,2,13.07,0.75,10.0,,,made up for the test\n")
    with pytest.raises(PricingDataError, match=r"cache\.r99\.large"):
        load_price_book(tables)


def test_missing_manifest_is_refused(tables: Path) -> None:
    (tables / "manifest.json").unlink()
    with pytest.raises(PricingDataError, match="as-of"):
        load_price_book(tables)


def test_missing_table_is_refused(tables: Path) -> None:
    (tables / "serverless.csv").unlink()
    with pytest.raises(PricingDataError, match=r"serverless\.csv"):
        load_price_book(tables)
