"""The two first decisions: which engine, and whether Serverless can serve the workload at all."""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.costs.lines import CostEstimate
from advisor.costs.serverless import (
    MAX_DATA_GB,
    MAX_ECPU_PER_SECOND,
    EcpuProfile,
    ecpu_profile,
    serverless_cost,
    stored_gb_by_month,
)
from advisor.pricing.book import PriceBook
from advisor.pricing.schema import Engine
from advisor.wording import ENGINE_LABELS, choice_label
from advisor.workload import SERVERLESS_BLOCKERS, AuthMode, Availability, Feature, Workload

# Serverless fixes maxclients at 65,000 per cache (facts file 5, RedisConfiguration page).
SERVERLESS_MAX_CONNECTIONS = 65_000
MEMCACHED_OK_FEATURES = frozenset({Feature.SIMPLE_GET_SET, Feature.MULTITHREADED_SIMPLE_CACHE})
# What Serverless lacks, in words (the workload's feature ids are for files and links, not for sentences).
SERVERLESS_FEATURE_WORDS: dict[str, str] = {f.value: choice_label(f) for f in SERVERLESS_BLOCKERS}


@dataclass(frozen=True)
class EngineChoice:
    engine: Engine
    forced: bool
    reasons: tuple[str, ...]
    memcached_blockers: tuple[str, ...]  # why Memcached does not fit (empty when it does)


def memcached_blockers(workload: Workload) -> list[str]:
    blockers = []
    extra = sorted(choice_label(f) for f in workload.feature_set - MEMCACHED_OK_FEATURES)
    if extra:
        blockers.append(f"needs {', '.join(extra)}, which Memcached lacks (opaque values only)")
    if Feature.MULTITHREADED_SIMPLE_CACHE not in workload.feature_set:
        blockers.append("the workload does not ask for a multithreaded simple cache, Memcached's one strength")
    if workload.availability != Availability.NONE:
        blockers.append(f"{choice_label(workload.availability)} availability needs replicas and failover; "
                        "node-based Memcached has neither")
    if workload.snapshot_retention_days > 0:
        blockers.append("snapshots requested; node-based Memcached has no backups")
    if workload.auth != AuthMode.NONE:
        blockers.append(f"{choice_label(workload.auth)} authentication is not available on Memcached")
    return blockers


def choose_engine(workload: Workload) -> EngineChoice:
    blockers = tuple(memcached_blockers(workload))
    if workload.forced_engine is not None:
        forced = f"forced to {ENGINE_LABELS[workload.forced_engine]} by the workload"
        return EngineChoice(workload.forced_engine, True, (forced,), blockers)
    if not blockers:
        return EngineChoice("memcached", False, (
            "only plain GET/SET on opaque values, multithreaded, with no persistence, replication or auth: "
            "Memcached's multithreaded engine fits",
        ), blockers)
    # The Memcached blockers travel separately (the engine finding shows them as evidence), not as reasons.
    return EngineChoice("valkey", False, (
        "Valkey is a superset of Redis OSS 7.2, costs about 20% less per node and about 33% less on Serverless",
        "Memcached does not fit this workload (see why below)",
    ), blockers)


@dataclass(frozen=True)
class ServerlessFit:
    feasible: bool
    blockers: tuple[str, ...]
    priced: bool
    estimate: CostEstimate | None
    ecpu: EcpuProfile
    stored_gb: float
    notes: tuple[str, ...] = field(default_factory=tuple)


def serverless_feature_blockers(workload: Workload, engine: Engine) -> list[str]:
    """What the workload asks for that Serverless does not have, whatever its size: the one statement of these
    rules, used by the advisor's Serverless fit below and by the forced-Serverless conflict (advisor/conflicts.py).
    Serverless Memcached needs no cluster-aware client: its clients talk to one endpoint."""
    blockers = []
    if engine != "memcached" and not workload.client_cluster_aware:
        blockers.append("Serverless is cluster-mode only and the client is not cluster-aware")
    unsupported = sorted(f.value for f in workload.feature_set & SERVERLESS_BLOCKERS)
    if unsupported:
        blockers.append(f"Serverless does not support {', '.join(SERVERLESS_FEATURE_WORDS[f] for f in unsupported)}")
    if workload.availability == Availability.MULTI_REGION:
        blockers.append("Serverless caches cannot join a Global Datastore (multi-Region)")
    if workload.auth == AuthMode.AUTH_TOKEN:
        blockers.append("Serverless has no AUTH token (use RBAC or IAM)")
    return blockers


def assess_serverless(workload: Workload, book: PriceBook, engine: Engine, traffic_scale: float = 1.0) -> ServerlessFit:
    """Can Serverless run this workload (at the horizon's dataset size), and what would a month cost (the
    horizon average of the data stored each month)?"""
    blockers = serverless_feature_blockers(workload, engine)
    profile = ecpu_profile(workload, traffic_scale)
    stored = workload.dataset_gb_at_horizon
    if stored > MAX_DATA_GB:
        blockers.append(f"dataset {stored:,.0f} GB exceeds the Serverless maximum of {MAX_DATA_GB:,.0f} GB")
    if workload.max_connections > SERVERLESS_MAX_CONNECTIONS:
        blockers.append(f"{workload.max_connections:,} connections exceed Serverless maxclients of "
                        f"{SERVERLESS_MAX_CONNECTIONS:,} per cache")
    if profile.peak_per_second > MAX_ECPU_PER_SECOND:
        blockers.append(f"peak {profile.peak_per_second:,.0f} ECPU/s exceeds the Serverless maximum of "
                        f"{MAX_ECPU_PER_SECOND:,.0f}")
    price = book.serverless_price(workload.region, engine)
    # Storage is billed on what is stored each month (month 1 = today's dataset); limits use the horizon.
    monthly_gb = stored_gb_by_month(workload.current_dataset_gb, workload.monthly_growth_percent,
                                    workload.horizon_months)
    estimate = serverless_cost(price, monthly_gb, profile.per_month) if price else None
    notes = () if price else (f"no Serverless {engine} price for {workload.region} is bundled",)
    return ServerlessFit(not blockers, tuple(blockers), price is not None, estimate, profile, stored, notes)
