"""Read-only inspection of a running Redis OSS or Valkey server or cluster: INFO, sampled keyspace, command mix.

Read-only is enforced, not hoped for: every command the analyzer sends passes `_allowed`, which refuses any
name outside READ_ONLY_COMMANDS. The estimates are stratified by node (each cluster primary is one stratum):
total = sum over nodes of DBSIZE x mean MEMORY USAGE of the sampled keys, with a 95% interval from the
sample's standard error (finite-population corrected). SCAN visits hash buckets, and a key's bucket is a hash
of its name, so the first keys SCAN returns are a sample unrelated to their sizes.
"""

from __future__ import annotations

import heapq
import math
import re
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import hiredis
import numpy as np
import redis
from redis.backoff import NoBackoff
from redis.cluster import ClusterNode
from redis.exceptions import (
    AuthenticationError,
    AuthenticationWrongNumberOfArgsError,
    RedisClusterException,
    RedisError,
    ResponseError,
)
from redis.retry import Retry

from advisor.errors import ConnectionProblem

RedisClient = redis.Redis | redis.RedisCluster
Z95 = 1.96
BIGGEST_KEYS = 10
TOP_PREFIXES = 20
HOT_IDLE_SECONDS = 3600  # a key read or written within the last hour counts as part of the hot set
# Only these commands are ever sent by the analyzer (first word, or first two for container commands).
READ_ONLY_COMMANDS = frozenset({
    "PING", "INFO", "DBSIZE", "SCAN", "TYPE", "TTL", "MEMORY USAGE", "OBJECT IDLETIME", "CONFIG GET",
})
NOT_READABLE = "not readable"


class ScanInterrupted(ConnectionProblem):
    """The server went away during the keyspace scan; `partial` holds what was measured, labelled partial."""

    def __init__(self, message: str, partial: KeyspaceReport) -> None:
        super().__init__(message)
        self.partial = partial


@dataclass(frozen=True)
class RedisTarget:
    """Where and how to connect. The password is excluded from repr so it never reaches a log line."""

    host: str
    port: int = 6379
    tls: bool = False
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    tls_verify: bool = True
    timeout_s: float = 5.0
    db: int = 0

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def client_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "username": self.username or None, "password": self.password or None,
            "socket_timeout": self.timeout_s, "socket_connect_timeout": self.timeout_s,
            # One attempt: a wrong password or a dead host must fail fast with its own message, not after retries.
            "retry": Retry(NoBackoff(), 0),
        }
        if self.tls:
            kwargs["ssl"] = True
            kwargs["ssl_cert_reqs"] = "required" if self.tls_verify else "none"
        return kwargs


def _allowed(*args: Any) -> tuple[Any, ...]:
    name = str(args[0]).upper()
    two = f"{name} {str(args[1]).upper()}" if len(args) > 1 else name
    if name not in READ_ONLY_COMMANDS and two not in READ_ONLY_COMMANDS:
        raise PermissionError(f"the analyzer refuses to send {name}: it is not on the read-only list")
    return args


def _read(client: redis.Redis, *args: Any) -> Any:
    return client.execute_command(*_allowed(*args))


def problem_from(exc: BaseException, target: RedisTarget) -> ConnectionProblem:
    """A sentence naming the address and the likely fix. redis-py messages never contain the password."""
    where = target.address
    text = str(exc)
    lowered = text.lower()
    auth_failed = isinstance(exc, AuthenticationError | AuthenticationWrongNumberOfArgsError)
    if "noauth" in lowered or "authentication required" in lowered or (auth_failed and not target.password):
        return ConnectionProblem(f"{where} requires a password (and possibly a username); none was given.")
    if auth_failed or "wrongpass" in lowered:
        return ConnectionProblem(f"Authentication failed at {where}: wrong username or password.")
    if isinstance(exc, redis.TimeoutError) or isinstance(exc.__cause__, socket.timeout | TimeoutError):
        hint = " With TLS on, a server that does not speak TLS never answers the handshake: try without TLS." \
            if target.tls else ""
        return ConnectionProblem(f"{where} did not answer within {target.timeout_s:g} s.{hint}")
    if isinstance(exc.__cause__, ssl.SSLError) or "ssl" in lowered or "wrong version number" in lowered:
        return ConnectionProblem(
            f"TLS handshake with {where} failed ({text[:120]}). If the server does not use TLS, untick TLS; if it "
            "does, check the certificate or turn off verification for a private CA."
        )
    if "refused" in lowered or "error 111" in lowered:
        return ConnectionProblem(f"Nothing is listening at {where} (connection refused): check host and port.")
    if "name or service not known" in lowered or "nodename nor servname" in lowered or "-2 connecting" in lowered:
        return ConnectionProblem(f"The host name in {where} does not resolve.")
    if "closed by server" in lowered or "reset by peer" in lowered or "connection closed" in lowered:
        hint = "" if target.tls else " If it requires TLS (ElastiCache in-transit encryption), tick TLS."
        return ConnectionProblem(f"{where} closed the connection.{hint}")
    if isinstance(exc, RedisClusterException):
        return ConnectionProblem(f"Could not use {where} as a cluster: {text[:200]}")
    return ConnectionProblem(f"Could not talk to {where}: {type(exc).__name__}: {text[:200]}")


