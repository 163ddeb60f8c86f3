"""Background refresh on a real server: readers never load a hot key; the refresher is bounded and stops."""

from __future__ import annotations

import time

import pytest
import redis

from advisor.patterns.cache_aside import cache_aside_get
from advisor.patterns.refresh_ahead import BackgroundRefresher
from tests.patterns.hammer import SlowDatabase, hammer

HOT = [f"hot:{i}" for i in range(5)]


def test_readers_never_miss_hot_keys_while_the_refresher_runs(client: redis.Redis) -> None:
    refresher_db = SlowDatabase(delay_s=0.02)
    reader_db = SlowDatabase(delay_s=0.02)
    refresher = BackgroundRefresher(
        client, dict.fromkeys(HOT, refresher_db.load), ttl_seconds=0.6, lead_seconds=0.3, check_every_seconds=0.05
    )
    assert refresher.refresh_due() == len(HOT)  # missing keys are due: the first pass warms them
    counter = iter(range(10**9))

    def read() -> bytes:
        return cache_aside_get(client, HOT[next(counter) % len(HOT)], reader_db.load, ttl_seconds=0.6)

    with refresher:
        run = hammer(20, 1.5, read=read)
    # A key is due once under 0.3 s of its 0.6 s TTL is left, so each is rewritten about every 0.3 s (plus
    # up to one 0.05 s check interval): about 1.5 / 0.35 = 4 times per key, never anywhere near expiry.
    per_key = (refresher.refreshes - len(HOT)) / len(HOT)
    print(f"refresh-ahead: {per_key:.1f} refreshes per key in {run.seconds:.1f} s, reader loads {reader_db.calls}")
    assert reader_db.calls == 0
    assert 2 <= per_key <= 6


def test_fresh_keys_and_keys_without_ttl_are_not_due(client: redis.Redis) -> None:
    db = SlowDatabase(delay_s=0)
    client.set("fresh", b"x", px=10_000)
    client.set("forever", b"x")
    refresher = BackgroundRefresher(
        client, {"fresh": db.load, "forever": db.load}, ttl_seconds=10, lead_seconds=1
    )
    assert refresher.refresh_due() == 0
    assert db.calls == 0


def test_a_failing_loader_does_not_stop_the_others(client: redis.Redis) -> None:
    def broken() -> bytes:
        raise RuntimeError("database down")

    refresher = BackgroundRefresher(
        client, {"a": broken, "b": lambda: b"ok"}, ttl_seconds=10, lead_seconds=1
    )
    assert refresher.refresh_due() == 1
    assert client.get("b") == b"ok"


def test_stop_returns_promptly(client: redis.Redis) -> None:
    refresher = BackgroundRefresher(client, {"k": lambda: b"v"}, ttl_seconds=10, lead_seconds=1)
    refresher.start()
    started = time.monotonic()
    refresher.stop()
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize(("ttl", "lead"), [(10, 10), (10, 0), (10, 11)])
def test_lead_must_fit_inside_the_ttl(client: redis.Redis, ttl: float, lead: float) -> None:
    with pytest.raises(ValueError, match="lead_seconds"):
        BackgroundRefresher(client, {}, ttl_seconds=ttl, lead_seconds=lead)
