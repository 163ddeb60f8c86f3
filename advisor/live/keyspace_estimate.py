"""Stratified estimates from the measured keys: totals with 95% intervals, by type, TTL share, prefixes.

Each cluster primary is one stratum: total = sum over nodes of DBSIZE x mean MEMORY USAGE of the sampled keys,
with a 95% interval from the sample's standard error (finite-population corrected). SCAN visits hash buckets,
and a key's bucket is a hash of its name, so the keys SCAN returns are a sample unrelated to their sizes.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from advisor.live.keyspace_scan import NodeSample, SampleSettings
from advisor.wording import count_noun

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
    sampled_keys: int  # keys measured (sample and big keys)
    total_bytes: Estimate
    by_type: tuple[TypeEstimate, ...]
    no_ttl_share: Estimate
    biggest: tuple[KeySample, ...]
    prefixes: tuple[PrefixStat, ...]
    mean_key_bytes: float
    mean_bytes_per_key: float  # the estimated total over the key count, big keys included
    median_bytes_per_key: float
    p95_bytes_per_key: float
    hot_share: float | None  # share of sampled keys touched within HOT_IDLE_SECONDS; None if not tracked
    elapsed_s: float
    partial: bool = False
    stopped_reason: str = ""
    refused: tuple[tuple[str, int], ...] = ()  # ("COMMAND: server's reason", probes refused), most first
    gone_keys: int = 0  # deleted or expired between SCAN and their measurement
    big_keys: int = 0  # keys of SampleSettings.big_key_bytes or more, each measured on its own
    big_search: str = ""  # how far the big-key search got, in words
    server_dataset_bytes: int | None = None  # INFO used_memory_dataset summed over primaries
    server_check: str = ""  # how the estimate compares with the server's own figure, in words
    problems: tuple[str, ...] = ()  # reasons the estimate must not be applied to a workload
    size_histogram: tuple[tuple[str, float], ...] = ()  # (bucket, share of sampled keys)
    ttl_histogram: tuple[tuple[str, float], ...] = ()  # (bucket, share of sampled keys)

    @property
    def refused_probes(self) -> int:
        return sum(n for _, n in self.refused)

    @property
    def applicable(self) -> bool:
        return not self.problems

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


@dataclass
class _Stratum:
    population: int
    keys: list[str]
    key_bytes: list[int]
    sizes: np.ndarray
    types: np.ndarray
    ttls: list[int]
    idle: list[int | None]


def _strata(sample: NodeSample, exact: bool) -> tuple[_Stratum, _Stratum]:
    """The node's small keys (sampled) and its big keys (each counted once, exactly)."""
    big = sample.big
    big_names = set(big.keys) if big else set()
    keep = [i for i, k in enumerate(sample.keys) if k not in big_names]

    def pick(values: list) -> list:  # type: ignore[type-arg]
        return [values[i] for i in keep]

    sizes = pick(sample.sizes)
    big_count = len(big.sizes) if big else 0
    population = len(sizes) if exact or sample.complete else max(sample.dbsize - big_count, len(sizes))
    small = _Stratum(population, pick(sample.keys), pick(sample.key_bytes), np.asarray(sizes, dtype=float),
                     np.asarray(pick(sample.types), dtype=object), pick(sample.ttls), pick(sample.idle))
    big = big or NodeSample(sample.address, 0)
    return small, _Stratum(len(big.sizes), big.keys, big.key_bytes, np.asarray(big.sizes, dtype=float),
                           np.asarray(big.types, dtype=object), big.ttls, big.idle)


SIZE_BUCKETS = ((128, "under 128 B"), (1024, "128 B - 1 KiB"), (16 << 10, "1 - 16 KiB"), (1 << 20, "16 KiB - 1 MiB"),
                (None, "1 MiB or more"))
TTL_BUCKETS = ((60, "under 1 min"), (3600, "1 min - 1 h"), (86_400, "1 h - 1 day"), (7 * 86_400, "1 - 7 days"),
               (None, "7 days or more"))


def _histogram(values: list[int] | np.ndarray,
               buckets: tuple[tuple[int | None, str], ...]) -> tuple[tuple[str, float], ...]:
    if not len(values):
        return ()
    edges = [upper for upper, _ in buckets if upper is not None]
    counts = np.bincount(np.searchsorted(np.asarray(edges), np.asarray(values), side="right"),
                         minlength=len(buckets))
    return tuple((label, int(c) / len(values)) for (_, label), c in zip(buckets, counts, strict=True))