def connect(target: RedisTarget) -> RedisClient:
    """A client for the server, or a RedisCluster when the server reports cluster_enabled:1."""
    client = redis.Redis(host=target.host, port=target.port, db=target.db, **target.client_kwargs())
    try:
        _read(client, "PING")
        cluster_info = client.info("cluster")
        if not cluster_info.get("cluster_enabled"):
            return client
        client.close()
        return redis.RedisCluster(
            startup_nodes=[ClusterNode(target.host, target.port)], **target.client_kwargs()
        )
    except RedisError as exc:
        client.close()
        raise problem_from(exc, target) from None
    except OSError as exc:
        client.close()
        raise problem_from(exc, target) from None


def node_clients(client: RedisClient) -> list[tuple[str, redis.Redis]]:
    """(address, client) per primary: the cluster's primaries, or the one standalone server."""
    if isinstance(client, redis.RedisCluster):
        return [(f"{n.host}:{n.port}", client.get_redis_connection(n)) for n in client.get_primaries()]
    kwargs = client.connection_pool.connection_kwargs
    return [(f"{kwargs.get('host')}:{kwargs.get('port')}", client)]


# INFO ------------------------------------------------------------------------------------------------------


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
    def hit_rate(self) -> float | None:
        hits, misses = sum(n.hits for n in self.nodes), sum(n.misses for n in self.nodes)
        return hits / (hits + misses) if hits + misses else None

    @property
    def uptime_s(self) -> int:
        return min((n.uptime_s for n in self.nodes), default=0)


def _config_get(client: redis.Redis, name: str) -> str | None:
    """CONFIG GET, or None where CONFIG is blocked or renamed (ElastiCache does this)."""
    try:
        reply = _read(client, "CONFIG", "GET", name)
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
    try:
        for node_address, node in node_clients(client):
            info = _read(node, "INFO", "everything")
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
        first = node_clients(client)[0][1]
        policy = _config_get(first, "maxmemory-policy") or str(server.get("maxmemory_policy") or NOT_READABLE)
        notify = _config_get(first, "notify-keyspace-events")
    except (RedisError, OSError) as exc:
        first_address = nodes[0].address if nodes else node_clients(client)[0][0]
        raise problem_from(exc, target or RedisTarget(*_split(first_address))) from None
    engine = "valkey" if server.get("server_name") == "valkey" or "valkey_version" in server else "redis"
    version = str(server.get("valkey_version") or server.get("redis_version") or "unknown")
    return ServerInfo(
        address=target.address if target else nodes[0].address, engine=engine, version=version,
        cluster_mode=isinstance(client, redis.RedisCluster), nodes=tuple(nodes), maxmemory_policy=policy,
        notify_keyspace_events=notify, keyspace=keyspace, commandstats=_merge_commandstats(stats),
    )


# Keyspace sampling ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its 95% confidence interval (equal bounds when measured exactly)."""

    value: float
    low: float
    high: float

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2

    def contains(self, x: float) -> bool:
        return self.low <= x <= self.high


@dataclass(frozen=True)
class TypeEstimate:
    type: str
    sampled_keys: int
    keys: Estimate
    bytes: Estimate
    mean_bytes_per_key: float


@dataclass(frozen=True)
class KeySample:
    key: str
    type: str
    bytes: int
    ttl_s: int  # -1: no expiry


