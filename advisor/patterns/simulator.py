"""A fast, seeded simulation of a cache in front of a database: how each stampede mitigation shapes database load.

Model. Each key is read as a Poisson process; popularity is Zipf-like (rank k gets weight 1 / k^s), optionally
with one hot key taking a fixed share. Instead of stepping through every request, the simulation steps through
*cache lifetimes*: a value is written, lives for its TTL, and the first read after expiry starts a refill that
takes the refill latency. Reads that arrive during that refill are the herd: with no lock each reloads the
database; with single-flight they wait for the one refill. Poisson arrivals make the gap to the first read after
expiry exponential and the herd size Poisson(rate x latency), so each lifetime of every key is drawn in one
vectorised step and the loop runs once per lifetime, not once per request.

Large key counts are simulated on a representative sample: the hottest keys exactly, and the long tail as
evenly spaced ranks from geometric rank bands, each sampled key standing for the keys of its band between it
and the next (its weight). Database calls and reads are counted with those weights, so totals, hit ratio and
load per second are estimates of the whole population whose work no longer grows with the key count.

With `warm_start` the whole population is written at t=0 (a deploy, a restart, a bulk pre-warm): the case where
keys written together expire together, which TTL jitter exists for.

Hit ratio counts a read as a hit only when it is answered from the cache without waiting for the database.
Latency: a hit costs `hit_latency_ms`; a read that loads the database costs the refill latency; a read that waits
for another caller's refill costs the rest of that refill (uniform between 0 and the refill latency).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from advisor.errors import AdvisorError, FieldProblem

MAX_LIFETIMES_PER_KEY = 1_000  # bounds the loop (one vectorised step per lifetime): duration / TTL
MAX_KEYS = 1_000_000_000  # the sample keeps the work flat; this only bounds the arithmetic of ranks
KEY_LIFETIME_BUDGET = 500_000  # keys simulated x lifetimes each: what keeps a run well under a second
MIN_SAMPLE_KEYS = 500  # never fewer keys than this (the first fifth exactly, the hottest)
_TAIL_BANDS = 20  # geometric rank bands the tail sample is spread over
_EXACT_SUM_TERMS = 10_000  # Zipf normalising sum: exact up to here, Euler-Maclaurin beyond
_WAIT_POINTS = 64  # a waiter's latency is uniform; this many equal-weight points stand for it in the quantile


class Mitigation(StrEnum):
    NONE = "none"
    JITTER = "jitter"
    SINGLE_FLIGHT = "single_flight"
    JITTER_SINGLE_FLIGHT = "jitter_single_flight"
    XFETCH = "xfetch"
    BACKGROUND_REFRESH = "background_refresh"


class InvalidSimulation(AdvisorError):
    """Simulation parameters out of range; every bad field is listed."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__("Invalid simulation parameters: " + "; ".join(str(p) for p in problems))

    @property
    def fields(self) -> list[str]:
        return [p.field for p in self.problems]


