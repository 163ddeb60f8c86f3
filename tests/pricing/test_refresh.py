"""Refresh from recorded get_products responses: exact figures in, bad data refused, old tables kept."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import EndpointConnectionError
from botocore.stub import Stubber

from advisor.pricing import load_price_book
from advisor.pricing.cli import run_pricing
from advisor.pricing.loader import DEFAULT_PRICING_DIR
from tests.pricing.conftest import FIXTURES, Cassette, load_cassette, parse_cli, snapshot

TODAY = dt.date(2026, 11, 30)
MAIN = "get_products_eu-west-1_us-east-1.json"
OFFER = FIXTURES / "offer_AmazonElastiCache_us-east-1.json"
# Index of the second Cache Instance page for us-east-1 in the MAIN cassette (after eu-west-1's four calls).
USE1_PAGE2 = 5


def refresh(
    pricing_dir: Path, client: Any, *extra: str, regions: str = "us-east-1,eu-west-1"
) -> int:
    argv = ["pricing", "refresh", "--pricing-dir", str(pricing_dir), *extra]
    if regions:
        argv += ["--regions", regions]
    return run_pricing(parse_cli(argv), client=client, today=TODAY)


def entries(call: dict[str, Any]) -> list[dict[str, Any]]:
    return [json.loads(raw) for raw in call["response"]["PriceList"]]


def encode(entry: dict[str, Any]) -> str:
    return json.dumps(entry, separators=(",", ":"))


# --- accuracy ---------------------------------------------------------------------------------------------


def test_refresh_writes_the_recorded_figures(
    pricing_copy: Path, pricing_client: Any, stub: Callable[[Cassette], Stubber], capsys: pytest.CaptureFixture[str]
) -> None:
    stubber = stub(load_cassette(MAIN))
    assert refresh(pricing_copy, pricing_client) == 0
    stubber.assert_no_pending_responses()
    book = load_price_book(pricing_copy)

    # Figures read by hand from tests/fixtures/pricing/get_products_eu-west-1_us-east-1.json.
    redis = book.node_price("us-east-1", "redis", "cache.r7g.large")
    assert redis is not None and redis.usd_per_hour == Decimal("0.219")
    assert redis.basis == "published" and redis.confidence == "high"
    assert redis.source_date == dt.date(2026, 10, 15)
    assert redis.source.startswith("AWS Price List API get_products AmazonElastiCache sku=E737C58WWB7555WD")
    assert "publicationDate=2026-10-15" in redis.source
    assert book.on_demand[("us-east-1", "valkey", "cache.r7g.large")].usd_per_hour == Decimal("0.1752")
    assert book.on_demand[("us-east-1", "memcached", "cache.c7gn.large")].usd_per_hour == Decimal("0.255")
    # eu-west-1 carries Extended Support (0.194, 0.389) and SyncDurability (0.035) SKUs for the same node.
    assert book.on_demand[("eu-west-1", "redis", "cache.r7g.large")].usd_per_hour == Decimal("0.243")
    assert book.on_demand[("eu-west-1", "valkey", "cache.r7g.large")].usd_per_hour == Decimal("0.1944")

    partial = book.reserved[("us-east-1", "valkey", "cache.c7gn.large", 1, "Partial Upfront")]
    assert (partial.upfront_usd, partial.usd_per_hour, partial.effective_usd_per_hour) == (
        Decimal("580.788"), Decimal("0.0664"), Decimal("0.1327"))
    all_up = book.reserved[("us-east-1", "redis", "cache.c7gn.large", 3, "All Upfront")]
    assert (all_up.upfront_usd, all_up.usd_per_hour, all_up.effective_usd_per_hour) == (
        Decimal("3015.63"), Decimal("0"), Decimal("0.11475"))
    no_up = book.reserved[("us-east-1", "redis", "cache.c7gn.large", 1, "No Upfront")]
    assert (no_up.upfront_usd, no_up.usd_per_hour) == (Decimal("0"), Decimal("0.173"))
    assert book.reserved[("us-east-1", "valkey", "cache.r7g.large", 3, "All Upfront")].upfront_usd == Decimal(
        "2071.9152")
    for engine in ("redis", "valkey"):
        for term in (1, 3):
            for option in ("No Upfront", "Partial Upfront", "All Upfront"):
                row = book.reserved[("us-east-1", engine, "cache.c7gn.large", term, option)]
                assert row.basis == "published" and "AWS Price List API" in row.source

    valkey = book.serverless_price("us-east-1", "valkey")
    assert valkey is not None
    assert (valkey.storage_usd_per_gb_hour, valkey.ecpu_usd_per_million) == (Decimal("0.084"), Decimal("0.0023"))
    assert valkey.min_storage_gb == Decimal("0.1")  # not in the offer: kept from the existing row
    for engine in ("redis", "memcached"):
        s = book.serverless_price("us-east-1", engine)
        assert s is not None and (s.storage_usd_per_gb_hour, s.ecpu_usd_per_million) == (
            Decimal("0.125"), Decimal("0.0034"))
    backup = book.other_rate("backup_storage", "us-east-1", "redis")
    assert backup is not None and backup.usd == Decimal("0.085") and "BackupUsage:Redis" in backup.source
    transfer = book.other_rate("global_datastore_cross_region_replication_transfer", "us-east-1", "valkey")
    assert transfer is not None and transfer.usd == Decimal("0.02") and "AWS Price List API" in transfer.source
    assert book.manifest.as_of == dt.date(2026, 10, 15)

    out = capsys.readouterr().out
    assert "Outposts row" in out and "add-on usage type" in out and "not in USD" in out and "zero-priced" in out


def test_tables_equal_every_recorded_price(
    pricing_copy: Path, pricing_client: Any, stub: Callable[[Cassette], Stubber]
) -> None:
    """Walk the recording itself: every plain node, reserved and serverless price lands in the tables unchanged."""
    cassette = load_cassette(MAIN)
    stub(cassette)
    assert refresh(pricing_copy, pricing_client) == 0
    book = load_price_book(pricing_copy)
    engines = {"Redis": "redis", "Valkey": "valkey", "Memcached": "memcached"}
    checked = 0
    for call in cassette:
        for entry in entries(call):
            attrs = entry["product"]["attributes"]
            (term,) = entry["terms"]["OnDemand"].values()
            (dim,) = term["priceDimensions"].values()
            usd = dim["pricePerUnit"].get("USD")
            # Only "NodeUsage:" with at most a Region prefix is a node price; add-ons put more before it.
            plain_node = re.fullmatch(r"(?:[A-Z0-9]+-)?NodeUsage:cache\.[a-z0-9.]+", attrs.get("usagetype", ""))
            if entry["product"]["productFamily"] == "Cache Instance":
                if not plain_node or attrs["locationType"] != "AWS Region" or not usd or Decimal(usd) == 0:
                    continue
                key = (attrs["regionCode"], engines[attrs["cacheEngine"]], attrs["instanceType"])
                assert book.on_demand[key].usd_per_hour == Decimal(usd)
                for reserved in entry["terms"].get("Reserved", {}).values():
                    years = int(reserved["termAttributes"]["LeaseContractLength"][0])
                    row = book.reserved[(*key, years, reserved["termAttributes"]["PurchaseOption"])]
                    for rdim in reserved["priceDimensions"].values():
                        expected = Decimal(rdim["pricePerUnit"]["USD"])
                        actual = row.upfront_usd if rdim["unit"] == "Quantity" else row.usd_per_hour
                        assert actual == expected
                    checked += 1
                checked += 1
            elif "CachedData" in attrs["usagetype"]:
                s = book.serverless[(attrs["regionCode"], engines[attrs["cacheEngine"]])]
                assert s.storage_usd_per_gb_hour == Decimal(usd)
                checked += 1
            elif "ElastiCacheProcessingUnits" in attrs["usagetype"]:
                s = book.serverless[(attrs["regionCode"], engines[attrs["cacheEngine"]])]
                assert s.ecpu_usd_per_million == Decimal(usd) * 1_000_000
                checked += 1
    assert checked == 27  # 8 node prices (6 in us-east-1, 2 in eu-west-1) + 13 reserved terms + 6 serverless


def test_skipped_skus_never_reach_the_tables(
    pricing_copy: Path, pricing_client: Any, stub: Callable[[Cassette], Stubber]
) -> None:
    stub(load_cassette(MAIN))
    assert refresh(pricing_copy, pricing_client) == 0
    text = (pricing_copy / "on_demand.csv").read_text()
    assert "9.99" not in text  # Outposts and CNY sentinels
    book = load_price_book(pricing_copy)
    assert all(p.usd_per_hour not in (Decimal("0.194"), Decimal("0.389"), Decimal("0.035"))
               for (region, _, _), p in book.on_demand.items() if region == "eu-west-1")


def test_rows_not_refreshed_stay_byte_identical(
    pricing_copy: Path, pricing_client: Any, stub: Callable[[Cassette], Stubber]
) -> None:
    before = snapshot(pricing_copy)
    stub(load_cassette(MAIN))
    assert refresh(pricing_copy, pricing_client) == 0
    after = snapshot(pricing_copy)
    assert after["node_types.csv"] == before["node_types.csv"]  # recorded specs equal the bundled ones
    assert after["reserved_discounts.csv"] == before["reserved_discounts.csv"]
    old_lines = before["on_demand.csv"].decode().splitlines()
    new_lines = after["on_demand.csv"].decode().splitlines()
    untouched = [line for line in old_lines if not line.startswith(("us-east-1,cache.r7g.large,",
                                                                    "us-east-1,cache.c7gn.large,",
                                                                    "eu-west-1,cache.r7g.large,"))]
    assert [line for line in new_lines if line in untouched] == untouched
    assert len(new_lines) == len(old_lines)
    extended = [line for line in before["other_rates.csv"].decode().splitlines() if "extended_support" in line]
    assert all(line in after["other_rates.csv"].decode() for line in extended)


# --- dry run and diff -------------------------------------------------------------------------------------


def test_dry_run_prints_the_diff_and_changes_nothing(
    pricing_copy: Path, pricing_client: Any, stub: Callable[[Cassette], Stubber], capsys: pytest.CaptureFixture[str]
) -> None:
    on_demand = pricing_copy / "on_demand.csv"
    on_demand.write_text(on_demand.read_text().replace("us-east-1,cache.r7g.large,redis,0.219,",
                                                       "us-east-1,cache.r7g.large,redis,0.2,"))
    before = snapshot(pricing_copy)
    stubber = stub(load_cassette(MAIN))
    assert refresh(pricing_copy, pricing_client, "--dry-run") == 0
    stubber.assert_no_pending_responses()
    assert snapshot(pricing_copy) == before
    out = capsys.readouterr().out
    assert "Price changes over 1% (1):" in out
    assert "on-demand us-east-1 redis cache.r7g.large USD/h: 0.2 -> 0.219 (+9.5%)" in out
    assert "Dry run: would write" in out and "no file was changed" in out


def test_new_region_becomes_selectable(
    pricing_copy: Path, pricing_client: Any, stub: Callable[[Cassette], Stubber], capsys: pytest.CaptureFixture[str]
) -> None:
    for table in ("on_demand.csv", "reserved.csv"):
        path = pricing_copy / table
        path.write_text("".join(line for line in path.read_text().splitlines(keepends=True)
                                if not line.startswith("ap-northeast-1,")))
    assert "ap-northeast-1" not in load_price_book(pricing_copy).regions
    stub(load_cassette("get_products_ap-northeast-1.json"))
    assert refresh(pricing_copy, pricing_client, regions="ap-northeast-1") == 0
    book = load_price_book(pricing_copy)
    assert "ap-northeast-1" in book.regions
    book.require_region("ap-northeast-1")
    priced = {node.node_type: price.usd_per_hour for node, price in book.priced_nodes("ap-northeast-1", "valkey")}
    assert priced == {"cache.r7g.large": Decimal("0.2104")}
    out = capsys.readouterr().out
    assert "New regions (1):\n  + ap-northeast-1" in out


# --- offer file -------------------------------------------------------------------------------------------


def test_offer_file_refresh_needs_no_client(
    pricing_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_aws(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the offer-file path must not create an AWS client")

    monkeypatch.setattr("boto3.client", no_aws)
    assert refresh(pricing_copy, None, "--offer-file", str(OFFER), regions="us-east-1") == 0
    book = load_price_book(pricing_copy)
    redis = book.on_demand[("us-east-1", "redis", "cache.r7g.large")]
    assert redis.usd_per_hour == Decimal("0.219")
    assert redis.source.startswith("AWS Price List bulk offer file offer_AmazonElastiCache_us-east-1.json "
                                   "AmazonElastiCache sku=")
    assert book.reserved[("us-east-1", "redis", "cache.c7gn.large", 1, "Partial Upfront")].upfront_usd == Decimal(
        "725.985")
    assert book.serverless[("us-east-1", "redis")].ecpu_usd_per_million == Decimal("0.0034")
    assert "Wrote" in capsys.readouterr().out


def test_offer_file_for_other_regions_refuses_an_explicit_missing_region(pricing_copy: Path) -> None:
    before = snapshot(pricing_copy)
    assert refresh(pricing_copy, None, "--offer-file", str(OFFER), regions="eu-west-1") == 1
    assert snapshot(pricing_copy) == before


# --- failures leave the old tables untouched --------------------------------------------------------------


def _assert_refused(
    pricing_copy: Path, before: dict[str, bytes], code: int, capsys: pytest.CaptureFixture[str], *phrases: str
) -> str:
    assert code == 1
    assert snapshot(pricing_copy) == before
    load_price_book(pricing_copy)  # still loadable
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "Price refresh failed:" in captured.err and "were not changed" in captured.err
    for phrase in phrases:
        assert phrase in captured.err
    assert not list(pricing_copy.parent.glob(".pricing-*"))  # staging cleaned up
    return captured.err


def test_malformed_product_is_refused(
    pricing_copy: Path, pricing_client: Any, stub: Callable[[Cassette], Stubber], capsys: pytest.CaptureFixture[str]
) -> None:
    cassette = load_cassette(MAIN)
    page = cassette[USE1_PAGE2]["response"]["PriceList"]
    broken = json.loads(page[0])
    del broken["product"]["attributes"]
    page[0] = encode(broken)
    before = snapshot(pricing_copy)
    stub(cassette)
    _assert_refused(pricing_copy, before, refresh(pricing_copy, pricing_client), capsys, "no sku or no attributes")


def test_missing_price_is_refused(
    pricing_copy: Path, pricing_client: Any, stub: Callable[[Cassette], Stubber], capsys: pytest.CaptureFixture[str]
) -> None:
    cassette = load_cassette(MAIN)
    page = cassette[USE1_PAGE2]["response"]["PriceList"]
    entry = json.loads(page[0])
    (term,) = entry["terms"]["OnDemand"].values()
    (dim,) = term["priceDimensions"].values()
    dim["pricePerUnit"] = {}
    page[0] = encode(entry)
    before = snapshot(pricing_copy)
    stub(cassette)
    _assert_refused(pricing_copy, before, refresh(pricing_copy, pricing_client), capsys, "the price is missing")


def test_service_error_on_page_two_is_refused(
    pricing_copy: Path, pricing_client: Any, stub: Callable[[Cassette], Stubber], capsys: pytest.CaptureFixture[str]
) -> None:
    cassette = load_cassette(MAIN)[: USE1_PAGE2 + 1]
    cassette[USE1_PAGE2] = {"expected_params": cassette[USE1_PAGE2]["expected_params"],
                            "error": "ThrottlingException", "message": "Rate exceeded", "status": 400}
    before = snapshot(pricing_copy)
    stubber = stub(cassette)
    _assert_refused(pricing_copy, before, refresh(pricing_copy, pricing_client), capsys,
                    "The AWS Price List API failed while reading 'Cache Instance' in us-east-1 (after 1 page)",
                    "ThrottlingException")
    stubber.assert_no_pending_responses()


def test_connection_lost_on_page_two_is_refused(
    pricing_copy: Path, pricing_client: Any, stub: Callable[[Cassette], Stubber], capsys: pytest.CaptureFixture[str]
) -> None:
    cassette = load_cassette(MAIN)[:USE1_PAGE2]
    calls = {"n": 0}

    def drop_the_line(**_kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == USE1_PAGE2 + 1:
            raise EndpointConnectionError(endpoint_url="https://api.pricing.us-east-1.amazonaws.com/")

    # provide-client-params fires before the Stubber's own hooks, so the sixth call fails as a dropped
    # connection would, after page 1 of us-east-1 was read.
    pricing_client.meta.events.register("provide-client-params.pricing.GetProducts", drop_the_line)
    before = snapshot(pricing_copy)
    stub(cassette)
    _assert_refused(pricing_copy, before, refresh(pricing_copy, pricing_client), capsys,
                    "Could not connect to the endpoint URL", "(after 1 page)")


def test_implausible_ecpu_unit_is_refused(
    pricing_copy: Path, pricing_client: Any, stub: Callable[[Cassette], Stubber], capsys: pytest.CaptureFixture[str]
) -> None:
    cassette = load_cassette(MAIN)
    serverless = next(c for c in cassette if c["expected_params"]["Filters"][1]["Value"] == "ElastiCache Serverless"
                      and c["response"]["PriceList"])
    page = serverless["response"]["PriceList"]
    for i, raw in enumerate(page):
        entry = json.loads(raw)
        if entry["product"]["attributes"]["usagetype"] == "USE1-ElastiCacheProcessingUnits:Valkey":
            (term,) = entry["terms"]["OnDemand"].values()
            (dim,) = term["priceDimensions"].values()
            dim["pricePerUnit"]["USD"] = "0.0023"  # a per-million figure where AWS publishes per ECPU
            page[i] = encode(entry)
    before = snapshot(pricing_copy)
    stub(cassette)
    _assert_refused(pricing_copy, before, refresh(pricing_copy, pricing_client), capsys,
                    "serverless_ecpu_per_million for valkey in us-east-1 is 2300")


def test_loader_guard_failure_is_refused(
    pricing_copy: Path, pricing_client: Any, stub: Callable[[Cassette], Stubber], capsys: pytest.CaptureFixture[str]
) -> None:
    cassette = load_cassette("get_products_ap-northeast-1.json")
    page = cassette[0]["response"]["PriceList"]
    entry = json.loads(page[1])
    (term,) = entry["terms"]["OnDemand"].values()
    (dim,) = term["priceDimensions"].values()
    dim["pricePerUnit"]["USD"] = "0.3000000000"  # Valkey above Redis OSS: the loader's guard must stop it
    page[1] = encode(entry)
    before = snapshot(pricing_copy)
    stub(cassette)
    _assert_refused(pricing_copy, before, refresh(pricing_copy, pricing_client, regions="ap-northeast-1"), capsys,
                    "fail a sanity check", "Valkey costs more than Redis OSS")


def test_region_with_no_prices_is_refused(
    pricing_copy: Path, pricing_client: Any, stub: Callable[[Cassette], Stubber], capsys: pytest.CaptureFixture[str]
) -> None:
    cassette = load_cassette("get_products_ap-northeast-1.json")
    cassette[0]["response"]["PriceList"] = []
    before = snapshot(pricing_copy)
    stub(cassette)
    _assert_refused(pricing_copy, before, refresh(pricing_copy, pricing_client, regions="ap-northeast-1"), capsys,
                    "no ElastiCache node prices for ap-northeast-1")


def test_unknown_region_code_is_refused(pricing_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(pricing_copy)
    _assert_refused(pricing_copy, before, refresh(pricing_copy, None, regions="us-east-9"), capsys,
                    "Not ElastiCache Region codes: us-east-9")


def test_all_regions_queries_by_product_family_only(pricing_client: Any) -> None:
    """--all-regions sends no region filter, so Regions beyond the bundled ones come back too."""
    from advisor.pricing.refresh import PRODUCT_FAMILIES, fetch_price_list

    stubber = Stubber(pricing_client)
    for family in PRODUCT_FAMILIES:
        stubber.add_response("get_products", {"FormatVersion": "aws_v1", "PriceList": []}, {
            "ServiceCode": "AmazonElastiCache", "FormatVersion": "aws_v1", "MaxResults": 100,
            "Filters": [{"Type": "TERM_MATCH", "Field": "productFamily", "Value": family}],
        })
    with stubber:
        assert fetch_price_list(pricing_client, None) == []
    stubber.assert_no_pending_responses()


def test_the_repository_tables_are_never_the_target() -> None:
    # Guard against a test forgetting --pricing-dir: the fixtures above always pass a temp copy.
    assert DEFAULT_PRICING_DIR.name == "pricing_data" and (DEFAULT_PRICING_DIR / "manifest.json").exists()
