"""Median time of a full recommendation (every candidate configuration in the region), per example workload.

Run: python bench/bench_recommend.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python bench/bench_recommend.py` from anywhere, without installing

from advisor.pricing import load_price_book  # noqa: E402
from advisor.recommend import recommend  # noqa: E402
from advisor.workload import load_workload  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says
    loads = []
    for _ in range(5):  # the app and the CLI load once per process; the median of 5 steadies the figure
        start = time.perf_counter()
        book = load_price_book()
        loads.append((time.perf_counter() - start) * 1000)
    rows = len(book.on_demand) + len(book.reserved) + len(book.serverless)
    print(f"price tables loaded and checked in {statistics.median(loads):.0f} ms median of 5 "
          f"({rows:,} price rows, {len(book.regions)} Regions; once per process)")
    print(f"{'workload':<28} {'median ms':>10} {'p95 ms':>8} {'candidates':>12}")
    medians = []
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        workload = load_workload(path)
        recommend(workload, book)  # warm-up
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            rec = recommend(workload, book)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        median = statistics.median(times)
        medians.append(median)
        print(f"{path.stem:<28} {median:>10.1f} {times[int(len(times) * 0.95) - 1]:>8.1f} "
              f"{rec.search.evaluated:>12,}")
    print(f"overall median of medians: {statistics.median(medians):.1f} ms (target < 50 ms)")


if __name__ == "__main__":
    main()
