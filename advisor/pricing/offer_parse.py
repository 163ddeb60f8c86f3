"""Turn AWS Price List products (get_products items or bulk offer-file entries) into typed price facts.

Pure: no network, no files. Every product is either turned into facts, skipped for a stated reason, or
refused with `MalformedOffer`. Skips are explicit early returns, as ec2instances.info does, because the
ElastiCache offer mixes real node prices with add-ons (Extended Support, sync durability), Outposts rows
and zero-priced placeholders that would otherwise overwrite a node price.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from advisor.errors import PricingDataError
from advisor.pricing.schema import PAYMENT_OPTIONS, Engine, PaymentOption

ENGINE_BY_ATTRIBUTE: dict[str, Engine] = {"redis": "redis", "valkey": "valkey", "memcached": "memcached"}
FAMILY_CACHE_INSTANCE = "Cache Instance"
FAMILY_SERVERLESS = "ElastiCache Serverless"
FAMILY_SNAPSHOT = "Storage Snapshot"
FAMILY_DATA_TRANSFER = "Data Transfer"
PRODUCT_FAMILIES: tuple[str, ...] = (FAMILY_CACHE_INSTANCE, FAMILY_SERVERLESS, FAMILY_SNAPSHOT, FAMILY_DATA_TRANSFER)

# Usage types carry a region prefix ("EUW2-") except, often, in us-east-1. Anything else before
# "NodeUsage" (ExtendedSupportYr3-, Outpost-, ...) is an add-on and must not match.
NODE_USAGE = re.compile(r"^(?:[A-Z]{2,4}\d?-)?NodeUsage:(cache\.[a-z0-9]+\.[a-z0-9]+)$")
ADD_ON_USAGE_MARKERS = ("ExtendedSupport", "SyncDurability", "Outpost")
CACHED_DATA = re.compile(r"(?:^|-)CachedData:(\w+)$")
ECPU_USAGE = re.compile(r"(?:^|-)ElastiCacheProcessingUnits:(\w+)$")
BACKUP_USAGE = re.compile(r"(?:^|-)BackupUsage(?::(\w+))?$")
INTER_REGION_OUT = re.compile(r"-AWS-Out-Bytes$")
LEASE_YEARS = {"1yr": 1, "3yr": 3}
ECPU_PER_MILLION = Decimal(1_000_000)
BACKUP_ALL_ENGINES = "redis/valkey"  # Memcached has no backups; an engine-less BackupUsage SKU covers both.


class MalformedOffer(PricingDataError):
    """A product in the offer data lacks a field a price needs; the refresh stops rather than guess."""


@dataclass(frozen=True)
class Origin:
    """Where one figure was read: enough to find the SKU again in the offer."""

    sku: str
    publication_date: dt.date | None
    term_code: str | None = None

    def describe(self, channel: str) -> str:
        term = f" offerTermCode={self.term_code}" if self.term_code else ""
        published = self.publication_date.isoformat() if self.publication_date else "unknown"
        return f"{channel} AmazonElastiCache sku={self.sku}{term} publicationDate={published}"


@dataclass(frozen=True)
class NodeSpec:
    node_type: str
    current_generation: bool
    vcpu: int | None
    memory_gib: Decimal | None
    network_gbps_baseline: Decimal | None
    network_gbps_burst: Decimal | None
    origin: Origin


@dataclass(frozen=True)
class NodePrice:
    region: str
    engine: Engine
    node_type: str
    usd_per_hour: Decimal
    origin: Origin


@dataclass(frozen=True)
class ReservedTerm:
    region: str
    engine: Engine
    node_type: str
    term_years: int
    payment_option: PaymentOption
    upfront_usd: Decimal
    usd_per_hour: Decimal
    origin: Origin


@dataclass(frozen=True)
class UsageRate:
    """A per-unit rate that is not a node: serverless storage/ECPU, backup, Global Datastore transfer."""

    kind: str  # serverless_storage | serverless_ecpu_per_million | backup_storage | global_datastore_transfer
    region: str
    engine: str
    usd: Decimal
    unit: str
    origin: Origin
    detail: str = ""


@dataclass
class ParsedOffer:
    node_specs: dict[str, NodeSpec] = field(default_factory=dict)
    on_demand: dict[tuple[str, str, str], NodePrice] = field(default_factory=dict)
    reserved: dict[tuple[str, str, str, int, str], ReservedTerm] = field(default_factory=dict)
    rates: list[UsageRate] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    publication_dates: set[dt.date] = field(default_factory=set)

    def skip(self, reason: str) -> None:
        self.skipped[reason] += 1


@dataclass(frozen=True)
class OfferItem:
    """One product with its terms, the shape get_products returns per PriceList entry."""

    product: Mapping[str, Any]
    terms: Mapping[str, Any]
    publication_date: dt.date | None


def parse_publication_date(value: object) -> dt.date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError as exc:
        raise MalformedOffer(f"publicationDate {value!r} is not an ISO date") from exc


def item_from_price_list_entry(entry: Mapping[str, Any]) -> OfferItem:
    """A get_products PriceList entry (already json-decoded)."""
    product = entry.get("product")
    if not isinstance(product, Mapping):
        raise MalformedOffer(f"a PriceList entry has no 'product' object (keys: {sorted(entry)})")
    terms = entry.get("terms") or {}
    if not isinstance(terms, Mapping):
        raise MalformedOffer(f"product {product.get('sku')} has a 'terms' value that is not an object")
    published = parse_publication_date(entry.get("publicationDate"))
    return OfferItem(product=product, terms=terms, publication_date=published)


def items_from_offer_file(offer: Mapping[str, Any]) -> list[OfferItem]:
    """Regroup a bulk offer file (products and terms in separate maps keyed by SKU) into per-product items."""
    products = offer.get("products")
    terms = offer.get("terms")
    if not isinstance(products, Mapping) or not isinstance(terms, Mapping):
        raise MalformedOffer("the offer file has no 'products' and 'terms' maps: is it an AWS bulk offer file?")
    published = parse_publication_date(offer.get("publicationDate"))
    items = []
    for sku, product in products.items():
        per_sku = {term_type: by_sku[sku] for term_type, by_sku in terms.items() if sku in by_sku}
        items.append(OfferItem(product=product, terms=per_sku, publication_date=published))
    return items


def _decimal(raw: object, what: str, sku: str) -> Decimal:
    try:
        value = Decimal(str(raw))
    except InvalidOperation as exc:
        raise MalformedOffer(f"{what} of SKU {sku} is not a number: {raw!r}") from exc
    if not value.is_finite() or value < 0:
        raise MalformedOffer(f"{what} of SKU {sku} is not a non-negative number: {raw!r}")
    return value


def _dimensions(term: Mapping[str, Any], sku: str) -> list[Mapping[str, Any]]:
    dims = term.get("priceDimensions")
    if not isinstance(dims, Mapping) or not dims:
        raise MalformedOffer(f"a price term of SKU {sku} has no priceDimensions: the price is missing")
    return list(dims.values())


def _usd(dim: Mapping[str, Any], sku: str) -> Decimal | None:
    """The USD price of one dimension; None when the dimension is priced in another currency only."""
    per_unit = dim.get("pricePerUnit")
    if not isinstance(per_unit, Mapping) or not per_unit:
        raise MalformedOffer(f"a price dimension of SKU {sku} has no pricePerUnit: the price is missing")
    if "USD" not in per_unit:
        return None
    return _decimal(per_unit["USD"], "pricePerUnit.USD", sku)


def _single_on_demand(item: OfferItem, sku: str) -> tuple[Decimal | None, str, str | None]:
    """(USD price or None if not in USD, unit, term code) of the one on-demand dimension of a product."""
    on_demand = item.terms.get("OnDemand")
    if not isinstance(on_demand, Mapping) or not on_demand:
        raise MalformedOffer(f"SKU {sku} has no OnDemand term: the price is missing")
    prices = []
    for term in on_demand.values():
        for dim in _dimensions(term, sku):
            prices.append((_usd(dim, sku), str(dim.get("unit", "")), term.get("offerTermCode")))
    if len(prices) != 1:
        raise MalformedOffer(f"SKU {sku} has {len(prices)} on-demand price dimensions where one was expected")
    return prices[0]


def _usable_on_demand(item: OfferItem, sku: str, parsed: ParsedOffer) -> tuple[Decimal, str, Origin] | None:
    """The product's one USD on-demand price with its origin, or None after recording why it is skipped."""
    price, unit, term_code = _single_on_demand(item, sku)
    if price is None:
        parsed.skip("price not in USD")
        return None
    if price == 0:
        parsed.skip("zero-priced placeholder SKU")
        return None
    _keep_date(parsed, item)
    return price, unit, Origin(sku=sku, publication_date=item.publication_date, term_code=term_code)