class SimulationParams(BaseModel):
    """One scenario. Rates per second, times in seconds unless the name says ms."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    request_rate: float = Field(10_000, gt=0, le=10_000_000, description="Cache reads per second")
    key_count: int = Field(10_000, ge=1, le=MAX_KEYS, description="Number of distinct keys")
    zipf_exponent: float = Field(1.0, ge=0, le=3, description="Popularity skew s: rank k gets weight 1/k^s")
    hot_key_share: float = Field(0.0, ge=0, lt=1, description="Share of reads to one hot key (0: Zipf only)")
    ttl_seconds: float = Field(300, gt=0, le=86_400, description="Base TTL in seconds")
    refill_latency_ms: float = Field(50, gt=0, le=60_000, description="Database read time on a miss, ms")
    hit_latency_ms: float = Field(0.5, gt=0, le=1_000, description="Cache read time on a hit, ms")
    duration_seconds: float = Field(600, gt=0, le=86_400, description="Simulated time in seconds")
    mitigation: Mitigation = Field(Mitigation.NONE, description="Stampede mitigation")
    jitter_fraction: float = Field(0.1, ge=0, le=1, description="Jitter as a share of the TTL")
    xfetch_beta: float = Field(1.0, gt=0, le=10, description="XFetch beta (> 1 refreshes earlier)")
    refresh_ahead_keys: int = Field(100, ge=0, le=100_000, description="Hot keys the refresher rewrites")
    refresh_lead_fraction: float = Field(0.2, gt=0, lt=1, description="Refresh this share of the TTL early")
    refresher_workers: int = Field(1, ge=1, le=64, description="Refresher threads")
    warm_start: bool = Field(True, description="All keys written at t=0 (deploy, restart, pre-warm)")
    bin_seconds: float = Field(1.0, gt=0, le=3600, description="Width of a database-load bin, seconds")
    seed: int = Field(0, ge=0, description="Random seed")

    @model_validator(mode="after")
    def _bounded_work(self) -> SimulationParams:
        if self.duration_seconds / self.ttl_seconds > MAX_LIFETIMES_PER_KEY:
            raise ValueError(f"simulated time / TTL must be at most {MAX_LIFETIMES_PER_KEY:,} lifetimes of a key: "
                             "raise the TTL or shorten the simulated time")
        if self.duration_seconds / self.bin_seconds > 1_000_000:
            raise ValueError("duration / bin_seconds must be at most 1,000,000")
        return self


_BOUND_WORDS = {"greater_than": "more than", "greater_than_equal": "at least", "less_than": "less than",
                "less_than_equal": "at most"}


def _plain_reason(error: Mapping[str, Any]) -> str:
    """A validation error in the words of the page: the bound and the field's unit, not the library's text."""
    ctx = error.get("ctx") or {}
    for kind, words in _BOUND_WORDS.items():
        if error["type"] == kind:
            (limit,) = ctx.values()
            shown = int(limit) if float(limit).is_integer() else limit
            meaning = SimulationParams.model_fields[str(error["loc"][0])].description or ""
            return f"must be {words} {shown:,} ({meaning})"
    if error["type"] in ("int_parsing", "int_from_float"):
        return "must be a whole number"
    if error["type"] in ("float_parsing", "float_type", "int_type"):
        return "must be a number"
    return str(error["msg"]).removeprefix("Value error, ")


def simulation_params(**values: object) -> SimulationParams:
    """Validated parameters, or InvalidSimulation naming every bad field."""
    try:
        return SimulationParams.model_validate(values)
    except ValidationError as exc:
        problems = [
            FieldProblem(".".join(str(p) for p in err["loc"]) or "duration_seconds", _plain_reason(err))
            for err in exc.errors()
        ]
        raise InvalidSimulation(problems) from None


@dataclass(frozen=True)
class SimulationResult:
    mitigation: Mitigation
    simulated_keys: int  # keys simulated one by one; fewer than key_count when the tail was sampled
    bin_start_s: np.ndarray  # start of each bin, seconds
    db_load_per_s: np.ndarray  # database reads per second in each bin
    requests: float
    hits: float
    db_waits: float  # reads that loaded the database themselves
    lock_waits: float  # reads that waited for another caller's refill
    db_calls: float
    hit_ratio: float
    p50_latency_ms: float
    p99_latency_ms: float
    mean_latency_ms: float
    peak_db_load_per_s: float
    mean_db_load_per_s: float


@dataclass
class _Tally:
    """What the lifetime loop accumulates: database calls (time, count) and how reads were answered."""

    call_times: list[np.ndarray]
    call_counts: list[np.ndarray]
    db_waits: float = 0.0
    lock_waits: float = 0.0

    def calls(self, times: np.ndarray, counts: np.ndarray) -> None:
        self.call_times.append(times)
        self.call_counts.append(np.asarray(counts, dtype=np.float64))


def key_rates(params: SimulationParams) -> np.ndarray:
    """Reads per second of each key, most popular first; they sum to the request rate."""
    return rank_rates(params, np.arange(params.key_count))


def _zipf_sum(first: int, last: int, s: float) -> float:
    """sum of 1/k^s for k in [first, last] (1-based): exact for the first terms, Euler-Maclaurin for the rest."""
    if last < first:
        return 0.0
    cut = min(last, first + _EXACT_SUM_TERMS - 1)
    total = float((1.0 / np.arange(first, cut + 1, dtype=np.float64) ** s).sum())
    a, n = float(cut + 1), float(last)
    if n < a:
        return total
    integral = np.log(n / a) if s == 1 else (n ** (1 - s) - a ** (1 - s)) / (1 - s)
    return total + integral + (a ** -s + n ** -s) / 2 + s / 12 * (a ** (-s - 1) - n ** (-s - 1))


def rank_rates(params: SimulationParams, ranks: np.ndarray) -> np.ndarray:
    """Reads per second of the keys at these 0-based popularity ranks, without building every key's rate."""
    s, n = params.zipf_exponent, params.key_count
    raw = 1.0 / (ranks.astype(np.float64) + 1) ** s
    if params.hot_key_share > 0 and n > 1:
        rest = np.where(ranks == 0, 0.0, raw / _zipf_sum(2, n, s) * (1 - params.hot_key_share))
        return np.where(ranks == 0, params.hot_key_share, rest) * params.request_rate
    return raw / _zipf_sum(1, n, s) * params.request_rate


