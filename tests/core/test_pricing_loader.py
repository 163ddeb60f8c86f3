"""The bundled tables load, and each sanity guard refuses a table that breaks it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
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
    with pytest.raises(RegionNotPriced, match="af-south-1"):
        book.require_region("af-south-1")


def test_reserved_estimate_is_labelled_and_computed_from_the_discount(book: PriceBook) -> None:
    option = book.reserved_option("us-east-1", "valkey", "cache.r7g.large", 1, "No Upfront")
    assert option is not None and option.is_estimate and "estimate" in option.label
    # 0.1752 x (1 - 0.32) = 0.119136
    assert float(option.effective_usd_per_hour) == pytest.approx(0.119136)


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
    edit(tables / "on_demand.csv", lambda t: t.replace("0.219,published,2026-07-18", "0.219,published,"))
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
        "us-east-1,cache.r7g.large,redis,0.219,published,2026-07-18,high,",
        "us-east-1,cache.r7g.large,redis,0.219,published,2026-07-18,high,USE1-ExtendedSupportYr1_Yr2-NodeUsage "))
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