def _engine(attributes: Mapping[str, Any], usage_suffix: str | None = None) -> Engine | None:
    raw = attributes.get("cacheEngine") or usage_suffix or ""
    return ENGINE_BY_ATTRIBUTE.get(str(raw).strip().lower())


def parse_items(items: Iterable[OfferItem]) -> ParsedOffer:
    parsed = ParsedOffer()
    for item in items:
        _parse_item(item, parsed)
    return parsed


def _parse_item(item: OfferItem, parsed: ParsedOffer) -> None:
    product = item.product
    sku = product.get("sku")
    attributes = product.get("attributes")
    if not isinstance(sku, str) or not sku or not isinstance(attributes, Mapping):
        raise MalformedOffer(f"a product has no sku or no attributes (sku={sku!r}): the offer data is malformed")
    family = product.get("productFamily")
    if family == FAMILY_CACHE_INSTANCE:
        _parse_cache_instance(item, sku, attributes, parsed)
    elif family in (FAMILY_SERVERLESS, FAMILY_SNAPSHOT):
        _parse_usage(item, sku, attributes, parsed)
    elif family == FAMILY_DATA_TRANSFER:
        _parse_transfer(item, sku, attributes, parsed)
    else:
        parsed.skip(f"product family {family!r} is not priced by the advisor")


