"""When nothing fits, find the closest feasible alternative by relaxing one requirement at a time."""

from __future__ import annotations

from advisor.capacity import MAX_CONNECTIONS_PER_NODE, SHARD_SKEW_HEADROOM, gb_to_gib
from advisor.money import fmt_usd
from advisor.optimizer import search
from advisor.pricing.book import PriceBook
from advisor.wording import count_noun, noun
from advisor.workload import Availability, Workload


def _try(workload: Workload, book: PriceBook, **changes: object) -> tuple[Workload, str] | None:
    relaxed = workload.with_changes(**changes)
    engine = relaxed.forced_engine or "valkey"
    best = search(relaxed, book, engine, top=1).best
    if best is None:
        return None
    layout = (count_noun(best.shards, "node") if engine == "memcached" else
              f"{count_noun(best.shards, 'shard')} x {count_noun(1 + best.replicas_per_shard, 'node')}")
    return relaxed, (f"{layout} of {best.node_type} "
                     f"for {fmt_usd(best.on_demand_monthly)}/month on-demand")


# Below this many current-generation node types with a price, a "nothing fits" is about the bundled table,
# not the workload.
THIN_PRICE_TABLE = 10


def thin_price_table(workload: Workload, book: PriceBook) -> str | None:
    engine = workload.forced_engine or "valkey"
    priced = sorted(node.node_type for node, _ in book.priced_nodes(workload.region, engine)
                    if node.generation == "current")
    if len(priced) >= THIN_PRICE_TABLE:
        return None
    listed = ", ".join(priced) or "none"
    return (f"Only {count_noun(len(priced), 'current node type')} {noun(len(priced), 'has', 'have')} a bundled "
            f"{engine} price in {workload.region} "
            f"({listed}). Refresh the price tables for it (python -m advisor pricing refresh --regions "
            f"{workload.region}) or compare in a Region with fuller prices such as us-east-1.")


def closest_feasible(workload: Workload, book: PriceBook) -> str:
    """A sentence naming the one change that makes the workload feasible, with what it would cost."""
    thin = thin_price_table(workload, book)
    if thin is not None:
        return thin
    attempts: list[tuple[str, dict[str, object]]] = []
    if not workload.client_cluster_aware:
        attempts.append(("Use a cluster-aware client so the data can be sharded", {"client_cluster_aware": True}))
    if workload.forced_deployment == "serverless":
        attempts.append(("Use a provisioned cluster instead of Serverless", {"forced_deployment": "provisioned"}))
    if workload.max_connections > MAX_CONNECTIONS_PER_NODE and not workload.read_from_replicas:
        attempts.append(("Let clients read from replicas so connections spread over every node of a shard",
                         {"read_from_replicas": True}))
    if workload.max_connections > MAX_CONNECTIONS_PER_NODE:
        attempts.append((f"Pool client connections to at most {MAX_CONNECTIONS_PER_NODE:,} per node",
                         {"max_connections": MAX_CONNECTIONS_PER_NODE}))
    if workload.availability == Availability.MULTI_REGION:
        attempts.append(("Use Multi-AZ in one Region instead of Global Datastore",
                         {"availability": "multi_az", "secondary_regions": []}))
    for sentence, changes in attempts:
        found = _try(workload, book, **changes)
        if found:
            return f"Closest feasible alternative: {sentence}: {found[1]}."
    return _largest_cluster_sentence(workload, book)


def _largest_cluster_sentence(workload: Workload, book: PriceBook) -> str:
    engine = workload.forced_engine or "valkey"
    largest_gib = 0.0
    largest_node = ""
    for node, _price in book.priced_nodes(workload.region, engine):
        if node.generation != "current":
            continue
        capacity = float(node.memory_gib + (node.data_tiering_ssd_gib or 0)) * 0.75
        if capacity > largest_gib:
            largest_gib, largest_node = capacity, node.node_type
    shards = 500 if workload.client_cluster_aware else 1
    holds_gib = largest_gib * shards * (1 - (SHARD_SKEW_HEADROOM if shards > 1 else 0.0))
    needed_gib = gb_to_gib(workload.dataset_gb_at_horizon)
    if needed_gib > holds_gib:
        ratio = holds_gib / needed_gib
        return (f"Closest feasible alternative: the largest cluster ({shards} x {largest_node}) holds about "
                f"{holds_gib:,.0f} GiB; cut the dataset at the horizon to {ratio:.0%} of the plan (shorter horizon, "
                "less growth, smaller values or a shorter TTL), or split the data across several clusters.")
    return ("Closest feasible alternative: lower the peak request rate or spread it across several clusters; "
            "one cluster cannot carry it within the assumed per-node throughput.")
