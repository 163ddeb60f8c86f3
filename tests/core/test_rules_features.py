"""Rules added for issue 11 §3: CROSSSLOT, Serverless ruled out by a feature, Memcached-only wording."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.findings import Finding
from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.recommendation import Recommendation
from advisor.workload import load_workload, parse_workload


def by_id(rec: Recommendation) -> dict[str, Finding]:
    return {f.id: f for f in rec.findings}


MEMCACHED = {"availability": "none", "auth": "none", "snapshot_retention_days": 0,
             "features": ["simple_get_set", "multithreaded_simple_cache"]}


@pytest.mark.parametrize(("feature", "words"), [("transactions", "transactions"), ("lua", "Lua"),
                                                ("multi_key_commands", "multi-key commands")])
def test_cluster_mode_with_multi_key_work_explains_hash_tags(book: PriceBook, feature: str, words: str) -> None:
    # 2,000 GB (1,863 GiB) is more than any one node holds, so the cluster must shard.
    largest = max(float(n.memory_gib) * 0.75 for n, _ in book.priced_nodes("us-east-1", "valkey"))
    assert largest < 2000e9 / 2**30
    rec = recommend(parse_workload({"dataset_gb": 2000, "features": ["hashes", feature]}), book)
    assert rec.topology is not None and rec.topology.cluster_mode_enabled
    finding = by_id(rec)["topology.crossslot"]
    assert "CROSSSLOT" in finding.rationale and "{user:42}" in finding.decision
    assert words in finding.evidence["uses"]  # the feature in words, not its id


def test_serverless_is_cluster_mode_too_and_mget_counts(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 1, "traffic_shape": "spiky", "items_per_read": 5}), book)
    assert rec.deployment == "serverless"
    assert "5 keys each" in by_id(rec)["topology.crossslot"].evidence["uses"]


def test_no_crossslot_on_one_shard_or_without_multi_key_work(book: PriceBook) -> None:
    one_shard = recommend(parse_workload({"dataset_gb": 5, "features": ["transactions"]}), book)
    assert one_shard.topology is not None and not one_shard.topology.cluster_mode_enabled
    assert "topology.crossslot" not in by_id(one_shard)
    plain = recommend(parse_workload({"dataset_gb": 2000, "features": ["hashes"]}), book)
    assert "topology.crossslot" not in by_id(plain)


@pytest.mark.parametrize(("feature", "words"), [("keyspace_notifications", "keyspace notifications"),
                                                ("select_multiple_dbs", "multiple databases (SELECT)"),
                                                ("vector_search", "vector search")])
def test_serverless_ruled_out_by_a_feature_is_its_own_finding(book: PriceBook, feature: str, words: str) -> None:
    rec = recommend(parse_workload({"dataset_gb": 2, "traffic_shape": "spiky", "features": [feature]}), book)
    assert rec.deployment == "provisioned"
    finding = by_id(rec)["deployment.serverless_ruled_out_by_feature"]
    assert finding.severity == "warning"  # spiky traffic would otherwise have chosen Serverless
    assert finding.evidence["features Serverless lacks"] == words
    assert "Serverless would have cost" in finding.evidence


def test_memcached_findings_never_offer_at_rest_replicas_or_multi_az(book: PriceBook) -> None:
    rec = recommend(load_workload(Path("examples/memcached_page_cache.yaml")), book)
    assert rec.engine == "memcached" and rec.deployment == "provisioned"
    text = " ".join(f"{f.title} {f.decision} {f.rationale}" for f in rec.findings).lower()
    assert "enable at-rest encryption" not in text
    assert "multi-az with" not in text and "replica per shard" not in text
    ids = by_id(rec)
    assert "security.at_rest" not in ids and "resilience.no_failover" not in ids
    if rec.workload.encryption_at_rest:
        assert "nothing to enable" in ids["security.memcached_no_at_rest"].decision.lower()


def test_memcached_node_loss_says_spread_across_azs(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 40, **MEMCACHED, "encryption_at_rest": True}), book)
    assert rec.engine == "memcached" and rec.topology is not None
    spread = by_id(rec)["resilience.memcached_node_loss"]
    assert "cross-az" in spread.decision and f"1/{rec.topology.shards}" in spread.rationale
    assert "security.memcached_no_at_rest" in by_id(rec)


def test_vector_search_overrides_a_serverless_preference_with_the_reason(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 2, "features": ["vector_search"],
                                    "preferences": {"deployment": "serverless"}}), book)
    assert rec.deployment == "provisioned"
    finding = by_id(rec)["deployment.serverless_ruled_out_by_feature"]
    assert finding.title.startswith("Serverless preference overridden") and finding.severity == "warning"
    assert "vector search" in finding.rationale and "overridden" in finding.evidence["preference"]
