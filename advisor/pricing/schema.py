"""Typed rows of the bundled price tables. A malformed row fails validation when the tables load."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Engine = Literal["valkey", "redis", "memcached"]
ENGINES: tuple[Engine, ...] = ("valkey", "redis", "memcached")

PaymentOption = Literal["No Upfront", "Partial Upfront", "All Upfront"]
PAYMENT_OPTIONS: tuple[PaymentOption, ...] = ("No Upfront", "Partial Upfront", "All Upfront")
TERMS: tuple[int, ...] = (1, 3)


class Basis(StrEnum):
    PUBLISHED = "published"
    DERIVED = "derived"
    ESTIMATE = "estimate"


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value == "" else value


class Provenance(_Row):
    basis: Basis
    source_date: dt.date
    confidence: str
    source: str = Field(min_length=3)


class NodeType(_Row):
    node_type: str = Field(pattern=r"^cache\.[a-z0-9]+\.[a-z0-9]+$")
    family: str
    generation: Literal["current", "previous"]
    vcpu: int | None = Field(default=None, gt=0)
    memory_gib: Decimal = Field(gt=0)
    network_gbps_baseline: Decimal | None = Field(default=None, gt=0)
    network_gbps_burst: Decimal | None = Field(default=None, gt=0)
    data_tiering_ssd_gib: Decimal | None = Field(default=None, gt=0)
    note: str | None = None
    source: str

    @property
    def size(self) -> str:
        return self.node_type.split(".")[2]

    @property
    def is_burstable(self) -> bool:
        return self.family.startswith("t")

    @property
    def has_data_tiering(self) -> bool:
        return self.data_tiering_ssd_gib is not None


class OnDemandPrice(Provenance):
    region: str
    node_type: str
    engine: Engine
    usd_per_hour: Decimal = Field(ge=0)


def _term_is_one_or_three(value: int) -> int:
    if value not in TERMS:
        raise ValueError("term_years must be 1 or 3")
    return value


class ReservedPrice(Provenance):
    region: str
    node_type: str
    engine: Engine
    term_years: int = Field(ge=1, le=3)
    payment_option: PaymentOption
    upfront_usd: Decimal | None = Field(default=None, ge=0)
    usd_per_hour: Decimal | None = Field(default=None, ge=0)
    effective_usd_per_hour: Decimal = Field(ge=0)

    _term = field_validator("term_years")(_term_is_one_or_three)


class ReservedDiscount(Provenance):
    term_years: int = Field(ge=1, le=3)
    payment_option: PaymentOption
    typical_discount: Decimal = Field(gt=0, lt=1)
    upfront_share: Decimal = Field(ge=0, le=1)

    _term = field_validator("term_years")(_term_is_one_or_three)


class ServerlessPrice(Provenance):
    region: str
    engine: Engine
    storage_usd_per_gb_hour: Decimal = Field(ge=0)
    ecpu_usd_per_million: Decimal = Field(ge=0)
    min_storage_gb: Decimal = Field(gt=0)


class OtherRate(Provenance):
    item: str
    node_type: str | None = None
    region: str
    engine: str
    unit: str
    usd: Decimal = Field(ge=0)


class Manifest(BaseModel):
    model_config = ConfigDict(frozen=True)

    schema_version: int
    currency: Literal["USD"]
    as_of: dt.date
    compiled: dt.date
    hours_per_month: int
    tables: dict[str, str]
    known_gaps: list[str]
    # Per Region, the date of the newest source behind its prices; Regions left out on purpose, with why.
    region_as_of: dict[str, dt.date] = {}
    excluded_regions: dict[str, str] = {}
