"""What an architect knows about a workload: a validated model, loaded from and saved to YAML or JSON.

Three kinds of input, kept apart: requirements and usage (the top-level traits), hard `constraints` (musts the
design has to honour: an engine, a node type, shard and replica counts...) and `preferences` (would-likes the
advisor follows unless a requirement or AWS rules them out, saying why). Only nonsense is refused here, every
problem naming its field; wishes AWS cannot grant are conflicts, judged by `advisor.conflicts`.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from advisor.errors import FieldProblem, InvalidWorkload
from advisor.regions import ELASTICACHE_REGIONS
from advisor.safe_input import parse_document, read_document
from advisor.validation import validate

# Planning figure for per-key overhead (dict entry, robj, SDS headers, expiry): 50-100 bytes per small key
# is the usual range (facts file 2.2, unverified); 64 bytes is used unless a live scan measures it.
PER_ITEM_OVERHEAD_BYTES = 64
GB = 10**9
MAX_ITEM_BYTES = 512 * 1024 * 1024  # Valkey / Redis OSS largest value
# AWS's limits (the largest cluster, Serverless's maximum, Global Datastore's two secondaries) are not bounds
# here: asking beyond them is valid input that ElastiCache cannot grant, answered as a conflict or infeasible
# with the ceiling and the nearest design (advisor.conflicts, advisor.ceilings). Only the secondary-Region list
# keeps a sanity bound, far above AWS's two, so a pasted list cannot run away.
MAX_SECONDARY_REGIONS = 2  # Global Datastore: one primary and up to two secondary Regions (facts 4.2)
MAX_LISTED_REGIONS = 40
# Round ceilings other analyses sweep up to (not validation bounds): about 1 PB, the largest data-tiering
# cluster (500 x r6gd.16xlarge), and "hundreds of millions of operations per second" at most.
MAX_DATASET_GB = 1_000_000
MAX_REQUESTS_PER_SEC = 1_000_000_000
# Sanity bounds far beyond any cache (a zettabyte, a trillion requests/s): they only stop arithmetic overflow.
SANITY_MAX_GB = 10**12
SANITY_MAX_RATE = 10**12


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
    MULTI_KEY_COMMANDS = "multi_key_commands"  # MGET/MSET, SUNION, RENAME...: one hash slot in cluster mode


# Features Memcached cannot serve: anything beyond opaque GET/SET values.
RICH_FEATURES = frozenset({
    Feature.HASHES, Feature.LISTS, Feature.SETS, Feature.SORTED_SETS, Feature.STREAMS, Feature.GEOSPATIAL,
    Feature.PUBSUB, Feature.TRANSACTIONS, Feature.LUA, Feature.JSON, Feature.SELECT_MULTIPLE_DBS,
    Feature.KEYSPACE_NOTIFICATIONS, Feature.VECTOR_SEARCH, Feature.SHARDED_PUBSUB, Feature.BLOOM_FILTERS,
})
# Commands whose keys must all live in one hash slot in cluster mode (else CROSSSLOT).
MULTI_KEY_FEATURES = frozenset({Feature.TRANSACTIONS, Feature.LUA, Feature.MULTI_KEY_COMMANDS})
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


class ClientProtocol(StrEnum):
    """What the application's client speaks today (a hard constraint when the client cannot change)."""

    MEMCACHED = "memcached"  # the Memcached text/binary protocol: only a Memcached engine serves it
    RESP = "resp"  # Redis/Valkey protocol, not cluster-aware: one shard (cluster mode disabled) only
    RESP_CLUSTER_AWARE = "resp_cluster_aware"  # follows MOVED/ASK: any shard count, Serverless too


NODE_TYPE_PATTERN = r"^cache\.[a-z][a-z0-9-]*\.[a-z0-9]+$"
NODE_FAMILY_PATTERN = r"^[a-z][a-z0-9-]*$"
ENGINE_VERSION_PATTERN = r"^[0-9]{1,2}(\.[0-9]{1,3}){0,2}$"


