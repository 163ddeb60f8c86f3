"""TTL jitter: the draw stays in bounds, and on a real server it spreads the expiries of keys written together."""

from __future__ import annotations

import random
import time

import pytest
import redis
from hypothesis import given
from hypothesis import strategies as st

from advisor.patterns.cache_aside import cache_aside_get
from advisor.patterns.ttl_jitter import jittered_ttl_ms

KEYS = 2_000


@given(
    base=st.floats(min_value=0.001, max_value=86_400),
    jitter=st.floats(min_value=0, max_value=86_400),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_ttl_is_between_base_and_base_plus_jitter(base: float, jitter: float, seed: int) -> None:
    ttl = jittered_ttl_ms(base, jitter, random.Random(seed))
    assert max(1, round(base * 1000)) <= ttl <= round((base + jitter) * 1000)


@pytest.mark.parametrize(("base", "jitter"), [(0, 1), (-1, 1), (1, -0.1)])
def test_rejects_nonsense(base: float, jitter: float) -> None:
    with pytest.raises(ValueError, match="seconds"):
        jittered_ttl_ms(base, jitter)


def _expiry_seconds(client: redis.Redis, jitter_seconds: float) -> tuple[list[float], float]:
    """Write KEYS keys together through cache-aside, then read back when each one will expire (seconds), with
    how long the writes and the read-back took (the only thing besides jitter that separates the expiries)."""
    rng = random.Random(7)
    started = time.monotonic()
    for i in range(KEYS):
        cache_aside_get(client, f"k{i}", lambda: b"v", ttl_seconds=100, jitter_seconds=jitter_seconds, rng=rng)
    pipe = client.pipeline(transaction=False)
    for i in range(KEYS):
        pipe.pttl(f"k{i}")
    expiries = [ms / 1000 for ms in pipe.execute()]
    return expiries, time.monotonic() - started


def _busiest_second(expiries: list[float]) -> int:
    buckets: dict[int, int] = {}
    for seconds in expiries:
        buckets[int(seconds)] = buckets.get(int(seconds), 0) + 1
    return max(buckets.values())


def test_without_jitter_keys_written_together_expire_together(client: redis.Redis) -> None:
    expiries, took = _expiry_seconds(client, jitter_seconds=0)
    # Every key gets exactly the 100 s TTL, so only the time the writes took separates the expiries (on a loaded
    # machine that can exceed a second; 2 ms allows PTTL's rounding to whole milliseconds).
    assert max(expiries) <= 100.0
    assert min(expiries) >= 100.0 - took - 0.002
    assert max(expiries) - min(expiries) <= took + 0.002


def test_jitter_spreads_expiries_uniformly_over_the_window(client: redis.Redis) -> None:
    expiries, _ = _expiry_seconds(client, jitter_seconds=10)
    assert max(expiries) - min(expiries) > 9.0
    # Uniform over 10 s: each one-second bucket expects KEYS / 10 = 200 keys (binomial sd about 13), so the
    # busiest second holds about a tenth of the keys instead of all of them.
    assert _busiest_second(expiries) < 300
    assert 104 < sum(expiries) / KEYS < 106