@dataclass(frozen=True)
class PrefixStat:
    pattern: str
    sampled_keys: int
    share_of_keys: float
    share_of_bytes: float
    mean_bytes: float


@dataclass(frozen=True)
class KeyspaceReport:
    mode: str  # "sampled" or "full"
    nodes: int
    total_keys: int  # DBSIZE summed over primaries
    sampled_keys: int
    total_bytes: Estimate
    by_type: tuple[TypeEstimate, ...]
    no_ttl_share: Estimate
    biggest: tuple[KeySample, ...]
    prefixes: tuple[PrefixStat, ...]
    mean_key_bytes: float
    mean_bytes_per_key: float
    median_bytes_per_key: float
    p95_bytes_per_key: float
    hot_share: float | None  # share of sampled keys touched within HOT_IDLE_SECONDS; None if not tracked
    elapsed_s: float
    partial: bool = False
    stopped_reason: str = ""

    @property
    def share_touched(self) -> float:
        return self.sampled_keys / self.total_keys if self.total_keys else 0.0

    @property
    def keys_per_second(self) -> float:
        return self.sampled_keys / self.elapsed_s if self.elapsed_s else 0.0

    @property
    def label(self) -> str:
        return f"{self.mode}{' (PARTIAL)' if self.partial else ''}"


@dataclass
class _NodeSample:
    address: str
    dbsize: int
    keys: list[str] = field(default_factory=list)
    key_bytes: list[int] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    ttls: list[int] = field(default_factory=list)
    idle: list[int | None] = field(default_factory=list)
    complete: bool = False  # SCAN came back to cursor 0 and every key it returned was measured
    error: BaseException | None = None
    stopped: str = ""


@dataclass(frozen=True)
class SampleSettings:
    sample_size: int = 20_000  # keys, across all primaries
    time_budget_s: float | None = 30.0
    max_ops_per_sec: float | None = 20_000.0  # across all primaries
    scan_count: int = 1000
    full: bool = False  # every key; exact totals
    track_idle: bool = True  # OBJECT IDLETIME for the hot-set share (fails harmlessly under LFU policies)


def _decode(value: Any) -> str:
    return value.decode("utf-8", "backslashreplace") if isinstance(value, bytes) else str(value)


def _pack(*args: Any) -> bytes:
    """One command in RESP, after `_allowed` has checked it."""
    parts = [b"*%d\r\n" % len(args)]
    for arg in _allowed(*args):
        data = arg if isinstance(arg, bytes) else str(arg).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


def _per_key_template(commands: Iterable[tuple[str, ...]]) -> bytes:
    """RESP for `COMMAND ... KEY` for each command, for `template % ((len(key), key) * len(commands))`.

    Every command passes `_allowed` here (through `_pack`), so a batch built from the template sends nothing else.
    """
    parts = []
    for command in commands:
        packed = _pack(*command, "KEY")
        parts.append(packed.removesuffix(b"$3\r\nKEY\r\n").replace(b"%", b"%%") + b"$%d\r\n%s\r\n")
    return b"".join(parts)


class _Wire:
    """One pooled connection of a node's client, driven directly: batches of RESP out, hiredis-parsed replies in.

    redis-py's pipeline costs ~15 us of Python per command (packing, parsing, bookkeeping), which capped the full
    scan at ~35,000 keys/s. Here a batch is one bytes join, and its replies come back as one hiredis array: the
    reader is fed an array header for the number of replies expected, so hiredis parses the lot in C. The
    connection (AUTH, TLS, SELECT already done by redis-py) goes back to the pool clean, or is closed.
    """

    def __init__(self, client: redis.Redis, address: str) -> None:
        self.address = address
        self.pool = client.connection_pool
        self.connection = self.pool.get_connection()  # connected, authenticated, database selected
        sock = getattr(self.connection, "_sock", None)
        self.clean = True
        if not isinstance(sock, socket.socket):  # ssl.SSLSocket is one too
            self.close()
            raise RedisError(f"no socket to scan {address} with ({type(self.connection).__name__})")
        self.sock: socket.socket = sock
        self.reader = hiredis.Reader(replyError=ResponseError)

    def send(self, payload: bytes) -> None:
        self.clean = False
        try:
            self.sock.sendall(payload)
        except TimeoutError as exc:
            raise redis.TimeoutError(f"Timeout writing to {self.address}") from exc
        except OSError as exc:
            raise redis.ConnectionError(f"Error while writing to {self.address}: {exc}") from exc

    def receive(self, replies: int) -> list[Any]:
        """The next `replies` replies, in order; error replies come back as ResponseError instances."""
        self.reader.feed(b"*%d\r\n" % replies)
        result = self.reader.gets()
        while result is False:
            try:
                data = self.sock.recv(1 << 18)
            except TimeoutError as exc:
                raise redis.TimeoutError(f"Timeout reading from {self.address}") from exc
            except OSError as exc:
                raise redis.ConnectionError(f"Error while reading from {self.address}: {exc}") from exc
            if not data:
                raise redis.ConnectionError("Connection closed by server.")
            self.reader.feed(data)
            result = self.reader.gets()
        return result

    def settled(self) -> None:
        """Every reply sent for has been read: the connection can go back to the pool as it came."""
        self.clean = True

    def close(self) -> None:
        if not self.clean:
            self.connection.disconnect()  # replies may still be on the way: never hand this socket out again
        self.pool.release(self.connection)


