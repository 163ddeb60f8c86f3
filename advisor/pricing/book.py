"""The loaded price tables with the lookups the cost models need. Immutable after construction."""

from __future__ import annotations

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
        suffix = " (estimate)" if self.is_estimate else ""
        return f"{self.term_years}-year {self.payment_option}{suffix}"


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
        self.reserved: dict[tuple[str, str, str, int, str], ReservedPrice] = {
            (r.region, r.engine, r.node_type, r.term_years, r.payment_option): r for r in reserved
        }
        self.discounts: dict[tuple[int, str], ReservedDiscount] = {
            (d.term_years, d.payment_option): d for d in discounts
        }
        self.serverless: dict[tuple[str, str], ServerlessPrice] = {(s.region, s.engine): s for s in serverless}
        self.other = other

    @cached_property
    def regions(self) -> list[str]:
        """Regions with at least one bundled node price, sorted."""
        return sorted({region for region, _, _ in self.on_demand})

    def require_region(self, region: str) -> None:
        if region not in self.regions:
            raise RegionNotPriced(
                f"No bundled ElastiCache prices for {region}. Bundled regions: {', '.join(self.regions)}. "
                "Refresh the price tables for this region instead of borrowing another region's numbers."
            )

    def priced_nodes(self, region: str, engine: Engine) -> list[tuple[NodeType, OnDemandPrice]]:
        """Every node type with an on-demand price for this region and engine, in table order."""
        return [
            (self.nodes[node_type], price)
            for (r, e, node_type), price in self.on_demand.items()
            if r == region and e == engine
        ]

    def node_price(self, region: str, engine: Engine, node_type: str) -> OnDemandPrice | None:
        return self.on_demand.get((region, engine, node_type))

    def reserved_option(
        self, region: str, engine: Engine, node_type: str, term_years: int, payment_option: PaymentOption
    ) -> ReservedOption | None:
        """The published reservation if bundled, otherwise an estimate from the typical discount."""
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
