"""Extended Support (advisor/costs/extended_support.py): every note the report shows, and each date boundary,
pinned where mutation testing (scripts/mutation.sh) found the suite silent. Dates from the facts file (1.3):
Redis OSS 4/5 standard support ended 2026-01-31 (charged 2026-02-01 to 2029-01-31, year 3 from 2028-02-01);
Redis OSS 6 ends 2027-01-31. Rates from other_rates.csv / on_demand.csv, quoted beside each use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from advisor.pricing import PriceBook
from advisor.pricing.schema import Basis
from tests.core.test_extended_support import charge

# other_rates.csv, eu-west-1 cache.r7g.large (both source_date 2026-09-20):
YR1_SOURCE = ("S8 public research note (a public GitHub file, updated 2026-09-20) quoting AWS Price List API "
              "('$0.194 per Hr for ExtendedSupportYr1_Yr2-NodeUsage'; ~80% of 0.243 node rate)")



def test_charged_note_and_line_by_hand(book: PriceBook) -> None:
    es = charge(book, "5.0.6", "2026-06-01")
    assert es.note == ("Redis OSS 5.0.6 is past standard support (2026-01-31): Extended Support years 1-2 surcharge "
                       "$0.194/node-hour since 2026-02-01; year 3 from 2028-02-01.")
    assert es.charged and not es.is_estimate and es.standard_support_ends == dt.date(2026, 1, 31)
    first, third = es.steps
    assert (first.key, first.label, first.starts, first.ends) == (
        "yr1_yr2", "Extended Support years 1-2", dt.date(2026, 2, 1), dt.date(2028, 1, 31))
    assert (third.key, third.label, third.starts, third.ends) == (
        "yr3", "Extended Support year 3", dt.date(2028, 2, 1), dt.date(2029, 1, 31))
    assert first.source == f"published Price List SKU (2026-09-20; {YR1_SOURCE})"
    assert third.usd_per_node_hour == Decimal("0.389") and third.basis == Basis.PUBLISHED
    assert es.next_step is third
    line = es.line()
    assert line is not None
    assert line.name == "Extended Support years 1-2 surcharge (Redis OSS 5.0.6)" and line.unit == "node-hours"
    assert line.quantity == 3 * 730 and line.unit_price == Decimal("0.194") and line.basis == Basis.PUBLISHED
    assert line.note == f"3 nodes x 730 h; charged 2026-02-01 to 2028-01-31; {first.source}"


def test_year_three_note_has_no_further_rise(book: PriceBook) -> None:
    es = charge(book, "4.0.10", "2028-03-01")
    assert es.note == ("Redis OSS 4.0.10 is past standard support (2026-01-31): Extended Support year 3 surcharge "
                       "$0.389/node-hour since 2028-02-01.")
    assert es.next_step is None


def test_estimated_rates_say_so(book: PriceBook) -> None:
    # us-east-2 has no SKU: Redis OSS cache.r7g.large on-demand $0.219/h x 80% = $0.1752 (years 1-2), x 160% =
    # $0.3504 (year 3).
    es = charge(book, "6.0", "2027-03-01", region="us-east-2", nodes=2)
    assert es.note == ("Redis OSS 6.0 is past standard support (2027-01-31): Extended Support years 1-2 surcharge "
                       "$0.1752/node-hour (estimate) since 2027-02-01; year 3 from 2029-02-01.")
    assert [s.source for s in es.steps] == [
        "ESTIMATE: 80% of the Redis OSS on-demand $0.219/h (us-east-2), AWS's documented share; no per-Region SKU "
        "bundled",
        "ESTIMATE: 160% of the Redis OSS on-demand $0.219/h (us-east-2), AWS's documented share; no per-Region SKU "
        "bundled"]
    assert all(s.basis == Basis.ESTIMATE for s in es.steps)


def test_without_any_redis_price_nothing_is_borrowed(book: PriceBook) -> None:
    # af-south-1 bundles no Redis OSS cache.r7g.large price and no SKU: the surcharge is "not priced", not $0.
    es = charge(book, "5.0.6", "2026-06-01", region="af-south-1")
    assert es.status == "charged" and es.monthly == 0 and not es.charged and es.line() is None
    assert es.current is not None and es.current.usd_per_node_hour is None
    assert es.current.source == "not priced: no Redis OSS cache.r7g.large price in af-south-1"
    assert es.note == ("Redis OSS 5.0.6 is past standard support (2026-01-31): Extended Support years 1-2 surcharge "
                       "not priced since 2026-02-01; year 3 from 2028-02-01.")
    assert es.valkey_saving_monthly == 0  # no surcharge and no node prices to compare


def test_dates_on_each_boundary(book: PriceBook) -> None:
    last_standard_day = charge(book, "5.0.6", "2026-01-31")
    assert last_standard_day.status == "not_started" and last_standard_day.monthly == 0
    assert last_standard_day.note == (
        "Redis OSS 5.0.6 is in standard support until 2026-01-31; Extended Support is charged from 2026-02-01 and "
        "rises on 2028-02-01. Nothing is charged yet.")
    first_day = charge(book, "5.0.6", "2026-02-01")
    assert first_day.status == "charged" and first_day.current is not None and first_day.current.key == "yr1_yr2"
    assert first_day.monthly == Decimal("0.194") * 3 * 730
    day_before_year_three = charge(book, "5.0.6", "2028-01-31")
    assert day_before_year_three.current is not None and day_before_year_three.current.key == "yr1_yr2"
    last_day = charge(book, "5.0.6", "2029-01-31")
    assert last_day.current is not None and last_day.current.key == "yr3"
    assert last_day.monthly == Decimal("0.389") * 3 * 730
    ended = charge(book, "5.0.6", "2029-02-01")
    assert ended.note == ("Extended Support for Redis OSS 5.0.6 ended on 2029-01-31: AWS upgrades remaining caches "
                          "to Valkey.")
    assert ended.current is None and ended.line() is None


def test_engines_and_versions_without_a_surcharge(book: PriceBook) -> None:
    valkey = charge(book, "8.0", "2028-01-01", engine="valkey")
    assert valkey.note == "Extended Support applies to Redis OSS 4, 5 and 6 only."
    assert valkey.steps == () and valkey.current is None and valkey.standard_support_ends is None
    current = charge(book, "7.1", "2028-01-01")
    assert current.note == ("Redis OSS 7.1 is in standard support (no end announced): no Extended Support "
                            "surcharge.")
    assert current.monthly == 0 and current.steps == ()
    # Moving to Valkey still saves its node discount: (0.243 - 0.1944) x 3 nodes x 730 h = 106.434.
    assert current.valkey_saving_monthly == Decimal("106.434")
    # A version string that is not a version at all is treated like an unknown one: nothing charged.
    assert charge(book, "not-a-version", "2028-01-01").status == "standard_support"


def test_no_nodes_no_line(book: PriceBook) -> None:
    es = charge(book, "5.0.6", "2026-06-01", nodes=0)
    assert es.status == "charged" and es.monthly == 0 and not es.charged and es.line() is None
