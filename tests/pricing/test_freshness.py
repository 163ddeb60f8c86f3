"""The staleness warning: pure, today passed in."""

from __future__ import annotations

import datetime as dt

from advisor.pricing import load_price_book
from advisor.pricing.freshness import STALE_AFTER_DAYS, staleness_warning

AS_OF = dt.date(2026, 10, 2)


def test_fresh_tables_get_no_warning() -> None:
    assert staleness_warning(AS_OF, AS_OF) is None
    assert staleness_warning(AS_OF, AS_OF + dt.timedelta(days=STALE_AFTER_DAYS)) is None


def test_tables_older_than_ninety_days_get_a_warning_naming_the_date_and_the_fix() -> None:
    warning = staleness_warning(AS_OF, AS_OF + dt.timedelta(days=91))
    assert warning is not None
    assert "91 days old" in warning and "2026-10-02" in warning and "pricing refresh" in warning


def test_works_on_the_bundled_manifest() -> None:
    as_of = load_price_book().manifest.as_of
    assert staleness_warning(as_of, as_of + dt.timedelta(days=365)) is not None
