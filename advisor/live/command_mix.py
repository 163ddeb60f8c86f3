"""The workload's command mix from INFO commandstats: read/write split, ECPU multiple, engine/mode blockers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from advisor.live.server_info import CommandStat

# Command mix ----------------------------------------------------------------------------------------------

# Commands the analyzer and clients send for housekeeping; they are not workload traffic.
HOUSEKEEPING = frozenset({
    "info", "config get", "config set", "ping", "client setinfo", "client setname", "client list", "client id",
    "cluster info", "cluster slots", "cluster shards", "cluster nodes", "cluster myid", "command", "command docs",
    "command info", "command count", "hello", "auth", "dbsize", "memory usage", "type", "ttl", "pttl",
    "object idletime", "object freq", "object encoding", "scan", "select", "readonly", "readwrite", "role", "echo",
    "time", "slowlog get", "latency latest", "monitor", "quit", "reset", "replconf", "psync", "sync",
})
# Administration, not workload: an operator's DEBUG or SCRIPT FLUSH would otherwise weigh on the ECPU figure.
ADMIN_PREFIXES = ("acl", "bgrewriteaof", "bgsave", "client", "cluster", "command", "config", "debug", "failover",
                  "function", "info", "lastsave", "latency", "memory", "module", "monitor", "object", "replicaof",
                  "save", "script", "shutdown", "slaveof", "slowlog", "swapdb", "sentinel", "lolwut", "wait")
MIN_CALLS_FOR_ECPU = 1000  # fewer workload calls than this say nothing about the application's mix
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
    representative: bool = True  # enough workload calls for the mix and ECPU figure to mean something

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
    workload = {n: s for n, s in stats.items()
                if n not in HOUSEKEEPING and n.split(" ")[0] not in ADMIN_PREFIXES and s.calls > 0}
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
    if total < MIN_CALLS_FOR_ECPU:
        notes.append(f"Only {total:,} workload calls since the stats began: the mix and the ECPU figure are not "
                     "representative, and are not applied to the workload.")
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
        representative=total >= MIN_CALLS_FOR_ECPU,
    )
