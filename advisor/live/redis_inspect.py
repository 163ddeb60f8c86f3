"""Read-only inspection of a running Redis OSS or Valkey server or cluster: the public entry points.

The work is split by concern, each module readable and testable alone:
- `read_only`: the allow-list every command passes, and RESP built only from allowed commands;
- `redis_connection`: the target, the connection, and a plain-words problem for each failure;
- `server_info`: INFO and readable CONFIG of every primary;
- `keyspace_scan`: one node's SCAN and per-key measurements on one pipelined connection;
- `keyspace_estimate`: stratified totals with 95% intervals from the measured keys;
- `keyspace`: every primary scanned concurrently, strata combined;
- `command_mix`: the workload's commands from INFO commandstats.
"""

from __future__ import annotations

from advisor.live.command_mix import CommandMix, CommandMixRow, command_mix
from advisor.live.keyspace import ScanInterrupted, analyze_keyspace
from advisor.live.keyspace_estimate import Estimate, KeySample, KeyspaceReport, PrefixStat, TypeEstimate
from advisor.live.keyspace_scan import SampleSettings
from advisor.live.read_only import READ_ONLY_COMMANDS
from advisor.live.redis_connection import RedisClient, RedisTarget, connect, node_clients, problem_from
from advisor.live.server_info import NOT_READABLE, CommandStat, NodeInfo, ServerInfo, inspect

__all__ = [
    "NOT_READABLE", "READ_ONLY_COMMANDS", "CommandMix", "CommandMixRow", "CommandStat", "Estimate", "KeySample",
    "KeyspaceReport", "NodeInfo", "PrefixStat", "RedisClient", "RedisTarget", "SampleSettings", "ScanInterrupted",
    "ServerInfo", "TypeEstimate", "analyze_keyspace", "command_mix", "connect", "inspect", "node_clients",
    "problem_from",
]
