"""Each decision rule's branches as a user reads them: which finding, how loud, and the sentence or figure
that differs between branches. Prices are read from the bundled tables (the source data) and the arithmetic
is written out; the workloads are the examples and the variants in tests/core/rule_variants.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from advisor.choices import assess_serverless
from advisor.findings import Finding, Severity
from advisor.optimizer import search
from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.recommendation import Recommendation
from advisor.rules import (
    backup,
    clients,
    commitment,
    deployment,
    keys,
    pricing,
    security,
    topology,
    versions,
)
from advisor.workload import load_workload, parse_workload
from tests.core.rule_variants import EXAMPLES, book_without, variant


class Recs:
    """Recommendations computed on first use within one test. Never shared between tests: mutmut picks the
    tests to rerun for a mutant by which tests called the mutated function, so a recommendation cached by an
    earlier test would hide every later test's check from it."""

    def __init__(self, book: PriceBook) -> None:
        self.book, self._recs = book, {}

    def __getitem__(self, name: str) -> Recommendation:
        if name not in self._recs:
            workload = load_workload(name) if name in EXAMPLES else parse_workload(variant(name))
            self._recs[name] = recommend(workload, self.book)
        return self._recs[name]

    def finding(self, name: str, finding_id: str) -> Finding | None:
        return next((f for f in self[name].findings if f.id == finding_id), None)


@pytest.fixture
def recs(book: PriceBook) -> Recs:
    return Recs(book)


API = "examples/api_response_cache.yaml"
MEMCACHED = "examples/memcached_page_cache.yaml"


def _with(rec: Recommendation, **changes: Any) -> Recommendation:
    return replace(rec, workload=rec.workload.with_changes(**changes))


# --- engine -----------------------------------------------------------------------------------------------

def test_valkey_saving_worked_from_the_node_prices(recs: Recs, book: PriceBook) -> None:
    rec = recs["redis_forced"]
    assert rec.topology is not None and rec.engine == "redis"
    node, count = rec.topology.node_type, rec.topology.node_count
    valkey = book.node_price("us-east-1", "valkey", node).usd_per_hour
    redis = book.node_price("us-east-1", "redis", node).usd_per_hour
    # e.g. 6 x cache.r6g.xlarge: 6 x $0.3288 x 730 = $1,440.14 Valkey, 6 x $0.411 x 730 = $1,800.18 Redis OSS.
    valkey_month, redis_month = valkey * 730 * count, redis * 730 * count
    expected = {
        f"{count} x {node} Valkey": f"${valkey_month:,.2f}/month (${valkey}/h)",
        f"{count} x {node} Redis OSS": f"${redis_month:,.2f}/month (${redis}/h)",
        "Valkey saves": f"${redis_month - valkey_month:,.2f}/month",
    }
    advice = recs.finding("redis_forced", "engine.redis_costs_more")
    assert advice.severity == Severity.ADVICE and advice.evidence == expected
    choice = recs.finding("redis_forced", "engine.choice")
    assert {k: choice.evidence[k] for k in expected} == expected
    assert choice.title == "Engine: Redis OSS" and choice.decision == "Use Redis OSS."
    assert choice.rationale == "Forced to Redis OSS by the workload."


def test_valkey_vs_redis_without_a_price_pair_says_so(recs: Recs, book: PriceBook) -> None:
    rec = recs[API]
    node = rec.topology.node_type
    assert book.node_price("us-east-1", "redis", node) is None  # r8g: no Redis OSS price bundled
    choice = recs.finding(API, "engine.choice")
    assert choice.evidence["Valkey vs Redis OSS"] == f"no price pair bundled for {node} in us-east-1"
    assert recs.finding(API, "engine.redis_costs_more") is None


def test_memcached_engine_choice_has_no_valkey_comparison(recs: Recs) -> None:
    choice = recs.finding(MEMCACHED, "engine.choice")
    assert choice.title == "Engine: Memcached"
    assert choice.evidence == {"features": "simple GET/SET, multithreaded simple cache"}
    valkey = recs.finding(API, "engine.choice")
    assert valkey.evidence["why not Memcached"].endswith(
        "RBAC (users and a user group) authentication is not available on Memcached")


def test_memcached_client_choices_follow_the_availability_wish(recs: Recs, book: PriceBook) -> None:
    rec = recs["memcached_client_plain"]
    plain = clients.memcached_client(rec, book)
    assert plain.decision.startswith("Node-based Memcached keeps the client unchanged")
    assert set(plain.evidence) == {"keep the client: node-based Memcached", "keep the client: Serverless Memcached",
                                   "change the client: Valkey"}
    nodes = rec.search.best
    assert plain.evidence["keep the client: node-based Memcached"].startswith(
        f"{nodes.shards} x {nodes.node_type}: ${nodes.on_demand_monthly:,.2f}/month (no replicas")
    for wish in ({"availability": "multi_az"}, {"snapshot_retention_days": 1}):
        ha = clients.memcached_client(_with(rec, **wish), book)
        assert ha.decision.startswith("Keep the Memcached client on Serverless Memcached (three AZs, snapshots)")
    assert clients.memcached_client(recs[API], book) is None


# --- versions ---------------------------------------------------------------------------------------------

