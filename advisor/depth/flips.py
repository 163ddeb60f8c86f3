"""What would change the answer: for each main input, the nearest value (down and up) at which the
recommended design changes, found by bisection with the optimizer and the deployment choice themselves.

Every probe re-runs `optimizer.search` and `recommend.choose_deployment` on a copy of the workload with one
input changed, so a threshold is exactly where the advisor's own answer changes, not a separate model of it.
Inputs move over 1/10x to 10x of today's value (bounded by what the workload model accepts); the search
stops when the bracket is within 2% of the threshold.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from advisor.capacity import node_capacity
from advisor.choices import assess_serverless, memcached_blockers
from advisor.errors import InvalidWorkload
from advisor.money import HOURS_PER_MONTH, fmt_usd
from advisor.optimizer import Candidate, _ranges, demand_of, search
from advisor.pricing.book import PriceBook
from advisor.pricing.schema import Engine
from advisor.recommend import Recommendation, choose_deployment
from advisor.wording import ENGINE_LABELS, count_noun, node_layout
from advisor.workload import MAX_DATASET_GB, MAX_ITEM_BYTES, MAX_REQUESTS_PER_SEC, Workload

RANGE_FACTOR = 10.0  # search from 1/10x to 10x of today's value
TOLERANCE = 0.02  # stop when the bracket is within 2% (thresholds are shown to two significant figures)
# Geometric steps toward the range's end (share of the log-distance) before bisecting: near flips first.
BRACKET_STEPS = (0.1, 0.35, 1.0)
DECISIONS = ("engine", "deployment", "node type", "shard count", "replicas", "data tiering")
# Memcached's own words: independent nodes, no shards, replicas or data tiering.
MEMCACHED_DECISIONS = ("engine", "deployment", "node type", "node count")
Direction = Literal["down", "up"]


@dataclass(frozen=True)
class Design:
    """The decisions the advisor makes for one workload, and what that design costs per month."""

    deployment: str | None
    node_type: str | None
    shards: int
    replicas: int
    data_tiering: bool
    monthly: Decimal | None = field(compare=False)  # the same design at another load costs another amount
    engine: str = field(default="valkey", compare=False)  # held fixed by decide(): only for the words

    def describe(self) -> str:
        if self.deployment is None:
            return "no feasible design"
        if self.deployment == "serverless":
            return "Serverless"
        return node_layout(self.engine, self.shards, self.replicas, self.node_type or "")

    def changed(self, other: Design) -> tuple[str, ...]:
        """Which decisions differ from `other`, in DECISIONS order."""
        if self.deployment != other.deployment:
            return ("deployment",)
        if self.deployment != "provisioned":
            return ()
        changes = []
        if self.node_type != other.node_type:
            changes.append("node type")
        if self.shards != other.shards:
            changes.append("node count" if self.engine == "memcached" else "shard count")
        if self.replicas != other.replicas:
            changes.append("replicas")
        if self.data_tiering != other.data_tiering:
            changes.append("data tiering")
        return tuple(changes)


def _node_figures(book: PriceBook, region: str, engine: Engine) -> list[tuple[float, float]]:
    """(USD/hour, usable GiB) of every priced node type: the figures the cost bound needs."""
    figures = []
    for node, price in book.priced_nodes(region, engine):
        cap = node_capacity(node, engine)
        figures.append((float(price.usd_per_hour),
                        cap.usable_capacity_gib if node.has_data_tiering else cap.usable_memory_gib))
    return figures


def _cheapest(workload: Workload, book: PriceBook, engine: Engine, shard_limit: int | None) -> Candidate | None:
    """optimizer.search's best candidate. With `shard_limit` the search enumerates fewer shard counts, and the
    answer is kept only when no design beyond the limit could be cheaper: every such design costs at least
    its node price x max(limit + 1, the shards its memory alone needs) x (1 + the fewest replicas) x 730 h."""
    if shard_limit is None:
        return search(workload, book, engine, top=1).best
    _, max_shards, min_replicas, _ = _ranges(workload, engine)
    if max_shards <= shard_limit:
        return search(workload, book, engine, top=1).best
    best = search(workload, book, engine, top=1, shard_limit=shard_limit).best
    if best is not None:
        capacity = demand_of(workload).capacity_gib
        floor = math.inf
        for hourly, usable in _node_figures(book, workload.region, engine):
            shards = max(shard_limit + 1, math.ceil(capacity / usable) if usable > 0 else shard_limit + 1)
            floor = min(floor, hourly * shards * (1 + min_replicas) * float(HOURS_PER_MONTH))
        if float(best.on_demand_monthly) < floor:
            return best
    return search(workload, book, engine, top=1).best


def decide(workload: Workload, book: PriceBook, engine: Engine, shard_limit: int | None = None) -> Design:
    """The design the advisor would recommend for this workload (engine held fixed)."""
    best = _cheapest(workload, book, engine, shard_limit)
    fit = assess_serverless(workload, book, engine)
    deployment, _ = choose_deployment(workload, fit, best)
    if deployment == "serverless" and fit.estimate is not None:
        return Design("serverless", None, 0, 0, False, fit.estimate.monthly)
    if deployment == "provisioned" and best is not None:
        return Design("provisioned", best.node_type, best.shards, best.replicas_per_shard, best.data_tiering,
                      best.on_demand_monthly, engine)
    return Design(None, None, 0, 0, False, None)


@dataclass(frozen=True)
class Axis:
    """One input the search moves: how to read it, how to set it, and the range the model accepts."""

    key: str
    label: str
    unit: str
    current: Callable[[Workload], float]
    apply: Callable[[Workload, float], Workload]
    low: Callable[[Workload], float]
    high: Callable[[Workload], float]


def _scaled_peak(peak: float | None, old_avg: float, new_avg: float) -> float | None:
    return None if peak is None or old_avg == 0 else peak * new_avg / old_avg


def _changed(w: Workload, **changes: object) -> Workload:
    """A copy with some inputs moved. The values come from inside the ranges the axes allow, so the copy skips
    re-validation (the full parser costs more than the optimizer run it feeds)."""
    return w.model_copy(update=changes)


def _set_dataset(w: Workload, at_horizon: float) -> Workload:
    return _changed(w, dataset_gb=at_horizon / w.growth_factor, item_count=None)


def _set_reads(w: Workload, reads: float) -> Workload:
    return _changed(w, avg_reads_per_sec=reads,
                          peak_reads_per_sec=_scaled_peak(w.peak_reads_per_sec, w.avg_reads_per_sec, reads))


def _set_writes(w: Workload, writes: float) -> Workload:
    return _changed(w, avg_writes_per_sec=writes,
                          peak_writes_per_sec=_scaled_peak(w.peak_writes_per_sec, w.avg_writes_per_sec, writes))


def _set_value(w: Workload, value: float) -> Workload:
    # A dataset typed in GB stays put; one derived from item_count grows with the values.
    return _changed(w, avg_value_bytes=max(1, round(value)))


def peak_ratio(w: Workload) -> float:
    average = w.avg_reads_per_sec + w.avg_writes_per_sec
    return (w.peak_reads + w.peak_writes) / average if average else w.peak_to_average


def _set_peak_ratio(w: Workload, ratio: float) -> Workload:
    return _changed(w, peak_to_average=ratio, peak_reads_per_sec=None, peak_writes_per_sec=None)



def _requests(w: Workload) -> float:
    return w.avg_reads_per_sec + w.avg_writes_per_sec


def _set_requests(w: Workload, requests: float) -> Workload:
    scale = requests / _requests(w)
    return _set_writes(_set_reads(w, w.avg_reads_per_sec * scale), w.avg_writes_per_sec * scale)


AXES: tuple[Axis, ...] = (
    Axis("avg_requests_per_sec", "Average requests/s (reads and writes together)", "requests/s", _requests,
         _set_requests, lambda w: _requests(w) / RANGE_FACTOR,
         lambda w: min(_requests(w) * RANGE_FACTOR, MAX_REQUESTS_PER_SEC / (2 * peak_ratio(w)))),
    Axis("dataset_gb_at_horizon", "Dataset at the horizon", "GB", lambda w: w.dataset_gb_at_horizon, _set_dataset,
         lambda w: w.dataset_gb_at_horizon / RANGE_FACTOR,
         lambda w: min(w.dataset_gb_at_horizon * RANGE_FACTOR, MAX_DATASET_GB * w.growth_factor * 0.999)),
    Axis("avg_reads_per_sec", "Average reads/s", "reads/s", lambda w: w.avg_reads_per_sec, _set_reads,
         lambda w: w.avg_reads_per_sec / RANGE_FACTOR,
         lambda w: min(w.avg_reads_per_sec * RANGE_FACTOR, MAX_REQUESTS_PER_SEC / (2 * peak_ratio(w)))),
    Axis("avg_writes_per_sec", "Average writes/s", "writes/s", lambda w: w.avg_writes_per_sec, _set_writes,
         lambda w: w.avg_writes_per_sec / RANGE_FACTOR,
         lambda w: min(w.avg_writes_per_sec * RANGE_FACTOR, MAX_REQUESTS_PER_SEC / (2 * peak_ratio(w)))),
    Axis("avg_value_bytes", "Average value size", "bytes", lambda w: float(w.avg_value_bytes), _set_value,
         lambda w: max(1.0, w.avg_value_bytes / RANGE_FACTOR),
         lambda w: min(w.avg_value_bytes * RANGE_FACTOR, float(MAX_ITEM_BYTES))),
    Axis("peak_to_average", "Peak-to-average traffic", "x", peak_ratio, _set_peak_ratio,
         lambda w: max(1.0, peak_ratio(w) / RANGE_FACTOR), lambda w: min(peak_ratio(w) * RANGE_FACTOR, 1000.0)),
    Axis("hot_set_percent", "Hot-set share", "%", lambda w: w.hot_set_percent,
         lambda w, v: _changed(w, hot_set_percent=v),
         lambda w: w.hot_set_percent / RANGE_FACTOR, lambda w: min(100.0, w.hot_set_percent * RANGE_FACTOR)),
)
GROWTH_KEY = "monthly_growth_percent"


@dataclass(frozen=True)
class Flip:
    """The nearest value of one input, in one direction, at which the recommended design changes."""

    input: str
    label: str
    unit: str
    direction: Direction
    current: float
    threshold: float  # first value (within 1%) at which the design is different
    changes: tuple[str, ...]  # decisions that change, from DECISIONS
    before: str
    after: str
    monthly_after: Decimal | None
    monthly_delta: Decimal | None  # after minus today's design's monthly cost

    @property
    def change_percent(self) -> float:
        return (self.threshold / self.current - 1) * 100 if self.current else 0.0

    @property
    def sentence(self) -> str:
        side = "falls below" if self.direction == "down" else "rises above"
        cost = ""
        if self.monthly_after is not None:
            delta = ""
            if self.monthly_delta is not None:
                sign = "+" if self.monthly_delta >= 0 else "-"
                delta = f", {sign}{fmt_usd(abs(self.monthly_delta))}/month"
            cost = f" ({fmt_usd(self.monthly_after)}/month{delta})"
        return (f"When {self.label[0].lower()}{self.label[1:]} {side} {format_value(self.threshold, self.unit)} "
                f"(today {format_value(self.current, self.unit)}): {self.after} instead of {self.before}{cost}.")


@dataclass(frozen=True)
class Holds:
    """An input in one direction where nothing changes within the searched range."""

    input: str
    label: str
    unit: str
    direction: Direction
    current: float
    searched_to: float


@dataclass(frozen=True)
class DecisionSummary:
    decision: str
    nearest: Flip | None
    note: str


@dataclass(frozen=True)
class FlipAnalysis:
    design: Design
    flips: tuple[Flip, ...]
    holds: tuple[Holds, ...]
    decisions: tuple[DecisionSummary, ...]
    probes: int  # optimizer runs made
    skipped: tuple[str, ...] = field(default_factory=tuple)  # inputs not searched, with the reason

    def tornado(self) -> list[tuple[str, float | None, float | None]]:
        """Per input: % change to the nearest flip down (negative) and up (positive); None when none."""
        rows: dict[str, list[float | None]] = {}
        labels: dict[str, str] = {}
        for flip in self.flips:
            labels[flip.input] = flip.label
            slot = rows.setdefault(flip.input, [None, None])
            slot[0 if flip.direction == "down" else 1] = flip.change_percent
        for hold in self.holds:
            labels[hold.input] = hold.label
            rows.setdefault(hold.input, [None, None])
        return [(labels[key], down, up) for key, (down, up) in rows.items()]


def format_value(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value:.3g}%"
    if unit == "x":
        return f"{value:.3g}x"
    if unit == "GB":
        return f"{value:,.3g} GB" if value < 100 else f"{value:,.0f} GB"
    digits = f"{value:.2g}" if value < 100 else f"{float(f'{value:.2g}'):,.0f}"
    return f"{digits} {unit}"


# Probes enumerate at most this many shards (or 3x today's), unless the cost bound says more could be cheaper.
PROBE_SHARD_LIMIT = 48


class _Prober:
    def __init__(self, book: PriceBook, engine: Engine, base_shards: int) -> None:
        self.book, self.engine, self.runs = book, engine, 0
        self.shard_limit = max(PROBE_SHARD_LIMIT, 3 * base_shards)

    def design(self, axis: Axis, workload: Workload, value: float) -> Design | None:
        try:
            changed = axis.apply(workload, value)
        except InvalidWorkload:
            return None
        self.runs += 1
        return decide(changed, self.book, self.engine, self.shard_limit)


def _search_axis(prober: _Prober, axis: Axis, workload: Workload, base: Design,
                 direction: Direction) -> Flip | Holds | None:
    current = axis.current(workload)
    end = axis.low(workload) if direction == "down" else axis.high(workload)
    if current <= 0 or end <= 0 or math.isclose(end, current, rel_tol=TOLERANCE):
        return None
    same, different, found = current, end, None
    for step in BRACKET_STEPS:
        value = current * (end / current) ** step
        design = prober.design(axis, workload, value)
        if design is None:
            different = value
            break
        if design != base:
            different, found = value, design
            break
        same = value
    if found is None:
        return Holds(axis.key, axis.label, axis.unit, direction, current, same)
    while abs(math.log(different / same)) > math.log(1 + TOLERANCE):
        middle = math.sqrt(same * different)
        design = prober.design(axis, workload, middle)
        if design is not None and design == base:
            same = middle
        elif design is not None:
            different, found = middle, design
        else:
            different = middle
    return Flip(axis.key, axis.label, axis.unit, direction, current, different, found.changed(base),
                base.describe(), found.describe(), found.monthly,
                None if found.monthly is None or base.monthly is None else found.monthly - base.monthly)


def _growth_flips(workload: Workload, dataset_flips: list[Flip]) -> list[Flip]:
    """Growth acts only through the dataset at the horizon, so its thresholds follow from the dataset's."""
    if workload.horizon_months == 0 or workload.current_dataset_gb == 0:
        return []
    flips = []
    for flip in dataset_flips:
        growth = ((flip.threshold / workload.current_dataset_gb) ** (1 / workload.horizon_months) - 1) * 100
        if 0 <= growth <= 100:
            flips.append(Flip(GROWTH_KEY, "Monthly growth", "%", flip.direction,
                              workload.monthly_growth_percent, growth, flip.changes, flip.before, flip.after,
                              flip.monthly_after, flip.monthly_delta))
    return flips


