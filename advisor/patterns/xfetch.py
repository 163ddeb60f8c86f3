"""Probabilistic early expiration (XFetch, Vattani et al., VLDB 2015): readers refresh a key a little before it expires.

Each reader recomputes early with a probability that rises as expiry nears and with the recompute time,
so about one reader refreshes per expiry window whatever the number of readers, and without a lock.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable

import redis

from advisor.patterns.types import Loader

FIELDS = ("value", "delta", "expiry")


def should_refresh_early(now: float, delta: float, expiry: float, beta: float, rand: float) -> bool:
    """XFetch's test: `now - delta * beta * ln(rand) >= expiry`, with rand in (0, 1].

    ln(rand) <= 0, so the left side is `now` pushed forward by a random multiple of the recompute time.
    """
    return now - delta * beta * math.log(rand) >= expiry


def xfetch_get(
    client: redis.Redis,
    key: str,
    load: Loader,
    ttl_seconds: float,
    *,
    beta: float = 1.0,
    rng: random.Random | None = None,
    clock: Callable[[], float] = time.time,
) -> bytes:
    """The value of `key`, stored as a hash of value, delta (recompute seconds) and expiry (epoch seconds).

    `beta > 1` refreshes earlier, `beta < 1` later. The hash also carries a Redis TTL equal to the
    logical one, so an unread key still leaves memory.
    """
    value, delta, expiry = client.hmget(key, FIELDS)
    if value is not None and delta is not None and expiry is not None:
        rand = 1.0 - (rng or random).random()  # random() is in [0, 1); log(0) is undefined
        if not should_refresh_early(clock(), float(delta), float(expiry), beta, rand):
            return value
    started = time.perf_counter()
    value = load()
    recompute_seconds = time.perf_counter() - started
    pipe = client.pipeline(transaction=True)
    pipe.hset(key, mapping={"value": value, "delta": recompute_seconds, "expiry": clock() + ttl_seconds})
    pipe.pexpire(key, max(1, round(ttl_seconds * 1000)))
    pipe.execute()
    return value
