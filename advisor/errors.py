"""Typed errors, each carrying a message a person can act on."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.wording import count_noun


@dataclass(frozen=True)
class FieldProblem:
    """One bad input: the field's dotted name and why it was refused."""

    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


class AdvisorError(Exception):
    """Base class for every error the advisor raises on purpose."""


class InvalidWorkload(AdvisorError):
    """The workload description has one or more bad fields; every one of them is listed."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"The workload has {count_noun(len(problems), 'invalid field')}:\n{lines}")

    @property
    def fields(self) -> list[str]:
        return [p.field for p in self.problems]


class PricingDataError(AdvisorError):
    """The bundled price tables are missing, malformed or fail a sanity guard."""


class RegionNotPriced(AdvisorError):
    """The region is a real ElastiCache region but the bundled tables hold no prices for it."""


class ConnectionProblem(AdvisorError):
    """A live data source (AWS or a Redis/Valkey server) could not be reached or refused us."""
