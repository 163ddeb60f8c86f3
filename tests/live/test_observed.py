"""Observations turned into a validated Workload."""

from __future__ import annotations

import pytest

from advisor.live.observed import data_tiering_note, workload_from_metrics, workload_from_redis
from advisor.live.redis_inspect import RedisTarget, SampleSettings, analyze_keyspace, command_mix, connect, inspect
from advisor.workload import PER_ITEM_OVERHEAD_BYTES, Feature, TrafficShape
from tests.live.keyspaces import exact_totals
from tests.live.metric_frames import metric_set
from tests.live.test_rightsizing import _row
from tests.support.redis_servers import HOST, start_redis

P, R = "primary", "replica"
PRIMARY, REPLICA = "c1-0001-001/0001", "c1-0001-002/0001"


def test_workload_from_metrics() -> None:
    metrics = metric_set({
        (PRIMARY, P, "BytesUsedForCache"): [1e9, 3e9, 2e9],
        (PRIMARY, P, "GetTypeCmds"): [3600, 7200, 3600],
        (REPLICA, R, "GetTypeCmds"): [3600, 3600, 3600],
        (PRIMARY, P, "SetTypeCmds"): [360, 720, 360],
        (REPLICA, R, "SetTypeCmds"): [360, 720, 360],
        (PRIMARY, P, "CurrConnections"): [10, 20, 10],
        (REPLICA, R, "CurrConnections"): [5, 5, 5],
    })
    workload = workload_from_metrics(_row(), metrics)
    assert workload.dataset_gb == 3.0  # the peak of BytesUsedForCache on primaries
    assert workload.avg_reads_per_sec == pytest.approx(7 / 3, abs=1e-3)  # (2 + 3 + 2) reads/s per hour
    assert workload.peak_reads_per_sec == 3.0
    assert workload.avg_writes_per_sec == pytest.approx(0.4 / 3, abs=1e-3)  # primaries only
    assert workload.peak_writes_per_sec == 0.2
    assert workload.peak_to_average == pytest.approx(3.2 / (7.4 / 3), abs=1e-3)
    assert workload.traffic_shape == TrafficShape.STEADY
    assert workload.max_connections == 25
    assert workload.region == "us-east-1"


def test_workload_from_redis_uses_measured_sizes() -> None:
    server = start_redis()
    try:
        client = server.client()
        pipe = client.pipeline(transaction=False)
        for i in range(1000):
            pipe.set(f"item:{i:04d}", "v" * 1000)
        pipe.hset("profile:1", "a", "b")
        pipe.execute()
        target = RedisTarget(HOST, server.port)
        live = connect(target)
        info = inspect(live, target)
        report = analyze_keyspace(live, SampleSettings(full=True, max_ops_per_sec=None, time_budget_s=None))
        mix = command_mix(info.commandstats, info.notify_keyspace_events, info.keyspace.keys())
        workload = workload_from_redis(info, report, mix, region="eu-west-1")
        exact = exact_totals([client])
        assert workload.item_count == 1001
        assert workload.dataset_gb == round(exact.total_bytes / 1e9, 6)
        key_bytes = (1000 * len("item:0000") + len("profile:1")) / 1001
        assert workload.avg_key_bytes == round(key_bytes)
        assert workload.avg_value_bytes == round(exact.total_bytes / 1001 - round(key_bytes) - PER_ITEM_OVERHEAD_BYTES)
        assert Feature.HASHES in workload.features
        assert workload.hot_set_percent == 100  # every key was just written
        note = data_tiering_note(report)
        assert note.startswith("Data tiering (r6gd) does not fit") and "fits in memory" in note
    finally:
        server.stop()