def test_pinned_versions(recs: Recs) -> None:
    offered = recs.finding("pin_not_offered", "engine.version_not_offered")
    assert offered.severity == Severity.CONFLICT and offered.title == "Valkey 6.0 is not offered by ElastiCache"
    assert offered.evidence["pinned"] == "6.0" and "7.2" in offered.evidence["offered"].split(", ")
    rec = recs["pin_not_offered"]
    assert offered.decision == (f"Pin Valkey 9.0 instead: same {rec.topology.node_count} x {rec.topology.node_type} "
                                f"at ${rec.costs.chosen.monthly:,.2f}/month.")
    lacking = recs.finding("pin_lacks_feature", "engine.version_pin_lacks_feature")
    assert lacking.severity == Severity.CONFLICT and lacking.title == "Valkey 7.2 lacks native Bloom filters"
    assert lacking.evidence["native Bloom filters"] == "Valkey 8.1+" and lacking.evidence["pinned"] == "7.2"
    older = recs.finding("pin_older_valkey", "engine.version")
    assert older.title == "Engine version: Valkey 7.2 (pinned)" and older.severity == Severity.DECISION
    assert older.rationale == "Valkey 7.2 has every feature this workload needs. The newest in standard support is 9.0."


def test_an_engine_without_the_feature_at_any_version(recs: Recs) -> None:
    finding = recs.finding("redis_lacks_bloom", "engine.version_lacks_feature")
    assert finding.severity == Severity.CONFLICT and finding.title == "No Redis OSS version has native Bloom filters"
    assert finding.evidence["native Bloom filters"] == "not on Redis OSS"
    chosen = recs.finding(API, "engine.version")
    assert chosen.evidence["minimum version for these needs"] == "7.2"
    assert chosen.evidence["standard support"] == "no end announced"
    assert recs.finding("no_tls_no_auth", "engine.version").evidence["minimum version for these needs"] == "any"


# --- deployment -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "severity", "title", "decision", "lacks"), [
    ("serverless_preferred_blocked", Severity.WARNING,
     "Serverless preference overridden: a needed feature is not on Serverless",
     "Run a node-based cluster although Serverless was preferred.",
     "keyspace notifications (notify-keyspace-events is not configurable)"),
    ("spiky_blocked", Severity.WARNING, "Serverless is ruled out by a feature the workload needs",
     "Run a node-based cluster even though this traffic shape would otherwise favour Serverless.",
     "multiple databases (SELECT): every key lives in database 0"),
    ("steady_blocked", Severity.ADVICE, "Serverless is ruled out by a feature the workload needs",
     "Run a node-based cluster.", "vector search (Valkey 8.2+ on node-based clusters only)"),
])
def test_serverless_ruled_out_by_a_feature(name: str, severity: Severity, title: str, decision: str, lacks: str,
                                           recs: Recs) -> None:
    finding = recs.finding(name, "deployment.serverless_ruled_out_by_feature")
    assert (finding.severity, finding.title, finding.decision) == (severity, title, decision)
    assert finding.rationale == f"ElastiCache Serverless does not support {lacks}."
    rec = recs[name]
    assert finding.evidence["Serverless would have cost"] == (
        f"${rec.serverless_fit.estimate.monthly:,.2f}/month (estimate, if it could run)")
    assert finding.evidence["node-based instead"] == f"${rec.search.best.on_demand_monthly:,.2f}/month on-demand"
    assert ("preference" in finding.evidence) == (name == "serverless_preferred_blocked")
    assert recs.finding(API, "deployment.serverless_ruled_out_by_feature") is None


def test_serverless_premium_names_the_ratio(recs: Recs, book: PriceBook) -> None:
    rec = recs["serverless_forced_kms"]
    serverless, nodes = rec.serverless_fit.estimate.monthly, rec.search.best.on_demand_monthly
    finding = deployment.serverless_premium(rec, book)
    # e.g. $3,367.83 / $1,281.88 = 2.6x
    assert finding.title == f"Serverless costs {serverless / nodes:.1f}x the provisioned alternative"
    assert finding.evidence["Serverless"] == f"${serverless:,.2f}/month"
    assert finding.evidence["provisioned on-demand"] == f"${nodes:,.2f}/month"
    best = rec.search.best
    assert f"compare it with {best.node_count} x {best.node_type} (${nodes:,.2f}/month on-demand" in finding.decision
    assert deployment.serverless_premium(recs[API], book) is None  # provisioned: no premium to note


def test_infeasible_names_the_closest_alternative_once(recs: Recs) -> None:
    finding = recs.finding("infeasible_serverless", "deployment.infeasible")
    assert finding.severity == Severity.CONFLICT
    assert finding.decision.startswith("Closest feasible alternative: Use a provisioned cluster instead of "
                                       "Serverless: ")
    assert finding.decision.endswith("/month on-demand.")
    # The reason is said once: 10,000 GB growing 2% a month for 12 months = 12,682 GB.
    assert finding.rationale.count("exceeds the Serverless maximum of 5,000 GB") == 1
    assert finding.evidence["dataset at horizon"] == f"{10_000 * 1.02 ** 12:,.1f} GB"
    assert finding.evidence["peak requests/s"] == "79,500"  # (25,000 + 1,500) x 3


# --- topology ---------------------------------------------------------------------------------------------

def test_cluster_mode_enabled_and_disabled(recs: Recs, book: PriceBook) -> None:
    enabled = recs.finding(API, "topology.cluster_mode")
    assert enabled.title == "Cluster mode enabled" and enabled.decision == "Enable cluster mode with 5 shards."
    disabled = recs.finding("not_cluster_aware_small", "topology.cluster_mode")
    assert disabled.title == "Cluster mode disabled"
    assert disabled.decision == "Keep cluster mode disabled (one shard)."
    assert disabled.rationale.endswith(" The client is not cluster-aware, so one shard is also required.")
    assert disabled.evidence == {"shards": "1", "client cluster-aware": "no"}
    aware = topology.cluster_mode(_with(recs["not_cluster_aware_small"], client_cluster_aware=True), book)
    assert "not cluster-aware" not in aware.rationale
    assert topology.cluster_mode(recs[MEMCACHED], book) is None


