"""When the design stops fitting: month by month, memory, engine CPU and network of the recommended design
against their alarm levels, the first month each is crossed, the step to take then, and the cost line.

Data grows at the workload's monthly growth; traffic grows at `traffic_growth_percent` (by default the same
rate: a cache that holds more usually serves more; a planning assumption, stated with the result).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from advisor.choices import assess_serverless
from advisor.money import HOURS_PER_MONTH
from advisor.optimizer import MAX_REPLICAS, MEMCACHED_MAX_NODES, Demand, demand_of
from advisor.pricing.book import PriceBook
from advisor.pricing.schema import Engine, NodeType
from advisor.recommendation import Recommendation
from advisor.workload import Workload

from .load import CPU_LIMIT, MEMORY_LIMIT, NETWORK_LIMIT, Load, Shape, load_of

PLAN_MONTHS = 36
SIZE_AHEAD_MONTHS = 12  # a step sizes for the year after it, so the next step is not next month
SIZE_ORDER = ("micro", "small", "medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge",
              "16xlarge", "24xlarge")
LIMITS = {"memory": MEMORY_LIMIT, "cpu": CPU_LIMIT, "network": NETWORK_LIMIT}
METRIC_WORDS = {"memory": "memory used", "cpu": "engine CPU", "network": "network"}


@dataclass(frozen=True)
class MonthPoint:
    month: int
    dataset_gb: float
    memory: float  # share of usable memory, of the design running that month
    cpu: float
    network: float
    design: str
    node_count: int
    monthly: Decimal
    node_type: str | None = None  # None on Serverless


@dataclass(frozen=True)
class Step:
    month: int
    trigger: str  # memory | cpu | network
    action: str  # add shards | scale up | add replicas | add nodes
    before: str
    after: str
    monthly_before: Decimal
    monthly_after: Decimal
    disruption: str

    @property
    def sentence(self) -> str:
        return (f"Month {self.month}: {METRIC_WORDS[self.trigger]} passes {LIMITS[self.trigger]:.0%}: "
                f"{self.action} ({self.before} -> {self.after}), ${self.monthly_before:,.2f} -> "
                f"${self.monthly_after:,.2f}/month. {self.disruption}")


@dataclass(frozen=True)
class Timeline:
    months: int
    traffic_growth_percent: float
    points: tuple[MonthPoint, ...]
    first_crossing: dict[str, int | None]  # month the design as recommended crosses each limit (None: never)
    steps: tuple[Step, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def total(self) -> Decimal:
        return sum((p.monthly for p in self.points[1:]), Decimal(0))


def _at_month(workload: Workload, dataset_gb: float) -> Workload:
    """The workload holding a month's data with no further growth. The dataset only grows from a validated
    one, so the copy skips re-validation (the full parser would dominate the month-by-month loop)."""
    return workload.model_copy(update={"dataset_gb": dataset_gb, "item_count": None, "horizon_months": 0,
                                       "monthly_growth_percent": 0.0})


def _scaled(workload: Workload, month: int, traffic_growth_percent: float) -> tuple[Demand, float]:
    dataset = workload.current_dataset_gb * (1 + workload.monthly_growth_percent / 100) ** month
    at_month = _at_month(workload, dataset)
    traffic = (1 + traffic_growth_percent / 100) ** month
    return demand_of(at_month, traffic), dataset


def _monthly(book: PriceBook, region: str, engine: Engine, shape: Shape) -> Decimal:
    price = book.node_price(region, engine, shape.node.node_type)
    assert price is not None
    return price.usd_per_hour * HOURS_PER_MONTH * shape.node_count


def _bigger_nodes(book: PriceBook, region: str, engine: Engine, node: NodeType) -> list[NodeType]:
    """Larger sizes of the same family priced in the Region, smallest first (a vertical scale stays in family)."""
    rank = SIZE_ORDER.index(node.size) if node.size in SIZE_ORDER else len(SIZE_ORDER)
    bigger = [n for n, _ in book.priced_nodes(region, engine)
              if n.family == node.family and n.size in SIZE_ORDER and SIZE_ORDER.index(n.size) > rank]
    return sorted(bigger, key=lambda n: SIZE_ORDER.index(n.size))


def _fits(shape: Shape, demand: Demand, engine: Engine, reads_spread: bool) -> bool:
    return not load_of(shape, demand, engine, reads_spread).over()


CLUSTER_MODE_STEP = "move to cluster mode and add shards"


def _next_step(book: PriceBook, workload: Workload, engine: Engine, shape: Shape, trigger: str,
               target: Demand, cluster_mode: bool) -> tuple[Shape, str, str] | None:
    """The cheapest single kind of step that carries `target` (the demand a year on)."""
    spread = workload.read_from_replicas
    options: list[tuple[Shape, str, str]] = []
    if engine != "memcached" and not cluster_mode and workload.client_cluster_aware:
        for count in range(shape.shards + 1, 501):
            grown = Shape(shape.node, count, shape.replicas)
            if grown.node_count > 500:
                break
            if _fits(grown, target, engine, spread):
                options.append((grown, CLUSTER_MODE_STEP, (
                    "Disruptive once: set cluster mode to 'compatible', move clients to the configuration "
                    "endpoint, then 'enabled' (Valkey 7.2+/Redis OSS 7.0+); later shards are added online.")))
                break
    if engine == "memcached":
        for count in range(shape.shards + 1, MEMCACHED_MAX_NODES + 1):
            grown = Shape(shape.node, count, 0)
            if _fits(grown, target, engine, spread):
                options.append((grown, "add nodes", "Online; about 1/N of keys move to the new node and miss "
                                                    "once (extra database reads while they refill)."))
                break
    elif cluster_mode:
        for count in range(shape.shards + 1, 501):
            grown = Shape(shape.node, count, shape.replicas)
            if grown.node_count > 500:
                break
            if _fits(grown, target, engine, spread):
                options.append((grown, "add shards", "Online resharding: no downtime; slot migration adds load "
                                                     "while it runs."))
                break
    if trigger in ("cpu", "network") and spread and engine != "memcached":
        for replicas in range(shape.replicas + 1, MAX_REPLICAS + 1):
            grown = Shape(shape.node, shape.shards, replicas)
            if _fits(grown, target, engine, spread):
                options.append((grown, "add replicas", "Online: a new replica syncs from its primary; reads "
                                                       "spread once it is in the reader endpoint."))
                break
    for node in _bigger_nodes(book, workload.region, engine, shape.node):
        grown = Shape(node, shape.shards, shape.replicas)
        if _fits(grown, target, engine, spread):
            options.append((grown, "scale up", "Online vertical scaling: nodes are replaced one by one; expect a "
                                               "failover-like pause of seconds per shard."))
            break
    if not options:
        return None
    return min(options, key=lambda o: _monthly(book, workload.region, engine, o[0]))


def _plan_months(workload: Workload) -> int:
    return max(workload.horizon_months, PLAN_MONTHS)


def design_timeline(rec: Recommendation, book: PriceBook, traffic_growth_percent: float | None = None) -> Timeline:
    """Month 0 to max(horizon, 36): the recommended design's load, with the steps growth forces."""
    workload = rec.workload
    growth = workload.monthly_growth_percent if traffic_growth_percent is None else traffic_growth_percent
    months = _plan_months(workload)
    notes = [f"Data grows {workload.monthly_growth_percent:g}%/month; traffic {growth:g}%/month "
             f"({'assumed to follow the data' if traffic_growth_percent is None else 'as given'})."]
    if rec.deployment == "serverless" or rec.topology is None:
        return _serverless_timeline(rec, book, months, growth, notes)
    topo = rec.topology
    engine = rec.engine
    original = shape = Shape(book.nodes[topo.node_type], topo.shards, topo.replicas_per_shard)
    cluster_mode = topo.cluster_mode_enabled or (engine != "memcached" and workload.client_cluster_aware
                                                 and topo.shards > 1)
    if engine != "memcached" and not cluster_mode and not workload.client_cluster_aware:
        notes.append("Cluster mode is disabled and the client is not cluster-aware: growth is met by scaling up or "
                     "adding replicas only.")
    first: dict[str, int | None] = dict.fromkeys(LIMITS)
    points: list[MonthPoint] = []
    steps: list[Step] = []
    stuck = False
    for month in range(months + 1):
        demand, dataset = _scaled(workload, month, growth)
        for name in load_of(original, demand, engine, workload.read_from_replicas).over():
            if first[name] is None:
                first[name] = month
        load = load_of(shape, demand, engine, workload.read_from_replicas)
        over = load.over()
        if over and month > 0 and not stuck:
            ahead, _ = _scaled(workload, min(month + SIZE_AHEAD_MONTHS, months), growth)
            # Sized for a year on; if no single step carries that, for this month's load.
            step = (_next_step(book, workload, engine, shape, over[0], ahead, cluster_mode)
                    or _next_step(book, workload, engine, shape, over[0], demand, cluster_mode))
            if step is None:
                stuck = True
                notes.append(f"Month {month}: no single step on {shape.node.family} carries the load; re-run the "
                             "recommendation for that month's data and traffic.")
            else:
                grown, action, disruption = step
                before, after = _monthly(book, workload.region, engine, shape), _monthly(
                    book, workload.region, engine, grown)
                steps.append(Step(month, over[0], action, shape.describe(engine), grown.describe(engine), before, after,
                                  disruption))
                shape = grown
                cluster_mode = cluster_mode or action == CLUSTER_MODE_STEP
                load = load_of(shape, demand, engine, workload.read_from_replicas)
        points.append(_point(month, dataset, load, shape, engine, _monthly(book, workload.region, engine, shape)))
    already = [METRIC_WORDS[name] for name, month in first.items() if month == 0]
    if already:
        notes.append(f"The recommended design starts above the alarm level for {', '.join(already)}: it is sized "
                     "to fit at peak, not to stay under the 75%/70% alarms; the first step comes in month 1.")
    return Timeline(months, growth, tuple(points), first, tuple(steps), tuple(notes))


