"""The configuration a fleet review judges, beyond what discovery prices: backups, failover, minor-version
upgrades, parameter groups, environment tags and Serverless usage limits.

Every extra read is optional: an operation the account denies (or an emulator lacks) leaves its fields
None, and the checks that need them say "not collected" instead of passing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from advisor.errors import ConnectionProblem
from advisor.live.aws_session import aws_errors
from advisor.live.models import Fleet, FleetRow

NON_PRODUCTION_WORDS = ("dev", "test", "staging", "stage", "sandbox", "qa", "demo")
ENVIRONMENT_TAGS = ("environment", "env", "stage")


@dataclass(frozen=True)
class ClusterConfig:
    cluster: str
    environment: str | None = None  # from a tag; None when untagged
    environment_source: str = "not collected"
    snapshot_retention_days: int | None = None
    auto_minor_version_upgrade: bool | None = None
    automatic_failover: bool | None = None
    parameter_group: str | None = None
    parameters: dict[str, str] = field(default_factory=dict)  # name -> value, as DescribeCacheParameters says
    user_modified: frozenset[str] = frozenset()  # parameters whose Source is "user"
    storage_limit_gb: float | None = None  # Serverless CacheUsageLimits
    ecpu_limit_per_s: float | None = None
    notes: tuple[str, ...] = ()

    @property
    def production(self) -> bool:
        """Production unless a tag (or, untagged, the name) says dev/test/staging."""
        words = re.split(r"[^a-z0-9]+", (self.environment or self.cluster).lower())
        return not any(word in NON_PRODUCTION_WORDS for word in words)


def _optional(call: Callable[[], Any], notes: list[str], what: str) -> Any:
    """An optional read: a denied or missing operation becomes a note, never a crash."""
    try:
        with aws_errors(f"read {what}"):
            return call()
    except ConnectionProblem as exc:
        notes.append(f"{what.capitalize()} not collected: {exc}")
        return None


def _pages(client: Any, operation: str, key: str, **kwargs: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for page in client.get_paginator(operation).paginate(**kwargs):
        items.extend(page.get(key, []))
    return items


def collect_configs(elasticache_client: Any, fleet: Fleet) -> tuple[dict[str, ClusterConfig], tuple[str, ...]]:
    """One ClusterConfig per fleet row, and notes on what could not be read."""
    notes: list[str] = []
    groups = {g["ReplicationGroupId"]: g for g in _optional(
        lambda: _pages(elasticache_client, "describe_replication_groups", "ReplicationGroups"), notes,
        "replication group settings") or []}
    clusters = {c["CacheClusterId"]: c for c in _optional(
        lambda: _pages(elasticache_client, "describe_cache_clusters", "CacheClusters"), notes,
        "cache cluster settings") or []}
    serverless = {s["ServerlessCacheName"]: s for s in _optional(
        lambda: _pages(elasticache_client, "describe_serverless_caches", "ServerlessCaches"), notes,
        "Serverless cache settings") or []}
    parameter_cache: dict[str, tuple[dict[str, str], frozenset[str]] | None] = {}

    def parameters(name: str) -> tuple[dict[str, str], frozenset[str]] | None:
        if name not in parameter_cache:
            rows = _optional(lambda: _pages(elasticache_client, "describe_cache_parameters", "Parameters",
                                            CacheParameterGroupName=name), notes, f"parameter group {name}")
            parameter_cache[name] = None if rows is None else (
                {r["ParameterName"]: str(r.get("ParameterValue", "")) for r in rows},
                frozenset(r["ParameterName"] for r in rows if r.get("Source") == "user"))
        return parameter_cache[name]

    out = {}
    for row in fleet.rows:
        out[row.id] = _config(elasticache_client, row, groups, clusters, serverless, parameters, notes)
    return out, tuple(notes)


def _config(client: Any, row: FleetRow, groups: dict[str, Any], clusters: dict[str, Any],
            serverless: dict[str, Any], parameters: Callable[[str], Any], notes: list[str]) -> ClusterConfig:
    raw: dict[str, Any] = {}
    member: dict[str, Any] = {}
    if row.kind == "replication_group":
        raw = groups.get(row.id, {})
        member_ids = raw.get("MemberClusters", [])
        member = clusters.get(member_ids[0], {}) if member_ids else {}
    elif row.kind == "cache_cluster":
        raw = member = clusters.get(row.id, {})
    else:
        raw = serverless.get(row.id, {})
    fields: dict[str, Any] = {"cluster": row.id}
    if "SnapshotRetentionLimit" in raw:
        fields["snapshot_retention_days"] = int(raw["SnapshotRetentionLimit"])
    amvu = raw.get("AutoMinorVersionUpgrade", member.get("AutoMinorVersionUpgrade"))
    if amvu is not None:
        fields["auto_minor_version_upgrade"] = bool(amvu)
    if row.kind == "replication_group" and "AutomaticFailover" in raw:
        fields["automatic_failover"] = raw["AutomaticFailover"] in ("enabled", "enabling")
    elif row.kind == "cache_cluster":
        fields["automatic_failover"] = False
    group = (member.get("CacheParameterGroup") or {}).get("CacheParameterGroupName")
    if group:
        fields["parameter_group"] = group
        found = parameters(group)
        if found is not None:
            fields["parameters"], fields["user_modified"] = found
    limits = raw.get("CacheUsageLimits") or {}
    if limits.get("DataStorage", {}).get("Maximum") is not None:
        fields["storage_limit_gb"] = float(limits["DataStorage"]["Maximum"])
    if limits.get("ECPUPerSecond", {}).get("Maximum") is not None:
        fields["ecpu_limit_per_s"] = float(limits["ECPUPerSecond"]["Maximum"])
    arn = raw.get("ARN")
    if arn:
        tags = _optional(lambda: client.list_tags_for_resource(ResourceName=arn).get("TagList", []), notes,
                         f"tags of {row.id}")
        if tags is not None:
            env = next((t["Value"] for t in tags if t.get("Key", "").lower() in ENVIRONMENT_TAGS), None)
            fields["environment"] = env
            fields["environment_source"] = "tag" if env else "name (untagged)"
    return ClusterConfig(**fields)