@pytest.mark.parametrize(("name", "rationale"), [
    ("no_availability", "No availability requirement, so no replica is paid for; a node failure loses its shard's "
                        "data."),
    ("one_replica", "1 replica per shard: at least one is needed for Multi-AZ failover; replicas add read capacity "
                    "and HA, not data capacity. AWS Well-Architected suggests 2+ replicas for production so a "
                    "failover still leaves a replica."),
    ("two_replicas", "2 replicas per shard: at least one is needed for Multi-AZ failover; replicas add read "
                     "capacity and HA, not data capacity."),
    ("replicas_without_availability", "No availability requirement asks for replicas; they add read capacity, "
                                      "not data capacity."),
])
def test_replica_reasons(name: str, rationale: str, recs: Recs) -> None:
    finding = recs.finding(name, "topology.replicas")
    assert finding.rationale == rationale
    replicas = recs[name].topology.replicas_per_shard
    assert finding.title == f"{replicas} {'replica' if replicas == 1 else 'replicas'} per shard"


def test_replicas_finding_evidence_and_memcached(recs: Recs, book: PriceBook) -> None:
    assert recs.finding(API, "topology.replicas").evidence == {
        "peak reads/s": "75,000", "read from replicas": "yes", "availability": "Multi-AZ"}  # 25,000 x 3
    assert topology.replicas(recs[MEMCACHED], book) is None


def test_burstable_only_on_t_nodes(recs: Recs, book: PriceBook) -> None:
    finding = recs.finding("burstable", "topology.burstable")
    assert finding.severity == Severity.WARNING
    assert finding.evidence == {"node": "cache.t4g.small", "traffic shape": "dev/test"}
    assert topology.burstable(recs[API], book) is None


def test_not_cluster_aware_conflict_prices_the_sharded_way(recs: Recs) -> None:
    name = "examples/conflicts/non_cluster_aware_client_large.yaml"
    finding = recs.finding(name, "topology.not_cluster_aware")
    assert finding.severity == Severity.CONFLICT
    assert finding.decision.startswith("Adopt a cluster-aware client: then ")
    assert finding.rationale.endswith("and Serverless is cluster-mode only, so it needs a cluster-aware client too.")
    assert finding.evidence == {"dataset at horizon": "2,000.0 GB"}


def test_node_type_evidence(recs: Recs, book: PriceBook) -> None:
    rec = recs[API]
    finding = recs.finding(API, "topology.node_type")
    node = book.nodes[rec.topology.node_type]
    assert finding.title == f"Node type: {node.node_type}" and finding.decision == f"Use 10 x {node.node_type}."
    assert node.vcpu is None  # node_types.csv has no vCPU figure for r8g: shown as unknown, not "None"
    assert finding.evidence["node"] == (f"{node.node_type}: {node.memory_gib} GiB memory, unknown vCPU, "
                                        f"{node.network_gbps_baseline} Gbps baseline")
    # 40 GB growing 2% a month for 12 months: 40 x 1.02^12 = 50.73 GB.
    assert finding.evidence["dataset at horizon"].startswith(f"{40 * 1.02 ** 12:,.2f} GB (")
    assert finding.evidence["dataset at horizon"].endswith(" GiB) after 12 months at 2%/month")
    assert finding.evidence["monthly on-demand"] == f"${rec.search.best.on_demand_monthly:,.2f}"
    assert "(10% kept for hash-slot skew between shards)" in finding.evidence["memory used at horizon"]
    assert "node type x shard count x replica count" in finding.rationale
    assert "planning ASSUMPTION (AWS publishes none): " in finding.rationale
    runner_up = rec.search.ranked[1]
    assert finding.evidence["next cheapest"].endswith(f" at ${runner_up.on_demand_monthly:,.2f}/month")
    memcached = recs.finding(MEMCACHED, "topology.node_type")
    assert "node type x node count" in memcached.rationale
    # Memcached's runner-up in its own words: "3 nodes of cache.x", never shards.
    second = recs[MEMCACHED].search.ranked[1]
    assert memcached.evidence["next cheapest"].startswith(f"{second.shards} nodes of {second.node_type} at ")
    assert "hash-slot skew" not in memcached.evidence["memory used at horizon"]


# --- keys -------------------------------------------------------------------------------------------------

def test_crossslot_on_cluster_mode_and_serverless(recs: Recs, book: PriceBook) -> None:
    cluster = recs.finding("crossslot_cluster", "topology.crossslot")
    shards = recs["crossslot_cluster"].topology.shards
    assert cluster.severity == Severity.WARNING
    assert cluster.evidence == {"uses": "Lua, transactions, multi-key reads (4 keys each)",
                                "deployment": f"cluster mode with {shards} shards"}
    assert cluster.rationale.startswith(f"In cluster mode with {shards} shards keys map to 16,384 hash slots")
    serverless = recs.finding("crossslot_serverless", "topology.crossslot")
    assert serverless.evidence == {"uses": "multi-key commands", "deployment": "Serverless (always cluster mode)"}
    one_shard = recs["not_cluster_aware_small"]
    assert keys.crossslot(_with(one_shard, features=["transactions"]), book) is None  # one shard: no CROSSSLOT
    assert keys.crossslot(recs[API], book) is None  # single-key GET/SET only
    assert keys.crossslot(_with(recs[MEMCACHED], items_per_read=5), book) is None  # Memcached has no slots


# --- resilience / security / backup -------------------------------------------------------------------------