class Constraints(BaseModel):
    """Hard musts. The design honours every one, or the answer is a conflict that says which AWS rule
    stands in the way and offers priced ways out. Unset means "the advisor decides"."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    engine: EngineName | None = Field(None, description="Engine the design must use: valkey, redis or memcached")
    engine_version: str | None = Field(
        None, pattern=ENGINE_VERSION_PATTERN, description="Engine version the design must run, e.g. 7.1 or 8.0"
    )
    deployment: DeploymentName | None = Field(None, description="Must be provisioned (node-based) or serverless")
    node_type: str | None = Field(None, pattern=NODE_TYPE_PATTERN, description="Node type, e.g. cache.r7g.xlarge")
    node_family: str | None = Field(None, pattern=NODE_FAMILY_PATTERN, description="Node family, e.g. r7g")
    cluster_mode: bool | None = Field(None, description="Cluster mode must be enabled (true) or disabled (false)")
    shards: int | None = Field(None, ge=1, description="Number of shards (node groups)")
    replicas_per_shard: int | None = Field(None, ge=0, description="Read replicas per shard")
    data_tiering: bool | None = Field(None, description="Data tiering (r6gd nodes) must be on (true) or off")
    client_protocol: ClientProtocol | None = Field(
        None, description="What the client speaks and cannot change: memcached, resp or resp_cluster_aware"
    )

    @property
    def pins(self) -> dict[str, Any]:
        """The constraints that are set, by field name."""
        return {name: value for name, value in self if value is not None}

    @property
    def pins_design(self) -> bool:
        """A whole node-based design is given: node type, shards and replicas (evaluate it, do not search)."""
        return None not in (self.node_type, self.shards, self.replicas_per_shard)


class Preferences(BaseModel):
    """Would-likes. Followed when the workload allows, even at a higher price (the finding says how much);
    overridden with a finding that says why when a requirement or an AWS rule rules them out."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    deployment: DeploymentName | None = Field(None, description="Preferred deployment: provisioned or serverless")
    engine: EngineName | None = Field(None, description="Preferred engine: valkey, redis or memcached")
    node_family: str | None = Field(None, pattern=NODE_FAMILY_PATTERN, description="Preferred node family, e.g. r7g")
    monthly_budget_usd: float | None = Field(None, gt=0, description="Monthly budget, USD (below the cheapest "
                                             "design is a conflict)")

    @property
    def given(self) -> dict[str, Any]:
        return {name: value for name, value in self if value is not None}


# Keys from before constraints and preferences existed: old files, examples and share links keep loading.
LEGACY_KEYS: dict[str, tuple[str, str]] = {
    "forced_engine": ("constraints", "engine"),
    "forced_deployment": ("constraints", "deployment"),
    "monthly_budget_usd": ("preferences", "monthly_budget_usd"),
}


def upgrade_legacy_keys(data: dict[str, Any]) -> dict[str, Any]:
    """Move `forced_engine`, `forced_deployment` and a top-level `monthly_budget_usd` to where they live now.
    A legacy key given beside its new home with a different value is left in place, so the model refuses it
    by name instead of one silently winning."""
    if not any(key in data for key in LEGACY_KEYS):
        return data
    upgraded = dict(data)
    for old, (section, name) in LEGACY_KEYS.items():
        if old not in upgraded:
            continue
        part = upgraded.get(section) or {}
        if not isinstance(part, dict):
            continue
        value = upgraded[old]
        if part.get(name) is not None and value is not None and part.get(name) != value:
            continue
        upgraded.pop(old)
        if value is not None:
            upgraded[section] = {**part, name: value}
    return upgraded


