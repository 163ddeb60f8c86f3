"""INFO of every primary (memory, stats, keyspace, commandstats) and the readable CONFIG, as typed data."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import redis
from redis.exceptions import RedisError, ResponseError

from advisor.live.read_only import read
from advisor.live.redis_connection import RedisClient, RedisTarget, node_clients, problem_from, target_of

NOT_READABLE = "not readable"


# INFO ------------------------------------------------------------------------------------------------------


# Commands the keyspace analyzer sends per measured key that count as keyspace hits (MEMORY USAGE does not).
PROBE_COMMANDS = ("type", "ttl", "object idletime")


@dataclass(frozen=True)
class CommandStat:
    name: str
    calls: int
    usec: int
    usec_per_call: float
    failed: int = 0


@dataclass(frozen=True)
class NodeInfo:
    address: str
    role: str
    used_memory: int
    maxmemory: int
    keys: int
    expires: int
    ops_per_sec: int
    hits: int
    misses: int
    evicted_keys: int
    connected_clients: int
    uptime_s: int


@dataclass(frozen=True)
class ServerInfo:
    address: str
    engine: str  # "valkey" or "redis"
    version: str
    cluster_mode: bool
    nodes: tuple[NodeInfo, ...]
    maxmemory_policy: str
    notify_keyspace_events: str | None  # None: CONFIG is blocked (ElastiCache)
    keyspace: Mapping[str, Mapping[str, int]]
    commandstats: Mapping[str, CommandStat]

    @property
    def total_keys(self) -> int:
        return sum(n.keys for n in self.nodes)

    @property
    def used_memory(self) -> int:
        return sum(n.used_memory for n in self.nodes)

    @property
    def probe_hits(self) -> int:
        """Keyspace hits that TYPE, TTL and OBJECT IDLETIME caused: the analyzer sends one of each per key it
        measures (every run, since the server started), and applications rarely send them."""
        probes = sum(self.commandstats[n].calls for n in PROBE_COMMANDS if n in self.commandstats)
        return min(probes, sum(n.hits for n in self.nodes))

    @property
    def hit_rate(self) -> float | None:
        """The applications' hit rate since the stats began (`uptime_s`), the analyzer's own probes taken out."""
        hits = sum(n.hits for n in self.nodes) - self.probe_hits
        misses = sum(n.misses for n in self.nodes)
        return hits / (hits + misses) if hits + misses else None

    @property
    def uptime_s(self) -> int:
        return min((n.uptime_s for n in self.nodes), default=0)


def _config_get(client: redis.Redis, name: str) -> str | None:
    """CONFIG GET, or None where CONFIG is blocked or renamed (ElastiCache does this)."""
    try:
        reply = read(client, "CONFIG", "GET", name)
    except ResponseError:
        return None
    if isinstance(reply, dict):
        value = reply.get(name, reply.get(name.encode()))
    else:
        items = list(reply or [])
        value = items[1] if len(items) >= 2 else None
    if value is None:
        return None
    return value.decode() if isinstance(value, bytes) else str(value)


def _commandstats(raw: Mapping[str, Any]) -> dict[str, CommandStat]:
    stats: dict[str, CommandStat] = {}
    for key, value in raw.items():
        if not key.startswith("cmdstat_") or not isinstance(value, Mapping):
            continue
        name = key.removeprefix("cmdstat_").lower().replace("|", " ")
        stats[name] = CommandStat(
            name=name, calls=int(value.get("calls", 0)), usec=int(value.get("usec", 0)),
            usec_per_call=float(value.get("usec_per_call", 0.0)),
            failed=int(value.get("failed_calls", 0)) + int(value.get("rejected_calls", 0)),
        )
    return stats


def _merge_commandstats(per_node: Iterable[Mapping[str, CommandStat]]) -> dict[str, CommandStat]:
    merged: dict[str, CommandStat] = {}
    for stats in per_node:
        for name, s in stats.items():
            old = merged.get(name)
            calls = s.calls + (old.calls if old else 0)
            usec = s.usec + (old.usec if old else 0)
            merged[name] = CommandStat(name, calls, usec, usec / calls if calls else 0.0,
                                       s.failed + (old.failed if old else 0))
    return merged


def inspect(client: RedisClient, target: RedisTarget | None = None) -> ServerInfo:
    """INFO of every primary (memory, stats, keyspace, commandstats, clients, replication) and readable CONFIG."""
    nodes: list[NodeInfo] = []
    stats: list[dict[str, CommandStat]] = []
    keyspace: dict[str, dict[str, int]] = {}
    server: Mapping[str, Any] = {}
    target = target or target_of(client)
    node_address = target.address
    try:
        for node_address, node in node_clients(client):
            info = read(node, "INFO", "everything")
            if not isinstance(info, Mapping):
                info = node.info("everything")
            server = server or info
            node_keys = node_expires = 0
            for db, value in info.items():
                if re.fullmatch(r"db\d+", str(db)) and isinstance(value, Mapping):
                    entry = keyspace.setdefault(str(db), {"keys": 0, "expires": 0})
                    entry["keys"] += int(value.get("keys", 0))
                    entry["expires"] += int(value.get("expires", 0))
                    node_keys += int(value.get("keys", 0))
                    node_expires += int(value.get("expires", 0))
            nodes.append(NodeInfo(
                address=node_address, role=str(info.get("role", "master")),
                used_memory=int(info.get("used_memory", 0)), maxmemory=int(info.get("maxmemory", 0)),
                keys=node_keys, expires=node_expires, ops_per_sec=int(info.get("instantaneous_ops_per_sec", 0)),
                hits=int(info.get("keyspace_hits", 0)), misses=int(info.get("keyspace_misses", 0)),
                evicted_keys=int(info.get("evicted_keys", 0)), connected_clients=int(info.get("connected_clients", 0)),
                uptime_s=int(info.get("uptime_in_seconds", 0)),
            ))
            stats.append(_commandstats(info))
        node_address, first = node_clients(client)[0]
        policy = _config_get(first, "maxmemory-policy") or str(server.get("maxmemory_policy") or NOT_READABLE)
        notify = _config_get(first, "notify-keyspace-events")
    except (RedisError, OSError) as exc:
        raise problem_from(exc, target, where=node_address) from None
    engine = "valkey" if server.get("server_name") == "valkey" or "valkey_version" in server else "redis"
    version = str(server.get("valkey_version") or server.get("redis_version") or "unknown")
    return ServerInfo(
        address=target.address, engine=engine, version=version,
        cluster_mode=isinstance(client, redis.RedisCluster), nodes=tuple(nodes), maxmemory_policy=policy,
        notify_keyspace_events=notify, keyspace=keyspace, commandstats=_merge_commandstats(stats),
    )

