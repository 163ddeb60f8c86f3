"""Fixtures for the caching-pattern tests: a clean Redis client on the shared loopback server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from tests.support.redis_servers import RedisServer


@pytest.fixture
def client(redis_server: RedisServer) -> Iterator[redis.Redis]:
    """A client on a flushed database; a pool large enough for 200 hammering threads."""
    connection = redis_server.client(max_connections=400, socket_timeout=10)
    connection.flushdb()
    yield connection
    connection.flushdb()
    connection.close()
