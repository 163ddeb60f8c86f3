"""Time the caching-pattern simulator: 10,000 reads/s over 10 simulated minutes (6M reads), every mitigation.

Run: python bench/bench_simulator.py [--repeat 15]. Prints the median wall time per mitigation; the budget is
200 ms per run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere without installing

from advisor.patterns.simulator import Mitigation, simulate, simulation_params

BUDGET_MS = 200.0
SCENARIOS = {
    "10k keys, TTL 60 s": {"key_count": 10_000, "ttl_seconds": 60},
    "10k keys, TTL 1 s (many lifetimes)": {"key_count": 10_000, "ttl_seconds": 1},
    "1M keys, TTL 300 s": {"key_count": 1_000_000, "ttl_seconds": 300},
}


def median_ms(values: dict[str, object], repeat: int) -> float:
    params = simulation_params(request_rate=10_000, duration_seconds=600, **values)
    simulate(params)  # warm-up: first-call imports and allocations are not what we measure
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        simulate(params)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    over_budget = False
    for name, values in SCENARIOS.items():
        print(f"{name}: 10,000 reads/s x 600 s")
        for mitigation in Mitigation:
            ms = median_ms({**values, "mitigation": mitigation}, args.repeat)
            over_budget |= ms > BUDGET_MS
            print(f"  {mitigation.value:<22} median {ms:7.1f} ms{'  OVER BUDGET' if ms > BUDGET_MS else ''}")
    return 1 if over_budget else 0


if __name__ == "__main__":
    raise SystemExit(main())
