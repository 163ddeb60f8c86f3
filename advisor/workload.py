"""What an architect knows about a workload: a validated model, loaded from and saved to YAML or JSON.

Configuration (what to build) is decided by the advisor; this model holds only requirements and usage.
Every invalid input is reported at once through `InvalidWorkload`, each problem naming its field.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from advisor.errors import FieldProblem
from advisor.regions import ELASTICACHE_REGIONS
from advisor.safe_input import parse_document, read_document
from advisor.validation import validate

# Planning figure for per-key overhead (dict entry, robj, SDS headers, expiry): 50-100 bytes per small key
# is the usual range (facts file 2.2, unverified); 64 bytes is used unless a live scan measures it.
PER_ITEM_OVERHEAD_BYTES = 64
GB = 10**9
MAX_ITEM_BYTES = 512 * 1024 * 1024  # Valkey / Redis OSS largest value
MAX_DATASET_GB = 1_000_000  # about 1 PB: 500 r6gd.16xlarge shards with data tiering is the largest cluster
MAX_REQUESTS_PER_SEC = 1_000_000_000  # "hundreds of millions of operations per second" at most
MAX_CONNECTIONS = 65_000 * 500  # 65,000 per node, 500 nodes per cluster
MAX_SECONDARY_REGIONS = 2  # Global Datastore: one primary and up to two secondary Regions


class TrafficShape(StrEnum):
    STEADY = "steady"
    DAILY_CYCLE = "daily_cycle"
    SPIKY = "spiky"
    DEV_TEST = "dev_test"


class Feature(StrEnum):
    SIMPLE_GET_SET = "simple_get_set"
    HASHES = "hashes"
    LISTS = "lists"
    SETS = "sets"
    SORTED_SETS = "sorted_sets"
    STREAMS = "streams"
    GEOSPATIAL = "geospatial"
    PUBSUB = "pubsub"
    TRANSACTIONS = "transactions"
    LUA = "lua"
    PERSISTENCE = "persistence"
    MULTITHREADED_SIMPLE_CACHE = "multithreaded_simple_cache"
    JSON = "json"
    SELECT_MULTIPLE_DBS = "select_multiple_dbs"
    KEYSPACE_NOTIFICATIONS = "keyspace_notifications"
    VECTOR_SEARCH = "vector_search"  # Valkey 8.2+, node-based only, not on r6gd
    SHARDED_PUBSUB = "sharded_pubsub"  # SPUBLISH/SSUBSCRIBE: Valkey 7.2+, Redis OSS 7.0+
    BLOOM_FILTERS = "bloom_filters"  # Valkey 8.1+


# Features Memcached cannot serve: anything beyond opaque GET/SET values.
RICH_FEATURES = frozenset({
    Feature.HASHES, Feature.LISTS, Feature.SETS, Feature.SORTED_SETS, Feature.STREAMS, Feature.GEOSPATIAL,
    Feature.PUBSUB, Feature.TRANSACTIONS, Feature.LUA, Feature.JSON, Feature.SELECT_MULTIPLE_DBS,
    Feature.KEYSPACE_NOTIFICATIONS, Feature.VECTOR_SEARCH, Feature.SHARDED_PUBSUB, Feature.BLOOM_FILTERS,
})
# Features ElastiCache Serverless does not support (facts file 5: no SELECT, no keyspace notifications, no
# vector search).
SERVERLESS_BLOCKERS = frozenset({Feature.SELECT_MULTIPLE_DBS, Feature.KEYSPACE_NOTIFICATIONS,
                                 Feature.VECTOR_SEARCH})


class Availability(StrEnum):
    NONE = "none"
    MULTI_AZ = "multi_az"
    MULTI_REGION = "multi_region"


class AuthMode(StrEnum):
    NONE = "none"
    AUTH_TOKEN = "auth_token"
    RBAC = "rbac"
    IAM = "iam"


class CommandComplexity(StrEnum):
    """How much engine time a typical command needs beyond moving its bytes (drives Serverless ECPUs)."""

    SIMPLE = "simple"  # GET/SET/HGET-style O(1) commands
    MODERATE = "moderate"  # small range reads, sorted-set updates
    COMPLEX = "complex"  # Lua, large ranges, set algebra


class CommandShare(BaseModel):
    """One kind of command in the traffic mix: its share of requests and the vCPU time it needs (drives ECPUs)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=40, description="A label, e.g. GET or SORT")
    share_percent: float = Field(gt=0, le=100, description="Share of all requests, %")
    vcpu_multiple: float = Field(1.0, ge=1, le=1000, description="vCPU time as a multiple of a simple GET/SET")
    bytes_per_request: int | None = Field(
        None, ge=0, le=MAX_ITEM_BYTES, description="Bytes transferred per request (default: the workload's)"
    )


