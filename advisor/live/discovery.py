"""List a Region's ElastiCache fleet (replication groups, standalone/Memcached clusters, Serverless caches).

Each row is priced from the bundled on-demand table. A cluster that belongs to a replication group is priced
once, through its group (the infracost rule), so member clusters never appear as rows of their own.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from advisor.costs.provisioned import on_demand_cost
from advisor.live.aws_session import ACCESS_DENIED_CODES, aws_errors, translate
from advisor.live.models import Fleet, FleetRow, NodeRef, ReservedNodes
from advisor.pricing.book import PriceBook
from advisor.pricing.loader import load_price_book

# Operations a Region, partition or emulator may not offer; the fleet is still useful without them.
_OPTIONAL_MISSING = ("InvalidAction", "UnknownOperationException", "NotImplemented", "InvalidParameterValue")


def _paginate(client: Any, operation: str, key: str, **kwargs: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for page in client.get_paginator(operation).paginate(**kwargs):
        items.extend(page.get(key, []))
    return items


def _engine(raw: str | None) -> str:
    return (raw or "redis").lower()


def _price(book: PriceBook, region: str, engine: str, node_type: str | None, nodes: int) -> tuple[Decimal | None, str]:
    if node_type is None or nodes == 0:
        return None, "not priced: no node type"
    if engine not in ("valkey", "redis", "memcached"):
        return None, f"not priced: engine {engine} is not in the price tables"
    price = book.node_price(region, engine, node_type)  # type: ignore[arg-type]
    if price is None:
        return None, f"not priced: no bundled {engine} price for {node_type} in {region}"
    estimate = on_demand_cost(price, nodes)
    return estimate.monthly, estimate.lines[0].note


def _group_nodes(group: dict[str, Any]) -> tuple[NodeRef, ...]:
    nodes: list[NodeRef] = []
    for node_group in group.get("NodeGroups", []):
        shard = str(node_group.get("NodeGroupId", "0001"))
        for member in node_group.get("NodeGroupMembers", []):
            role = member.get("CurrentRole")
            nodes.append(NodeRef(
                cache_cluster_id=member["CacheClusterId"], cache_node_id=str(member.get("CacheNodeId", "0001")),
                role=role if role in ("primary", "replica") else "unknown", shard=shard,
            ))
    if not nodes:
        # Cluster mode enabled groups may list no members per node group: fall back to member clusters.
        nodes = [NodeRef(cache_cluster_id=m) for m in group.get("MemberClusters", [])]
    # De-duplicate: some listings repeat a member across node groups.
    unique: dict[tuple[str, str], NodeRef] = {}
    for node in nodes:
        unique.setdefault((node.cache_cluster_id, node.cache_node_id), node)
    return tuple(unique.values())


def _auth(item: dict[str, Any]) -> str:
    if item.get("UserGroupIds"):
        return "RBAC"
    if item.get("AuthTokenEnabled"):
        return "AUTH token"
    return "none"


def _replication_group_row(
    group: dict[str, Any], members: dict[str, dict[str, Any]], book: PriceBook, region: str
) -> FleetRow:
    nodes = _group_nodes(group)
    shards = max(1, len(group.get("NodeGroups", [])))
    member_ids = list(dict.fromkeys(group.get("MemberClusters", [])))
    node_count = max(len(nodes), len(member_ids))
    first_member = members.get(member_ids[0], {}) if member_ids else {}
    engine = _engine(group.get("Engine") or first_member.get("Engine"))
    node_type = group.get("CacheNodeType") or first_member.get("CacheNodeType")
    cost, note = _price(book, region, engine, node_type, node_count)
    return FleetRow(
        id=group["ReplicationGroupId"], kind="replication_group", region=region, engine=engine,
        engine_version=str(first_member.get("EngineVersion") or "unknown"), node_type=node_type,
        shards=shards, replicas_per_shard=max(0, node_count // shards - 1), node_count=node_count,
        cluster_mode=bool(group.get("ClusterEnabled")) or group.get("ClusterMode") == "enabled",
        multi_az=group.get("MultiAZ") == "enabled", transit_encryption=bool(group.get("TransitEncryptionEnabled")),
        at_rest_encryption=bool(group.get("AtRestEncryptionEnabled")), auth=_auth(group),
        status=str(group.get("Status", "unknown")), nodes=nodes, monthly_cost_usd=cost, cost_note=note,
    )


def _cache_cluster_row(cluster: dict[str, Any], book: PriceBook, region: str) -> FleetRow:
    engine = _engine(cluster.get("Engine"))
    count = int(cluster.get("NumCacheNodes", 1))
    node_ids = [n["CacheNodeId"] for n in cluster.get("CacheNodes", [])] or [f"{i:04d}" for i in range(1, count + 1)]
    role = "memcached" if engine == "memcached" else "primary"
    nodes = tuple(
        NodeRef(cache_cluster_id=cluster["CacheClusterId"], cache_node_id=n, role=role, shard=n if role == "memcached"
                else "0001")
        for n in node_ids
    )
    cost, note = _price(book, region, engine, cluster.get("CacheNodeType"), count)
    return FleetRow(
        id=cluster["CacheClusterId"], kind="cache_cluster", region=region, engine=engine,
        engine_version=str(cluster.get("EngineVersion") or "unknown"), node_type=cluster.get("CacheNodeType"),
        shards=count if engine == "memcached" else 1, replicas_per_shard=0, node_count=count,
        multi_az=False, transit_encryption=bool(cluster.get("TransitEncryptionEnabled")),
        at_rest_encryption=bool(cluster.get("AtRestEncryptionEnabled")), auth=_auth(cluster),
        status=str(cluster.get("CacheClusterStatus", "unknown")), nodes=nodes, monthly_cost_usd=cost,
        cost_note=note,
    )


def _serverless_row(cache: dict[str, Any], region: str) -> FleetRow:
    return FleetRow(
        id=cache["ServerlessCacheName"], kind="serverless", region=region, engine=_engine(cache.get("Engine")),
        engine_version=str(cache.get("FullEngineVersion") or cache.get("MajorEngineVersion") or "unknown"),
        cluster_mode=True, multi_az=True, transit_encryption=True,
        at_rest_encryption=True, auth="RBAC" if cache.get("UserGroupId") else "none",
        status=str(cache.get("Status", "unknown")),
        cost_note="billed by usage: see the Serverless figures from its BytesUsedForCache/ElastiCacheProcessingUnits",
    )


def _optional_listing(client: Any, operation: str, key: str, what: str, notes: list[str]) -> list[dict[str, Any]]:
    """List something the fleet can do without; an unsupported or denied operation becomes a note."""
    try:
        return _paginate(client, operation, key)
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code not in _OPTIONAL_MISSING and code not in ACCESS_DENIED_CODES:
            raise translate(exc, f"list {what}") from None
        notes.append(f"{what.capitalize()} were not listed: {translate(exc, f'list {what}')}")
    except (BotoCoreError, ResponseParserError) as exc:
        # e.g. an emulator (moto) that does not implement the operation answers with an unparseable 500.
        notes.append(f"{what.capitalize()} were not listed: {type(exc).__name__} from {operation}")
    return []


def discover(elasticache_client: Any, book: PriceBook | None = None) -> Fleet:
    """Every cluster in the client's Region, one priced row each, with its most important finding."""
    from advisor.live.rightsizing import config_findings, top_finding  # rules import these models

    book = book or load_price_book()
    region = elasticache_client.meta.region_name
    notes: list[str] = []
    retry_mode = (getattr(elasticache_client.meta.config, "retries", None) or {}).get("mode")
    with aws_errors("list replication groups (DescribeReplicationGroups)", retry_mode):
        groups = _paginate(elasticache_client, "describe_replication_groups", "ReplicationGroups")
    with aws_errors("list cache clusters (DescribeCacheClusters)", retry_mode):
        clusters = _paginate(elasticache_client, "describe_cache_clusters", "CacheClusters", ShowCacheNodeInfo=True)
    serverless = _optional_listing(
        elasticache_client, "describe_serverless_caches", "ServerlessCaches", "serverless caches", notes
    )
    members = {c["CacheClusterId"]: c for c in clusters}
    rows = [_replication_group_row(g, members, book, region) for g in groups]
    rows += [_cache_cluster_row(c, book, region) for c in clusters if not c.get("ReplicationGroupId")]
    rows += [_serverless_row(s, region) for s in serverless]
    if not book.regions or region not in book.regions:
        notes.append(f"No bundled prices for {region}: costs show as 'not priced'.")
    ranked = [r.model_copy(update={"top_finding": top_finding(config_findings(r, book))}) for r in rows]
    return Fleet(region=region, rows=tuple(sorted(ranked, key=lambda r: (r.kind, r.id))), notes=tuple(notes))


def fetch_reserved_nodes(elasticache_client: Any) -> tuple[ReservedNodes, ...]:
    """Active reservations summed per node type and engine (ProductDescription names the engine)."""
    with aws_errors("list reserved cache nodes"):
        items = _paginate(elasticache_client, "describe_reserved_cache_nodes", "ReservedCacheNodes")
    counts: Counter[tuple[str, str]] = Counter()
    for item in items:
        if item.get("State", "active") != "active":
            continue
        engine = _engine(str(item.get("ProductDescription", "redis")).split()[0])
        counts[(item["CacheNodeType"], engine)] += int(item.get("CacheNodeCount", 1))
    return tuple(ReservedNodes(node_type=t, engine=e, count=n) for (t, e), n in sorted(counts.items()))
