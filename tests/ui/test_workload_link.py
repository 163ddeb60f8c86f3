"""advisor.workload_link: a workload as a short URL token and back (tested here, beside the page that uses it)."""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path

import pytest

from advisor.errors import InvalidWorkload
from advisor.workload import load_workload, parse_workload
from advisor.workload_link import (
    MAX_TOKEN_CHARS,
    decode_workload_link,
    encode_workload_link,
    non_default_fields,
)

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_preset_round_trips_through_a_url_safe_token(path: Path) -> None:
    workload = load_workload(path)
    token = encode_workload_link(workload.model_dump(mode="json"))
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert parse_workload(decode_workload_link(token)) == workload
    assert len(token) < 600


def test_only_non_default_fields_are_carried() -> None:
    data = {"region": "us-east-1", "auth": "rbac", "dataset_gb": 5, "features": ["simple_get_set"]}
    assert non_default_fields(data) == {"dataset_gb": 5}


def test_invalid_inputs_travel_too_so_a_link_never_loses_work() -> None:
    token = encode_workload_link({"dataset_gb": -1, "name": "wip"})
    assert decode_workload_link(token) == {"dataset_gb": -1, "name": "wip"}


@pytest.mark.parametrize("token", ["!!!", "abc", base64.urlsafe_b64encode(b"not deflated").decode()])
def test_a_damaged_token_is_a_named_problem(token: str) -> None:
    with pytest.raises(InvalidWorkload) as caught:
        decode_workload_link(token)
    assert caught.value.fields == ["link"]


def test_a_token_that_is_not_a_mapping_is_refused() -> None:
    token = base64.urlsafe_b64encode(zlib.compress(json.dumps([1, 2]).encode())).decode().rstrip("=")
    with pytest.raises(InvalidWorkload, match="must be a mapping of field names to values"):
        decode_workload_link(token)


def test_oversized_and_inflating_tokens_are_refused() -> None:
    with pytest.raises(InvalidWorkload, match="longer than"):
        decode_workload_link("A" * (MAX_TOKEN_CHARS + 1))
    bomb = base64.urlsafe_b64encode(zlib.compress(b'{"name":"' + b"x" * 2_000_000 + b'"}', 9)).decode()
    assert len(bomb) <= MAX_TOKEN_CHARS
    with pytest.raises(InvalidWorkload, match="expands beyond"):
        decode_workload_link(bomb)


def test_old_links_with_forced_keys_still_open_and_new_links_carry_the_sections() -> None:
    from advisor.workload import parse_workload

    old = encode_workload_link({"dataset_gb": 5, "forced_engine": "redis", "monthly_budget_usd": 400})
    w = parse_workload(decode_workload_link(old))
    assert w.constraints.engine == "redis" and w.preferences.monthly_budget_usd == 400
    data = decode_workload_link(encode_workload_link(w.model_dump(mode="json")))
    assert data["constraints"] == {"engine": "redis"} and data["preferences"] == {"monthly_budget_usd": 400}
    assert parse_workload(data) == w