def _command_mix_from_text(text: str) -> list[dict[str, Any]]:
    """'GET 70% 1x, SORT 30% 3x 2048B' -> shares. The form's compact way to write a mix; YAML may use either."""
    kinds: list[dict[str, Any]] = []
    for index, part in enumerate(p.strip() for p in text.split(",")):
        if not part:
            continue
        tokens = part.split()
        kind: dict[str, Any] = {"name": tokens[0]}
        for token in tokens[1:]:
            number = token[:-1]
            try:
                if token.endswith("%"):
                    kind["share_percent"] = float(number)
                elif token.lower().endswith("x"):
                    kind["vcpu_multiple"] = float(number)
                elif token.upper().endswith("B"):
                    kind["bytes_per_request"] = int(number)
                else:
                    raise ValueError
            except ValueError:
                raise ValueError(
                    f"kind {index + 1} ('{part}'): '{token}' is not a share (70%), a vCPU multiple (3x) or a "
                    "size in bytes (2048B)"
                ) from None
        if "share_percent" not in kind:
            raise ValueError(f"kind {index + 1} ('{part}') has no share, e.g. 'SORT 30% 3x'")
        kinds.append(kind)
    return kinds


def command_mix_text(mix: list[CommandShare] | list[dict[str, Any]]) -> str:
    """The compact text form of a mix (the inverse of the parser above)."""
    parts = []
    for kind in mix:
        data = kind.model_dump() if isinstance(kind, CommandShare) else kind
        text = f"{data['name']} {data['share_percent']:g}% {data.get('vcpu_multiple', 1.0):g}x"
        if data.get("bytes_per_request") is not None:
            text += f" {data['bytes_per_request']}B"
        parts.append(text)
    return ", ".join(parts)


EngineName = Literal["valkey", "redis", "memcached"]
DeploymentName = Literal["provisioned", "serverless"]


