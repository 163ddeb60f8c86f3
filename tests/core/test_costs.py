"""Cost models against figures worked out by hand from pricing_data (the CSV values are quoted)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from advisor.costs.extras import backup_line, global_transfer_line
from advisor.costs.lines import CostLine
from advisor.costs.provisioned import break_even_month, compare_reserved, on_demand_cost, reserved_cost
from advisor.costs.serverless import ecpu_per_request, ecpu_profile, serverless_cost
from advisor.errors import InvalidWorkload
from advisor.pricing import PriceBook
from advisor.workload import CommandComplexity, parse_workload


def test_three_r7g_large_valkey_on_demand(book: PriceBook) -> None:
    price = book.node_price("us-east-1", "valkey", "cache.r7g.large")
    assert price is not None
    estimate = on_demand_cost(price, 3)
    # on_demand.csv: us-east-1,cache.r7g.large,valkey,0.1752 -> 3 x 0.1752 x 730 = 383.688
    assert estimate.monthly == Decimal("383.688")
    assert estimate.total_over(12) == Decimal("4604.256")
    assert estimate.upfront == 0


def test_published_partial_upfront_reservation(book: PriceBook) -> None:
    on_demand = on_demand_cost(book.node_price("us-east-1", "redis", "cache.c7gn.large"), 2)  # type: ignore[arg-type]
    option = book.reserved_option("us-east-1", "redis", "cache.c7gn.large", 1, "Partial Upfront")
    assert option is not None
    comparison = compare_reserved(on_demand, option, 2)
    # reserved.csv: upfront 725.985 per node, 0.083/h. On-demand 0.255/h.
    assert comparison.estimate.upfront == Decimal("1451.970")
    assert comparison.estimate.monthly == Decimal("121.180")  # 2 x 0.083 x 730
    # on-demand 2 x 0.255 x 730 = 372.30/month; saving 251.12/month; 1451.97 / 251.12 = 5.78 -> month 6
    assert on_demand.monthly == Decimal("372.300")
    assert comparison.break_even_month == 6
    # effective 0.165875/h -> 2 x 0.165875 x 730 = 242.1775
    assert comparison.monthly_equivalent == Decimal("242.17750")


def test_estimated_reservation_is_labelled(book: PriceBook) -> None:
    option = book.reserved_option("us-east-1", "valkey", "cache.r7g.large", 3, "All Upfront")
    assert option is not None and not option.is_estimate  # S9 published this one: 2071.9152 upfront
    # mx-central-1 has no reserved prices in the sources; on-demand Valkey m7g.large there is 0.13272/h.
    estimated = book.reserved_option("mx-central-1", "valkey", "cache.m7g.large", 3, "All Upfront")
    assert estimated is not None and estimated.is_estimate
    cost = reserved_cost(estimated, 1)
    assert cost.is_estimate and "(estimate)" in cost.display_label
    # 0.13272 x (1 - 0.55) = 0.059724/h effective; all upfront over 26,280 h = 1569.54672
    assert float(estimated.upfront_usd) == pytest.approx(1569.54672)
    assert estimated.usd_per_hour == 0


def test_break_even_never_when_reserved_costs_more_monthly() -> None:
    from advisor.costs.lines import CostEstimate

    cheap = CostEstimate("od", (CostLine("n", "h", Decimal(1), Decimal(10)),))
    dear = CostEstimate("ri", (CostLine("n", "h", Decimal(1), Decimal(11)),))
    assert break_even_month(cheap, dear, 12) is None


def test_serverless_valkey_by_hand(book: PriceBook) -> None:
    price = book.serverless_price("us-east-1", "valkey")
    assert price is not None
    w = parse_workload({"dataset_gb": 10, "avg_reads_per_sec": 1000, "avg_writes_per_sec": 100,
                        "avg_value_bytes": 500, "avg_key_bytes": 20})
    profile = ecpu_profile(w)
    assert profile.per_read == 1.0 and profile.per_write == 1.0  # under 1 KB -> 1 ECPU each
    estimate = serverless_cost(price, w.dataset_gb_at_horizon, profile.per_month)
    storage, ecpu = estimate.lines
    # 10 GB x 730 h x 0.084 = 613.20
    assert storage.total == Decimal("613.200")
    # 1,100 req/s x 2,628,000 s = 2,890.8 million ECPU x 0.0023 = 6.64884
    assert ecpu.quantity == Decimal("2890.8")
    assert ecpu.total == Decimal("6.64884")


def test_serverless_minimum_storage(book: PriceBook) -> None:
    valkey = book.serverless_price("us-east-1", "valkey")
    redis = book.serverless_price("us-east-1", "redis")
    assert valkey and redis
    # Valkey bills at least 100 MB: 0.1 x 730 x 0.084 = 6.132; Redis OSS at least 1 GB: 730 x 0.125 = 91.25
    assert serverless_cost(valkey, 0.01, 0).lines[0].total == Decimal("6.1320")
    assert serverless_cost(redis, 0.2, 0).lines[0].total == Decimal("91.250")


def test_ecpu_per_request_rules() -> None:
    assert ecpu_per_request(3.2 * 1024, CommandComplexity.SIMPLE) == pytest.approx(3.2)  # AWS's GET of 3.2 KB
    assert ecpu_per_request(100, CommandComplexity.SIMPLE) == 1.0
    # vCPU multiple and bytes are not added: the larger wins
    assert ecpu_per_request(100, CommandComplexity.COMPLEX) == 4.0
    assert ecpu_per_request(8 * 1024, CommandComplexity.MODERATE) == 8.0


def test_aws_published_ecpu_examples() -> None:
    # AWS pricing: a GET transferring 3.2 KB uses 3.2 ECPUs; a SORT taking 3x the vCPU time of a simple
    # GET/SET and transferring 2 KB uses 3 ECPUs (the larger of the two, not their sum).
    assert ecpu_per_request(3.2 * 1024, 1.0) == pytest.approx(3.2)
    assert ecpu_per_request(2 * 1024, 3.0) == pytest.approx(3.0)
    # Any multiple, not only the three named kinds: 3x on a 500-byte reply is 3 ECPUs.
    w = parse_workload({"dataset_gb": 1, "avg_reads_per_sec": 1000, "avg_writes_per_sec": 0,
                        "avg_value_bytes": 500, "vcpu_multiple": 3})
    assert ecpu_profile(w).per_read == pytest.approx(3.0)
    assert ecpu_profile(w).average_per_second == pytest.approx(3000.0)


def test_multi_key_reads_count_every_value() -> None:
    # MGET / multiget of 10 keys x 400 bytes = 4,000 bytes = 3.906 KB (1 KB = 1,024 bytes) -> 3.906 ECPUs,
    # where ten single GETs would cost 10 x max(1, 0.39) = 10 ECPUs.
    w = parse_workload({"dataset_gb": 1, "avg_reads_per_sec": 100, "avg_writes_per_sec": 0,
                        "avg_value_bytes": 400, "items_per_read": 10})
    assert w.read_bytes == 4000
    assert ecpu_profile(w).per_read == pytest.approx(4000 / 1024)


def test_command_mix_weights_each_kind() -> None:
    # AWS's two examples as a 50/50 mix: 0.5 x 3.2 (GET of 3.2 KB) + 0.5 x max(2 KB, 3x) = 1.6 + 1.5 = 3.1.
    w = parse_workload({"dataset_gb": 1, "avg_reads_per_sec": 1000, "avg_writes_per_sec": 0,
                        "command_mix": "GET 50% 1x 3277B, SORT 50% 3x 2048B"})
    assert [k.name for k in w.command_mix] == ["GET", "SORT"]
    assert ecpu_profile(w).per_read == pytest.approx(0.5 * 3277 / 1024 + 0.5 * 3.0)
    # Kinds without a size take the workload's read size: 700 bytes -> max(1, 0.68) = 1 and max(0.68, 4) = 4.
    mixed = parse_workload({"dataset_gb": 1, "avg_value_bytes": 700, "command_mix": [
        {"name": "GET", "share_percent": 80}, {"name": "ZRANGE", "share_percent": 20, "vcpu_multiple": 4}]})
    assert ecpu_profile(mixed).per_read == pytest.approx(0.8 * 1 + 0.2 * 4)


@pytest.mark.parametrize(("mix", "field", "words"), [
    ("GET 60% 1x, SORT 30% 3x", "command_mix", "add up to 90%"),
    ("GET 70% fast", "command_mix", "'fast' is not a share"),
    ("GET 1x", "command_mix", "has no share"),
])
def test_bad_command_mix_names_the_field(mix: str, field: str, words: str) -> None:
    with pytest.raises(InvalidWorkload) as caught:
        parse_workload({"dataset_gb": 1, "command_mix": mix})
    assert any(p.field.startswith(field) and words in p.reason for p in caught.value.problems)


def test_backup_storage_by_hand(book: PriceBook) -> None:
    line = backup_line(book, "us-east-1", "redis", 100, 7)
    assert isinstance(line, CostLine)
    # 100 GB = 100e9 / 2^30 = 93.132 GiB; x 7 snapshots = 651.926 GiB-months; x $0.085 = $55.41
    assert line.unit == "GiB-months" and line.quantity == Decimal("651.926")
    assert line.total.quantize(Decimal("0.01")) == Decimal("55.41")
    # One AWS rate for every Region and engine: Valkey in Sao Paulo costs the same 0.085 per GiB-month.
    valkey = backup_line(book, "sa-east-1", "valkey", 100, 7)
    assert isinstance(valkey, CostLine) and valkey.total == line.total


def test_global_datastore_transfer_by_hand(book: PriceBook) -> None:
    line = global_transfer_line(book, "us-east-1", "valkey", 1_000_000, 2)
    assert isinstance(line, CostLine)
    # 1e6 B/s x 2,628,000 s / 2^30 = 2447.53 GiB per secondary, x 2 secondaries x 0.02
    assert float(line.quantity) == pytest.approx(2 * 2.628e12 / 2**30, rel=1e-6)
    assert float(line.total) == pytest.approx(2 * 2.628e12 / 2**30 * 0.02, rel=1e-6)


def test_cumulative_counts_upfront_once() -> None:
    from advisor.costs.lines import CostEstimate

    estimate = CostEstimate("x", (CostLine("up", "n", Decimal(1), Decimal(100), one_time=True),
                                  CostLine("h", "h", Decimal(1), Decimal(10))))
    assert estimate.cumulative(3) == [Decimal(110), Decimal(120), Decimal(130)]


def test_a_one_node_cost_line_says_node(book: PriceBook) -> None:
    """Counts in words in cost notes too: '1 node x 730 h', not '1 nodes x 730 h'."""
    price = book.node_price("us-east-1", "valkey", "cache.t4g.small")
    assert price is not None
    assert on_demand_cost(price, 1).lines[0].note.startswith("1 node x 730 h x $")
    assert on_demand_cost(price, 2).lines[0].note.startswith("2 nodes x 730 h x $")
