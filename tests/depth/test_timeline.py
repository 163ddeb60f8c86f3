"""Month-by-month fit, checked against months worked out by hand."""

from __future__ import annotations

import dataclasses
import math

from advisor.depth.timeline import design_timeline
from advisor.pricing.book import PriceBook
from advisor.recommend import Topology, recommend
from advisor.workload import parse_workload

GIB = 2**30


def _on_r6g_large(book: PriceBook, **fields):  # type: ignore[no-untyped-def]
    workload = parse_workload({"name": "growing", "avg_reads_per_sec": 100, "avg_writes_per_sec": 10,
                               "features": ["hashes"], "client_cluster_aware": False, **fields})
    rec = recommend(workload, book)
    topology = Topology("valkey", "cache.r6g.large", 1, 1, False, False, True, True)
    return dataclasses.replace(rec, deployment="provisioned", topology=topology)


def test_growing_dataset_crosses_75_percent_memory_in_month_11(book: PriceBook) -> None:
    rec = _on_r6g_large(book, dataset_gb=3, monthly_growth_percent=10, horizon_months=0)
    timeline = design_timeline(rec, book, traffic_growth_percent=0)
    # r6g.large: 13.07 GiB maxmemory, 25% reserved -> 9.8025 GiB usable; 75% of it is 7.351875 GiB
    # = 7.894 GB. 3 GB x 1.1^m >= 7.894 GB  =>  m >= ln(2.6313) / ln(1.1) = 10.15  =>  month 11.
    limit_gb = 13.07 * 0.75 * 0.75 * GIB / 1e9
    expected = math.ceil(math.log(limit_gb / 3) / math.log(1.1))
    assert expected == 11
    assert timeline.first_crossing["memory"] == 11
    assert timeline.first_crossing["cpu"] is None
    step = timeline.steps[0]
    assert step.month == 11 and step.trigger == "memory"
    # Cluster mode disabled: a vertical scale within r6g, sized for a year on (month 23):
    # 3 GB x 1.1^23 = 26.9 GB = 25.1 GiB; xlarge holds 26.32 x 0.75 x 0.75 = 14.8 GiB under the alarm,
    # 2xlarge 52.82 x 0.75 x 0.75 = 29.7 GiB.
    need_gib = 3 * 1.1**23 * 1e9 / GIB
    assert 26.32 * 0.75 * 0.75 < need_gib <= 52.82 * 0.75 * 0.75
    assert step.action == "scale up" and step.after == "1 shard x 2 nodes of cache.r6g.2xlarge"
    assert timeline.points[11].monthly == step.monthly_after
    assert timeline.points[10].monthly == step.monthly_before
    assert len(timeline.points) == 37  # months 0..36


def test_traffic_growth_crosses_70_percent_engine_cpu(book: PriceBook) -> None:
    # 1 shard, 2 readers, 100,000 ops/s at 100% CPU per large node: 70% is crossed when
    # peak writes + peak reads / 2 >= 70,000. Peak = 2 x average: 2 x 10 + 2 x R / 2 = R + 20.
    rec = _on_r6g_large(book, dataset_gb=1, avg_reads_per_sec=40_000, monthly_growth_percent=0, horizon_months=0)
    timeline = design_timeline(rec, book, traffic_growth_percent=3)
    # 40,020 x 1.03^m >= 70,000  =>  m >= ln(70,000 / 40,020) / ln(1.03) = 18.9  =>  month 19
    assert timeline.first_crossing["cpu"] == math.ceil(math.log(70_000 / 40_020) / math.log(1.03)) == 19
    step = timeline.steps[0]
    assert step.month == 19 and step.trigger == "cpu"
    # A year on (month 31) peak reads are 80,000 x 1.03^31 = 199,000/s: under 70% of 100,000 needs 3 readers,
    # so 2 replicas (a cheaper step than a larger node, which serves no more than 200,000 ops/s at 100%).
    assert step.action == "add replicas" and step.after == "1 shard x 3 nodes of cache.r6g.large"
    assert step.monthly_after > step.monthly_before
