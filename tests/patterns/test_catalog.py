"""The pattern catalog: stable ids the report quotes, and code that is the tested implementation."""

from __future__ import annotations

import ast

import pytest

from advisor.patterns.catalog import PATTERNS, UnknownPattern, pattern_by_id, pattern_ids
from advisor.patterns.simulator import Mitigation

# Reports and rules quote these ids: removing or renaming one is a breaking change.
STABLE_IDS = {
    "cache_aside", "write_through", "invalidate_on_write", "ttl_jitter", "single_flight", "xfetch",
    "background_refresh",
}


def test_ids_are_stable_and_unique() -> None:
    assert set(pattern_ids()) == STABLE_IDS
    assert len(pattern_ids()) == len(PATTERNS)


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.id)
def test_every_pattern_is_complete(pattern) -> None:  # type: ignore[no-untyped-def]
    assert pattern.title and pattern.summary and pattern.when_to_use
    assert len(pattern.trade_offs) >= 2
    assert pattern.docs and all(link.startswith("https://") for link in pattern.docs)
    ast.parse(pattern.code)  # shown code is valid Python, ready to copy
    assert pattern.simulated_as is None or isinstance(pattern.simulated_as, Mitigation)


def test_code_is_the_real_implementation() -> None:
    single_flight = pattern_by_id("single_flight").code
    assert "class SingleFlight" in single_flight
    assert "nx=True, px=self._lock_ms" in single_flight
    assert "redis.call('GET', KEYS[1]) == ARGV[1]" in single_flight
    assert "register_script" in single_flight
    assert "math.log(rand)" in pattern_by_id("xfetch").code
    assert "uniform(0.0, jitter_seconds)" in pattern_by_id("ttl_jitter").code


def test_unknown_id_is_a_clear_error() -> None:
    with pytest.raises(UnknownPattern, match="known: cache_aside"):
        pattern_by_id("mutex")
    with pytest.raises(KeyError):  # UnknownPattern is also a KeyError for callers that expect one
        pattern_by_id("mutex")
