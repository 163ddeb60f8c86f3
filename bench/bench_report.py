"""Time report generation for the largest example workload, per format.

Run: python bench/bench_report.py [--workload examples/large_2tb.yaml] [--repeat 5]. Prints, per format, the
first (cold: imports, plotly/reportlab start-up) and median warm times of (a) rendering an already-built report
model and (b) the whole job a user waits for: recommendation + report model (cost curves, commands, IaC) +
rendering. Budgets for the whole job: PDF under 3 s, the others under 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere without installing

from advisor.pricing import load_price_book
from advisor.recommend import recommend
from advisor.report.cli import FORMATS, render
from advisor.report.model import build_report
from advisor.workload import load_workload

ROOT = Path(__file__).resolve().parents[1]
BUDGET_S = {"md": 1.0, "html": 1.0, "json": 1.0, "pdf": 3.0}


def largest_example() -> Path:
    """The example with the biggest dataset at its horizon (the most shards, rows and chart points)."""
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    return max(examples, key=lambda p: load_workload(p).dataset_gb_at_horizon)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    path = args.workload or largest_example()
    book = load_price_book()
    workload = load_workload(path)

    def job() -> object:
        return build_report(recommend(workload, book), book)

    model_cold = timed(job)
    model = [timed(job) for _ in range(args.repeat)]
    report = job()
    print(f"workload: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} "
          f"({workload.dataset_gb_at_horizon:,.0f} GB at horizon)")
    print(f"recommendation + report model: first {model_cold:.3f} s, median {statistics.median(model):.3f} s")
    print(f"{'format':<6} {'render first':>13} {'render median':>14} {'whole job':>10} {'budget':>7}  size")
    failed = False
    for fmt in FORMATS:
        first = timed(lambda fmt=fmt: render(report, fmt))  # type: ignore[arg-type]
        warm = statistics.median(timed(lambda fmt=fmt: render(report, fmt)) for _ in range(args.repeat))  # type: ignore[arg-type]
        whole = statistics.median(timed(lambda fmt=fmt: render(job(), fmt)) for _ in range(args.repeat))  # type: ignore[arg-type]
        size = len(render(report, fmt))  # type: ignore[arg-type]
        ok = whole <= BUDGET_S[fmt]
        failed |= not ok
        print(f"{fmt:<6} {first:>12.3f}s {warm:>13.3f}s {whole:>9.3f}s {BUDGET_S[fmt]:>6.1f}s  {size:,} bytes"
              f"{'' if ok else '  OVER BUDGET'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
