"""Workloads that between them reach every branch of every decision rule (advisor/rules/*): the bundled
examples plus targeted variants, each named for the branch it is there to reach. The wording and branch tests
read every finding these produce."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from advisor.pricing import PriceBook

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples").rglob("*.yaml"))


def example(name: str) -> dict[str, Any]:
    return yaml.safe_load((ROOT / "examples" / f"{name}.yaml").read_text())


_API = "api_response_cache"
_DEV = "dev_test"

# name -> (base example, changes). Each change says which branch it reaches.
VARIANTS: dict[str, tuple[str, dict[str, Any]]] = {
    # engine: Redis OSS forced (Valkey would cost less), Redis OSS lacking a Valkey-only feature.
    "redis_forced": (_API, {"constraints": {"engine": "redis"}}),
    "redis_lacks_bloom": (_API, {"constraints": {"engine": "redis"}, "features": ["bloom_filters"]}),
    # versions: pins (not offered, lacking a feature, older than the newest, in Extended Support).
    "pin_not_offered": (_API, {"constraints": {"engine": "valkey", "engine_version": "6.0"}}),
    "pin_lacks_feature": (_API, {"constraints": {"engine": "valkey", "engine_version": "7.2"},
                                 "features": ["bloom_filters"]}),
    "pin_older_valkey": (_API, {"constraints": {"engine": "valkey", "engine_version": "7.2"}}),
    "pin_redis_extended_support": (_API, {"constraints": {"engine": "redis", "engine_version": "5.0.6"}}),
    "pin_redis_6": (_API, {"constraints": {"engine": "redis", "engine_version": "6.2"}}),
    # deployment: Serverless chosen and dearer; a Serverless preference overridden by a feature; spiky traffic
    # that a feature keeps off Serverless; a steady workload that a feature keeps off Serverless.
    "serverless_spiky": (_API, {"traffic_shape": "spiky", "peak_to_average": 20}),
    "serverless_premium": (_DEV, {"dataset_gb": 30, "avg_reads_per_sec": 30000, "avg_writes_per_sec": 5000,
                                  "peak_to_average": 1.2, "traffic_shape": "dev_test"}),
    "serverless_preferred_blocked": (_API, {"preferences": {"deployment": "serverless"},
                                            "features": ["keyspace_notifications"]}),
    "spiky_blocked": (_API, {"traffic_shape": "spiky", "features": ["select_multiple_dbs"]}),
    "steady_blocked": (_API, {"traffic_shape": "steady", "features": ["vector_search", "hashes"]}),
    "serverless_forced_kms": (_API, {"constraints": {"deployment": "serverless"}, "customer_managed_kms_key": True,
                                     "encryption_at_rest": True, "commitment_years": 1}),
    "serverless_redis_commitment": (_API, {"constraints": {"deployment": "serverless", "engine": "redis"},
                                           "commitment_years": 3}),
    # backup: persistence without snapshots; snapshots priced.
    "persistence_no_snapshots": (_API, {"features": ["persistence", "hashes"], "snapshot_retention_days": 0}),
    "snapshots_kept": (_API, {"snapshot_retention_days": 7}),
    "one_day_snapshot": (_API, {"snapshot_retention_days": 1}),
    # keys: multi-key commands in cluster mode and on Serverless; multi-key reads.
    "crossslot_cluster": ("large_2tb", {"features": ["transactions", "lua", "hashes"], "items_per_read": 4}),
    "crossslot_serverless": (_API, {"constraints": {"deployment": "serverless"}, "features": ["multi_key_commands"]}),
    # topology: cluster mode off with a non-cluster-aware client; no replicas; one replica; a node quota
    # increase; a burstable node; data tiering used and a candidate; connections; tight latency.
    "not_cluster_aware_small": (_API, {"client_cluster_aware": False}),
    "no_availability": (_API, {"availability": "none", "traffic_shape": "steady"}),
    "one_replica": (_API, {"constraints": {"replicas_per_shard": 1}}),
    "two_replicas": (_API, {"constraints": {"replicas_per_shard": 2}}),
    "replicas_without_availability": (_API, {"availability": "none", "constraints": {"replicas_per_shard": 1}}),
    "node_quota": (_API, {"dataset_gb": 20000, "constraints": {"node_family": "r7g"}}),
    "burstable": (_DEV, {"constraints": {"deployment": "provisioned"}}),
    "data_tiering": ("large_2tb", {"latency_target_ms": 5}),
    "data_tiering_tight_latency": ("large_2tb", {"latency_target_ms": 1.2}),
    "data_tiering_candidate": (_API, {"dataset_gb": 400, "hot_set_percent": 60,
                                      "constraints": {"data_tiering": False}}),
    "connections": (_API, {"max_connections": 40000}),
    "tight_latency": (_API, {"latency_target_ms": 0.4}),
    # resilience: no failover, RPO zero on Multi-AZ, Memcached node loss (one node, several), Global Datastore
    # with tight RTO and RPO.
    "rpo_zero": (_API, {"rpo_seconds": 0}),
    "memcached_one_node": ("memcached_page_cache", {"dataset_gb": 1, "avg_reads_per_sec": 500,
                                                    "avg_writes_per_sec": 50}),
    "global_tight": ("multi_region_catalog", {"rpo_seconds": 0.5, "rto_seconds": 30,
                                             "secondary_regions": ["eu-west-1", "us-west-2"]}),
    # pricing: a Global Datastore secondary in a Region with no bundled price for the node (incomplete total).
    "global_unpriced_secondary": ("multi_region_catalog", {"secondary_regions": ["ap-southeast-6"]}),
    # pricing: budgets (within, within reserved, not within), commitments, a Region with a thin offer.
    "budget_within": (_API, {"preferences": {"monthly_budget_usd": 1_000_000}}),
    "budget_reserved": (_API, {"preferences": {"monthly_budget_usd": 700}}),
    "budget_short": (_API, {"preferences": {"monthly_budget_usd": 50}}),
    "commit_one_year": (_API, {"commitment_years": 1, "traffic_shape": "steady"}),
    "commit_three_years_long": (_API, {"commitment_years": 3, "horizon_months": 36, "traffic_shape": "steady"}),
    "spiky_provisioned": (_API, {"traffic_shape": "spiky", "constraints": {"deployment": "provisioned"}}),
    "region_thin": (_API, {"region": "ap-southeast-5"}),
    "region_eu": (_API, {"region": "eu-west-1"}),
    # security: no TLS, no auth, AUTH token, IAM, Memcached with TLS and at-rest asked.
    "no_tls_no_auth": (_API, {"encryption_in_transit": False, "auth": "none", "encryption_at_rest": False}),
    "auth_token": (_API, {"auth": "auth_token"}),
    "iam": (_API, {"auth": "iam", "customer_managed_kms_key": True}),
    "memcached_tls_at_rest": ("memcached_page_cache", {"encryption_in_transit": True, "encryption_at_rest": True}),
    "memcached_no_tls": ("memcached_page_cache", {"encryption_in_transit": False}),
    # clients: short-lived functions on nodes and Serverless (IAM), hot keys on nodes, Serverless and Memcached,
    # a Memcached client with and without HA wishes.
    "short_lived_serverless": (_API, {"short_lived_clients": True, "auth": "iam", "max_connections": 50000,
                                      "constraints": {"deployment": "serverless"}}),
    "short_lived_nodes": (_API, {"short_lived_clients": True, "max_connections": 1000}),
    "hot_key_overload": (_API, {"hot_key_count": 1, "hot_key_read_percent": 90, "avg_reads_per_sec": 200000,
                                "read_from_replicas": False}),
    "hot_key_serverless": (_API, {"hot_key_count": 1, "hot_key_read_percent": 90, "avg_reads_per_sec": 100000,
                                  "constraints": {"deployment": "serverless"}}),
    "hot_key_memcached": ("memcached_page_cache", {"hot_key_count": 5, "hot_key_read_percent": 50}),
    "memcached_client_plain": ("memcached_page_cache", {"constraints": {"client_protocol": "memcached"}}),
    "memcached_client_ha": ("memcached_page_cache", {"constraints": {"client_protocol": "memcached"},
                                                     "availability": "multi_az"}),
    # patterns: write-heavy, hot keys, background refresh, bursty Memcached.
    "write_heavy": (_API, {"avg_writes_per_sec": 20000}),
    "background_refresh": (_API, {"avg_reads_per_sec": 60000, "traffic_shape": "steady", "item_count": 10_000_000,
                                  "dataset_gb": None}),
    "memcached_bursty": ("memcached_page_cache", {"peak_to_average": 5}),
    "no_traffic": (_DEV, {"avg_reads_per_sec": 0, "avg_writes_per_sec": 0}),
    # infeasible: closest feasible alternatives.
    "infeasible_connections": (_API, {"max_connections": 10_000_000, "read_from_replicas": False}),
    "infeasible_serverless": (_API, {"constraints": {"deployment": "serverless"}, "dataset_gb": 10000}),
}


def variant(name: str) -> dict[str, Any]:
    base, changes = VARIANTS[name]
    data = example(base)
    for section in ("constraints", "preferences"):
        if section in changes:
            changes = {**changes, section: {**(data.get(section) or {}), **changes[section]}}
    return {key: value for key, value in {**data, **changes}.items() if value is not None}


def book_without(book: PriceBook, *, on_demand: Callable[[Any], bool] = lambda p: False,
                 serverless: Callable[[Any], bool] = lambda s: False,
                 other: Callable[[Any], bool] = lambda r: False) -> PriceBook:
    """The bundled book with the rows each predicate matches left out (a Region or engine with a missing price),
    so a rule's "not priced" branch can be reached with otherwise real data."""
    return PriceBook(
        manifest=book.manifest, nodes=list(book.nodes.values()),
        on_demand=[p for p in book.on_demand.values() if not on_demand(p)],
        reserved=list(book.reserved.values()), discounts=list(book.discounts.values()),
        serverless=[s for s in book.serverless.values() if not serverless(s)],
        other=[r for r in book.other if not other(r)])
