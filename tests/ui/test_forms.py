"""The Workload form is generated from the model: every field grouped, labelled and given the right widget."""

from __future__ import annotations

from advisor.errors import FieldProblem
from advisor.workload import Feature, Workload
from ui.forms import GROUPS, LABELS, SPEC_BY_NAME, base_field, data_from_draft, draft_from_data, group_of


def test_every_model_field_is_in_exactly_one_group_with_a_label() -> None:
    grouped = [name for names in GROUPS.values() for name in names]
    assert sorted(grouped) == sorted(Workload.model_fields)
    assert len(grouped) == len(set(grouped))
    assert set(LABELS) == set(Workload.model_fields)


def test_widget_kinds_follow_the_annotations() -> None:
    assert SPEC_BY_NAME["dataset_gb"].kind == "float" and SPEC_BY_NAME["dataset_gb"].optional
    assert SPEC_BY_NAME["item_count"].kind == "int"
    assert SPEC_BY_NAME["read_from_replicas"].kind == "bool"
    assert SPEC_BY_NAME["traffic_shape"].choices == ("steady", "daily_cycle", "spiky", "dev_test")
    assert SPEC_BY_NAME["forced_engine"].choices == (None, "valkey", "redis", "memcached")
    assert SPEC_BY_NAME["features"].choices == tuple(f.value for f in Feature)
    assert SPEC_BY_NAME["region"].kind == "region"
    assert SPEC_BY_NAME["secondary_regions"].kind == "regions"


def test_help_text_is_the_models_description_and_default() -> None:
    spec = SPEC_BY_NAME["peak_to_average"]
    assert spec.help == "Peak-to-average traffic ratio. Default: 2.0. Field `peak_to_average`."
    assert "Default: not set" in SPEC_BY_NAME["monthly_budget_usd"].help


def test_problems_map_to_their_widget_and_group() -> None:
    assert base_field("secondary_regions[1]") == "secondary_regions"
    assert group_of("secondary_regions[1]") == "Availability"
    assert group_of("link") is None


def test_draft_keeps_model_refusable_values_and_refuses_what_no_widget_can_hold() -> None:
    draft, problems = draft_from_data({
        "dataset_gb": -3, "region": "xx-nowhere-1", "horizon_months": 12.0, "avg_reads_per_sec": "lots",
        "features": "hashes", "mystery": 1,
    })
    assert draft["dataset_gb"] == -3.0  # the model will name it; the widget can show it
    assert draft["region"] == "xx-nowhere-1"
    assert draft["horizon_months"] == 12 and isinstance(draft["horizon_months"], int)
    assert draft["avg_reads_per_sec"] == 1000  # default kept
    assert {p.field for p in problems} == {"avg_reads_per_sec", "features", "mystery"}
    assert FieldProblem("mystery", "unknown field, ignored") in problems
    assert set(data_from_draft(draft)) == set(Workload.model_fields)
