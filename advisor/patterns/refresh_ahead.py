"""Background refresh (refresh-ahead): one thread rewrites a bounded set of hot keys shortly before they expire."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping

import redis

from advisor.patterns.types import Loader

logger = logging.getLogger(__name__)

MAX_HOT_KEYS = 10_000  # one thread refreshes serially: past this it cannot keep up with any realistic TTL


class BackgroundRefresher:
    """Rewrites each hot key once less than `lead_seconds` of its TTL is left (or it is missing).

    Readers keep using plain cache-aside and, while the refresher keeps up, never miss a hot key.
    One refresh takes one load, so a single thread can refresh at most 1 / load-time keys per second:
    keep `len(hot_keys) * load time` well under `ttl_seconds - lead_seconds`.
    """

    def __init__(
        self,
        client: redis.Redis,
        hot_keys: Mapping[str, Loader],
        *,
        ttl_seconds: float,
        lead_seconds: float,
        check_every_seconds: float = 0.5,
    ) -> None:
        if not 0 < lead_seconds < ttl_seconds:
            raise ValueError("lead_seconds must be positive and shorter than ttl_seconds")
        if check_every_seconds <= 0:
            raise ValueError("check_every_seconds must be positive")
        if len(hot_keys) > MAX_HOT_KEYS:
            raise ValueError(f"at most {MAX_HOT_KEYS} hot keys, got {len(hot_keys)}")
        self._client = client
        self._hot_keys = dict(hot_keys)
        self._ttl_ms = round(ttl_seconds * 1000)
        self._lead_ms = round(lead_seconds * 1000)
        self._every = check_every_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.refreshes = 0  # read by monitoring and tests; written only by the refresher thread

    def refresh_due(self) -> int:
        """One pass: rewrite the keys that are due. Returns how many were rewritten."""
        keys = list(self._hot_keys)
        pipe = self._client.pipeline(transaction=False)
        for key in keys:
            pipe.pttl(key)
        # PTTL is -2 for a missing key (due now) and -1 for a key without TTL (someone else owns it: skip).
        due = [key for key, left in zip(keys, pipe.execute(), strict=True) if left == -2 or 0 <= left < self._lead_ms]
        done = 0
        for key in due:
            if self._stop.is_set():
                break
            try:
                self._client.set(key, self._hot_keys[key](), px=self._ttl_ms)
            except Exception:
                # One failing loader must not starve the other hot keys; readers fall back to cache-aside.
                logger.exception("background refresh of %s failed", key)
                continue
            done += 1
        self.refreshes += done
        return done

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the refresher is already running")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="cache-refresh-ahead", daemon=True)
        self._thread.start()

    def stop(self, timeout_seconds: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_seconds)
            self._thread = None

    def __enter__(self) -> BackgroundRefresher:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _run(self) -> None:
        while True:
            try:
                self.refresh_due()
            except redis.RedisError:
                logger.exception("background refresh pass failed; retrying next interval")
            if self._stop.wait(self._every):
                return
