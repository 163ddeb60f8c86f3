"""What a node-based cluster would have cost on ElastiCache Serverless, hour by hour, from its own history.

Each observed hour is billed like Serverless bills it:
- data stored: the hour's average BytesUsedForCache summed over primaries (replicas hold copies, and Serverless
  stores and bills one copy), with the engine's minimum;
- ECPUs: requests = GetTypeCmds on every node + SetTypeCmds on primaries (replicas replay writes, which a
  Serverless cache would not bill); bytes = NetworkBytesIn + NetworkBytesOut on every node. ECPU per request =
  max(1, KB per request). The bytes include replication traffic, so the ECPU figure leans high (conservative).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from advisor.costs.extended_support import extended_support_cost
from advisor.costs.serverless import ecpu_per_request, serverless_hour_cost
from advisor.live.cloudwatch import MetricSet
from advisor.live.models import FleetRow
from advisor.money import HOURS_PER_MONTH
from advisor.pricing.book import PriceBook
from advisor.workload import CommandComplexity

GB = 10**9
@dataclass(frozen=True)
class ReplayHour:
    hour: dt.datetime
    stored_gb: float
    requests: float
    network_bytes: float
    ecpu_per_request: float
    ecpus: float
    usd: Decimal


@dataclass(frozen=True)
class ExtendedSupport:
    """Extended Support exposure of a Redis OSS cluster and what moving to Valkey would save."""

    in_scope: bool
    note: str
    monthly_surcharge_usd: Decimal | None = None
    valkey_monthly_saving_usd: Decimal | None = None


@dataclass(frozen=True)
class ServerlessReplay:
    cluster: str
    engine: str
    hours: tuple[ReplayHour, ...]
    serverless_monthly_usd: Decimal | None
    current_monthly_usd: Decimal | None
    valkey_serverless_monthly_usd: Decimal | None
    extended_support: ExtendedSupport
    notes: tuple[str, ...]

    @property
    def observed_hours(self) -> int:
        return len(self.hours)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame([h.__dict__ for h in self.hours])


def _hourly(metrics: MetricSet, metric: str, cluster: str, roles: tuple[str, ...] | None, how: str) -> pd.Series:
    """Per-node values rolled up to clock hours (mean for gauges, sum for counts), then summed over nodes."""
    df = metrics.series(metric, cluster, roles)
    if df.empty:
        # Only read through .get(hour, 0.0) and its (empty) index, so the dtype cannot show.
        return pd.Series(dtype=float)  # pragma: no mutate
    df["hour"] = df["timestamp"].dt.floor("h")
    per_node = df.groupby(["node", "hour"])["value"].agg(how)
    return per_node.groupby("hour").sum()


def _monthly(hours: list[Decimal]) -> Decimal | None:
    if not hours:
        return None
    return sum(hours, Decimal(0)) / len(hours) * HOURS_PER_MONTH


def extended_support(row: FleetRow, book: PriceBook, today: dt.date) -> ExtendedSupport:
    """The live cluster's Extended Support exposure on `today`, priced by the shared cost model, so a design,
    a live cluster and a fleet row are charged the same way (nothing before the surcharge starts)."""
    charge = extended_support_cost(
        book, engine=row.engine, engine_version=row.engine_version, region=row.region,
        node_type=row.node_type or "", node_count=row.node_count, on=today,
    )
    if charge.status in ("not_applicable", "standard_support"):
        return ExtendedSupport(False, f"{row.engine_label} is not a Redis OSS version in or near Extended Support.")
    return ExtendedSupport(
        True, charge.note, charge.monthly if charge.charged else None, charge.valkey_saving_monthly,
    )


def replay_serverless(
    row: FleetRow, metrics: MetricSet, book: PriceBook, today: dt.date | None = None
) -> ServerlessReplay:
    notes: list[str] = []
    stored = _hourly(metrics, "BytesUsedForCache", row.id, ("primary", "memcached"), "mean")
    reads = _hourly(metrics, "GetTypeCmds", row.id, None, "sum")
    writes = _hourly(metrics, "SetTypeCmds", row.id, ("primary", "memcached"), "sum")
    net_in = _hourly(metrics, "NetworkBytesIn", row.id, None, "sum")
    net_out = _hourly(metrics, "NetworkBytesOut", row.id, None, "sum")
    hours_index = stored.index.sort_values()
    price = book.serverless_price(row.region, row.engine)  # type: ignore[arg-type]
    valkey_price = book.serverless_price(row.region, "valkey") if row.engine == "redis" else None
    if price is None:
        notes.append(f"No bundled Serverless {row.engine} price for {row.region}: the replay is not priced.")
    replay_hours: list[ReplayHour] = []
    valkey_costs: list[Decimal] = []
    for hour in hours_index:
        requests = float(reads.get(hour, 0.0)) + float(writes.get(hour, 0.0))
        network = float(net_in.get(hour, 0.0)) + float(net_out.get(hour, 0.0))
        per_request = ecpu_per_request(network / requests, CommandComplexity.SIMPLE) if requests else 1.0
        ecpus = requests * per_request
        gb = float(stored[hour]) / GB
        usd = serverless_hour_cost(price, gb, ecpus) if price else Decimal(0)
        if valkey_price is not None:
            valkey_costs.append(serverless_hour_cost(valkey_price, gb, ecpus))
        replay_hours.append(ReplayHour(hour.to_pydatetime(), gb, requests, network, per_request, ecpus, usd))
    if not replay_hours:
        notes.append("No BytesUsedForCache datapoints in the window: nothing to replay.")
    notes.append("Network bytes include replication traffic, so ECPUs are an upper estimate.")
    return ServerlessReplay(
        cluster=row.id, engine=row.engine, hours=tuple(replay_hours),
        serverless_monthly_usd=_monthly([h.usd for h in replay_hours]) if price else None,
        current_monthly_usd=row.monthly_cost_usd,
        valkey_serverless_monthly_usd=_monthly(valkey_costs),
        extended_support=extended_support(row, book, today or dt.date.today()), notes=tuple(notes),
    )
