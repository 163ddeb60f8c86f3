"""One node's keyspace scan: SCAN pages and per-key measurements, pipelined on one connection of our own.

Three passes share one loop (`_walk`): the sample (from a random cursor, so reruns see different keys), the
big-key search (one `MEMORY USAGE` per key, O(1) for every type, to find the few keys that would wreck a scaled-up
mean), and the exact measurement of the big keys found. Every refused or failed probe is counted with the
server's reason, never dropped silently.
"""

from __future__ import annotations

import random
import socket
import ssl
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import hiredis
import redis
from redis.exceptions import AuthenticationError, RedisError, ResponseError

from advisor.live.read_only import pack, per_key_template
from advisor.live.redis_connection import RedisTarget, split_address

BIG_KEY_BYTES = 1 << 20  # a key of 1 MiB or more is measured on its own, never scaled up with the small ones
MAX_BIG_KEYS = 1000  # per node; past this many, big keys are common enough for the sample to see them
BIG_KEY_SAMPLES = 10_000  # elements MEMORY USAGE looks at in each big key (bounded work, small sampling error)


@dataclass(frozen=True)
class SampleSettings:
    sample_size: int = 20_000  # keys, across all primaries
    time_budget_s: float | None = 30.0
    max_ops_per_sec: float | None = 20_000.0  # across all primaries
    scan_count: int = 1000
    full: bool = False  # every key; exact totals
    track_idle: bool = True  # OBJECT IDLETIME for the hot-set share (fails harmlessly under LFU policies)
    find_big_keys: bool = True  # one cheap size probe per key to find keys of BIG_KEY_BYTES or more
    big_key_bytes: int = BIG_KEY_BYTES
    random_start: bool = True  # start SCAN at a random cursor, so each run is a fresh sample


def _decode(value: Any) -> str:
    return value.decode("utf-8", "backslashreplace") if isinstance(value, bytes) else str(value)


def show_key(name: bytes) -> str:
    """A key name shown unambiguously: printable UTF-8 as is, every other byte as \\xNN (and a backslash as \\\\)."""
    try:
        text = name.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and text.isprintable() and "\\" not in text:
        return text
    out = []
    for char in name.decode("utf-8", "surrogateescape"):
        if "\udc80" <= char <= "\udcff":
            out.append(f"\\x{ord(char) - 0xDC00:02x}")
        elif char == "\\":
            out.append("\\\\")
        elif not char.isprintable():
            out.append(char.encode("unicode_escape").decode("ascii"))
        else:
            out.append(char)
    return "".join(out)


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
    complete: bool = False  # SCAN went all the way round and every key it returned was measured
    error: BaseException | None = None
    stopped: str = ""
    refused: Counter[str] = field(default_factory=Counter)  # "COMMAND: server's reason" -> probes refused
    gone: int = 0  # keys deleted or expired between SCAN and their measurement
    start_cursor: int = 0
    big: NodeSample | None = None  # keys of big_key_bytes or more, each measured exactly (the certainty stratum)
    swept_keys: int = 0  # keys the big-key search probed
    sweep_complete: bool = False
    dataset_bytes: int | None = None  # INFO used_memory_dataset: the server's own figure for all its data
    used_memory: int | None = None
    other_db_keys: int = 0  # keys in databases other than the one scanned (INFO's dataset counts them too)

    @property
    def refused_probes(self) -> int:
        return sum(self.refused.values()) + (self.big.refused_probes if self.big else 0)


