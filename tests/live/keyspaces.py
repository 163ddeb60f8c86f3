"""A known synthetic keyspace, and exact totals computed by a full pass of MEMORY USAGE over every key."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import redis

# (prefix, type, count) with fixed value sizes so the exact totals are reproducible.
STRINGS_SMALL = 3000  # user:{i} -> 100-byte value; every third has a TTL
STRINGS_BIG = 1000  # blob:{i} -> 2000-byte value
HASHES = 500  # session:{i} -> 10 fields of 12 bytes; all have a TTL
LISTS = 300  # queue:{i} -> 20 items of 10 bytes
SETS = 200  # tags:{i} -> 15 members
ZSETS = 200  # rank:{i} -> 15 members
TOTAL_KEYS = STRINGS_SMALL + STRINGS_BIG + HASHES + LISTS + SETS + ZSETS
WITH_TTL = len(range(0, STRINGS_SMALL, 3)) + HASHES


def load_keyspace(client: redis.Redis | redis.RedisCluster) -> None:
    pipe = client.pipeline(transaction=False)
    for i in range(STRINGS_SMALL):
        pipe.set(f"user:{i}", "u" * 100, ex=3600 if i % 3 == 0 else None)
    for i in range(STRINGS_BIG):
        pipe.set(f"blob:{i}", "b" * 2000)
    for i in range(HASHES):
        pipe.hset(f"session:{i}", mapping={f"field{f:02d}": "v" * 12 for f in range(10)})
        pipe.expire(f"session:{i}", 7200)
    for i in range(LISTS):
        pipe.rpush(f"queue:{i}", *["q" * 10 for _ in range(20)])
    for i in range(SETS):
        pipe.sadd(f"tags:{i}", *[f"tag-{m}" for m in range(15)])
    for i in range(ZSETS):
        pipe.zadd(f"rank:{i}", {f"member-{m}": m for m in range(15)})
    pipe.execute()


@dataclass(frozen=True)
class ExactKeyspace:
    keys: int
    total_bytes: int
    bytes_by_type: dict[str, int]
    keys_by_type: dict[str, int]
    no_ttl: int


def exact_totals(nodes: list[redis.Redis]) -> ExactKeyspace:
    """Every key on every node: MEMORY USAGE, TYPE and TTL, summed."""
    total = 0
    by_type: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    no_ttl = 0
    keys = 0
    for node in nodes:
        for key in node.scan_iter(count=1000):
            size = int(node.memory_usage(key))
            key_type = node.type(key)
            key_type = key_type.decode() if isinstance(key_type, bytes) else key_type
            total += size
            by_type[key_type] += size
            counts[key_type] += 1
            no_ttl += node.ttl(key) == -1
            keys += 1
    return ExactKeyspace(keys, total, dict(by_type), dict(counts), no_ttl)


def fill_strings(client: redis.Redis, count: int, value_bytes: int = 50, prefix: str = "k") -> None:
    """`count` plain string keys `prefix:i`, written in one pipeline (enough for a scan of several batches)."""
    pipe = client.pipeline(transaction=False)
    for i in range(count):
        pipe.set(f"{prefix}:{i}", "x" * value_bytes)
    pipe.execute()