class Workload(BaseModel):
    """Requirements and usage. Units: sizes in bytes or GB (10^9 bytes), rates per second, money in USD."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False, allow_inf_nan=False)

    name: str = Field("workload", min_length=1, max_length=120, description="A name for this workload")
    region: str = Field("us-east-1", description="AWS Region code of the primary cluster, e.g. us-east-1")

    dataset_gb: float | None = Field(
        None, ge=0, le=SANITY_MAX_GB, description="Current dataset size in GB; or give item_count instead"
    )
    item_count: int | None = Field(None, ge=0, le=10**15, description="Number of items (keys)")
    avg_key_bytes: int = Field(32, ge=1, le=MAX_ITEM_BYTES, description="Average key size in bytes")
    avg_value_bytes: int = Field(512, ge=0, le=MAX_ITEM_BYTES, description="Average value size in bytes")
    monthly_growth_percent: float = Field(0, ge=0, le=100, description="Dataset growth per month, %")
    horizon_months: int = Field(12, ge=0, le=60, description="Planning horizon in months")
    hot_set_percent: float = Field(
        100, gt=0, le=100, description="Share of the data read regularly (data tiering fits at 20% or less)"
    )

    avg_reads_per_sec: float = Field(1000, ge=0, le=SANITY_MAX_RATE, description="Average reads/s")
    avg_writes_per_sec: float = Field(100, ge=0, le=SANITY_MAX_RATE, description="Average writes/s")
    peak_reads_per_sec: float | None = Field(
        None, ge=0, le=SANITY_MAX_RATE, description="Peak reads/s (default: average x peak_to_average)"
    )
    peak_writes_per_sec: float | None = Field(
        None, ge=0, le=SANITY_MAX_RATE, description="Peak writes/s (default: average x peak_to_average)"
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
        default_factory=list, max_length=MAX_LISTED_REGIONS,
        description="Secondary Regions (Global Datastore: AWS allows up to 2)"
    )
    rpo_seconds: float | None = Field(None, ge=0, le=86_400 * 35, description="Acceptable data loss, seconds")
    rto_seconds: float | None = Field(None, ge=0, le=86_400 * 7, description="Acceptable recovery time, seconds")

    latency_target_ms: float = Field(1.0, gt=0, le=10_000, description="Target p99 latency in milliseconds")
    max_connections: int = Field(1000, ge=0, le=10**12, description="Peak concurrent client connections")
    client_cluster_aware: bool = Field(True, description="The client library supports cluster mode")
    short_lived_clients: bool = Field(
        False, description="Clients are short-lived functions (AWS Lambda, containers scaled to zero)"
    )
    hot_key_count: int = Field(0, ge=0, le=10_000, description="How many keys carry most reads (0 = no hot keys)")
    hot_key_read_percent: float = Field(
        0, ge=0, le=100, description="Share of all reads that go to those hot keys, %"
    )
    commitment_years: Literal[0, 1, 3] = Field(
        0, description="Years you will commit to this cache (1 or 3: reserved nodes; 0: no commitment)"
    )

    encryption_in_transit: bool = Field(True, description="TLS between clients and the cache")
    encryption_at_rest: bool = Field(True, description="Encrypt data on disk (snapshots, swap)")
    customer_managed_kms_key: bool = Field(False, description="Use a customer managed KMS key for at-rest")
    auth: AuthMode = Field(AuthMode.RBAC, description="none, auth_token, rbac or iam")
    snapshot_retention_days: int = Field(1, ge=0, le=35, description="Days of automatic snapshots (0 = off)")

    constraints: Constraints = Field(default_factory=Constraints, description="Hard musts the design honours")
    preferences: Preferences = Field(default_factory=Preferences, description="Would-likes, followed when possible")

    @model_validator(mode="before")
    @classmethod
    def _legacy_keys(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = upgrade_legacy_keys(data)
        return _client_from_protocol(data)

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

    # Where the legacy names now live (read-only: code and old call sites keep reading them) -------------
    @property
    def forced_engine(self) -> EngineName | None:
        """The required engine; a client that speaks only the Memcached protocol requires Memcached."""
        if self.constraints.engine is None and self.constraints.client_protocol == ClientProtocol.MEMCACHED:
            return "memcached"
        return self.constraints.engine

    @property
    def forced_deployment(self) -> DeploymentName | None:
        return self.constraints.deployment

    @property
    def monthly_budget_usd(self) -> float | None:
        return self.preferences.monthly_budget_usd

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
        """A validated copy with some fields changed (e.g. traffic scaled for a what-if). `constraints` and
        `preferences` given as mappings are merged into the current ones; legacy names are accepted."""
        data = self.model_dump(mode="json")
        for old, (section, name) in LEGACY_KEYS.items():
            if old in changes:
                changes = {**changes, section: {**changes.get(section, {}), name: changes.pop(old)}}
        # A what-if that changes the client's cluster-awareness changes its protocol with it (unless memcached).
        protocol = data["constraints"].get("client_protocol")
        if "client_cluster_aware" in changes and protocol in ("resp", "resp_cluster_aware") and "client_protocol" \
                not in (changes.get("constraints") or {}):
            aware = "resp_cluster_aware" if changes["client_cluster_aware"] else "resp"
            changes = {**changes, "constraints": {**(changes.get("constraints") or {}), "client_protocol": aware}}
        for section in ("constraints", "preferences"):
            if isinstance(changes.get(section), dict):
                changes = {**changes, section: {**data[section], **changes[section]}}
        return parse_workload({**data, **changes})


# The two sections hold nested fields; flat forms (the Workload page's draft) name them "section.field".
SECTIONS: dict[str, type[BaseModel]] = {"constraints": Constraints, "preferences": Preferences}


def flatten_sections(data: dict[str, Any]) -> dict[str, Any]:
    """`{"constraints": {"engine": "valkey"}}` -> `{"constraints.engine": "valkey"}`, after mapping legacy
    keys. A section that is not a mapping is kept as it is, for the parser to refuse by name."""
    flat: dict[str, Any] = {}
    for key, value in upgrade_legacy_keys(data).items():
        if key in SECTIONS and isinstance(value, dict):
            flat.update({f"{key}.{name}": inner for name, inner in value.items()})
        else:
            flat[key] = value
    return flat


def nest_sections(flat: dict[str, Any]) -> dict[str, Any]:
    """The inverse of `flatten_sections`: dotted section keys gathered into their section mapping."""
    nested: dict[str, Any] = {}
    for key, value in flat.items():
        section, dot, name = key.partition(".")
        if dot and section in SECTIONS:
            part = nested.setdefault(section, {})
            if isinstance(part, dict):
                part[name] = value
        else:
            nested[key] = value
    return nested


def _client_from_protocol(data: dict[str, Any]) -> dict[str, Any]:
    """A client-protocol constraint says whether the client is cluster-aware; fill that in when not given.
    (A contradiction between the two, both given, is refused by name in `_check_client`.)"""
    constraints = data.get("constraints")
    if not isinstance(constraints, dict) or "client_cluster_aware" in data:
        return data
    protocol = constraints.get("client_protocol")
    if protocol == ClientProtocol.RESP.value:
        return {**data, "client_cluster_aware": False}
    if protocol == ClientProtocol.RESP_CLUSTER_AWARE.value:
        return {**data, "client_cluster_aware": True}
    return data


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


def _check_client(w: Workload) -> list[FieldProblem]:
    protocol = w.constraints.client_protocol
    if protocol == ClientProtocol.RESP and w.client_cluster_aware:
        return [FieldProblem("client_cluster_aware", "the client protocol constraint is resp (not cluster-aware), "
                             "so the client cannot be cluster-aware too")]
    if protocol == ClientProtocol.RESP_CLUSTER_AWARE and not w.client_cluster_aware:
        return [FieldProblem("client_cluster_aware", "the client protocol constraint is resp_cluster_aware, so "
                             "the client is cluster-aware")]
    return []


def _check_pins(w: Workload) -> list[FieldProblem]:
    """Pins that contradict each other in a way no AWS rule decides (these are typos, not wishes)."""
    c = w.constraints
    problems = []
    if c.node_type and c.node_family and c.node_type.split(".")[1] != c.node_family:
        problems.append(FieldProblem("constraints.node_family",
                                     f"node type {c.node_type} is not in family {c.node_family}"))
    return problems


def _check_hot_keys(w: Workload) -> list[FieldProblem]:
    if (w.hot_key_count > 0) != (w.hot_key_read_percent > 0):
        field = "hot_key_read_percent" if w.hot_key_count > 0 else "hot_key_count"
        return [FieldProblem(field, "give both how many hot keys there are and the share of reads they carry")]
    return []


def _check_command_mix(w: Workload) -> list[FieldProblem]:
    if not w.command_mix:
        return []
    total = sum(kind.share_percent for kind in w.command_mix)
    if abs(total - 100) > 0.01:
        return [FieldProblem("command_mix", f"the shares add up to {total:g}%, not 100%")]
    return []


CROSS_CHECKS = (
    _check_command_mix, _check_hot_keys, _check_dataset, _check_peaks, _check_regions, _check_security,
    _check_client, _check_pins,
)


def _legacy_problem(problem: FieldProblem, moved: dict[str, str]) -> FieldProblem:
    """Name a problem by the key the input used; a legacy key left beside its new home says so."""
    if problem.field in LEGACY_KEYS:
        section, name = LEGACY_KEYS[problem.field]
        return FieldProblem(problem.field, f"old name of {section}.{name}, which is also given with a different "
                                           "value: keep one of them")
    return FieldProblem(moved.get(problem.field, problem.field), problem.reason)


def parse_workload(data: dict[str, Any]) -> Workload:
    """A validated Workload, or InvalidWorkload listing every bad field with its reason in plain words."""
    if not isinstance(data, dict):
        return validate(Workload, data, CROSS_CHECKS)
    # Legacy keys move to their section first; a problem is still reported under the name the input used.
    moved = {f"{section}.{name}": old for old, (section, name) in LEGACY_KEYS.items() if old in data}
    try:
        return validate(Workload, _client_from_protocol(upgrade_legacy_keys(data)), CROSS_CHECKS)
    except InvalidWorkload as exc:
        raise InvalidWorkload([_legacy_problem(p, moved) for p in exc.problems]) from None


def workload_to_dict(workload: Workload) -> dict[str, Any]:
    """Plain data for YAML/JSON, leaving out fields still at their defaults only when they are None (and
    the constraints and preferences sections when nothing in them is set)."""
    data = workload.model_dump(mode="json", exclude_none=True)
    for section in ("constraints", "preferences"):
        if not data.get(section):
            data.pop(section, None)
    return data


def dumps_workload(workload: Workload, fmt: Literal["yaml", "json"] = "yaml") -> str:
    data = workload_to_dict(workload)
    if fmt == "json":
        return json.dumps(data, indent=2) + "\n"
    return yaml.safe_dump(data, sort_keys=False)


def parse_settings(settings: list[str]) -> dict[str, Any]:
    """`["constraints.shards=3", "availability=none"]` (the CLI's --set) as nested field data; each value is
    read as YAML, so numbers, booleans, lists and null come out typed."""
    changes: dict[str, Any] = {}
    for setting in settings:
        path, eq, text = setting.partition("=")
        if not eq or not path.strip():
            raise InvalidWorkload([FieldProblem("--set", f"'{setting}' is not FIELD=VALUE")])
        try:
            value = yaml.safe_load(text) if text.strip() else None
        except yaml.YAMLError:
            value = text
        *sections, name = path.strip().split(".")
        target = changes
        for section in sections:
            target = target.setdefault(section, {})
        target[name] = value
    return changes


def apply_changes(data: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Field data with `changes` laid over it; sections (constraints, preferences) merge field by field."""
    merged = upgrade_legacy_keys(dict(data))
    for key, value in upgrade_legacy_keys(changes).items():
        if key in SECTIONS and isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def loads_workload(text: str, fmt: Literal["yaml", "json"] = "yaml", changes: dict[str, Any] | None = None) -> Workload:
    data = parse_document(text, fmt)
    return parse_workload(apply_changes(data, changes) if changes else data)


def load_workload(path: Path | str, changes: dict[str, Any] | None = None) -> Workload:
    """The workload in a YAML or JSON file, with `changes` (e.g. from --set) laid over it."""
    data = read_document(path)
    return parse_workload(apply_changes(data, changes) if changes else data)


def save_workload(workload: Workload, path: Path | str) -> None:
    path = Path(path)
    fmt: Literal["yaml", "json"] = "json" if path.suffix.lower() == ".json" else "yaml"
    path.write_text(dumps_workload(workload, fmt))
