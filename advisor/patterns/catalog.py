"""The caching patterns the advisor recommends, as data: stable id, when to use, trade-offs, and the tested code.

Reports and rules quote patterns by id, so ids never change. The code shown for each pattern is read with
`inspect.getsource` from the implementation that the real-server tests exercise, not a copy that could drift.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

from advisor import docs
from advisor.errors import AdvisorError
from advisor.patterns.cache_aside import cache_aside_get
from advisor.patterns.refresh_ahead import BackgroundRefresher
from advisor.patterns.simulator import Mitigation
from advisor.patterns.single_flight import SingleFlight, lock_key, stale_key
from advisor.patterns.ttl_jitter import jittered_ttl_ms
from advisor.patterns.write_through import invalidate_on_write, write_through
from advisor.patterns.xfetch import should_refresh_early, xfetch_get

XFETCH_PAPER = "https://www.vldb.org/pvldb/vol8/p886-vattani.pdf"


class UnknownPattern(AdvisorError, KeyError):
    """No pattern has this id."""


@dataclass(frozen=True)
class CachingPattern:
    id: str
    title: str
    summary: str
    when_to_use: str
    trade_offs: tuple[str, ...]
    code: str
    simulated_as: Mitigation | None  # the simulator mitigation that models it, if any
    docs: tuple[str, ...]
    builds_on: tuple[str, ...] = ()  # ids of patterns whose code this code calls (copy those too)


def _source(*objects: Callable[..., object] | type) -> str:
    return "\n\n".join(inspect.getsource(obj).rstrip() for obj in objects) + "\n"


PATTERNS: tuple[CachingPattern, ...] = (
    CachingPattern(
        id="cache_aside",
        title="Cache-aside (lazy loading)",
        summary="Read the cache; on a miss read the database and write the value back with a TTL.",
        when_to_use="The default for read-heavy data that tolerates being a TTL out of date.",
        trade_offs=(
            "Only data that is read gets cached, and losing a node costs misses, not errors.",
            "A miss costs three trips (cache, database, cache) and the value can be stale until its TTL.",
            "Many readers missing a hot key at once all hit the database: pair hot keys with a stampede guard.",
        ),
        code=_source(cache_aside_get),
        simulated_as=Mitigation.NONE,
        docs=(docs.CACHING_STRATEGIES, docs.CACHING_BEST_PRACTICES),
        builds_on=("ttl_jitter",),
    ),
    CachingPattern(
        id="write_through",
        title="Write-through",
        summary="Every database write also writes the cache, so reads after a write see the new value.",
        when_to_use="Data read soon after it is written, where stale reads are not acceptable.",
        trade_offs=(
            "Reads never see a value older than the last completed write.",
            "Every write pays a cache write, and values nobody reads still occupy memory: keep a TTL.",
            "A new or replaced node is empty until the next write: combine with cache-aside reads.",
            "Two concurrent writers can leave the cache holding the older value; serialise writes per key.",
        ),
        code=_source(write_through),
        simulated_as=None,
        docs=(docs.CACHING_STRATEGIES,),
        builds_on=("ttl_jitter",),
    ),
    CachingPattern(
        id="invalidate_on_write",
        title="Invalidate on write",
        summary="Every database write deletes the cached copy; the next read refills it through cache-aside.",
        when_to_use="Write-heavy keys that are read rarely, or values that are expensive to build on every write.",
        trade_offs=(
            "No cache write per database write, and no memory spent on values nobody reads.",
            "The first read after each write is a miss; on a hot key that miss can stampede.",
            "A reader that loaded the old value before the write may write it back after the delete: keep TTLs.",
        ),
        code=_source(invalidate_on_write),
        simulated_as=None,
        docs=(docs.CACHING_STRATEGIES,),
    ),
    CachingPattern(
        id="ttl_jitter",
        title="TTL jitter",
        summary="TTL = base + uniform(0, jitter), so keys written together do not expire together.",
        when_to_use="Always, and especially after bulk loads, deploys, restarts or pre-warming.",
        trade_offs=(
            "Spreads the refills of a key population over the jitter window, cutting peak database load.",
            "Does nothing for a single hot key: its readers still stampede when it expires.",
            "Keys live up to `jitter` longer, so data can be that much staler; 10% of the TTL is typical.",
        ),
        code=_source(jittered_ttl_ms),
        simulated_as=Mitigation.JITTER,
        docs=(docs.CACHING_BEST_PRACTICES,),
    ),
    CachingPattern(
        id="single_flight",
        title="Single-flight refill (lock)",
        summary="On a miss one caller takes `SET lock:key token NX PX ms` and reloads; the others wait or serve stale.",
        when_to_use="Hot keys whose value is expensive to compute or whose database cannot take a burst.",
        trade_offs=(
            "Exactly one database read per expiry of a key, however many readers miss together.",
            "Readers that lose the race wait for the refill (up to a bound), unless a stale copy is kept.",
            "The lock TTL must exceed the slowest load; release with compare-and-delete, never a plain DEL.",
        ),
        code=_source(lock_key, stale_key, SingleFlight),
        simulated_as=Mitigation.SINGLE_FLIGHT,
        docs=(docs.CACHING_BEST_PRACTICES,),
        builds_on=("ttl_jitter",),
    ),
    CachingPattern(
        id="xfetch",
        title="Probabilistic early expiration (XFetch)",
        summary="Each read refreshes early with a probability that rises as expiry nears: "
        "refresh when now - delta x beta x ln(rand) >= expiry.",
        when_to_use="Hot keys with frequent reads where a lock is unwanted (no coordination, no waiting).",
        trade_offs=(
            "About one early refresh per expiry window whatever the number of readers, with no lock.",
            "Needs steady reads: a key nobody reads near its expiry still expires and can stampede.",
            "Stores the recompute time and expiry with the value (a hash), and refreshes slightly more often.",
        ),
        code=_source(should_refresh_early, xfetch_get),
        simulated_as=Mitigation.XFETCH,
        docs=(XFETCH_PAPER,),
    ),
    CachingPattern(
        id="background_refresh",
        title="Background refresh (refresh-ahead)",
        summary="A worker rewrites a bounded set of known hot keys before they expire; readers never miss them.",
        when_to_use="A small, known set of very hot keys (home page, configuration, leaderboards).",
        trade_offs=(
            "Hot keys never expire under load, so readers never wait for the database on them.",
            "Refreshes keys whether or not anyone reads them, and needs a process that stays running.",
            "One worker rewrites at most 1 / load-time keys per second: bound the hot set to what it can keep up with.",
        ),
        code=_source(BackgroundRefresher),
        simulated_as=Mitigation.BACKGROUND_REFRESH,
        docs=(docs.CACHING_STRATEGIES,),
    ),
)

_BY_ID = {pattern.id: pattern for pattern in PATTERNS}


def pattern_by_id(pattern_id: str) -> CachingPattern:
    try:
        return _BY_ID[pattern_id]
    except KeyError:
        raise UnknownPattern(f"no caching pattern '{pattern_id}'; known: {', '.join(_BY_ID)}") from None


def pattern_ids() -> tuple[str, ...]:
    return tuple(_BY_ID)


def _check_builds_on() -> None:
    for pattern in PATTERNS:
        unknown = [ref for ref in pattern.builds_on if ref not in _BY_ID]
        if unknown:
            raise ValueError(f"pattern {pattern.id} builds on unknown ids {unknown}")


_check_builds_on()  # a typo in the table fails at import, not on the page
