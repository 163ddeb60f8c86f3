"""The recommendation's data model: what the advisor decided, priced, and found.

Rules, renderers, reports and the CLI read these types; `advisor.recommend` builds them. Keeping the model
apart means the rules import it without importing the code that runs them.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from advisor.choices import EngineChoice, ServerlessFit
from advisor.costs.extended_support import ExtendedSupportCharge
from advisor.costs.lines import CostEstimate
from advisor.costs.provisioned import ReservedComparison
from advisor.findings import Finding, Severity
from advisor.optimizer import SearchResult
from advisor.pricing.schema import Engine
from advisor.wording import ENGINE_LABELS, count_noun
from advisor.workload import Workload

Deployment = Literal["provisioned", "serverless"]
# The three answers: a design to build; a conflict (valid wishes AWS cannot grant together: the rule and priced
# ways out); infeasible (beyond any ElastiCache design: the ceiling and the nearest thing that fits).
Status = Literal["design", "conflict", "infeasible"]


def _set_flags(changes: dict[str, Any], prefix: str = "") -> list[str]:
    flags = []
    for key, value in changes.items():
        if isinstance(value, dict):
            flags += _set_flags(value, f"{prefix}{key}.")
        else:
            flags.append("--set " + shlex.quote(f"{prefix}{key}={json.dumps(value, separators=(',', ':'))}"))
    return flags


@dataclass(frozen=True)
class WayOut:
    """A priced, valid design that resolves a conflict: the changes to adopt it and what it costs."""

    id: str
    title: str
    changes: dict[str, Any]  # field changes over the workload (sections nested), as YAML would hold them
    workload: Workload  # the workload with the changes applied: adopting the way out means using this
    headline: str
    monthly: Decimal  # one cluster
    is_estimate: bool
    copies: int = 1  # infeasible: the data split across this many clusters of this design

    @property
    def total_monthly(self) -> Decimal:
        return self.monthly * self.copies

    @property
    def set_flags(self) -> list[str]:
        """The CLI flags that adopt it: `python -m advisor recommend FILE <flags>`."""
        return _set_flags(self.changes)


@dataclass(frozen=True)
class Ceiling:
    """Why no ElastiCache design can serve the workload: what was asked, the limits, and the nearest fit."""

    asked: dict[str, str]
    limits: dict[str, str]
    nearest: str


@dataclass(frozen=True)
class DesignCheck:
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class GivenDesign:
    """A design the user pinned (or a live cluster's configuration), judged against the workload and priced
    beside the advisor's own recommendation."""

    topology: Topology
    priced: bool
    monthly: Decimal | None  # on-demand nodes (every Region) plus the same backup/transfer lines
    checks: tuple[DesignCheck, ...]
    recommended_headline: str | None
    recommended_monthly: Decimal | None
    source: str = "constraints"
    # The advisor's own design's shape, so it can be drawn beside the given one (None: no design to recommend).
    recommended_deployment: Deployment | None = None
    recommended_engine: Engine | None = None
    recommended_topology: Topology | None = None  # None for Serverless

    @property
    def fits(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def difference_monthly(self) -> Decimal | None:
        """Given minus recommended, per month (positive: the given design costs more)."""
        if self.monthly is None or self.recommended_monthly is None:
            return None
        return self.monthly - self.recommended_monthly

    @property
    def difference_yearly(self) -> Decimal | None:
        diff = self.difference_monthly
        return None if diff is None else diff * 12


@dataclass(frozen=True)
class Topology:
    engine: Engine
    node_type: str
    shards: int
    replicas_per_shard: int
    cluster_mode_enabled: bool
    data_tiering: bool
    multi_az: bool
    automatic_failover: bool

    @property
    def node_count(self) -> int:
        return self.shards * (1 + self.replicas_per_shard)

    def describe(self) -> str:
        """The shape in the engine's own words: Memcached has nodes, not shards, replicas or cluster modes."""
        if self.engine == "memcached":
            if self.shards == 1:
                return f"1 node of {self.node_type}"
            return f"{self.shards} independent nodes of {self.node_type} (the client spreads keys over them)"
        mode = "cluster mode enabled" if self.cluster_mode_enabled else "cluster mode disabled"
        return (f"{count_noun(self.shards, 'shard')} x (1 primary + {count_noun(self.replicas_per_shard, 'replica')})"
                f" of {self.node_type}, {mode}, {count_noun(self.node_count, 'node')}")


@dataclass(frozen=True)
class SecondaryRegionCost:
    region: str
    estimate: CostEstimate | None
    note: str


@dataclass(frozen=True)
class Crossover:
    """Average requests/s at which Serverless costs the same as the recommended provisioned cluster."""

    requests_per_sec: float | None
    current_requests_per_sec: float
    provisioned_monthly: Decimal
    serverless_monthly: Decimal
    explanation: str


@dataclass(frozen=True)
class CostSummary:
    """Every dollar of the design. `chosen` is the primary Region (nodes or Serverless, plus extras);
    `secondaries` the Global Datastore clusters; `on_demand` and `reserved` cover the nodes of every priced
    cluster, each at its own Region's price. A part without a price is never dropped silently: it is listed in
    `excluded` and the total is marked incomplete."""

    chosen: CostEstimate
    on_demand: CostEstimate | None
    reserved: list[ReservedComparison]
    serverless: CostEstimate | None
    secondaries: list[SecondaryRegionCost]
    caveats: tuple[str, ...] = ()
    extended_support: tuple[ExtendedSupportCharge, ...] = ()

    @property
    def excluded(self) -> tuple[str, ...]:
        """What the total leaves out, e.g. 'eu-west-9: not priced'."""
        return tuple(f"{s.region}: not priced" for s in self.secondaries if s.estimate is None)

    @property
    def complete(self) -> bool:
        return not self.excluded

    @property
    def monthly(self) -> Decimal:
        return self.chosen.monthly + sum(
            (s.estimate.monthly for s in self.secondaries if s.estimate), Decimal(0)
        )

    def total_over(self, months: int) -> Decimal:
        return self.monthly * months + self.chosen.upfront

    @property
    def best_reserved(self) -> ReservedComparison | None:
        return min(self.reserved, key=lambda r: r.monthly_equivalent) if self.reserved else None

    @property
    def is_estimate(self) -> bool:
        return self.chosen.is_estimate or any(s.estimate and s.estimate.is_estimate for s in self.secondaries)


@dataclass(frozen=True)
class Recommendation:
    workload: Workload
    pricing_as_of: str
    engine_choice: EngineChoice
    deployment: Deployment | None  # None: nothing feasible
    deployment_reason: str
    topology: Topology | None
    serverless_fit: ServerlessFit
    search: SearchResult
    costs: CostSummary | None
    crossover: Crossover | None
    findings: list[Finding] = field(default_factory=list)
    ways_out: tuple[WayOut, ...] = ()
    ceiling: Ceiling | None = None
    given: GivenDesign | None = None

    @property
    def status(self) -> Status:
        if self.ceiling is not None:
            return "infeasible"
        if self.deployment is None or self.conflicts:
            return "conflict"
        return "design"

    @property
    def engine(self) -> Engine:
        return self.engine_choice.engine

    @property
    def feasible(self) -> bool:
        """A design to build: no conflict, not infeasible."""
        return self.status == "design"

    @property
    def conflicts(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.CONFLICT]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.WARNING]

    @property
    def headline(self) -> str:
        engine = ENGINE_LABELS[self.engine]
        if self.status == "infeasible":
            return "Infeasible: beyond any ElastiCache design — see the ceiling and the nearest fit"
        if self.status == "conflict":
            titles = "; ".join(dict.fromkeys(f.title for f in self.conflicts)) or "no design meets every requirement"
            return f"Conflict: {titles} — see the ways out"
        assert self.costs is not None
        notes = []
        priced = [s for s in self.costs.secondaries if s.estimate is not None]
        if priced:
            notes.append(f"including {count_noun(len(priced), 'secondary Region')}")
        if self.costs.excluded:
            notes.append(f"excluding {', '.join(self.costs.excluded)}; incomplete total")
        if self.costs.is_estimate:
            notes.append("estimate")
        suffix = f" ({'; '.join(notes)})" if notes else ""
        if self.deployment == "serverless":
            return f"{engine} Serverless in {self.workload.region}, about ${self.costs.monthly:,.2f}/month{suffix}"
        assert self.topology is not None
        return (f"{engine} in {self.workload.region}: {self.topology.describe()}, "
                f"${self.costs.monthly:,.2f}/month on-demand{suffix}")