def key_sample(params: SimulationParams, boundary: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(ranks, weights): every key when the work allows; else the hottest fifth of a sample and a weighted tail.

    The sample is as large as KEY_LIFETIME_BUDGET allows at this TTL and simulated time (a short TTL means
    many lifetimes per key, so fewer keys).

    The tail is cut into geometric rank bands (and at `boundary`, so a band never straddles the refresher's
    cover); each band gets an equal share of the sample at evenly spaced ranks, each standing for the
    band's size / its share keys. Popularity falls smoothly with rank, so evenly spaced ranks represent a
    band well, and the sample is the same for every mitigation (a fair comparison).
    """
    n = params.key_count
    sample = max(MIN_SAMPLE_KEYS, int(KEY_LIFETIME_BUDGET * params.ttl_seconds / params.duration_seconds))
    if n <= sample:
        return np.arange(n), np.ones(n)
    exact = sample // 5
    edges = np.unique(np.concatenate((
        np.geomspace(exact, n, _TAIL_BANDS + 1).round().astype(np.int64),
        [boundary] if exact < boundary < n else [],
    )).astype(np.int64))
    per_band = (sample - exact) // (edges.size - 1)
    ranks, weights = [np.arange(exact)], [np.ones(exact)]
    for start, stop in itertools.pairwise(edges):
        size = int(stop - start)
        take = min(per_band, size)
        ranks.append(start + ((np.arange(take) + 0.5) * size / take).astype(np.int64))
        weights.append(np.full(take, size / take))
    return np.concatenate(ranks), np.concatenate(weights)


def refresher_capacity(params: SimulationParams) -> int:
    """How many of the hottest keys the refresher covers: no more than it can rewrite within the lead time.

    After a warm start every covered key falls due at once and the workers rewrite them serially, so more than
    workers x lead / refill latency keys would expire before their turn. The rest stay on plain cache-aside.
    """
    lead = params.ttl_seconds * params.refresh_lead_fraction
    keeps_up = int(params.refresher_workers * lead / (params.refill_latency_ms / 1000))
    return min(params.refresh_ahead_keys, params.key_count, keeps_up)


def simulate(params: SimulationParams) -> SimulationResult:
    rng = np.random.default_rng(params.seed)
    covered = refresher_capacity(params) if params.mitigation is Mitigation.BACKGROUND_REFRESH else 0
    ranks, weights = key_sample(params, boundary=covered)
    rates = rank_rates(params, ranks)
    tally = _Tally([], [])
    positions = np.arange(ranks.size)
    if covered:
        refreshed = ranks < covered
        _refresh_ahead(params, rates[refreshed], weights[refreshed], rng, tally)
        positions = positions[~refreshed]
    _lifetimes(params, positions, rates, weights, rng, tally)
    return _result(params, tally, ranks.size)


def _jitter(params: SimulationParams, size: int, rng: np.random.Generator) -> np.ndarray | float:
    if params.mitigation in (Mitigation.JITTER, Mitigation.JITTER_SINGLE_FLIGHT):
        return rng.uniform(0.0, params.ttl_seconds * params.jitter_fraction, size)
    return 0.0


def _first_expiry(params: SimulationParams, size: int, rng: np.random.Generator) -> np.ndarray:
    if params.warm_start:
        return np.full(size, params.ttl_seconds) + _jitter(params, size, rng)
    # Steady state: values were written at random moments during the last TTL.
    return rng.uniform(0.0, params.ttl_seconds, size) + _jitter(params, size, rng)


def _lifetimes(
    params: SimulationParams, keys: np.ndarray, rates: np.ndarray, weights: np.ndarray, rng: np.random.Generator,
    tally: _Tally,
) -> None:
    """Cache-aside with or without jitter, single-flight or XFetch, one vectorised step per value lifetime.
    `keys` are positions in the sample; a sampled key's calls and reads count `weights` times."""
    latency = params.refill_latency_ms / 1000
    end = params.duration_seconds
    locked = params.mitigation in (Mitigation.SINGLE_FLIGHT, Mitigation.JITTER_SINGLE_FLIGHT)
    xfetch = params.mitigation is Mitigation.XFETCH
    expiry = _first_expiry(params, keys.size, rng)
    while keys.size:
        rate, weight = rates[keys], weights[keys]
        if xfetch:
            written = _xfetch_lifetime(params, rate, weight, expiry, rng, tally)
        else:
            first_miss = expiry + rng.exponential(1.0, keys.size) / rate
            alive = first_miss < end
            keys, rate, weight, first_miss = keys[alive], rate[alive], weight[alive], first_miss[alive]
            herd = rng.poisson(rate * latency) * weight
            if locked:
                tally.calls(first_miss, weight)
                tally.lock_waits += float(herd.sum())
                tally.db_waits += float(weight.sum())
            else:
                tally.calls(first_miss, herd + weight)
                tally.db_waits += float(herd.sum() + weight.sum())
            written = first_miss + latency
        alive = written < end
        keys, written = keys[alive], written[alive]
        expiry = written + params.ttl_seconds + _jitter(params, keys.size, rng)


def _xfetch_lifetime(
    params: SimulationParams, rate: np.ndarray, weight: np.ndarray, expiry: np.ndarray, rng: np.random.Generator,
    tally: _Tally,
) -> np.ndarray:
    """One lifetime under XFetch; returns when the new value is written (past the end for keys that are done).

    A read at time-to-expiry x refreshes with probability exp(-x / D), D = delta x beta, so early refreshes
    form a Poisson process of intensity rate x exp(-x / D). Its cumulative intensity from the write down to x
    is rate x D x (exp(-x/D) - exp(-ttl/D)); inverting it at an Exp(1) draw gives the first early refresh.
    """
    latency = params.refill_latency_ms / 1000
    scale = latency * params.xfetch_beta
    size = rate.size
    # One Exp(1) draw decides both cases: below the lifetime's whole early-refresh intensity it places the
    # first early refresh; above it, what is left over is (memorylessly) the wait for the first read after
    # expiry. Fewer random draws per lifetime, the same distribution.
    draw = rng.exponential(1.0, size)
    whole = rate * scale * (1.0 - np.exp(-params.ttl_seconds / scale))
    early = draw < whole
    level = np.minimum(draw / (rate * scale) + np.exp(-params.ttl_seconds / scale), 1.0)
    lead = np.where(early, -scale * np.log(level), 0.0)  # seconds before expiry
    trigger = expiry - lead
    # Readers that pass the test while the first refresh is still running refresh too (XFetch has no lock);
    # if the refresh finishes after expiry, reads in between miss and reload. Keys nobody read early enough
    # expire and stampede like plain cache-aside. Independent Poisson counts, so one draw of their sum.
    until = np.maximum(lead - latency, 0.0)
    late = np.maximum(trigger + latency - expiry, 0.0)
    followers = np.where(early, rate * scale * (np.exp(-until / scale) - np.exp(-lead / scale)) + rate * late,
                         rate * latency)
    start = np.where(early, trigger, expiry + (draw - whole) / rate)
    calls = (1.0 + rng.poisson(followers)) * weight
    inside = start < params.duration_seconds
    tally.calls(start[inside], calls[inside])
    tally.db_waits += float(calls[inside].sum())
    return np.where(inside, start + latency, np.inf)


def _refresh_ahead(
    params: SimulationParams, rates: np.ndarray, weights: np.ndarray, rng: np.random.Generator, tally: _Tally
) -> None:
    """The hot keys under a refresher that rewrites each one `lead` seconds before expiry; never read-triggered.

    Each worker refreshes serially, one refill latency per key, so when many keys fall due together (a warm
    start) they queue: completion_i = max(due_i, completion_{i-1}) + latency, computed with a running max
    (a sampled key standing for w keys takes w refill latencies of its worker).
    A key whose refresh completes after it expired misses in between, like plain cache-aside.
    """
    if rates.size == 0:
        return
    latency = params.refill_latency_ms / 1000
    lead = params.ttl_seconds * params.refresh_lead_fraction
    end = params.duration_seconds
    workers = params.refresher_workers
    expiry = _first_expiry(params, rates.size, rng)
    lane_free = np.zeros(workers)
    keys = np.arange(rates.size)
    while keys.size:
        due = expiry - lead
        order = np.argsort(due, kind="stable")
        keys, due, expiry = keys[order], due[order], expiry[order]
        work = weights[keys] * latency
        # Worker i takes every workers-th key in due order; lanes are the columns of a (rounds, workers) grid.
        # Padding cells (due -inf, no work) repeat their lane's last completion.
        rounds = -(-keys.size // workers)
        pad = rounds * workers - keys.size
        grid_due = np.concatenate((due, np.full(pad, -np.inf))).reshape(rounds, workers)
        grid_work = np.concatenate((work, np.zeros(pad))).reshape(rounds, workers)
        finished = np.cumsum(grid_work, axis=0)
        backlog = np.maximum.accumulate(grid_due - (finished - grid_work), axis=0)
        grid_done = finished + np.maximum(backlog, lane_free)
        lane_free = grid_done[-1]  # a padding cell (due -inf, no work) repeats its lane's last completion
        done = grid_done.reshape(-1)[:keys.size]
        started = done - work
        inside = started < end
        tally.calls(started[inside], weights[keys][inside])
        # A refresh that lands after expiry leaves a gap: the first read in it reloads (with its herd) as in
        # plain cache-aside. The capacity bound keeps this rare; it is counted, not hidden.
        rate = rates[keys]
        first_miss = expiry + rng.exponential(1.0, keys.size) / rate
        missed = (first_miss < done) & inside
        late = np.where(missed, 1 + rng.poisson(rate * latency), 0) * weights[keys]
        tally.calls(first_miss[missed], late[missed])
        tally.db_waits += float(late.sum())
        keys, expiry = keys[inside], done[inside] + params.ttl_seconds


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    index = int(np.searchsorted(cumulative, q * cumulative[-1], side="left"))
    return float(values[order][min(index, values.size - 1)])


def _result(params: SimulationParams, tally: _Tally, simulated_keys: int) -> SimulationResult:
    bins = int(np.ceil(params.duration_seconds / params.bin_seconds))
    times = np.concatenate(tally.call_times) if tally.call_times else np.empty(0)
    counts = np.concatenate(tally.call_counts) if tally.call_counts else np.empty(0)
    index = np.minimum((times / params.bin_seconds).astype(np.int64), bins - 1)
    load = np.bincount(index, weights=counts, minlength=bins) / params.bin_seconds
    requests = params.request_rate * params.duration_seconds
    hits = max(requests - tally.db_waits - tally.lock_waits, 0.0)
    refill_ms = params.refill_latency_ms
    wait_ms = params.hit_latency_ms + refill_ms * (np.arange(_WAIT_POINTS) + 0.5) / _WAIT_POINTS
    latencies = np.concatenate(([params.hit_latency_ms, refill_ms], wait_ms))
    weights = np.concatenate(([hits, tally.db_waits], np.full(_WAIT_POINTS, tally.lock_waits / _WAIT_POINTS)))
    return SimulationResult(
        mitigation=params.mitigation,
        simulated_keys=simulated_keys,
        bin_start_s=np.arange(bins) * params.bin_seconds,
        db_load_per_s=load,
        requests=requests,
        hits=hits,
        db_waits=tally.db_waits,
        lock_waits=tally.lock_waits,
        db_calls=float(counts.sum()),
        hit_ratio=hits / requests,
        p50_latency_ms=_weighted_quantile(latencies, weights, 0.50),
        p99_latency_ms=_weighted_quantile(latencies, weights, 0.99),
        mean_latency_ms=float((latencies * weights).sum() / weights.sum()),
        peak_db_load_per_s=float(load.max()) if bins else 0.0,
        mean_db_load_per_s=float(counts.sum()) / params.duration_seconds,
    )


def compare(params: SimulationParams, mitigations: list[Mitigation]) -> dict[Mitigation, SimulationResult]:
    """The same scenario and seed under each mitigation, for a side-by-side view."""
    return {m: simulate(params.model_copy(update={"mitigation": m})) for m in mitigations}
