"""Stratified estimates from the measured keys: totals with 95% intervals, by type, TTL share, prefixes.

Each cluster primary is one stratum: total = sum over nodes of DBSIZE x mean MEMORY USAGE of the sampled keys,
with a 95% interval from the sample's standard error (finite-population corrected). SCAN visits hash buckets,
and a key's bucket is a hash of its name, so the keys SCAN returns are a sample unrelated to their sizes.
"""

from __future__ import annotations

import heapq
import math
import re
from dataclasses import dataclass

import numpy as np

from advisor.live.keyspace_scan import NodeSample, SampleSettings

Z95 = 1.96
BIGGEST_KEYS = 10
TOP_PREFIXES = 20
HOT_IDLE_SECONDS = 3600  # a key read or written within the last hour counts as part of the hot set


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its 95% confidence interval (equal bounds when measured exactly)."""

    value: float
    low: float
    high: float

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2

    def contains(self, x: float) -> bool:
        return self.low <= x <= self.high


@dataclass(frozen=True)
class TypeEstimate:
    type: str
    sampled_keys: int
    keys: Estimate
    bytes: Estimate
    mean_bytes_per_key: float


@dataclass(frozen=True)
class KeySample:
    key: str
    type: str
    bytes: int
    ttl_s: int  # -1: no expiry


@dataclass(frozen=True)
class PrefixStat:
    pattern: str
    sampled_keys: int
    share_of_keys: float
    share_of_bytes: float
    mean_bytes: float


@dataclass(frozen=True)
class KeyspaceReport:
    mode: str  # "sampled" or "full"
    nodes: int
    total_keys: int  # DBSIZE summed over primaries
    sampled_keys: int
    total_bytes: Estimate
    by_type: tuple[TypeEstimate, ...]
    no_ttl_share: Estimate
    biggest: tuple[KeySample, ...]
    prefixes: tuple[PrefixStat, ...]
    mean_key_bytes: float
    mean_bytes_per_key: float
    median_bytes_per_key: float
    p95_bytes_per_key: float
    hot_share: float | None  # share of sampled keys touched within HOT_IDLE_SECONDS; None if not tracked
    elapsed_s: float
    partial: bool = False
    stopped_reason: str = ""

    @property
    def share_touched(self) -> float:
        return self.sampled_keys / self.total_keys if self.total_keys else 0.0

    @property
    def keys_per_second(self) -> float:
        return self.sampled_keys / self.elapsed_s if self.elapsed_s else 0.0

    @property
    def label(self) -> str:
        return f"{self.mode}{' (PARTIAL)' if self.partial else ''}"



def strata_estimate(strata: list[tuple[int, np.ndarray]]) -> Estimate:
    """Stratified total: sum N_i * mean_i; variance sum N_i^2 (1 - n_i/N_i) s_i^2 / n_i."""
    total = 0.0
    variance = 0.0
    for population, values in strata:
        n = values.size
        if n == 0 or population == 0:
            continue
        total += population * float(values.mean())
        if n > 1 and n < population:
            variance += population**2 * (1 - n / population) * float(values.var(ddof=1)) / n
    half = Z95 * math.sqrt(variance)
    return Estimate(total, max(0.0, total - half), total + half)


_PREFIX = re.compile(r"^([^:|/]+[:|/])")
_ID_SUFFIX = re.compile(r"([0-9a-fA-F-]{8,}|\d+)$")


def key_pattern(key: str) -> str:
    match = _PREFIX.match(key)
    if match:
        return f"{match.group(1)}*"
    stripped = _ID_SUFFIX.sub("*", key)
    return stripped if stripped != key else "(no pattern)"


def build_report(samples: list[NodeSample], settings: SampleSettings, elapsed: float, partial: bool,
            reason: str) -> KeyspaceReport:
    usable = [s for s in samples if s.sizes]
    full = settings.full and all(s.complete for s in samples) and not partial

    def population(s: NodeSample) -> int:
        # A completed full scan saw every key: treat the sample as the population (exact, no interval).
        return len(s.sizes) if full or s.complete else max(s.dbsize, len(s.sizes))

    strata = [(population(s), np.asarray(s.sizes, dtype=float)) for s in usable]
    all_sizes = np.concatenate([v for _, v in strata]) if strata else np.array([])
    strata_types = [np.asarray(s.types) for s in usable]
    all_types = np.concatenate(strata_types) if strata_types else np.array([], dtype=str)
    by_type = []
    for key_type in sorted(set(all_types.tolist())):
        masks = [(p, (types == key_type).astype(float)) for (p, _), types in zip(strata, strata_types, strict=True)]
        byte_strata = [(p, v * m) for (p, v), (_, m) in zip(strata, masks, strict=True)]
        count = int(sum(m.sum() for _, m in masks))
        bytes_est = strata_estimate(byte_strata)
        keys_est = strata_estimate(masks)
        by_type.append(TypeEstimate(key_type, count, keys_est, bytes_est,
                                    float(np.mean(all_sizes[all_types == key_type]))))
    by_type.sort(key=lambda t: -t.bytes.value)
    total_pop = sum(p for p, _ in strata)
    no_ttl = strata_estimate([(p, np.asarray([t == -1 for t in s.ttls], dtype=float)) for (p, _), s in
                               zip(strata, usable, strict=True)])
    no_ttl_share = (Estimate(no_ttl.value / total_pop, no_ttl.low / total_pop, min(1.0, no_ttl.high / total_pop))
                    if total_pop else Estimate(0, 0, 0))
    # The largest per stratum by index (ties in scan order), then KeySamples for those candidates only.
    candidates = [KeySample(s.keys[i], s.types[i], s.sizes[i], s.ttls[i]) for s in usable
                  for i in heapq.nlargest(BIGGEST_KEYS, range(len(s.sizes)), key=s.sizes.__getitem__)]
    biggest = heapq.nlargest(BIGGEST_KEYS, candidates, key=lambda k: k.bytes)
    prefix_count: dict[str, int] = {}
    prefix_bytes: dict[str, int] = {}
    for s in usable:
        for key, size in zip(s.keys, s.sizes, strict=True):
            pattern = key_pattern(key)
            prefix_count[pattern] = prefix_count.get(pattern, 0) + 1
            prefix_bytes[pattern] = prefix_bytes.get(pattern, 0) + size
    sampled = int(all_sizes.size)
    sampled_bytes = float(all_sizes.sum()) or 1.0
    prefixes = sorted(
        (PrefixStat(p, c, c / sampled, prefix_bytes[p] / sampled_bytes, prefix_bytes[p] / c)
         for p, c in prefix_count.items()), key=lambda p: -p.sampled_keys,
    )[:TOP_PREFIXES]
    idle = [i for s in usable for i in s.idle if i is not None]
    return KeyspaceReport(
        mode="full" if settings.full else "sampled", nodes=len(samples),
        total_keys=sum(max(s.dbsize, len(s.sizes)) for s in samples), sampled_keys=sampled,
        total_bytes=strata_estimate(strata), by_type=tuple(by_type), no_ttl_share=no_ttl_share,
        biggest=tuple(biggest), prefixes=tuple(prefixes),
        mean_key_bytes=float(np.mean([b for s in usable for b in s.key_bytes])) if sampled else 0.0,
        mean_bytes_per_key=float(all_sizes.mean()) if sampled else 0.0,
        median_bytes_per_key=float(np.median(all_sizes)) if sampled else 0.0,
        p95_bytes_per_key=float(np.percentile(all_sizes, 95)) if sampled else 0.0,
        hot_share=(sum(1 for i in idle if i < HOT_IDLE_SECONDS) / len(idle)) if idle else None,
        elapsed_s=elapsed, partial=partial, stopped_reason=reason,
    )
