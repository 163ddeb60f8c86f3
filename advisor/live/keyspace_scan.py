"""One node's keyspace scan: SCAN pages and per-key measurements, pipelined on one connection."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import hiredis
import redis
from redis.exceptions import RedisError, ResponseError

from advisor.live.read_only import pack, per_key_template, read


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



@dataclass
class NodeSample:
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



class Wire:
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


def sample_node(
    address: str, client: redis.Redis, quota: int, settings: SampleSettings, deadline: float | None,
    ops_cap: float | None, progress: Callable[[int], None] | None,
) -> NodeSample:
    """SCAN the node and measure each new key (OBJECT IDLETIME, TYPE, MEMORY USAGE, TTL), one batch in flight.

    Each write carries the measuring commands for the keys of the last SCAN page plus the next SCAN, so the server
    works on batch i+1 while this thread records batch i. Quota, time budget and ops/s cap are checked before
    each write; a key sent for measurement counts against the quota.
    """
    sample = NodeSample(address=address, dbsize=0)
    seen: set[bytes] = set()
    started = time.monotonic()
    ops = 0
    sent = 0  # keys sent for measurement
    commands = ([("OBJECT", "IDLETIME")] if settings.track_idle else []) + [("TYPE",), ("MEMORY", "USAGE"), ("TTL",)]
    per_key = len(commands)
    template = per_key_template(commands)
    type_names: dict[bytes, str] = {}
    wire: Wire | None = None
    try:
        sample.dbsize = int(read(client, "DBSIZE"))
        wire = Wire(client, address)
        wire.send(pack("SCAN", 0, "COUNT", settings.scan_count))
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
                    batch += pack("SCAN", cursor, "COUNT", settings.scan_count)
                wire.send(batch)
                ops += per_key * len(in_flight) + scan_next
            else:
                wire.settled()
            scanning = scan_next
            if measured:
                record(sample, measured, replies, per_key, settings.track_idle, type_names)
                if progress:
                    progress(len(measured))
    except (RedisError, OSError) as exc:
        sample.error = exc
    finally:
        if wire is not None:
            wire.close()
    return sample


def record(sample: NodeSample, keys: list[bytes], replies: list[Any], per_key: int, track_idle: bool,
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
