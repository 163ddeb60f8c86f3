"""discover() against moto in server mode; Serverless caches and reservations through recorded responses
(moto 5.2 does not implement DescribeServerlessCaches or DescribeReservedCacheNodes)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from botocore.stub import Stubber

from advisor.live.discovery import discover, fetch_reserved_nodes
from advisor.money import HOURS_PER_MONTH
from advisor.pricing import PriceBook
from tests.live.conftest import moto_client


def _seed(client: object) -> None:
    client.create_replication_group(  # type: ignore[attr-defined]
        ReplicationGroupId="orders", ReplicationGroupDescription="orders cache", Engine="redis",
        EngineVersion="7.1", CacheNodeType="cache.r6g.large", NumNodeGroups=2, ReplicasPerNodeGroup=1,
        AutomaticFailoverEnabled=True, MultiAZEnabled=True, TransitEncryptionEnabled=True,
        AtRestEncryptionEnabled=True, AuthToken="not-a-real-token-0123456789",
    )
    client.create_cache_cluster(  # type: ignore[attr-defined]
        CacheClusterId="sessions", Engine="memcached", CacheNodeType="cache.m5.large", NumCacheNodes=2,
    )
    client.create_cache_cluster(  # type: ignore[attr-defined]
        CacheClusterId="legacy", Engine="redis", CacheNodeType="cache.t3.micro", NumCacheNodes=1,
    )


def test_fleet_rows_priced_from_the_book(aws_env: str, book: PriceBook) -> None:
    client = moto_client(aws_env, "elasticache")
    _seed(client)
    fleet = discover(client, book)
    assert [r.id for r in fleet.rows] == ["legacy", "sessions", "orders"]  # kind, then id
    orders = fleet.row("orders")
    assert (orders.shards, orders.replicas_per_shard, orders.node_count) == (2, 1, 4)
    assert orders.multi_az and orders.transit_encryption and orders.at_rest_encryption
    assert orders.auth == "AUTH token"
    r6g = book.node_price("us-east-1", "redis", "cache.r6g.large")
    assert r6g is not None
    assert orders.monthly_cost_usd == r6g.usd_per_hour * 4 * HOURS_PER_MONTH
    assert orders.top_finding is not None and "Valkey" in orders.top_finding
    sessions = fleet.row("sessions")
    m5 = book.node_price("us-east-1", "memcached", "cache.m5.large")
    assert m5 is not None and sessions.monthly_cost_usd == m5.usd_per_hour * 2 * HOURS_PER_MONTH
    assert sessions.shards == 2 and sessions.primaries and sessions.primaries[0].role == "memcached"
    legacy = fleet.row("legacy")
    assert legacy.top_finding is not None and "no replica" in legacy.top_finding  # a WARNING beats savings advice
    assert fleet.monthly_total_usd == sum(r.monthly_cost_usd for r in fleet.rows if r.monthly_cost_usd)
    # moto has no DescribeServerlessCaches: the fleet says so instead of failing.
    assert any("Serverless caches were not listed" in note for note in fleet.notes)


def test_unpriced_region_says_not_priced(aws_env: str, book: PriceBook) -> None:
    client = moto_client(aws_env, "elasticache", region="ap-southeast-6")  # not in the bundled prices
    _seed(client)
    fleet = discover(client, book)
    assert all(r.monthly_cost_usd is None and r.cost_note.startswith("not priced") for r in fleet.rows)
    assert any("No bundled prices for ap-southeast-6" in n for n in fleet.notes)


def test_serverless_and_member_clusters_from_recorded_responses(aws_env: str, book: PriceBook) -> None:
    client = moto_client(aws_env, "elasticache")
    created = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with Stubber(client) as stub:
        stub.add_response("describe_replication_groups", {"ReplicationGroups": [{
            "ReplicationGroupId": "web", "MemberClusters": ["web-001", "web-002"], "Status": "available",
            "NodeGroups": [{"NodeGroupId": "0001", "NodeGroupMembers": [
                {"CacheClusterId": "web-001", "CacheNodeId": "0001", "CurrentRole": "primary"},
                {"CacheClusterId": "web-002", "CacheNodeId": "0001", "CurrentRole": "replica"}]}],
            "MultiAZ": "enabled", "CacheNodeType": "cache.r7g.large", "Engine": "valkey",
            "ClusterEnabled": False, "TransitEncryptionEnabled": True, "UserGroupIds": ["ug1"],
        }]})
        stub.add_response("describe_cache_clusters", {"CacheClusters": [
            {"CacheClusterId": f"web-00{i}", "ReplicationGroupId": "web", "Engine": "valkey",
             "EngineVersion": "8.0.1", "CacheNodeType": "cache.r7g.large", "NumCacheNodes": 1} for i in (1, 2)
        ]}, {"ShowCacheNodeInfo": True})
        stub.add_response("describe_serverless_caches", {"ServerlessCaches": [{
            "ServerlessCacheName": "events", "Engine": "valkey", "MajorEngineVersion": "8", "Status": "available",
            "CreateTime": created,
        }]})
        fleet = discover(client, book)
    assert [r.id for r in fleet.rows] == ["web", "events"]  # member clusters priced once, through the group
    web = fleet.row("web")
    assert web.engine_version == "8.0.1" and web.auth == "RBAC" and web.node_count == 2
    assert [n.role for n in web.nodes] == ["primary", "replica"]
    valkey = book.node_price("us-east-1", "valkey", "cache.r7g.large")
    assert valkey is not None and web.monthly_cost_usd == valkey.usd_per_hour * 2 * HOURS_PER_MONTH
    events = fleet.row("events")
    assert events.kind == "serverless" and events.monthly_cost_usd is None and "usage" in events.cost_note


def test_reserved_nodes_summed_per_type(aws_env: str) -> None:
    client = moto_client(aws_env, "elasticache")
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with Stubber(client) as stub:
        stub.add_response("describe_reserved_cache_nodes", {"ReservedCacheNodes": [
            {"ReservedCacheNodeId": "a", "CacheNodeType": "cache.r6g.large", "CacheNodeCount": 2,
             "ProductDescription": "redis", "State": "active", "StartTime": start},
            {"ReservedCacheNodeId": "b", "CacheNodeType": "cache.r6g.large", "CacheNodeCount": 1,
             "ProductDescription": "redis", "State": "active", "StartTime": start},
            {"ReservedCacheNodeId": "c", "CacheNodeType": "cache.r6g.large", "CacheNodeCount": 5,
             "ProductDescription": "redis", "State": "retired", "StartTime": start},
        ]})
        reserved = fetch_reserved_nodes(client)
    assert [(r.node_type, r.engine, r.count) for r in reserved] == [("cache.r6g.large", "redis", 3)]


def test_cost_is_decimal(aws_env: str, book: PriceBook) -> None:
    client = moto_client(aws_env, "elasticache")
    _seed(client)
    assert all(isinstance(r.monthly_cost_usd, Decimal) for r in discover(client, book).rows)


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1"])
def test_empty_region(aws_env: str, book: PriceBook, region: str) -> None:
    fleet = discover(moto_client(aws_env, "elasticache", region=region), book)
    assert fleet.rows == () and fleet.region == region
