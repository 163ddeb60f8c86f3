"""Engine versions on ElastiCache, the features each one gates, and their support windows.

Facts file 1.2 (version-gated features) and 1.3 (Redis OSS lifecycle): the advisor builds on the newest version
in standard support that has every feature the workload needs, and checks a pinned version against them.
Valkey 9.1 appears only in one localized copy of AWS's version page, so it is accepted when pinned but not
chosen by default; every Valkey version and Redis OSS 7.x is in standard support.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from advisor.workload import AuthMode, Availability, Feature, Workload

Version = tuple[int, ...]


def parse_version(text: str) -> Version:
    return tuple(int(part) for part in text.split("."))


def version_text(version: Version) -> str:
    return ".".join(str(part) for part in version)


@dataclass(frozen=True)
class EngineRelease:
    engine: str
    version: str
    standard_support_ends: date | None = None  # None: no end announced
    extended_support_ends: date | None = None
    default_choice: bool = True  # False: accepted when pinned, never picked by the advisor

    def in_standard_support(self, today: date) -> bool:
        return self.standard_support_ends is None or today <= self.standard_support_ends

    def in_extended_support(self, today: date) -> bool:
        return not self.in_standard_support(today) and (
            self.extended_support_ends is None or today <= self.extended_support_ends)


# Redis OSS 4 and 5: standard support ended 2026-01-31, Extended Support charged from 2026-02-01 until
# 2029-01-31. Redis OSS 6: standard support ends 2027-01-31; Extended Support lasts up to 3 years after.
_REDIS_4_5_END, _REDIS_4_5_ES_END = date(2026, 1, 31), date(2029, 1, 31)
_REDIS_6_END, _REDIS_6_ES_END = date(2027, 1, 31), date(2030, 1, 31)
RELEASES: tuple[EngineRelease, ...] = (
    EngineRelease("valkey", "9.1", default_choice=False),
    EngineRelease("valkey", "9.0"),
    EngineRelease("valkey", "8.2"),
    EngineRelease("valkey", "8.1"),
    EngineRelease("valkey", "8.0"),
    EngineRelease("valkey", "7.2"),
    EngineRelease("redis", "7.1"),
    EngineRelease("redis", "7.0"),
    EngineRelease("redis", "6.2", _REDIS_6_END, _REDIS_6_ES_END),
    EngineRelease("redis", "6.0", _REDIS_6_END, _REDIS_6_ES_END),
    EngineRelease("redis", "5.0.6", _REDIS_4_5_END, _REDIS_4_5_ES_END),
    EngineRelease("redis", "4.0.10", _REDIS_4_5_END, _REDIS_4_5_ES_END),
    EngineRelease("memcached", "1.6.22"),
    EngineRelease("memcached", "1.6.12"),
    EngineRelease("memcached", "1.6.6"),
)


@dataclass(frozen=True)
class Capability:
    """A feature that needs a minimum engine version (None: the engine never has it)."""

    id: str
    label: str
    minimum: dict[str, Version | None]


VECTOR_SEARCH = Capability("vector_search", "vector search",
                           {"valkey": (8, 2), "redis": None, "memcached": None})
MULTIPLE_DBS_CLUSTER_MODE = Capability("multiple_dbs_cluster_mode", "multiple databases (SELECT) in cluster mode",
                                       {"valkey": (9, 0), "redis": None, "memcached": None})
BLOOM_FILTERS = Capability("bloom_filters", "native Bloom filters", {"valkey": (8, 1), "redis": None,
                                                                      "memcached": None})
IAM_AUTH = Capability("iam_auth", "IAM authentication", {"valkey": (7, 2), "redis": (7, 0), "memcached": None})
SHARDED_PUBSUB = Capability("sharded_pubsub", "sharded pub/sub", {"valkey": (7, 2), "redis": (7, 0),
                                                                   "memcached": None})
RBAC = Capability("rbac", "RBAC users and user groups", {"valkey": (7, 2), "redis": (6, 0), "memcached": None})
JSON = Capability("json", "JSON documents", {"valkey": (7, 2), "redis": (6, 2), "memcached": None})
DATA_TIERING = Capability("data_tiering", "data tiering (r6gd)", {"valkey": (7, 2), "redis": (6, 2),
                                                                   "memcached": None})
GLOBAL_DATASTORE = Capability("global_datastore", "Global Datastore", {"valkey": (7, 2), "redis": (5, 0, 6),
                                                                        "memcached": None})
TLS = Capability("in_transit_encryption", "encryption in transit", {"valkey": (7, 2), "redis": (4, 0, 10),
                                                                     "memcached": (1, 6, 12)})


def needed_capabilities(workload: Workload, *, cluster_mode_enabled: bool = False,
                        data_tiering: bool = False) -> list[Capability]:
    """Every version-gated capability this workload (and, when known, its topology) needs."""
    features = workload.feature_set
    needed = []
    if Feature.VECTOR_SEARCH in features:
        needed.append(VECTOR_SEARCH)
    if Feature.SELECT_MULTIPLE_DBS in features and cluster_mode_enabled:
        needed.append(MULTIPLE_DBS_CLUSTER_MODE)
    if Feature.BLOOM_FILTERS in features:
        needed.append(BLOOM_FILTERS)
    if Feature.SHARDED_PUBSUB in features:
        needed.append(SHARDED_PUBSUB)
    if Feature.JSON in features:
        needed.append(JSON)
    if workload.auth == AuthMode.IAM:
        needed.append(IAM_AUTH)
    if workload.auth == AuthMode.RBAC:
        needed.append(RBAC)
    if data_tiering:
        needed.append(DATA_TIERING)
    if workload.availability == Availability.MULTI_REGION:
        needed.append(GLOBAL_DATASTORE)
    if workload.encryption_in_transit:
        needed.append(TLS)
    return needed


def has_capability(engine: str, version: str, capability: Capability) -> bool:
    minimum = capability.minimum.get(engine)
    return minimum is not None and parse_version(version) >= minimum


@dataclass(frozen=True)
class VersionChoice:
    engine: str
    version: str | None  # None: no version of this engine has every capability
    needed: tuple[Capability, ...]
    gating: tuple[Capability, ...]  # the needs that raise the minimum above the engine's oldest version
    missing_on_engine: tuple[Capability, ...]  # needs this engine never has
    release: EngineRelease | None

    @property
    def minimum_version(self) -> str | None:
        floors = [c.minimum[self.engine] for c in self.needed if c.minimum.get(self.engine) is not None]
        return version_text(max(floors)) if floors else None  # type: ignore[type-var]


def releases_of(engine: str) -> list[EngineRelease]:
    return [r for r in RELEASES if r.engine == engine]


def release(engine: str, version: str) -> EngineRelease | None:
    """The release a version string names; '7.1.0' and '7.1' both name Redis OSS 7.1."""
    wanted = parse_version(version)
    for r in releases_of(engine):
        known = parse_version(r.version)
        if wanted[:len(known)] == known or known[:len(wanted)] == wanted:
            return r
    return None


def choose_version(engine: str, needed: list[Capability], today: date) -> VersionChoice:
    """The newest version in standard support that has every needed capability."""
    missing = tuple(c for c in needed if c.minimum.get(engine) is None)
    oldest = min(parse_version(r.version) for r in releases_of(engine))
    gating = tuple(c for c in needed if c not in missing and c.minimum[engine] > oldest)  # type: ignore[operator]
    if missing:
        return VersionChoice(engine, None, tuple(needed), gating, missing, None)
    for candidate in releases_of(engine):  # newest first
        if not candidate.default_choice or not candidate.in_standard_support(today):
            continue
        if all(has_capability(engine, candidate.version, c) for c in needed):
            return VersionChoice(engine, candidate.version, tuple(needed), gating, (), candidate)
    return VersionChoice(engine, None, tuple(needed), gating, (), None)


@dataclass(frozen=True)
class PinnedVersionCheck:
    engine: str
    version: str
    release: EngineRelease | None  # None: not a version ElastiCache offers for this engine
    lacking: tuple[Capability, ...]  # needed capabilities the pinned version does not have
    in_standard_support: bool
    in_extended_support: bool


def check_pinned(engine: str, version: str, needed: list[Capability], today: date) -> PinnedVersionCheck:
    known = release(engine, version)
    lacking = tuple(c for c in needed if not has_capability(engine, version, c))
    standard = known is not None and known.in_standard_support(today)
    extended = known is not None and known.in_extended_support(today)
    return PinnedVersionCheck(engine, version, known, lacking, standard, extended)


def planned_version(engine: str, workload: Workload, *, cluster_mode_enabled: bool = False,
                    data_tiering: bool = False, today: date | None = None) -> VersionChoice:
    """The version the advisor builds for this workload and topology (the newest that has every need)."""
    needed = needed_capabilities(workload, cluster_mode_enabled=cluster_mode_enabled, data_tiering=data_tiering)
    return choose_version(engine, needed, today or date.today())
