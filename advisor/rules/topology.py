"""Cluster mode, shards, replicas and node type, with the numbers that chose them."""

from __future__ import annotations

from advisor import docs
from advisor.capacity import (
    ASSUMED_OPS_PER_SECOND,
    ASSUMED_OPS_PER_SECOND_2XLARGE_AND_UP,
    DATA_TIERING_MAX_HOT_PERCENT,
    MAX_CONNECTIONS_PER_NODE,
    SHARD_SKEW_HEADROOM,
    TARGET_ENGINE_UTILISATION,
    node_capacity,
    shard_skew_headroom,
)
from advisor.findings import Finding, Severity
from advisor.money import fmt_usd
from advisor.optimizer import DEFAULT_NODE_QUOTA, search
from advisor.pricing.book import PriceBook
from advisor.recommendation import Recommendation
from advisor.rules.registry import rule
from advisor.wording import choice_label, count_noun, node_layout
from advisor.workload import Availability


def node_type(rec: Recommendation, book: PriceBook) -> Finding | None:
    topo = rec.topology
    best = rec.search.best
    if topo is None or best is None:
        return None
    node = book.nodes[topo.node_type]
    cap = node_capacity(node, topo.engine)
    runner_up = rec.search.ranked[1] if len(rec.search.ranked) > 1 else None
    evidence = {
        "node": f"{node.node_type}: {node.memory_gib} GiB memory, {node.vcpu or 'unknown'} vCPU, "
                f"{node.network_gbps_baseline or 'unknown'} Gbps baseline",
        "usable memory per node": f"{cap.usable_capacity_gib:,.2f} GiB after {cap.memory_overhead}"
                                  + (" (DRAM + SSD)" if node.has_data_tiering else ""),
        "dataset at horizon": f"{rec.workload.dataset_gb_at_horizon:,.2f} GB ({rec.search.required_capacity_gib:,.2f}"
                              f" GiB) after {rec.workload.horizon_months} months at "
                              f"{rec.workload.monthly_growth_percent:g}%/month",
        "memory used at horizon": f"{best.memory_utilisation:.0%} of usable" + (
            f" ({SHARD_SKEW_HEADROOM:.0%} kept for hash-slot skew between shards)"
            if shard_skew_headroom(topo.shards, topo.engine) else ""),
        "engine load at peak": f"{best.throughput_utilisation:.0%} of the assumed capacity",
        "network at peak": f"{best.network_utilisation:.0%} of baseline bandwidth",
        "candidates evaluated": f"{rec.search.evaluated:,} ({rec.search.feasible_topologies:,} feasible topologies)",
        "monthly on-demand": fmt_usd(best.on_demand_monthly),
    }
    if runner_up is not None:
        layout = node_layout(topo.engine, runner_up.shards, runner_up.replicas_per_shard, runner_up.node_type)
        evidence["next cheapest"] = f"{layout} at {fmt_usd(runner_up.on_demand_monthly)}/month"
    searched = "node type x node count" if topo.engine == "memcached" else "node type x shard count x replica count"
    return Finding(
        id="topology.node_type", severity=Severity.DECISION, title=f"Node type: {topo.node_type}",
        decision=f"Use {topo.node_count} x {topo.node_type}.",
        rationale=(
            f"Cheapest of every {searched} that holds the dataset at the end of the horizon, carries peak "
            "traffic and fits network and connection limits. Throughput per node is a "
            f"planning ASSUMPTION (AWS publishes none): {ASSUMED_OPS_PER_SECOND['large']:,} ops/s for a .large, "
            f"{ASSUMED_OPS_PER_SECOND_2XLARGE_AND_UP:,} for 2xlarge and up, planned at "
            f"{TARGET_ENGINE_UTILISATION:.0%}; verify with a load test."
        ),
        evidence=evidence, docs=[docs.NODE_TYPES, docs.MEMORY_MANAGEMENT],
    )


rule("topology.node_type")(node_type)


def cluster_mode(rec: Recommendation, book: PriceBook) -> Finding | None:
    topo = rec.topology
    if topo is None or topo.engine == "memcached":
        return None
    if topo.cluster_mode_enabled:
        decision = f"Enable cluster mode with {topo.shards} shards."
        rationale = ("One shard cannot hold the data or carry the writes at the chosen node size, and sharding "
                     "across smaller nodes is cheaper than scaling one node up. Clients must be cluster-aware; "
                     "multi-key commands need hash tags so keys share a slot.")
    else:
        decision = "Keep cluster mode disabled (one shard)."
        rationale = ("The whole dataset and write load fit one primary, which keeps multi-key commands, SELECT and "
                     "non-cluster clients working. Move to cluster mode later through the 'compatible' mode.")
        if not rec.workload.client_cluster_aware:
            rationale += " The client is not cluster-aware, so one shard is also required."
    return Finding(
        id="topology.cluster_mode", severity=Severity.DECISION,
        title=f"Cluster mode {'enabled' if topo.cluster_mode_enabled else 'disabled'}",
        decision=decision, rationale=rationale,
        evidence={"shards": str(topo.shards), "client cluster-aware": choice_label(rec.workload.client_cluster_aware)},
        docs=[docs.SHARDS],
    )


