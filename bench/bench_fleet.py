"""Time the whole fleet review (discovery, metrics, analysis, report) on the seeded example fleet and on
synthetic fleets of growing size, each served by the offline example account (moto server + seeded CloudWatch,
real HTTP on loopback).

Run: python bench/bench_fleet.py [--sizes 50,100,200] [--days 14]. Prints one row per fleet: clusters, nodes,
datapoints, GetMetricData calls, the time of each phase (metrics also as this process's CPU: the rest is waiting
for the account's server), the total, and how it grows against the smallest
synthetic fleet of the same run (time ratio / size ratio: 1.0 is linear). The account's start-up (process,
moto, creating the clusters) is shown apart: a real account has none.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere without installing

from advisor.fleet.account import ExampleAccount
from advisor.fleet.export import render_html, render_json, render_pdf
from advisor.fleet.review import review_fleet
from advisor.pricing import load_price_book


def run(fleet: str, days: int) -> dict[str, float]:
    book = load_price_book()
    t0 = time.perf_counter()
    with ExampleAccount(fleet) as account:
        started = time.perf_counter() - t0
        review = review_fleet(account.clients(), book, days=days)
    t1 = time.perf_counter()
    render_json(review)
    render_html(review)
    render_pdf(review)
    report = time.perf_counter() - t1
    nodes = sum(max(1, c.row.node_count) for c in review.clusters)
    phases = review.timings_s
    total = phases["discovery"] + phases["metrics"] + phases["analysis"] + report  # metrics_cpu is inside metrics
    return {"clusters": len(review.clusters), "nodes": nodes, "datapoints": review.datapoints, "calls": review.calls,
            "startup": started, **phases, "report": report, "total": total}


def parse_baseline(cluster: str = "leaderboard-hot", days: int = 14) -> tuple[float, float, int]:
    """Client CPU to collect one cluster with the fleet's client and with a plain boto3 client (botocore parses
    every datapoint and makes every timestamp a datetime), same run, same server."""
    import datetime as dt

    import boto3

    from advisor.fleet.collect import collect_cluster
    from advisor.fleet.example_server import EXAMPLE_CREDENTIALS
    from advisor.live.discovery import discover

    with ExampleAccount() as account:
        clients = account.clients()
        row = discover(clients.elasticache).row(cluster)
        end = account.window_end or dt.datetime.now(dt.UTC)
        start = end - dt.timedelta(days=days)
        collect_cluster(clients.cloudwatch, row, start, end)  # warm the server's cache
        cpu = time.process_time()
        series = collect_cluster(clients.cloudwatch, row, start, end)
        fast = time.process_time() - cpu
        plain = boto3.client("cloudwatch", region_name=clients.region, endpoint_url=account.endpoint,
                             aws_access_key_id=EXAMPLE_CREDENTIALS[0], aws_secret_access_key=EXAMPLE_CREDENTIALS[1])
        cpu = time.process_time()
        collect_cluster(plain, row, start, end)
        slow = time.process_time() - cpu
    return fast, slow, series.datapoints


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,100,200", help="synthetic fleet sizes, comma separated")
    parser.add_argument("--days", type=int, default=14)
    args = parser.parse_args()
    fast, slow, points = parse_baseline(days=args.days)
    print(f"one 8-node cluster, {points:,} datapoints: client CPU {fast:.2f} s with the bulk JSON decode vs "
          f"{slow:.2f} s with a plain boto3 client ({slow / fast:.1f}x)")
    fleets = ["example", *(f"synthetic:{n}" for n in args.sizes.split(","))]
    print(f"window {args.days} days at 5-minute periods")
    print(f"{'fleet':16s} {'clusters':>8s} {'nodes':>6s} {'datapoints':>11s} {'calls':>6s} {'start-up':>9s} "
          f"{'discovery':>9s} {'metrics':>8s} {'(cpu)':>7s} {'analysis':>8s} {'report':>7s} {'total':>7s} "
          f"{'s/cluster':>9s} "          f"{'us/point':>8s} {'cpu us/pt':>9s} {'growth':>7s}")
    base: dict[str, float] | None = None
    for fleet in fleets:
        r = run(fleet, args.days)
        growth = ""
        if fleet.startswith("synthetic"):
            base = base or r
            growth = f"{(r['total'] / base['total']) / (r['clusters'] / base['clusters']):.2f}"
        print(f"{fleet:16s} {r['clusters']:8.0f} {r['nodes']:6.0f} {r['datapoints']:11,.0f} {r['calls']:6.0f} "
              f"{r['startup']:8.1f}s {r['discovery']:8.2f}s {r['metrics']:7.1f}s {r['metrics_cpu']:6.1f}s "
              f"{r['analysis']:7.1f}s "
              f"{r['report']:6.1f}s {r['total']:6.1f}s {r['total'] / r['clusters']:8.2f}s "
              f"{r['metrics'] / max(1, r['datapoints']) * 1e6:8.2f} "
              f"{r['metrics_cpu'] / max(1, r['datapoints']) * 1e6:9.2f} {growth:>7s}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