def _sample_node(
    address: str, client: redis.Redis, quota: int, settings: SampleSettings, deadline: float | None,
    ops_cap: float | None, progress: Callable[[int], None] | None,
) -> _NodeSample:
    """SCAN the node and measure each new key (OBJECT IDLETIME, TYPE, MEMORY USAGE, TTL), one batch in flight.

    Each write carries the measuring commands for the keys of the last SCAN page plus the next SCAN, so the server
    works on batch i+1 while this thread records batch i. Quota, time budget and ops/s cap are checked before
    each write; a key sent for measurement counts against the quota.
    """
    sample = _NodeSample(address=address, dbsize=0)
    seen: set[bytes] = set()
    started = time.monotonic()
    ops = 0
    sent = 0  # keys sent for measurement
    commands = ([("OBJECT", "IDLETIME")] if settings.track_idle else []) + [("TYPE",), ("MEMORY", "USAGE"), ("TTL",)]
    per_key = len(commands)
    template = _per_key_template(commands)
    type_names: dict[bytes, str] = {}
    wire: _Wire | None = None
    try:
        sample.dbsize = int(_read(client, "DBSIZE"))
        wire = _Wire(client, address)
        wire.send(_pack("SCAN", 0, "COUNT", settings.scan_count))
        ops += 1
        in_flight: list[bytes] = []  # keys whose measuring replies precede the SCAN reply (if any) in the next read
        scanning = True
        while in_flight or scanning:
            replies = wire.receive(per_key * len(in_flight) + scanning)
            measured, in_flight = in_flight, []
            scan_next = False
            if scanning:
                scan_reply = replies.pop()
                if isinstance(scan_reply, Exception):
                    raise scan_reply
                cursor, keys = int(scan_reply[0]), scan_reply[1]
                fresh = [k for k in keys if k not in seen]
                truncated = False
                if not settings.full and len(fresh) > quota - sent:
                    fresh = fresh[: max(0, quota - sent)]
                    truncated = True
                seen.update(fresh)
                sent += len(fresh)
                in_flight = fresh
                if cursor == 0:
                    sample.complete = not truncated
                elif not truncated and (settings.full or sent < quota):
                    if deadline is not None and time.monotonic() > deadline:
                        sample.stopped = f"time budget reached on {address}"
                    else:
                        scan_next = True
            if in_flight or scan_next:
                if ops_cap:
                    # Pace to the ops/s cap: sleep until the ops sent so far fit under it.
                    ahead = ops / ops_cap - (time.monotonic() - started)
                    if ahead > 0:
                        time.sleep(ahead)
                # One % for the whole batch: (len, key) once per command per key, in template order.
                batch = template * len(in_flight) % tuple(x for k in in_flight for x in (len(k), k) * per_key)
                if scan_next:
                    batch += _pack("SCAN", cursor, "COUNT", settings.scan_count)
                wire.send(batch)
                ops += per_key * len(in_flight) + scan_next
            else:
                wire.settled()
            scanning = scan_next
            if measured:
                _record(sample, measured, replies, per_key, settings.track_idle, type_names)
                if progress:
                    progress(len(measured))
    except (RedisError, OSError) as exc:
        sample.error = exc
    finally:
        if wire is not None:
            wire.close()
    return sample