def test_encryption_findings_by_engine_and_deployment(recs: Recs, book: PriceBook) -> None:
    kms = recs.finding("serverless_forced_kms", "security.serverless_encryption")
    assert kms.decision.endswith(" (pass your KMS key with --kms-key-id).")
    no_kms = security.encryption(_with(recs["serverless_forced_kms"], customer_managed_kms_key=False), book)
    assert no_kms[0].decision == "Nothing to switch on: Serverless always uses TLS and encrypts data at rest."
    assert len(no_kms) == 1
    memcached_tls = recs.finding("memcached_tls_at_rest", "security.in_transit")
    assert memcached_tls.decision == "Enable in-transit encryption at creation (Memcached 1.6.12 or later)."
    assert memcached_tls.rationale.endswith("; clients must connect with TLS.")
    valkey_tls = recs.finding(API, "security.in_transit")
    assert valkey_tls.decision == "Enable in-transit encryption (mode 'required')."
    assert valkey_tls.rationale.endswith(" and is required for AUTH tokens, RBAC and IAM.")
    assert recs.finding(API, "security.at_rest").decision == "Enable at-rest encryption at creation."
    assert recs.finding("iam", "security.at_rest").decision == (
        "Enable at-rest encryption at creation with your customer managed KMS key.")
    assert recs.finding("iam", "security.at_rest").evidence == {"customer managed key": "yes"}
    no_tls = recs.finding("no_tls_no_auth", "security.no_in_transit")
    assert no_tls.severity == Severity.WARNING
    assert recs.finding("no_tls_no_auth", "security.at_rest") is None
    dev = [f.id for f in security.encryption(_with(recs[API], encryption_in_transit=False,
                                                   traffic_shape="dev_test"), book)]
    assert dev == ["security.at_rest"]
    memcached_no_rest = [f.id for f in security.encryption(_with(recs["memcached_tls_at_rest"],
                                                                 encryption_at_rest=False), book)]
    assert memcached_no_rest == ["security.in_transit"]


def test_auth_findings(recs: Recs, book: PriceBook) -> None:
    no_auth = recs.finding("no_tls_no_auth", "security.no_auth")
    assert no_auth.severity == Severity.WARNING
    assert security.auth(_with(recs[API], auth="none", traffic_shape="dev_test"), book) is None
    token = recs.finding("auth_token", "security.auth_token")
    assert token.severity == Severity.ADVICE
    rbac = recs.finding(API, "security.auth")
    assert rbac.title == "Authentication: RBAC user group" and rbac.rationale.endswith("without downtime.")
    assert rbac.docs == ["https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html"]
    iam = recs.finding("iam", "security.auth")
    assert iam.title == "Authentication: IAM authentication"
    assert iam.decision == "Use IAM authentication (IAM users whose UserId equals UserName)."
    assert iam.rationale.endswith("; IAM tokens last 15 minutes and connections re-authenticate every 12 hours.")
    assert iam.docs == ["https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html"]
    assert security.auth(recs[MEMCACHED], book) is None


def test_snapshots(recs: Recs, book: PriceBook) -> None:
    kept = recs.finding("snapshots_kept", "backup.snapshots")
    assert kept.title == "Daily snapshots kept 7 days"
    assert kept.decision == "Enable automatic snapshots with a retention of 7 days in a low-traffic window."
    line = next(x for x in recs["snapshots_kept"].costs.chosen.lines if x.name == "Snapshot storage")
    assert kept.evidence == {"retention": "7 days", "snapshot size (approx.)": f"{40 * 1.02 ** 12:,.2f} GB",
                             "backup storage": f"${line.total:,.2f}/month ({line.quantity:,.1f} GB-months)"}
    assert recs.finding("one_day_snapshot", "backup.snapshots").title == "Daily snapshots kept 1 day"
    warning = recs.finding("persistence_no_snapshots", "backup.persistence_without_snapshots")
    assert warning.severity == Severity.WARNING and warning.evidence == {"snapshot retention": "0 days"}
    assert backup.snapshots(recs[API], book) is None  # retention 0, no persistence asked
    assert backup.snapshots(_with(recs[MEMCACHED], snapshot_retention_days=3), book) is None  # node Memcached


# --- pricing ----------------------------------------------------------------------------------------------

def test_reservation_advice_follows_the_horizon(recs: Recs) -> None:
    # Steady traffic, 12-month horizon: the cheapest 1-year option, not a 3-year term beyond the horizon.
    rec = recs["commit_one_year"]
    one_year = min((c for c in rec.costs.reserved if c.option.term_years == 1), key=lambda c: c.monthly_equivalent)
    finding = recs.finding("commit_one_year", "pricing.reserved")
    saved = rec.costs.on_demand.monthly - one_year.monthly_equivalent
    assert finding.decision.startswith(f"Buy {one_year.node_count} reserved nodes ({one_year.plan}): "
                                       f"{one_year.option.label}, about ${saved:,.2f}/month saved.")
    assert one_year.option.label.startswith("1-year ")
    # A 36-month horizon covers a 3-year term: the cheapest of all.
    long = recs["commit_three_years_long"]
    best = long.costs.best_reserved
    assert best.option.term_years == 3
    assert recs.finding("commit_three_years_long", "pricing.reserved").decision.startswith(
        f"Buy {best.node_count} reserved nodes ({best.plan}): {best.option.label}")
    spiky = recs.finding("spiky_provisioned", "pricing.reserved")
    assert spiky.decision == "Stay on-demand until the load settles; then reserve the steady baseline."
    for comparison in rec.costs.reserved:
        shown = finding.evidence[comparison.option.label]
        assert shown.startswith(f"${comparison.monthly_equivalent:,.2f}/month effective, saves "
                                f"{comparison.saving_vs_on_demand_pct:.0f}%")


