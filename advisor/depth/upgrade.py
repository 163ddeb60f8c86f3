"""Stay or upgrade: a Redis OSS cluster, month by month, staying (node price plus the Extended Support surcharge
from advisor/costs/extended_support.py, facts file 1.3 dates) against moving to Valkey now (Valkey's node price,
no surcharge), with the payback of any one-off migration cost and the date staying gets dearer.

The upgrade path is AWS's in-place cross-engine upgrade (modify-replication-group --engine valkey): no downtime
from Redis OSS 5.0.6 up; from older versions a 30-60 s failover while DNS propagates; a single-node cluster
(cluster mode disabled) first becomes a replication group; a custom parameter group needs a Valkey one
(docs: VersionManagement.HowTo, cross-engine upgrade).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from advisor.commands.aws_cli import Command, cluster_id_from_name
from advisor.costs.extended_support import extended_support_cost
from advisor.money import HOURS_PER_MONTH
from advisor.pricing.book import PriceBook
from advisor.recommendation import Recommendation
from advisor.versions import parse_version, planned_version

UPGRADE_DOC = "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/VersionManagement.HowTo.html"
EXTENDED_SUPPORT_DOC = "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/extended-support.html"
VALKEY_TARGET = "8.0"  # the version AWS's cross-engine upgrade example uses; any Valkey in standard support works
NO_DOWNTIME_FROM = (5, 0, 6)


@dataclass(frozen=True)
class UpgradeMonth:
    month: int
    starts: dt.date
    stay: Decimal  # Redis OSS nodes + Extended Support surcharge
    surcharge: Decimal
    upgrade: Decimal  # Valkey nodes


@dataclass(frozen=True)
class StayOrUpgrade:
    engine_version: str
    region: str
    node_type: str
    node_count: int
    months: tuple[UpgradeMonth, ...]
    migration_cost: Decimal
    payback_month: int | None  # first month the cumulative saving covers the one-off migration cost
    dearer_on: dt.date | None  # next date staying costs more (a surcharge starts or rises)
    dearer_why: str
    path: str
    in_place: bool
    is_estimate: bool
    commands: tuple[Command, ...]
    notes: tuple[str, ...]

    @property
    def stay_total(self) -> Decimal:
        return sum((m.stay for m in self.months), Decimal(0))

    @property
    def upgrade_total(self) -> Decimal:
        return sum((m.upgrade for m in self.months), Decimal(0)) + self.migration_cost

    @property
    def saving(self) -> Decimal:
        return self.stay_total - self.upgrade_total


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    return dt.date(day.year + index // 12, index % 12 + 1, 1)


def _path(version: str) -> tuple[str, bool]:
    try:
        parsed = parse_version(version)
    except ValueError:
        return f"Redis OSS {version}: check the console's upgrade targets for this version.", True
    if parsed >= NO_DOWNTIME_FROM:
        return (f"In place: modify the replication group to Valkey {VALKEY_TARGET}; from Redis OSS {version} AWS "
                "reports no downtime; endpoints do not change."), True
    return (f"In place, with a short interruption: from Redis OSS {version} (before 5.0.6) expect a 30-60 s "
            "failover while DNS propagates; endpoints do not change."), True


def stay_or_upgrade(
    book: PriceBook, *, engine_version: str, region: str, node_type: str, node_count: int, today: dt.date,
    months: int = 36, migration_cost: Decimal = Decimal(0), name: str = "cluster",
) -> StayOrUpgrade | None:
    """Month 1 is the month `today` falls in. None when a Redis OSS or Valkey price for the node is missing."""
    redis = book.node_price(region, "redis", node_type)
    valkey = book.node_price(region, "valkey", node_type)
    if redis is None or valkey is None:
        return None
    redis_month = redis.usd_per_hour * HOURS_PER_MONTH * node_count
    valkey_month = valkey.usd_per_hour * HOURS_PER_MONTH * node_count
    start = today.replace(day=1)
    rows = []
    estimate = False
    for month in range(1, months + 1):
        on = _add_months(start, month - 1)
        charge = extended_support_cost(book, engine="redis", engine_version=engine_version, region=region,
                                       node_type=node_type, node_count=node_count, on=on)
        estimate = estimate or (charge.charged and charge.is_estimate)
        # Once Extended Support has ended AWS upgrades the cache to Valkey itself: staying costs Valkey's price.
        stay = valkey_month if charge.status == "ended" else redis_month + charge.monthly
        rows.append(UpgradeMonth(month, on, stay, charge.monthly, valkey_month))
    today_charge = extended_support_cost(book, engine="redis", engine_version=engine_version, region=region,
                                         node_type=node_type, node_count=node_count, on=today)
    step = today_charge.next_step
    dearer_on = step.starts if step is not None else None
    dearer_why = (f"{step.label} starts on {step.starts.isoformat()}" if step is not None
                  else "no further Extended Support step is scheduled" if today_charge.steps
                  else f"Redis OSS {engine_version} has no announced end of standard support")
    saved = Decimal(0)
    payback = None
    for row in rows:
        saved += row.stay - row.upgrade
        if saved >= migration_cost and saved > 0:
            payback = row.month
            break
    path, in_place = _path(engine_version)
    group = cluster_id_from_name(name)
    commands = (Command(f"Upgrade {group} from Redis OSS {engine_version} to Valkey {VALKEY_TARGET} in place",
                        ("aws", "elasticache", "modify-replication-group", "--replication-group-id", group,
                         "--engine", "valkey", "--engine-version", VALKEY_TARGET, "--apply-immediately",
                         "--region", region)),)
    notes = [today_charge.note,
             "A custom parameter group must be replaced by a Valkey one in the same call "
             "(--cache-parameter-group-name).",
             "A single-node cluster (cluster mode disabled) must first become a replication group."]
    if migration_cost == 0:
        notes.append("No one-off migration cost given: the upgrade has no AWS charge, so it pays from month 1; "
                     "give your testing effort as a cost to see its payback.")
    return StayOrUpgrade(engine_version, region, node_type, node_count, tuple(rows), migration_cost, payback,
                         dearer_on, dearer_why, path, in_place, estimate, commands, tuple(notes))


def for_recommendation(rec: Recommendation, book: PriceBook, today: dt.date,
                       migration_cost: Decimal = Decimal(0)) -> StayOrUpgrade | None:
    """Stay-or-upgrade for a Redis OSS node-based design: the pinned version, else the one it would be built on."""
    topo = rec.topology
    if rec.engine != "redis" or topo is None:
        return None
    version = rec.workload.constraints.engine_version or planned_version(
        "redis", rec.workload, cluster_mode_enabled=topo.cluster_mode_enabled, data_tiering=topo.data_tiering,
        today=today).version
    if version is None:
        return None
    return stay_or_upgrade(book, engine_version=version, region=rec.workload.region, node_type=topo.node_type,
                           node_count=topo.node_count, today=today, months=max(36, rec.workload.horizon_months),
                           migration_cost=migration_cost, name=rec.workload.name)