def _record(sample: _NodeSample, keys: list[bytes], replies: list[Any], per_key: int, track_idle: bool,
            type_names: dict[bytes, str]) -> None:
    """Append the measured keys; a key gone between SCAN and MEMORY USAGE (nil, or TYPE none) is skipped."""
    offset = 1 if track_idle else 0
    idles = replies[0::per_key] if track_idle else [None] * len(keys)
    for key, idle, key_type, size, ttl in zip(keys, idles, replies[offset::per_key], replies[offset + 1::per_key],
                                              replies[offset + 2::per_key], strict=True):
        if type(size) is not int or key_type == b"none":
            continue  # expired or deleted between SCAN and MEMORY USAGE, or an error reply for this key
        name = type_names.get(key_type)
        if name is None:
            name = type_names[key_type] = _decode(key_type)
        sample.keys.append(key.decode("utf-8", "backslashreplace"))
        sample.key_bytes.append(len(key))
        sample.types.append(name)
        sample.sizes.append(size)
        sample.ttls.append(ttl if type(ttl) is int else -1)
        sample.idle.append(idle if type(idle) is int else None)


def _strata_estimate(strata: list[tuple[int, np.ndarray]]) -> Estimate:
    """Stratified total: sum N_i * mean_i; variance sum N_i^2 (1 - n_i/N_i) s_i^2 / n_i."""
    total = 0.0
    variance = 0.0
    for population, values in strata:
        n = values.size
        if n == 0 or population == 0:
            continue
        total += population * float(values.mean())
        if n > 1 and n < population:
            variance += population**2 * (1 - n / population) * float(values.var(ddof=1)) / n
    half = Z95 * math.sqrt(variance)
    return Estimate(total, max(0.0, total - half), total + half)


_PREFIX = re.compile(r"^([^:|/]+[:|/])")
_ID_SUFFIX = re.compile(r"([0-9a-fA-F-]{8,}|\d+)$")


def _pattern(key: str) -> str:
    match = _PREFIX.match(key)
    if match:
        return f"{match.group(1)}*"
    stripped = _ID_SUFFIX.sub("*", key)
    return stripped if stripped != key else "(no pattern)"