class Wire:
    """A socket of our own to one node: batches of RESP out, replies parsed by hiredis in one C call.

    redis-py's pipeline costs ~15 us of Python per command, which capped the full scan at ~35,000 keys/s. Here
    a batch is one bytes join, and its replies come back as one hiredis array: the reader is fed an array
    header for the number of replies expected. The connection is opened, authenticated and its database
    selected here (public socket/ssl/hiredis APIs only), and closed when the scan ends.
    """

    def __init__(self, target: RedisTarget, address: str) -> None:
        self.address = address
        host, port = split_address(address)
        self.reader = hiredis.Reader(replyError=ResponseError)
        try:
            sock = socket.create_connection((host, port), timeout=target.timeout_s)
        except TimeoutError as exc:
            raise redis.TimeoutError(f"Timeout connecting to {address}") from exc
        except OSError as exc:
            raise redis.ConnectionError(f"Error connecting to {address}: {exc}") from exc
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if target.tls:
            context = ssl.create_default_context()
            if not target.tls_verify:
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            try:
                sock = context.wrap_socket(sock, server_hostname=host)
            except (OSError, ssl.SSLError) as exc:
                sock.close()
                raise redis.ConnectionError(f"SSL handshake with {address} failed: {exc}") from exc
        self.sock: socket.socket = sock
        try:
            self._handshake(target)
        except Exception:
            self.close()
            raise

    def _handshake(self, target: RedisTarget) -> None:
        commands: list[tuple[Any, ...]] = []
        if target.password:
            commands.append(("AUTH", target.username, target.password) if target.username
                            else ("AUTH", target.password))
        if target.db:
            commands.append(("SELECT", target.db))
        if not commands:
            return
        self.send(b"".join(pack(*c) for c in commands))
        for command, reply in zip(commands, self.receive(len(commands)), strict=True):
            if isinstance(reply, ResponseError):
                if command[0] == "AUTH":
                    raise AuthenticationError(target.scrub(str(reply)))
                raise reply

    def send(self, payload: bytes) -> None:
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
                raise redis.ConnectionError(f"Connection closed by server {self.address}.")
            self.reader.feed(data)
            result = self.reader.gets()
        return result

    def call(self, *args: Any) -> Any:
        self.send(pack(*args))
        reply = self.receive(1)[0]
        if isinstance(reply, ResponseError):
            raise reply
        return reply

    def close(self) -> None:
        self.sock.close()