def _is_outposts(attributes: Mapping[str, Any]) -> bool:
    location_type = str(attributes.get("locationType", "AWS Region"))
    return location_type != "AWS Region" or "Outpost" in str(attributes.get("usagetype", ""))


def _parse_cache_instance(item: OfferItem, sku: str, attributes: Mapping[str, Any], parsed: ParsedOffer) -> None:
    usage = str(attributes.get("usagetype", ""))
    if _is_outposts(attributes):
        parsed.skip("Outposts row: priced per rack, not per node-hour")
        return
    if any(marker in usage for marker in ADD_ON_USAGE_MARKERS):
        parsed.skip("add-on usage type (Extended Support, SyncDurability): a surcharge, never a node price")
        return
    match = NODE_USAGE.match(usage)
    if match is None:
        parsed.skip(f"usage type is not a plain NodeUsage: {usage.split('-')[-1].split(':')[0] or 'none'}")
        return
    engine = _engine(attributes)
    if engine is None:
        parsed.skip("no Valkey/Redis/Memcached cacheEngine attribute (engine-less SKU)")
        return
    region = attributes.get("regionCode")
    node_type = attributes.get("instanceType") or match.group(1)
    if not isinstance(region, str) or not region:
        raise MalformedOffer(f"node SKU {sku} ({usage}) has no regionCode attribute")
    if node_type != match.group(1):
        raise MalformedOffer(f"node SKU {sku}: instanceType {node_type!r} disagrees with usage type {usage!r}")
    usable = _usable_on_demand(item, sku, parsed)
    if usable is None:
        return
    price, _unit, origin = usable
    _put(parsed.on_demand, (region, engine, node_type), NodePrice(region, engine, node_type, price, origin),
         lambda p: p.usd_per_hour)
    _record_spec(parsed, node_type, attributes, origin)
    for reserved in _reserved_terms(item, sku, region, engine, node_type, parsed):
        key = (region, engine, node_type, reserved.term_years, reserved.payment_option)
        _put(parsed.reserved, key, reserved, lambda r: (r.upfront_usd, r.usd_per_hour))


def _reserved_terms(
    item: OfferItem, sku: str, region: str, engine: Engine, node_type: str, parsed: ParsedOffer
) -> list[ReservedTerm]:
    reserved = item.terms.get("Reserved") or {}
    if not isinstance(reserved, Mapping):
        raise MalformedOffer(f"SKU {sku} has a Reserved value that is not an object")
    out = []
    for term in reserved.values():
        attrs = term.get("termAttributes") or {}
        years = LEASE_YEARS.get(str(attrs.get("LeaseContractLength")))
        option = attrs.get("PurchaseOption")
        if option not in PAYMENT_OPTIONS:
            parsed.skip("reserved term with a legacy purchase option (Heavy/Medium/Light Utilization)")
            continue
        if years is None:
            lease = attrs.get("LeaseContractLength")
            raise MalformedOffer(f"reserved term of SKU {sku} has an unknown LeaseContractLength {lease!r}")
        upfront = Decimal(0)
        hourly = Decimal(0)
        non_usd = False
        for dim in _dimensions(term, sku):
            value = _usd(dim, sku)
            if value is None:
                non_usd = True
                continue
            unit = str(dim.get("unit", ""))
            if unit == "Quantity":
                upfront = value
            elif unit in ("Hrs", "Hours"):
                hourly = value
            else:
                raise MalformedOffer(f"reserved term of SKU {sku} has a price dimension in unknown unit {unit!r}")
        if non_usd:
            parsed.skip("price not in USD")
            continue
        if upfront == 0 and hourly == 0:
            parsed.skip("zero-priced placeholder SKU")
            continue
        out.append(ReservedTerm(
            region=region, engine=engine, node_type=node_type, term_years=years, payment_option=option,
            upfront_usd=upfront, usd_per_hour=hourly,
            origin=Origin(sku=sku, publication_date=item.publication_date, term_code=term.get("offerTermCode")),
        ))
    return out