rule("topology.cluster_mode")(cluster_mode)


def replicas(rec: Recommendation, book: PriceBook) -> Finding | None:
    topo = rec.topology
    if topo is None or topo.engine == "memcached":
        return None
    w = rec.workload
    if topo.replicas_per_shard == 0:
        rationale = "No availability requirement, so no replica is paid for; a node failure loses its shard's data."
    else:
        replicas = count_noun(topo.replicas_per_shard, "replica")
        rationale = (f"{replicas} per shard: at least one is needed for Multi-AZ failover; replicas add read "
                     "capacity and HA, not data capacity." if w.availability != Availability.NONE else
                     "No availability requirement asks for replicas; they add read capacity, not data capacity.")
        if topo.replicas_per_shard == 1 and w.availability != Availability.NONE:
            rationale += (" AWS Well-Architected suggests 2+ replicas for production so a failover still "
                          "leaves a replica.")
    return Finding(
        id="topology.replicas", severity=Severity.DECISION,
        title=f"{count_noun(topo.replicas_per_shard, 'replica')} per shard",
        decision=f"Run {count_noun(topo.replicas_per_shard, 'replica')} per shard.", rationale=rationale,
        evidence={"peak reads/s": f"{w.peak_reads:,.0f}", "read from replicas": choice_label(w.read_from_replicas),
                  "availability": choice_label(w.availability)},
        docs=[docs.REPLICATION, docs.AUTO_FAILOVER],
    )


rule("topology.replicas")(replicas)


def node_quota(rec: Recommendation, book: PriceBook) -> Finding | None:
    topo = rec.topology
    if topo is None or topo.node_count <= DEFAULT_NODE_QUOTA:
        return None
    return Finding(
        id="topology.node_quota", severity=Severity.WARNING, title="Needs a node quota increase",
        decision=f"Request a quota increase to {topo.node_count} nodes per cluster before creating it.",
        rationale=f"The default quota is {DEFAULT_NODE_QUOTA} nodes per cluster; up to 500 with an increase "
                  "(Valkey 7.2+ / Redis OSS 5.0.6+).",
        evidence={"nodes": str(topo.node_count)}, docs=[docs.QUOTAS, docs.SHARDS],
    )


rule("topology.node_quota")(node_quota)


def burstable(rec: Recommendation, book: PriceBook) -> Finding | None:
    topo = rec.topology
    if topo is None or not book.nodes[topo.node_type].is_burstable:
        return None
    return Finding(
        id="topology.burstable", severity=Severity.WARNING, title="Burstable (T) node: dev/test or tiny loads only",
        decision="Watch CPUCreditBalance; move to m7g/r7g before production load arrives.",
        rationale="T nodes run in standard credit mode: when credits run out, CPU drops to baseline (10-20% per "
                  "vCPU). They have no Enhanced I/O, low baseline bandwidth, and AWS reserves 30-50% of memory "
                  "on micro/small nodes. Not supported by Global Datastore.",
        evidence={"node": topo.node_type, "traffic shape": choice_label(rec.workload.traffic_shape)},
        docs=[docs.BURSTABLE, docs.MEMORY_MANAGEMENT],
    )


rule("topology.burstable")(burstable)