def _big_search(samples: list[NodeSample], settings: SampleSettings, exact: bool) -> str:
    if exact:
        return "not needed: every key was measured"
    if not settings.find_big_keys:
        return "off: a key far larger than the rest is found only if the sample happens to include it"
    swept = sum(s.swept_keys for s in samples)
    if all(s.sweep_complete or s.complete for s in samples):
        return f"complete: {swept:,} keys probed once each"
    total = sum(s.dbsize for s in samples) or 1
    return (f"incomplete: {swept:,} of {total:,} keys probed before the time budget or ops cap stopped it; "
            "a big key in the rest is found only if the sample includes it")


def _cross_check(total: Estimate, samples: list[NodeSample], partial: bool) -> tuple[int | None, str, str | None]:
    """(server's dataset bytes, the comparison in words, a problem if they disagree beyond the interval).

    MEMORY USAGE summed over every key comes within a few percent of INFO used_memory_dataset (both count keys,
    values and per-key overhead; the dataset also counts the main dictionary's buckets). A 15% (+2 MiB) margin
    around the 95% interval covers that difference, so a miss beyond it means the estimate is wrong."""
    figures = [s.dataset_bytes for s in samples]
    if any(f is None for f in figures):
        return None, "INFO does not report used_memory_dataset here: no cross-check against the server.", None
    dataset = sum(f for f in figures if f is not None)
    if partial:
        return dataset, "not compared: the scan is partial.", None
    if any(s.other_db_keys for s in samples):
        return dataset, ("not compared: other databases hold keys too, and INFO's dataset figure counts them "
                         "all."), None
    margin = 0.15 * dataset + 2 * 2**20
    low, high = total.low - margin, total.high + margin
    mib = 2**20
    words = (f"the server's own figure (INFO used_memory_dataset) is {dataset / mib:,.1f} MiB; the estimate is "
             f"{total.value / mib:,.1f} MiB (95% {total.low / mib:,.1f} to {total.high / mib:,.1f} MiB)")
    if low <= dataset <= high:
        return dataset, f"Agrees: {words}.", None
    return dataset, f"DISAGREES: {words}.", (
        f"The estimate disagrees with the server's own figure beyond its interval ({words}): the sample missed "
        "or over-weighted some keys. Run a full scan, or let the big-key search finish (raise the time budget "
        "or the ops cap).")


