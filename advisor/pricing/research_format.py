"""Read the all-Region research tables (the AWS pricing pages' own data, as CSV) into price-table rows.

The format is the one under `shared/pricing-research/all-regions/`: `ondemand_all_regions.csv`,
`serverless_all_regions.csv` and `reserved_all_regions.csv`, each row with its source and source date.
Both `scripts/import_research.py` (the bundled import) and `python -m advisor pricing refresh --research-dir`
read it through this module, so the two can never disagree about a row.

Every row read here is `published`. A reserved row's engine is the engine of its SKU (one of Redis OSS or
Memcached per offer); the reservations the sources lack (the other engine, and Valkey) are derived when they
are looked up, by the documented rules in advisor/pricing/book.py, and labelled `derived` there.
GovCloud and Local Zone files are never read: they are not commercial Regions (the manifest says so).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from advisor.errors import PricingDataError
from advisor.wording import noun

ON_DEMAND_FILE = "ondemand_all_regions.csv"
SERVERLESS_FILE = "serverless_all_regions.csv"
RESERVED_FILE = "reserved_all_regions.csv"
EXCLUDED_FILES = ("ondemand_govcloud_localzone.csv", "serverless_govcloud_localzone.csv", "reserved_govcloud.csv")
HOURS_PER_YEAR = 8760
EFFECTIVE_QUANTUM = Decimal("1e-10")
PAYMENT_OPTIONS = ("No Upfront", "Partial Upfront", "All Upfront")
TERM_YEARS = {"1yr": 1, "3yr": 3}
# Serverless minimum metered storage is not in this format; it comes from the pricing page.
SERVERLESS_MIN_GB = {"redis": "1", "memcached": "1", "valkey": "0.1"}
SERVERLESS_MIN_SOURCE = (
    "minimum metered storage: AWS pricing page (aws.eu/it/elasticache/pricing) and cur.vantage.sh CUR reference: "
    "1 GB Redis OSS and Memcached, 100 MB Valkey"
)
# The research README: "AWS states one rate, $0.085 per GiB-month, for all Regions and engines".
BACKUP_USD_PER_GIB_MONTH = "0.085"
BACKUP_SOURCE = (
    "AWS ElastiCache pricing page: backup storage $0.085 per GiB-month in every Region and for every engine "
    "(shared/pricing-research/all-regions/README.md 'Gaps'; infracost golden files 2024 show the same us-east-1 "
    "figure); no free allowance assumed"
)
BACKUP_DATE = "2024-07-01"
ALL_REGIONS_CONFIDENCE = "high"


@dataclass
class ResearchTables:
    """Rows in the bundled tables' own column names, plus the newest source date seen per Region."""

    on_demand: list[dict[str, str]] = field(default_factory=list)
    serverless: list[dict[str, str]] = field(default_factory=list)
    reserved: list[dict[str, str]] = field(default_factory=list)
    backup: list[dict[str, str]] = field(default_factory=list)
    region_dates: dict[str, str] = field(default_factory=dict)

    @property
    def regions(self) -> list[str]:
        return sorted({row["region"] for row in self.on_demand})

    def _saw(self, region: str, date: str) -> None:
        self.region_dates[region] = max(self.region_dates.get(region, date), date)


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[dict[str, str]]:
    if not path.exists():
        raise PricingDataError(f"The research table {path.name} is missing from {path.parent}.")
    with path.open(newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [name for name in required if name not in (reader.fieldnames or [])]
        if missing:
            raise PricingDataError(f"{path.name} lacks the {noun(len(missing), 'column')} {', '.join(missing)}.")
        for line_no, row in enumerate(reader, start=2):
            if any(not row[name] for name in required if name not in ("upfront_usd", "usd_per_hour")):
                raise PricingDataError(f"{path.name} line {line_no} has an empty required field.")
            yield row


def _money(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def _effective(upfront: Decimal, hourly: Decimal, years: int) -> Decimal:
    return (upfront / Decimal(HOURS_PER_YEAR * years) + hourly).quantize(EFFECTIVE_QUANTUM)


def read_research_dir(directory: Path | str) -> ResearchTables:
    """Every commercial-Region row of the research format under `directory`, in the bundled tables' columns."""
    directory = Path(directory)
    tables = ResearchTables()
    for row in _rows(directory / ON_DEMAND_FILE, ("region", "engine", "node_type", "usd_per_hour", "source",
                                                  "source_date")):
        tables.on_demand.append({
            "region": row["region"], "node_type": row["node_type"], "engine": row["engine"],
            "usd_per_hour": row["usd_per_hour"], "basis": "published", "source_date": row["source_date"],
            "confidence": ALL_REGIONS_CONFIDENCE, "source": row["source"],
        })
        tables._saw(row["region"], row["source_date"])
    for row in _rows(directory / SERVERLESS_FILE, ("region", "engine", "usd_per_gb_hour", "usd_per_million_ecpu",
                                                   "source", "source_date")):
        tables.serverless.append({
            "region": row["region"], "engine": row["engine"], "storage_usd_per_gb_hour": row["usd_per_gb_hour"],
            "ecpu_usd_per_million": row["usd_per_million_ecpu"], "min_storage_gb": SERVERLESS_MIN_GB[row["engine"]],
            "basis": "published", "source_date": row["source_date"], "confidence": ALL_REGIONS_CONFIDENCE,
            "source": f"{row['source']} | {SERVERLESS_MIN_SOURCE}",
        })
        tables._saw(row["region"], row["source_date"])
    for row in _rows(directory / RESERVED_FILE, ("region", "engine", "node_type", "term", "payment_option",
                                                 "upfront_usd", "usd_per_hour", "rate_code", "source",
                                                 "source_date")):
        tables.reserved.extend(_reserved_rows(row))
        tables._saw(row["region"], row["source_date"])
    for region in tables.regions:
        tables.backup.append({
            "item": "backup_storage", "node_type": "", "region": region, "engine": "memcached/redis/valkey",
            "unit": "USD per GiB-month", "usd": BACKUP_USD_PER_GIB_MONTH, "basis": "published",
            "source_date": BACKUP_DATE, "confidence": "medium-high", "source": BACKUP_SOURCE,
        })
    return tables


def _reserved_rows(row: dict[str, str]) -> list[dict[str, str]]:
    if row["term"] not in TERM_YEARS or row["payment_option"] not in PAYMENT_OPTIONS:
        raise PricingDataError(f"{RESERVED_FILE}: unknown term or payment option {row['term']!r} "
                               f"{row['payment_option']!r} for {row['node_type']} in {row['region']}")
    years = TERM_YEARS[row["term"]]
    upfront, hourly = Decimal(row["upfront_usd"] or "0"), Decimal(row["usd_per_hour"] or "0")
    base = {
        "region": row["region"], "node_type": row["node_type"], "term_years": str(years),
        "payment_option": row["payment_option"], "source_date": row["source_date"],
        "confidence": ALL_REGIONS_CONFIDENCE,
    }
    published_source = f"{row['source']} rate code {row['rate_code']}; effective = upfront/(8760*years)+hourly"

    def priced(engine: str, up: Decimal, hr: Decimal, basis: str, source: str) -> dict[str, str]:
        return {**base, "engine": engine, "upfront_usd": _money(up), "usd_per_hour": _money(hr),
                "effective_usd_per_hour": _money(_effective(up, hr, years)), "basis": basis, "source": source}

    return [priced(row["engine"], upfront, hourly, "published", published_source)]


def newest_source_date_per_region(*tables: list[dict[str, str]]) -> dict[str, str]:
    """Per Region, the date of its newest source across the given table rows, sorted by Region."""
    dates: dict[str, str] = {}
    for rows in tables:
        for row in rows:
            dates[row["region"]] = max(dates.get(row["region"], ""), row["source_date"])
    return dict(sorted(dates.items()))
