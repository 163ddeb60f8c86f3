"""The whole fleet review: discover, read each cluster's configuration and metrics, analyse, price a target.

Clusters are fetched and analysed one at a time and their raw series dropped (only the daily averages and
percentiles are kept), so memory stays flat however large the fleet is. Each phase is timed for the bench.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from advisor.findings import Finding, Severity
from advisor.fleet.account import AccountClients
from advisor.fleet.analysis import ClusterAnalysis, analyse, serverless_limit_findings
from advisor.fleet.checks import CheckContext, config_checks, not_checked
from advisor.fleet.collect import collect_cluster
from advisor.fleet.inventory import ClusterConfig, collect_configs
from advisor.fleet.target import Target, plan
from advisor.live.cloudwatch import MetricWindowError
from advisor.live.discovery import discover
from advisor.live.models import FleetRow
from advisor.pricing.book import PriceBook
from advisor.pricing.loader import load_price_book

DEFAULT_DAYS = 14
DEFAULT_PERIOD_S = 300
SEVERITY_ORDER = {Severity.CONFLICT: 0, Severity.WARNING: 1, Severity.ADVICE: 2, Severity.DECISION: 3}
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ClusterReview:
    row: FleetRow
    config: ClusterConfig
    analysis: ClusterAnalysis
    target: Target
    findings: tuple[Finding, ...]  # configuration + metric findings, most urgent first
    not_checked: tuple[str, ...]

    @property
    def top_finding(self) -> Finding | None:
        return self.findings[0] if self.findings else None

    @property
    def saving(self) -> Decimal:
        return self.target.monthly_saving_usd or Decimal(0)


@dataclass(frozen=True)
class FleetReview:
    source: str
    region: str
    window_start: dt.datetime
    window_end: dt.datetime
    period_s: int
    as_of: dt.date
    clusters: tuple[ClusterReview, ...]  # sorted by money: largest saving, then largest cost
    notes: tuple[str, ...] = ()
    timings_s: dict[str, float] = field(default_factory=dict)
    datapoints: int = 0
    calls: int = 0

    @property
    def monthly_total_usd(self) -> Decimal:
        return sum((c.target.current_monthly_usd or Decimal(0) for c in self.clusters), Decimal(0))

    @property
    def monthly_saving_usd(self) -> Decimal:
        return sum((max(c.saving, Decimal(0)) for c in self.clusters), Decimal(0))

    def cluster(self, cluster_id: str) -> ClusterReview:
        for c in self.clusters:
            if c.row.id == cluster_id:
                return c
        raise KeyError(cluster_id)


# Within a severity, what the metrics say about size and load comes before configuration hygiene.
METRIC_FIRST = ("fleet.utilization", "fleet.memory_growth", "fleet.hot_shard", "fleet.not_enough_data")


def _rank(finding: Finding) -> tuple[int, int, str]:
    priority = METRIC_FIRST.index(finding.id) if finding.id in METRIC_FIRST else len(METRIC_FIRST)
    return SEVERITY_ORDER[finding.severity], priority, finding.id


def _money_key(review: ClusterReview) -> tuple[Decimal, Decimal]:
    return -review.saving, -(review.target.current_monthly_usd or Decimal(0))


def review_fleet(clients: AccountClients, book: PriceBook | None = None, days: int = DEFAULT_DAYS,
                 period_s: int = DEFAULT_PERIOD_S, end: dt.datetime | None = None,
                 progress: Progress | None = None) -> FleetReview:
    if not 1 <= days <= 30:
        raise MetricWindowError(f"days must be 1 to 30 (CloudWatch keeps 5-minute data 63 days; the review reads "
                                f"at most 30), not {days}")
    book = book or load_price_book()
    end = end or clients.window_end or dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    start = end - dt.timedelta(days=days)
    # metrics_cpu: this process's CPU while collecting (parsing, arrays); the rest of the metrics wall time is
    # waiting for CloudWatch (or, for the example account, for its server process).
    timings = {"discovery": 0.0, "metrics": 0.0, "metrics_cpu": 0.0, "analysis": 0.0}
    t0 = time.perf_counter()
    fleet = discover(clients.elasticache, book)
    configs, config_notes = collect_configs(clients.elasticache, fleet)
    timings["discovery"] = time.perf_counter() - t0
    reviews = []
    datapoints = calls = 0
    for index, row in enumerate(fleet.rows):
        if progress:
            progress(index, len(fleet.rows), row.id)
        t1, cpu1 = time.perf_counter(), time.process_time()
        series = collect_cluster(clients.cloudwatch, row, start, end, period_s)
        t2 = time.perf_counter()
        timings["metrics_cpu"] += time.process_time() - cpu1
        analysis = analyse(series, row, book.nodes.get(row.node_type or ""))
        target = plan(row, configs[row.id], analysis, series, book)
        ctx = CheckContext(row, configs[row.id], end.date(),
                           analysis.distributions.get("DatabaseMemoryUsagePercentage").max  # type: ignore[union-attr]
                           if "DatabaseMemoryUsagePercentage" in analysis.distributions else None)
        limits = serverless_limit_findings(analysis, configs[row.id].storage_limit_gb, configs[row.id].ecpu_limit_per_s)
        findings = tuple(sorted((*analysis.findings, *limits, *config_checks(ctx)), key=_rank))
        reviews.append(ClusterReview(row, configs[row.id], analysis, target, findings,
                                     tuple(not_checked(configs[row.id], row))))
        datapoints += series.datapoints
        calls += series.calls
        timings["metrics"] += t2 - t1
        timings["analysis"] += time.perf_counter() - t2
    return FleetReview(
        source=clients.label, region=fleet.region, window_start=start, window_end=end, period_s=period_s,
        as_of=end.date(), clusters=tuple(sorted(reviews, key=_money_key)),
        notes=(*fleet.notes, *config_notes), timings_s=timings, datapoints=datapoints, calls=calls)
