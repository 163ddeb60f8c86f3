"""Engine versions: the newest in standard support with every needed feature, pins checked, support windows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from advisor.commands import generate_commands
from advisor.optimizer import search
from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.rules.versions import pinned_version
from advisor.versions import (
    IAM_AUTH,
    MULTIPLE_DBS_CLUSTER_MODE,
    SHARDED_PUBSUB,
    VECTOR_SEARCH,
    check_pinned,
    choose_version,
    needed_capabilities,
)
from advisor.workload import parse_workload

TODAY = date(2026, 12, 2)


def test_valkey_is_built_on_the_newest_default_version_not_8_0() -> None:
    # Valkey 8.1, 8.2 and 9.0 exist (facts 1.2); 9.1 is seen in one localized copy only, so 9.0 is chosen.
    assert choose_version("valkey", [], TODAY).version == "9.0"
    assert choose_version("redis", [], TODAY).version == "7.1"


@pytest.mark.parametrize(("engine", "capability", "minimum"), [
    ("valkey", VECTOR_SEARCH, "8.2"),
    ("valkey", MULTIPLE_DBS_CLUSTER_MODE, "9.0"),
    ("redis", IAM_AUTH, "7.0"),
    ("redis", SHARDED_PUBSUB, "7.0"),
])
def test_minimum_version_per_feature(engine: str, capability: object, minimum: str) -> None:
    choice = choose_version(engine, [capability], TODAY)  # type: ignore[list-item]
    assert choice.minimum_version == minimum
    assert capability in choice.gating


def test_no_redis_version_has_vector_search() -> None:
    choice = choose_version("redis", [VECTOR_SEARCH], TODAY)
    assert choice.version is None and choice.missing_on_engine == (VECTOR_SEARCH,)


def test_multiple_dbs_need_9_0_only_in_cluster_mode() -> None:
    w = parse_workload({"dataset_gb": 5, "features": ["select_multiple_dbs"]})
    assert MULTIPLE_DBS_CLUSTER_MODE not in needed_capabilities(w, cluster_mode_enabled=False)
    assert MULTIPLE_DBS_CLUSTER_MODE in needed_capabilities(w, cluster_mode_enabled=True)


def test_pinned_version_is_checked_against_the_features() -> None:
    check = check_pinned("valkey", "8.0", [VECTOR_SEARCH], TODAY)
    assert check.lacking == (VECTOR_SEARCH,) and check.in_standard_support
    assert check_pinned("valkey", "8.2", [VECTOR_SEARCH], TODAY).lacking == ()
    assert check_pinned("redis", "6.2", [IAM_AUTH], TODAY).lacking == (IAM_AUTH,)


def test_redis_support_windows() -> None:
    # Redis OSS 5: standard support ended 2026-01-31, Extended Support until 2029-01-31.
    five = check_pinned("redis", "5.0.6", [], TODAY)
    assert not five.in_standard_support and five.in_extended_support
    # Redis OSS 6.2: standard support until 2027-01-31, then Extended Support.
    assert check_pinned("redis", "6.2", [], TODAY).in_standard_support
    later = check_pinned("redis", "6.2", [], date(2027, 2, 1))
    assert not later.in_standard_support and later.in_extended_support
    assert check_pinned("redis", "7.1", [], date(2031, 1, 1)).in_standard_support
    # After Extended Support ends neither applies.
    assert not check_pinned("redis", "5.0.6", [], date(2029, 2, 1)).in_extended_support


def test_vector_search_is_node_based_valkey_off_r6gd(book: PriceBook) -> None:
    w = parse_workload({"dataset_gb": 2000, "hot_set_percent": 10, "avg_value_bytes": 8000,
                        "features": ["vector_search"]})
    result = search(w, book, "valkey", top=100)
    assert result.ranked and not any(c.data_tiering for c in result.ranked)
    assert any("vector search" in e.reason for e in result.exclusions if ".r6gd." in e.node_type)
    rec = recommend(parse_workload({"dataset_gb": 5, "features": ["vector_search"], "traffic_shape": "spiky"}),
                    book)
    assert rec.deployment == "provisioned" and "Serverless does not support vector search" in rec.deployment_reason
    version = next(f for f in rec.findings if f.id == "engine.version")
    assert version.title == "Engine version: Valkey 9.0"
    [create] = [c for c in generate_commands(rec) if c.argv[2] == "create-replication-group"]
    assert create.argv[create.argv.index("--engine-version") + 1] == "9.0"


def test_redis_with_vector_search_is_a_conflict(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 5, "features": ["vector_search"], "forced_engine": "redis"}),
                    book)
    conflict = next(f for f in rec.findings if f.id == "engine.version_lacks_feature")
    assert conflict.severity == "conflict" and "vector search" in conflict.title


def test_pinned_version_lacking_a_feature_is_a_conflict_with_a_priced_way_out(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 5, "features": ["vector_search"],
                                    "constraints": {"engine_version": "8.0"}}), book)
    [conflict] = [f for f in pinned_version(rec, book, TODAY) if f.severity == "conflict"]
    assert conflict.id == "engine.version_pin_lacks_feature" and "vector search" in conflict.title
    assert rec.topology is not None and rec.costs is not None
    assert conflict.decision == (f"Pin Valkey 9.0 instead: same {rec.topology.node_count} x "
                                 f"{rec.topology.node_type} at ${rec.costs.chosen.monthly:,.2f}/month.")
    # A conflict builds nothing (exit 3, no commands); nothing is silently changed, and the way out is priced.
    assert rec.status == "conflict" and generate_commands(rec) == []
    assert "advisor_picks_version" in {w.id for w in rec.ways_out}


def test_pinned_redis_5_shows_extended_support_dates_and_surcharge(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 5, "auth": "none",
                                    "constraints": {"engine": "redis", "engine_version": "5.0.6"}}), book)
    topo = rec.topology
    assert topo is not None
    findings = {f.id: f for f in pinned_version(rec, book, TODAY)}
    assert findings["engine.version"].title == "Engine version: Redis OSS 5.0.6 (pinned)"
    es = findings["engine.extended_support"]
    assert es.severity == "warning"
    assert es.evidence["standard support ended"] == "2026-01-31"
    assert es.evidence["Extended Support years 1-2"].startswith("2026-02-01 to 2028-01-31")
    assert es.evidence["Extended Support year 3"].startswith("2028-02-01 to 2029-01-31")
    # No per-Region SKU bundled: 80% of the Redis OSS on-demand price, labelled an estimate.
    redis = book.node_price("us-east-1", "redis", topo.node_type)
    assert redis is not None
    monthly = redis.usd_per_hour * Decimal("0.8") * topo.node_count * 730
    assert es.evidence["surcharge now"] == f"${monthly:,.2f}/month for {topo.node_count} nodes (estimate)"


def test_pinned_version_elasticache_does_not_offer(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 5, "constraints": {"engine_version": "6.2"}}), book)
    [finding] = pinned_version(rec, book, TODAY)
    assert finding.id == "engine.version_not_offered" and finding.severity == "conflict"
    assert "Valkey 6.2 is not offered" in finding.title and "Pin Valkey 9.0" in finding.decision
