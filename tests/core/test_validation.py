"""Validation messages in plain words: every field named, the unit and the limit behind a bound, all at once."""

from __future__ import annotations

import pytest

from advisor.errors import InvalidWorkload
from advisor.workload import Constraints, Preferences, Workload, parse_workload

PYDANTIC_WORDING = ("should", "Value error", "validation error", "type=", "pydantic")


def problems(data: dict[str, object]) -> dict[str, str]:
    with pytest.raises(InvalidWorkload) as caught:
        parse_workload(data)
    return {p.field: p.reason for p in caught.value.problems}


def test_true_is_not_one_gb_or_one_month() -> None:
    found = problems({"dataset_gb": True, "horizon_months": True})
    assert found == {"dataset_gb": "must be a number (GB), not true",
                     "horizon_months": "must be a whole number (months), not true"}


def test_numbers_must_be_numbers_not_text() -> None:
    assert problems({"dataset_gb": "5"})["dataset_gb"] == "must be a number (GB), not text '5'"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_nan_and_infinity_must_be_finite(value: float) -> None:
    assert problems({"dataset_gb": 5, "avg_reads_per_sec": value}) == {
        "avg_reads_per_sec": "must be a finite number (not NaN or infinity)"}


def test_a_400_digit_integer_is_named_with_its_size() -> None:
    reason = problems({"item_count": 10**399})["item_count"]
    assert reason.startswith("is a 400-digit number") and len(reason) < 200


def test_a_bound_says_the_unit_and_the_aws_limit() -> None:
    found = problems({"dataset_gb": 5, "snapshot_retention_days": 36, "avg_value_bytes": 2**30})
    assert found["snapshot_retention_days"] == (
        "must be at most 35 days (ElastiCache keeps automatic snapshots for at most 35 days); got 36 days")
    assert found["avg_value_bytes"] == (
        "must be at most 536,870,912 bytes (Valkey and Redis OSS keys and values are at most 512 MiB); "
        "got 1,073,741,824 bytes")


def test_choices_are_listed() -> None:
    assert problems({"dataset_gb": 5, "traffic_shape": "bursty"})["traffic_shape"] == (
        "must be one of: steady, daily_cycle, spiky, dev_test; got 'bursty'")


def test_an_unknown_field_suggests_the_close_one() -> None:
    assert problems({"dataset_gb": 5, "dataset_gbs": 3})["dataset_gbs"] == "unknown field; did you mean 'dataset_gb'?"


@pytest.mark.parametrize("name", ["", "   ", "---", "\u202e", "!!"])
def test_a_name_needs_a_letter_or_a_digit(name: str) -> None:
    reason = problems({"dataset_gb": 5, "name": name})["name"]
    assert reason in ("must not be empty", "must contain a letter or a digit (it becomes the cluster id and tags)")


def test_cross_field_checks_run_beside_range_errors() -> None:
    # dataset_gb is out of range AND peak reads are below the average AND a secondary Region is listed without
    # multi_region: one round trip names all three.
    found = problems({"dataset_gb": -1, "avg_reads_per_sec": 1000, "peak_reads_per_sec": 10,
                      "secondary_regions": ["eu-west-1"]})
    assert set(found) == {"dataset_gb", "peak_reads_per_sec", "availability"}


def test_no_pydantic_wording_for_any_bad_value_of_any_field() -> None:
    bad_values: list[object] = [-1, 10**30, "x", [1], {"a": 1}, None, 0.5, True, "", [], "a" * 500]
    seen = 0
    for field in Workload.model_fields:
        for value in bad_values:
            try:
                parse_workload({"dataset_gb": 5, field: value})
            except InvalidWorkload as exc:
                for problem in exc.problems:
                    seen += 1
                    assert not any(w in problem.reason for w in PYDANTIC_WORDING), (field, value, problem)
                    assert len(problem.reason) < 400
    assert seen > 100


def test_no_pydantic_wording_in_constraints_and_preferences() -> None:
    bad_values: list[object] = [-1, 10**30, "x", "cache.R7G", [1], {"a": 1}, 0.5, True, "", "a" * 500]
    seen = 0
    for section, model in (("constraints", Constraints), ("preferences", Preferences)):
        for field in model.model_fields:
            for value in bad_values:
                try:
                    parse_workload({"dataset_gb": 5, section: {field: value}})
                except InvalidWorkload as exc:
                    for problem in exc.problems:
                        seen += 1
                        assert not any(w in problem.reason for w in PYDANTIC_WORDING), (field, value, problem)
    assert seen > 50


def test_a_malformed_node_type_gives_the_form_by_example() -> None:
    found = problems({"dataset_gb": 5, "constraints": {"node_type": "r7g.large", "node_family": "R7G"}})
    assert found["constraints.node_type"] == "is not written the way AWS names it (for example cache.r7g.xlarge); " \
                                             "got 'r7g.large'"
    assert found["constraints.node_family"].startswith("is not written the way AWS names it (for example r7g)")


@pytest.mark.parametrize("name", [
    "cache AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "db password=hunter2",
    "redis://user:s3cret@host:6379", "token: abcdef", "ghp_" + "a1B2" * 9,
])
def test_secrets_in_a_name_are_refused_without_echoing_them(name: str) -> None:
    with pytest.raises(InvalidWorkload) as caught:
        parse_workload({"dataset_gb": 5, "name": name})
    (problem,) = caught.value.problems
    assert problem.field == "name" and "looks like it holds a secret" in problem.reason
    assert name not in str(caught.value) and "hunter2" not in str(caught.value)


def test_ordinary_names_are_not_mistaken_for_secrets() -> None:
    for name in ("Session store", "checkout-cache-eu 2", "Catalog (prod) v2.1", "token bucket limiter",
                 "a" * 40, "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMN"):
        assert parse_workload({"dataset_gb": 5, "name": name}).name == name


def test_thousands_of_bad_keys_give_a_bounded_message() -> None:
    data: dict[str, object] = {"dataset_gb": 5, **{f"unknown_{i}": i for i in range(5_000)}}
    with pytest.raises(InvalidWorkload) as caught:
        parse_workload(data)
    assert len(caught.value.problems) == 41
    assert caught.value.problems[-1].reason == "4,960 more problems not listed; fix these first"
    assert len(str(caught.value)) < 4_000
