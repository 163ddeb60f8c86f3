"""Cache-aside (lazy loading): read the cache, and on a miss read the database and write the cache with a TTL."""

from __future__ import annotations

import random

import redis

from advisor.patterns.ttl_jitter import jittered_ttl_ms
from advisor.patterns.types import Loader


def cache_aside_get(
    client: redis.Redis,
    key: str,
    load: Loader,
    ttl_seconds: float,
    jitter_seconds: float = 0.0,
    rng: random.Random | None = None,
) -> bytes:
    """The cached value of `key`, loading and caching it on a miss.

    Every caller that misses at the same moment loads from the database: on a hot key that is a stampede.
    Put `SingleFlight`, XFetch or a background refresher in front of hot keys.
    """
    cached = client.get(key)
    if cached is not None:
        return cached
    value = load()
    client.set(key, value, px=jittered_ttl_ms(ttl_seconds, jitter_seconds, rng))
    return value
