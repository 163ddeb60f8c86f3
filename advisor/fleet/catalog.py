"""Which CloudWatch metrics the fleet review reads, with the statistic and period of each.

Gauges that decide capacity are read as the per-period Maximum (the worst 5 minutes), as the AWS sample
operations review does; counters as the per-period Sum; network use against the node's baseline as the
per-period Average (bursts above baseline are what the burst allowance is for). Command families are
only needed as window totals, so they are read once a day instead of every 5 minutes.
"""

from __future__ import annotations

from dataclasses import dataclass

DAY_S = 86_400


@dataclass(frozen=True)
class MetricSpec:
    name: str
    stat: str  # CloudWatch statistic
    unit: str  # what a value means, shown next to every figure
    roles: tuple[str, ...] = ("primary", "replica", "memcached", "unknown")
    period_s: int | None = None  # None: the review's period (default 300 s)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.stat}{'' if self.period_s is None else ' per day'}, {self.unit})"


ALL = ("primary", "replica", "memcached", "unknown")
PRIMARIES = ("primary", "memcached", "unknown")

NODE_METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("EngineCPUUtilization", "Maximum", "%"),
    MetricSpec("CPUUtilization", "Maximum", "%"),
    MetricSpec("DatabaseMemoryUsagePercentage", "Maximum", "%"),
    MetricSpec("UsedMemoryDataset", "Maximum", "bytes", PRIMARIES),
    MetricSpec("BytesUsedForCache", "Maximum", "bytes"),
    MetricSpec("NetworkBaselineUsageInPercentage", "Average", "% of baseline"),
    MetricSpec("NetworkBaselineUsageOutPercentage", "Average", "% of baseline"),
    MetricSpec("NetworkBytesIn", "Sum", "bytes"),
    MetricSpec("NetworkBytesOut", "Sum", "bytes"),
    MetricSpec("CurrConnections", "Maximum", "connections"),
    MetricSpec("RejectedConnections", "Sum", "connections"),
    MetricSpec("Evictions", "Sum", "keys"),
    MetricSpec("ReplicationLag", "Maximum", "seconds", ("replica", "unknown")),
    # Cluster-mode-enabled groups do not say which member is primary; IsMaster (1 on a primary) does.
    MetricSpec("IsMaster", "Maximum", "0/1", ("unknown",)),
    MetricSpec("CacheHits", "Sum", "requests"),
    MetricSpec("CacheMisses", "Sum", "requests"),
    MetricSpec("GetTypeCmds", "Sum", "commands"),
    MetricSpec("SetTypeCmds", "Sum", "commands"),
)
COMMAND_FAMILIES: tuple[MetricSpec, ...] = tuple(
    MetricSpec(name, "Sum", "commands", PRIMARIES, DAY_S)
    for name in ("StringBasedCmds", "HashBasedCmds", "ListBasedCmds", "SetBasedCmds", "SortedSetBasedCmds",
                 "StreamBasedCmds", "PubSubBasedCmds")
)
SERVERLESS_METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("BytesUsedForCache", "Maximum", "bytes", ("unknown",)),
    MetricSpec("ElastiCacheProcessingUnits", "Sum", "ECPUs", ("unknown",)),
    MetricSpec("CurrConnections", "Maximum", "connections", ("unknown",)),
    MetricSpec("ThrottledCmds", "Sum", "commands", ("unknown",)),
    MetricSpec("CacheHits", "Sum", "requests", ("unknown",)),
    MetricSpec("CacheMisses", "Sum", "requests", ("unknown",)),
    MetricSpec("Evictions", "Sum", "keys", ("unknown",)),
)
MEMCACHED_SKIP = frozenset({"DatabaseMemoryUsagePercentage", "UsedMemoryDataset", "ReplicationLag",
                            "EngineCPUUtilization"})


def specs_for(role: str, serverless: bool, engine: str) -> tuple[MetricSpec, ...]:
    if serverless:
        return SERVERLESS_METRICS
    node = tuple(s for s in (*NODE_METRICS, *COMMAND_FAMILIES) if role in s.roles)
    if engine == "memcached":
        node = tuple(s for s in node if s.name not in MEMCACHED_SKIP and s.period_s is None)
    return node


BY_NAME: dict[str, MetricSpec] = {s.name: s for s in (*NODE_METRICS, *COMMAND_FAMILIES)}
SERVERLESS_BY_NAME: dict[str, MetricSpec] = {s.name: s for s in SERVERLESS_METRICS}
