"""The keyspace analysis: every primary sampled (or fully scanned) concurrently, strata combined."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from redis.exceptions import RedisError

from advisor.errors import ConnectionProblem
from advisor.live.keyspace_estimate import KeyspaceReport, build_report
from advisor.live.keyspace_scan import SampleSettings, sample_node
from advisor.live.read_only import read
from advisor.live.redis_connection import RedisClient, RedisTarget, node_clients, problem_from, target_of


class ScanInterrupted(ConnectionProblem):
    """The server went away during the keyspace scan; `partial` holds what was measured, labelled partial."""

    def __init__(self, message: str, partial: KeyspaceReport) -> None:
        super().__init__(message)
        self.partial = partial


def analyze_keyspace(
    client: RedisClient,
    settings: SampleSettings | None = None,
    on_progress: Callable[[int], None] | None = None,
    target: RedisTarget | None = None,
    rng: random.Random | None = None,
) -> KeyspaceReport:
    """Sample (or fully scan) every primary concurrently and combine the strata.

    `target` carries the credentials and TLS settings each node's scan connection uses (taken from the client
    when not given). Raises ScanInterrupted (a ConnectionProblem naming the node that failed) carrying the
    partial report if a node fails mid-scan.
    """
    settings = settings or SampleSettings()
    target = target or target_of(client)
    nodes = node_clients(client)
    started = time.monotonic()
    deadline = started + settings.time_budget_s if settings.time_budget_s else None
    sizes = []
    for address, node in nodes:
        try:
            sizes.append(int(read(node, "DBSIZE")))
        except (RedisError, OSError) as exc:
            raise problem_from(exc, target, where=address) from None
    total = sum(sizes) or 1
    # Quotas in proportion to each node's key count, so every stratum is sampled at the same rate.
    quotas = [max(1, math.ceil(settings.sample_size * n / total)) for n in sizes]
    ops_cap = settings.max_ops_per_sec / len(nodes) if settings.max_ops_per_sec else None
    seeds = [(rng or random.SystemRandom()).getrandbits(64) for _ in nodes]
    with ThreadPoolExecutor(max_workers=len(nodes), thread_name_prefix="keyspace") as pool:
        futures = [
            pool.submit(sample_node, address, target, quota, settings, deadline, ops_cap, on_progress,
                        random.Random(seed))
            for (address, _), quota, seed in zip(nodes, quotas, seeds, strict=True)
        ]
        samples = [f.result() for f in futures]
    elapsed = time.monotonic() - started
    failed = [s for s in samples if s.error is not None]
    reasons = [s.stopped for s in samples if s.stopped]
    if failed:
        first = failed[0]
        problem = problem_from(first.error, target, where=first.address, connecting=False)  # type: ignore[arg-type]
        partial = build_report(samples, settings, elapsed, True, f"scan interrupted on {first.address}: {problem}")
        raise ScanInterrupted(
            f"The keyspace scan stopped after {partial.sampled_keys:,} keys: {problem} The results so far are "
            "partial.", partial,
        )
    return build_report(samples, settings, elapsed, False, "; ".join(reasons))
