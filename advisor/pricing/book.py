"""The loaded price tables with the lookups the cost models need. Immutable after construction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from advisor.errors import RegionNotPriced
from advisor.money import HOURS_PER_YEAR
from advisor.pricing.schema import (
    PAYMENT_OPTIONS,
    TERMS,
    Basis,
    Engine,
    Manifest,
    NodeType,
    OnDemandPrice,
    OtherRate,
    PaymentOption,
    ReservedDiscount,
    ReservedPrice,
    ServerlessPrice,
)


@dataclass(frozen=True)
class ReservedOption:
    """One reserved-node offer for a node type, published or estimated from the typical discount."""

    node_type: str
    engine: Engine
    region: str
    term_years: int
    payment_option: PaymentOption
    upfront_usd: Decimal | None
    usd_per_hour: Decimal | None
    effective_usd_per_hour: Decimal
    basis: Basis
    source: str

    @property
    def is_estimate(self) -> bool:
        return self.basis == Basis.ESTIMATE

    @property
    def label(self) -> str:
        suffix = f" ({self.basis.value})" if self.basis != Basis.PUBLISHED else ""
        return f"{self.term_years}-year {self.payment_option}{suffix}"


# Documented AWS rules for the reservations the sources do not publish (the manifest's `basis_values`):
# Valkey nodes are priced 20% below Redis OSS (every on-demand pair in the bundled data agrees), and Redis OSS
# and Memcached nodes cost the same (the pricing pages list one engine-less reservation per node type).
VALKEY_FACTOR = Decimal("0.8")
RESERVATION_BASES: dict[str, tuple[tuple[str, Decimal, str], ...]] = {
    "valkey": (("redis", VALKEY_FACTOR, "0.8 x the Redis OSS reservation (AWS prices Valkey nodes 20% below "
                                        "Redis OSS)"),
               ("memcached", VALKEY_FACTOR, "0.8 x the reservation published for Memcached (= Redis OSS; AWS "
                                            "prices Valkey nodes 20% below Redis OSS)")),
    "redis": (("memcached", Decimal(1), "the reservation published for Memcached (Redis OSS and Memcached "
                                        "nodes cost the same)"),),
    "memcached": (("redis", Decimal(1), "the reservation published for Redis OSS (Redis OSS and Memcached nodes "
                                        "cost the same)"),),
}


class PriceBook:
    """Lookups over validated tables. Construct through `load_price_book`."""

    def __init__(
        self,
        *,
        manifest: Manifest,
        nodes: list[NodeType],
        on_demand: list[OnDemandPrice],
        reserved: list[ReservedPrice],
        discounts: list[ReservedDiscount],
        serverless: list[ServerlessPrice],
        other: list[OtherRate],
    ) -> None:
        self.manifest = manifest
        self.nodes: dict[str, NodeType] = {n.node_type: n for n in nodes}
        self.on_demand: dict[tuple[str, str, str], OnDemandPrice] = {
            (p.region, p.engine, p.node_type): p for p in on_demand
        }
        self._by_region_engine: dict[tuple[str, str], list[OnDemandPrice]] = {}
        for p in on_demand:
            self._by_region_engine.setdefault((p.region, p.engine), []).append(p)
        self.reserved: dict[tuple[str, str, str, int, str], ReservedPrice] = {
            (r.region, r.engine, r.node_type, r.term_years, r.payment_option): r for r in reserved
        }
        self.discounts: dict[tuple[int, str], ReservedDiscount] = {
            (d.term_years, d.payment_option): d for d in discounts
        }
        self._families_cache: dict[str, list[str]] = {}
        self._unoffered_cache: dict[str, list[str]] = {}
        self.serverless: dict[tuple[str, str], ServerlessPrice] = {(s.region, s.engine): s for s in serverless}
        self.other = other

    @cached_property
    def regions(self) -> list[str]:
        """Regions with at least one bundled node price, sorted."""
        return sorted({region for region, _, _ in self.on_demand})

    def require_region(self, region: str) -> None:
        if region not in self.regions:
            why = self.manifest.excluded_regions.get(region)
            reason = f" ({why})" if why else ""
            raise RegionNotPriced(
                f"No bundled ElastiCache prices for {region}{reason}. Bundled regions: {', '.join(self.regions)}. "
                "Refresh the price tables for this region instead of borrowing another region's numbers."
            )

    def region_as_of(self, region: str) -> dt.date:
        """The date of the newest source behind this Region's prices (the manifest's as-of date if unrecorded)."""
        return self.manifest.region_as_of.get(region, self.manifest.as_of)

    def priced_nodes(self, region: str, engine: Engine) -> list[tuple[NodeType, OnDemandPrice]]:
        """Every node type with an on-demand price for this region and engine, in table order."""
        return [(self.nodes[price.node_type], price) for price in self._by_region_engine.get((region, engine), [])]

    def node_families(self, region: str, engine: Engine) -> list[str]:
        """The node families this Region offers for the engine, sorted."""
        return sorted({node.family for node, _ in self.priced_nodes(region, engine)})

    def unoffered_families(self, region: str, engine: Engine) -> list[str]:
        """Current-generation families priced for the engine in some Region but not in this one, sorted."""
        # Memoised: the book is immutable and every optimizer run asks (the flip search runs it ~80 times).
        key = f"{region}/{engine}"
        found = self._unoffered_cache.get(key)
        if found is None:
            offered = set(self.node_families(region, engine))
            found = [family for family in self._current_families(engine) if family not in offered]
            self._unoffered_cache[key] = found
        return list(found)

    def _current_families(self, engine: Engine) -> list[str]:
        families = self._families_cache.get(engine)
        if families is None:
            families = sorted({self.nodes[p.node_type].family for (_, e, _), p in self.on_demand.items()
                               if e == engine and self.nodes[p.node_type].generation == "current"
                               and self.nodes[p.node_type].family not in ("t1", "t2")})
            self._families_cache[engine] = families
        return families

    def node_price(self, region: str, engine: Engine, node_type: str) -> OnDemandPrice | None:
        return self.on_demand.get((region, engine, node_type))

    def reserved_option(
        self, region: str, engine: Engine, node_type: str, term_years: int, payment_option: PaymentOption
    ) -> ReservedOption | None:
        """The published reservation if bundled, else one derived by a documented AWS rule from the other
        engine's published reservation, else an estimate from the typical discount."""
        published = self.reserved.get((region, engine, node_type, term_years, payment_option))
        if published is not None:
            return ReservedOption(
                node_type=node_type, engine=engine, region=region, term_years=term_years,
                payment_option=payment_option, upfront_usd=published.upfront_usd,
                usd_per_hour=published.usd_per_hour, effective_usd_per_hour=published.effective_usd_per_hour,
                basis=published.basis, source=published.source,
            )
        on_demand = self.node_price(region, engine, node_type)
        if on_demand is None:
            return None
        for base_engine, factor, rule in RESERVATION_BASES[engine]:
            base = self.reserved.get((region, base_engine, node_type, term_years, payment_option))
            if base is None or base.basis != Basis.PUBLISHED:
                continue
            return ReservedOption(
                node_type=node_type, engine=engine, region=region, term_years=term_years,
                payment_option=payment_option,
                upfront_usd=None if base.upfront_usd is None else base.upfront_usd * factor,
                usd_per_hour=None if base.usd_per_hour is None else base.usd_per_hour * factor,
                effective_usd_per_hour=base.effective_usd_per_hour * factor, basis=Basis.DERIVED,
                source=(f"DERIVED (no published {engine} reservation): {rule}: upfront {base.upfront_usd}, hourly "
                        f"{base.usd_per_hour} | {base.source}"),
            )
        discount = self.discounts[(term_years, payment_option)]
        effective = on_demand.usd_per_hour * (1 - discount.typical_discount)
        term_hours = HOURS_PER_YEAR * term_years
        upfront = effective * term_hours * discount.upfront_share
        hourly = effective * (1 - discount.upfront_share)
        return ReservedOption(
            node_type=node_type, engine=engine, region=region, term_years=term_years,
            payment_option=payment_option, upfront_usd=upfront, usd_per_hour=hourly,
            effective_usd_per_hour=effective, basis=Basis.ESTIMATE,
            source=(
                f"ESTIMATE: on-demand {on_demand.usd_per_hour}/h less the typical {term_years}-year "
                f"{payment_option} discount of {discount.typical_discount:.0%} ({discount.source})"
            ),
        )

    def reserved_options(self, region: str, engine: Engine, node_type: str) -> list[ReservedOption]:
        options = []
        for term in TERMS:
            for payment in PAYMENT_OPTIONS:
                option = self.reserved_option(region, engine, node_type, term, payment)
                if option is not None:
                    options.append(option)
        return options

    def serverless_price(self, region: str, engine: Engine) -> ServerlessPrice | None:
        return self.serverless.get((region, engine))

    def other_rate(self, item: str, region: str, engine: str, node_type: str | None = None) -> OtherRate | None:
        for rate in self.other:
            if rate.item != item or rate.region != region:
                continue
            if engine not in rate.engine.split("/"):
                continue
            if node_type is not None and rate.node_type not in (None, node_type):
                continue
            return rate
        return None
