"""Single-flight refill: on a miss one caller takes a short lock and reloads; the others wait briefly or serve stale."""

from __future__ import annotations

import random
import secrets
import time

import redis

from advisor.patterns.ttl_jitter import jittered_ttl_ms
from advisor.patterns.types import Loader


def lock_key(key: str) -> str:
    return f"lock:{key}"


def stale_key(key: str) -> str:
    return f"stale:{key}"


class SingleFlight:
    """At most one refill of a key at a time, across every process that shares the Redis server.

    `lock_ms` must exceed the slowest load: if the lock expires mid-load a second caller may reload too.
    `wait_ms` bounds how long a caller waits for someone else's refill before loading itself.
    With `stale_seconds > 0` a copy outlives the fresh value by that long, and waiting callers serve it.
    """

    # Deletes the lock only if it still holds our token: after a lock expired and another caller took it,
    # a plain DEL would release their lock.
    RELEASE_LOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
end
return 0
"""

    def __init__(
        self,
        client: redis.Redis,
        *,
        lock_ms: int = 5_000,
        wait_ms: int = 2_000,
        poll_ms: int = 10,
        stale_seconds: float = 0.0,
        rng: random.Random | None = None,
    ) -> None:
        if lock_ms <= 0 or wait_ms < 0 or poll_ms <= 0 or stale_seconds < 0:
            raise ValueError("lock_ms and poll_ms must be positive; wait_ms and stale_seconds not negative")
        self._client = client
        # register_script sends EVALSHA and loads the script only if the server does not know it yet.
        self._release = client.register_script(self.RELEASE_LOCK)
        self._lock_ms = lock_ms
        self._wait_s = wait_ms / 1000
        self._poll_s = poll_ms / 1000
        self._stale_ms = round(stale_seconds * 1000)
        self._rng = rng

    def get(self, key: str, load: Loader, ttl_seconds: float, jitter_seconds: float = 0.0) -> bytes:
        cached = self._client.get(key)
        if cached is not None:
            return cached
        token = secrets.token_hex(16)
        deadline = time.monotonic() + self._wait_s
        while True:
            if self._client.set(lock_key(key), token, nx=True, px=self._lock_ms):
                try:
                    return self._refill(key, load, ttl_seconds, jitter_seconds)
                finally:
                    self._release(keys=[lock_key(key)], args=[token])
            if self._stale_ms:
                stale = self._client.get(stale_key(key))
                if stale is not None:
                    return stale
            if time.monotonic() >= deadline:
                # The refill is taking too long (or its owner died): answer from the database, uncached.
                return load()
            time.sleep(self._poll_s)
            cached = self._client.get(key)
            if cached is not None:
                return cached

    def _refill(self, key: str, load: Loader, ttl_seconds: float, jitter_seconds: float) -> bytes:
        # Another caller may have refilled and released between our miss and our lock: without this
        # second look a key would be reloaded once per wave of callers, not once per expiry.
        cached = self._client.get(key)
        if cached is not None:
            return cached
        value = load()
        ttl_ms = jittered_ttl_ms(ttl_seconds, jitter_seconds, self._rng)
        pipe = self._client.pipeline(transaction=False)
        pipe.set(key, value, px=ttl_ms)
        if self._stale_ms:
            pipe.set(stale_key(key), value, px=ttl_ms + self._stale_ms)
        pipe.execute()
        return value
