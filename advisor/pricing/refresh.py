"""Refresh pricing_data/ from the AWS Price List (get_products, or a downloaded bulk offer file).

The only networked pricing code. The pricing client comes in as an argument. Nothing is written until the
complete new tables have been built in a staging directory next to the real one and loaded with
`load_price_book`, so every loader sanity guard runs on the result; the files are then swapped in with
os.replace. Any failure before the swap leaves the old tables byte-identical.

Merging is row by row: a refreshed row replaces the row with the same key; rows the refresh did not return
(other regions, node types AWS did not list, add-on surcharges) stay exactly as they were.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from advisor.errors import ConnectionProblem, PricingDataError
from advisor.pricing.book import PriceBook
from advisor.pricing.diff import PriceBookDiff, diff_books
from advisor.pricing.loader import load_price_book
from advisor.pricing.offer_parse import (
    FAMILY_DATA_TRANSFER,
    PRODUCT_FAMILIES,
    MalformedOffer,
    OfferItem,
    Origin,
    ParsedOffer,
    UsageRate,
    item_from_price_list_entry,
    items_from_offer_file,
    parse_items,
)
from advisor.pricing.research_format import (
    SERVERLESS_MIN_GB,
    SERVERLESS_MIN_SOURCE,
    newest_source_date_per_region,
    read_research_dir,
)
from advisor.regions import is_elasticache_region
from advisor.wording import count_noun

SERVICE_CODE = "AmazonElastiCache"
# The Price List query API is served from us-east-1 (and two others) whatever Region is being priced.
PRICING_API_REGION = "us-east-1"
PAGE_SIZE = 100
API_CHANNEL = "AWS Price List API get_products"
OFFER_CHANNEL = "AWS Price List bulk offer file"
RESEARCH_CHANNEL = "AWS pricing-page data, all-Region research CSV format"
HOURS_PER_YEAR = 8760
EFFECTIVE_QUANTUM = Decimal("1e-10")

# Minimum metered serverless storage is not in the offer data; it comes from the pricing page (see
# PRICING_SOURCES.md) and is kept from the existing row when there is one.

# A unit mix-up (per ECPU vs per million, per GB-hour vs per GB-month) shows up as a figure orders of
# magnitude off; these bands are wide enough for every Region and narrow enough to catch that.
RATE_BOUNDS: dict[str, tuple[Decimal, Decimal]] = {
    "serverless_storage": (Decimal("0.01"), Decimal("2")),
    "serverless_ecpu_per_million": (Decimal("0.0005"), Decimal("0.05")),
    "backup_storage": (Decimal("0.01"), Decimal("1")),
    "global_datastore_transfer": (Decimal("0.001"), Decimal("1")),
}
OTHER_RATE_ITEMS = {
    "backup_storage": ("backup_storage", "USD per GB-month"),
    "global_datastore_transfer": ("global_datastore_cross_region_replication_transfer", "USD per GiB replicated"),
}

TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "node_types.csv": ("family", "node_type"),
    "on_demand.csv": ("region", "engine", "node_type"),
    "reserved.csv": ("region", "engine", "node_type", "term_years", "payment_option"),
    "serverless.csv": ("region", "engine"),
    "other_rates.csv": ("item", "region", "engine", "node_type"),
}


class RefreshAnomaly(PricingDataError):
    """The new data is well-formed but implausible; publishing it would mislead, so the refresh stops."""


@dataclass(frozen=True)
class RefreshResult:
    diff: PriceBookDiff
    written: bool
    regions: list[str]
    as_of: dt.date
    skipped: dict[str, int] = field(default_factory=dict)
    changed_files: list[str] = field(default_factory=list)

    def render(self) -> str:
        lines = [f"Refreshed regions: {', '.join(self.regions) if self.regions else 'none'}"]
        if self.skipped:
            lines.append("Skipped SKUs:")
            lines.extend(f"  {count:>5}  {reason}" for reason, count in sorted(self.skipped.items()))
        lines.append(self.diff.render())
        if self.written:
            lines.append(f"Wrote {', '.join(self.changed_files)}; prices as of {self.as_of}.")
        elif self.changed_files:
            lines.append(f"Dry run: would write {', '.join(self.changed_files)}; no file was changed.")
        else:
            lines.append("Nothing to write.")
        return "\n".join(lines)


# --- fetching -----------------------------------------------------------------------------------------


def product_filters(family: str, region: str | None) -> list[dict[str, str]]:
    filters = [{"Type": "TERM_MATCH", "Field": "productFamily", "Value": family}]
    if region is not None:
        # Transfer SKUs name a source and a destination Region instead of one regionCode.
        region_field = "fromRegionCode" if family == FAMILY_DATA_TRANSFER else "regionCode"
        filters.insert(0, {"Type": "TERM_MATCH", "Field": region_field, "Value": region})
    return filters


def _pages(client: Any, family: str, region: str | None) -> Iterator[list[str]]:
    paginator = client.get_paginator("get_products")
    pages = paginator.paginate(
        ServiceCode=SERVICE_CODE, Filters=product_filters(family, region), FormatVersion="aws_v1",
        PaginationConfig={"PageSize": PAGE_SIZE},
    )
    for page in pages:
        yield page.get("PriceList", [])


def fetch_price_list(client: Any, regions: Sequence[str] | None) -> list[OfferItem]:
    """Every product of the advisor's product families in `regions` (None: every Region), all pages read."""
    items: list[OfferItem] = []
    for region in regions if regions is not None else [None]:
        for family in PRODUCT_FAMILIES:
            where = f"{family!r} in {region or 'all Regions'}"
            pages_read = 0
            try:
                for price_list in _pages(client, family, region):
                    items.extend(_decode_entry(raw, where) for raw in price_list)
                    pages_read += 1
            except NoCredentialsError as exc:
                raise ConnectionProblem(
                    "No AWS credentials were found for the Price List API. Configure credentials (any account "
                    "can read public prices), or download the public offer file and pass it with --offer-file."
                ) from exc
            except (BotoCoreError, ClientError) as exc:
                raise ConnectionProblem(
                    f"The AWS Price List API failed while reading {where} "
                    f"(after {count_noun(pages_read, 'page')}): {exc}"
                ) from exc
    return items


