"""The recommendation model's own functions (advisor/recommendation.py): the CLI flags that adopt a way out,
a topology described in its engine's words, and a design's total over a period, each worked by hand."""

from __future__ import annotations

from decimal import Decimal

from advisor.costs.lines import CostEstimate, CostLine
from advisor.recommendation import CostSummary, SecondaryRegionCost, Topology, WayOut
from advisor.workload import parse_workload


def _way_out(changes: dict) -> WayOut:
    return WayOut(id="w", title="A way out", changes=changes, workload=parse_workload({"dataset_gb": 1}),
                  headline="h", monthly=Decimal(1), is_estimate=False)


def test_way_out_flags_nest_sections_and_quote_for_the_shell() -> None:
    flags = _way_out({"availability": "multi_az", "secondary_regions": [],
                      "constraints": {"replicas_per_shard": 1, "engine": "valkey"},
                      "name": "it's mine", "client_cluster_aware": True}).set_flags
    # Each value as JSON (strings quoted, true/false, compact lists), the whole NAME=VALUE shell-quoted when
    # it holds anything beyond letters, digits and @%+=:,./- (shlex.quote).
    assert flags == [
        "--set 'availability=\"multi_az\"'",
        "--set 'secondary_regions=[]'",
        "--set constraints.replicas_per_shard=1",
        "--set 'constraints.engine=\"valkey\"'",
        "--set 'name=\"it'\"'\"'s mine\"'",
        "--set client_cluster_aware=true",
    ]
    assert _way_out({}).set_flags == []
    assert _way_out({"a": {"b": {"c": [1, 2]}}}).set_flags == ["--set 'a.b.c=[1,2]'"]


def _topology(**changes: object) -> Topology:
    shape = {"engine": "valkey", "node_type": "cache.r7g.large", "shards": 3, "replicas_per_shard": 2,
             "cluster_mode_enabled": True, "data_tiering": False, "multi_az": True, "automatic_failover": True}
    return Topology(**{**shape, **changes})  # type: ignore[arg-type]


def test_topology_in_its_engine_s_words() -> None:
    # 3 shards x (1 primary + 2 replicas) = 9 nodes.
    assert _topology().describe() == ("3 shards x (1 primary + 2 replicas) of cache.r7g.large, cluster mode enabled, "
                                      "9 nodes")
    assert _topology(shards=1, replicas_per_shard=1, cluster_mode_enabled=False).describe() == (
        "1 shard x (1 primary + 1 replica) of cache.r7g.large, cluster mode disabled, 2 nodes")
    assert _topology(shards=1, replicas_per_shard=0).describe().endswith("(1 primary + 0 replicas) of "
                                                                         "cache.r7g.large, cluster mode enabled, "
                                                                         "1 node")
    assert _topology(engine="memcached", shards=4, replicas_per_shard=0).describe() == (
        "4 independent nodes of cache.r7g.large (the client spreads keys over them)")
    assert _topology(engine="memcached", shards=1, replicas_per_shard=0).describe() == "1 node of cache.r7g.large"


def test_total_over_months_counts_upfront_once_and_every_region() -> None:
    # Primary: $100/month plus $500 upfront; a secondary Region at $40/month; one unpriced secondary.
    chosen = CostEstimate("primary", (
        CostLine("Nodes", "node-months", Decimal(1), Decimal(100)),
        CostLine("Upfront", "payment", Decimal(1), Decimal(500), one_time=True)))
    secondary = CostEstimate("secondary", (CostLine("Nodes", "node-months", Decimal(2), Decimal(20)),))
    costs = CostSummary(chosen=chosen, on_demand=None, reserved=[], serverless=None,
                        secondaries=[SecondaryRegionCost("eu-west-1", secondary, ""),
                                     SecondaryRegionCost("ap-southeast-6", None, "not priced")])
    # (100 + 40) x 12 + 500 = 2,180
    assert costs.total_over(12) == Decimal(2180)
    assert costs.total_over(0) == Decimal(500)
