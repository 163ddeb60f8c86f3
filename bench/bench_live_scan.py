"""Sampled keyspace estimate vs exact totals and vs `redis-cli --memkeys` on a heavy-tailed 1,000,000-key
local redis-server: a mixed keyspace of small keys plus a handful of huge ones (a 300 MB string, a 2,000,000-
member zset, three 20 MB hashes), as in issue 12.

Run: PYTHONPATH=. python bench/bench_live_scan.py [--keys 1000000] [--sample 20000] [--runs 5] [--no-huge]
Prints: exact total (sum of MEMORY USAGE over every key), each sampled run's estimate, error and 95% interval,
the keys it measured and the size probes of its big-key search, INFO's cross-check, wall times of sampled,
full-scan and `redis-cli --memkeys`, and the ratios (full-scan keys/s over `redis-cli --memkeys` keys/s, by the
scan's own clock and end to end with the report built).
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere without installing

from advisor.live.redis_inspect import RedisTarget, SampleSettings, analyze_keyspace, connect
from tests.support.redis_servers import HOST, REDIS_CLI, start_redis


def _resp(*args: str) -> bytes:
    out = [f"*{len(args)}\r\n".encode()]
    for arg in args:
        data = arg.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(out)


def write_protocol(path: Path, keys: int, seed: int = 7) -> None:
    """A mixed keyspace: 70% strings (16 B to 2 KB, skewed small), 10% each hashes, lists, sets/zsets; 40% TTL."""
    rng = random.Random(seed)
    with path.open("wb") as fh:
        for i in range(keys):
            roll = rng.random()
            if roll < 0.70:
                key = f"user:{i}"
                fh.write(_resp("SET", key, "x" * int(16 * 2 ** (rng.random() * 7))))
            elif roll < 0.80:
                key = f"session:{i}"
                fields = []
                for f in range(rng.randint(2, 12)):
                    fields += [f"f{f}", "v" * rng.randint(4, 40)]
                fh.write(_resp("HSET", key, *fields))
            elif roll < 0.90:
                key = f"queue:{i}"
                fh.write(_resp("RPUSH", key, *["item" * rng.randint(1, 8) for _ in range(rng.randint(1, 20))]))
            elif roll < 0.95:
                key = f"tags:{i}"
                fh.write(_resp("SADD", key, *[f"t{m}" for m in range(rng.randint(1, 15))]))
            else:
                key = f"rank:{i}"
                members = []
                for m in range(rng.randint(1, 15)):
                    members += [str(m), f"member-{m}"]
                fh.write(_resp("ZADD", key, *members))
            if rng.random() < 0.4:
                fh.write(_resp("EXPIRE", key, str(86_400 + rng.randint(0, 86_400))))


def add_huge_keys(client: object) -> None:
    """A handful of huge keys among the small ones: the tail that wrecks a scaled-up sample mean."""
    client.setrange("huge:string", 300_000_000 - 1, "x")  # type: ignore[attr-defined]
    pipe = client.pipeline(transaction=False)  # type: ignore[attr-defined]
    for start in range(0, 2_000_000, 20_000):
        pipe.zadd("huge:zset", {f"member-{i}": i for i in range(start, start + 20_000)})
        if len(pipe) >= 10:
            pipe.execute()
    for h in range(3):
        for start in range(0, 200_000, 20_000):
            pipe.hset(f"huge:hash:{h}", mapping={f"field-{i}": "v" * 40 for i in range(start, start + 20_000)})
    pipe.execute()


def memkeys(port: int) -> tuple[float, int, int]:
    """Wall time, keys and total bytes reported by `redis-cli --memkeys` (sums its per-type summary lines)."""
    started = time.perf_counter()
    out = subprocess.run([REDIS_CLI, "-h", HOST, "-p", str(port), "--memkeys"], check=True, capture_output=True,
                         text=True).stdout
    elapsed = time.perf_counter() - started
    sampled = int(re.search(r"Sampled (\d+) keys", out).group(1))  # type: ignore[union-attr]
    total = sum(int(b) for b in re.findall(r"^\d+ \w+ with (\d+) bytes", out, flags=re.MULTILINE))
    return elapsed, sampled, total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keys", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-huge", action="store_true")
    args = parser.parse_args()
    server = start_redis()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            proto = Path(tmp) / "load.resp"
            started = time.perf_counter()
            write_protocol(proto, args.keys)
            with proto.open("rb") as fh:
                subprocess.run([REDIS_CLI, "-h", HOST, "-p", str(server.port), "--pipe"], stdin=fh, check=True,
                               capture_output=True)
            if not args.no_huge:
                add_huge_keys(server.client())
            print(f"loaded {server.client().dbsize():,} keys in {time.perf_counter() - started:.1f} s "
                  f"(redis-cli --pipe{'' if args.no_huge else ', plus 5 huge keys'})")
        target = RedisTarget(HOST, server.port, timeout_s=30)
        client = connect(target)
        unlimited = {"max_ops_per_sec": None, "time_budget_s": None}
        full_started = time.perf_counter()
        full = analyze_keyspace(client, SampleSettings(full=True, **unlimited), target=target)  # type: ignore[arg-type]
        full_wall = time.perf_counter() - full_started  # includes building the report, which elapsed_s does not
        cli_s, cli_keys, cli_total = memkeys(server.port)
        # Exact: the full scan's figure with each huge key counted element by element (SAMPLES 0) instead of
        # from MEMORY USAGE's default 5 samples; the small keys' default figure is exact or unbiased already.
        huge = {k.key: k.bytes for k in full.biggest if k.key.startswith("huge:")}
        exact_huge = {k: int(client.memory_usage(k, samples=0)) for k in huge}  # type: ignore[union-attr]
        exact = full.total_bytes.value - sum(huge.values()) + sum(exact_huge.values())
        runs = [analyze_keyspace(client, SampleSettings(sample_size=args.sample, **unlimited),  # type: ignore[arg-type]
                                 target=target) for _ in range(args.runs)]
        print(f"exact total (full scan, huge keys with MEMORY USAGE SAMPLES 0): {exact:,.0f} bytes")
        print(f"full scan (MEMORY USAGE, default 5 samples):   {full.total_bytes.value:,.0f} bytes over "
              f"{full.sampled_keys:,} keys ({(full.total_bytes.value - exact) / exact:+.3%} vs exact)")
        print(f"redis-cli --memkeys (default 5 samples) total: {cli_total:,} bytes over {cli_keys:,} keys "
              f"({(cli_total - exact) / exact:+.3%} vs exact)")
        errors = []
        for i, run in enumerate(runs, 1):
            error = (run.total_bytes.value - exact) / exact
            errors.append(error)
            print(f"sampled run {i}: {run.total_bytes.value:,.0f} bytes, 95% CI [{run.total_bytes.low:,.0f}, "
                  f"{run.total_bytes.high:,.0f}], error {error:+.3%}, CI contains exact: "
                  f"{run.total_bytes.contains(exact)}; measured {run.sampled_keys:,} of {run.total_keys:,} keys "
                  f"({run.share_touched:.2%}, {run.big_keys} big), big-key search {run.big_search}; "
                  f"{run.elapsed_s:.2f} s; {run.server_check}")
        sampled = runs[-1]
        covered = sum(r.total_bytes.contains(exact) for r in runs)
        worst = max(abs(e) for e in errors)
        print(f"over {len(runs)} runs: worst error {worst:.3%}, interval covered the exact total {covered}/{len(runs)}")
        print(f"wall time: sampled (last run) {sampled.elapsed_s:.2f} s | full scan {full.elapsed_s:.2f} s | "
              f"redis-cli --memkeys {cli_s:.2f} s")
        print(f"sampled is {cli_s / sampled.elapsed_s:.1f}x faster than redis-cli --memkeys")
        print(f"full scan {full.keys_per_second:,.0f} keys/s vs redis-cli --memkeys {cli_keys / cli_s:,.0f} keys/s "
              f"(ratio {full.keys_per_second / (cli_keys / cli_s):.2f})")
        print(f"full scan end to end (connect excluded, report included): {full.sampled_keys / full_wall:,.0f} keys/s "
              f"(ratio {full.sampled_keys / full_wall / (cli_keys / cli_s):.2f}; target: ratio >= 0.67, within 1.5x)")
        ok = worst <= 0.05 and covered == len(runs) and all(r.share_touched <= 0.05 for r in runs)
        print(f"target (within 5%, 95% interval covering the exact total, measuring at most 5% of keys): "
              f"{'MET' if ok else 'NOT MET'}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
