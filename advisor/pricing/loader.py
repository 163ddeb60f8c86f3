"""Load the bundled price tables, validate every row, and refuse tables that fail a sanity guard.

The guards are the ones other price tools learned the hard way: a reserved effective rate must be below
on-demand, Valkey must not cost more than Redis OSS on the same node, and add-on usage types (Extended
Support, sync durability) must never be read as a node price.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from decimal import Decimal
from operator import attrgetter
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from advisor.errors import PricingDataError
from advisor.pricing.book import PriceBook
from advisor.pricing.schema import (
    Manifest,
    NodeType,
    OnDemandPrice,
    OtherRate,
    ReservedDiscount,
    ReservedPrice,
    ServerlessPrice,
)

DEFAULT_PRICING_DIR = Path(__file__).resolve().parents[2] / "pricing_data"
SUPPORTED_SCHEMA_VERSION = 1
ADD_ON_MARKERS = ("ExtendedSupport", "Extended Support", "SyncDurability", "Outpost")
# Effective rate must equal upfront/hours + hourly; published figures are rounded, so allow 1%.
EFFECTIVE_RATE_TOLERANCE = Decimal("0.01")

Row = TypeVar("Row", bound=BaseModel)


def _read_rows(path: Path, model: type[Row]) -> list[Row]:
    if not path.exists():
        raise PricingDataError(f"Price table {path.name} is missing from {path.parent}.")
    rows: list[Row] = []
    with path.open(newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        # csv.reader plus zip is about twice as fast as DictReader over the all-Region tables.
        for line_no, values in enumerate(reader, start=2):
            if not values:
                continue  # a blank line, as DictReader would skip it
            if len(values) != len(header):
                raise PricingDataError(f"{path.name} line {line_no} has {len(values)} fields; the header has "
                                       f"{len(header)}")
            try:
                rows.append(model.model_validate(dict(zip(header, values, strict=True))))
            except ValidationError as exc:
                problems = "; ".join(
                    f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
                )
                raise PricingDataError(f"{path.name} line {line_no} is invalid: {problems}") from exc
    return rows


def _guard(condition: bool, message: str) -> None:
    if not condition:
        raise PricingDataError(message)


def _check_node_types_priced(nodes: Iterable[NodeType], on_demand: list[OnDemandPrice]) -> None:
    priced = {p.node_type for p in on_demand}
    unpriced = sorted(n.node_type for n in nodes if n.node_type not in priced)
    _guard(not unpriced, f"node_types.csv lists node types with no on-demand price anywhere: {unpriced}")
    unknown = sorted(priced - {n.node_type for n in nodes})
    _guard(not unknown, f"on_demand.csv prices node types that node_types.csv does not list: {unknown}")


def _check_no_add_ons(on_demand: list[OnDemandPrice]) -> None:
    for price in on_demand:
        _guard(
            not any(marker in price.source for marker in ADD_ON_MARKERS),
            f"on_demand.csv row {price.region}/{price.engine}/{price.node_type} comes from an add-on usage type, "
            "not a node price",
        )


def _check_valkey_not_above_redis(on_demand: list[OnDemandPrice]) -> None:
    redis = {(p.region, p.node_type): p.usd_per_hour for p in on_demand if p.engine == "redis"}
    for p in on_demand:
        if p.engine != "valkey" or (p.region, p.node_type) not in redis:
            continue
        _guard(
            p.usd_per_hour <= redis[(p.region, p.node_type)],
            f"Valkey costs more than Redis OSS for {p.node_type} in {p.region}: {p.usd_per_hour} > "
            f"{redis[(p.region, p.node_type)]}",
        )


def _check_reserved(reserved: list[ReservedPrice], on_demand: list[OnDemandPrice]) -> None:
    od = {(p.region, p.engine, p.node_type): p.usd_per_hour for p in on_demand}
    for r in reserved:
        key = (r.region, r.engine, r.node_type)
        label = f"{r.node_type} {r.engine} {r.region} {r.term_years}y {r.payment_option}"
        _guard(key in od, f"reserved.csv prices {label} but there is no on-demand price to compare it with")
        _guard(r.effective_usd_per_hour < od[key], f"reserved effective rate is not below on-demand for {label}")
        if r.upfront_usd is not None and r.usd_per_hour is not None:
            hours = Decimal(8760 * r.term_years)
            computed = r.upfront_usd / hours + r.usd_per_hour
            _guard(
                abs(computed - r.effective_usd_per_hour) <= EFFECTIVE_RATE_TOLERANCE * r.effective_usd_per_hour,
                f"reserved effective rate for {label} does not equal upfront/hours + hourly",
            )
        if r.payment_option == "All Upfront":
            _guard(not r.usd_per_hour, f"All Upfront reservation {label} has an hourly charge")
        if r.payment_option == "No Upfront":
            _guard(not r.upfront_usd, f"No Upfront reservation {label} has an upfront fee")


def _check_unique(rows: list[Row], key_fields: tuple[str, ...], table: str) -> None:
    key_of = attrgetter(*key_fields)
    keys = [key_of(row) for row in rows]
    if len(set(keys)) == len(keys):
        return
    seen: set[object] = set()
    for key in keys:
        _guard(key not in seen, f"{table} has a duplicate row for {key}")
        seen.add(key)


def load_price_book(directory: Path | str = DEFAULT_PRICING_DIR) -> PriceBook:
    """Read and validate every table under `directory`; raise PricingDataError on the first problem."""
    directory = Path(directory)
    manifest_path = directory / "manifest.json"
    if not manifest_path.exists():
        raise PricingDataError(f"manifest.json is missing from {directory}: the price tables have no as-of date.")
    try:
        manifest = Manifest.model_validate(json.loads(manifest_path.read_text()))
    except (ValidationError, json.JSONDecodeError) as exc:
        raise PricingDataError(f"manifest.json is invalid: {exc}") from exc
    _guard(
        manifest.schema_version == SUPPORTED_SCHEMA_VERSION,
        f"pricing_data schema version {manifest.schema_version} is not supported (expected "
        f"{SUPPORTED_SCHEMA_VERSION})",
    )
    nodes = _read_rows(directory / "node_types.csv", NodeType)
    on_demand = _read_rows(directory / "on_demand.csv", OnDemandPrice)
    reserved = _read_rows(directory / "reserved.csv", ReservedPrice)
    discounts = _read_rows(directory / "reserved_discounts.csv", ReservedDiscount)
    serverless = _read_rows(directory / "serverless.csv", ServerlessPrice)
    other = _read_rows(directory / "other_rates.csv", OtherRate)

    _check_unique(nodes, ("node_type",), "node_types.csv")
    _check_unique(on_demand, ("region", "engine", "node_type"), "on_demand.csv")
    _check_unique(reserved, ("region", "engine", "node_type", "term_years", "payment_option"), "reserved.csv")
    _check_unique(serverless, ("region", "engine"), "serverless.csv")
    _check_node_types_priced(nodes, on_demand)
    _check_no_add_ons(on_demand)
    _check_valkey_not_above_redis(on_demand)
    _check_reserved(reserved, on_demand)
    _guard(
        {(d.term_years, d.payment_option) for d in discounts} == {(t, p) for t in (1, 3) for p in
                                                                   ("No Upfront", "Partial Upfront", "All Upfront")},
        "reserved_discounts.csv must have one row for each term and payment option",
    )
    return PriceBook(
        manifest=manifest, nodes=nodes, on_demand=on_demand, reserved=reserved, discounts=discounts,
        serverless=serverless, other=other,
    )