def data_tiering(rec: Recommendation, book: PriceBook) -> Finding | None:
    topo = rec.topology
    w = rec.workload
    if topo is not None and topo.data_tiering:
        return Finding(
            id="topology.data_tiering", severity=Severity.DECISION, title="Data tiering (r6gd) holds the cold data",
            decision="Use r6gd with data tiering enabled (mandatory on r6gd).",
            rationale=f"Only {w.hot_set_percent:g}% of the data is read regularly, so values of cold keys can live "
                      "on SSD; keys stay in DRAM. Expect about 300 µs extra latency for SSD reads; maxmemory "
                      "policies are limited to volatile-lru, allkeys-lru and noeviction.",
            evidence={"hot set": f"{w.hot_set_percent:g}%", "value size": f"{w.avg_value_bytes:,} bytes"},
            docs=[docs.DATA_TIERING],
        )
    if w.hot_set_percent <= DATA_TIERING_MAX_HOT_PERCENT or topo is None or w.avg_value_bytes < 1024:
        return None
    if w.dataset_gb_at_horizon < 100:
        return None
    return Finding(
        id="topology.data_tiering_candidate", severity=Severity.ADVICE, title="Check whether data tiering would fit",
        decision="Measure the hot set: if 20% or less of the data is read regularly, r6gd data tiering may be "
                 "cheaper for this large dataset.",
        rationale="Data tiering gives about 4.8x the capacity of r6g at a fraction of the DRAM cost when most "
                  "values are cold.",
        evidence={"dataset at horizon": f"{w.dataset_gb_at_horizon:,.0f} GB", "hot set now": f"{w.hot_set_percent:g}%"},
        docs=[docs.DATA_TIERING],
    )


rule("topology.data_tiering")(data_tiering)


def connections(rec: Recommendation, book: PriceBook) -> Finding | None:
    w = rec.workload
    if w.max_connections <= MAX_CONNECTIONS_PER_NODE // 2:
        return None
    return Finding(
        id="topology.connections", severity=Severity.WARNING, title="Connection count near the per-node limit",
        decision="Pool connections in the clients; spread reads over replicas.",
        rationale=f"Each node accepts at most {MAX_CONNECTIONS_PER_NODE:,} client connections, and a cluster "
                  "client opens connections to every shard.",
        evidence={"max connections": f"{w.max_connections:,}"}, docs=[docs.MONITORING],
    )


rule("topology.connections")(connections)


def not_cluster_aware(rec: Recommendation, book: PriceBook) -> Finding | None:
    w = rec.workload
    if w.client_cluster_aware or rec.search.best is not None or rec.engine == "memcached":
        return None
    aware = search(w.with_changes(client_cluster_aware=True), book, rec.engine, top=1).best
    if aware is None:
        return None
    return Finding(
        id="topology.not_cluster_aware", severity=Severity.CONFLICT,
        title="The dataset or load needs sharding but the client is not cluster-aware",
        decision=f"Adopt a cluster-aware client: then {aware.shards} shards of {aware.node_type} fit "
                 f"({fmt_usd(aware.on_demand_monthly)}/month for the nodes on-demand; the way out prices it all).",
        rationale="Cluster mode disabled keeps the whole dataset on one primary; no single node type holds it "
                  "or carries its writes" + ("; and Serverless is cluster-mode only, so it needs a cluster-aware "
                                             "client too." if not rec.serverless_fit.feasible else "."),
        evidence={"dataset at horizon": f"{w.dataset_gb_at_horizon:,.1f} GB"}, docs=[docs.SHARDS],
    )


rule("topology.not_cluster_aware")(not_cluster_aware)


# Data tiering adds about 300 µs on average for a 500-byte value read from SSD (AWS data-tiering docs).
DATA_TIERING_EXTRA_LATENCY_MS = 0.3
# Below this, even an in-memory hit over TLS inside one AZ is hard to promise: measure before committing.
TIGHTEST_PLANNABLE_LATENCY_MS = 0.5


def latency(rec: Recommendation, book: PriceBook) -> Finding | None:
    w = rec.workload
    topo = rec.topology
    if topo is not None and topo.data_tiering and w.latency_target_ms < 1.0 + DATA_TIERING_EXTRA_LATENCY_MS:
        return Finding(
            id="topology.latency_data_tiering", severity=Severity.WARNING,
            title="Data tiering may miss the latency target",
            decision="Load-test p99 with the real value sizes, or use DRAM-only nodes for this target.",
            rationale=f"Reads served from SSD add about {DATA_TIERING_EXTRA_LATENCY_MS * 1000:.0f} µs on average, "
                      f"which leaves little room under a {w.latency_target_ms:g} ms target.",
            evidence={"latency target": f"{w.latency_target_ms:g} ms"}, docs=[docs.DATA_TIERING],
        )
    if w.latency_target_ms < TIGHTEST_PLANNABLE_LATENCY_MS:
        return Finding(
            id="topology.latency_target", severity=Severity.WARNING, title="Very tight latency target",
            decision="Keep clients in the same AZ as the nodes they read (replicas per AZ), pool connections, "
                     "and measure p99 before committing.",
            rationale="ElastiCache serves in-memory hits in well under a millisecond, but TLS, cross-AZ hops and "
                      "large values add tens to hundreds of microseconds.",
            evidence={"latency target": f"{w.latency_target_ms:g} ms"}, docs=[docs.NODE_TYPES],
        )
    return None


rule("topology.latency")(latency)
