"""Single-flight on a real server: one load per expiry under 200 threads, a safe lock release, stale serving."""

from __future__ import annotations

import threading
import time

import redis

from advisor.patterns.single_flight import SingleFlight, lock_key, stale_key
from tests.patterns.hammer import SlowDatabase, hammer

THREADS = 200


def test_one_refill_for_one_expiry_under_200_threads(client: redis.Redis) -> None:
    # The lock admits one loader; the others poll until the value lands. A thread that missed before the
    # SET but takes the lock after the release finds the value on its second look, so it does not load.
    db = SlowDatabase(delay_s=0.05)
    flight = SingleFlight(client)
    hammer(
        THREADS, 0.6,
        read=lambda: flight.get("hot", db.load, ttl_seconds=30),
        on_start=lambda: client.set("hot", b"v1", px=200),
    )
    assert db.calls == 1


def test_at_most_one_refill_per_expiry_across_expiries(client: redis.Redis) -> None:
    # Each refill writes a 0.3 s TTL after a 0.05 s load, so the next expiry is at least 0.35 s after the
    # previous load started: consecutive loads closer than that would be two loads for one expiry.
    db = SlowDatabase(delay_s=0.05)
    flight = SingleFlight(client)
    hammer(
        THREADS, 1.3,
        read=lambda: flight.get("hot", db.load, ttl_seconds=0.3),
        on_start=lambda: client.set("hot", b"v1", px=200),
    )
    gaps = [b - a for a, b in zip(db.call_times, db.call_times[1:], strict=False)]
    print(f"single-flight: {db.calls} loads, gaps {[round(g, 3) for g in gaps]}")
    assert 2 <= db.calls <= 4
    assert min(gaps) >= 0.34


def test_release_never_deletes_someone_elses_lock(client: redis.Redis) -> None:
    # Our lock expired mid-load and another caller took it: our release must leave theirs alone.
    flight = SingleFlight(client, lock_ms=50)

    def slow_load() -> bytes:
        time.sleep(0.1)
        client.set(lock_key("k"), "their-token", px=5_000)
        return b"v"

    assert flight.get("k", slow_load, ttl_seconds=10) == b"v"
    assert client.get(lock_key("k")) == b"their-token"


def test_losers_serve_stale_instead_of_waiting(client: redis.Redis) -> None:
    db = SlowDatabase(delay_s=0.3, value=b"fresh")
    flight = SingleFlight(client, stale_seconds=60)
    client.set(stale_key("k"), b"stale", px=60_000)
    winner = threading.Thread(target=lambda: flight.get("k", db.load, ttl_seconds=10))
    winner.start()
    time.sleep(0.05)  # the winner now holds the lock and is loading
    started = time.monotonic()
    assert flight.get("k", db.load, ttl_seconds=10) == b"stale"
    assert time.monotonic() - started < 0.1
    winner.join()
    assert db.calls == 1
    assert client.get("k") == b"fresh"


def test_wait_is_bounded_when_the_lock_holder_is_stuck(client: redis.Redis) -> None:
    client.set(lock_key("k"), "someone-stuck", px=10_000)
    db = SlowDatabase(delay_s=0)
    flight = SingleFlight(client, wait_ms=200, poll_ms=20)
    started = time.monotonic()
    assert flight.get("k", db.load, ttl_seconds=10) == b"v1"
    assert 0.2 <= time.monotonic() - started < 1.0
    assert client.get("k") is None  # answered from the database without caching over someone's refill
