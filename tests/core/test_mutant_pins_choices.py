"""Engine choice and Serverless fit (advisor/choices.py) pinned where mutation testing (scripts/mutation.sh)
found the suite silent: each reason and blocker as shown, the forced flag, and each limit at its bound.
Limits from the facts file (section 5): 5,000 GB data, 15,000,000 ECPU/s, maxclients 65,000 per cache."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from advisor.choices import assess_serverless, choose_engine, memcached_blockers
from advisor.pricing import PriceBook
from advisor.workload import parse_workload

SIMPLE = {"dataset_gb": 5, "features": ["simple_get_set", "multithreaded_simple_cache"], "availability": "none",
          "snapshot_retention_days": 0, "auth": "none"}


def _w(**spec: Any) -> Any:
    return parse_workload({"dataset_gb": 10, "avg_reads_per_sec": 1000, "avg_writes_per_sec": 100, **spec})


def test_memcached_choice_words() -> None:
    choice = choose_engine(parse_workload(SIMPLE))
    assert (choice.engine, choice.forced, choice.memcached_blockers) == ("memcached", False, ())
    assert choice.reasons == ("only plain GET/SET on opaque values, multithreaded, with no persistence, replication "
                              "or auth: Memcached's multithreaded engine fits",)


def test_valkey_choice_words_and_blockers() -> None:
    w = parse_workload({**SIMPLE, "features": ["hashes", "lists"], "availability": "multi_az",
                        "snapshot_retention_days": 1, "auth": "rbac"})
    choice = choose_engine(w)
    assert (choice.engine, choice.forced) == ("valkey", False)
    assert choice.reasons == (
        "Valkey is a superset of Redis OSS 7.2, costs about 20% less per node and about 33% less on Serverless",
        "Memcached does not fit this workload (see why below)")
    assert choice.memcached_blockers == (
        "needs hashes, lists, which Memcached lacks (opaque values only)",
        "the workload does not ask for a multithreaded simple cache, Memcached's one strength",
        "Multi-AZ availability needs replicas and failover; node-based Memcached has neither",
        "snapshots requested; node-based Memcached has no backups",
        "RBAC (users and a user group) authentication is not available on Memcached")
    assert memcached_blockers(parse_workload(SIMPLE)) == []


def test_forced_engine_keeps_the_blockers() -> None:
    w = parse_workload({**SIMPLE, "features": ["hashes", "multithreaded_simple_cache"],
                        "constraints": {"engine": "redis"}})
    choice = choose_engine(w)
    assert (choice.engine, choice.forced) == ("redis", True)
    assert choice.reasons == ("forced to Redis OSS by the workload",)
    assert choice.memcached_blockers == ("needs hashes, which Memcached lacks (opaque values only)",)


def test_serverless_fit_and_price_by_hand(book: PriceBook) -> None:
    fit = assess_serverless(_w(), book, "valkey")
    assert fit.feasible and fit.blockers == () and fit.priced and fit.notes == ()
    assert fit.stored_gb == 10 and fit.ecpu.per_read == 1.0
    # serverless.csv us-east-1 Valkey: 10 GB x 730 h x $0.084 = $613.20; 1,100 req/s x 2,628,000 s = 2,890.8
    # million ECPUs x $0.0023 = $6.64884.
    assert fit.estimate is not None and fit.estimate.monthly == Decimal("613.2") + Decimal("6.64884")
    doubled = assess_serverless(_w(), book, "valkey", traffic_scale=2.0)
    assert doubled.ecpu.average_per_second == pytest.approx(2 * 1100)


def test_serverless_blockers_words(book: PriceBook) -> None:
    def blockers(engine: str = "valkey", **spec: Any) -> tuple[str, ...]:
        return assess_serverless(_w(**spec), book, engine).blockers

    assert blockers(client_cluster_aware=False) == (
        "Serverless is cluster-mode only and the client is not cluster-aware",)
    # Memcached Serverless needs no cluster-aware client (its clients talk to one endpoint).
    simple = {k: v for k, v in SIMPLE.items() if k != "dataset_gb"}
    assert blockers("memcached", client_cluster_aware=False, **simple) == ()
    assert blockers(features=["keyspace_notifications", "select_multiple_dbs", "hashes"]) == (
        "Serverless does not support keyspace notifications, multiple databases (SELECT)",)
    assert blockers(availability="multi_region", secondary_regions=["eu-west-1"]) == (
        "Serverless caches cannot join a Global Datastore (multi-Region)",)
    assert blockers(auth="auth_token") == ("Serverless has no AUTH token (use RBAC or IAM)",)
    assert blockers(dataset_gb=6000) == ("dataset 6,000 GB exceeds the Serverless maximum of 5,000 GB",)
    assert blockers(dataset_gb=5000) == ()
    assert blockers(max_connections=70_000) == ("70,000 connections exceed Serverless maxclients of 65,000 per cache",)
    assert blockers(max_connections=65_000) == ()
    # 1 ECPU per request: 20,000,000 peak reads/s is 20,000,000 ECPU/s; exactly 15,000,000 is allowed.
    assert blockers(peak_reads_per_sec=20_000_000, avg_writes_per_sec=0) == (
        "peak 20,000,000 ECPU/s exceeds the Serverless maximum of 15,000,000",)
    assert blockers(peak_reads_per_sec=15_000_000, avg_writes_per_sec=0) == ()
