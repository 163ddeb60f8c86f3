"""Money lines (advisor/costs/*) pinned where mutation testing (scripts/mutation.sh) found the suite silent:
the wording of each note and caveat (what the report shows beside the amount) and the boundaries. Figures are
worked out by hand from pricing_data/other_rates.csv: backup storage $0.085 per GiB-month in every Region;
Global Datastore replication $0.02 per GiB in us-east-1, none bundled for us-west-2."""

from __future__ import annotations

from decimal import Decimal

from advisor.costs.extras import backup_line, global_transfer_line
from advisor.costs.lines import CostLine
from advisor.pricing import PriceBook
from advisor.pricing.schema import Basis


def test_backup_line_names_its_arithmetic(book: PriceBook) -> None:
    line = backup_line(book, "us-east-1", "redis", 100, 7)
    assert isinstance(line, CostLine)
    # 100 GB = 100e9 / 2^30 = 93.13 GiB; 7 daily snapshots of it.
    assert line.name == "Snapshot storage" and line.unit == "GiB-months" and line.basis == Basis.PUBLISHED
    assert line.unit_price == Decimal("0.085") and not line.one_time
    assert line.note == ("7 daily snapshot(s) x 100.00 GB (93.13 GiB); USD per GiB-month, us-east-1; "
                         "no free allowance assumed")


def test_backup_line_boundaries(book: PriceBook) -> None:
    none = "No automatic snapshots: no backup storage cost."
    assert backup_line(book, "us-east-1", "valkey", 100, 0) == none
    assert backup_line(book, "us-east-1", "valkey", 0, 7) == none
    one_day = backup_line(book, "us-east-1", "valkey", 1, 1)
    # 1 GB = 0.931 GiB (1e9 / 2^30 = 0.9313, to the thousandth) for one day's snapshot.
    assert isinstance(one_day, CostLine) and one_day.quantity == Decimal("0.931")
    small = backup_line(book, "us-east-1", "valkey", 0.5, 1)
    assert isinstance(small, CostLine) and small.quantity == Decimal("0.466")  # 0.5e9 / 2^30 = 0.4657


def test_backup_without_a_bundled_price_says_so_instead_of_borrowing_one(book: PriceBook) -> None:
    # 7 x 93.1323 = 651.926 GiB-months, shown to one decimal.
    assert backup_line(book, "xx-nowhere-1", "redis", 100, 7) == (
        "Backup storage of about 651.9 GiB-months (7 daily snapshots) is not costed: no redis backup price for "
        "xx-nowhere-1 is bundled.")


def test_global_transfer_line_names_its_arithmetic(book: PriceBook) -> None:
    line = global_transfer_line(book, "us-east-1", "valkey", 1_000_000, 2)
    assert isinstance(line, CostLine)
    assert line.name == "Global Datastore cross-Region replication" and line.unit == "GiB"
    assert line.unit_price == Decimal("0.02") and line.basis == Basis.PUBLISHED
    # 1e6 B/s x 2,628,000 s / 2^30 = 2447.516 GiB per secondary; two secondaries 4895.031 (to the thousandth).
    assert line.quantity == Decimal("4895.031")
    assert line.note == "average write bytes/s x 2,628,000 s x 2 secondary Region(s); rate confidence medium"


def test_global_transfer_without_a_bundled_price_says_so(book: PriceBook) -> None:
    assert global_transfer_line(book, "us-west-2", "valkey", 1_000_000, 2) == (
        "Global Datastore replication of about 4,895.0 GiB/month is not costed: no transfer price for us-west-2 "
        "is bundled.")
