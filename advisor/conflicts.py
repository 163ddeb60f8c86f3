"""Wishes AWS cannot grant together: each check names the AWS rule broken and the changes that would get out.

A check is a small pure function over a validated workload. It returns a `Conflict`: a finding (stable id,
the rule in plain words, the numbers, the AWS documentation) and the candidate ways out, each a set of field
changes. `advisor.recommend` prices every candidate as a full design and keeps only the ones that come out
valid, so a way out shown to a user is always a design they can adopt as it stands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from advisor import docs
from advisor.choices import serverless_feature_blockers
from advisor.findings import Finding, Severity
from advisor.optimizer import GLOBAL_DATASTORE_FAMILIES, MAX_NODES_PER_CLUSTER, MAX_REPLICAS, MAX_SHARDS, SMALL_SIZES
from advisor.wording import choice_label, count_noun
from advisor.workload import (
    MAX_SECONDARY_REGIONS,
    RICH_FEATURES,
    SERVERLESS_BLOCKERS,
    AuthMode,
    Availability,
    ClientProtocol,
    Feature,
    Workload,
)

# A client change to Valkey: the engine and a cluster-aware RESP client (any Valkey/Redis OSS library).
VALKEY_WITH_CLIENT_CHANGE = {"constraints": {"engine": "valkey", "client_protocol": "resp_cluster_aware"},
                             "client_cluster_aware": True}


@dataclass(frozen=True)
class Fix:
    """One candidate way out: a stable id, what it means in words, and the field changes that adopt it."""

    id: str
    title: str
    changes: dict[str, Any]


@dataclass(frozen=True)
class Conflict:
    finding: Finding
    fixes: tuple[Fix, ...]


ConflictCheck = Callable[[Workload], Conflict | None]
CHECKS: list[ConflictCheck] = []


def check(function: ConflictCheck) -> ConflictCheck:
    CHECKS.append(function)
    return function


def _conflict(conflict_id: str, title: str, rule: str, decision: str, evidence: dict[str, str], links: list[str],
              fixes: list[Fix]) -> Conflict:
    return Conflict(Finding(id=f"conflict.{conflict_id}", severity=Severity.CONFLICT, title=title,
                            decision=decision, rationale=rule, evidence=evidence, docs=links), tuple(fixes))


def _memcached(w: Workload) -> bool:
    return w.constraints.engine == "memcached" or w.constraints.client_protocol == ClientProtocol.MEMCACHED


def _size_of(node_type: str) -> str:
    return node_type.split(".")[2]


def _family_of(node_type: str) -> str:
    return node_type.split(".")[1]


def _without_node_pins() -> dict[str, Any]:
    return {"constraints": {"node_type": None, "node_family": None}}


@check
def too_many_secondaries(w: Workload) -> Conflict | None:
    if len(w.secondary_regions) <= MAX_SECONDARY_REGIONS:
        return None
    kept = w.secondary_regions[:MAX_SECONDARY_REGIONS]
    return _conflict(
        "global_datastore_secondaries", "A Global Datastore has at most two secondary Regions",
        f"A Global Datastore is 1 primary Region + up to {MAX_SECONDARY_REGIONS} secondary Regions; "
        f"{len(w.secondary_regions)} were asked for ({', '.join(w.secondary_regions)}).",
        f"Keep {MAX_SECONDARY_REGIONS} secondary Regions, or serve the others from their own cluster.",
        {"secondary Regions asked": str(len(w.secondary_regions)), "AWS maximum": str(MAX_SECONDARY_REGIONS)},
        [docs.GLOBAL_DATASTORE],
        [Fix("keep_two_secondaries", f"Global Datastore with {' and '.join(kept)} as secondaries",
             {"secondary_regions": kept}),
         Fix("multi_az_only", "Multi-AZ in the primary Region only (no Global Datastore)",
             {"availability": "multi_az", "secondary_regions": []})],
    )


def _partition(region: str) -> str:
    """The AWS partition a Region belongs to (botocore endpoints: aws, aws-cn, aws-us-gov)."""
    if region.startswith("us-gov-"):
        return "AWS GovCloud (US)"
    if region.startswith("cn-"):
        return "AWS China"
    return "the commercial AWS partition"


@check
def global_datastore_partition(w: Workload) -> Conflict | None:
    if not w.secondary_regions:
        return None
    home = _partition(w.region)
    apart = [region for region in w.secondary_regions if _partition(region) != home]
    if not apart:
        return None
    kept = [region for region in w.secondary_regions if _partition(region) == home]
    fixes = []
    if kept:
        fixes.append(Fix("same_partition_secondaries", f"Global Datastore with {' and '.join(kept)} only",
                         {"secondary_regions": kept}))
    fixes.append(Fix("multi_az_only", "Multi-AZ in the primary Region only (no Global Datastore)",
                     {"availability": "multi_az", "secondary_regions": []}))
    return _conflict(
        "global_datastore_partition", "A Global Datastore cannot leave its AWS partition",
        f"Every Region of a Global Datastore must be in the same AWS partition; partitions (commercial AWS, AWS "
        f"China, AWS GovCloud (US)) are isolated from each other. The primary {w.region} is in {home}; "
        + "; ".join(f"{region} is in {_partition(region)}" for region in apart) + ".",
        "Choose secondary Regions in the primary's partition, or run a separate cluster in the other partition.",
        {"primary Region": f"{w.region} ({home})",
         "secondary Regions in another partition": ", ".join(apart)},
        [docs.GLOBAL_DATASTORE, docs.PARTITIONS], fixes,
    )


@check
def global_datastore_node_type(w: Workload) -> Conflict | None:
    if w.availability != Availability.MULTI_REGION:
        return None
    pins = w.constraints
    node_type, family = pins.node_type, pins.node_family
    bad_family = family if family and family not in GLOBAL_DATASTORE_FAMILIES else None
    bad_node = node_type if node_type and (
        _family_of(node_type) not in GLOBAL_DATASTORE_FAMILIES or _size_of(node_type) in SMALL_SIZES) else None
    if not bad_family and not bad_node:
        return None
    asked = bad_node or f"the {bad_family} family"
    fixes = []
    if bad_node:
        size = _size_of(bad_node)
        size = "large" if size in SMALL_SIZES else size
        nearest = f"cache.{'r7g' if _family_of(bad_node).startswith('r') else 'm7g'}.{size}"
        fixes.append(Fix("supported_node_type", f"{nearest} (a Global Datastore node type) in every Region",
                         {"constraints": {"node_type": nearest, "node_family": None}}))
    fixes.append(Fix("advisor_picks_node_type", "Let the advisor pick a Global Datastore node type",
                     _without_node_pins()))
    fixes.append(Fix("multi_az_only", f"Keep {asked}, Multi-AZ in the primary Region only (no Global Datastore)",
                     {"availability": "multi_az", "secondary_regions": []}))
    return _conflict(
        "global_datastore_node_type", f"Global Datastore does not support {asked}",
        "Global Datastore runs only on M5, M6g, M7g, R5, R6g, R6gd, R7g and C7gn nodes, size large and above; "
        "burstable T nodes and other families cannot join one.",
        "Use a supported node type, or give up the cross-Region replica.",
        {"required": asked, "supported": "m5, m6g, m7g, r5, r6g, r6gd, r7g, c7gn (large and above)"},
        [docs.GLOBAL_DATASTORE], fixes,
    )


@check
def data_tiering_node(w: Workload) -> Conflict | None:
    pins = w.constraints
    node_family = _family_of(pins.node_type) if pins.node_type else pins.node_family
    if pins.data_tiering is True:
        problem = None
        if node_family and node_family != "r6gd":
            problem = f"the required {pins.node_type or node_family + ' family'} has no SSD tier"
        elif _memcached(w):
            problem = "Memcached has no data tiering"
        elif pins.deployment == "serverless":
            problem = "Serverless has no data tiering"
        if problem is None:
            return None
        fixes = [Fix("data_tiering_off", "Drop data tiering (all data in memory)", {"constraints": {
            "data_tiering": None}})]
        if pins.node_type and node_family != "r6gd":
            size = _size_of(pins.node_type)
            size = "xlarge" if size in (*SMALL_SIZES, "large") else size
            fixes.insert(0, Fix("r6gd_node", f"cache.r6gd.{size} with data tiering",
                                {"constraints": {"node_type": f"cache.r6gd.{size}", "node_family": None}}))
        elif node_family and node_family != "r6gd":
            fixes.insert(0, Fix("r6gd_family", "The r6gd family with data tiering",
                                {"constraints": {"node_family": "r6gd"}}))
        if _memcached(w):
            fixes.insert(0, Fix("valkey_with_client_change", "Valkey on r6gd with a client change",
                                VALKEY_WITH_CLIENT_CHANGE))
        if pins.deployment == "serverless":
            fixes.insert(0, Fix("provisioned", "Node-based r6gd cluster instead of Serverless",
                                {"constraints": {"deployment": "provisioned"}}))
        return _conflict(
            "data_tiering_node_type", "Data tiering runs only on r6gd nodes",
            f"Data tiering moves values to SSD on r6gd nodes only, with Valkey or Redis OSS on a node-based "
            f"cluster: {problem}.",
            "Use r6gd nodes for data tiering, or keep all data in memory.",
            {"data tiering": "required", "conflict": problem}, [docs.DATA_TIERING], fixes,
        )
    if pins.data_tiering is False and node_family == "r6gd":
        return _conflict(
            "data_tiering_node_type", "r6gd nodes always tier data to SSD",
            "On r6gd nodes data tiering must be enabled; it cannot be switched off.",
            "Allow data tiering on r6gd, or use r6g nodes of the same size.",
            {"node": pins.node_type or "r6gd family", "data tiering": "ruled out"}, [docs.DATA_TIERING],
            [Fix("allow_data_tiering", "Allow data tiering on r6gd", {"constraints": {"data_tiering": None}}),
             Fix("r6g_node", "The r6g family, all data in memory",
                 {"constraints": {"node_type": None, "node_family": "r6g"}})],
        )
    return None


@check
def replica_limits(w: Workload) -> Conflict | None:
    pins = w.constraints
    replicas = pins.replicas_per_shard
    if replicas is None:
        return None
    if replicas > MAX_REPLICAS:
        return _conflict(
            "too_many_replicas", f"A shard has at most {MAX_REPLICAS} replicas",
            f"A shard is 1 primary + 0 to {MAX_REPLICAS} read replicas ({replicas} were required).",
            f"Use {MAX_REPLICAS} replicas per shard; for more read capacity add shards.",
            {"replicas per shard": str(replicas), "AWS maximum": str(MAX_REPLICAS)}, [docs.REPLICATION, docs.SHARDS],
            [Fix("five_replicas", f"{MAX_REPLICAS} replicas per shard",
                 {"constraints": {"replicas_per_shard": MAX_REPLICAS}}),
             Fix("advisor_picks_replicas", "Let the advisor pick the replica count",
                 {"constraints": {"replicas_per_shard": None}})],
        )
    if replicas == 0 and w.availability != Availability.NONE and not _memcached(w):
        return _conflict(
            "multi_az_without_replica", "Multi-AZ failover needs a replica",
            "Automatic failover promotes a read replica in another Availability Zone; with 0 replicas per shard "
            "there is nothing to promote, so Multi-AZ cannot be enabled.",
            "Add one replica per shard, or give up automatic failover.",
            {"availability": choice_label(w.availability.value), "replicas per shard": "0"}, [docs.AUTO_FAILOVER],
            [Fix("one_replica", "1 replica per shard with Multi-AZ failover",
                 {"constraints": {"replicas_per_shard": 1}}),
             Fix("no_failover", "No replica and no automatic failover",
                 {"availability": "none", "secondary_regions": []})],
        )
    return None


@check
def shard_limits(w: Workload) -> Conflict | None:
    pins = w.constraints
    if pins.shards is None:
        return None
    if pins.cluster_mode is False and pins.shards > 1:
        return _conflict(
            "cluster_mode_disabled_shards", "Cluster mode disabled holds one shard",
            "With cluster mode disabled a replication group has exactly one shard (1 primary + up to 5 "
            f"replicas); {pins.shards} shards need cluster mode enabled and a cluster-aware client.",
            "Enable cluster mode, or use one shard.",
            {"shards": str(pins.shards), "cluster mode": "disabled"}, [docs.SHARDS],
            [Fix("cluster_mode_on", f"Cluster mode enabled with {pins.shards} shards",
                 {"constraints": {"cluster_mode": True}, "client_cluster_aware": True}),
             Fix("one_shard", "One shard, cluster mode disabled", {"constraints": {"shards": 1}})],
        )
    replicas = pins.replicas_per_shard or 0
    nodes = pins.shards * (1 + replicas)
    if pins.shards <= MAX_SHARDS and nodes <= MAX_NODES_PER_CLUSTER:
        return None
    fitting = max(1, min(MAX_SHARDS, MAX_NODES_PER_CLUSTER // (1 + replicas)))
    return _conflict(
        "too_many_nodes", f"A cluster has at most {MAX_NODES_PER_CLUSTER} nodes",
        f"A cluster-mode-enabled cluster has at most {MAX_SHARDS} shards and {MAX_NODES_PER_CLUSTER} nodes in all "
        f"(with a quota increase; 90 by default); {pins.shards} shards x {1 + replicas} nodes = {nodes:,}.",
        f"Use at most {count_noun(fitting, 'shard')} with {count_noun(replicas, 'replica')} each, or split the "
        "data across clusters.",
        {"shards": f"{pins.shards:,}", "nodes": f"{nodes:,}", "AWS maximum": f"{MAX_NODES_PER_CLUSTER} nodes"},
        [docs.SHARDS, docs.QUOTAS],
        [Fix("fewer_shards", count_noun(fitting, "shard").capitalize(), {"constraints": {"shards": fitting}}),
         Fix("advisor_picks_shards", "Let the advisor pick the shard count", {"constraints": {"shards": None}})],
    )


def _memcached_asks(w: Workload) -> list[str]:
    """What the workload asks of a Memcached engine that node-based Memcached cannot give."""
    asks = []
    if w.availability == Availability.MULTI_AZ:
        asks.append("Multi-AZ failover (node-based Memcached has no replicas)")
    if w.availability == Availability.MULTI_REGION:
        asks.append("a Global Datastore (Valkey/Redis OSS only)")
    if w.snapshot_retention_days > 0 or Feature.PERSISTENCE in w.feature_set:
        asks.append("snapshots/backups (node-based Memcached has none)")
    return asks


def _auth_ask(w: Workload) -> list[str]:
    if w.auth == AuthMode.NONE:
        return []
    return [f"{w.auth.value} authentication (Memcached has no AUTH, RBAC or IAM: it relies on network isolation "
            "and TLS)"]


def _memcached_hard_blockers(w: Workload) -> list[str]:
    """What no Memcached, node-based or Serverless, can give."""
    blockers = []
    rich = sorted(f.value for f in w.feature_set & RICH_FEATURES)
    if rich:
        blockers.append(f"{', '.join(rich)} (Memcached stores opaque values only)")
    pins = w.constraints
    if pins.replicas_per_shard:
        blockers.append("read replicas (Memcached has none)")
    if pins.cluster_mode is not None:
        blockers.append("a cluster-mode setting (Memcached partitions on the client)")
    if pins.engine is not None and pins.engine != "memcached":
        blockers.append(f"the {pins.engine} engine (the client speaks only the Memcached protocol)")
    return blockers


@check
def memcached_limits(w: Workload) -> Conflict | None:
    if not _memcached(w):
        return None
    serverless = w.constraints.deployment == "serverless"
    asks = ([] if serverless else _memcached_asks(w)) + _auth_ask(w)
    if serverless and w.availability == Availability.MULTI_REGION:
        asks.append("a Global Datastore (Valkey/Redis OSS only)")
    hard = _memcached_hard_blockers(w)
    no_auth = {"auth": "none"} if w.auth != AuthMode.NONE else {}
    if not asks and not hard:
        return None
    fixes: list[Fix] = []
    if not hard and w.availability != Availability.MULTI_REGION and not serverless and _memcached_asks(w):
        fixes.append(Fix("serverless_memcached", "Serverless Memcached: data kept across 3 AZs, with snapshots "
                         "(keeps the Memcached client" + ("; no authentication, TLS only" if no_auth else "") + ")",
                         {"constraints": {"deployment": "serverless"}, **no_auth}))
    if w.constraints.engine in (None, "memcached"):
        change = {**VALKEY_WITH_CLIENT_CHANGE}
        if w.constraints.replicas_per_shard == 0 and w.availability != Availability.NONE:
            change = {**change, "constraints": {**change["constraints"], "replicas_per_shard": None}}
        fixes.append(Fix("valkey_with_client_change", "Valkey with a client change (a Valkey/Redis OSS client): "
                         "replicas, Multi-AZ failover and snapshots", change))
    else:
        fixes.append(Fix("drop_memcached_client", f"{w.constraints.engine} with a client change",
                         {"constraints": {"client_protocol": "resp_cluster_aware"}, "client_cluster_aware": True}))
    if asks and not hard:
        fixes.append(Fix("memcached_without_ha", "Node-based Memcached without failover or snapshots (losing the "
                         "cache is survivable)", {"availability": "none", "secondary_regions": [],
                                                  "snapshot_retention_days": 0,
                                                  "features": sorted(f.value for f in w.feature_set
                                                                     if f != Feature.PERSISTENCE) or
                                                  ["simple_get_set"], **no_auth}))
    reasons = hard + asks
    return _conflict(
        "memcached_capabilities", "Memcached cannot give what this workload asks",
        "Node-based Memcached has no replicas, automatic failover, snapshots, Global Datastore, rich data "
        "types or authentication; Serverless Memcached adds data stored across 3 Availability Zones and "
        f"snapshots. Asked: {'; '.join(reasons)}.",
        "Keep the Memcached client on Serverless Memcached where that is enough, or move to Valkey with a "
        "client change.",
        {"engine": "Memcached (required)", "deployment": choice_label(w.constraints.deployment),
         "asked": "; ".join(reasons)},
        [docs.SELECT_ENGINE, docs.DEPLOYMENT_OPTIONS], fixes,
    )


def _serverless_blockers(w: Workload) -> list[str]:
    """The advisor's own Serverless rules, in the same words (choices.serverless_feature_blockers), plus the node
    settings a workload can pin, which only a forced deployment can clash with. Only a Valkey or Redis OSS
    workload gets here (serverless_limits leaves Memcached to memcached_limits)."""
    blockers = serverless_feature_blockers(w, w.forced_engine or "valkey")
    pinned = [name for name in ("node_type", "node_family", "shards", "replicas_per_shard", "cluster_mode")
              if getattr(w.constraints, name) is not None]
    if w.constraints.data_tiering:  # "no data tiering" is honoured by Serverless, which has none
        pinned.append("data_tiering")
    if pinned:
        blockers.append(f"Serverless has no node settings ({', '.join(pinned)})")
    return blockers


@check
def serverless_limits(w: Workload) -> Conflict | None:
    if w.constraints.deployment != "serverless" or _memcached(w):
        return None
    blockers = _serverless_blockers(w)
    if not blockers:
        return None
    fixes = [Fix("provisioned", "A node-based cluster instead of Serverless",
                 {"constraints": {"deployment": "provisioned"}})]
    unsupported = w.feature_set & SERVERLESS_BLOCKERS
    if unsupported and len(blockers) == 1:
        kept = sorted(f.value for f in w.feature_set - unsupported) or ["simple_get_set"]
        dropped = ", ".join(sorted(f.value for f in unsupported))
        fixes.append(Fix("drop_serverless_blockers", f"Serverless without {dropped}", {"features": kept}))
    return _conflict(
        "serverless_unsupported", "Serverless cannot run this workload",
        "ElastiCache Serverless has no keyspace notifications, no SELECT/multiple databases, no Global Datastore, "
        "no AUTH token and no node settings, and is cluster mode only. For this workload: " + "; ".join(blockers)
        + ".",
        "Use a node-based cluster, or drop what Serverless lacks.",
        {"deployment": "Serverless (required)", "why not Serverless": "; ".join(blockers)},
        [docs.SERVERLESS_CONFIG, docs.DEPLOYMENT_OPTIONS], fixes,
    )


def pin_conflicts(w: Workload) -> list[Conflict]:
    """Every conflict between the workload's pins and requirements and AWS's rules, before any search."""
    return [found for run in CHECKS if (found := run(w)) is not None]