def _point(month: int, dataset: float, load: Load, shape: Shape, engine: Engine,
           monthly: Decimal) -> MonthPoint:
    return MonthPoint(month, dataset, load.memory, load.cpu, load.network, shape.describe(engine), shape.node_count,
                      monthly, shape.node.node_type)


def _serverless_timeline(rec: Recommendation, book: PriceBook, months: int, growth: float,
                         notes: list[str]) -> Timeline:
    workload = rec.workload
    points = []
    for month in range(months + 1):
        dataset = workload.current_dataset_gb * (1 + workload.monthly_growth_percent / 100) ** month
        at_month = _at_month(workload, dataset)
        fit = assess_serverless(at_month, book, rec.engine, traffic_scale=(1 + growth / 100) ** month)
        monthly = fit.estimate.monthly if fit.estimate is not None else Decimal(0)
        points.append(MonthPoint(month, dataset, math.nan, math.nan, math.nan, "Serverless", 0, monthly))
        if not fit.feasible and not any("Serverless stops fitting" in n for n in notes):
            notes.append(f"Month {month}: Serverless stops fitting ({'; '.join(fit.blockers)}): plan a node-based "
                         "cluster before then.")
    notes.append("Serverless scales memory and compute on its own: no steps to plan, the bill follows use.")
    return Timeline(months, growth, tuple(points), dict.fromkeys(LIMITS), (), tuple(notes))