def _engine_note(workload: Workload, rec: Recommendation) -> str:
    if rec.engine_choice.forced:
        return f"forced to {ENGINE_LABELS[rec.engine]} by the workload; no traffic or size input changes it"
    if rec.engine == "memcached":
        return "follows the features: any rich data type, replication, snapshots or auth would make it Valkey"
    blockers = memcached_blockers(workload)
    return ("follows the features, not these inputs: Memcached would need only multithreaded GET/SET with no "
            f"replication, snapshots or auth ({count_noun(len(blockers), 'blocker')} today)")


def _summaries(rec: Recommendation, flips: list[Flip]) -> tuple[DecisionSummary, ...]:
    summaries = [DecisionSummary("engine", None, _engine_note(rec.workload, rec))]
    for decision in (MEMCACHED_DECISIONS if rec.engine == "memcached" else DECISIONS)[1:]:
        related = [f for f in flips if decision in f.changes]
        nearest = min(related, key=lambda f: abs(math.log(f.threshold / f.current)) if f.current else math.inf,
                      default=None)
        note = nearest.sentence if nearest else "holds for every input searched (1/10x to 10x of today's value)"
        summaries.append(DecisionSummary(decision, nearest, note))
    return tuple(summaries)


def what_changes_the_answer(rec: Recommendation, book: PriceBook) -> FlipAnalysis:
    """The nearest flip of each input in each direction, and per decision the nearest input that flips it."""
    workload = rec.workload
    base = decide(workload, book, rec.engine)
    prober = _Prober(book, rec.engine, base.shards)
    flips: list[Flip] = []
    holds: list[Holds] = []
    skipped: list[str] = []
    for axis in AXES:
        if axis.current(workload) <= 0:
            skipped.append(f"{axis.label}: 0 today, nothing to scale")
            continue
        for direction in ("down", "up"):
            outcome = _search_axis(prober, axis, workload, base, direction)  # type: ignore[arg-type]
            if isinstance(outcome, Flip):
                flips.append(outcome)
            elif isinstance(outcome, Holds):
                holds.append(outcome)
    flips += _growth_flips(workload, [f for f in flips if f.input == "dataset_gb_at_horizon"])
    if workload.horizon_months == 0:
        skipped.append("Monthly growth: the planning horizon is 0 months")
    return FlipAnalysis(base, tuple(flips), tuple(holds), _summaries(rec, flips), prober.runs, tuple(skipped))