class _Pacer:
    """Keeps the commands sent under `ops_per_sec` and notices the time budget."""

    def __init__(self, ops_per_sec: float | None, deadline: float | None) -> None:
        self.cap, self.deadline = ops_per_sec, deadline
        self.started = time.monotonic()
        self.ops = 0

    def before(self, ops: int) -> None:
        if self.cap:
            ahead = self.ops / self.cap - (time.monotonic() - self.started)
            if ahead > 0:
                time.sleep(ahead)
        self.ops += ops

    @property
    def out_of_time(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline


def _walk(
    wire: Wire, pacer: _Pacer, commands: list[tuple[str, ...]], start: int, quota: int | None, scan_count: int,
    on_batch: Callable[[list[bytes], list[Any]], None],
) -> tuple[bool, bool]:
    """SCAN from cursor `start` (going once through 0 when it is not 0), sending `commands` for each new key,
    one batch in flight: each write carries the measuring commands for the keys of the last SCAN page plus the
    next SCAN, so the server works on batch i+1 while `on_batch` records batch i. `quota` caps the keys sent.

    Returns (complete, out_of_time): complete when every key of the keyspace was sent for measurement."""
    per_key = len(commands)
    template = per_key_template(commands)
    seen: set[bytes] = set()
    sent = 0
    wrapped = start == 0
    pacer.before(1)
    wire.send(pack("SCAN", start, "COUNT", scan_count))
    in_flight: list[bytes] = []
    scanning = True
    complete = timed_out = False
    cursor = start
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
            truncated = quota is not None and len(fresh) > quota - sent
            if truncated:
                fresh = fresh[: max(0, quota - sent)]  # type: ignore[operator]
            seen.update(fresh)
            sent += len(fresh)
            in_flight = fresh
            if cursor == 0 and wrapped:
                complete = not truncated
            elif not truncated and (quota is None or sent < quota):
                if pacer.out_of_time:
                    timed_out = True
                else:
                    wrapped = wrapped or cursor == 0
                    scan_next = True
        if in_flight or scan_next:
            pacer.before(per_key * len(in_flight) + scan_next)
            # One % for the whole batch: (len, key) once per command per key, in template order.
            batch = template * len(in_flight) % tuple(x for k in in_flight for x in (len(k), k) * per_key)
            if scan_next:
                batch += pack("SCAN", cursor, "COUNT", scan_count)
            wire.send(batch)
        scanning = scan_next
        if measured:
            on_batch(measured, replies)
    return complete, timed_out


def _reason(error: Exception) -> str:
    return str(error).splitlines()[0][:160] if str(error) else type(error).__name__


def record(sample: NodeSample, keys: list[bytes], replies: list[Any], per_key: int, track_idle: bool,
           type_names: dict[bytes, str]) -> None:
    """Append the measured keys. A key gone between SCAN and MEMORY USAGE (nil, or TYPE none) is counted as
    gone; a refused TYPE / MEMORY USAGE / TTL (an error reply, e.g. NOPERM for an ACL user) is counted under
    its command and reason, and the key is left unmeasured. A refused OBJECT IDLETIME only leaves the hot-set
    share unknown (LFU policies refuse it)."""
    offset = 1 if track_idle else 0
    idles = replies[0::per_key] if track_idle else [None] * len(keys)
    for key, idle, key_type, size, ttl in zip(keys, idles, replies[offset::per_key], replies[offset + 1::per_key],
                                              replies[offset + 2::per_key], strict=True):
        if type(size) is not int or type(key_type) is not bytes or type(ttl) is not int or key_type == b"none":
            _unmeasured(sample, (key_type, size, ttl))
            continue
        name = type_names.get(key_type)
        if name is None:
            name = type_names[key_type] = _decode(key_type)
        sample.keys.append(show_key(key))
        sample.key_bytes.append(len(key))
        sample.types.append(name)
        sample.sizes.append(size)
        sample.ttls.append(ttl)
        sample.idle.append(idle if type(idle) is int else None)


def _unmeasured(sample: NodeSample, probes: tuple[Any, Any, Any]) -> None:
    errors = [(name, reply) for name, reply in zip(("TYPE", "MEMORY USAGE", "TTL"), probes, strict=True)
              if isinstance(reply, Exception)]
    for name, error in errors:
        sample.refused[f"{name}: {_reason(error)}"] += 1
    if not errors:
        sample.gone += 1


def _measuring_commands(track_idle: bool) -> list[tuple[str, ...]]:
    return ([("OBJECT", "IDLETIME")] if track_idle else []) + [("TYPE",), ("MEMORY", "USAGE"), ("TTL",)]


def random_cursor(dbsize: int, rng: random.Random) -> int:
    """A random SCAN cursor. The server masks it to its table size; the extra 14 low bits pick a random slot
    on servers that keep one table per cluster slot (Valkey 8+, Redis 7.4+)."""
    return rng.getrandbits(max(1, dbsize.bit_length()) + 14)


def sample_node(
    address: str, target: RedisTarget, quota: int, settings: SampleSettings, deadline: float | None,
    ops_cap: float | None, progress: Callable[[int], None] | None, rng: random.Random | None = None,
) -> NodeSample:
    """The node's sample (or every key, for a full scan), then its big keys. Failures land in `error`."""
    sample = NodeSample(address=address, dbsize=0)
    wire: Wire | None = None
    commands = _measuring_commands(settings.track_idle)
    type_names: dict[bytes, str] = {}
    try:
        wire = Wire(target, address)
        sample.dbsize = int(wire.call("DBSIZE"))
        _server_figures(sample, wire, target.db)
        pacer = _Pacer(ops_cap, deadline)
        use_random = settings.random_start and not settings.full and sample.dbsize > quota
        sample.start_cursor = random_cursor(sample.dbsize, rng or random.Random()) if use_random else 0

        def measured(keys: list[bytes], replies: list[Any]) -> None:
            record(sample, keys, replies, len(commands), settings.track_idle, type_names)
            if progress:
                progress(len(keys))

        try:
            complete, timed_out = _walk(wire, pacer, commands, sample.start_cursor, None if settings.full else quota,
                                        settings.scan_count, measured)
        except ResponseError:
            if sample.start_cursor == 0:
                raise
            sample.start_cursor = 0  # a server that refuses a cursor it did not hand out: start at 0
            complete, timed_out = _walk(wire, pacer, commands, 0, None if settings.full else quota,
                                        settings.scan_count, measured)
        sample.complete = complete
        if timed_out:
            sample.stopped = f"time budget reached on {address}"
        if settings.find_big_keys and not sample.complete and not timed_out:
            _find_big_keys(wire, pacer, sample, settings, type_names)
    except (RedisError, OSError) as exc:
        sample.error = exc
    finally:
        if wire is not None:
            wire.close()
    return sample


def _info_fields(raw: Any) -> dict[str, str]:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line and not line.startswith("#"))


