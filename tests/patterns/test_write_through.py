"""Stale reads after a write, measured on a real server: cache-aside vs write-through vs invalidate-on-write."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import redis

from advisor.patterns.cache_aside import cache_aside_get
from advisor.patterns.write_through import invalidate_on_write, write_through
from tests.patterns.hammer import SlowDatabase

WRITES = 30


def _stale_reads(write: Callable[[int], None], read: Callable[[], bytes]) -> tuple[int, int]:
    """(stale, total) reads while a writer writes versions 1..WRITES: a read is stale when it returns a
    version older than the last write that had *completed* before the read began."""
    completed = [0]
    stop = threading.Event()
    counts = [0, 0]

    def reader() -> None:
        while not stop.is_set():
            floor = completed[0]
            counts[0] += int(read()) < floor
            counts[1] += 1

    thread = threading.Thread(target=reader)
    thread.start()
    for version in range(1, WRITES + 1):
        write(version)
        completed[0] = version
        time.sleep(0.005)
    stop.set()
    thread.join()
    return counts[0], counts[1]


def test_write_through_never_serves_stale_after_the_write_returns(client: redis.Redis) -> None:
    # Only the writer writes the cache (the TTL outlives the test, so readers never refill), and it writes
    # the cache before returning: a read that starts afterwards can only see this version or a newer one.
    db = SlowDatabase(delay_s=0, value=b"0")
    client.set("k", b"0", px=60_000)
    stale, total = _stale_reads(
        write=lambda v: write_through(client, "k", str(v).encode(), db.save, ttl_seconds=60),
        read=lambda: cache_aside_get(client, "k", db.load, ttl_seconds=60),
    )
    assert total > WRITES
    assert stale == 0


def test_cache_aside_alone_serves_stale_until_the_ttl(client: redis.Redis) -> None:
    # Writing only the database leaves the cached copy in place until its TTL: nearly every read is stale.
    db = SlowDatabase(delay_s=0, value=b"0")
    client.set("k", b"0", px=60_000)
    stale, total = _stale_reads(
        write=lambda v: db.save(str(v).encode()),
        read=lambda: cache_aside_get(client, "k", db.load, ttl_seconds=60),
    )
    assert stale > total // 2


def test_cache_aside_stale_window_is_the_remaining_ttl(client: redis.Redis) -> None:
    db = SlowDatabase(delay_s=0, value=b"old")
    cache_aside_get(client, "k", db.load, ttl_seconds=0.5)
    db.save(b"new")
    written = time.monotonic()
    while cache_aside_get(client, "k", db.load, ttl_seconds=0.5) == b"old":
        time.sleep(0.005)
    window = time.monotonic() - written
    print(f"cache-aside stale window after a write: {window * 1000:.0f} ms (TTL 500 ms)")
    assert 0.4 < window < 0.9  # the TTL left, plus polling and scheduling delay on a busy machine


def test_invalidate_on_write_has_no_window_for_the_next_read(client: redis.Redis) -> None:
    db = SlowDatabase(delay_s=0, value=b"old")
    cache_aside_get(client, "k", db.load, ttl_seconds=60)
    invalidate_on_write(client, "k", b"new", db.save)
    assert client.exists("k") == 0
    assert cache_aside_get(client, "k", db.load, ttl_seconds=60) == b"new"
    assert db.calls == 2
