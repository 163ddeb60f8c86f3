"""Hot slots as the engine reports them: Valkey 8+ `CLUSTER SLOT-STATS`, a read-only command, on every primary.

CloudWatch says which shard is hot; the slot statistics say which of its hash slots, and so which keys or hash
tags, make it hot. CPU time and network bytes per slot are reported only when the server runs with
`cluster-slot-stats-enabled yes`; otherwise the slots are ranked by key count and the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import redis
from redis.exceptions import RedisClusterException

from advisor.errors import ConnectionProblem

ORDER = ("cpu-usec", "key-count")
FIELDS = ("key-count", "cpu-usec", "network-bytes-in", "network-bytes-out")


@dataclass(frozen=True)
class SlotStat:
    slot: int
    node: str
    values: dict[str, int]


@dataclass(frozen=True)
class SlotReport:
    ordered_by: str
    slots: tuple[SlotStat, ...]
    note: str


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _parse(reply: Any, node: str) -> list[SlotStat]:
    """RESP2 answers [[slot, [name, value, ...]], ...]; RESP3 may give each slot's stats as a map."""
    out = []
    for entry in reply or []:
        slot, stats = entry[0], entry[1]
        if isinstance(stats, dict):
            values = {_text(k): int(v) for k, v in stats.items()}
        else:
            values = {_text(stats[i]): int(stats[i + 1]) for i in range(0, len(stats) - 1, 2)}
        out.append(SlotStat(int(slot), node, values))
    return out


def _ask(client: Any, order: str, limit: int) -> list[SlotStat]:
    args = ("CLUSTER SLOT-STATS", "ORDERBY", order, "LIMIT", limit)
    if isinstance(client, redis.RedisCluster):
        replies = client.execute_command(*args, target_nodes=client.get_primaries())
        if not isinstance(replies, dict):
            replies = {"primary": replies}
        return [s for node, reply in replies.items() for s in _parse(reply, _text(node))]
    return _parse(client.execute_command(*args), "server")


def hot_slots(client: Any, limit: int = 10) -> SlotReport:
    """The `limit` busiest slots across primaries, by CPU time when the server tracks it, else by key count."""
    if not 1 <= limit <= 16_384:
        raise ValueError(f"limit must be 1 to 16384 slots, not {limit}")
    problem = ""
    for order in ORDER:
        try:
            stats = _ask(client, order, limit)
        except redis.ResponseError as exc:
            problem = str(exc)
            continue
        except (redis.RedisError, RedisClusterException) as exc:
            raise ConnectionProblem(f"Could not read slot statistics: {type(exc).__name__}") from None
        if order == "cpu-usec" and not any("cpu-usec" in s.values for s in stats):
            problem = "per-slot CPU is not tracked (cluster-slot-stats-enabled is off)"
            continue
        ranked = sorted(stats, key=lambda s: s.values.get(order, 0), reverse=True)[:limit]
        note = f"Ranked by {order}." + (f" {problem[:200]}: ranked by key count instead." if problem else "")
        return SlotReport(order, tuple(ranked), note)
    raise ConnectionProblem("The server does not report slot statistics (CLUSTER SLOT-STATS needs Valkey 8 or "
                            f"later with cluster mode enabled): {problem[:200]}")


def connect_cluster(host: str, port: int, tls: bool = False, username: str | None = None,
                    password: str | None = None) -> redis.RedisCluster:
    """A cluster client for `hot_slots` only (the password stays in the client, never in a message)."""
    if not host or not 1 <= port <= 65_535:
        raise ConnectionProblem("host must be set and port must be 1 to 65535")
    try:
        return redis.RedisCluster(host=host, port=port, ssl=tls, username=username or None,
                                  password=password or None, socket_timeout=10, socket_connect_timeout=5)
    except (redis.RedisError, RedisClusterException, OSError) as exc:
        raise ConnectionProblem(f"Could not connect to the cluster at {host}:{port}: {type(exc).__name__}") from None
