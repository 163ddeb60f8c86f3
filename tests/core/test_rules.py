"""Every rule is well-formed; the decisions follow the workload as the facts file says they should."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.findings import Finding, Severity
from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.recommendation import Recommendation
from advisor.rules.registry import registered_rules
from advisor.workload import load_workload, parse_workload

EXAMPLES = sorted(Path("examples").glob("*.yaml"))


def by_id(rec: Recommendation) -> dict[str, Finding]:
    return {f.id: f for f in rec.findings}


def test_registry_is_well_formed() -> None:
    rules = registered_rules()
    ids = [r.id for r in rules]
    assert len(ids) == len(set(ids)) and len(ids) >= 20


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_yields_well_formed_findings(book: PriceBook, path: Path) -> None:
    rec = recommend(load_workload(path), book)
    assert rec.feasible, rec.conflicts
    ids = [f.id for f in rec.findings]
    assert len(ids) == len(set(ids))
    assert {"engine.choice", "deployment.choice", "pattern.caching", "pattern.herd"} <= set(ids)
    for finding in rec.findings:
        assert finding.severity in Severity
        assert finding.docs and all(link.startswith("https://") for link in finding.docs)
        assert finding.rationale and finding.decision


def test_valkey_for_rich_workloads_memcached_only_for_trivial_caches(book: PriceBook) -> None:
    for path in EXAMPLES:
        rec = recommend(load_workload(path), book)
        expected = "memcached" if path.stem == "memcached_page_cache" else "valkey"
        assert rec.engine == expected, path


def test_memcached_refused_when_failover_needed(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 5, "features": ["simple_get_set", "multithreaded_simple_cache"],
                                    "availability": "multi_az"}), book)
    assert rec.engine == "valkey"
    assert "replicas and failover" in by_id(rec)["engine.choice"].evidence["why not Memcached"]


def test_spiky_and_dev_test_go_serverless_steady_large_goes_provisioned(book: PriceBook) -> None:
    assert recommend(load_workload("examples/pubsub_chat.yaml"), book).deployment == "serverless"
    assert recommend(load_workload("examples/dev_test.yaml"), book).deployment == "serverless"
    leaderboard = recommend(load_workload("examples/leaderboard.yaml"), book)
    assert leaderboard.deployment == "provisioned"
    # the decision shows both costs and the crossover
    evidence = by_id(leaderboard)["deployment.choice"].evidence
    assert "Serverless" in evidence and "provisioned on-demand" in evidence


def test_crossover_is_where_costs_meet(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 2, "avg_reads_per_sec": 2000, "avg_writes_per_sec": 200}), book)
    cross = rec.crossover
    assert cross is not None and cross.requests_per_sec is not None
    # Serverless at the crossover traffic must cost what the provisioned cluster costs.
    scale = cross.requests_per_sec / cross.current_requests_per_sec
    from advisor.choices import assess_serverless

    at = assess_serverless(rec.workload, book, "valkey", traffic_scale=scale).estimate
    assert at is not None and float(at.monthly) == pytest.approx(float(cross.provisioned_monthly), rel=1e-6)


def test_no_crossover_when_storage_alone_costs_more(book: PriceBook) -> None:
    rec = recommend(load_workload("examples/leaderboard.yaml"), book)
    assert rec.crossover is not None and rec.crossover.requests_per_sec is None
    assert "storage alone" in rec.crossover.explanation


def test_serverless_ruled_out_for_non_cluster_client_and_select(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 5, "traffic_shape": "spiky", "client_cluster_aware": False,
                                    "features": ["hashes", "select_multiple_dbs"]}), book)
    assert rec.deployment == "provisioned"
    blockers = " ".join(rec.serverless_fit.blockers)
    assert "cluster-aware" in blockers and "Serverless does not support multiple databases (SELECT)" in blockers


def test_multi_az_needs_replicas_and_failover(book: PriceBook) -> None:
    rec = recommend(load_workload("examples/session_store.yaml"), book)
    assert rec.topology is not None
    assert rec.topology.replicas_per_shard >= 1 and rec.topology.multi_az and rec.topology.automatic_failover


def test_global_datastore_finding_and_secondary_cost(book: PriceBook) -> None:
    rec = recommend(load_workload("examples/multi_region_catalog.yaml"), book)
    found = by_id(rec)
    assert "resilience.global_datastore" in found
    assert "manually" in found["resilience.global_datastore"].rationale
    assert rec.costs is not None and rec.costs.secondaries[0].region == "eu-west-1"


def test_unpriced_secondary_region_is_said_plainly(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 20, "availability": "multi_region",
                                    "secondary_regions": ["ap-southeast-6"]}), book)
    assert rec.costs is not None
    secondary = rec.costs.secondaries[0]
    assert secondary.estimate is None and "not priced" in secondary.note


def test_dataset_beyond_largest_cluster_is_infeasible_with_the_ceiling(book: PriceBook) -> None:
    # 900,000 GB = 838,190 GiB; 500 x cache.r6gd.16xlarge hold 500 x 0.75 x (419.1 + 1,490.1 SSD) x 0.9 slot skew
    # = 644,000 GiB or so: beyond any cluster, and beyond Serverless's 5,000 GB.
    rec = recommend(parse_workload({"dataset_gb": 900_000}), book)
    assert rec.status == "infeasible" and not rec.feasible
    ceiling = by_id(rec)["infeasible.beyond_elasticache"]
    assert ceiling.severity == Severity.CONFLICT
    assert "500" in ceiling.evidence["ceiling: nodes per cluster"]
    assert "5,000 GB" in ceiling.evidence["ceiling: Serverless"]
    assert rec.ways_out and rec.ways_out[0].copies >= 2


def test_non_cluster_client_with_huge_dataset_points_to_cluster_mode(book: PriceBook) -> None:
    # 1,500 GB cannot sit on one primary, but it fits once sharded: a conflict with a priced way out, said once
    # (not a second, generic "no configuration meets every requirement" repeating it), and not infeasible.
    rec = recommend(parse_workload({"dataset_gb": 1500, "client_cluster_aware": False}), book)
    assert rec.status == "conflict" and rec.ceiling is None
    assert [f.id for f in rec.conflicts] == ["topology.not_cluster_aware"]
    finding = rec.conflicts[0]
    assert "cluster-aware client" in finding.decision and "Serverless is cluster-mode only" in finding.rationale
    assert rec.headline == ("Conflict: The dataset or load needs sharding but the client is not cluster-aware — "
                            "see the ways out")
    way = next(w for w in rec.ways_out if w.id == "cluster_aware_client")
    assert way.monthly > 0 and way.changes["client_cluster_aware"] is True


def test_non_cluster_client_beyond_any_cluster_is_infeasible_only(book: PriceBook) -> None:
    # 2 PB fits no ElastiCache design even with a cluster-aware client: infeasible, with the ceiling, once.
    rec = recommend(parse_workload({"dataset_gb": 2_000_000, "client_cluster_aware": False}), book)
    assert rec.status == "infeasible"
    assert [f.id for f in rec.conflicts] == ["infeasible.beyond_elasticache"]


def test_budget_below_cheapest_is_a_conflict(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 500, "monthly_budget_usd": 50}), book)
    budget = by_id(rec)["pricing.budget"]
    assert budget.severity == Severity.CONFLICT
    assert "Closest" in budget.rationale


def test_reserved_estimates_are_labelled(book: PriceBook) -> None:
    # ap-southeast-7 has no reserved prices in the sources: every option is an estimate, and says so.
    rec = recommend(load_workload("examples/leaderboard.yaml").with_changes(region="ap-southeast-7"), book)
    reserved = by_id(rec)["pricing.reserved"]
    assert reserved.evidence and all("(estimate)" in key for key in reserved.evidence)


def test_derived_valkey_reservations_are_labelled(book: PriceBook) -> None:
    # eu-central-1 publishes Redis OSS reservations only: every Valkey one is derived (0.8 x Redis OSS).
    rec = recommend(load_workload("examples/leaderboard.yaml").with_changes(region="eu-central-1"), book)
    reserved = by_id(rec)["pricing.reserved"]
    assert rec.engine == "valkey" and reserved.evidence and all("(derived)" in key for key in reserved.evidence)
    assert "derived" in reserved.rationale


def test_herd_mitigations_match_traffic(book: PriceBook) -> None:
    spiky = by_id(recommend(load_workload("examples/pubsub_chat.yaml"), book))["pattern.herd"]
    assert {"ttl_jitter", "single_flight"} <= set(spiky.patterns)
    calm = by_id(recommend(parse_workload({"dataset_gb": 50, "avg_reads_per_sec": 100, "peak_to_average": 1.2}),
                           book))["pattern.herd"]
    assert calm.patterns == ["ttl_jitter"]


def test_write_heavy_gets_write_through(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 5, "avg_reads_per_sec": 1000, "avg_writes_per_sec": 900}), book)
    assert by_id(rec)["pattern.caching"].patterns[0] == "write_through"


def test_findings_order_conflicts_then_warnings(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 500, "monthly_budget_usd": 50, "auth": "none"}), book)
    severities = [f.severity for f in rec.findings]
    assert severities.index(Severity.CONFLICT) < severities.index(Severity.WARNING) < \
        severities.index(Severity.DECISION)


def test_too_many_connections_for_any_deployment_is_a_conflict(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 5, "max_connections": 200_000, "read_from_replicas": False}), book)
    assert not rec.feasible
    reasons = by_id(rec)["deployment.infeasible"].rationale
    assert "65,000 client connections per node" in reasons and "maxclients" in reasons
    assert "read from replicas" in by_id(rec)["deployment.infeasible"].decision


def test_thin_regional_price_table_is_named_as_the_cause(book: PriceBook) -> None:
    # A table cut down to a single Valkey node price in eu-west-2 (cache.t4g.micro): nothing else can be costed.
    thin = PriceBook(
        manifest=book.manifest, nodes=list(book.nodes.values()),
        on_demand=[p for p in book.on_demand.values()
                   if p.region != "eu-west-2" or (p.engine, p.node_type) == ("valkey", "cache.t4g.micro")],
        reserved=[r for r in book.reserved.values() if r.region != "eu-west-2"],
        discounts=list(book.discounts.values()),
        serverless=[s for s in book.serverless.values() if s.region != "eu-west-2"], other=book.other)
    book = thin
    rec = recommend(load_workload("examples/leaderboard.yaml").with_changes(region="eu-west-2"), book)
    assert not rec.feasible
    conflict = by_id(rec)["deployment.infeasible"]
    assert "Only 1 current node type has a bundled valkey price in eu-west-2" in conflict.decision
    assert "no Serverless valkey price for eu-west-2" in conflict.rationale


def test_serverless_premium_is_stated(book: PriceBook) -> None:
    rec = recommend(load_workload("examples/pubsub_chat.yaml"), book)
    finding = by_id(rec)["deployment.serverless_premium"]
    # Serverless storage is billed on what is stored each month: 8 GB in month 1 growing 4% a month for 12
    # months averages 8 x (1.04^12 - 1) / (0.04 x 12) = 10.017 GB; x 730 h x $0.084 = $614.26; plus 18,000
    # ECPU/s (600-byte requests are 1 ECPU each) x 2,628,000 s = 47,304 M ECPU x $0.0023 = $108.80 -> $723.05.
    average_gb = 8 * (1.04**12 - 1) / (0.04 * 12)
    serverless = average_gb * 730 * 0.084 + 18_000 * 2_628_000 / 1e6 * 0.0023
    assert round(serverless, 2) == 723.05
    assert float(rec.serverless_fit.estimate.monthly) == pytest.approx(serverless, rel=1e-4)  # type: ignore[union-attr]
    # Provisioned: 2 x cache.r6g.xlarge Valkey at $0.3288/h (on_demand.csv) x 730 h = $480.05.
    assert finding.title == f"Serverless costs {serverless / (2 * 0.3288 * 730):.1f}x the provisioned alternative"
