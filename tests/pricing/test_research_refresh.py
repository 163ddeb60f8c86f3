"""`pricing refresh --research-dir`: the all-Region research CSV format, read by the same code as the import.

The fixture rows under tests/fixtures/pricing/research/ are copied verbatim from
shared/pricing-research/all-regions/ (eu-central-1 cache.r7g.large, ap-south-1 Valkey r7g.large, Serverless).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from advisor.pricing import load_price_book
from advisor.pricing.cli import run_pricing
from advisor.pricing.research_format import read_research_dir
from advisor.pricing.schema import Basis
from tests.pricing.conftest import FIXTURES, parse_cli, snapshot

RESEARCH = FIXTURES / "research"
TODAY = dt.date(2026, 12, 2)


def refresh(pricing_dir: Path, *extra: str) -> int:
    argv = ["pricing", "refresh", "--pricing-dir", str(pricing_dir), "--research-dir", str(RESEARCH), *extra]
    return run_pricing(parse_cli(argv), today=TODAY)


def drop_region(pricing_dir: Path, region: str) -> None:
    for table in ("on_demand.csv", "reserved.csv", "serverless.csv"):
        path = pricing_dir / table
        path.write_text("".join(line for line in path.read_text().splitlines(keepends=True)
                                if not line.startswith(f"{region},")))


def test_reader_keeps_upfront_and_hourly_apart() -> None:
    tables = read_research_dir(RESEARCH)
    partial = next(r for r in tables.reserved if r["term_years"] == "1" and r["payment_option"] == "Partial Upfront")
    assert (partial["upfront_usd"], partial["usd_per_hour"]) == ("748.761", "0.085")
    # effective = 748.761 / 8760 + 0.085 = 0.0854750 + 0.085 = 0.1704750
    assert Decimal(partial["effective_usd_per_hour"]) == Decimal("0.1704750000")
    assert all(r["basis"] == "published" for r in tables.reserved)  # nothing derived is stored
    assert tables.region_dates == {"ap-south-1": "2025-06-05", "eu-central-1": "2025-06-05"}
    backup = {r["region"]: r["usd"] for r in tables.backup}
    assert backup == {"ap-south-1": "0.085", "eu-central-1": "0.085"}


def test_refresh_restores_a_region_from_the_research_format(
    pricing_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    drop_region(pricing_copy, "eu-central-1")
    assert "eu-central-1" not in load_price_book(pricing_copy).regions
    assert refresh(pricing_copy, "--regions", "eu-central-1") == 0
    book = load_price_book(pricing_copy)
    price = book.node_price("eu-central-1", "valkey", "cache.r7g.large")
    assert price is not None and price.usd_per_hour == Decimal("0.2104")
    assert book.node_price("ap-south-1", "valkey", "cache.r7g.large") is not None  # other Regions untouched
    serverless = book.serverless_price("eu-central-1", "valkey")
    assert serverless is not None and serverless.storage_usd_per_gb_hour == Decimal("0.101")
    # The Valkey reservation is derived at lookup: 0.8 x (1658.794 upfront, 0.063/h) for 3-year Partial Upfront.
    option = book.reserved_option("eu-central-1", "valkey", "cache.r7g.large", 3, "Partial Upfront")
    assert option is not None and option.basis == Basis.DERIVED
    assert option.upfront_usd == Decimal("1327.0352") and option.usd_per_hour == Decimal("0.0504")
    manifest = json.loads((pricing_copy / "manifest.json").read_text())
    assert manifest["region_as_of"]["eu-central-1"] == "2025-06-05"
    assert manifest["last_refresh"]["regions"] == ["eu-central-1"]
    assert "New regions (1):\n  + eu-central-1" in capsys.readouterr().out


def test_unknown_region_in_research_refresh_changes_nothing(
    pricing_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(pricing_copy)
    assert refresh(pricing_copy, "--regions", "us-west-2") == 1
    assert "no ElastiCache node prices for us-west-2" in capsys.readouterr().err
    assert snapshot(pricing_copy) == before


def test_research_refresh_of_unchanged_rows_writes_nothing(pricing_copy: Path) -> None:
    before = snapshot(pricing_copy)
    assert refresh(pricing_copy, "--regions", "eu-central-1", "ap-south-1") == 0
    assert snapshot(pricing_copy) == before  # the bundled rows already are these rows, byte for byte
