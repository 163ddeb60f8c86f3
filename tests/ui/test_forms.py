"""The Workload form is generated from the model: every field grouped, labelled and given the right widget."""

from __future__ import annotations

from advisor.errors import FieldProblem
from advisor.workload import Constraints, Feature, Preferences, Workload
from ui.forms import (
    GROUPS,
    LABELS,
    SECTION_LABELS,
    SPEC_BY_NAME,
    base_field,
    data_from_draft,
    draft_from_data,
    group_of,
)

SECTION_FIELDS = sorted([f"constraints.{n}" for n in Constraints.model_fields]
                        + [f"preferences.{n}" for n in Preferences.model_fields])
REQUIREMENTS = sorted(set(Workload.model_fields) - {"constraints", "preferences"})


def test_every_model_field_is_in_exactly_one_group_with_a_label() -> None:
    grouped = [name for names in GROUPS.values() for name in names]
    assert sorted(grouped) == sorted(REQUIREMENTS + SECTION_FIELDS)
    assert len(grouped) == len(set(grouped))
    assert set(LABELS) == set(REQUIREMENTS)
    assert sorted(SECTION_LABELS) == SECTION_FIELDS
    assert set(GROUPS["Constraints (musts)"]) == {f"constraints.{n}" for n in Constraints.model_fields}
    assert set(GROUPS["Preferences (would-likes)"]) == {f"preferences.{n}" for n in Preferences.model_fields}


def test_legacy_keys_and_nested_sections_fill_the_section_widgets() -> None:
    draft, problems = draft_from_data({"dataset_gb": 5, "forced_engine": "redis", "monthly_budget_usd": 300,
                                       "constraints": {"shards": 3, "cluster_mode": True}})
    assert problems == []
    assert draft["constraints.engine"] == "redis" and draft["constraints.shards"] == 3
    assert draft["constraints.cluster_mode"] is True
    assert draft["preferences.monthly_budget_usd"] == 300.0
    data = data_from_draft(draft)
    assert data["constraints"]["engine"] == "redis" and data["preferences"]["monthly_budget_usd"] == 300.0
    assert "forced_engine" not in data


def test_widget_kinds_follow_the_annotations() -> None:
    assert SPEC_BY_NAME["dataset_gb"].kind == "float" and SPEC_BY_NAME["dataset_gb"].optional
    assert SPEC_BY_NAME["item_count"].kind == "int"
    assert SPEC_BY_NAME["read_from_replicas"].kind == "bool"
    assert SPEC_BY_NAME["traffic_shape"].choices == ("steady", "daily_cycle", "spiky", "dev_test")
    assert SPEC_BY_NAME["constraints.engine"].choices == (None, "valkey", "redis", "memcached")
    assert SPEC_BY_NAME["constraints.cluster_mode"].choices == (None, True, False)  # unset, yes, no
    assert SPEC_BY_NAME["constraints.client_protocol"].choices == (None, "memcached", "resp", "resp_cluster_aware")
    assert SPEC_BY_NAME["constraints.shards"].kind == "int" and SPEC_BY_NAME["constraints.shards"].optional
    assert SPEC_BY_NAME["features"].choices == tuple(f.value for f in Feature)
    assert SPEC_BY_NAME["region"].kind == "region"
    assert SPEC_BY_NAME["secondary_regions"].kind == "regions"


def test_help_text_is_the_models_description_and_default() -> None:
    spec = SPEC_BY_NAME["peak_to_average"]
    assert spec.help == "Peak-to-average traffic ratio. Default: 2.0. Field `peak_to_average`."
    assert "Default: not set" in SPEC_BY_NAME["preferences.monthly_budget_usd"].help


def test_problems_map_to_their_widget_and_group() -> None:
    assert base_field("secondary_regions[1]") == "secondary_regions"
    assert group_of("secondary_regions[1]") == "Availability"
    assert group_of("link") is None
    assert base_field("constraints.shards") == "constraints.shards"
    assert group_of("constraints.replicas_per_shard") == "Constraints (musts)"


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
    assert set(data_from_draft(draft)["constraints"]) == set(Constraints.model_fields)


def test_dataset_fields_read_in_sense_top_to_bottom() -> None:
    # On a phone each row's columns stack, so a group reads in GROUPS order: size, growth, horizon, hot set,
    # then what the data is made of.
    assert GROUPS["Dataset & growth"][:4] == ("dataset_gb", "monthly_growth_percent", "horizon_months",
                                              "hot_set_percent")


def test_a_value_no_widget_can_hold_is_refused_with_the_reason_and_what_the_field_keeps() -> None:
    """A link or file holding a 70-digit item count: the message says why (as the CLI does) and that the field
    was left empty, never 'kept the default None'."""
    _, problems = draft_from_data({"item_count": 10**69, "avg_reads_per_sec": "lots", "features": "hashes"})
    reasons = {p.field: p.reason for p in problems}
    assert reasons["item_count"] == ("is a 70-digit number, far beyond any limit (a sanity bound far beyond any "
                                     "cache); left empty")
    assert reasons["avg_reads_per_sec"] == "must be a number (per second), not text 'lots'; kept the default (1000)"
    assert reasons["features"] == "must be a list; got 'hashes'; kept the default (simple_get_set)"
    assert not any("None" in r for r in reasons.values())


def test_choices_are_shown_in_peoples_words_and_keep_their_ids() -> None:
    from ui.forms import choice_label

    assert [choice_label(c) for c in SPEC_BY_NAME["constraints.engine"].choices] == [
        "advisor decides", "Valkey", "Redis OSS", "Memcached"]
    assert [choice_label(c) for c in SPEC_BY_NAME["constraints.deployment"].choices] == [
        "advisor decides", "Provisioned", "Serverless"]
    assert [choice_label(c) for c in SPEC_BY_NAME["auth"].choices] == [
        "none", "AUTH token", "RBAC (users and a user group)", "IAM"]
    assert [choice_label(c) for c in SPEC_BY_NAME["constraints.client_protocol"].choices] == [
        "advisor decides", "Memcached", "RESP", "RESP, cluster-aware"]
    assert choice_label("multi_az") == "Multi-AZ" and choice_label("sorted_sets") == "sorted sets"
    assert choice_label(True) == "yes" and choice_label(False) == "no"
