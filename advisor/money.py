"""Money helpers: Decimal everywhere, one definition of a month."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# AWS prices a month of node-hours as 730 hours (8,760 h / 12) in its calculator and pricing pages.
HOURS_PER_MONTH = Decimal(730)
HOURS_PER_YEAR = Decimal(8760)
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600
CENT = Decimal("0.01")


def usd(value: Decimal | float | int | str) -> Decimal:
    """A Decimal from any numeric input, via str so floats do not leak binary noise."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def round_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt_usd(value: Decimal | float | int | None) -> str:
    """Dollars and cents with the sign before the symbol: "-$5.00", never "$-5.00" (nor "-$0.00")."""
    if value is None:
        return "n/a"
    cents = round_cents(usd(value))
    if cents < 0:
        return f"-${-cents:,.2f}"
    return f"${abs(cents):,.2f}"  # abs: a tiny negative rounds to -0.00, which is shown as $0.00
