"""Workload validation: every bad input named by its field, with a reason; YAML/JSON round trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.errors import InvalidWorkload
from advisor.workload import (
    Availability,
    Feature,
    dumps_workload,
    load_workload,
    loads_workload,
    parse_workload,
    save_workload,
)

VALID = {"dataset_gb": 10}


def problems(data: dict[str, object]) -> dict[str, str]:
    with pytest.raises(InvalidWorkload) as caught:
        parse_workload(data)
    return {p.field: p.reason for p in caught.value.problems}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("dataset_gb", -1),
        ("avg_reads_per_sec", -5),
        ("avg_writes_per_sec", -0.1),
        ("monthly_growth_percent", -2),
        ("snapshot_retention_days", -1),
        ("max_connections", -10),
        ("avg_value_bytes", -1),
    ],
)
def test_negative_values_are_refused_by_name(field: str, value: float) -> None:
    assert field in problems({**VALID, field: value})


@pytest.mark.parametrize(
    ("field", "value"),
    [("hot_set_percent", 0), ("latency_target_ms", 0), ("monthly_budget_usd", 0), ("avg_key_bytes", 0),
     ("peak_to_average", 0.5)],
)
def test_zero_where_not_allowed(field: str, value: float) -> None:
    assert field in problems({**VALID, field: value})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("snapshot_retention_days", 36),  # ElastiCache keeps at most 35
        ("avg_value_bytes", 600 * 1024 * 1024),  # largest value is 512 MB
        ("horizon_months", 61),
    ],
)
def test_values_beyond_anything_elasticache_offers(field: str, value: float) -> None:
    assert field in problems({**VALID, field: value})




def test_unknown_region_and_feature_and_field() -> None:
    found = problems({**VALID, "region": "mars-north-1", "features": ["hashes", "teleport"], "colour": "blue"})
    assert "mars-north-1" in found["region"]
    assert "features[1]" in found
    assert found["colour"] == "unknown field"


def test_unknown_secondary_region() -> None:
    found = problems({**VALID, "availability": "multi_region", "secondary_regions": ["moon-1"]})
    assert "moon-1" in found["secondary_regions"]


def test_every_bad_field_is_listed_at_once() -> None:
    found = problems({"dataset_gb": -1, "avg_reads_per_sec": -1, "region": "nowhere", "snapshot_retention_days": 99})
    assert {"dataset_gb", "avg_reads_per_sec", "region", "snapshot_retention_days"} <= set(found)


def test_dataset_is_required() -> None:
    assert "dataset_gb" in problems({})






def test_auth_token_without_tls() -> None:
    assert "TLS" in problems({**VALID, "auth": "auth_token", "encryption_in_transit": False})["auth"]


def test_kms_key_without_at_rest_encryption() -> None:
    assert "customer_managed_kms_key" in problems({**VALID, "customer_managed_kms_key": True,
                                                   "encryption_at_rest": False})


def test_peak_below_average() -> None:
    found = problems({**VALID, "avg_reads_per_sec": 1000, "peak_reads_per_sec": 10})
    assert "peak_reads_per_sec" in found


def test_multi_region_needs_secondaries_and_secondaries_need_multi_region() -> None:
    assert "secondary_regions" in problems({**VALID, "availability": "multi_region"})
    assert "availability" in problems({**VALID, "availability": "multi_az", "secondary_regions": ["eu-west-1"]})
    assert "secondary_regions[0]" in problems({**VALID, "availability": "multi_region",
                                                "secondary_regions": ["us-east-1"]})




def test_derived_figures_by_hand() -> None:
    w = parse_workload({"item_count": 1_000_000, "avg_key_bytes": 36, "avg_value_bytes": 900,
                        "monthly_growth_percent": 10, "horizon_months": 2, "avg_reads_per_sec": 100,
                        "peak_to_average": 3})
    # 1e6 x (36 + 900 + 64 overhead) bytes = 1.0 GB; grown 1.1^2 = 1.21
    assert w.current_dataset_gb == pytest.approx(1.0)
    assert w.dataset_gb_at_horizon == pytest.approx(1.21)
    assert w.peak_reads == pytest.approx(300)
    assert w.write_bytes == 936


def test_yaml_and_json_round_trip(tmp_path: Path) -> None:
    w = parse_workload({**VALID, "name": "Round trip", "features": ["hashes", "streams"],
                        "availability": "multi_region", "secondary_regions": ["eu-west-1"]})
    for suffix in ("yaml", "json"):
        path = tmp_path / f"w.{suffix}"
        save_workload(w, path)
        again = load_workload(path)
        assert again == w
        assert again.availability == Availability.MULTI_REGION
        assert Feature.STREAMS in again.feature_set
    assert loads_workload(dumps_workload(w, "json"), "json") == w


def test_malformed_yaml_names_the_file() -> None:
    with pytest.raises(InvalidWorkload) as caught:
        loads_workload("dataset_gb: [unclosed", "yaml")
    assert caught.value.fields == ["file"]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidWorkload) as caught:
        load_workload(tmp_path / "nope.yaml")
    assert caught.value.fields == ["file"]


def test_every_example_is_valid() -> None:
    examples = sorted(Path("examples").glob("*.yaml"))
    assert len(examples) >= 7
    for path in examples:
        load_workload(path)


def test_wishes_aws_cannot_grant_are_valid_input_not_validation_errors() -> None:
    # Judged as conflicts/infeasible by the advisor (tests/core/test_conflicts.py), never refused here.
    for data in ({**VALID, "availability": "multi_region", "secondary_regions": ["eu-west-1", "eu-west-2",
                                                                              "ap-southeast-1"]},
                 {**VALID, "forced_engine": "memcached", "availability": "multi_az", "auth": "none",
                  "features": ["simple_get_set", "persistence"]},
                 {**VALID, "forced_deployment": "serverless", "client_cluster_aware": False,
                  "features": ["select_multiple_dbs"], "auth": "auth_token"},
                 {**VALID, "dataset_gb": 2_000_000}, {**VALID, "constraints": {"replicas_per_shard": 6}}):
        parse_workload(data)


# Requirements, constraints and preferences ------------------------------------------------------------------


def test_legacy_keys_load_into_constraints_and_preferences() -> None:
    w = parse_workload({**VALID, "forced_engine": "redis", "forced_deployment": "provisioned",
                        "monthly_budget_usd": 900})
    assert w.constraints.engine == "redis" and w.constraints.deployment == "provisioned"
    assert w.preferences.monthly_budget_usd == 900
    # The old names stay readable for code written against them.
    assert (w.forced_engine, w.forced_deployment, w.monthly_budget_usd) == ("redis", "provisioned", 900)


def test_a_legacy_key_that_contradicts_its_new_home_is_refused_by_name() -> None:
    found = problems({**VALID, "forced_engine": "redis", "constraints": {"engine": "valkey"}})
    assert list(found) == ["forced_engine"] and "constraints.engine" in found["forced_engine"]


def test_sections_round_trip_through_yaml_and_json_without_legacy_keys() -> None:
    w = parse_workload({**VALID, "constraints": {"node_type": "cache.r7g.xlarge", "shards": 3,
                                                 "replicas_per_shard": 2, "cluster_mode": True},
                        "preferences": {"deployment": "serverless", "monthly_budget_usd": 2500}})
    for fmt in ("yaml", "json"):
        text = dumps_workload(w, fmt)
        assert "forced_" not in text and loads_workload(text, fmt) == w
    assert w.constraints.pins_design
    assert "constraints" not in dumps_workload(parse_workload(VALID))  # nothing set: no empty section


def test_section_fields_are_validated_by_name() -> None:
    found = problems({**VALID, "constraints": {"shards": 0, "node_type": "r7g.xlarge", "colour": 1},
                      "preferences": {"engine": "mongodb"}})
    assert {"constraints.shards", "constraints.node_type", "constraints.colour", "preferences.engine"} <= set(found)


def test_client_protocol_sets_cluster_awareness_and_a_contradiction_is_named() -> None:
    assert not parse_workload({**VALID, "constraints": {"client_protocol": "resp"}}).client_cluster_aware
    found = problems({**VALID, "client_cluster_aware": True, "constraints": {"client_protocol": "resp"}})
    assert "client_cluster_aware" in found


def test_with_changes_merges_sections_and_accepts_legacy_names() -> None:
    w = parse_workload({**VALID, "constraints": {"shards": 2}})
    changed = w.with_changes(forced_deployment="provisioned", constraints={"replicas_per_shard": 1})
    assert (changed.constraints.shards, changed.constraints.replicas_per_shard) == (2, 1)
    assert changed.constraints.deployment == "provisioned"


def test_cli_settings_parse_to_typed_nested_changes() -> None:
    from advisor.workload import parse_settings

    assert parse_settings(["constraints.shards=3", "constraints.cluster_mode=false", "availability=none",
                           "preferences.monthly_budget_usd=120.5"]) == {
        "constraints": {"shards": 3, "cluster_mode": False}, "availability": "none",
        "preferences": {"monthly_budget_usd": 120.5}}
    with pytest.raises(InvalidWorkload):
        parse_settings(["shards"])