def _report(samples: list[_NodeSample], settings: SampleSettings, elapsed: float, partial: bool,
            reason: str) -> KeyspaceReport:
    usable = [s for s in samples if s.sizes]
    full = settings.full and all(s.complete for s in samples) and not partial

    def population(s: _NodeSample) -> int:
        # A completed full scan saw every key: treat the sample as the population (exact, no interval).
        return len(s.sizes) if full or s.complete else max(s.dbsize, len(s.sizes))

    strata = [(population(s), np.asarray(s.sizes, dtype=float)) for s in usable]
    all_sizes = np.concatenate([v for _, v in strata]) if strata else np.array([])
    strata_types = [np.asarray(s.types) for s in usable]
    all_types = np.concatenate(strata_types) if strata_types else np.array([], dtype=str)
    by_type = []
    for key_type in sorted(set(all_types.tolist())):
        masks = [(p, (types == key_type).astype(float)) for (p, _), types in zip(strata, strata_types, strict=True)]
        byte_strata = [(p, v * m) for (p, v), (_, m) in zip(strata, masks, strict=True)]
        count = int(sum(m.sum() for _, m in masks))
        bytes_est = _strata_estimate(byte_strata)
        keys_est = _strata_estimate(masks)
        by_type.append(TypeEstimate(key_type, count, keys_est, bytes_est,
                                    float(np.mean(all_sizes[all_types == key_type]))))
    by_type.sort(key=lambda t: -t.bytes.value)
    total_pop = sum(p for p, _ in strata)
    no_ttl = _strata_estimate([(p, np.asarray([t == -1 for t in s.ttls], dtype=float)) for (p, _), s in
                               zip(strata, usable, strict=True)])
    no_ttl_share = (Estimate(no_ttl.value / total_pop, no_ttl.low / total_pop, min(1.0, no_ttl.high / total_pop))
                    if total_pop else Estimate(0, 0, 0))
    # The largest per stratum by index (ties in scan order), then KeySamples for those candidates only.
    candidates = [KeySample(s.keys[i], s.types[i], s.sizes[i], s.ttls[i]) for s in usable
                  for i in heapq.nlargest(BIGGEST_KEYS, range(len(s.sizes)), key=s.sizes.__getitem__)]
    biggest = heapq.nlargest(BIGGEST_KEYS, candidates, key=lambda k: k.bytes)
    prefix_count: dict[str, int] = {}
    prefix_bytes: dict[str, int] = {}
    for s in usable:
        for key, size in zip(s.keys, s.sizes, strict=True):
            pattern = _pattern(key)
            prefix_count[pattern] = prefix_count.get(pattern, 0) + 1
            prefix_bytes[pattern] = prefix_bytes.get(pattern, 0) + size
    sampled = int(all_sizes.size)
    sampled_bytes = float(all_sizes.sum()) or 1.0
    prefixes = sorted(
        (PrefixStat(p, c, c / sampled, prefix_bytes[p] / sampled_bytes, prefix_bytes[p] / c)
         for p, c in prefix_count.items()), key=lambda p: -p.sampled_keys,
    )[:TOP_PREFIXES]
    idle = [i for s in usable for i in s.idle if i is not None]
    return KeyspaceReport(
        mode="full" if settings.full else "sampled", nodes=len(samples),
        total_keys=sum(max(s.dbsize, len(s.sizes)) for s in samples), sampled_keys=sampled,
        total_bytes=_strata_estimate(strata), by_type=tuple(by_type), no_ttl_share=no_ttl_share,
        biggest=tuple(biggest), prefixes=tuple(prefixes),
        mean_key_bytes=float(np.mean([b for s in usable for b in s.key_bytes])) if sampled else 0.0,
        mean_bytes_per_key=float(all_sizes.mean()) if sampled else 0.0,
        median_bytes_per_key=float(np.median(all_sizes)) if sampled else 0.0,
        p95_bytes_per_key=float(np.percentile(all_sizes, 95)) if sampled else 0.0,
        hot_share=(sum(1 for i in idle if i < HOT_IDLE_SECONDS) / len(idle)) if idle else None,
        elapsed_s=elapsed, partial=partial, stopped_reason=reason,
    )


def analyze_keyspace(
    client: RedisClient,
    settings: SampleSettings | None = None,
    on_progress: Callable[[int], None] | None = None,
    target: RedisTarget | None = None,
) -> KeyspaceReport:
    """Sample (or fully scan) every primary concurrently and combine the strata.

    Raises ScanInterrupted (a ConnectionProblem) carrying the partial report if a node fails mid-scan.
    """
    settings = settings or SampleSettings()
    nodes = node_clients(client)
    started = time.monotonic()
    deadline = started + settings.time_budget_s if settings.time_budget_s else None
    try:
        sizes = [int(_read(c, "DBSIZE")) for _, c in nodes]
    except (RedisError, OSError) as exc:
        raise problem_from(exc, target or RedisTarget(*_split(nodes[0][0]))) from None
    total = sum(sizes) or 1
    # Quotas in proportion to each node's key count, so every stratum is sampled at the same rate.
    quotas = [max(1, math.ceil(settings.sample_size * n / total)) for n in sizes]
    ops_cap = settings.max_ops_per_sec / len(nodes) if settings.max_ops_per_sec else None
    with ThreadPoolExecutor(max_workers=len(nodes), thread_name_prefix="keyspace") as pool:
        futures = [
            pool.submit(_sample_node, address, node, quota, settings, deadline, ops_cap, on_progress)
            for (address, node), quota in zip(nodes, quotas, strict=True)
        ]
        samples = [f.result() for f in futures]
    elapsed = time.monotonic() - started
    failed = [s for s in samples if s.error is not None]
    reasons = [s.stopped for s in samples if s.stopped]
    if failed:
        first = failed[0]
        where = target or RedisTarget(*_split(first.address))
        problem = problem_from(first.error, where)  # type: ignore[arg-type]
        partial = _report(samples, settings, elapsed, True, f"scan interrupted on {first.address}: {problem}")
        raise ScanInterrupted(
            f"The keyspace scan stopped after {partial.sampled_keys:,} keys: {problem} The results so far are "
            "partial.", partial,
        )
    return _report(samples, settings, elapsed, False, "; ".join(reasons))


