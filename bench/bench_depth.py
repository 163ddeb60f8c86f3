"""Decision depth per example: the whole flip search (every input, both directions, by bisection with the
optimizer), the month-by-month plan, headroom, commitments and durability; with one recommendation as the
same-run baseline (the flip search costs about as much as N recommendations).

Run: python bench/bench_depth.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python bench/bench_depth.py` from anywhere, without installing

from advisor.depth.flips import what_changes_the_answer  # noqa: E402
from advisor.depth.plan import decision_depth  # noqa: E402
from advisor.pricing import load_price_book  # noqa: E402
from advisor.recommend import recommend  # noqa: E402
from advisor.workload import load_workload  # noqa: E402


def _median_ms(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    book = load_price_book()
    print(f"{'workload':<28} {'recommend ms':>12} {'flip search ms':>15} {'runs':>5} {'ratio':>6} "
          f"{'all depth ms':>13}")
    worst = 0.0
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        workload = load_workload(path)
        rec = recommend(workload, book)
        if not rec.feasible:
            continue
        base = _median_ms(lambda w=workload: recommend(w, book), args.runs * 4)
        flips = _median_ms(lambda r=rec: what_changes_the_answer(r, book), args.runs)
        probes = what_changes_the_answer(rec, book).probes
        everything = _median_ms(lambda r=rec: decision_depth(r, book), args.runs)
        worst = max(worst, flips)
        print(f"{path.stem:<28} {base:>12.1f} {flips:>15.0f} {probes:>5} {flips / base:>6.0f}x {everything:>13.0f}")
    print(f"slowest flip search: {worst:.0f} ms (target < 1,000 ms)")


if __name__ == "__main__":
    main()
