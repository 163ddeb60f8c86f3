"""Cache-aside on a real server: hits are served from Redis, and an expiring hot key stampedes the database."""

from __future__ import annotations

import random

import redis

from advisor.patterns.cache_aside import cache_aside_get
from tests.patterns.hammer import SlowDatabase, hammer

THREADS = 200


def test_miss_loads_and_caches_with_ttl(client: redis.Redis) -> None:
    db = SlowDatabase(delay_s=0)
    assert cache_aside_get(client, "k", db.load, ttl_seconds=30) == b"v1"
    assert cache_aside_get(client, "k", db.load, ttl_seconds=30) == b"v1"
    assert db.calls == 1
    assert 29_000 < client.pttl("k") <= 30_000


def test_jitter_lengthens_ttl_within_bounds(client: redis.Redis) -> None:
    db = SlowDatabase(delay_s=0)
    cache_aside_get(client, "k", db.load, ttl_seconds=30, jitter_seconds=3, rng=random.Random(1))
    assert 29_000 < client.pttl("k") <= 33_000


def test_expiring_hot_key_without_mitigation_stampedes(client: redis.Redis) -> None:
    # When the key expires, every thread's next GET misses. A thread's GET comes round every few ms, far
    # inside the 50 ms load, so nearly every one of the 200 threads loads before the first refill lands.
    db = SlowDatabase(delay_s=0.05)
    run = hammer(
        THREADS, 0.6,
        read=lambda: cache_aside_get(client, "hot", db.load, ttl_seconds=30),
        on_start=lambda: client.set("hot", b"v1", px=200),
    )
    print(f"no mitigation: {db.calls} loads for one expiry, {run.reads_per_second:.0f} reads/s")
    assert db.calls > 50
