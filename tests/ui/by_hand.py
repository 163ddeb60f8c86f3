"""Expected figures worked out in the test from the bundled CSV files, never read back from the app."""

from __future__ import annotations

import csv
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

PRICING = Path(__file__).resolve().parents[2] / "pricing_data"
HOURS_PER_MONTH = Decimal(730)  # AWS's month of node-hours


def on_demand_hourly(region: str, engine: str, node_type: str) -> Decimal:
    with (PRICING / "on_demand.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            if (row["region"], row["engine"], row["node_type"]) == (region, engine, node_type):
                return Decimal(row["usd_per_hour"])
    raise LookupError(f"no on-demand price for {region} {engine} {node_type}")


def monthly_nodes(region: str, engine: str, node_type: str, nodes: int) -> Decimal:
    return nodes * on_demand_hourly(region, engine, node_type) * HOURS_PER_MONTH


def usd(value: Decimal) -> str:
    return f"${value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


def pricing_as_of() -> str:
    return str(json.loads((PRICING / "manifest.json").read_text())["as_of"])


def has_published_reservation(region: str, engine: str, node_type: str) -> bool:
    with (PRICING / "reserved.csv").open(newline="") as fh:
        return any((row["region"], row["engine"], row["node_type"]) == (region, engine, node_type)
                   and row["basis"] != "estimate" for row in csv.DictReader(fh))


def leaderboard_monthly() -> Decimal:
    """The default preset's monthly bill, by hand: 2 x cache.r8g.2xlarge Valkey on-demand, plus 7 daily
    snapshots of the 12-month dataset (25 GB x 1.05^12 = 44.896 GB = 41.813 GiB) at $0.085 per GiB-month
    (other_rates.csv, AWS's one backup rate, no free allowance assumed)."""
    nodes = monthly_nodes("us-east-1", "valkey", "cache.r8g.2xlarge", 2)
    snapshot_gib = Decimal(str(25 * 1.05**12)) * 10**9 / 2**30
    return nodes + 7 * snapshot_gib * Decimal("0.085")