def _decode_entry(raw: object, where: str) -> OfferItem:
    # The API returns each entry as a JSON string; accept an already-decoded object too, since the model
    # marks the member `jsonvalue` and a future botocore may decode it for us.
    if isinstance(raw, dict):
        return item_from_price_list_entry(raw)
    if not isinstance(raw, str):
        raise MalformedOffer(f"a PriceList entry for {where} is neither a JSON string nor an object")
    try:
        entry = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise MalformedOffer(f"a PriceList entry for {where} is not valid JSON: {exc}") from exc
    if not isinstance(entry, dict):
        raise MalformedOffer(f"a PriceList entry for {where} is not a JSON object")
    return item_from_price_list_entry(entry)


def read_offer_file(path: Path, regions: Sequence[str] | None) -> list[OfferItem]:
    """Products of the advisor's families from a bulk offer file, kept to `regions` (None: all)."""
    try:
        offer = json.loads(Path(path).read_text())
    except OSError as exc:
        raise PricingDataError(f"Cannot read the offer file {path}: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise MalformedOffer(f"The offer file {path} is not valid JSON: {exc}") from exc
    if not isinstance(offer, dict):
        raise MalformedOffer(f"The offer file {path} is not a JSON object")
    if offer.get("offerCode") not in (None, SERVICE_CODE):
        raise MalformedOffer(f"The offer file {path} is for {offer.get('offerCode')}, not {SERVICE_CODE}")
    wanted = set(regions) if regions is not None else None
    items = []
    for item in items_from_offer_file(offer):
        if item.product.get("productFamily") not in PRODUCT_FAMILIES:
            continue
        attributes = item.product.get("attributes") or {}
        region = attributes.get("regionCode") or attributes.get("fromRegionCode")
        if wanted is None or region in wanted:
            items.append(item)
    return items


# --- merging ------------------------------------------------------------------------------------------


def _money(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _source_date(origin: Origin, today: dt.date) -> str:
    return (origin.publication_date or today).isoformat()


@dataclass
class _Table:
    header: list[str]
    rows: dict[tuple[str, ...], dict[str, str]]
    key_fields: tuple[str, ...]
    original_text: str

    @classmethod
    def read(cls, path: Path, key_fields: tuple[str, ...]) -> _Table:
        if not path.exists():
            raise PricingDataError(f"Price table {path.name} is missing from {path.parent}.")
        text = path.read_text()
        reader = csv.DictReader(io.StringIO(text))
        rows = {tuple(r[k] for k in key_fields): r for r in reader}
        return cls(header=list(reader.fieldnames or []), rows=rows, key_fields=key_fields, original_text=text)

    def put(self, row: dict[str, str]) -> None:
        complete = {name: row.get(name, "") for name in self.header}
        self.rows[tuple(complete[k] for k in self.key_fields)] = complete

    def render(self) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=self.header, lineterminator="\n")
        writer.writeheader()
        # Same order as scripts/import_research.py, so untouched rows keep their place and diffs stay small.
        writer.writerows(sorted(self.rows.values(), key=lambda r: tuple(r[k] for k in self.key_fields)))
        return out.getvalue()


def _check_rate_bounds(rates: Iterable[UsageRate]) -> None:
    for rate in rates:
        low, high = RATE_BOUNDS[rate.kind]
        if not low <= rate.usd <= high:
            raise RefreshAnomaly(
                f"{rate.kind} for {rate.engine} in {rate.region} is {rate.usd} (SKU {rate.origin.sku}, unit "
                f"{rate.unit!r}), outside the plausible range {low}-{high}: the unit may have changed"
            )


def _merge_nodes(table: _Table, parsed: ParsedOffer, channel: str, priced: set[str]) -> None:
    by_type = {row["node_type"]: row for row in table.rows.values()}
    for node_type in sorted(priced):
        spec = parsed.node_specs.get(node_type)
        if spec is None:
            continue
        fresh = {
            "vcpu": str(spec.vcpu) if spec.vcpu is not None else None,
            "memory_gib": spec.memory_gib,
            "network_gbps_baseline": spec.network_gbps_baseline,
            "network_gbps_burst": spec.network_gbps_burst,
        }
        row = by_type.get(node_type)
        if row is None:
            if spec.memory_gib is None:
                raise MalformedOffer(f"new node type {node_type} (SKU {spec.origin.sku}) has no memory attribute")
            table.put({
                "node_type": node_type, "family": node_type.split(".")[1],
                "generation": "current" if spec.current_generation else "previous",
                "vcpu": fresh["vcpu"] or "", "memory_gib": _money(spec.memory_gib),
                "network_gbps_baseline": _money(spec.network_gbps_baseline) if spec.network_gbps_baseline else "",
                "network_gbps_burst": _money(spec.network_gbps_burst) if spec.network_gbps_burst else "",
                "data_tiering_ssd_gib": "", "note": "",
                "source": f"{spec.origin.describe(channel)} product attributes (instanceType, vcpu, memory, "
                          "networkPerformance)",
            })
            continue
        changed = []
        updated = dict(row)
        for column, value in fresh.items():
            if value is None:
                continue
            current = row[column]
            if current and Decimal(current) == Decimal(str(value)):
                continue
            updated[column] = value if isinstance(value, str) else _money(value)
            changed.append(column)
        if changed:
            base = row["source"].split(" | refreshed ")[0]
            updated["source"] = f"{base} | refreshed {', '.join(changed)} from {spec.origin.describe(channel)}"
            table.put(updated)


def _merge_serverless(table: _Table, rates: list[UsageRate], channel: str, today: dt.date) -> list[str]:
    pairs: dict[tuple[str, str], dict[str, UsageRate]] = defaultdict(dict)
    for rate in rates:
        if rate.kind in ("serverless_storage", "serverless_ecpu_per_million"):
            _one_figure(pairs[(rate.region, rate.engine)], rate.kind, rate)
    incomplete = []
    for (region, engine), pair in sorted(pairs.items()):
        if len(pair) != 2:
            incomplete.append(f"serverless {engine} in {region}: only {', '.join(pair)} published")
            continue
        storage, ecpu = pair["serverless_storage"], pair["serverless_ecpu_per_million"]
        existing = table.rows.get((region, engine))
        table.put({
            "region": region, "engine": engine,
            "storage_usd_per_gb_hour": _money(storage.usd), "ecpu_usd_per_million": _money(ecpu.usd),
            "min_storage_gb": existing["min_storage_gb"] if existing else SERVERLESS_MIN_GB[engine],
            "basis": "published",
            "source_date": max(_source_date(storage.origin, today), _source_date(ecpu.origin, today)),
            "confidence": "high",
            "source": (
                f"storage_usd_per_gb_hour: {storage.origin.describe(channel)} | ecpu_usd_per_million: "
                f"{ecpu.origin.describe(channel)} ({ecpu.detail}) | {SERVERLESS_MIN_SOURCE}"
            ),
        })
    return incomplete


def _one_figure(bucket: dict[str, UsageRate], key: str, rate: UsageRate) -> None:
    existing = bucket.get(key)
    if existing is not None and existing.usd != rate.usd:
        raise RefreshAnomaly(
            f"SKUs {existing.origin.sku} and {rate.origin.sku} give different {rate.kind} prices for "
            f"{rate.engine} in {rate.region}: {existing.usd} vs {rate.usd}"
        )
    bucket.setdefault(key, rate)


def _merge_other(table: _Table, rates: list[UsageRate], channel: str, today: dt.date) -> None:
    fresh: dict[tuple[str, str], dict[str, UsageRate]] = defaultdict(dict)
    transfer: dict[str, list[UsageRate]] = defaultdict(list)
    for rate in rates:
        if rate.kind == "backup_storage":
            _one_figure(fresh[("backup_storage", rate.region)], rate.engine, rate)
        elif rate.kind == "global_datastore_transfer":
            transfer[rate.region].append(rate)
    for region, options in transfer.items():
        # One figure per source Region: the highest destination rate, so a cost estimate never undershoots.
        top = max(options, key=lambda r: r.usd)
        lowest = min(r.usd for r in options)
        spread = "" if lowest == top.usd else f"; destinations range {lowest}-{top.usd}, highest kept"
        fresh[("global_datastore_transfer", region)]["redis/valkey"] = UsageRate(
            top.kind, region, top.engine, top.usd, top.unit, top.origin, detail=f"{top.detail}{spread}")
    for (kind, region), by_engine in fresh.items():
        item, unit = OTHER_RATE_ITEMS[kind]
        # The refreshed item replaces every old row of that item in that Region, so an engine-specific row
        # and an engine-agnostic one never compete in lookups.
        for key in [k for k, row in table.rows.items() if row["item"] == item and row["region"] == region]:
            del table.rows[key]
        for engine, rate in by_engine.items():
            detail = f" ({rate.detail})" if rate.detail else ""
            table.put({
                "item": item, "node_type": "", "region": region, "engine": engine, "unit": unit,
                "usd": _money(rate.usd), "basis": "published", "source_date": _source_date(rate.origin, today),
                "confidence": "high", "source": f"{rate.origin.describe(channel)}{detail}",
            })


def _effective(upfront: Decimal, hourly: Decimal, years: int) -> Decimal:
    return (upfront / Decimal(HOURS_PER_YEAR * years) + hourly).quantize(EFFECTIVE_QUANTUM)


def build_tables(
    tables: dict[str, _Table], parsed: ParsedOffer, channel: str, today: dt.date
) -> list[str]:
    """Merge parsed facts into the tables in place; return notices about figures that could not be used."""
    _check_rate_bounds(parsed.rates)
    on_demand, reserved = tables["on_demand.csv"], tables["reserved.csv"]
    for (region, engine, node_type), price in parsed.on_demand.items():
        on_demand.put({
            "region": region, "node_type": node_type, "engine": engine, "usd_per_hour": _money(price.usd_per_hour),
            "basis": "published", "source_date": _source_date(price.origin, today), "confidence": "high",
            "source": price.origin.describe(channel),
        })
    for term in parsed.reserved.values():
        reserved.put({
            "region": term.region, "node_type": term.node_type, "engine": term.engine,
            "term_years": str(term.term_years), "payment_option": term.payment_option,
            "upfront_usd": _money(term.upfront_usd), "usd_per_hour": _money(term.usd_per_hour),
            "effective_usd_per_hour": _money(_effective(term.upfront_usd, term.usd_per_hour, term.term_years)),
            "basis": "published", "source_date": _source_date(term.origin, today), "confidence": "high",
            "source": f"{term.origin.describe(channel)}; effective = upfront/(8760*years)+hourly",
        })
    _merge_nodes(tables["node_types.csv"], parsed, channel, {node for _, _, node in parsed.on_demand})
    notices = _merge_serverless(tables["serverless.csv"], parsed.rates, channel, today)
    _merge_other(tables["other_rates.csv"], parsed.rates, channel, today)
    return notices


def _new_manifest(
    directory: Path, tables: dict[str, _Table], published: dt.date, channel: str, regions: list[str], today: dt.date
) -> str:
    manifest = json.loads((directory / "manifest.json").read_text())
    manifest["as_of"] = max(dt.date.fromisoformat(manifest["as_of"]), published).isoformat()
    manifest["compiled"] = today.isoformat()
    manifest["region_as_of"] = newest_source_date_per_region(
        *(list(tables[name].rows.values()) for name in ("on_demand.csv", "reserved.csv", "serverless.csv")))
    manifest["last_refresh"] = {
        "date": today.isoformat(),
        "source": channel,
        "publication_date": published.isoformat(),
        "regions": regions,
    }
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


# --- writing ------------------------------------------------------------------------------------------


def _swap_in(directory: Path, staging: Path, names: list[str]) -> None:
    """Move staged files over the live ones; if the OS fails midway, put every original back."""
    backup = Path(tempfile.mkdtemp(prefix=".pricing-backup-", dir=directory.parent))
    try:
        for name in names:
            shutil.copy2(directory / name, backup / name)
        done: list[str] = []
        try:
            for name in names:
                os.replace(staging / name, directory / name)
                done.append(name)
        except OSError as exc:
            for name in done:
                os.replace(backup / name, directory / name)
            raise PricingDataError(f"Could not replace the price tables in {directory}: {exc}") from exc
    finally:
        shutil.rmtree(backup, ignore_errors=True)


def refresh_tables(
    items: list[OfferItem],
    *,
    channel: str,
    directory: Path,
    today: dt.date,
    dry_run: bool,
    required_regions: Sequence[str] = (),
) -> RefreshResult:
    """Parse `items`, merge them into the tables under `directory`, validate, and (unless dry_run) swap in."""
    directory = Path(directory)
    old_book = load_price_book(directory)
    parsed = parse_items(items)
    refreshed_regions = sorted({region for region, _, _ in parsed.on_demand} | {r.region for r in parsed.rates})
    missing = sorted(set(required_regions) - {region for region, _, _ in parsed.on_demand})
    if missing:
        raise RefreshAnomaly(
            f"The price data has no ElastiCache node prices for {', '.join(missing)}; refusing to refresh "
            "from an incomplete answer (check the region codes)."
        )
    if not parsed.on_demand and not parsed.rates:
        raise RefreshAnomaly("The price data holds no ElastiCache prices the advisor uses; nothing was refreshed.")
    tables = _read_tables(directory)
    notices = build_tables(tables, parsed, channel, today)
    published = max(parsed.publication_dates, default=today)
    new_book, changed = _write_checked(directory, tables, published, f"{channel} ({SERVICE_CODE})",
                                       refreshed_regions, today, dry_run)
    skipped = dict(parsed.skipped)
    for notice in notices:
        skipped[f"incomplete: {notice}"] = 1
    return RefreshResult(
        diff=diff_books(old_book, new_book), written=not dry_run and bool(changed), regions=refreshed_regions,
        as_of=new_book.manifest.as_of, skipped=skipped, changed_files=changed,
    )


def _read_tables(directory: Path) -> dict[str, _Table]:
    return {name: _Table.read(directory / name, keys) for name, keys in TABLE_KEYS.items()}


def _write_checked(
    directory: Path, tables: dict[str, _Table], published: dt.date, channel: str, regions: list[str],
    today: dt.date, dry_run: bool,
) -> tuple[PriceBook, list[str]]:
    """Stage the merged tables, load them with every guard, and (unless dry_run) swap them in."""
    new_texts = {name: table.render() for name, table in tables.items()}
    changed = sorted(name for name, text in new_texts.items() if text != tables[name].original_text)
    if changed:
        new_texts["manifest.json"] = _new_manifest(directory, tables, published, channel, regions, today)
        changed.append("manifest.json")
    staging = Path(tempfile.mkdtemp(prefix=".pricing-refresh-", dir=directory.parent))
    try:
        for path in directory.iterdir():
            if path.is_file():
                shutil.copy2(path, staging / path.name)
        for name in changed:
            (staging / name).write_text(new_texts[name])
        try:
            new_book: PriceBook = load_price_book(staging)
        except PricingDataError as exc:
            raise RefreshAnomaly(f"The refreshed tables fail a sanity check: {exc}") from exc
        if not dry_run and changed:
            _swap_in(directory, staging, changed)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return new_book, changed


def check_regions(regions: Sequence[str]) -> list[str]:
    unknown = sorted(r for r in regions if not is_elasticache_region(r))
    if unknown:
        raise PricingDataError(f"Not ElastiCache Region codes: {', '.join(unknown)} (expected e.g. us-east-1).")
    return sorted(set(regions))


def refresh_from_api(
    client: Any, *, directory: Path, regions: Sequence[str] | None, today: dt.date, dry_run: bool
) -> RefreshResult:
    """Refresh from get_products. regions=None means every Region AWS prices."""
    items = fetch_price_list(client, regions)
    return refresh_tables(
        items, channel=API_CHANNEL, directory=directory, today=today, dry_run=dry_run,
        required_regions=regions or (),
    )


def refresh_from_offer_file(
    path: Path, *, directory: Path, regions: Sequence[str] | None, today: dt.date, dry_run: bool,
    require_each_region: bool,
) -> RefreshResult:
    """Refresh from a downloaded bulk offer file; a Regional file simply covers fewer Regions."""
    items = read_offer_file(path, regions)
    return refresh_tables(
        items, channel=f"{OFFER_CHANNEL} {Path(path).name}", directory=directory, today=today, dry_run=dry_run,
        required_regions=(regions or ()) if require_each_region else (),
    )


def refresh_from_research_dir(
    path: Path, *, directory: Path, regions: Sequence[str] | None, today: dt.date, dry_run: bool,
    require_each_region: bool,
) -> RefreshResult:
    """Refresh from the all-Region research CSV format (the pricing pages' own data; see research_format)."""
    directory = Path(directory)
    old_book = load_price_book(directory)
    research = read_research_dir(path)
    wanted = set(regions) if regions is not None else set(research.regions)
    missing = sorted(wanted - set(research.regions)) if require_each_region else []
    if missing:
        raise RefreshAnomaly(f"The research tables in {path} have no ElastiCache node prices for "
                             f"{', '.join(missing)}; nothing was refreshed (check the region codes).")
    refreshed = sorted(wanted & set(research.regions))
    if not refreshed:
        raise RefreshAnomaly(f"The research tables in {path} price none of the Regions asked for; nothing was "
                             "refreshed.")
    tables = _read_tables(directory)
    for name, rows in (("on_demand.csv", research.on_demand), ("reserved.csv", research.reserved),
                       ("serverless.csv", research.serverless)):
        for row in rows:
            if row["region"] in wanted:
                tables[name].put(row)
    other = tables["other_rates.csv"]
    for row in research.backup:
        if row["region"] in wanted:
            # The one backup rate replaces every older backup row of that Region, so lookups never compete.
            for key in [k for k, old in other.rows.items()
                        if old["item"] == "backup_storage" and old["region"] == row["region"]]:
                del other.rows[key]
            other.put(row)
    published = max(dt.date.fromisoformat(research.region_dates[r]) for r in refreshed)
    new_book, changed = _write_checked(directory, tables, published, f"{RESEARCH_CHANNEL} {Path(path).name}",
                                       refreshed, today, dry_run)
    return RefreshResult(
        diff=diff_books(old_book, new_book), written=not dry_run and bool(changed), regions=refreshed,
        as_of=new_book.manifest.as_of, changed_files=changed,
    )