def test_commitment_saving_worked_out(recs: Recs) -> None:
    rec = recs["commit_one_year"]
    on_demand = rec.costs.on_demand.monthly
    options = sorted((c for c in rec.costs.reserved if c.option.term_years == 1), key=lambda c: c.monthly_equivalent)
    best = options[0]
    finding = recs.finding("commit_one_year", "pricing.commitment")
    assert finding.title == f"1-year commitment: reserve 10 x {rec.topology.node_type}"
    assert finding.decision == (f"Buy 10 1-year {best.option.payment_option} reserved nodes for "
                                f"{rec.topology.node_type} in us-east-1: ${best.monthly_equivalent:,.2f}/month "
                                "effective.")
    # saving over the term: (on-demand - best) x 12 months x 1 year
    assert finding.evidence["saving over 1 year"] == f"${(on_demand - best.monthly_equivalent) * 12:,.2f} (estimate)"
    assert finding.monthly_saving_usd == pytest.approx(float(on_demand - best.monthly_equivalent))
    assert finding.evidence["on-demand"] == f"${on_demand:,.2f}/month for 10 x {rec.topology.node_type}"
    upfront = (best.option.upfront_usd or Decimal(0)) * 10
    assert finding.evidence[f"1-year {best.option.payment_option}"].endswith(f"${upfront:,.2f} upfront (estimate)")
    assert "Database Savings Plan" in finding.evidence  # Valkey on r8g, Gen 7+
    assert finding.evidence["1-year No Upfront"].endswith(" $0.00 upfront (estimate)")  # nothing paid upfront
    # r6g is Gen 6: no Savings Plan line; three years of saving.
    long = recs["commit_three_years_long"]
    three = recs.finding("commit_three_years_long", "pricing.commitment")
    best3 = min((c for c in long.costs.reserved if c.option.term_years == 3), key=lambda c: c.monthly_equivalent)
    assert three.evidence["saving over 3 years"] == (
        f"${(long.costs.on_demand.monthly - best3.monthly_equivalent) * 36:,.2f}")
    assert "Database Savings Plan" not in three.evidence
    assert "2 x r6g.4xlarge is 64 normalized units (32 each), which a reservation of 1 x r6g.8xlarge (64 each)" \
        in three.rationale


def test_serverless_commitment_by_engine(recs: Recs, book: PriceBook) -> None:
    valkey = recs.finding("serverless_forced_kms", "pricing.commitment_serverless")
    assert valkey.title == "1-year commitment: Serverless has no reserved pricing"
    assert valkey.decision.startswith("Commit through a 1-year Database Savings Plan (covers Valkey Serverless)")
    assert valkey.evidence["Savings Plan covers this engine"] == "yes"
    redis = recs.finding("serverless_redis_commitment", "pricing.commitment_serverless")
    assert redis.decision == ("Move to node-based reserved nodes if the load is steady; Serverless has no "
                              "reservations.")
    assert redis.evidence["Savings Plan covers this engine"] == "no"
    assert commitment.commitment(recs[API], book) is None  # no commitment asked


def test_region_offer_and_incomplete_total(recs: Recs, book: PriceBook) -> None:
    offer = recs.finding("region_thin", "pricing.region_offer")
    offered = book.node_families("ap-southeast-5", "valkey")
    missing = book.unoffered_families("ap-southeast-5", "valkey")
    assert offer.decision == (f"The search covered the Valkey node families ap-southeast-5 offers: "
                              f"{', '.join(offered)}.")
    assert offer.evidence["offered"] == ", ".join(offered) and offer.evidence["not offered here"] == ", ".join(missing)
    assert "r7g" in missing and "r6g" in offered
    assert offer.evidence["prices as of"] == book.region_as_of("ap-southeast-5").isoformat()
    assert offer.title == "Node families offered in ap-southeast-5"
    assert offer.rationale.startswith(f"AWS publishes no Valkey price in ap-southeast-5 for {', '.join(missing)}, so "
                                      "those families are not offered there")
    assert pricing.region_offer(recs[API], book) is None
    incomplete = recs.finding("global_unpriced_secondary", "pricing.incomplete_total")
    assert incomplete.severity == Severity.WARNING
    assert incomplete.decision == "Read the total as incomplete: it excludes ap-southeast-6: not priced."
    assert set(incomplete.evidence) == {"ap-southeast-6"}
    assert pricing.incomplete_total(recs[API], book) is None
    reserved = recs.finding("global_unpriced_secondary", "pricing.reserved")
    assert " Not covered (no price): ap-southeast-6: not priced." in reserved.rationale


# --- what the remaining branches show -------------------------------------------------------------------------

@pytest.mark.parametrize(("family", "size", "count", "shown"), [
    # Normalized units (MemoryDB's table): large 4, xlarge 8; 6 x large = 24 units = 3 x xlarge.
    ("r7g", "large", 6, "a reservation applies to any size of the r7g family in this Region by normalized units: "
                        "6 x r7g.large is 24 normalized units (4 each), which a reservation of 3 x r7g.xlarge "
                        "(8 each) also covers; other families"),
    # 24xlarge is 192 units; no size of 384 units: no example.
    ("r6g", "24xlarge", 2, "a reservation applies to any size of the r6g family in this Region by normalized "
                           "units; other families (r6g vs r6gd, r7g vs m7g) are not covered."),
    # A size outside the table (e.g. 48xlarge): the general sentence only.
    ("r7g", "48xlarge", 1, "reservations apply to any r7g size in this Region by normalized units"),
])
def test_size_flexibility_sentence(family: str, size: str, count: int, shown: str) -> None:
    assert shown in commitment._flexibility(family, size, count) + "."


