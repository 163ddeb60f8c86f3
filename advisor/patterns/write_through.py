"""Writes that keep the cache in step with the database: write-through, or invalidate-on-write."""

from __future__ import annotations

import random

import redis

from advisor.patterns.ttl_jitter import jittered_ttl_ms
from advisor.patterns.types import Saver


def write_through(
    client: redis.Redis,
    key: str,
    value: bytes,
    save: Saver,
    ttl_seconds: float,
    jitter_seconds: float = 0.0,
    rng: random.Random | None = None,
) -> None:
    """Write the database, then the cache, so a read after this returns never sees the old value.

    The database goes first: if it refuses the write the cache still holds the old, still-true value.
    The TTL stays so that values nobody reads again leave memory.
    """
    save(value)
    client.set(key, value, px=jittered_ttl_ms(ttl_seconds, jitter_seconds, rng))


def invalidate_on_write(client: redis.Redis, key: str, value: bytes, save: Saver) -> None:
    """Write the database, then delete the cached copy; the next read refills it through cache-aside.

    Cheaper than write-through when writes outnumber reads, at the price of one miss after every write.
    """
    save(value)
    client.delete(key)