def _split(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    return host, int(port or 0)


# Command mix ----------------------------------------------------------------------------------------------

# Commands the analyzer and clients send for housekeeping; they are not workload traffic.
HOUSEKEEPING = frozenset({
    "info", "config get", "config set", "ping", "client setinfo", "client setname", "client list", "client id",
    "cluster info", "cluster slots", "cluster shards", "cluster nodes", "cluster myid", "command", "command docs",
    "command info", "command count", "hello", "auth", "dbsize", "memory usage", "type", "ttl", "pttl",
    "object idletime", "object freq", "object encoding", "scan", "select", "readonly", "readwrite", "role", "echo",
    "time", "slowlog get", "latency latest", "monitor", "quit", "reset", "replconf", "psync", "sync",
})
SIMPLE_READS = frozenset({"get", "mget", "hget", "hmget", "exists", "strlen", "getrange", "hexists", "sismember",
                          "scard", "hlen", "llen", "zscore", "zcard", "getex", "lindex", "zrank", "hstrlen",
                          "smismember", "zmscore", "zrevrank", "getbit", "bitcount", "pfcount"})
SIMPLE_WRITES = frozenset({"set", "setex", "psetex", "setnx", "mset", "msetnx", "del", "unlink", "incr", "incrby",
                           "decr", "decrby", "incrbyfloat", "append", "expire", "pexpire", "expireat", "persist",
                           "hset", "hsetnx", "hmset", "hdel", "hincrby", "hincrbyfloat", "lpush", "rpush", "lpop",
                           "rpop", "sadd", "srem", "zadd", "zrem", "zincrby", "getset", "getdel", "setrange",
                           "setbit", "pfadd", "lset", "xadd", "touch"})
COMPLEX_READS = frozenset({"hgetall", "hkeys", "hvals", "smembers", "sunion", "sinter", "sdiff", "lrange", "zrange",
                           "zrangebyscore", "zrevrange", "zrevrangebyscore", "zrangebylex", "sort_ro", "keys",
                           "xrange", "xrevrange", "xread", "xreadgroup", "geosearch", "georadius", "hscan", "sscan",
                           "zscan", "srandmember", "zunion", "zinter", "zdiff", "sintercard", "lpos", "eval_ro",
                           "evalsha_ro", "fcall_ro", "zcount", "zlexcount", "geodist", "geopos", "xlen", "xpending"})
COMPLEX_WRITES = frozenset({"sunionstore", "sinterstore", "sdiffstore", "zunionstore", "zinterstore",
                            "zdiffstore", "zrangestore", "sort", "eval", "evalsha", "fcall", "ltrim", "lrem",
                            "zremrangebyscore", "zremrangebyrank", "zremrangebylex", "rename", "renamenx", "copy",
                            "rpoplpush", "lmove", "blmove", "brpoplpush", "smove", "spop", "lmpop", "zmpop",
                            "bitop", "pfmerge", "geoadd", "xtrim", "xdel", "xack", "xgroup create", "linsert",
                            "flushdb", "flushall", "restore", "migrate", "blpop", "brpop", "bzpopmin", "bzpopmax",
                            "zpopmin", "zpopmax", "publish", "spublish", "multi", "exec", "discard", "watch"})
# Everything Memcached offers: opaque values with get/set/delete/incr/decr/append/touch and multi-get.
MEMCACHED_COMPATIBLE = frozenset({"get", "mget", "set", "setex", "psetex", "setnx", "mset", "del", "unlink",
                                  "incr", "incrby", "decr", "decrby", "append", "expire", "pexpire", "touch",
                                  "getex", "exists", "getset", "getdel"})
# Multi-key commands: in cluster mode every key must hash to one slot, or the call fails with CROSSSLOT.
MULTI_KEY = frozenset({"mget", "mset", "msetnx", "del", "unlink", "exists", "touch", "sunion", "sunionstore",
                       "sinter", "sinterstore", "sintercard", "sdiff", "sdiffstore", "smove", "rename", "renamenx",
                       "copy", "rpoplpush", "lmove", "blmove", "brpoplpush", "blpop", "brpop", "lmpop", "blmpop",
                       "zunion", "zunionstore", "zinter", "zinterstore", "zdiff", "zdiffstore", "zrangestore",
                       "zmpop", "bzmpop", "pfcount", "pfmerge", "bitop", "eval", "evalsha", "fcall", "multi",
                       "exec", "watch", "keys", "xread", "xreadgroup", "sort"})
PUBSUB = frozenset({"subscribe", "psubscribe", "ssubscribe", "publish", "spublish", "pubsub channels",
                    "pubsub numsub"})
DEFAULT_SIMPLE_USEC = 1.0  # when no simple command ran, assume ~1 µs for one GET/SET of a small value [U]


@dataclass(frozen=True)
class CommandMixRow:
    name: str
    kind: str  # read / write / other
    calls: int
    share: float
    usec_per_call: float
    ecpu_multiple: float  # vCPU time relative to a simple command, at least 1


@dataclass(frozen=True)
class CommandMix:
    rows: tuple[CommandMixRow, ...]
    read_calls: int
    write_calls: int
    ecpu_per_request: float  # calls-weighted vCPU multiple; payload KB is applied by the caller
    complex_share: float
    memcached_blockers: tuple[str, ...]
    serverless_blockers: tuple[str, ...]
    cluster_risks: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def total_calls(self) -> int:
        return self.read_calls + self.write_calls


def _kind(name: str) -> str:
    if name in SIMPLE_READS or name in COMPLEX_READS:
        return "read"
    if name in SIMPLE_WRITES or name in COMPLEX_WRITES:
        return "write"
    return "other"


def command_mix(
    stats: Mapping[str, CommandStat],
    notify_keyspace_events: str | None = None,
    keyspace_dbs: Iterable[str] = ("db0",),
) -> CommandMix:
    """Workload commands from INFO commandstats: read/write split, ECPU estimate and engine/mode blockers."""
    workload = {n: s for n, s in stats.items() if n not in HOUSEKEEPING and s.calls > 0}
    simple = [s for n, s in workload.items() if n in SIMPLE_READS or n in SIMPLE_WRITES]
    simple_calls = sum(s.calls for s in simple)
    baseline = (sum(s.usec for s in simple) / simple_calls) if simple_calls else DEFAULT_SIMPLE_USEC
    baseline = max(baseline, 1e-3)
    total = sum(s.calls for s in workload.values())
    rows = []
    for name, s in sorted(workload.items(), key=lambda kv: -kv[1].calls):
        multiple = max(1.0, s.usec_per_call / baseline) if name not in SIMPLE_READS | SIMPLE_WRITES else 1.0
        rows.append(CommandMixRow(name, _kind(name), s.calls, s.calls / total if total else 0.0, s.usec_per_call,
                                  round(multiple, 2)))
    ecpu = sum(r.calls * r.ecpu_multiple for r in rows) / total if total else 1.0
    complex_calls = sum(r.calls for r in rows if r.name in COMPLEX_READS | COMPLEX_WRITES)
    notes: list[str] = []
    memcached = tuple(sorted(n for n in workload if (n not in MEMCACHED_COMPATIBLE and _kind(n) != "other")
                             or n in PUBSUB))
    serverless: list[str] = []
    select = stats.get("select")
    if select and select.calls:
        serverless.append(f"SELECT called {select.calls:,} times (Serverless has one database)")
    other_dbs = sorted(db for db in keyspace_dbs if db != "db0")
    if other_dbs:
        serverless.append(f"keys in {', '.join(other_dbs)} (Serverless has only db0)")
    if notify_keyspace_events is None:
        notes.append("notify-keyspace-events is not readable (CONFIG blocked): keyspace notifications unknown.")
    elif notify_keyspace_events.strip():
        serverless.append(f"keyspace notifications on (notify-keyspace-events '{notify_keyspace_events}')")
    risks = tuple(f"{n.upper()} ({workload[n].calls:,} calls)" for n in sorted(workload) if n in MULTI_KEY)
    if risks:
        notes.append("Multi-key commands fail with CROSSSLOT in cluster mode unless all their keys share a hash tag.")
    return CommandMix(
        rows=tuple(rows), read_calls=sum(r.calls for r in rows if r.kind == "read"),
        write_calls=sum(r.calls for r in rows if r.kind == "write"), ecpu_per_request=round(ecpu, 3),
        complex_share=complex_calls / total if total else 0.0, memcached_blockers=memcached,
        serverless_blockers=tuple(serverless), cluster_risks=risks, notes=tuple(notes),
    )
