"""Money lines (advisor/costs/*) pinned where mutation testing (scripts/mutation.sh) found the suite silent:
the wording of each note and caveat (what the report shows beside the amount) and the boundaries. Figures are
worked out by hand from pricing_data/other_rates.csv: backup storage $0.085 per GiB-month in every Region;
Global Datastore replication $0.02 per GiB in us-east-1, none bundled for us-west-2."""

from __future__ import annotations

from decimal import Decimal

import pytest

from advisor.costs.extras import backup_line, global_transfer_line
from advisor.costs.lines import CostLine
from advisor.costs.serverless import ecpu_profile, serverless_cost, serverless_hour_cost, stored_gb_by_month
from advisor.pricing import PriceBook
from advisor.pricing.schema import Basis
from advisor.workload import parse_workload


def test_backup_line_names_its_arithmetic(book: PriceBook) -> None:
    line = backup_line(book, "us-east-1", "redis", 100, 7)
    assert isinstance(line, CostLine)
    # 100 GB = 100e9 / 2^30 = 93.13 GiB; 7 daily snapshots of it.
    assert line.name == "Snapshot storage" and line.unit == "GiB-months" and line.basis == Basis.PUBLISHED
    assert line.unit_price == Decimal("0.085") and not line.one_time
    assert line.note == ("7 daily snapshots x 100.00 GB (93.13 GiB); USD per GiB-month, us-east-1; "
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
    assert line.note == "average write bytes/s x 2,628,000 s x 2 secondary Regions; rate confidence medium"


def test_global_transfer_without_a_bundled_price_says_so(book: PriceBook) -> None:
    assert global_transfer_line(book, "us-west-2", "valkey", 1_000_000, 2) == (
        "Global Datastore replication of about 4,895.0 GiB/month is not costed: no transfer price for us-west-2 "
        "is bundled.")


# serverless.csv, us-east-1 (source_date 2025-06-05): Valkey $0.084 per GB-hour, $0.0023 per million ECPUs,
# minimum 0.1 GB; Redis OSS $0.125, $0.0034, minimum 1 GB.


def test_serverless_lines_name_their_arithmetic(book: PriceBook) -> None:
    price = book.serverless_price("us-east-1", "valkey")
    assert price is not None
    estimate = serverless_cost(price, 10, 1e9)
    storage, ecpu = estimate.lines
    assert estimate.label == "Serverless"
    assert storage.name == "Serverless data stored (Valkey)" and storage.unit == "GB-hours"
    assert storage.quantity == 10 * 730 and storage.unit_price == Decimal("0.084")
    assert storage.note == "10.000000 GB x 730 h; us-east-1, source dated 2025-06-05"
    # 1e9 ECPUs a month = 1,000 million x $0.0023 = $2.30.
    assert ecpu.name == "Serverless ECPUs (Valkey)" and ecpu.unit == "million ECPUs"
    assert ecpu.quantity == 1000 and ecpu.total == Decimal("2.3")
    assert ecpu.note == "average ECPU/s x 2,628,000 s per month"
    assert storage.basis == ecpu.basis == Basis.PUBLISHED
    minimum = serverless_cost(price, 0.01, 0).lines[0]
    assert minimum.note == "0.100000 GB x 730 h (engine minimum applied); us-east-1, source dated 2025-06-05"


def test_serverless_storage_month_by_month_note(book: PriceBook) -> None:
    price = book.serverless_price("us-east-1", "valkey")
    assert price is not None
    storage = serverless_cost(price, [10, 20, 30], 0).lines[0]
    # Month 1: 10 GB x 730 h x 0.084 = $613.20; the average of 10, 20, 30 = 20 GB: 20 x 730 x 0.084 = $1,226.40.
    assert storage.total == Decimal("1226.4")
    assert storage.note == ("GB-hours as AWS bills them: month 1 10.00 GB (today's dataset) = $613.20/month; "
                            "month 3 30.00 GB; horizon average 20.00 GB x 730 h = $1,226.40/month; us-east-1, "
                            "source dated 2025-06-05")
    # 0.05 GB bills as Valkey's 0.1 GB minimum: average (0.1 + 1.0) / 2 = 0.55 GB; 0.1 x 730 x 0.084 = $6.13.
    small = serverless_cost(price, [0.05, 1.0], 0).lines[0]
    assert small.quantity == Decimal("0.55") * 730
    assert small.note.startswith("GB-hours as AWS bills them: month 1 0.10 GB (today's dataset (engine minimum "
                                 "applied)) = $6.13/month; month 2 1.00 GB; horizon average 0.55 GB")


def test_one_serverless_hour_and_stored_data_growth(book: PriceBook) -> None:
    price = book.serverless_price("us-east-1", "valkey")
    assert price is not None
    # 2.5 GB x $0.084 + 3 million ECPUs x $0.0023 = 0.21 + 0.0069 = $0.2169.
    assert serverless_hour_cost(price, 2.5, 3_000_000) == Decimal("0.2169")
    assert serverless_hour_cost(price, 0.05, 0) == Decimal("0.1") * Decimal("0.084")  # the 0.1 GB minimum
    # Month 1 holds today's dataset, then 10% a month: 100, 110, 121; a zero horizon still has month 1.
    assert stored_gb_by_month(100, 10, 3) == pytest.approx([100, 110, 121])
    assert stored_gb_by_month(100, 10, 0) == [100]


def test_ecpu_profile_peak_and_traffic_scale() -> None:
    # 2 KB reads = 2 ECPUs, 512-byte writes = 1 ECPU. Average 100 x 2 + 10 x 1 = 210/s; peak 400 x 2 + 50 x 1.
    w = parse_workload({"dataset_gb": 1, "avg_reads_per_sec": 100, "avg_writes_per_sec": 10, "avg_value_bytes": 2048,
                        "avg_write_bytes": 512, "peak_reads_per_sec": 400, "peak_writes_per_sec": 50})
    profile = ecpu_profile(w)
    assert (profile.per_read, profile.per_write) == (2.0, 1.0)
    assert profile.average_per_second == pytest.approx(210)
    assert profile.peak_per_second == pytest.approx(850)
    assert profile.per_month == pytest.approx(210 * 2_628_000)
    doubled = ecpu_profile(w, traffic_scale=2.0)
    assert (doubled.average_per_second, doubled.peak_per_second) == (pytest.approx(420), pytest.approx(1700))


def test_a_transfer_rate_keeps_its_basis(book: PriceBook) -> None:
    # Every bundled Global Datastore transfer rate is published today; an estimated one must stay labelled.
    rate = book.other_rate("global_datastore_cross_region_replication_transfer", "us-east-1", "valkey")
    assert rate is not None
    estimated = rate.model_copy(update={"basis": Basis.ESTIMATE})

    class BookWithAnEstimatedRate:
        def other_rate(self, *_args: object) -> object:
            return estimated

    line = global_transfer_line(BookWithAnEstimatedRate(), "us-east-1", "valkey", 1_000_000, 1)  # type: ignore[arg-type]
    assert isinstance(line, CostLine) and line.basis == Basis.ESTIMATE and line.is_estimate
