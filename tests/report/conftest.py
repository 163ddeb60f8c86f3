"""Reports built once per session: the largest example (for figures) and a hostile one (for escaping)."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.recommendation import Recommendation
from advisor.report.model import Report, build_report
from advisor.workload import load_workload

ROOT = Path(__file__).resolve().parents[2]
LARGEST = ROOT / "examples" / "large_2tb.yaml"
TODAY = dt.date(2026, 12, 1)
EVIL_NAME = "<script>alert(1)</script> *bold* _it_ $x^2$ \\textbf{y} [a](https://evil.example) `c` <b>&amp;</b>"


def csv_price(region: str, node_type: str, engine: str) -> Decimal:
    """The on-demand $/hour straight from the bundled CSV, read without the advisor's loader."""
    with (ROOT / "pricing_data" / "on_demand.csv").open() as handle:
        for row in csv.DictReader(handle):
            if (row["region"], row["node_type"], row["engine"]) == (region, node_type, engine):
                return Decimal(row["usd_per_hour"])
    raise LookupError(f"{region} {node_type} {engine} not in on_demand.csv")


@pytest.fixture(scope="session")
def large_rec(book: PriceBook) -> Recommendation:
    return recommend(load_workload(LARGEST), book)


@pytest.fixture(scope="session")
def large_report(large_rec: Recommendation, book: PriceBook) -> Report:
    return build_report(large_rec, book, today=TODAY)


@pytest.fixture(scope="session")
def expected_node_monthly(large_rec: Recommendation) -> Decimal:
    """The nodes alone: node count x $/h x 730 h, by hand from the CSV."""
    topo = large_rec.topology
    assert topo is not None
    return topo.node_count * csv_price("us-east-1", topo.node_type, "valkey") * 730


@pytest.fixture(scope="session")
def expected_monthly(large_rec: Recommendation) -> Decimal:
    """Nodes x $/h x 730 h, by hand from the CSV, plus one daily snapshot of the horizon dataset.

    Backup: 2,000 GB x 1.01^12 = 2,253.650 GB at the 12-month horizon = 2,253.650e9 / 2^30 = 2,098.875 GiB,
    kept 1 day, at AWS's one rate of $0.085 per GiB-month (other_rates.csv) = $178.404.
    """
    topo = large_rec.topology
    assert topo is not None
    backup_gib = (Decimal(str(round(2000 * 1.01**12, 6))) * 10**9 / 2**30).quantize(Decimal("0.001"))
    assert backup_gib == Decimal("2098.875")
    nodes = topo.shards * (1 + topo.replicas_per_shard)  # every shard's primary and its replicas, counted here
    return nodes * csv_price("us-east-1", topo.node_type, "valkey") * 730 + backup_gib * Decimal("0.085")


def usd(value: Decimal) -> str:
    return f"${value.quantize(Decimal('0.01')):,.2f}"
