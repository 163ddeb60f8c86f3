"""Every finding a user can be shown reads as written: sentences start with a capital and end with punctuation,
product names and acronyms are spelled right, nothing is shouted or wrapped in stray "XX", evidence is filled in
and each finding links AWS documentation. Run over every bundled example and over variants that between them
reach every finding the decision rules can produce (tests/core/rule_variants.py)."""

from __future__ import annotations

import pytest

from advisor.findings import Finding
from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.workload import load_workload, parse_workload
from tests.core.finding_text import finding_problems, prose_problems, sentence_problems
from tests.core.rule_variants import EXAMPLES, VARIANTS, variant

# Every finding id advisor/rules/* can produce; the examples and variants must reach each one, so the wording
# checks below read every rule's words.
RULE_FINDING_IDS = frozenset({
    "backup.persistence_without_snapshots", "backup.snapshots",
    "clients.hot_keys", "clients.short_lived",
    "deployment.choice", "deployment.infeasible", "deployment.serverless_premium",
    "deployment.serverless_ruled_out_by_feature",
    "engine.choice", "engine.extended_support", "engine.memcached_client", "engine.redis_costs_more",
    "engine.version", "engine.version_lacks_feature", "engine.version_not_offered",
    "engine.version_pin_lacks_feature",
    "pattern.caching", "pattern.herd",
    "pricing.budget", "pricing.commitment", "pricing.commitment_serverless", "pricing.extended_support",
    "pricing.incomplete_total", "pricing.provenance", "pricing.region_offer", "pricing.reserved",
    "resilience.global_datastore", "resilience.global_rpo", "resilience.global_rto",
    "resilience.memcached_node_loss", "resilience.multi_az", "resilience.no_failover",
    "resilience.serverless_multi_az",
    "security.at_rest", "security.auth", "security.auth_token", "security.in_transit",
    "security.memcached_no_at_rest", "security.no_auth", "security.no_in_transit", "security.serverless_encryption",
    "topology.burstable", "topology.cluster_mode", "topology.connections", "topology.crossslot",
    "topology.data_tiering", "topology.data_tiering_candidate", "topology.latency_data_tiering",
    "topology.latency_target", "topology.node_quota", "topology.node_type", "topology.not_cluster_aware",
    "topology.replicas",
})


def _findings(name: str, book: PriceBook) -> list[Finding]:
    workload = load_workload(name) if name in EXAMPLES else parse_workload(variant(name))
    return recommend(workload, book).findings


@pytest.mark.parametrize("name", EXAMPLES + sorted(VARIANTS))
def test_every_finding_reads_as_written(name: str, book: PriceBook) -> None:
    findings = _findings(name, book)
    assert findings, f"{name}: no findings at all"
    problems = [problem for finding in findings for problem in finding_problems(finding)]
    assert not problems, "\n".join(problems)


def test_the_examples_and_variants_reach_every_rule_finding(book: PriceBook) -> None:
    reached = {f.id for name in EXAMPLES + sorted(VARIANTS) for f in _findings(name, book)}
    assert RULE_FINDING_IDS - reached == set()


@pytest.mark.parametrize(("text", "problem"), [
    ("XXUse Valkey.XX", "stray 'XX'"),
    ("use Valkey.", "does not start with a capital letter"),
    ("Use Valkey", "does not end a sentence"),
    ("Use valkey.", "should read 'Valkey'"),
    ("Keep it. replicas add capacity.", "a sentence starts in lower case"),
    ("Enable tls for every client.", "should read 'TLS'"),
    ("ENABLE TLS FOR EVERY CLIENT.", "in capitals"),
    ("Run it on elasticache.", "should read 'ElastiCache'"),
    ("Run it on Elasticache.", "misspelt"),
    ("Enable multi-az.", "should read 'Multi-AZ'"),
    ("Reserved for 1 year (ESTIMATE).", "in capitals"),
])
def test_the_checks_catch_garbled_sentences(text: str, problem: str) -> None:
    found = prose_problems("decision", text) + sentence_problems("decision", text)
    assert any(problem in p for p in found), found


@pytest.mark.parametrize("text", [
    "Use 3 x cache.r7g.large (Valkey 8.0) in us-east-1: $1,234.56/month, TLS and RBAC on.",
    "Auth 'rbac' is not available on Memcached; a planning ASSUMPTION (AWS publishes none): 0.70 of it.",
    "Serve 1/3 of reads from replicas (--az-mode cross-az) at 0.3 ms extra.",
])
def test_the_checks_accept_good_sentences(text: str) -> None:
    assert prose_problems("decision", text) + sentence_problems("decision", text) == []