def build_report(samples: list[NodeSample], settings: SampleSettings, elapsed: float, partial: bool,
                 reason: str) -> KeyspaceReport:
    # A full scan that went all the way round on every node saw every key: exact, no interval. Cut short by
    # its time budget it is partial: a first-come sample of bucket order, not the "full" it was asked for.
    exact = settings.full and all(s.complete for s in samples) and not partial
    partial = partial or (settings.full and not exact)
    pairs_by_node = [_strata(s, exact) for s in samples]
    strata = [st for pair in pairs_by_node for st in pair if st.sizes.size]
    small = [pair[0] for pair in pairs_by_node if pair[0].sizes.size]
    pairs = [(st.population, st.sizes) for st in strata]
    total_bytes = strata_estimate(pairs)
    by_type = []
    for key_type in sorted({t for st in strata for t in st.types.tolist()}):
        masks = [(st.population, (st.types == key_type).astype(float)) for st in strata]
        bytes_est = strata_estimate([(st.population, st.sizes * m) for st, (_, m) in zip(strata, masks, strict=True)])
        keys_est = strata_estimate(masks)
        count = int(sum(m.sum() for _, m in masks))
        by_type.append(TypeEstimate(key_type, count, keys_est, bytes_est,
                                    bytes_est.value / keys_est.value if keys_est.value else 0.0))
    by_type.sort(key=lambda t: -t.bytes.value)
    total_pop = sum(st.population for st in strata)
    no_ttl = strata_estimate([(st.population, np.asarray([t == -1 for t in st.ttls], dtype=float))
                              for st in strata])
    no_ttl_share = (Estimate(no_ttl.value / total_pop, no_ttl.low / total_pop, min(1.0, no_ttl.high / total_pop))
                    if total_pop else Estimate(0, 0, 0))
    # The largest per stratum by index (ties in scan order), then KeySamples for those candidates only.
    candidates = [KeySample(st.keys[i], str(st.types[i]), int(st.sizes[i]), st.ttls[i]) for st in strata
                  for i in heapq.nlargest(BIGGEST_KEYS, range(st.sizes.size), key=st.sizes.__getitem__)]
    biggest = heapq.nlargest(BIGGEST_KEYS, candidates, key=lambda k: k.bytes)
    # Patterns are weighted like every other estimate: each measured key stands for population / measured keys
    # of its stratum, and a big key for itself, so one 500 MB key shows as most of the memory it is.
    prefix_count: dict[str, int] = {}
    prefix_keys: dict[str, float] = {}
    prefix_bytes: dict[str, float] = {}
    for st in strata:
        weight = st.population / st.sizes.size
        for key, size in zip(st.keys, st.sizes.tolist(), strict=True):
            pattern = key_pattern(key)
            prefix_count[pattern] = prefix_count.get(pattern, 0) + 1
            prefix_keys[pattern] = prefix_keys.get(pattern, 0.0) + weight
            prefix_bytes[pattern] = prefix_bytes.get(pattern, 0.0) + weight * size
    small_sizes = np.concatenate([st.sizes for st in small]) if small else np.array([])
    measured = sum(st.sizes.size for st in strata)
    all_keys = sum(prefix_keys.values()) or 1.0
    all_bytes = sum(prefix_bytes.values()) or 1.0
    prefixes = sorted(
        (PrefixStat(p, c, prefix_keys[p] / all_keys, prefix_bytes[p] / all_bytes, prefix_bytes[p] / prefix_keys[p])
         for p, c in prefix_count.items()), key=lambda p: -p.share_of_bytes,
    )[:TOP_PREFIXES]
    idle = [i for st in strata for i in st.idle if i is not None]
    refused: Counter[str] = Counter()
    for s in samples:
        refused.update(s.refused)
        if s.big:
            refused.update(s.big.refused)
    total_keys = sum(max(s.dbsize, len(s.sizes)) for s in samples)
    dataset, check, disagreement = _cross_check(total_bytes, samples, partial)
    problems = []
    if refused:
        count = sum(refused.values())
        what = "; ".join(f"{name} ({n:,})" for name, n in refused.most_common(3))
        problems.append(f"The server refused {count_noun(count, 'probe')} ({what}): the keys behind them were not "
                        "measured, so the estimate would leave them out. Give the user the read-only commands on every "
                        "key (for example ACL `+@read +info +dbsize +memory|usage +object|idletime ~*`).")
    if total_keys and not measured:
        problems.append("No key could be measured, so there is no estimate to apply.")
    if partial:
        problems.append("The scan is partial.")
    if disagreement:
        problems.append(disagreement)
    return KeyspaceReport(
        mode="full" if settings.full else "sampled", nodes=len(samples),
        total_keys=total_keys, sampled_keys=measured,
        total_bytes=total_bytes, by_type=tuple(by_type), no_ttl_share=no_ttl_share,
        biggest=tuple(biggest), prefixes=tuple(prefixes),
        mean_key_bytes=float(np.mean([b for st in strata for b in st.key_bytes])) if measured else 0.0,
        mean_bytes_per_key=total_bytes.value / total_pop if total_pop else 0.0,
        median_bytes_per_key=float(np.median(small_sizes)) if small_sizes.size else 0.0,
        p95_bytes_per_key=float(np.percentile(small_sizes, 95)) if small_sizes.size else 0.0,
        hot_share=(sum(1 for i in idle if i < HOT_IDLE_SECONDS) / len(idle)) if idle else None,
        elapsed_s=elapsed, partial=partial, stopped_reason=reason,
        refused=tuple(refused.most_common()), gone_keys=sum(s.gone for s in samples),
        big_keys=sum(len(s.big.sizes) for s in samples if s.big), big_search=_big_search(samples, settings, exact),
        server_dataset_bytes=dataset, server_check=check, problems=tuple(problems),
        size_histogram=_histogram(small_sizes, SIZE_BUCKETS),
        ttl_histogram=_histogram([t for st in small for t in st.ttls if t >= 0], TTL_BUCKETS),
    )
