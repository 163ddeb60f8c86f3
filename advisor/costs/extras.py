"""Costs around the nodes: snapshot storage and Global Datastore cross-Region replication transfer."""

from __future__ import annotations

from decimal import Decimal

from advisor.costs.lines import CostLine
from advisor.money import SECONDS_PER_MONTH
from advisor.pricing.book import PriceBook
from advisor.wording import count_noun

GIB = 2**30
GB = 10**9


def backup_line(book: PriceBook, region: str, engine: str, dataset_gb: float, retention_days: int) -> CostLine | str:
    """Daily automatic snapshots kept `retention_days`: each is a full copy of the dataset (conservative).

    AWS bills backup storage per GiB-month, one rate for every Region and engine; the dataset is in GB, so it
    is converted. Returns a caveat string instead of a line when no price is bundled, never a borrowed number.
    """
    if retention_days <= 0 or dataset_gb <= 0:
        return "No automatic snapshots: no backup storage cost."
    gib = Decimal(str(round(dataset_gb, 6))) * GB / GIB
    stored = (gib * retention_days).quantize(Decimal("0.001"))
    rate = book.other_rate("backup_storage", region, engine)
    if rate is None:
        return (f"Backup storage of about {stored:,.1f} GiB-months ({retention_days} daily snapshots) is not "
                f"costed: no {engine} backup price for {region} is bundled.")
    return CostLine(
        name="Snapshot storage", unit="GiB-months", quantity=stored, unit_price=rate.usd, basis=rate.basis,
        note=f"{count_noun(retention_days, 'daily snapshot')} x {dataset_gb:,.2f} GB ({gib:,.2f} GiB); {rate.unit}, "
             f"{region}; no free allowance assumed",
    )


def global_transfer_line(
    book: PriceBook, region: str, engine: str, write_bytes_per_sec: float, secondaries: int
) -> CostLine | str:
    """Every write is shipped to each secondary Region; priced per GiB replicated."""
    gib = Decimal(str(write_bytes_per_sec)) * SECONDS_PER_MONTH / GIB * secondaries
    rate = book.other_rate("global_datastore_cross_region_replication_transfer", region, engine)
    if rate is None:
        return (f"Global Datastore replication of about {gib:,.1f} GiB/month is not costed: no transfer price for "
                f"{region} is bundled.")
    return CostLine(
        name="Global Datastore cross-Region replication", unit="GiB", quantity=gib.quantize(Decimal("0.001")),
        unit_price=rate.usd, basis=rate.basis,
        note=f"average write bytes/s x 2,628,000 s x {count_noun(secondaries, 'secondary Region')}; rate confidence "
        f"{rate.confidence}",
    )
