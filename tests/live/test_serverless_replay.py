"""Serverless replay: two hand-written hours billed like Serverless bills them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from advisor.live.models import FleetRow, NodeRef
from advisor.live.serverless_replay import replay_serverless
from advisor.money import HOURS_PER_MONTH
from advisor.pricing import PriceBook
from tests.live.metric_frames import START, merged, metric_set
from tests.live.test_rightsizing import _row

P, R = "primary", "replica"
PRIMARY, REPLICA = "c1-0001-001/0001", "c1-0001-002/0001"
SERIES = {
    (PRIMARY, P, "BytesUsedForCache"): [2e9, 0.5e9],
    (REPLICA, R, "BytesUsedForCache"): [2e9, 0.5e9],  # a copy: not billed twice
    (PRIMARY, P, "GetTypeCmds"): [3600, 3600],
    (REPLICA, R, "GetTypeCmds"): [3600, 3600],
    (PRIMARY, P, "SetTypeCmds"): [1800, 1800],
    (REPLICA, R, "SetTypeCmds"): [1800, 1800],  # replayed writes: not billed
    # 9,000 requests per hour; bytes 9,000 x 2,048 in hour 0 (2 KB each) and 9,000 x 512 in hour 1 (0.5 KB).
    (PRIMARY, P, "NetworkBytesIn"): [9000 * 1024, 9000 * 256],
    (REPLICA, R, "NetworkBytesIn"): [9000 * 1024, 9000 * 256],
}


def test_hourly_replay_matches_hand_computation(book: PriceBook) -> None:
    row = _row("cache.r6g.large", version="6.2")
    replay = replay_serverless(row, metric_set(SERIES), book)
    assert [h.requests for h in replay.hours] == [9000, 9000]
    assert [h.ecpu_per_request for h in replay.hours] == [2.0, 1.0]  # max(1, KB per request)
    assert [h.ecpus for h in replay.hours] == [18000, 9000]
    price = book.serverless_price("us-east-1", "redis")
    assert price is not None
    # hour 0: 2 GB stored; hour 1: 0.5 GB, billed at the 1 GB Redis OSS minimum.
    hour0 = 2 * price.storage_usd_per_gb_hour + Decimal("0.018") * price.ecpu_usd_per_million
    hour1 = price.min_storage_gb * price.storage_usd_per_gb_hour + Decimal("0.009") * price.ecpu_usd_per_million
    assert [h.usd for h in replay.hours] == [hour0, hour1]
    assert replay.serverless_monthly_usd == (hour0 + hour1) / 2 * HOURS_PER_MONTH
    valkey = book.serverless_price("us-east-1", "valkey")
    assert valkey is not None
    v0 = 2 * valkey.storage_usd_per_gb_hour + Decimal("0.018") * valkey.ecpu_usd_per_million
    v1 = Decimal("0.5") * valkey.storage_usd_per_gb_hour + Decimal("0.009") * valkey.ecpu_usd_per_million
    assert replay.valkey_serverless_monthly_usd == pytest.approx((v0 + v1) / 2 * HOURS_PER_MONTH)


# Facts file 1.3: Redis OSS 4/5 charged from 2026-02-01 (years 1-2 until 2028-01-31), Redis OSS 6 from 2027-02-01.
BEFORE_REDIS6_CHARGES = dt.date(2026, 12, 2)
REDIS6_YEAR1 = dt.date(2027, 3, 1)


def test_extended_support_not_started_charges_nothing_and_says_when(book: PriceBook) -> None:
    row = _row("cache.r6g.large", version="6.2")
    es = replay_serverless(row, metric_set(SERIES), book, today=BEFORE_REDIS6_CHARGES).extended_support
    assert es.in_scope and es.monthly_surcharge_usd is None
    assert "2027-02-01" in es.note and "Nothing is charged yet" in es.note
    redis = book.node_price("us-east-1", "redis", "cache.r6g.large")
    valkey = book.node_price("us-east-1", "valkey", "cache.r6g.large")
    assert redis and valkey
    assert es.valkey_monthly_saving_usd == (redis.usd_per_hour - valkey.usd_per_hour) * HOURS_PER_MONTH * 2


def test_extended_support_estimated_where_no_sku_is_bundled(book: PriceBook) -> None:
    # No us-east-1 surcharge SKU is bundled: AWS's documented 80% of the Redis OSS node price, per node-hour.
    assert book.other_rate("extended_support_yr1_yr2", "us-east-1", "redis", "cache.r6g.large") is None
    row = _row("cache.r6g.large", version="6.2")
    es = replay_serverless(row, metric_set(SERIES), book, today=REDIS6_YEAR1).extended_support
    redis = book.node_price("us-east-1", "redis", "cache.r6g.large")
    assert redis is not None
    assert es.monthly_surcharge_usd == Decimal("0.8") * redis.usd_per_hour * HOURS_PER_MONTH * 2
    assert "(estimate)" in es.note


def test_extended_support_surcharge_from_the_book(book: PriceBook) -> None:
    row = _row("cache.r7g.large", version="5.0.6", region="eu-west-1")
    es = replay_serverless(row, metric_set(SERIES), book, today=BEFORE_REDIS6_CHARGES).extended_support
    rate = book.other_rate("extended_support_yr1_yr2", "eu-west-1", "redis", "cache.r7g.large")
    redis = book.node_price("eu-west-1", "redis", "cache.r7g.large")
    valkey = book.node_price("eu-west-1", "valkey", "cache.r7g.large")
    assert rate and redis and valkey
    assert es.monthly_surcharge_usd == rate.usd * HOURS_PER_MONTH * 2
    assert es.valkey_monthly_saving_usd == (rate.usd + redis.usd_per_hour - valkey.usd_per_hour) * HOURS_PER_MONTH * 2


def test_current_versions_are_out_of_scope(book: PriceBook) -> None:
    es = replay_serverless(_row(version="7.1"), metric_set(SERIES), book).extended_support
    assert not es.in_scope and es.monthly_surcharge_usd is None


def test_replay_counts_bytes_both_ways_and_only_this_cluster(book: PriceBook) -> None:
    # The same 9,000 requests an hour as above, with the bytes split: in on the primary, out on the replica.
    # Hour 0: 9,000 x 1,024 + 9,000 x 1,024 = 2 KB per request; hour 1: 2 x 9,000 x 256 = 0.5 KB -> 1 ECPU.
    mine = {k: v for k, v in SERIES.items() if k[2] != "NetworkBytesIn"}
    mine[(PRIMARY, P, "NetworkBytesIn")] = [9000 * 1024, 9000 * 256]
    mine[(REPLICA, R, "NetworkBytesOut")] = [9000 * 1024, 9000 * 256]
    other = {("c2-0001-001/0001", P, metric): [5e10, 5e10] for metric in (
        "BytesUsedForCache", "GetTypeCmds", "SetTypeCmds", "NetworkBytesIn", "NetworkBytesOut")}
    replay = replay_serverless(_row("cache.r6g.large"), merged(metric_set(mine), metric_set(other, cluster="c2")), book)
    assert [h.stored_gb for h in replay.hours] == [2.0, 0.5]
    assert [h.requests for h in replay.hours] == [9000, 9000]
    assert [h.network_bytes for h in replay.hours] == [9000 * 2048, 9000 * 512]
    assert [h.ecpus for h in replay.hours] == [18000, 9000]


def test_an_hour_without_traffic_bills_storage_only(book: PriceBook) -> None:
    # Hour 1 has data stored but no command or network datapoint: 0 requests, 0 ECPUs, 1 ECPU per request shown.
    series = {(PRIMARY, P, "BytesUsedForCache"): [3e9, 3e9], (PRIMARY, P, "GetTypeCmds"): [1000],
              (PRIMARY, P, "SetTypeCmds"): [1000], (PRIMARY, P, "NetworkBytesIn"): [1000],
              (PRIMARY, P, "NetworkBytesOut"): [1000]}
    replay = replay_serverless(_row("cache.r6g.large", replicas=0), metric_set(series), book)
    quiet = replay.hours[1]
    assert (quiet.requests, quiet.network_bytes, quiet.ecpu_per_request, quiet.ecpus) == (0.0, 0.0, 1.0, 0.0)
    price = book.serverless_price("us-east-1", "redis")
    assert price is not None
    assert quiet.usd == 3 * price.storage_usd_per_gb_hour


def test_memcached_nodes_each_hold_their_own_data(book: PriceBook) -> None:
    # Memcached nodes share nothing: stored data and writes add up over every node.
    nodes = tuple(NodeRef(cache_cluster_id="m1", cache_node_id=f"000{i}", role="memcached") for i in (1, 2))
    row = FleetRow(id="m1", kind="cache_cluster", region="us-east-1", engine="memcached", engine_version="1.6.22",
                   node_type="cache.m6g.large", node_count=2, nodes=nodes)
    series = {("m1/0001", "memcached", "BytesUsedForCache"): [1.5e9],
              ("m1/0002", "memcached", "BytesUsedForCache"): [1e9],
              ("m1/0001", "memcached", "GetTypeCmds"): [1000], ("m1/0002", "memcached", "GetTypeCmds"): [1000],
              ("m1/0001", "memcached", "SetTypeCmds"): [500], ("m1/0002", "memcached", "SetTypeCmds"): [500],
              ("m1/0001", "memcached", "NetworkBytesIn"): [1500 * 1024],
              ("m1/0002", "memcached", "NetworkBytesIn"): [1500 * 1024]}
    replay = replay_serverless(row, metric_set(series, cluster="m1"), book)
    hour = replay.hours[0]
    assert (hour.stored_gb, hour.requests, hour.ecpu_per_request, hour.ecpus) == (2.5, 3000, 1.0, 3000)
    price = book.serverless_price("us-east-1", "memcached")
    assert price is not None
    assert hour.usd == Decimal("2.5") * price.storage_usd_per_gb_hour + Decimal("0.003") * price.ecpu_usd_per_million
    assert replay.valkey_serverless_monthly_usd is None  # the Valkey comparison is for Redis OSS clusters


def test_valkey_cluster_is_out_of_extended_support_and_has_no_valkey_comparison(book: PriceBook) -> None:
    replay = replay_serverless(_row(engine="valkey", version="8.0"), metric_set(SERIES), book)
    assert replay.valkey_serverless_monthly_usd is None and replay.serverless_monthly_usd is not None
    es = replay.extended_support
    assert es.in_scope is False
    assert es.note == "Valkey 8.0 is not a Redis OSS version in or near Extended Support."


def test_region_without_a_serverless_price_is_not_priced(book: PriceBook) -> None:
    replay = replay_serverless(_row(engine="valkey", version="8.0", region="us-fake-1"), metric_set(SERIES), book)
    assert replay.serverless_monthly_usd is None
    assert replay.notes[0] == "No bundled Serverless valkey price for us-fake-1: the replay is not priced."
    assert [h.usd for h in replay.hours] == [Decimal(0), Decimal(0)]


def test_replay_names_its_hours_cluster_and_notes(book: PriceBook) -> None:
    row = _row("cache.r6g.large").model_copy(update={"monthly_cost_usd": Decimal("300.76")})
    replay = replay_serverless(row, metric_set(SERIES), book)
    assert (replay.cluster, replay.engine, replay.current_monthly_usd) == ("c1", "redis", Decimal("300.76"))
    assert [h.hour for h in replay.hours] == [START, START + dt.timedelta(hours=1)]
    assert replay.observed_hours == 2 and list(replay.frame()["ecpus"]) == [18000, 9000]
    assert replay.notes == ("Network bytes include replication traffic, so ECPUs are an upper estimate.",)
    empty = replay_serverless(row, metric_set({}), book)
    assert empty.hours == () and empty.serverless_monthly_usd is None
    assert empty.notes[0] == "No BytesUsedForCache datapoints in the window: nothing to replay."
