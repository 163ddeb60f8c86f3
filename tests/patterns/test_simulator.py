"""The simulator: deterministic, fast, sane against closed-form figures, and in agreement with a real server."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pytest
import redis

from advisor.patterns import simulator
from advisor.patterns.cache_aside import cache_aside_get
from advisor.patterns.simulator import (
    InvalidSimulation,
    Mitigation,
    SimulationParams,
    compare,
    key_rates,
    key_sample,
    rank_rates,
    refresher_capacity,
    simulate,
    simulation_params,
)
from advisor.patterns.single_flight import SingleFlight
from advisor.patterns.xfetch import xfetch_get
from tests.patterns.hammer import SlowDatabase, hammer

# One hot key takes half of 10,000 reads/s; 99 others share the rest, all written together at t=0.
HOT_KEY = SimulationParams(
    request_rate=10_000, key_count=100, hot_key_share=0.5, ttl_seconds=30, duration_seconds=120, seed=3
)


def test_key_rates_sum_to_the_request_rate_and_fall_with_rank() -> None:
    rates = key_rates(SimulationParams(request_rate=5_000, key_count=1_000))
    assert rates.sum() == pytest.approx(5_000)
    assert np.all(np.diff(rates) <= 0)
    hot = key_rates(HOT_KEY)
    assert hot[0] == pytest.approx(5_000)


def test_same_seed_same_result_other_seed_other_result() -> None:
    a, b = simulate(HOT_KEY), simulate(HOT_KEY)
    assert np.array_equal(a.db_load_per_s, b.db_load_per_s) and a.p99_latency_ms == b.p99_latency_ms
    c = simulate(HOT_KEY.model_copy(update={"seed": 4}))
    assert not np.array_equal(a.db_load_per_s, c.db_load_per_s)


def test_peak_db_load_orders_none_over_jitter_over_single_flight_on_a_hot_key() -> None:
    # At t = 30 s every key expires together. No mitigation: the hot key's herd (5,000 reads/s x 0.05 s =
    # 250 reloads) plus every other key missing within that second and their herds: about 600 in one second.
    # Jitter spreads the 99 other keys over 3 s but leaves the hot key's 250-reload herd: about 370.
    # Single-flight keeps the expiries together but each key reloads once: at most 100.
    results = compare(HOT_KEY, [Mitigation.NONE, Mitigation.JITTER, Mitigation.SINGLE_FLIGHT])
    none, jitter, single = (results[m].peak_db_load_per_s for m in results)
    assert none > jitter > single
    assert 450 < none < 800
    assert 250 < jitter < 500
    assert single <= 100


def test_jitter_beats_single_flight_when_a_whole_population_expires_together() -> None:
    # The other side of the same coin: 10,000 keys, none individually hot (Zipf). The peak is the wave of
    # keys written together, which only jitter spreads; single-flight only trims the top keys' herds.
    population = SimulationParams(request_rate=10_000, key_count=10_000, ttl_seconds=60, duration_seconds=300)
    results = compare(population, [Mitigation.NONE, Mitigation.JITTER, Mitigation.SINGLE_FLIGHT])
    assert results[Mitigation.JITTER].peak_db_load_per_s < 0.5 * results[Mitigation.SINGLE_FLIGHT].peak_db_load_per_s
    assert results[Mitigation.SINGLE_FLIGHT].peak_db_load_per_s < results[Mitigation.NONE].peak_db_load_per_s


def test_hit_ratio_matches_the_closed_form_for_one_key() -> None:
    # One key read 1,000 times/s, TTL 10 s, 50 ms refill. A lifetime lasts TTL + the wait for the next read
    # (1 ms on average) + the refill, and ends with 1 + 1,000 x 0.05 = 51 reads that miss.
    params = SimulationParams(request_rate=1_000, key_count=1, ttl_seconds=10, duration_seconds=3_600)
    result = simulate(params)
    expected = 1 - 51 / (1_000 * (10 + 0.001 + 0.05))
    assert result.hit_ratio == pytest.approx(expected, abs=0.0005)
    assert 0 < result.hit_ratio < 1
    # 0.5% of reads miss, under 1%: the p99 read is a cache hit.
    assert result.p99_latency_ms == params.hit_latency_ms


def test_single_flight_reloads_once_per_lifetime_and_waiters_pay_part_of_a_refill() -> None:
    params = SimulationParams(
        request_rate=5_000, key_count=1, ttl_seconds=1, duration_seconds=100, mitigation=Mitigation.SINGLE_FLIGHT
    )
    result = simulate(params)
    lifetimes = 100 / (1 + 0.05)
    assert result.db_calls == pytest.approx(lifetimes, abs=2)
    assert result.peak_db_load_per_s == 1
    # 250 waiters per 5,000 reads: 5% of reads wait, each for uniform(0, 50 ms), so the p99 is a waiter.
    assert 25 < result.p99_latency_ms < 50.5
    none = simulate(params.model_copy(update={"mitigation": Mitigation.NONE}))
    assert none.p99_latency_ms == params.refill_latency_ms
    assert none.db_calls / result.db_calls == pytest.approx(1 + 5_000 * 0.05, rel=0.1)


def test_xfetch_refreshes_a_hot_key_before_it_expires() -> None:
    params = SimulationParams(
        request_rate=5_000, key_count=1, ttl_seconds=10, duration_seconds=600, mitigation=Mitigation.XFETCH
    )
    result = simulate(params)
    # rate x delta = 250: the refresh comes about 0.05 x ln(250) = 0.28 s early; a few readers refresh.
    lifetimes = 600 / (10 + 0.05 - 0.05 * np.log(250))
    assert lifetimes <= result.db_calls <= 4 * lifetimes
    assert result.hit_ratio > 0.9999  # no expiry, no herd: only the refreshing readers wait
    # An expiry would bring 1 + 5,000 x 0.05 = 251 loads in one second. XFetch's followers (readers passing
    # the test during the refresh) are Poisson with mean (e - 1) x an Exp(1) draw per lifetime: about 2.7
    # calls per lifetime, and even the worst of 60 lifetimes stays an order of magnitude under a herd.
    assert result.peak_db_load_per_s <= 25
    assert result.db_calls / lifetimes == pytest.approx(np.e, rel=0.25)


def test_background_refresh_covers_only_what_it_can_keep_up_with() -> None:
    params = SimulationParams(
        request_rate=10_000, key_count=1_000, ttl_seconds=60, mitigation=Mitigation.BACKGROUND_REFRESH,
        refresh_ahead_keys=500,
    )
    # 12 s lead / 0.05 s per refresh = 240 keys per worker before the first expiry.
    assert refresher_capacity(params) == 240
    covered = simulate(params.model_copy(update={"hot_key_share": 0.9, "refresh_ahead_keys": 1}))
    # The hot key (90% of reads) never misses, so the hit ratio beats plain cache-aside's.
    plain = simulate(params.model_copy(update={"hot_key_share": 0.9, "mitigation": Mitigation.NONE}))
    assert covered.hit_ratio > plain.hit_ratio
    assert covered.peak_db_load_per_s < plain.peak_db_load_per_s


def test_every_mitigation_gives_sane_figures() -> None:
    for mitigation, result in compare(HOT_KEY, list(Mitigation)).items():
        assert 0 < result.hit_ratio <= 1, mitigation
        assert result.hits + result.db_waits + result.lock_waits == pytest.approx(result.requests)
        assert result.db_load_per_s.shape == result.bin_start_s.shape == (120,)
        assert result.db_load_per_s.sum() == pytest.approx(result.db_calls)
        assert HOT_KEY.hit_latency_ms <= result.p50_latency_ms <= result.p99_latency_ms


def test_bad_parameters_name_their_fields() -> None:
    with pytest.raises(InvalidSimulation) as caught:
        simulation_params(request_rate=-1, ttl_seconds=0, key_count=10)
    assert set(caught.value.fields) == {"request_rate", "ttl_seconds"}
    with pytest.raises(InvalidSimulation, match="simulated time / TTL"):
        simulation_params(ttl_seconds=0.001, duration_seconds=86_400)


def test_ten_thousand_reads_per_second_for_ten_minutes_is_fast() -> None:
    # The budget is 200 ms (bench/bench_simulator.py measures it); this only catches a tenfold regression.
    params = SimulationParams(request_rate=10_000, key_count=10_000, ttl_seconds=60, duration_seconds=600)
    for mitigation in Mitigation:
        started = time.perf_counter()
        simulate(params.model_copy(update={"mitigation": mitigation}))
        assert time.perf_counter() - started < 1.0, mitigation


def test_simulator_agrees_in_shape_with_a_real_server(client: redis.Redis) -> None:
    # The same hot key measured on redis-server with 200 threads, then simulated at each run's read rate.
    # The key is warmed at t=0 with a 1 s TTL; a refill adds 0.05 s, so a 2 s run holds exactly one expiry.
    # Real clients are a closed loop: a reader stuck in a 50 ms load issues nothing else, so at most 200
    # reads pile up on an expired key, as if arrivals ran at 200 / 0.05 s = 4,000/s (Little's law) while the
    # herd forms; the open-loop simulator is given that rate for the unmitigated run.
    ttl, seconds, threads, latency = 1.0, 2.0, 200, 0.05
    flight = SingleFlight(client)
    reads: dict[Mitigation, Callable[[SlowDatabase], bytes]] = {
        Mitigation.NONE: lambda db: cache_aside_get(client, "hot", db.load, ttl_seconds=ttl),
        Mitigation.SINGLE_FLIGHT: lambda db: flight.get("hot", db.load, ttl),
        Mitigation.XFETCH: lambda db: xfetch_get(client, "hot", db.load, ttl_seconds=ttl),
    }
    real: dict[Mitigation, float] = {}
    simulated: dict[Mitigation, float] = {}
    for mitigation, read in reads.items():
        client.flushdb()
        db = SlowDatabase(delay_s=latency)
        # Warm the key as the threads are released (the comparison is about expiry, not the cold start),
        # so the window always holds exactly one expiry.
        run = hammer(
            threads, seconds, read=lambda db=db, read=read: read(db), on_start=lambda db=db, read=read: read(db)
        )
        real[mitigation] = (db.calls - 1) / run.seconds
        rate = min(run.reads_per_second, threads / latency) if mitigation is Mitigation.NONE else run.reads_per_second
        # XFetch steers by the recompute time it measured, which a contended GIL stretches well past the
        # 50 ms sleep with 200 threads; the simulator's refill latency is that same recompute time.
        recompute = float(client.hget("hot", "delta")) if mitigation is Mitigation.XFETCH else latency
        params = SimulationParams(
            request_rate=rate, key_count=1, ttl_seconds=ttl, refill_latency_ms=recompute * 1000,
            duration_seconds=120, mitigation=mitigation,
        )
        simulated[mitigation] = simulate(params).mean_db_load_per_s
        print(f"{mitigation.value}: {run.reads_per_second:.0f} reads/s, recompute {recompute:.3f} s, "
              f"database loads/s real {real[mitigation]:.2f} simulated {simulated[mitigation]:.2f}")
    # Shape: the same ordering in both.
    for loads in (real, simulated):
        assert loads[Mitigation.NONE] > loads[Mitigation.XFETCH] > loads[Mitigation.SINGLE_FLIGHT]
    # Size: database reads per expiry without mitigation over with single-flight (one expiry in each real
    # run, a long steady state in the simulation) is the herd size; they agree within a small factor. The
    # factor is loose because a busy machine slows the real readers and so shrinks the real herd.
    real_herd = real[Mitigation.NONE] / real[Mitigation.SINGLE_FLIGHT]
    simulated_herd = simulated[Mitigation.NONE] / simulated[Mitigation.SINGLE_FLIGHT]
    assert 0.2 < real_herd / simulated_herd < 5


def test_rank_rates_match_every_key_and_the_normalising_sum_holds_for_a_billion_keys() -> None:
    params = SimulationParams(request_rate=1_000, key_count=50_000, zipf_exponent=0.8, hot_key_share=0.2)
    ranks = np.array([0, 1, 7, 12_345, 49_999])
    assert rank_rates(params, ranks) == pytest.approx(key_rates(params)[ranks], rel=1e-9)
    # s = 1: the harmonic number H(1e9) = ln(1e9) + 0.5772156649 + 1/(2e9) to 1e-9.
    huge = SimulationParams(request_rate=1_000, key_count=1_000_000_000)
    assert rank_rates(huge, np.array([0]))[0] == pytest.approx(1_000 / (np.log(1e9) + 0.5772156649), rel=1e-9)


def test_a_sample_stands_for_every_key_once() -> None:
    params = SimulationParams(key_count=2_000_000, ttl_seconds=1, duration_seconds=600)
    ranks, weights = key_sample(params, boundary=12_345)
    # 500,000 key-lifetimes / 600 lifetimes each: 833 keys, the hottest fifth (166) one by one.
    assert ranks.size <= 833 and np.all(np.diff(ranks) > 0)
    assert np.array_equal(ranks[:166], np.arange(166)) and np.all(weights[:166] == 1)
    assert weights.sum() == pytest.approx(2_000_000)
    below = ranks < 12_345  # the refresher's cover is a band edge: weights below it add up to it exactly
    assert weights[below].sum() == pytest.approx(12_345)


def test_a_sampled_run_estimates_the_full_run(monkeypatch: pytest.MonkeyPatch) -> None:
    # 20,000 keys at TTL 1 s for 600 s: the sample holds 833 keys; every key when the budget is lifted.
    params = SimulationParams(request_rate=20_000, key_count=20_000, ttl_seconds=1, duration_seconds=600)
    for mitigation in (Mitigation.NONE, Mitigation.JITTER_SINGLE_FLIGHT, Mitigation.XFETCH):
        run = params.model_copy(update={"mitigation": mitigation})
        sampled = simulate(run)
        monkeypatch.setattr(simulator, "KEY_LIFETIME_BUDGET", 10**12)
        full = simulate(run)
        monkeypatch.undo()
        assert sampled.simulated_keys <= 833 and full.simulated_keys == 20_000
        assert sampled.hit_ratio == pytest.approx(full.hit_ratio, abs=0.01), mitigation
        assert sampled.mean_db_load_per_s == pytest.approx(full.mean_db_load_per_s, rel=0.05), mitigation


def test_mean_latency_differs_between_mitigations_where_p99_cannot() -> None:
    # Over 1% of reads go to the database in every run, so every p99 is the 50 ms refill; the mean is not:
    # single-flight's waiters pay half a refill on average instead of a whole one.
    params = SimulationParams(request_rate=20_000, key_count=20_000, ttl_seconds=1, duration_seconds=300)
    results = compare(params, [Mitigation.NONE, Mitigation.SINGLE_FLIGHT])
    none, single = results[Mitigation.NONE], results[Mitigation.SINGLE_FLIGHT]
    assert none.p99_latency_ms == single.p99_latency_ms == 50
    assert single.mean_latency_ms < none.mean_latency_ms
    expected = (none.hits * 0.5 + none.db_waits * 50) / none.requests
    assert none.mean_latency_ms == pytest.approx(expected)
