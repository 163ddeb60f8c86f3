"""Property-based checks over random valid workloads."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.choices import assess_serverless
from advisor.optimizer import search
from advisor.pricing import load_price_book
from advisor.recommend import recommend
from advisor.workload import Feature, Workload, parse_workload

BOOK = load_price_book()
PRICED_REGIONS = BOOK.regions

workloads = st.builds(
    dict,
    region=st.sampled_from(PRICED_REGIONS),
    dataset_gb=st.floats(min_value=0, max_value=20_000),
    monthly_growth_percent=st.floats(min_value=0, max_value=20),
    horizon_months=st.integers(min_value=0, max_value=36),
    avg_reads_per_sec=st.floats(min_value=0, max_value=2_000_000),
    avg_writes_per_sec=st.floats(min_value=0, max_value=500_000),
    peak_to_average=st.floats(min_value=1, max_value=20),
    avg_value_bytes=st.integers(min_value=0, max_value=200_000),
    hot_set_percent=st.floats(min_value=1, max_value=100),
    traffic_shape=st.sampled_from(["steady", "daily_cycle", "spiky", "dev_test"]),
    availability=st.sampled_from(["none", "multi_az"]),
    features=st.lists(st.sampled_from([f.value for f in Feature]), min_size=1, max_size=4, unique=True),
    client_cluster_aware=st.booleans(),
    command_complexity=st.sampled_from(["simple", "moderate", "complex"]),
    snapshot_retention_days=st.integers(min_value=0, max_value=35),
    max_connections=st.integers(min_value=0, max_value=100_000),
)


def all_money(rec_costs: object) -> list[Decimal]:
    values: list[Decimal] = []
    costs = rec_costs
    assert costs is not None
    for estimate in (costs.chosen, costs.on_demand, costs.serverless):  # type: ignore[attr-defined]
        if estimate is not None:
            values += [line.total for line in estimate.lines] + [estimate.monthly, estimate.upfront]
    for comparison in costs.reserved:  # type: ignore[attr-defined]
        values += [comparison.monthly_equivalent, comparison.estimate.upfront, comparison.estimate.monthly]
    return values


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workloads)
def test_recommend_never_raises_and_costs_are_sane(data: dict[str, object]) -> None:
    rec = recommend(parse_workload(data), BOOK)
    if rec.costs is None:
        assert rec.conflicts
        return
    for value in all_money(rec.costs):
        assert value.is_finite() and value >= 0



@settings(max_examples=80, deadline=None)
@given(st.floats(min_value=0.1, max_value=5000), st.floats(min_value=1.01, max_value=4))
def test_bigger_dataset_never_gets_less_usable_memory(size: float, factor: float) -> None:
    small = parse_workload({"dataset_gb": size})
    big = parse_workload({"dataset_gb": size * factor})
    small_best = search(small, BOOK, "valkey", top=1).best
    big_best = search(big, BOOK, "valkey", top=1).best
    assert small_best is not None
    if big_best is None:
        return
    def capacity(best: object, w: Workload) -> float:
        needed = w.dataset_gb_at_horizon * 1e9 / 2**30
        return needed / best.memory_utilisation  # type: ignore[attr-defined]
    assert capacity(big_best, big) >= capacity(small_best, small) - 1e-6
    assert capacity(big_best, big) >= big.dataset_gb_at_horizon * 1e9 / 2**30


@settings(max_examples=80, deadline=None)
@given(workloads, st.floats(min_value=1.0, max_value=50))
def test_more_traffic_never_gets_a_cheaper_serverless_bill(data: dict[str, object], more: float) -> None:
    w = parse_workload(data)
    engine = "valkey"
    base = assess_serverless(w, BOOK, engine, traffic_scale=1.0).estimate
    busier = assess_serverless(w, BOOK, engine, traffic_scale=more).estimate
    if base is None or busier is None:
        return
    assert busier.monthly >= base.monthly


@settings(max_examples=100, deadline=None)
@given(workloads, st.text(min_size=1, max_size=60).filter(lambda s: any(c.isalnum() for c in s)))
def test_yaml_and_json_round_trip_any_valid_workload(data: dict[str, object], name: str) -> None:
    from advisor.workload import dumps_workload, loads_workload

    w = parse_workload({**data, "name": name})
    assert loads_workload(dumps_workload(w, "yaml"), "yaml") == w
    assert loads_workload(dumps_workload(w, "json"), "json") == w
