"""Each decision rule's thresholds, pinned on both sides with the figures worked by hand.

A rule reads the recommendation it is given, so the tests take one real recommendation and change only the
input a threshold reads (the workload's figure, the topology's node count), then call the rule itself: the
decision must flip exactly at the documented boundary, and the numbers it shows are recomputed here.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from advisor.capacity import node_capacity
from advisor.findings import Finding, Severity
from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.recommendation import Recommendation
from advisor.rules import clients, patterns, pricing, resilience, topology, versions
from advisor.workload import load_workload, parse_workload
from tests.core.rule_variants import book_without, variant


@pytest.fixture
def api(book: PriceBook) -> Recommendation:
    # api_response_cache: Valkey, 5 shards x 2 nodes of cache.r8g.large, Multi-AZ, daily cycle. Computed in each
    # test, not shared: mutmut reruns for a mutant only the tests that called the mutated function themselves.
    return recommend(load_workload("examples/api_response_cache.yaml"), book)


def _with(rec: Recommendation, **changes: Any) -> Recommendation:
    """The same recommendation with some workload inputs changed (only what the rule under test reads)."""
    return replace(rec, workload=rec.workload.with_changes(**changes))


def _one(result: Finding | list[Finding] | None, finding_id: str) -> Finding | None:
    found = result if isinstance(result, list) else [result] if result is not None else []
    matching = [f for f in found if f.id == finding_id]
    return matching[0] if matching else None


# --- topology.connections: ElastiCache accepts 65,000 connections per node; warn past half of it (32,500) ---

def test_connections_warn_only_past_half_the_per_node_limit(api: Recommendation, book: PriceBook) -> None:
    assert topology.connections(_with(api, max_connections=32_500), book) is None
    finding = topology.connections(_with(api, max_connections=32_501), book)
    assert finding is not None and finding.severity == Severity.WARNING
    assert finding.evidence == {"max connections": "32,501"}
    assert "at most 65,000 client connections" in finding.rationale


# --- topology.latency: SSD reads add about 0.3 ms (under 1.3 ms is tight); under 0.5 ms is tight anywhere ---

def test_data_tiering_latency_warning_below_one_point_three_ms(book: PriceBook) -> None:
    tiered = recommend(parse_workload(variant("data_tiering")), book)
    assert tiered.topology is not None and tiered.topology.data_tiering
    assert topology.latency(_with(tiered, latency_target_ms=1.3), book) is None  # 1.0 + 0.3: not below
    finding = topology.latency(_with(tiered, latency_target_ms=1.29), book)
    assert finding is not None and finding.id == "topology.latency_data_tiering"
    assert finding.severity == Severity.WARNING
    assert "about 300 µs on average" in finding.rationale and "under a 1.29 ms target" in finding.rationale
    assert finding.evidence == {"latency target": "1.29 ms"}
    # 0.4 ms on a tiered design: the SSD warning, not the general one.
    assert topology.latency(_with(tiered, latency_target_ms=0.4), book).id == "topology.latency_data_tiering"


def test_dram_latency_warning_below_half_a_millisecond(api: Recommendation, book: PriceBook) -> None:
    assert api.topology is not None and not api.topology.data_tiering
    assert topology.latency(_with(api, latency_target_ms=1.2), book) is None  # no SSD: 1.2 ms is fine
    assert topology.latency(_with(api, latency_target_ms=0.5), book) is None
    finding = topology.latency(_with(api, latency_target_ms=0.49), book)
    assert finding is not None and finding.id == "topology.latency_target" and finding.severity == Severity.WARNING
    assert finding.evidence == {"latency target": "0.49 ms"}


# --- topology.node_quota: the default quota is 90 nodes per cluster ---

def test_node_quota_warning_only_past_ninety_nodes(api: Recommendation, book: PriceBook) -> None:
    assert api.topology is not None
    ninety = replace(api, topology=replace(api.topology, shards=45, replicas_per_shard=1))  # 45 x 2 = 90
    assert topology.node_quota(ninety, book) is None
    ninety_one = replace(api, topology=replace(api.topology, shards=13, replicas_per_shard=6))  # 13 x 7 = 91
    finding = topology.node_quota(ninety_one, book)
    assert finding is not None and finding.severity == Severity.WARNING
    assert finding.decision == "Request a quota increase to 91 nodes per cluster before creating it."
    assert finding.evidence == {"nodes": "91"}
    assert "The default quota is 90 nodes per cluster; up to 500 with an increase" in finding.rationale


# --- topology.data_tiering candidate: hot set above 20%, values of 1 KiB or more, 100 GB or more at horizon ---

@pytest.mark.parametrize(("changes", "advised"), [
    ({}, True),                               # 400 GB, 60% hot, 4,000-byte values
    ({"hot_set_percent": 20}, False),         # 20% hot: tiering would already fit, not a "check"
    ({"hot_set_percent": 20.5}, True),
    ({"avg_value_bytes": 1023}, False),       # small values gain little from SSD
    ({"avg_value_bytes": 1024}, True),
    ({"dataset_gb": 99.99}, False),           # no growth: 99.99 GB at horizon
    ({"dataset_gb": 100}, True),
])
def test_data_tiering_candidate_bounds(changes: dict[str, Any], advised: bool, book: PriceBook) -> None:
    rec = recommend(parse_workload(variant("data_tiering_candidate")), book)
    rec = _with(rec, monthly_growth_percent=0, **changes)
    finding = topology.data_tiering(rec, book)
    assert (finding is not None) == advised
    if advised:
        assert finding.id == "topology.data_tiering_candidate" and finding.severity == Severity.ADVICE
        w = rec.workload
        assert finding.evidence == {"dataset at horizon": f"{w.dataset_gb:,.0f} GB",
                                    "hot set now": f"{w.hot_set_percent:g}%"}


def test_data_tiering_decision_names_the_hot_set(book: PriceBook) -> None:
    rec = recommend(parse_workload(variant("data_tiering")), book)  # large_2tb: 15% hot, 8,000-byte values
    finding = topology.data_tiering(rec, book)
    assert finding.id == "topology.data_tiering" and finding.severity == Severity.DECISION
    assert finding.evidence == {"hot set": "15%", "value size": "8,000 bytes"}
    assert finding.rationale.startswith("Only 15% of the data is read regularly")


# --- resilience: Global Datastore's typical RTO (60 s) and RPO (1 s); an RPO of zero on Multi-AZ ---

def test_global_rto_and_rpo_warnings_flip_at_the_typical_figures(book: PriceBook) -> None:
    rec = recommend(load_workload("examples/multi_region_catalog.yaml"), book)  # RPO 5 s, RTO 300 s
    def ids(**changes: Any) -> set[str]:
        return {f.id for f in resilience.global_datastore(_with(rec, **changes), book)}

    assert ids() == {"resilience.global_datastore"}
    assert ids(rto_seconds=60, rpo_seconds=1) == {"resilience.global_datastore"}
    assert ids(rto_seconds=59.9, rpo_seconds=1) == {"resilience.global_datastore", "resilience.global_rto"}
    assert ids(rto_seconds=60, rpo_seconds=0.99) == {"resilience.global_datastore", "resilience.global_rpo"}
    findings = {f.id: f for f in resilience.global_datastore(_with(rec, rto_seconds=30, rpo_seconds=0.5), book)}
    assert findings["resilience.global_rto"].evidence == {"RTO asked": "30 s"}
    assert findings["resilience.global_rto"].severity == Severity.WARNING
    assert findings["resilience.global_rpo"].severity == Severity.WARNING
    gd = findings["resilience.global_datastore"]
    assert gd.evidence["typical RPO"] == "under 1 s (asynchronous)"
    assert gd.evidence["typical RTO"] == "about 60 s after a manual promotion"
    assert gd.evidence["primary"] == "us-east-1" and gd.evidence["secondaries"] == "eu-west-1"
    assert gd.decision == "Create a Global Datastore with the primary in us-east-1 and secondaries in eu-west-1."


def test_global_datastore_only_for_multi_region(api: Recommendation, book: PriceBook) -> None:
    assert resilience.global_datastore(api, book) is None


def test_rpo_zero_names_sync_durability_on_multi_az(api: Recommendation, book: PriceBook) -> None:
    zero_loss = "An RPO of zero is not met by asynchronous replication"
    assert zero_loss in resilience.multi_az(_with(api, rpo_seconds=0), book).rationale
    assert zero_loss not in resilience.multi_az(_with(api, rpo_seconds=0.1), book).rationale
    assert zero_loss not in resilience.multi_az(api, book).rationale  # no RPO given
    finding = resilience.multi_az(api, book)
    assert finding.id == "resilience.multi_az"
    assert finding.evidence == {"replicas per shard": "1", "Multi-AZ": "yes", "automatic failover": "yes"}


def test_no_failover_warning_except_for_dev_test(api: Recommendation, book: PriceBook) -> None:
    steady = resilience.multi_az(_with(api, availability="none", traffic_shape="steady"), book)
    assert steady.id == "resilience.no_failover" and steady.severity == Severity.WARNING
    assert steady.evidence == {"availability": "none", "traffic shape": "steady"}
    assert resilience.multi_az(_with(api, availability="none", traffic_shape="dev_test"), book) is None


def test_memcached_node_loss_share(book: PriceBook) -> None:
    rec = recommend(load_workload("examples/memcached_page_cache.yaml"), book)
    assert rec.topology is not None and rec.engine == "memcached"
    three = replace(rec, topology=replace(rec.topology, shards=3))
    finding = resilience.multi_az(three, book)
    assert finding.id == "resilience.memcached_node_loss" and finding.severity == Severity.ADVICE
    assert "a failed node loses about 1/3 of the cached items" in finding.rationale
    assert finding.evidence == {"nodes": "3", "availability": "none"}
    one = resilience.multi_az(replace(rec, topology=replace(rec.topology, shards=1)), book)
    assert "a failed node loses every cached item" in one.rationale


# --- clients.short_lived: warn once peak connections pass half the cap (65,000 per node or per Serverless) ---

def test_short_lived_severity_flips_past_half_the_cap(api: Recommendation, book: PriceBook) -> None:
    half = clients.short_lived(_with(api, short_lived_clients=True, max_connections=32_500), book)
    assert half.severity == Severity.ADVICE
    assert half.evidence == {"peak connections": "32,500", "connection cap": "65,000 per node",
                             "share of the cap": "50%"}  # 32,500 / 65,000
    past = clients.short_lived(_with(api, short_lived_clients=True, max_connections=32_501), book)
    assert past.severity == Severity.WARNING
    assert clients.short_lived(_with(api, short_lived_clients=False), book) is None


def test_short_lived_with_iam_names_the_token_and_connection_limits(book: PriceBook) -> None:
    rec = recommend(parse_workload(variant("short_lived_serverless")), book)  # Serverless, IAM, 50,000 connections
    finding = clients.short_lived(rec, book)
    assert finding.severity == Severity.WARNING  # 50,000 > 32,500
    assert finding.evidence == {"peak connections": "50,000",
                                "connection cap": "65,000 per Serverless cache (maxclients)",
                                "share of the cap": "77%",  # 50,000 / 65,000 = 0.769
                                "IAM limits": "token 15 min; connection 12 h"}
    assert "a token is valid 15 minutes and a connection is closed after 12 hours" in finding.rationale
    assert "stays under 65,000" in finding.decision


# --- clients.hot_keys: one key's reads, bytes and (on Serverless) ECPUs, against what one node or slot carries ---

def test_hot_key_load_on_one_node_worked_by_hand(api: Recommendation, book: PriceBook) -> None:
    # 25,000 reads/s x 3 peak = 75,000/s; 90% of them on 1 key = 67,500/s. Each read moves the 4,000-byte
    # value and the 80-byte key: 67,500 x 4,080 B x 8 = 2.2032 Gbps. No reading from replicas: one node.
    rec = _with(api, hot_key_count=1, hot_key_read_percent=90, read_from_replicas=False)
    finding = clients.hot_keys(rec, book)
    assert finding.evidence["reads per hot key at peak"] == "67,500/s (90% of 75,000 reads/s over 1 key)"
    assert finding.evidence["bandwidth one hot key needs"] == "2.203 Gbps"
    assert finding.evidence["nodes serving one key"].startswith("1 (primary of one shard")
    assert finding.evidence["per node for one hot key"].startswith("2.203 Gbps of cache.r8g.large's ")
    assert finding.patterns == ["single_flight", "xfetch", "background_refresh", "ttl_jitter"]


def test_hot_key_spread_over_primary_and_replica(api: Recommendation, book: PriceBook) -> None:
    # Reading from replicas, the shard's primary and its 1 replica share the key: 2.2032 / 2 = 1.1016 Gbps and
    # 67,500 / 2 = 33,750 reads/s per node.
    rec = _with(api, hot_key_count=1, hot_key_read_percent=90, read_from_replicas=True)
    finding = clients.hot_keys(rec, book)
    assert finding.evidence["nodes serving one key"].startswith("2 (primary + replicas of one shard")
    assert finding.evidence["per node for one hot key"].startswith("1.102 Gbps of ")
    assert "; 33,750 of about " in finding.evidence["per node for one hot key"]


def test_hot_key_overload_splits_the_key(book: PriceBook) -> None:
    # 200,000 x 3 = 600,000 reads/s, 90% on one key = 540,000/s: far past a .large's planned ops/s.
    rec = recommend(parse_workload(variant("hot_key_overload")), book)
    finding = clients.hot_keys(rec, book)
    assert finding.severity == Severity.WARNING
    assert "also split it into N copies (key:1..key:N)" in finding.decision
    calm = clients.hot_keys(_with(rec, hot_key_read_percent=1, hot_key_count=100), book)  # 60 reads/s a key
    assert calm.severity == Severity.ADVICE and "split it" not in calm.decision


def test_hot_key_on_serverless_counts_the_slot_ecpus(book: PriceBook) -> None:
    # 100,000 x 3 = 300,000 reads/s, 90% on one key = 270,000/s; a 4,000-byte read costs 4,000 / 1,024 =
    # 3.90625 ECPU: 270,000 x 3.90625 = 1,054,687.5 ECPU/s on one slot, which serves about 30,000/s.
    rec = recommend(parse_workload(variant("hot_key_serverless")), book)
    finding = clients.hot_keys(rec, book)
    assert finding.evidence["ECPU/s on the hot key's slot"] == "1,054,688 (a slot serves about 30,000/s or more)"
    assert finding.severity == Severity.WARNING
    # 30,000 ECPU/s is the slot's figure: 7,680 reads/s x 3.90625 = 30,000 exactly is not over it.
    at_limit = _with(rec, avg_reads_per_sec=7_000, peak_reads_per_sec=7_680, hot_key_read_percent=100)
    assert clients.hot_keys(at_limit, book).severity == Severity.ADVICE
    over = _with(rec, avg_reads_per_sec=7_000, peak_reads_per_sec=7_681, hot_key_read_percent=100)
    assert clients.hot_keys(over, book).severity == Severity.WARNING
    assert clients.hot_keys(_with(rec, hot_key_count=0, hot_key_read_percent=0), book) is None


# --- pattern.caching: writes at 30% of requests or more switch to write-through ---

@pytest.mark.parametrize(("reads", "writes", "title"), [
    (700, 300, "Write-through, with lazy loading for misses"),   # 300 / 1,000 = 30%
    (701, 299, "Cache-aside (lazy loading) with TTLs"),           # 299 / 1,000 = 29.9%
    (0, 0, "Cache-aside (lazy loading) with TTLs"),               # no traffic: share 0
])
def test_write_share_threshold(reads: int, writes: int, title: str, api: Recommendation, book: PriceBook) -> None:
    finding = patterns.caching_pattern(_with(api, avg_reads_per_sec=reads, avg_writes_per_sec=writes), book)
    assert finding.title == title
    share = writes / (reads + writes) if reads + writes else 0.0
    assert finding.evidence == {"write share": f"{share:.0%}", "reads/s": f"{reads:,}", "writes/s": f"{writes:,}"}


def test_persistence_means_write_through(api: Recommendation, book: PriceBook) -> None:
    finding = patterns.caching_pattern(_with(api, features=["persistence"]), book)
    assert finding.patterns == ["write_through", "cache_aside"]


# --- pattern.herd: hot keys (1 read per key per second, or 10,000 reads/s), bursts (peak 3x or spiky),
# background refresh for steady loads of 50,000 reads/s or more ---

@pytest.mark.parametrize(("changes", "chosen"), [
    ({"avg_reads_per_sec": 999, "peak_to_average": 2.99}, ["ttl_jitter"]),                # 0.999 reads/key/s
    ({"avg_reads_per_sec": 1000, "peak_to_average": 2.99}, ["ttl_jitter", "single_flight", "xfetch"]),  # 1.0
    ({"avg_reads_per_sec": 999, "peak_to_average": 3}, ["ttl_jitter", "single_flight"]),
    ({"avg_reads_per_sec": 999, "peak_to_average": 1, "traffic_shape": "spiky"}, ["ttl_jitter", "single_flight"]),
    ({"avg_reads_per_sec": 10_000, "item_count": 10**9, "peak_to_average": 1},
     ["ttl_jitter", "single_flight", "xfetch"]),                                          # 10,000 reads/s
    ({"avg_reads_per_sec": 9_999, "item_count": 10**9, "peak_to_average": 1}, ["ttl_jitter"]),
    ({"avg_reads_per_sec": 50_000, "item_count": 10**9, "peak_to_average": 1, "traffic_shape": "steady"},
     ["ttl_jitter", "single_flight", "xfetch", "background_refresh"]),
    ({"avg_reads_per_sec": 49_999, "item_count": 10**9, "peak_to_average": 1, "traffic_shape": "daily_cycle"},
     ["ttl_jitter", "single_flight", "xfetch"]),
    ({"avg_reads_per_sec": 50_000, "item_count": 10**9, "peak_to_average": 1, "traffic_shape": "dev_test"},
     ["ttl_jitter", "single_flight", "xfetch"]),
])
def test_herd_mitigations_by_threshold(changes: dict[str, Any], chosen: list[str], api: Recommendation,
                                       book: PriceBook) -> None:
    base = {"item_count": 1000, "dataset_gb": None, "traffic_shape": "daily_cycle"}
    rec = _with(api, **{**base, **changes})
    finding = patterns.herd(rec, book)
    assert finding.patterns == chosen
    assert len(finding.decision.split("; ")) == len(chosen)
    items = rec.workload.item_count
    assert finding.evidence["estimated keys"] == f"{items:,}"
    assert finding.evidence["reads per key per second"] == f"{rec.workload.avg_reads_per_sec / items:,.3f}"


def test_herd_estimates_keys_from_the_dataset(api: Recommendation, book: PriceBook) -> None:
    # 40 GB of 80-byte keys, 4,000-byte values and 64 bytes of overhead: 40e9 / 4,144 = 9,652,510 keys;
    # 25,000 reads/s over them = 0.00259 reads per key per second.
    finding = patterns.herd(api, book)
    assert finding.evidence["estimated keys"] == "9,652,510"
    assert finding.evidence["reads per key per second"] == "0.003"
    assert finding.evidence["peak-to-average"] == "3"


def test_herd_lock_in_each_engine_s_words(book: PriceBook) -> None:
    memcached = patterns.herd(recommend(parse_workload(variant("memcached_bursty")), book), book)
    assert "Memcached add of a lock key with an expiry, delete when done" in memcached.decision
    valkey = patterns.herd(recommend(load_workload("examples/api_response_cache.yaml"), book), book)
    assert "SET lock NX PX, compare-and-delete release" in valkey.decision


# --- pricing.budget at the boundary, and pricing.provenance's one-year age ---

def test_budget_equal_to_the_total_fits(api: Recommendation, book: PriceBook) -> None:
    assert api.costs is not None
    exact = _with(api, preferences={"monthly_budget_usd": float(api.costs.monthly)})
    assert pricing.budget(exact, book).title == "Within budget"
    below = _with(api, preferences={"monthly_budget_usd": float(api.costs.monthly) - 0.01})
    assert pricing.budget(below, book).title != "Within budget"
    assert pricing.budget(api, book) is None  # no budget given


def test_budget_met_by_reserving_names_the_reserved_total(api: Recommendation, book: PriceBook) -> None:
    costs = api.costs
    assert costs is not None and costs.on_demand is not None and costs.best_reserved is not None
    reserved_total = costs.monthly - costs.on_demand.monthly + costs.best_reserved.monthly_equivalent
    finding = pricing.budget(_with(api, preferences={"monthly_budget_usd": float(reserved_total)}), book)
    assert finding.title == "Over budget on-demand, within it reserved" and finding.severity == Severity.WARNING
    assert finding.evidence["with " + costs.best_reserved.option.label] == f"${reserved_total:,.2f}/month"
    assert finding.rationale == (f"On-demand costs ${costs.monthly:,.2f}, above the ${float(reserved_total):,.2f} "
                                 f"budget; the reservation brings it to ${reserved_total:,.2f}.")
    assert finding.decision == f"Meet the budget by reserving: {costs.best_reserved.option.label}."
    short = pricing.budget(_with(api, preferences={"monthly_budget_usd": float(reserved_total) - 1}), book)
    assert short.severity == Severity.CONFLICT and short.title == "No feasible option fits the budget"
    assert short.evidence["budget"] == f"${float(reserved_total) - 1:,.2f}/month"


def test_provenance_warns_when_the_node_price_is_over_a_year_old(api: Recommendation, book: PriceBook) -> None:
    assert api.topology is not None
    price = book.node_price("us-east-1", "valkey", api.topology.node_type)
    def aged(days: int) -> Finding:
        older = copy.copy(book)
        older.manifest = book.manifest.model_copy(update={"compiled": price.source_date + dt.timedelta(days=days)})
        return pricing.provenance(api, older)

    fresh, old = aged(365), aged(366)
    assert fresh.severity == Severity.ADVICE and "age" not in fresh.evidence
    assert fresh.decision == "Check the figures against the AWS pricing page before committing."
    assert old.severity == Severity.WARNING and old.evidence["age"] == "366 days old"
    assert old.decision.endswith(", and refresh the price tables: the node price is over a year old.")


def test_budget_conflict_names_the_closest_options(api: Recommendation, book: PriceBook) -> None:
    finding = pricing.budget(_with(api, preferences={"monthly_budget_usd": 50}), book)
    assert finding.severity == Severity.CONFLICT
    best = api.search.best
    assert best is not None
    serverless = api.serverless_fit.estimate
    assert serverless is not None and api.serverless_fit.feasible
    assert finding.rationale == (
        f"The cheapest feasible configuration costs more than $50.00 per month. Closest: Serverless at "
        f"${serverless.monthly:,.2f}/month; {best.node_count} x {best.node_type} at "
        f"${best.best_reserved_monthly:,.2f}/month with {best.best_reserved_label}.")


# --- pricing.extended_support: a pinned Redis OSS 5.0.6 / 6.0 on 2 x cache.r7g.large in us-east-2, where no
# Extended Support SKU is bundled, so each step is AWS's documented share of the on-demand price: an estimate ---

def _pinned_redis(book: PriceBook, version: str, today: str) -> Recommendation:
    data = {"name": "pinned", "region": "us-east-2", "dataset_gb": 5, "avg_reads_per_sec": 2000,
            "avg_writes_per_sec": 100, "features": ["simple_get_set"], "availability": "multi_az",
            "constraints": {"engine": "redis", "engine_version": version, "node_type": "cache.r7g.large",
                            "shards": 1, "replicas_per_shard": 1}}
    return recommend(parse_workload(data), book, today=dt.date.fromisoformat(today))


def test_extended_support_charged_is_a_warning_with_estimated_steps(book: PriceBook) -> None:
    # on_demand.csv us-east-2 cache.r7g.large: Redis OSS $0.219/h, Valkey $0.1752/h. Years 1-2: 80% x 0.219 =
    # $0.1752/node-hour; year 3: 160% x 0.219 = $0.3504. Now (2026-06-01, year 1): 0.1752 x 2 nodes x 730 h =
    # $255.792/month. Valkey also saves (0.219 - 0.1752) x 2 x 730 = $63.948: 255.792 + 63.948 = $319.74.
    finding = pricing.extended_support(_pinned_redis(book, "5.0.6", "2026-06-01"), book)
    assert finding.severity == Severity.WARNING
    assert finding.title == "Extended Support for Redis OSS 5.0.6"
    assert finding.evidence == {
        "Extended Support years 1-2 from 2026-02-01": "$0.1752/node-hour (estimate) in us-east-2",
        "Extended Support year 3 from 2028-02-01": "$0.3504/node-hour (estimate) in us-east-2",
        "surcharge now": "$255.79/month (1 Region)",
        "upgrading to Valkey saves": "$319.74/month (surcharge plus the 20% Valkey node price)",
    }
    assert finding.decision == ("Upgrade Redis OSS 5.0.6 to Valkey: the design pays $255.79/month (estimate) in "
                                "Extended Support, included in its total.")
    assert finding.monthly_saving_usd == pytest.approx(319.74)


def test_extended_support_not_started_is_advice_naming_the_start(book: PriceBook) -> None:
    # Redis OSS 6.0: standard support to 2027-01-31; on 2026-12-01 nothing is charged, Valkey saves the node
    # price difference only: $63.948/month.
    finding = pricing.extended_support(_pinned_redis(book, "6.0", "2026-12-01"), book)
    assert finding.severity == Severity.ADVICE
    assert finding.decision == ("Plan the move off Redis OSS 6.0 before 2027-02-01, when Extended Support charges "
                                "start.")
    assert finding.evidence["surcharge now"] == "$0.00/month (1 Region)"
    assert finding.evidence["upgrading to Valkey saves"].startswith("$63.95/month")
    assert finding.monthly_saving_usd == pytest.approx(63.948)


def test_no_extended_support_finding_in_standard_support(book: PriceBook) -> None:
    assert pricing.extended_support(_pinned_redis(book, "7.1", "2026-06-01"), book) is None


@pytest.mark.parametrize(("item_count", "keys", "per_key"), [
    (0, "1", "25,000.000"),  # no keys given as 0: counted as one, never a division by zero
    (1, "1", "25,000.000"),  # 25,000 reads/s on one key
    (2, "2", "12,500.000"),
])
def test_herd_counts_at_least_one_key(item_count: int, keys: str, per_key: str, api: Recommendation,
                                      book: PriceBook) -> None:
    finding = patterns.herd(_with(api, item_count=item_count, dataset_gb=None), book)
    assert finding.evidence["estimated keys"] == keys
    assert finding.evidence["reads per key per second"] == per_key


def test_hot_key_exactly_at_a_node_s_planned_ops_is_not_overloaded(api: Recommendation, book: PriceBook) -> None:
    # One key, every read on it, one node serving it (no reading from replicas), 100-byte values so the network
    # is not the limit: at exactly the node's planned ops/s it carries the key, one more read it does not.
    cap = node_capacity(book.nodes[api.topology.node_type], "valkey").ops_per_second
    assert cap == 70_000  # a .large: 100,000 ops/s assumed, planned at 70%
    def severity(peak: float) -> Severity:
        rec = _with(api, hot_key_count=1, hot_key_read_percent=100, read_from_replicas=False, avg_value_bytes=100,
                    avg_reads_per_sec=1000, peak_reads_per_sec=peak)
        return clients.hot_keys(rec, book).severity

    assert severity(70_000) == Severity.ADVICE
    assert severity(70_001) == Severity.WARNING


def test_published_extended_support_steps_carry_no_estimate_label(book: PriceBook) -> None:
    # other_rates.csv: eu-west-1 cache.r7g.large Extended Support years 1-2 $0.194/node-hour, published.
    rec = _pinned_redis(book, "5.0.6", "2026-06-01")
    published = recommend(rec.workload.with_changes(region="eu-west-1"), book, today=dt.date(2026, 6, 1))
    finding = pricing.extended_support(published, book)
    assert finding.evidence["Extended Support years 1-2 from 2026-02-01"] == "$0.194/node-hour in eu-west-1"
    # 0.194 x 2 nodes x 730 h = $283.24
    assert finding.evidence["surcharge now"] == "$283.24/month (1 Region)"
    assert "(estimate)" not in finding.decision


def test_published_steps_in_the_version_finding_carry_no_estimate_label(book: PriceBook) -> None:
    rec = _pinned_redis(book, "5.0.6", "2026-06-01")
    published = recommend(rec.workload.with_changes(region="eu-west-1"), book, today=dt.date(2026, 6, 1))
    es = next(f for f in versions.pinned_version(published, book, today=dt.date(2026, 6, 1))
              if f.id == "engine.extended_support")
    # other_rates.csv, eu-west-1 cache.r7g.large: years 1-2 $0.194, year 3 $0.389 a node-hour, both published.
    assert es.evidence["Extended Support years 1-2"] == "2026-02-01 to 2028-01-31: $0.194/node-hour"
    assert es.evidence["surcharge now"] == "$283.24/month for 2 nodes"  # 0.194 x 2 x 730


def test_no_saving_means_no_saving_figure(book: PriceBook) -> None:
    # Redis OSS 6.0 before its Extended Support starts, with no Valkey price bundled for the node: nothing is
    # charged and no node discount can be worked out, so the finding claims no monthly saving.
    unpriced = book_without(book, on_demand=lambda p: (p.region, p.engine, p.node_type) ==
                            ("us-east-2", "valkey", "cache.r7g.large"))
    rec = _pinned_redis(unpriced, "6.0", "2026-12-01")
    finding = pricing.extended_support(rec, unpriced)
    assert finding.evidence["upgrading to Valkey saves"].startswith("$0.00/month")
    assert finding.monthly_saving_usd is None