def _server_figures(sample: NodeSample, wire: Wire, db: int) -> None:
    """INFO memory and keyspace, for the cross-check of the estimate against the server's own figures."""
    memory = _info_fields(wire.call("INFO", "memory"))
    if memory.get("used_memory_dataset", "").isdigit():
        sample.dataset_bytes = int(memory["used_memory_dataset"])
    if memory.get("used_memory", "").isdigit():
        sample.used_memory = int(memory["used_memory"])
    for name, value in _info_fields(wire.call("INFO", "keyspace")).items():
        if name.startswith("db") and name != f"db{db}":
            fields = dict(part.split("=", 1) for part in value.split(",") if "=" in part)
            sample.other_db_keys += int(fields.get("keys", "0") or 0)


def _measure_big(key: bytes, track_idle: bool) -> bytes:
    """The measuring commands for one big key, in `record`'s order. MEMORY USAGE looks at BIG_KEY_SAMPLES
    elements instead of its default 5: a big collection is counted once, so its own sampling error is not
    averaged away; the work stays bounded (never SAMPLES 0, which walks every element of a huge key)."""
    idle = [pack("OBJECT", "IDLETIME", key)] if track_idle else []
    return b"".join([*idle, pack("TYPE", key), pack("MEMORY", "USAGE", key, "SAMPLES", BIG_KEY_SAMPLES),
                     pack("TTL", key)])


def _find_big_keys(wire: Wire, pacer: _Pacer, sample: NodeSample, settings: SampleSettings,
                   type_names: dict[bytes, str]) -> None:
    """One `MEMORY USAGE` per key (O(1) for every type: it samples 5 elements of a collection) to find keys of
    `big_key_bytes` or more,
    then each of those measured exactly like a sampled key. Stops at the time budget (the search is then
    incomplete, and the report says so)."""
    found: dict[bytes, int] = {}
    probe = [("MEMORY", "USAGE")]

    def sized(keys: list[bytes], replies: list[Any]) -> None:
        sample.swept_keys += len(keys)
        for key, size in zip(keys, replies, strict=True):
            if isinstance(size, Exception):
                sample.refused[f"MEMORY USAGE: {_reason(size)}"] += 1
            elif type(size) is int and size >= settings.big_key_bytes:
                found[key] = size

    sample.sweep_complete, _ = _walk(wire, pacer, probe, 0, None, settings.scan_count, sized)
    big = NodeSample(address=sample.address, dbsize=0)
    largest = sorted(found, key=found.__getitem__, reverse=True)[:MAX_BIG_KEYS]
    if len(found) > MAX_BIG_KEYS:
        sample.stopped = (f"{len(found):,} keys of {settings.big_key_bytes:,} bytes or more on {sample.address}: "
                          f"the {MAX_BIG_KEYS:,} largest are measured on their own, the rest sampled")
    per_key = len(_measuring_commands(settings.track_idle))
    for start in range(0, len(largest), 200):
        batch = largest[start:start + 200]
        pacer.before(per_key * len(batch))
        wire.send(b"".join(_measure_big(key, settings.track_idle) for key in batch))
        record(big, batch, wire.receive(per_key * len(batch)), per_key, settings.track_idle, type_names)
    big.dbsize = len(big.sizes)
    sample.big = big