class Workload(BaseModel):
    """Requirements and usage. Units: sizes in bytes or GB (10^9 bytes), rates per second, money in USD."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)

    name: str = Field("workload", min_length=1, max_length=120, description="A name for this workload")
    region: str = Field("us-east-1", description="AWS Region code of the primary cluster, e.g. us-east-1")

    dataset_gb: float | None = Field(
        None, ge=0, le=MAX_DATASET_GB, description="Current dataset size in GB; or give item_count instead"
    )
    item_count: int | None = Field(None, ge=0, le=10**13, description="Number of items (keys)")
    avg_key_bytes: int = Field(32, ge=1, le=MAX_ITEM_BYTES, description="Average key size in bytes")
    avg_value_bytes: int = Field(512, ge=0, le=MAX_ITEM_BYTES, description="Average value size in bytes")
    monthly_growth_percent: float = Field(0, ge=0, le=100, description="Dataset growth per month, %")
    horizon_months: int = Field(12, ge=0, le=60, description="Planning horizon in months")
    hot_set_percent: float = Field(
        100, gt=0, le=100, description="Share of the data read regularly (data tiering fits at 20% or less)"
    )

    avg_reads_per_sec: float = Field(1000, ge=0, le=MAX_REQUESTS_PER_SEC, description="Average reads/s")
    avg_writes_per_sec: float = Field(100, ge=0, le=MAX_REQUESTS_PER_SEC, description="Average writes/s")
    peak_reads_per_sec: float | None = Field(
        None, ge=0, le=MAX_REQUESTS_PER_SEC, description="Peak reads/s (default: average x peak_to_average)"
    )
    peak_writes_per_sec: float | None = Field(
        None, ge=0, le=MAX_REQUESTS_PER_SEC, description="Peak writes/s (default: average x peak_to_average)"
    )
    peak_to_average: float = Field(2.0, ge=1, le=1000, description="Peak-to-average traffic ratio")
    avg_read_bytes: int | None = Field(
        None, ge=0, le=MAX_ITEM_BYTES, description="Bytes returned per read (default: avg_value_bytes)"
    )
    avg_write_bytes: int | None = Field(
        None, ge=0, le=MAX_ITEM_BYTES, description="Bytes sent per write (default: key + value)"
    )
    command_complexity: CommandComplexity = Field(
        CommandComplexity.SIMPLE, description="Engine time per command beyond its bytes"
    )
    vcpu_multiple: float | None = Field(
        None, ge=1, le=1000,
        description="vCPU time per command as a multiple of a simple GET/SET, any number (overrides complexity)",
    )
    items_per_read: int = Field(
        1, ge=1, le=100_000, description="Keys fetched per read request (MGET, Memcached multiget)"
    )
    command_mix: list[CommandShare] = Field(
        default_factory=list, max_length=20,
        description="Command kinds with their shares, e.g. 'GET 70% 1x, SORT 30% 3x 2048B' (overrides the above)",
    )
    traffic_shape: TrafficShape = Field(TrafficShape.STEADY, description="Shape of traffic over time")
    read_from_replicas: bool = Field(True, description="Clients may read from replicas (reader endpoint)")

    features: list[Feature] = Field(
        default_factory=lambda: [Feature.SIMPLE_GET_SET], description="Data types and engine features needed"
    )

    availability: Availability = Field(Availability.MULTI_AZ, description="none, multi_az or multi_region")
    secondary_regions: list[str] = Field(
        default_factory=list, max_length=MAX_SECONDARY_REGIONS, description="Secondary Regions (Global Datastore)"
    )
    rpo_seconds: float | None = Field(None, ge=0, le=86_400 * 35, description="Acceptable data loss, seconds")
    rto_seconds: float | None = Field(None, ge=0, le=86_400 * 7, description="Acceptable recovery time, seconds")

    latency_target_ms: float = Field(1.0, gt=0, le=10_000, description="Target p99 latency in milliseconds")
    max_connections: int = Field(1000, ge=0, le=MAX_CONNECTIONS, description="Peak concurrent client connections")
    client_cluster_aware: bool = Field(True, description="The client library supports cluster mode")

    encryption_in_transit: bool = Field(True, description="TLS between clients and the cache")
    encryption_at_rest: bool = Field(True, description="Encrypt data on disk (snapshots, swap)")
    customer_managed_kms_key: bool = Field(False, description="Use a customer managed KMS key for at-rest")
    auth: AuthMode = Field(AuthMode.RBAC, description="none, auth_token, rbac or iam")
    snapshot_retention_days: int = Field(1, ge=0, le=35, description="Days of automatic snapshots (0 = off)")

    monthly_budget_usd: float | None = Field(None, gt=0, le=10**9, description="Optional monthly budget, USD")
    forced_engine: EngineName | None = Field(None, description="Force valkey, redis or memcached")
    forced_deployment: DeploymentName | None = Field(None, description="Force provisioned or serverless")

    @field_validator("command_mix", mode="before")
    @classmethod
    def _mix_from_text(cls, value: Any) -> Any:
        return _command_mix_from_text(value) if isinstance(value, str) else value

    @field_validator("region")
    @classmethod
    def _known_region(cls, region: str) -> str:
        if region not in ELASTICACHE_REGIONS:
            raise ValueError(f"'{region}' is not an ElastiCache Region code")
        return region

    @field_validator("secondary_regions")
    @classmethod
    def _known_secondary_regions(cls, regions: list[str]) -> list[str]:
        unknown = [r for r in regions if r not in ELASTICACHE_REGIONS]
        if unknown:
            raise ValueError(f"not ElastiCache Region codes: {', '.join(unknown)}")
        return regions

    # Derived figures -------------------------------------------------------------------------------
    @property
    def feature_set(self) -> frozenset[Feature]:
        return frozenset(self.features)

    @property
    def current_dataset_gb(self) -> float:
        if self.dataset_gb is not None:
            return self.dataset_gb
        items = self.item_count or 0
        return items * (self.avg_key_bytes + self.avg_value_bytes + PER_ITEM_OVERHEAD_BYTES) / GB

    @property
    def growth_factor(self) -> float:
        return (1 + self.monthly_growth_percent / 100) ** self.horizon_months

    @property
    def dataset_gb_at_horizon(self) -> float:
        return self.current_dataset_gb * self.growth_factor

    @property
    def peak_reads(self) -> float:
        if self.peak_reads_per_sec is not None:
            return self.peak_reads_per_sec
        return self.avg_reads_per_sec * self.peak_to_average

    @property
    def peak_writes(self) -> float:
        if self.peak_writes_per_sec is not None:
            return self.peak_writes_per_sec
        return self.avg_writes_per_sec * self.peak_to_average

    @property
    def read_bytes(self) -> int:
        """Bytes one read returns: every key of a multi-key read (MGET, multiget) unless given directly."""
        if self.avg_read_bytes is not None:
            return self.avg_read_bytes
        return self.avg_value_bytes * self.items_per_read

    @property
    def write_bytes(self) -> int:
        return self.avg_key_bytes + self.avg_value_bytes if self.avg_write_bytes is None else self.avg_write_bytes

    @property
    def needs_rich_engine(self) -> bool:
        return bool(self.feature_set & RICH_FEATURES) or Feature.PERSISTENCE in self.feature_set

    def with_changes(self, **changes: Any) -> Workload:
        """A validated copy with some fields changed (e.g. traffic scaled for a what-if)."""
        return parse_workload({**self.model_dump(mode="json"), **changes})


# Cross-field checks: each returns the problems it finds. Field-level ranges live on the fields above.


def _check_dataset(w: Workload) -> list[FieldProblem]:
    if w.dataset_gb is None and w.item_count is None:
        return [FieldProblem("dataset_gb", "give the dataset size in GB, or item_count with key and value sizes")]
    return []


def _check_peaks(w: Workload) -> list[FieldProblem]:
    problems = []
    if w.peak_reads_per_sec is not None and w.peak_reads_per_sec < w.avg_reads_per_sec:
        problems.append(FieldProblem("peak_reads_per_sec", "peak reads/s is below the average reads/s"))
    if w.peak_writes_per_sec is not None and w.peak_writes_per_sec < w.avg_writes_per_sec:
        problems.append(FieldProblem("peak_writes_per_sec", "peak writes/s is below the average writes/s"))
    if w.peak_reads + w.peak_writes > MAX_REQUESTS_PER_SEC:
        problems.append(FieldProblem(
            "peak_to_average", f"peak traffic exceeds {MAX_REQUESTS_PER_SEC:,} requests/s, beyond ElastiCache"
        ))
    return problems


def _check_regions(w: Workload) -> list[FieldProblem]:
    problems = []
    for index, region in enumerate(w.secondary_regions):
        field = f"secondary_regions[{index}]"
        if region == w.region:
            problems.append(FieldProblem(field, "a secondary Region must differ from the primary Region"))
    if len(set(w.secondary_regions)) != len(w.secondary_regions):
        problems.append(FieldProblem("secondary_regions", "a Region is listed twice"))
    if w.secondary_regions and w.availability != Availability.MULTI_REGION:
        problems.append(FieldProblem(
            "availability", "secondary Regions are listed, so availability must be multi_region"
        ))
    if w.availability == Availability.MULTI_REGION and not w.secondary_regions:
        problems.append(FieldProblem("secondary_regions", "multi_region needs at least one secondary Region"))
    return problems


def _check_security(w: Workload) -> list[FieldProblem]:
    problems = []
    if w.auth == AuthMode.AUTH_TOKEN and not w.encryption_in_transit:
        problems.append(FieldProblem("auth", "an AUTH token requires encryption in transit (TLS)"))
    if w.auth == AuthMode.IAM and not w.encryption_in_transit:
        problems.append(FieldProblem("auth", "IAM authentication requires encryption in transit (TLS)"))
    if w.customer_managed_kms_key and not w.encryption_at_rest:
        problems.append(FieldProblem(
            "customer_managed_kms_key", "a customer managed KMS key needs encryption at rest enabled"
        ))
    return problems


def _check_forced_memcached(w: Workload) -> list[FieldProblem]:
    if w.forced_engine != "memcached":
        return []
    problems = []
    rich = sorted(f.value for f in w.feature_set & RICH_FEATURES)
    if rich:
        problems.append(FieldProblem("forced_engine", f"Memcached cannot serve {', '.join(rich)}"))
    if w.availability == Availability.MULTI_REGION:
        problems.append(FieldProblem("availability", "Memcached has no Global Datastore (multi-Region)"))
    if w.forced_deployment != "serverless":
        if w.availability == Availability.MULTI_AZ:
            problems.append(FieldProblem(
                "availability", "node-based Memcached has no replicas or automatic failover"
            ))
        if Feature.PERSISTENCE in w.feature_set or w.snapshot_retention_days > 0:
            field = "features" if Feature.PERSISTENCE in w.feature_set else "snapshot_retention_days"
            problems.append(FieldProblem(field, "node-based Memcached has no snapshots or persistence"))
    if w.auth in (AuthMode.AUTH_TOKEN, AuthMode.RBAC, AuthMode.IAM):
        problems.append(FieldProblem("auth", f"Memcached on ElastiCache does not support {w.auth.value}"))
    return problems


def _check_forced_serverless(w: Workload) -> list[FieldProblem]:
    if w.forced_deployment != "serverless":
        return []
    problems = []
    if w.availability == Availability.MULTI_REGION:
        problems.append(FieldProblem("availability", "Serverless caches cannot join a Global Datastore"))
    if not w.client_cluster_aware and w.forced_engine != "memcached":
        problems.append(FieldProblem(
            "client_cluster_aware", "Serverless Valkey/Redis OSS is cluster-mode only: the client must be cluster-aware"
        ))
    blockers = sorted(f.value for f in w.feature_set & SERVERLESS_BLOCKERS)
    if blockers:
        problems.append(FieldProblem("features", f"Serverless does not support {', '.join(blockers)}"))
    if w.auth == AuthMode.AUTH_TOKEN:
        problems.append(FieldProblem("auth", "Serverless has no AUTH token: use rbac or iam"))
    return problems


def _check_command_mix(w: Workload) -> list[FieldProblem]:
    if not w.command_mix:
        return []
    total = sum(kind.share_percent for kind in w.command_mix)
    if abs(total - 100) > 0.01:
        return [FieldProblem("command_mix", f"the shares add up to {total:g}%, not 100%")]
    return []


CROSS_CHECKS = (
    _check_command_mix, _check_dataset, _check_peaks, _check_regions, _check_security, _check_forced_memcached,
    _check_forced_serverless,
)


def parse_workload(data: dict[str, Any]) -> Workload:
    """A validated Workload, or InvalidWorkload listing every bad field with its reason in plain words."""
    return validate(Workload, data, CROSS_CHECKS)


def workload_to_dict(workload: Workload) -> dict[str, Any]:
    """Plain data for YAML/JSON, leaving out fields still at their defaults only when they are None."""
    return workload.model_dump(mode="json", exclude_none=True)


def dumps_workload(workload: Workload, fmt: Literal["yaml", "json"] = "yaml") -> str:
    data = workload_to_dict(workload)
    if fmt == "json":
        return json.dumps(data, indent=2) + "\n"
    return yaml.safe_dump(data, sort_keys=False)


def loads_workload(text: str, fmt: Literal["yaml", "json"] = "yaml") -> Workload:
    return parse_workload(parse_document(text, fmt))


def load_workload(path: Path | str) -> Workload:
    return parse_workload(read_document(path))


def save_workload(workload: Workload, path: Path | str) -> None:
    path = Path(path)
    fmt: Literal["yaml", "json"] = "json" if path.suffix.lower() == ".json" else "yaml"
    path.write_text(dumps_workload(workload, fmt))
