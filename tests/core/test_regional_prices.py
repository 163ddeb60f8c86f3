"""Six Regions outside us-east-1 priced by hand from the all-Region source rows, and every example workload
walked through all 33 commercial Regions.

Source rows (shared/pricing-research/all-regions/, copied into pricing_data/ by scripts/import_research.py):
ondemand_all_regions.csv (cache.r6g.large, Redis OSS), reserved_all_regions.csv (cache.r6g.large 1yr Partial
Upfront: upfront, hourly; the SKU engine is Redis OSS or Memcached, whose reservations are the same),
serverless_all_regions.csv (Valkey per GB-hour and per million ECPUs). Backup: AWS's one rate, $0.085 per
GiB-month, in every Region.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from advisor.costs.extras import backup_line
from advisor.costs.lines import CostLine
from advisor.costs.provisioned import compare_reserved, on_demand_cost
from advisor.costs.serverless import serverless_cost
from advisor.findings import Severity
from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.workload import load_workload

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

# region: (Redis OSS r6g.large $/h, 1yr Partial Upfront upfront $, 1yr Partial Upfront $/h,
#          Serverless Valkey $/GB-hour, Serverless Valkey $/million ECPUs), straight from the CSV rows.
ROWS = {
    "us-east-2": ("0.206", "585", "0.067", "0.084", "0.0023"),
    "eu-central-1": ("0.247", "704", "0.081", "0.101", "0.0027"),
    "ap-south-1": ("0.211", "601", "0.069", "0.054", "0.0015"),
    "sa-east-1": ("0.41", "1168", "0.133", "0.133", "0.0037"),
    "ap-southeast-2": ("0.247", "701", "0.08", "0.101", "0.0027"),
    "ca-central-1": ("0.224", "638", "0.072", "0.092", "0.0025"),
}
# Break-even month of the 1yr Partial Upfront reservation: upfront / (730 x (on-demand - hourly)), rounded up.
# us-east-2 585 / (730 x 0.139) = 5.77; eu-central-1 704 / (730 x 0.166) = 5.81; ap-south-1 601 / (730 x 0.142)
# = 5.80; sa-east-1 1168 / (730 x 0.277) = 5.78; ap-southeast-2 701 / (730 x 0.167) = 5.75; ca-central-1
# 638 / (730 x 0.152) = 5.75: month 6 everywhere.
BREAK_EVEN_MONTH = 6


@pytest.mark.parametrize("region", sorted(ROWS))
def test_hand_computed_lines(book: PriceBook, region: str) -> None:
    od_rate, upfront, hourly, gb_hour, per_million = (Decimal(v) for v in ROWS[region])
    nodes = 3
    price = book.node_price(region, "redis", "cache.r6g.large")
    assert price is not None and price.usd_per_hour == od_rate and price.source_date.isoformat() == "2025-06-05"
    on_demand = on_demand_cost(price, nodes)
    assert on_demand.monthly == nodes * od_rate * 730  # e.g. us-east-2: 3 x 0.206 x 730 = 451.14

    option = book.reserved_option(region, "redis", "cache.r6g.large", 1, "Partial Upfront")
    assert option is not None and (option.upfront_usd, option.usd_per_hour) == (upfront, hourly)
    comparison = compare_reserved(on_demand, option, nodes)
    assert comparison.estimate.upfront == nodes * upfront
    assert comparison.estimate.monthly == nodes * hourly * 730
    assert comparison.break_even_month == BREAK_EVEN_MONTH

    serverless = book.serverless_price(region, "valkey")
    assert serverless is not None
    cost = serverless_cost(serverless, 5.0, 1_000_000_000)  # 5 GB stored all month, 1,000 million ECPUs
    assert cost.monthly == 5 * 730 * gb_hour + 1000 * per_million

    backup = backup_line(book, region, "valkey", 50, 3)
    # 50 GB = 50e9 / 2^30 = 46.566 GiB; 3 daily snapshots = 139.698 GiB-months x $0.085 = $11.87
    assert isinstance(backup, CostLine) and backup.quantity == Decimal("139.698")
    assert backup.total == Decimal("139.698") * Decimal("0.085")


def _where(region: str, path: Path) -> dict[str, object]:
    """The example moved to `region`; a Global Datastore secondary moves off the primary's Region."""
    changes: dict[str, object] = {"region": region}
    workload = load_workload(path)
    if workload.secondary_regions:
        changes["secondary_regions"] = ["us-east-1" if region == "eu-west-1" else "eu-west-1"]
    return changes


def test_every_example_in_every_commercial_region(book: PriceBook) -> None:
    assert len(book.regions) == 33
    unexplained = []
    for path in EXAMPLES:
        base = load_workload(path)
        for region in book.regions:
            rec = recommend(base.with_changes(**_where(region, path)), book)
            if rec.feasible:
                assert rec.costs is not None and rec.costs.monthly > 0
                continue
            # Not feasible only where the Region lacks node families AWS sells elsewhere, and said so.
            conflicts = [f for f in rec.findings if f.severity == Severity.CONFLICT]
            if not (book.unoffered_families(region, rec.engine) and conflicts):
                unexplained.append(f"{path.stem} in {region}")
    assert unexplained == []


def test_cli_recommends_outside_us_east_1(tmp_path: Path) -> None:
    # Frankfurt, the Region the issue names first, through the real CLI: exit 0 and the Region's price date.
    workload = tmp_path / "w.yaml"
    workload.write_text((ROOT / "examples" / "session_store.yaml").read_text() + "\nregion: eu-central-1\n")
    text = workload.read_text().replace("region: us-east-1\n", "")
    workload.write_text(text)
    result = subprocess.run([sys.executable, "-m", "advisor", "recommend", str(workload)], capture_output=True,
                            text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "eu-central-1" in result.stdout and "2025-06-05" in result.stdout


def _valkey_node_types(region: str) -> set[str]:
    """Node types with a Valkey on-demand price in `region`, read straight from the bundled CSV."""
    with (Path(__file__).resolve().parents[2] / "pricing_data" / "on_demand.csv").open() as handle:
        return {row["node_type"] for row in csv.DictReader(handle)
                if row["region"] == region and row["engine"] == "valkey"}


def test_a_global_datastore_uses_a_node_type_every_member_region_sells(book: PriceBook) -> None:
    """af-south-1 sells only m5 / r5 / t3 (shared/pricing-research/all-regions/README.md); every member of a
    Global Datastore runs the same node type, so an r6g design with an af-south-1 secondary cannot be built."""
    assert "cache.r6g.large" not in _valkey_node_types("af-south-1")
    workload = load_workload("examples/multi_region_catalog.yaml").with_changes(secondary_regions=["af-south-1"])
    rec = recommend(workload, book)
    assert rec.topology is not None
    assert rec.topology.node_type in _valkey_node_types("af-south-1") & _valkey_node_types("us-east-1")
    assert rec.costs is not None and rec.costs.complete
    reasons = {e.node_type: e.reason for e in rec.search.exclusions}
    assert reasons["cache.r6g.large"].startswith("not offered in af-south-1")
