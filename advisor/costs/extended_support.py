"""Extended Support: the surcharge AWS adds to Redis OSS nodes past the end of standard support.

Facts file section 1.3 (ES-DOC, ES-CHG):
- charges start the first day of the month after standard support ends and stop when the cache is upgraded
  to a version in standard support (or deleted); Extended Support lasts up to three years;
- Redis OSS 4 and 5: standard support ended 2026-01-31, charged from 2026-02-01 until 2029-01-31;
  Redis OSS 6: standard support ends 2027-01-31, charged from 2027-02-01 (support windows: advisor/versions.py);
- the surcharge is a per node-hour rate: years 1-2 one rate, year 3 a higher one. AWS publishes it per Region
  and node type as Price List SKUs (ExtendedSupportYr1_Yr2-NodeUsage, ExtendedSupportYr3-NodeUsage); where
  one is bundled (other_rates.csv) it is used as published, otherwise it is estimated from AWS's documented
  shares of the on-demand Redis OSS node price (80% in years 1-2, 160% in year 3) and labelled an estimate.

One function, `extended_support_cost`, takes the version as an argument so a design, a live cluster or a
fleet row can all be priced the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from advisor.costs.lines import CostLine
from advisor.money import HOURS_PER_MONTH
from advisor.pricing.book import PriceBook
from advisor.pricing.schema import Basis
from advisor.versions import EngineRelease, parse_version, release, releases_of
from advisor.wording import count_noun

DOC = "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/extended-support.html"
# AWS's documented surcharge as a share of the on-demand node price (facts file 1.3).
ESTIMATE_SHARE = {"yr1_yr2": Decimal("0.8"), "yr3": Decimal("1.6")}
RATE_ITEMS = {"yr1_yr2": "extended_support_yr1_yr2", "yr3": "extended_support_yr3"}
STEP_LABELS = {"yr1_yr2": "Extended Support years 1-2", "yr3": "Extended Support year 3"}

Status = Literal["not_applicable", "standard_support", "not_started", "charged", "ended"]


@dataclass(frozen=True)
class SurchargeStep:
    """One price step of Extended Support: from `starts` to `ends` (inclusive) at a per node-hour rate."""

    key: str  # yr1_yr2 | yr3
    label: str
    starts: dt.date
    ends: dt.date
    usd_per_node_hour: Decimal | None  # None: no price could be found or estimated
    basis: Basis
    source: str

    def covers(self, day: dt.date) -> bool:
        return self.starts <= day <= self.ends


@dataclass(frozen=True)
class ExtendedSupportCharge:
    """What Extended Support costs a cluster on a given day, every step with its start date, and what moving
    to Valkey saves."""

    engine: str
    engine_version: str
    region: str
    node_type: str
    node_count: int
    on: dt.date
    status: Status
    standard_support_ends: dt.date | None
    steps: tuple[SurchargeStep, ...]
    current: SurchargeStep | None
    monthly: Decimal  # surcharge per month on `on` (0 when not charged)
    valkey_saving_monthly: Decimal | None  # surcharge plus the Valkey node discount; None when not Redis OSS
    note: str

    @property
    def charged(self) -> bool:
        return self.status == "charged" and self.monthly > 0

    @property
    def is_estimate(self) -> bool:
        return self.current is not None and self.current.basis == Basis.ESTIMATE

    @property
    def next_step(self) -> SurchargeStep | None:
        """The first step that has not started on `on` (the date the next charge or increase starts)."""
        return next((step for step in self.steps if step.starts > self.on), None)

    def line(self) -> CostLine | None:
        """The surcharge as a monthly cost line, or None when nothing is charged."""
        if not self.charged or self.current is None or self.current.usd_per_node_hour is None:
            return None
        return CostLine(
            name=f"{self.current.label} surcharge (Redis OSS {self.engine_version})", unit="node-hours",
            quantity=Decimal(self.node_count) * HOURS_PER_MONTH, unit_price=self.current.usd_per_node_hour,
            basis=self.current.basis,
            note=f"{count_noun(self.node_count, 'node')} x {HOURS_PER_MONTH} h; charged "
                 f"{self.current.starts.isoformat()} to {self.current.ends.isoformat()}; {self.current.source}",
        )


def _release(engine: str, version: str) -> EngineRelease | None:
    try:
        known = release(engine, version)
    except ValueError:
        return None
    if known is not None:
        return known
    # An unlisted minor (e.g. 5.0.0) shares its major version's support window.
    major = parse_version(version)[0]
    return next((r for r in releases_of(engine) if parse_version(r.version)[0] == major), None)


def _steps(book: PriceBook, region: str, node_type: str, standard_end: dt.date,
           extended_end: dt.date) -> tuple[SurchargeStep, ...]:
    year1 = standard_end + dt.timedelta(days=1)  # the first day of the month after standard support ends
    year3 = year1.replace(year=year1.year + 2)
    windows = {"yr1_yr2": (year1, year3 - dt.timedelta(days=1)), "yr3": (year3, extended_end)}
    node = book.node_price(region, "redis", node_type)
    steps = []
    for key, (starts, ends) in windows.items():
        published = book.other_rate(RATE_ITEMS[key], region, "redis", node_type)
        if published is not None and published.node_type == node_type:
            rate, basis = published.usd, published.basis
            source = f"published Price List SKU ({published.source_date}; {published.source})"
        elif node is not None:
            rate, basis = node.usd_per_hour * ESTIMATE_SHARE[key], Basis.ESTIMATE
            source = (f"ESTIMATE: {ESTIMATE_SHARE[key]:.0%} of the Redis OSS on-demand ${node.usd_per_hour}/h "
                      f"({region}), AWS's documented share; no per-Region SKU bundled")
        else:
            rate, basis, source = None, Basis.ESTIMATE, f"not priced: no Redis OSS {node_type} price in {region}"
        steps.append(SurchargeStep(key, STEP_LABELS[key], starts, ends, rate, basis, source))
    return tuple(steps)


def _valkey_saving(book: PriceBook, region: str, node_type: str, node_count: int, surcharge: Decimal) -> Decimal:
    redis, valkey = book.node_price(region, "redis", node_type), book.node_price(region, "valkey", node_type)
    node_discount = Decimal(0)
    if redis is not None and valkey is not None:
        node_discount = (redis.usd_per_hour - valkey.usd_per_hour) * node_count * HOURS_PER_MONTH
    return surcharge + node_discount


def extended_support_cost(
    book: PriceBook, *, engine: str, engine_version: str, region: str, node_type: str, node_count: int,
    on: dt.date,
) -> ExtendedSupportCharge:
    """The Extended Support surcharge for `node_count` nodes of `node_type` in `region` on the day `on`."""
    base = {"engine": engine, "engine_version": engine_version, "region": region, "node_type": node_type,
            "node_count": node_count, "on": on}
    if engine != "redis":
        return ExtendedSupportCharge(**base, status="not_applicable", standard_support_ends=None, steps=(),
                                     current=None, monthly=Decimal(0), valkey_saving_monthly=None,
                                     note="Extended Support applies to Redis OSS 4, 5 and 6 only.")
    known = _release(engine, engine_version)
    if known is None or known.standard_support_ends is None or known.extended_support_ends is None:
        saving = _valkey_saving(book, region, node_type, node_count, Decimal(0))
        return ExtendedSupportCharge(**base, status="standard_support", standard_support_ends=None, steps=(),
                                     current=None, monthly=Decimal(0), valkey_saving_monthly=saving,
                                     note=f"Redis OSS {engine_version} is in standard support (no end announced): "
                                          "no Extended Support surcharge.")
    steps = _steps(book, region, node_type, known.standard_support_ends, known.extended_support_ends)
    current = next((step for step in steps if step.covers(on)), None)
    if on <= known.standard_support_ends:
        status: Status = "not_started"
        note = (f"Redis OSS {engine_version} is in standard support until "
                f"{known.standard_support_ends.isoformat()}; Extended Support is charged from "
                f"{steps[0].starts.isoformat()} and rises on {steps[1].starts.isoformat()}. Nothing is charged yet.")
    elif current is None:
        status = "ended"
        note = (f"Extended Support for Redis OSS {engine_version} ended on {known.extended_support_ends.isoformat()}: "
                "AWS upgrades remaining caches to Valkey.")
    else:
        status = "charged"
        priced = current.usd_per_node_hour is not None
        rate = f"${current.usd_per_node_hour}/node-hour" if priced else "not priced"
        estimate = " (estimate)" if priced and current.basis == Basis.ESTIMATE else ""  # never "not priced (estimate)"
        later = next((s for s in steps if s.starts > on), None)
        rise = f"; year 3 from {later.starts.isoformat()}" if later else ""
        note = (f"Redis OSS {engine_version} is past standard support ({known.standard_support_ends.isoformat()}): "
                f"{current.label} surcharge {rate}{estimate} since {current.starts.isoformat()}{rise}.")
    monthly = Decimal(0)
    if status == "charged" and current is not None and current.usd_per_node_hour is not None:
        monthly = current.usd_per_node_hour * node_count * HOURS_PER_MONTH
    return ExtendedSupportCharge(
        **base, status=status, standard_support_ends=known.standard_support_ends, steps=steps, current=current,
        monthly=monthly, valkey_saving_monthly=_valkey_saving(book, region, node_type, node_count, monthly),
        note=note,
    )
