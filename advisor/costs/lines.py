"""Money as named line items, so every total can be explained line by line."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from advisor.pricing.schema import Basis


@dataclass(frozen=True)
class CostLine:
    """One priced component: quantity x unit price, recurring monthly unless `one_time`."""

    name: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    basis: Basis = Basis.PUBLISHED
    note: str = ""
    one_time: bool = False

    @property
    def total(self) -> Decimal:
        return self.quantity * self.unit_price

    @property
    def is_estimate(self) -> bool:
        return self.basis == Basis.ESTIMATE


@dataclass(frozen=True)
class CostEstimate:
    """A priced option (on-demand, a reservation, Serverless...) made of line items."""

    label: str
    lines: tuple[CostLine, ...] = field(default_factory=tuple)
    caveats: tuple[str, ...] = field(default_factory=tuple)

    @property
    def monthly(self) -> Decimal:
        return sum((line.total for line in self.lines if not line.one_time), Decimal(0))

    @property
    def upfront(self) -> Decimal:
        return sum((line.total for line in self.lines if line.one_time), Decimal(0))

    def total_over(self, months: int) -> Decimal:
        return self.upfront + self.monthly * months

    def cumulative(self, months: int) -> list[Decimal]:
        """Cost paid by the end of each month 1..months (upfront counted in month 1)."""
        return [self.upfront + self.monthly * m for m in range(1, months + 1)]

    @property
    def is_estimate(self) -> bool:
        return any(line.is_estimate for line in self.lines)

    @property
    def display_label(self) -> str:
        return f"{self.label} (estimate)" if self.is_estimate and "estimate" not in self.label else self.label
