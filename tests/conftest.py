"""Shared fixtures: the bundled price book, and real redis-server processes on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from advisor.pricing import PriceBook, load_price_book
from tests.support.mutation import clear_advisor_caches, under_mutation_testing
from tests.support.redis_servers import RedisClusterServers, RedisServer, start_cluster, start_redis

REDIS_PASSWORD = "test-only-password-1234"


@pytest.fixture(autouse=True)
def _fresh_caches_under_mutation_testing() -> None:
    """Only under mutmut (scripts/mutation.sh): each test starts with empty functools caches in `advisor`."""
    if under_mutation_testing():
        clear_advisor_caches()


@pytest.fixture(scope="session")
def book() -> PriceBook:
    return load_price_book()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """A standalone redis-server with no password, shared by the session; tests flush what they use."""
    server = start_redis()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server_with_password() -> Iterator[RedisServer]:
    server = start_redis(password=REDIS_PASSWORD)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_cluster() -> Iterator[RedisClusterServers]:
    cluster = start_cluster(primaries=3)
    yield cluster
    cluster.stop()
