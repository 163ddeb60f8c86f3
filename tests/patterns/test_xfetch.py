"""XFetch: the early-refresh test behaves as the paper says, and on a real server hot keys refresh before expiry."""

from __future__ import annotations

import math
import random

import redis
from hypothesis import given
from hypothesis import strategies as st

from advisor.patterns.cache_aside import cache_aside_get
from advisor.patterns.xfetch import should_refresh_early, xfetch_get
from tests.patterns.hammer import SlowDatabase, hammer

unit = st.floats(min_value=1e-12, max_value=1.0)


@given(now=st.floats(0, 1e6), delta=st.floats(0, 10), expiry=st.floats(0, 1e6))
def test_rand_of_one_refreshes_exactly_at_expiry(now: float, delta: float, expiry: float) -> None:
    # ln(1) = 0: with no randomness left XFetch is a plain expiry check.
    assert should_refresh_early(now, delta, expiry, 1.0, 1.0) is (now >= expiry)


@given(delta=st.floats(0.001, 10), rand=unit, beta=st.floats(0.1, 5), before=st.floats(0, 100))
def test_refreshes_early_by_at_most_delta_beta_ln_rand(delta: float, rand: float, beta: float, before: float) -> None:
    expiry = 1_000.0
    bound = -delta * beta * math.log(rand)
    early = should_refresh_early(expiry - before, delta, expiry, beta, rand)
    # Away from the boundary, where float rounding of `expiry - before` cannot decide it.
    if before < bound - 1e-9:
        assert early
    if before > bound + 1e-9:
        assert not early


@given(delta=st.floats(0.001, 10), rand=unit, before=st.floats(0, 100))
def test_larger_beta_never_refreshes_later(delta: float, rand: float, before: float) -> None:
    if should_refresh_early(1_000 - before, delta, 1_000, 1.0, rand):
        assert should_refresh_early(1_000 - before, delta, 1_000, 2.0, rand)


def test_first_read_loads_then_hits(client: redis.Redis) -> None:
    db = SlowDatabase(delay_s=0.01)
    assert xfetch_get(client, "k", db.load, ttl_seconds=30) == b"v1"
    assert xfetch_get(client, "k", db.load, ttl_seconds=30, rng=random.Random(0)) == b"v1"
    assert db.calls == 1
    assert float(client.hget("k", "delta")) >= 0.01
    assert 29_000 < client.pttl("k") <= 30_000


def test_hot_key_refreshes_before_it_expires(client: redis.Redis) -> None:
    # At thousands of reads/s and delta = 0.05 s, rate x delta is in the hundreds, and the chance that
    # nobody refreshes before expiry is about exp(-rate x delta): every refresh should find the key present.
    # The first refresh comes about delta x ln(rate x delta) before expiry (0.3 s here), so a value lives
    # ttl + delta - delta x ln(rate x delta); in each such cycle about e readers refresh (the paper's bound is
    # a small constant), where plain cache-aside would have all 50 threads reload.
    db = SlowDatabase(delay_s=0.05)
    key_present_at_load: list[bool] = []

    def load() -> bytes:
        key_present_at_load.append(client.exists("hot") == 1)
        return db.load()

    ttl = 1.0
    # XFetch cannot help a key that is not cached yet (50 cold readers would all load): warm it first.
    xfetch_get(client, "hot", load, ttl_seconds=ttl)
    assert key_present_at_load == [False]
    run = hammer(50, 2.0, read=lambda: xfetch_get(client, "hot", load, ttl_seconds=ttl))
    delta = float(client.hget("hot", "delta"))
    lifetime = ttl + delta - delta * math.log(run.reads_per_second * delta)
    cycles = run.seconds / lifetime
    loads = db.calls - 1
    print(f"xfetch: {loads} loads in {cycles:.1f} refresh cycles (TTL {ttl} s, delta {delta:.3f} s) "
          f"at {run.reads_per_second:.0f} reads/s")
    # On an idle machine every refresh finds the key present; on a starved one (a shared CI box at load 12) a
    # reader can stall past the early-refresh window now and then. Plain cache-aside finds it absent every time
    # (the control below), so "at least three refreshes in four came before expiry" still tells them apart.
    early = sum(key_present_at_load[1:])
    assert early >= 0.75 * loads, f"only {early} of {loads} refreshes came before the key expired"
    assert loads >= int(cycles)  # refreshed in every cycle ...
    # ... by a handful of readers, not all 50: about e per cycle idle; a starved machine once gave 23 in 2.7
    # cycles, so the bound leaves room for that and stays far below the 50 a cycle of plain cache-aside costs.
    assert loads <= 12 * (cycles + 1)


def test_same_traffic_without_xfetch_stampedes_every_window(client: redis.Redis) -> None:
    # The control for the test above: plain cache-aside under the same 50 threads.
    db = SlowDatabase(delay_s=0.05)
    run = hammer(50, 2.0, read=lambda: cache_aside_get(client, "hot", db.load, ttl_seconds=0.5))
    windows = run.seconds / 0.55
    print(f"cache-aside: {db.calls} loads in about {windows:.1f} expiries")
    assert db.calls > 10 * windows
