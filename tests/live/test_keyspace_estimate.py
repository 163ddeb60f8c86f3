"""Keyspace estimates from hand-written samples (no server): every figure below is worked out by hand.

The sample used throughout: one primary with DBSIZE 100, four keys measured.
    key       type    MEMORY USAGE  TTL      idle
    user:1    string  100 B         none     10 s
    user:2    string  200 B         30 s     4,000 s
    cart:1    hash    300 B         7,200 s  (not tracked)
    x         hash    400 B         none     100 s
Mean 250 B, so the total is 100 x 250 = 25,000 B. Sample variance (ddof 1): (150^2 + 50^2 + 50^2 + 150^2) / 3
= 16,666.67; with the finite-population correction the variance of the total is
100^2 x (1 - 4/100) x 16,666.67 / 4 = 40,000,000, so the 95% half-width is 1.96 x 6,324.56 = 12,396.13 B.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from advisor.live.keyspace_estimate import (
    Estimate,
    KeyspaceReport,
    build_report,
    key_pattern,
    strata_estimate,
)
from advisor.live.keyspace_scan import NodeSample, SampleSettings

MIB = 2**20
HALF_WIDTH = 1.96 * math.sqrt(100**2 * (1 - 4 / 100) * (50_000 / 3) / 4)


def _node(dbsize: int = 100, **extra: object) -> NodeSample:
    fields: dict = dict(keys=["user:1", "user:2", "cart:1", "x"], key_bytes=[6, 6, 6, 1],
                        types=["string", "string", "hash", "hash"], sizes=[100, 200, 300, 400],
                        ttls=[-1, 30, 7200, -1], idle=[10, 4000, None, 100])
    fields.update(extra)
    return NodeSample("10.0.0.1:6379", dbsize, **fields)  # type: ignore[arg-type]


def _sampled(*samples: NodeSample, settings: SampleSettings | None = None, partial: bool = False,
             elapsed: float = 2.0) -> KeyspaceReport:
    return build_report(list(samples), settings or SampleSettings(), elapsed, partial, "")


# strata_estimate -------------------------------------------------------------------------------------------


def test_stratified_total_and_interval_by_hand() -> None:
    # 10 keys, 3 measured (1, 2, 3): mean 2 -> total 20; s^2 = 1; variance 10^2 x (1 - 3/10) x 1 / 3 = 23.33.
    est = strata_estimate([(10, np.array([1.0, 2.0, 3.0]))])
    half = 1.96 * math.sqrt(100 * 0.7 / 3)
    assert est.value == pytest.approx(20)
    assert (est.low, est.high) == (pytest.approx(20 - half), pytest.approx(20 + half))
    assert est.half_width == pytest.approx(half)


def test_strata_add_up_and_empty_strata_are_skipped() -> None:
    # Stratum 2: 5 keys all measured (exact, no variance): 5 x 4 = 20. Empty and zero-population strata add nothing.
    est = strata_estimate([(10, np.array([1.0, 2.0, 3.0])), (5, np.array([4.0] * 5)), (7, np.array([])),
                           (0, np.array([9.0]))])
    half = 1.96 * math.sqrt(100 * 0.7 / 3)
    assert est.value == pytest.approx(40)
    assert est.low == pytest.approx(40 - half) and est.high == pytest.approx(40 + half)


def test_every_key_measured_or_one_key_gives_no_interval() -> None:
    exact = strata_estimate([(3, np.array([1.0, 2.0, 3.0]))])  # n = N: the finite-population correction is 0
    assert (exact.value, exact.low, exact.high) == (6.0, 6.0, 6.0)
    single = strata_estimate([(50, np.array([7.0]))])  # one value: no variance can be estimated
    assert (single.value, single.low, single.high) == (350.0, 350.0, 350.0)


def test_the_lower_bound_never_goes_below_zero() -> None:
    # 100 keys, (0, 10) measured: total 500; s^2 = 50; variance 100^2 x 0.98 x 50 / 2 = 245,000 -> half 970.2.
    est = strata_estimate([(100, np.array([0.0, 10.0]))])
    assert est.low == 0.0
    assert est.high == pytest.approx(500 + 1.96 * math.sqrt(245_000))


def test_estimate_contains_its_bounds_only() -> None:
    est = Estimate(5.0, 4.0, 6.0)
    assert est.contains(4.0) and est.contains(6.0) and est.contains(5.0)
    assert not est.contains(3.999) and not est.contains(6.001)


# key_pattern -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "pattern"), [
    ("user:123", "user:*"), ("user:profile:9", "user:*"), ("a|b", "a|*"), ("img/2024/x.png", "img/*"),
    ("session12345", "session*"), ("order-1a2b3c4d-9f", "order*"), ("plain", "(no pattern)"),
])
def test_key_patterns_group_names_by_their_prefix(key: str, pattern: str) -> None:
    assert key_pattern(key) == pattern


# build_report: the sampled node ----------------------------------------------------------------------------


def test_sampled_report_totals_and_interval() -> None:
    report = _sampled(_node())
    assert report.mode == "sampled" and report.label == "sampled" and not report.partial
    assert (report.nodes, report.total_keys, report.sampled_keys) == (1, 100, 4)
    assert report.total_bytes.value == pytest.approx(25_000)
    assert report.total_bytes.low == pytest.approx(25_000 - HALF_WIDTH)
    assert report.total_bytes.high == pytest.approx(25_000 + HALF_WIDTH)
    assert report.share_touched == pytest.approx(0.04)
    assert report.keys_per_second == pytest.approx(2.0)  # 4 keys in 2 s
    assert report.mean_bytes_per_key == pytest.approx(250)
    assert report.median_bytes_per_key == pytest.approx(250)
    assert report.p95_bytes_per_key == pytest.approx(385)  # position 0.95 x 3 = 2.85: 300 + 0.85 x 100
    assert report.mean_key_bytes == pytest.approx(19 / 4)
    assert report.applicable and report.problems == ()


def test_by_type_estimates() -> None:
    report = _sampled(_node())
    # hash: (0, 0, 300, 400) -> mean 175 -> 17,500 B over 100 x 0.5 = 50 keys; string: (100, 200, 0, 0) -> 7,500 B.
    assert [t.type for t in report.by_type] == ["hash", "string"]  # most bytes first
    hashes, strings = report.by_type
    assert hashes.sampled_keys == 2 and strings.sampled_keys == 2
    assert hashes.bytes.value == pytest.approx(17_500) and strings.bytes.value == pytest.approx(7_500)
    assert hashes.keys.value == pytest.approx(50) and strings.keys.value == pytest.approx(50)
    assert hashes.mean_bytes_per_key == pytest.approx(350) and strings.mean_bytes_per_key == pytest.approx(150)
    # hash bytes (0, 0, 300, 400): mean 175, s^2 = (175^2 + 175^2 + 125^2 + 225^2) / 3 = 127,500 / 3 = 42,500.
    half = 1.96 * math.sqrt(100**2 * 0.96 * 42_500 / 4)
    assert hashes.bytes.high == pytest.approx(17_500 + half)


def test_no_ttl_share_is_clamped_to_one() -> None:
    # No expiry on 2 of 4: 0.5 of 100 keys. s^2 of (1, 0, 0, 1) = 1/3; variance 100^2 x 0.96 x (1/3) / 4 = 800;
    # half 1.96 x 28.28 = 55.4 keys: low 50 - 55.4 -> 0, high 105.4 keys -> share 1.054, shown as at most 1.
    share = _sampled(_node()).no_ttl_share
    assert share.value == pytest.approx(0.5)
    assert share.low == 0.0 and share.high == 1.0


def test_biggest_keys_prefixes_and_hot_share() -> None:
    report = _sampled(_node())
    assert [(k.key, k.type, k.bytes, k.ttl_s) for k in report.biggest] == [
        ("x", "hash", 400, -1), ("cart:1", "hash", 300, 7200), ("user:2", "string", 200, 30),
        ("user:1", "string", 100, -1)]
    # Each sampled key stands for 100 / 4 = 25 keys. Bytes 25 x 1,000: x 400 (0.4), user:* 300 (0.3), cart:* 300
    # (0.3); listed by memory, ties in the order first seen.
    assert [(p.pattern, p.sampled_keys, p.share_of_keys, p.share_of_bytes, p.mean_bytes) for p in report.prefixes] \
        == [("(no pattern)", 1, 0.25, pytest.approx(0.4), 400), ("user:*", 2, 0.5, pytest.approx(0.3), 150),
            ("cart:*", 1, 0.25, pytest.approx(0.3), 300)]
    assert report.hot_share == pytest.approx(2 / 3)  # idle 10 s and 100 s of three tracked (4,000 s is cold)


def test_hot_share_counts_an_hour_idle_as_cold_and_none_when_untracked() -> None:
    assert _sampled(_node(idle=[3599, 3600, 3601, None])).hot_share == pytest.approx(1 / 3)
    assert _sampled(_node(idle=[None] * 4)).hot_share is None


def test_size_and_ttl_histograms() -> None:
    report = _sampled(_node())
    assert report.size_histogram == (("under 128 B", 0.25), ("128 B - 1 KiB", 0.75), ("1 - 16 KiB", 0.0),
                                     ("16 KiB - 1 MiB", 0.0), ("1 MiB or more", 0.0))
    # Keys with a TTL: 30 s and 7,200 s (the keys without expiry are left out).
    assert report.ttl_histogram == (("under 1 min", 0.5), ("1 min - 1 h", 0.0), ("1 h - 1 day", 0.5),
                                    ("1 - 7 days", 0.0), ("7 days or more", 0.0))


def test_histogram_edges_belong_to_the_upper_bucket() -> None:
    sizes = [127, 128, 1023, 1024, 16 * 1024, 1 << 20]
    ttls = [59, 60, 3600, 86_400, 7 * 86_400, -1]
    report = _sampled(_node(dbsize=6, keys=[f"k{i}" for i in range(6)], key_bytes=[2] * 6, types=["string"] * 6,
                            sizes=sizes, ttls=ttls, idle=[None] * 6),
                      settings=SampleSettings(find_big_keys=False))
    assert [share * 6 for _, share in report.size_histogram] == [1, 2, 1, 1, 1]
    assert [share * 5 for _, share in report.ttl_histogram] == [1, 1, 1, 1, 1]


def test_key_counts_prefer_dbsize_but_never_fewer_than_measured() -> None:
    # A DBSIZE read before keys were added can be below the number measured.
    assert _sampled(_node(dbsize=2)).total_keys == 4
    assert _sampled(_node(dbsize=2), _node(dbsize=300)).total_keys == 304


def test_two_nodes_are_two_strata() -> None:
    report = _sampled(_node(), _node(dbsize=300))
    assert report.total_bytes.value == pytest.approx(100 * 250 + 300 * 250)
    assert report.nodes == 2 and report.sampled_keys == 8
    assert report.mean_bytes_per_key == pytest.approx(250)


def test_biggest_and_prefixes_are_capped() -> None:
    n = 25
    keys = [f"p{i}:k" for i in range(n)]
    report = _sampled(_node(dbsize=1000, keys=keys, key_bytes=[4] * n, types=["string"] * n,
                            sizes=list(range(1, n + 1)), ttls=[-1] * n, idle=[None] * n))
    assert [k.bytes for k in report.biggest] == list(range(25, 15, -1))  # the 10 largest, largest first
    assert len(report.prefixes) == 20


def test_keys_per_second_and_share_with_nothing_to_divide_by() -> None:
    empty = _sampled(NodeSample("a:1", 0), elapsed=0.0)
    assert empty.keys_per_second == 0.0 and empty.share_touched == 0.0
    assert empty.total_bytes == Estimate(0.0, 0.0, 0.0)
    assert empty.no_ttl_share == Estimate(0, 0, 0) and empty.mean_bytes_per_key == 0.0
    assert empty.mean_key_bytes == 0.0 and empty.median_bytes_per_key == 0.0 and empty.p95_bytes_per_key == 0.0
    assert empty.size_histogram == () and empty.problems == ()


# big keys, full scans, partial scans -----------------------------------------------------------------------


def test_big_keys_are_their_own_exact_stratum() -> None:
    big = NodeSample("10.0.0.1:6379", 0, keys=["blob", "zset"], key_bytes=[4, 4], types=["string", "zset"],
                     sizes=[20 * MIB, 10 * MIB], ttls=[-1, -1], idle=[None, None])
    # The sample happened to include "blob" as well: it is counted once, in the big stratum.
    sample = _node(dbsize=102, keys=["user:1", "user:2", "cart:1", "x", "blob"], key_bytes=[6, 6, 6, 1, 4],
                   types=["string", "string", "hash", "hash", "string"], sizes=[100, 200, 300, 400, 20 * MIB],
                   ttls=[-1, 30, 7200, -1, -1], idle=[10, 4000, None, 100, None], big=big)
    report = _sampled(sample)
    # Small keys: 102 - 2 big = 100 keys at 250 B; big keys exactly 30 MiB with no interval of their own.
    assert report.total_bytes.value == pytest.approx(25_000 + 30 * MIB)
    assert report.total_bytes.high == pytest.approx(25_000 + 30 * MIB + HALF_WIDTH)
    assert report.big_keys == 2 and report.sampled_keys == 6 and report.total_keys == 102
    assert [k.key for k in report.biggest[:2]] == ["blob", "zset"]
    assert report.median_bytes_per_key == pytest.approx(250)  # the big keys are not in the small-key figures
    # Patterns weigh each small key for 100 / 4 = 25 keys and each big key for itself: "blob", "zset" and "x" have
    # no pattern: 25 + 2 = 27 keys of 102, 25 x 400 B + 30 MiB, far ahead of user:* and cart:* (7,500 B each).
    no_pattern = report.prefixes[0]
    assert [p.pattern for p in report.prefixes] == ["(no pattern)", "user:*", "cart:*"]
    assert no_pattern.sampled_keys == 3 and no_pattern.share_of_keys == pytest.approx(27 / 102)
    assert no_pattern.share_of_bytes == pytest.approx((10_000 + 30 * MIB) / (25_000 + 30 * MIB))
    assert report.mean_bytes_per_key == pytest.approx((25_000 + 30 * MIB) / 102)


def test_refused_probes_of_the_big_key_search_count_too() -> None:
    big = NodeSample("10.0.0.1:6379", 0, refused=Counter({"MEMORY: NOPERM": 1}))
    sample = _node(refused=Counter({"MEMORY: NOPERM": 3, "OBJECT: NOPERM": 1, "TYPE: NOPERM": 1,
                                    "TTL: NOPERM": 1}), big=big)
    report = _sampled(sample)
    assert report.refused[0] == ("MEMORY: NOPERM", 4) and report.refused_probes == 7
    assert not report.applicable
    problem = report.problems[0]
    assert problem.startswith("The server refused 7 probes (MEMORY: NOPERM (4); ")
    assert problem.count("NOPERM") == 3  # the three most common reasons only
    assert "+memory|usage" in problem


def test_full_scan_is_exact() -> None:
    report = _sampled(_node(dbsize=4, complete=True), settings=SampleSettings(full=True))
    assert report.mode == "full" and report.label == "full" and not report.partial
    assert report.total_bytes == Estimate(1000.0, 1000.0, 1000.0)
    assert report.big_search == "not needed: every key was measured"
    assert report.problems == ()


def test_full_scan_cut_short_is_partial_and_not_applicable() -> None:
    report = _sampled(_node(dbsize=100, complete=False), settings=SampleSettings(full=True))
    assert report.partial and report.label == "full (PARTIAL)"
    assert report.total_bytes.value == pytest.approx(25_000)  # scaled up like a sample, not taken as exact
    assert "The scan is partial." in report.problems
    partial = _sampled(_node(), partial=True)
    assert partial.partial and partial.problems == ("The scan is partial.",)


def test_a_complete_sampled_node_counts_only_its_measured_keys() -> None:
    # SCAN went all the way round: the measured keys are the population, even if DBSIZE said more.
    report = _sampled(_node(dbsize=100, complete=True))
    assert report.total_bytes == Estimate(1000.0, 1000.0, 1000.0)


def test_nothing_measured_is_a_problem() -> None:
    report = _sampled(NodeSample("a:1", 50))
    assert report.problems == ("No key could be measured, so there is no estimate to apply.",)


def test_gone_keys_are_summed() -> None:
    assert _sampled(_node(gone=2), _node(gone=3)).gone_keys == 5


@pytest.mark.parametrize(("settings", "extra", "words"), [
    (SampleSettings(find_big_keys=False), {}, "off: a key far larger than the rest is found only if"),
    (SampleSettings(), {"swept_keys": 1234, "sweep_complete": True}, "complete: 1,234 keys probed once each"),
    (SampleSettings(), {"swept_keys": 40}, "incomplete: 40 of 100 keys probed before the time budget or ops cap"),
])
def test_big_key_search_in_words(settings: SampleSettings, extra: dict, words: str) -> None:
    assert _sampled(_node(**extra), settings=settings).big_search.startswith(words)


def test_big_key_search_counts_every_node() -> None:
    done = _node(swept_keys=100, sweep_complete=True)
    half = _node(dbsize=300, swept_keys=50)
    assert _sampled(done, half).big_search.startswith("incomplete: 150 of 400 keys probed")
    finished = _node(dbsize=300, swept_keys=7, complete=True)  # a node scanned all the way round needs no sweep
    assert _sampled(done, finished).big_search == "complete: 107 keys probed once each"


# cross-check against INFO used_memory_dataset --------------------------------------------------------------

# A full scan of 25 MiB: the agreement band is [total - m, total + m] with m = 0.15 x dataset + 2 MiB.
# A dataset of 20 MiB gives m = 3 + 2 = 5 MiB: 25 - 5 = 20, exactly on the lower edge.
# A dataset of 20 MiB against a 15 MiB total: 15 + 5 = 20, exactly on the upper edge.


def _full(total: int, dataset: int | None, **extra: object) -> KeyspaceReport:
    sample = NodeSample("a:1", 1, keys=["k"], key_bytes=[1], types=["string"], sizes=[total], ttls=[-1], idle=[None],
                        complete=True, dataset_bytes=dataset, **extra)  # type: ignore[arg-type]
    return _sampled(sample, settings=SampleSettings(full=True))


def test_cross_check_edges_agree() -> None:
    for total in (25 * MIB, 15 * MIB):
        report = _full(total, 20 * MIB)
        assert report.server_check.startswith("Agrees: the server's own figure (INFO used_memory_dataset) is 20.0 MiB")
        assert report.server_dataset_bytes == 20 * MIB and report.applicable


@pytest.mark.parametrize(("total", "dataset"), [(25 * MIB, 20 * MIB - 1), (15 * MIB, 20 * MIB + 1)])
def test_cross_check_beyond_the_edges_disagrees(total: int, dataset: int) -> None:
    report = _full(total, dataset)
    assert report.server_check.startswith("DISAGREES: ")
    assert f"the estimate is {total / MIB:,.1f} MiB (95% {total / MIB:,.1f} to {total / MIB:,.1f} MiB)" \
        in report.server_check
    assert not report.applicable
    assert report.problems[0].startswith("The estimate disagrees with the server's own figure beyond its interval")
    assert "Run a full scan" in report.problems[0]


def test_cross_check_is_skipped_when_it_cannot_be_fair() -> None:
    unknown = _full(MIB, None)
    assert unknown.server_dataset_bytes is None
    assert unknown.server_check.startswith("INFO does not report used_memory_dataset here")
    other_dbs = _full(MIB, 90 * MIB, other_db_keys=5)
    assert other_dbs.server_dataset_bytes == 90 * MIB and other_dbs.applicable
    assert other_dbs.server_check.startswith("not compared: other databases hold keys too")
    partial = _sampled(_node(dataset_bytes=90 * MIB), partial=True)
    assert partial.server_check == "not compared: the scan is partial."
    assert partial.problems == ("The scan is partial.",)  # no disagreement added on top


def test_one_node_without_the_figure_skips_the_cross_check() -> None:
    report = _sampled(_node(dataset_bytes=25_000), _node(dataset_bytes=None))
    assert report.server_dataset_bytes is None