def test_data_tiering_capacity_counts_ssd(recs: Recs) -> None:
    tiered = recs.finding("data_tiering", "topology.node_type")
    assert tiered.evidence["usable memory per node"].endswith(" (DRAM + SSD)")
    assert not recs.finding(API, "topology.node_type").evidence["usable memory per node"].endswith("SSD)")


def test_memcached_client_options_when_serverless_cannot_hold_it(book: PriceBook) -> None:
    # 8,000 GB: past Serverless's 5,000 GB maximum for both Memcached and Valkey.
    w = parse_workload({"name": "big", "dataset_gb": 8000, "avg_reads_per_sec": 5000, "avg_writes_per_sec": 500,
                        "features": ["simple_get_set"], "availability": "none", "snapshot_retention_days": 0,
                        "constraints": {"client_protocol": "memcached"}})
    options = clients._memcached_options(w, book)
    serverless = options["keep the client: Serverless Memcached"]
    assert serverless.startswith("Serverless (ruled out: ") and "5,000 GB" in serverless
    valkey = search(w, book, "valkey", top=1).best
    assert options["change the client: Valkey"].startswith(
        f"cheapest Valkey design: ${valkey.on_demand_monthly:,.2f}/month (")


def test_pinned_redis_in_extended_support_on_a_given_day(recs: Recs, book: PriceBook) -> None:
    rec = recs["pin_redis_extended_support"]  # Redis OSS 5.0.6 pinned, us-east-1
    findings = {f.id: f for f in versions.pinned_version(rec, book, today=dt.date(2026, 6, 1))}
    es = findings["engine.extended_support"]
    assert es.severity == Severity.WARNING and es.title == "Redis OSS 5.0.6 is in Extended Support"
    assert es.evidence["standard support ended"] == "2026-01-31"
    assert es.evidence["Extended Support years 1-2"].startswith("2026-02-01 to 2028-01-31: $")
    assert rec.topology.node_type == "cache.r6g.xlarge" and rec.topology.node_count == 6
    # No us-east-1 SKU bundled: 80% of the Redis OSS $0.411/h = $0.3288/node-hour x 6 nodes x 730 h = $1,440.14.
    assert es.evidence["Extended Support years 1-2"] == "2026-02-01 to 2028-01-31: $0.3288/node-hour (estimate)"
    assert es.evidence["surcharge now"] == "$1,440.14/month for 6 nodes (estimate)"
    before = {f.id: f for f in versions.pinned_version(rec, book, today=dt.date(2025, 6, 1))}["engine.extended_support"]
    assert before.severity == Severity.ADVICE and before.title == "Redis OSS 5.0.6 leaves standard support soon"
    assert before.evidence["standard support ends"] == "2026-01-31" and "surcharge now" not in before.evidence
    after = versions.pinned_version(rec, book, today=dt.date(2029, 6, 1))  # Extended Support over: no surcharge
    assert "engine.extended_support" not in {f.id for f in after}


def test_deployment_choice_evidence_worked_out(recs: Recs) -> None:
    rec = recs[API]
    finding = recs.finding(API, "deployment.choice")
    assert finding.title == "Deployment: Provisioned (node-based) cluster"
    assert finding.decision == "Deploy a provisioned (node-based) cluster."
    # 25,000 reads + 1,500 writes a second; x 3 at peak. A read returns the 4,000-byte value: 4,000 / 1,024 =
    # 3.90625 ECPU; a write sends key and value, 4,080 / 1,024 = 3.984375 ECPU. Average ECPU/s: 25,000 x 3.90625
    # + 1,500 x 3.984375 = 103,632.8. Stored at the horizon: 40 x 1.02^12 = 50.73 GB.
    assert finding.evidence["average requests/s"] == "26,500"
    assert finding.evidence["peak requests/s"] == "79,500"
    best = rec.search.best
    assert finding.evidence["provisioned on-demand"] == (
        f"${best.on_demand_monthly:,.2f}/month (10 x {best.node_type}, sized for peak)")
    assert finding.evidence["Serverless"] == (
        f"${rec.serverless_fit.estimate.monthly:,.2f}/month ({40 * 1.02 ** 12:,.2f} GB stored, 103,633 ECPU/s "
        "average, 3.90625 ECPU per read, 3.98438 per write)")
    assert "Serverless ruled out" not in finding.evidence
    serverless = recs.finding("examples/pubsub_chat.yaml", "deployment.choice")
    assert serverless.title == "Deployment: Serverless" and serverless.decision == "Deploy as Serverless."
    regional = recs.finding("examples/multi_region_catalog.yaml", "deployment.choice")
    assert regional.evidence["Serverless ruled out"] == (
        "Serverless caches cannot join a Global Datastore (multi-Region)")


def test_provenance_names_each_price_s_source(recs: Recs, book: PriceBook) -> None:
    rec = recs[API]
    node = book.node_price("us-east-1", "valkey", rec.topology.node_type)
    serverless = book.serverless_price("us-east-1", "valkey")
    finding = recs.finding(API, "pricing.provenance")
    assert finding.evidence == {
        "node price": f"${node.usd_per_hour}/h, {node.basis.value}, source dated {node.source_date}, "
                      f"confidence {node.confidence}",
        "Serverless price": f"${serverless.storage_usd_per_gb_hour}/GB-h, ${serverless.ecpu_usd_per_million}/M ECPU, "
                            f"confidence {serverless.confidence}, dated {serverless.source_date}",
    }
    assert finding.rationale == (f"Bundled us-east-1 prices as of {book.region_as_of('us-east-1')} (the date of its "
                                 "newest source); every row carries its source and date. Some figures are estimates "
                                 "and are labelled so.")  # the reserved prices of r8g are estimates
    # pubsub_chat runs on Serverless with published prices only: no estimate sentence, no node price.
    published = recs.finding("examples/pubsub_chat.yaml", "pricing.provenance")
    assert "estimates" not in published.rationale and "node price" not in published.evidence


