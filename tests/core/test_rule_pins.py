"""Rule findings pinned where mutation testing found the words or numbers a user reads unchecked."""

from __future__ import annotations

import yaml

from advisor.findings import Finding
from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.workload import load_workload, parse_workload


def _found(rec: object) -> dict[str, Finding]:
    return {f.id: f for f in rec.findings}  # type: ignore[attr-defined]


def test_read_heavy_workload_gets_cache_aside_with_invalidation(book: PriceBook) -> None:
    # api_response_cache: reads dominate and nothing asks for persistence.
    finding = _found(recommend(load_workload("examples/api_response_cache.yaml"), book))["pattern.caching"]
    assert finding.patterns == ["cache_aside", "invalidate_on_write"]
    assert finding.rationale.startswith("Reads dominate, so caching only what is requested")


def test_memcached_herd_advice_says_more_nodes_do_not_spread_a_key(book: PriceBook) -> None:
    rec = recommend(load_workload("examples/memcached_page_cache.yaml"), book)
    assert rec.engine == "memcached"
    herd = _found(rec)["pattern.herd"]
    assert "The client hashes each key to one node: more nodes do not spread a single key." in herd.rationale
    assert "Replicas spread hot-key reads" not in herd.rationale
    valkey = _found(recommend(load_workload("examples/api_response_cache.yaml"), book))["pattern.herd"]
    assert "Replicas spread hot-key reads; cluster mode does not spread a single key." in valkey.rationale


def test_regional_rpo_below_a_second_is_a_warning_naming_the_rpo(book: PriceBook) -> None:
    # Global Datastore replicates asynchronously, typically under 1 s: an RPO of 0.5 s cannot be promised.
    rec = recommend(parse_workload({"dataset_gb": 20, "availability": "multi_region", "rpo_seconds": 0.5,
                                    "secondary_regions": ["us-west-2"]}), book)
    finding = _found(rec)["resilience.global_rpo"]
    assert finding.evidence == {"RPO asked": "0.5 s"}
    assert "asynchronously" in finding.rationale


def test_burstable_warning_only_on_burstable_nodes(book: PriceBook) -> None:
    # dev_test on nodes fits a t4g.small (tests/commands/test_terraform.py works it out); api_response_cache does not.
    small = recommend(parse_workload({**_example("dev_test"), "forced_deployment": "provisioned"}), book)
    assert small.topology is not None and small.topology.node_type.startswith("cache.t")
    warning = _found(small)["topology.burstable"]
    assert warning.evidence["node"] == small.topology.node_type
    big = recommend(load_workload("examples/api_response_cache.yaml"), book)
    assert big.topology is not None and not big.topology.node_type.startswith("cache.t")
    assert "topology.burstable" not in _found(big)


def test_provisioned_deployment_title_and_cluster_mode_evidence(book: PriceBook) -> None:
    rec = recommend(load_workload("examples/api_response_cache.yaml"), book)
    assert rec.deployment == "provisioned" and rec.topology is not None
    found = _found(rec)
    assert found["deployment.choice"].title == "Deployment: Provisioned (node-based) cluster"
    assert found["topology.cluster_mode"].evidence["shards"] == str(rec.topology.shards)


def test_budget_met_says_so(book: PriceBook) -> None:
    rec = recommend(parse_workload({**_example("api_response_cache"), "monthly_budget_usd": 1_000_000}), book)
    assert _found(rec)["pricing.budget"].decision == "The recommendation fits the budget."


def test_memcached_at_rest_sentence(book: PriceBook) -> None:
    finding = _found(recommend(load_workload("examples/memcached_page_cache.yaml"), book))[
        "security.memcached_no_at_rest"]
    assert finding.rationale.endswith(
        "node-based Memcached has no backups, so create-cache-cluster has no at-rest flag for it.")


def _example(name: str) -> dict:
    with open(f"examples/{name}.yaml") as handle:
        return yaml.safe_load(handle)


def test_short_lived_clients_cap_is_per_node_on_a_cluster(book: PriceBook) -> None:
    # ElastiCache's maxclients is 65,000 per node (facts file, connection limits).
    rec = recommend(parse_workload({"dataset_gb": 5, "short_lived_clients": True, "max_connections": 40_000,
                                    "forced_deployment": "provisioned"}), book)
    finding = _found(rec)["clients.short_lived"]
    assert finding.evidence["connection cap"] == "65,000 per node"
    assert finding.rationale.endswith("65,000 per node.")
