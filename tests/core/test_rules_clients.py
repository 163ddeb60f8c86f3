"""New workload traits: short-lived clients, hot keys, a multi-year commitment, a Memcached client in use."""

from __future__ import annotations

from decimal import Decimal

import pytest

from advisor.commands import generate_commands
from advisor.errors import InvalidWorkload
from advisor.findings import Finding
from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.recommendation import Recommendation
from advisor.workload import parse_workload


def by_id(rec: Recommendation) -> dict[str, Finding]:
    return {f.id: f for f in rec.findings}


def test_short_lived_clients_reuse_connections_and_iam_limits(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 5, "short_lived_clients": True, "auth": "iam",
                                    "max_connections": 40_000}), book)
    finding = by_id(rec)["clients.short_lived"]
    assert "outside the handler" in finding.decision and "65,000" in finding.decision
    assert "12 hours" in finding.rationale and "15 minutes" in finding.rationale
    # 40,000 of 65,000 = 62% of the cap, above half: a warning.
    assert finding.evidence["share of the cap"] == "62%" and finding.severity == "warning"
    assert "clients.short_lived" not in by_id(recommend(parse_workload({"dataset_gb": 5}), book))


def test_hot_key_bandwidth_per_node_by_hand(book: PriceBook) -> None:
    # 10,000 average reads/s x peak 2 = 20,000 reads/s; 80% on 4 keys = 4,000 reads/s per key.
    # Each read moves 2,000 value + 32 key bytes: 4,000 x 2,032 x 8 = 65.024 Mbps for one key.
    rec = recommend(parse_workload({"dataset_gb": 5, "avg_reads_per_sec": 10_000, "avg_value_bytes": 2000,
                                    "hot_key_count": 4, "hot_key_read_percent": 80}), book)
    finding = by_id(rec)["clients.hot_keys"]
    assert finding.evidence["reads per hot key at peak"].startswith("4,000/s")
    assert finding.evidence["bandwidth one hot key needs"] == f"{4000 * 2032 * 8 / 1e9:,.3f} Gbps"
    topo = rec.topology
    assert topo is not None
    readers = 1 + topo.replicas_per_shard  # read-from-replicas is on by default
    node = book.nodes[topo.node_type]
    assert finding.evidence["per node for one hot key"].startswith(
        f"{4000 * 2032 * 8 / 1e9 / readers:,.3f} Gbps of {topo.node_type}'s {float(node.network_gbps_baseline):,.3f}")
    assert {"single_flight", "xfetch", "ttl_jitter"} <= set(finding.patterns)
    assert finding.severity == "advice"


def test_one_key_beyond_a_serverless_slot_is_a_warning(book: PriceBook) -> None:
    # 25,000 x 2 = 50,000 peak reads/s, all on one key of < 1 KB: 50,000 ECPU/s on one slot (about 30,000 each).
    rec = recommend(parse_workload({"dataset_gb": 1, "traffic_shape": "spiky", "avg_reads_per_sec": 25_000,
                                    "avg_value_bytes": 500, "hot_key_count": 1, "hot_key_read_percent": 100}),
                    book)
    assert rec.deployment == "serverless"
    finding = by_id(rec)["clients.hot_keys"]
    assert finding.evidence["ECPU/s on the hot key's slot"].startswith("50,000")
    assert finding.severity == "warning" and "split it into N copies" in finding.decision


def test_hot_keys_need_both_numbers() -> None:
    with pytest.raises(InvalidWorkload) as caught:
        parse_workload({"dataset_gb": 1, "hot_key_count": 3})
    assert [p.field for p in caught.value.problems] == ["hot_key_read_percent"]


def test_three_year_commitment_buys_three_year_reservations(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 20, "commitment_years": 3}), book)
    topo, costs = rec.topology, rec.costs
    assert topo is not None and costs is not None and costs.on_demand is not None
    finding = by_id(rec)["pricing.commitment"]
    three = [r for r in costs.reserved if r.option.term_years == 3]
    best = min(three, key=lambda r: r.monthly_equivalent)
    assert f"3-year {best.option.payment_option}" in finding.decision
    # Saving over the term = (on-demand - effective) x 36 months.
    saving = (costs.on_demand.monthly - best.monthly_equivalent) * 36
    assert finding.evidence["saving over 3 years"].startswith(f"${saving.quantize(Decimal('0.01')):,}")
    assert "normalized units" in finding.rationale and "r6g vs r6gd" in finding.rationale
    [find_offer] = [c for c in generate_commands(rec) if c.argv[2] == "describe-reserved-cache-nodes-offerings"]
    assert find_offer.argv[find_offer.argv.index("--duration") + 1] == str(3 * 31_536_000)


def test_size_flexibility_example_uses_normalized_units(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 20, "commitment_years": 1}), book)
    topo = rec.topology
    assert topo is not None
    size = topo.node_type.split(".")[2]
    units = {"large": 4, "xlarge": 8, "2xlarge": 16, "4xlarge": 32}[size]
    rationale = by_id(rec)["pricing.commitment"].rationale
    assert f"is {units * topo.node_count:g} normalized units ({units:g} each)" in rationale


def test_memcached_client_weighs_three_priced_ways(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 20, "constraints": {"client_protocol": "memcached"},
                                    "availability": "none", "auth": "none", "snapshot_retention_days": 0,
                                    "features": ["simple_get_set"]}), book)
    finding = by_id(rec)["engine.memcached_client"]
    keys = list(finding.evidence)
    assert keys == ["keep the client: node-based Memcached", "keep the client: Serverless Memcached",
                    "change the client: Valkey"]
    assert all("/month" in value for value in finding.evidence.values())
    # Serverless Memcached by hand: 20 GB x 730 h x the bundled GB-hour rate, plus ECPUs.
    price = book.serverless_price("us-east-1", "memcached")
    assert price is not None
    storage = Decimal(20) * 730 * price.storage_usd_per_gb_hour
    ecpu = Decimal(str(1100 * 2_628_000 / 1e6)) * price.ecpu_usd_per_million  # 1,100 req/s of < 1 KB
    assert f"${(storage + ecpu).quantize(Decimal('0.01')):,}/month" in finding.evidence[keys[1]]