def test_reservation_covers_every_region_of_a_global_datastore(recs: Recs) -> None:
    name = "examples/multi_region_catalog.yaml"
    rec = recs[name]
    finding = recs.finding(name, "pricing.reserved")
    pick = pricing.advised_reservation(rec)
    assert len(pick.parts) == 2  # us-east-1 and eu-west-1
    assert finding.evidence["nodes to reserve"] == pick.plan
    assert (" Every cluster of the design is covered, each reserved in its own Region at that Region's price: "
            f"{pick.plan}.") in finding.rationale
    assert "nodes to reserve" not in recs.finding(API, "pricing.reserved").evidence
    secondary = rec.costs.secondaries[0]
    gd = recs.finding(name, "resilience.global_datastore")
    assert gd.evidence["cluster in eu-west-1"] == f"${secondary.estimate.monthly:,.2f}/month"
    unpriced = recs.finding("global_unpriced_secondary", "resilience.global_datastore")
    assert unpriced.evidence["cluster in ap-southeast-6"].startswith("not priced: no bundled Valkey cache.")


def test_each_reservation_option_with_its_break_even(recs: Recs) -> None:
    rec = recs[API]
    finding = recs.finding(API, "pricing.reserved")
    for c in rec.costs.reserved:
        assert c.break_even_month is not None
        assert finding.evidence[c.option.label] == (
            f"${c.monthly_equivalent:,.2f}/month effective, saves {c.saving_vs_on_demand_pct:.0f}%, "
            f"break-even month {c.break_even_month}")


def test_reservation_term_follows_a_36_month_horizon(recs: Recs) -> None:
    rec = recs["commit_three_years_long"]  # steady, 36-month horizon: the 3-year term
    assert pricing.advised_reservation(rec).option.term_years == 3
    assert pricing.advised_reservation(_with(rec, horizon_months=35)).option.term_years == 1
    assert pricing.advised_reservation(_with(rec, traffic_shape="dev_test")) is None
    assert pricing.advised_reservation(_with(rec, traffic_shape="daily_cycle")) is not None
    assert pricing.reserved(recs["examples/pubsub_chat.yaml"], recs.book) is None  # Serverless: no reservations


def test_engine_version_sentences(recs: Recs, book: PriceBook) -> None:
    redis = recs.finding("redis_forced", "engine.version")
    assert " It needs RBAC users and user groups, which Redis OSS has from 6.0. " in redis.rationale
    assert redis.evidence["minimum version for these needs"] == "6.0"
    assert " It needs" not in recs.finding(API, "engine.version").rationale  # every Valkey has them
    assert recs.finding("examples/pubsub_chat.yaml", "engine.version") is None  # Serverless: AWS applies minors
    newest = versions.pinned_version(_with(recs["pin_older_valkey"], constraints={"engine_version": "9.0"}), book)
    assert newest[0].rationale == "Valkey 9.0 has every feature this workload needs."
    redis_bloom = _with(recs["pin_redis_6"], features=["bloom_filters"], constraints={"engine_version": "7.1"})
    lacking = versions.pinned_version(redis_bloom, book)[0]
    assert lacking.id == "engine.version_pin_lacks_feature"
    assert lacking.decision == "Run Valkey, which has every feature this workload needs."


def test_node_type_load_evidence(recs: Recs) -> None:
    best = recs[API].search.best
    finding = recs.finding(API, "topology.node_type")
    assert finding.evidence["engine load at peak"] == f"{best.throughput_utilisation:.0%} of the assumed capacity"
    assert finding.evidence["network at peak"] == f"{best.network_utilisation:.0%} of baseline bandwidth"
    search = recs[API].search
    assert finding.evidence["candidates evaluated"] == (
        f"{search.evaluated:,} ({search.feasible_topologies:,} feasible topologies)")
    assert "100,000 ops/s for a .large, 200,000 for 2xlarge and up, planned at 70%" in finding.rationale


def test_serverless_multi_az_needs_no_replica_settings(recs: Recs) -> None:
    finding = recs.finding("examples/pubsub_chat.yaml", "resilience.serverless_multi_az")
    assert finding.severity == Severity.DECISION
    assert finding.evidence == {"availability": "Multi-AZ"}


def test_snapshots_without_a_backup_price_say_so(book: PriceBook) -> None:
    # A book without us-east-1's backup rate: the snapshot finding carries the caveat instead of a price.
    unpriced = book_without(book, other=lambda r: r.item == "backup_storage" and r.region == "us-east-1")
    rec = recommend(parse_workload(variant("snapshots_kept")), unpriced)
    finding = backup.snapshots(rec, unpriced)
    # 40 x 1.02^12 = 50.73 GB = 47.25 GiB; x 7 daily snapshots = 330.7 GiB-months.
    assert finding.evidence["backup storage"] == ("Backup storage of about 330.7 GiB-months (7 daily snapshots) is "
                                                  "not costed: no valkey backup price for us-east-1 is bundled.")


def test_commitment_branches(recs: Recs, book: PriceBook) -> None:
    three = recs.finding("commit_three_years_long", "pricing.commitment")
    # Published (derived) 3-year prices for r6g: no "(estimate)" after the upfront or the saving.
    assert three.evidence["3-year All Upfront"].endswith(" upfront")
    assert not three.evidence["saving over 3 years"].endswith("(estimate)")
    assert three.title == "3-year commitment: reserve 2 x cache.r6g.4xlarge"
    # No commitment asked: nothing to say, on nodes or on Serverless.
    assert commitment.commitment(recs["examples/pubsub_chat.yaml"], book) is None
    # A 1-year commitment where only 3-year reservations would be compared: none of that term, no finding.
    rec = recs["commit_one_year"]
    no_one_year = replace(rec, costs=replace(rec.costs, reserved=[c for c in rec.costs.reserved
                                                                  if c.option.term_years == 3]))
    assert commitment.commitment(no_one_year, book) is None