def _parse_usage(item: OfferItem, sku: str, attributes: Mapping[str, Any], parsed: ParsedOffer) -> None:
    usage = str(attributes.get("usagetype", ""))
    if _is_outposts(attributes):
        parsed.skip("Outposts row: priced per rack, not per node-hour")
        return
    storage, ecpu, backup = CACHED_DATA.search(usage), ECPU_USAGE.search(usage), BACKUP_USAGE.search(usage)
    if storage is None and ecpu is None and backup is None:
        parsed.skip(f"usage type {usage.split('-', 1)[-1] or 'none'} is not priced by the advisor")
        return
    matched = storage or ecpu or backup
    assert matched is not None  # narrowed above; keeps type checkers honest
    engine: str | None = _engine(attributes, matched.group(1))
    if engine is None and backup is not None and matched.group(1) is None:
        engine = BACKUP_ALL_ENGINES
    if engine is None:
        parsed.skip("no Valkey/Redis/Memcached engine on a usage SKU")
        return
    region = attributes.get("regionCode")
    if not isinstance(region, str) or not region:
        raise MalformedOffer(f"usage SKU {sku} ({usage}) has no regionCode attribute")
    usable = _usable_on_demand(item, sku, parsed)
    if usable is None:
        return
    price, unit, origin = usable
    if storage is not None:
        parsed.rates.append(UsageRate("serverless_storage", region, engine, price, unit, origin))
    elif ecpu is not None:
        # The API prices one ECPU; the table holds USD per million ECPU.
        parsed.rates.append(UsageRate(
            "serverless_ecpu_per_million", region, engine, price * ECPU_PER_MILLION, unit, origin,
            detail=f"{price} per ECPU x 1,000,000",
        ))
    else:
        parsed.rates.append(UsageRate("backup_storage", region, engine, price, unit, origin, detail=usage))


def _parse_transfer(item: OfferItem, sku: str, attributes: Mapping[str, Any], parsed: ParsedOffer) -> None:
    usage = str(attributes.get("usagetype", ""))
    if INTER_REGION_OUT.search(usage) is None or attributes.get("transferType") != "InterRegion Outbound":
        parsed.skip("data transfer that is not inter-Region replication (Global Datastore)")
        return
    region = attributes.get("fromRegionCode") or attributes.get("regionCode")
    if not isinstance(region, str) or not region:
        raise MalformedOffer(f"transfer SKU {sku} ({usage}) has no fromRegionCode attribute")
    usable = _usable_on_demand(item, sku, parsed)
    if usable is None:
        return
    price, unit, origin = usable
    destination = attributes.get("toRegionCode", "?")
    parsed.rates.append(UsageRate(
        "global_datastore_transfer", region, "redis/valkey", price, unit, origin, detail=f"to {destination}",
    ))


def _keep_date(parsed: ParsedOffer, item: OfferItem) -> None:
    if item.publication_date is not None:
        parsed.publication_dates.add(item.publication_date)


def _put(table: dict[Any, Any], key: tuple[Any, ...], value: Any, price_of: Any) -> None:
    """Store a fact; two SKUs that disagree on the same price are an anomaly, not something to pick from."""
    existing = table.get(key)
    if existing is not None and price_of(existing) != price_of(value):
        raise MalformedOffer(
            f"SKUs {existing.origin.sku} and {value.origin.sku} give different prices for {key}: "
            f"{price_of(existing)} vs {price_of(value)}"
        )
    table.setdefault(key, value)


MEMORY = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*GiB\s*$", re.IGNORECASE)
NETWORK = re.compile(r"^\s*(Up to\s+)?([0-9]+(?:\.[0-9]+)?)\s*Gigabit\s*$", re.IGNORECASE)


def _record_spec(parsed: ParsedOffer, node_type: str, attributes: Mapping[str, Any], origin: Origin) -> None:
    if node_type in parsed.node_specs:
        return
    vcpu_raw = str(attributes.get("vcpu", "")).strip()
    memory_match = MEMORY.match(str(attributes.get("memory", "")))
    network_match = NETWORK.match(str(attributes.get("networkPerformance", "")))
    baseline = burst = None
    if network_match is not None:
        # "Up to N Gigabit" is the burst ceiling; a bare "N Gigabit" is sustained bandwidth.
        if network_match.group(1):
            burst = Decimal(network_match.group(2))
        else:
            baseline = Decimal(network_match.group(2))
    parsed.node_specs[node_type] = NodeSpec(
        node_type=node_type,
        current_generation=str(attributes.get("currentGeneration", "Yes")).lower() != "no",
        vcpu=int(vcpu_raw) if vcpu_raw.isdigit() and int(vcpu_raw) > 0 else None,
        memory_gib=Decimal(memory_match.group(1)) if memory_match else None,
        network_gbps_baseline=baseline,
        network_gbps_burst=burst,
        origin=origin,
    )
