"""Caching pattern and thundering-herd mitigations matched to the workload."""

from __future__ import annotations

from advisor import docs
from advisor.findings import Finding, Severity
from advisor.pricing.book import PriceBook
from advisor.recommendation import Recommendation
from advisor.rules.registry import rule
from advisor.workload import PER_ITEM_OVERHEAD_BYTES, Feature, TrafficShape, Workload

WRITE_HEAVY_SHARE = 0.30  # writes at or above 30% of requests: caching every write stops being waste
HOT_KEY_READS_PER_KEY_PER_SEC = 1.0  # on average every key read at least once a second: expiries stampede
BURSTY_PEAK_TO_AVERAGE = 3.0


def estimated_items(w: Workload) -> float:
    if w.item_count is not None:
        return float(w.item_count)
    return w.current_dataset_gb * 1e9 / (w.avg_key_bytes + w.avg_value_bytes + PER_ITEM_OVERHEAD_BYTES)


def caching_pattern(rec: Recommendation, book: PriceBook) -> Finding:
    w = rec.workload
    total = w.avg_reads_per_sec + w.avg_writes_per_sec
    write_share = w.avg_writes_per_sec / total if total else 0.0
    evidence = {"write share": f"{write_share:.0%}", "reads/s": f"{w.avg_reads_per_sec:,.0f}",
                "writes/s": f"{w.avg_writes_per_sec:,.0f}"}
    if write_share >= WRITE_HEAVY_SHARE or Feature.PERSISTENCE in w.feature_set:
        return Finding(
            id="pattern.caching", severity=Severity.ADVICE, title="Write-through, with lazy loading for misses",
            decision="Write to the database and the cache in the same code path (write-through), set a TTL on "
                     "every key, and lazy-load on a miss so new or replaced nodes fill up.",
            rationale="Most data read is also written here, so keeping it current on write avoids stale reads; "
                      "the write penalty is acceptable and a TTL bounds cache churn.",
            evidence=evidence, docs=[docs.CACHING_STRATEGIES, docs.CACHING_BEST_PRACTICES],
            patterns=["write_through", "cache_aside"],
        )
    return Finding(
        id="pattern.caching", severity=Severity.ADVICE, title="Cache-aside (lazy loading) with TTLs",
        decision="Read the cache first, load from the database on a miss and store with a TTL; delete the key "
                 "when the source row changes (invalidate-on-write).",
        rationale="Reads dominate, so caching only what is requested keeps memory for hot data; invalidating on "
                  "write bounds staleness without paying a cache write for data nobody reads.",
        evidence=evidence, docs=[docs.CACHING_STRATEGIES, docs.CACHING_BEST_PRACTICES],
        patterns=["cache_aside", "invalidate_on_write"],
    )


rule("pattern.caching")(caching_pattern)


def herd(rec: Recommendation, book: PriceBook) -> Finding:
    w = rec.workload
    items = max(estimated_items(w), 1.0)
    reads_per_key = w.avg_reads_per_sec / items
    chosen = ["ttl_jitter"]
    reasons = ["TTL jitter (up to 10% of the TTL) so keys written together do not expire together"]
    hot_keys = reads_per_key >= HOT_KEY_READS_PER_KEY_PER_SEC or w.avg_reads_per_sec >= 10_000
    bursty = w.peak_to_average >= BURSTY_PEAK_TO_AVERAGE or w.traffic_shape == TrafficShape.SPIKY
    # Jitter spreads many keys' expiries but does nothing for one hot key: every reader of that key still
    # misses together, so hot keys need single-flight too (the patterns lab measures exactly this).
    memcached = rec.engine == "memcached"
    if bursty or hot_keys:
        chosen.append("single_flight")
        lock = ("Memcached add of a lock key with an expiry, delete when done" if memcached
                else "SET lock NX PX, compare-and-delete release")
        reasons.append(f"single-flight refill ({lock}) so a burst of misses on one key sends one query to the "
                       "database")
    if hot_keys:
        chosen.append("xfetch")
        reasons.append("probabilistic early refresh (XFetch) so hot keys are recomputed just before they expire")
    if w.traffic_shape in (TrafficShape.STEADY, TrafficShape.DAILY_CYCLE) and w.avg_reads_per_sec >= 50_000:
        chosen.append("background_refresh")
        reasons.append("background refresh of the hottest keys so they never expire under load")
    return Finding(
        id="pattern.herd", severity=Severity.ADVICE, title="Thundering-herd mitigations",
        decision="Use " + "; ".join(reasons) + ".",
        rationale="When a popular key expires, every client that misses recomputes it at once and the database "
                  "takes the spike. " + ("The client hashes each key to one node: more nodes do not spread a single "
                                         "key." if memcached else
                                         "Replicas spread hot-key reads; cluster mode does not spread a single key."),
        evidence={"peak-to-average": f"{w.peak_to_average:g}", "reads per key per second":
                  f"{reads_per_key:,.3f}", "estimated keys": f"{items:,.0f}"},
        docs=[docs.CACHING_BEST_PRACTICES, docs.CACHING_STRATEGIES], patterns=chosen,
    )


rule("pattern.herd")(herd)