def test_memcached_client_valkey_option_is_the_cheaper_of_nodes_and_serverless(recs: Recs, book: PriceBook) -> None:
    w = recs["memcached_client_plain"].workload
    nodes = search(w, book, "valkey", top=1).best.on_demand_monthly
    serverless = assess_serverless(w, book, "valkey")
    options = [nodes] + ([serverless.estimate.monthly] if serverless.feasible and serverless.estimate else [])
    shown = clients._memcached_options(w, book)["change the client: Valkey"]
    assert shown.startswith(f"cheapest Valkey design: ${min(options):,.2f}/month (")


def test_two_features_serverless_lacks(recs: Recs, book: PriceBook) -> None:
    rec = _with(recs["steady_blocked"], features=["vector_search", "keyspace_notifications"])
    finding = deployment.serverless_ruled_out_by_feature(rec, book)
    assert finding.evidence["features Serverless lacks"] == "keyspace notifications, vector search"
    assert finding.rationale == ("ElastiCache Serverless does not support keyspace notifications "
                                 "(notify-keyspace-events is not configurable); vector search (Valkey 8.2+ on "
                                 "node-based clusters only).")


def test_memcached_client_option_without_a_serverless_memcached_price(book: PriceBook) -> None:
    unpriced = book_without(book, serverless=lambda s: s.engine == "memcached")
    w = parse_workload(variant("memcached_client_plain"))
    assert clients._memcached_options(w, unpriced)["keep the client: Serverless Memcached"] == (
        "Serverless: not priced (data in three AZs, snapshots, always encrypted; TLS-capable client needed)")


# --- survivors of the seed-1202 sample ------------------------------------------------------------------------

def test_data_tiering_raises_the_redis_version_needed(book: PriceBook) -> None:
    # Redis OSS on r6gd: data tiering needs Redis OSS 6.2 (RBAC alone needs 6.0).
    data = {**variant("data_tiering"), "constraints": {"engine": "redis"}}
    rec = recommend(parse_workload(data), book)
    assert rec.topology.data_tiering
    finding = next(f for f in rec.findings if f.id == "engine.version")
    assert finding.evidence["data tiering (r6gd)"] == "Redis OSS 6.2+"
    assert finding.evidence["minimum version for these needs"] == "6.2"
    assert versions.version_choice(rec).minimum_version == "6.2"


def test_memcached_serverless_has_no_hash_slots(book: PriceBook) -> None:
    # Memcached Serverless spreads keys itself: multi-key reads never meet a CROSSSLOT error.
    rec = recommend(parse_workload({**variant("memcached_client_plain"), "items_per_read": 5,
                                    "constraints": {"engine": "memcached", "deployment": "serverless"}}), book)
    assert rec.engine == "memcached" and rec.deployment == "serverless"
    assert keys.crossslot(rec, book) is None


def test_memcached_at_rest_evidence_names_the_engine(recs: Recs) -> None:
    finding = recs.finding("memcached_tls_at_rest", "security.memcached_no_at_rest")
    assert finding.evidence == {"engine": "Memcached (node-based)"}


def test_extended_support_valkey_saving_by_hand(recs: Recs, book: PriceBook) -> None:
    # Redis OSS 5.0.6 on 6 x cache.r6g.xlarge in us-east-1, 2026-06-01: surcharge 80% x $0.411 x 6 x 730 =
    # $1,440.144; Valkey also saves ($0.411 - $0.3288) x 6 x 730 = $360.036: $1,800.18 a month.
    rec = recs["pin_redis_extended_support"]
    es = next(f for f in versions.pinned_version(rec, book, today=dt.date(2026, 6, 1))
              if f.id == "engine.extended_support")
    assert es.evidence["moving to Valkey saves"] == "$1,800.18/month"


# --- survivors of the seed-2027 sample ------------------------------------------------------------------------

def test_multiple_databases_need_valkey_9_only_in_cluster_mode(book: PriceBook) -> None:
    one_shard = recommend(parse_workload({**variant("not_cluster_aware_small"), "features": ["select_multiple_dbs"]}),
                          book)
    assert not one_shard.topology.cluster_mode_enabled
    assert "multiple databases (SELECT) in cluster mode" not in [c.label for c in
                                                                 versions.version_choice(one_shard).needed]
    # Both Serverless blockers are listed, joined.
    choice = next(f for f in one_shard.findings if f.id == "deployment.choice")
    assert choice.evidence["Serverless ruled out"] == ("Serverless is cluster-mode only and the client is not "
                                                       "cluster-aware; Serverless does not support "
                                                       "multiple databases (SELECT)")
    sharded = recommend(parse_workload({**variant("spiky_blocked"), "features": ["select_multiple_dbs"]}), book)
    assert sharded.topology.cluster_mode_enabled
    assert "multiple databases (SELECT) in cluster mode" in [c.label for c in versions.version_choice(sharded).needed]


def test_serverless_premium_names_the_best_reservation(recs: Recs, book: PriceBook) -> None:
    rec = recs["serverless_forced_kms"]
    best = rec.search.best
    finding = deployment.serverless_premium(rec, book)
    assert finding.evidence["provisioned best reserved"] == (
        f"${best.best_reserved_monthly:,.2f}/month ({best.best_reserved_label})")
