"""Observations (CloudWatch history, a Redis/Valkey inspection) turned into a Workload the engine accepts.

Everything goes through `parse_workload`, so an observed workload is validated exactly like a typed one.
"""

from __future__ import annotations

from typing import Any

from advisor.depth.trend import monthly_growth_percent
from advisor.errors import AdvisorError
from advisor.live.cloudwatch import MetricSet
from advisor.live.models import FleetRow
from advisor.live.redis_inspect import CommandMix, KeyspaceReport, ServerInfo
from advisor.workload import (
    PER_ITEM_OVERHEAD_BYTES,
    CommandComplexity,
    Feature,
    TrafficShape,
    Workload,
    parse_workload,
)

GB = 10**9
SPIKY_RATIO = 3.0  # peak-to-average above this reads as spiky traffic [U]
CYCLE_RATIO = 1.5  # ... above this as a daily cycle [U]
# Data tiering (facts 2.5): values should dominate keys and the regularly read share should be <= 20%.
TIERING_MIN_VALUE_BYTES = 500
TIERING_MAX_HOT_SHARE = 0.20
TIERING_MIN_DATASET_GB = 20.0  # smallest r6gd node (xlarge) holds ~26 GiB in DRAM; below that tiering adds nothing

_FEATURE_COMMANDS: dict[Feature, tuple[str, ...]] = {
    Feature.HASHES: ("h",), Feature.LISTS: ("l", "r", "bl", "br"), Feature.SETS: ("s",),
    Feature.SORTED_SETS: ("z", "bz"), Feature.STREAMS: ("x",), Feature.GEOSPATIAL: ("geo",),
    Feature.PUBSUB: ("publish", "spublish", "subscribe", "psubscribe", "ssubscribe"),
    Feature.TRANSACTIONS: ("multi", "exec"), Feature.LUA: ("eval", "evalsha", "fcall"),
    Feature.JSON: ("json.",), Feature.SELECT_MULTIPLE_DBS: ("select",),
}
_NOT_FEATURE = frozenset({"set", "setex", "setnx", "setrange", "setbit", "scan", "sort", "strlen", "select"})


def _shape(ratio: float) -> TrafficShape:
    if ratio > SPIKY_RATIO:
        return TrafficShape.SPIKY
    if ratio > CYCLE_RATIO:
        return TrafficShape.DAILY_CYCLE
    return TrafficShape.STEADY


def features_from(mix: CommandMix | None, info: ServerInfo | None = None) -> list[Feature]:
    found: set[Feature] = {Feature.SIMPLE_GET_SET}
    names = [r.name for r in mix.rows] if mix else []
    for name in names:
        for feature, prefixes in _FEATURE_COMMANDS.items():
            if feature in (Feature.PUBSUB, Feature.TRANSACTIONS, Feature.LUA, Feature.SELECT_MULTIPLE_DBS):
                if name in prefixes:
                    found.add(feature)
            elif name not in _NOT_FEATURE and any(name.startswith(p) for p in prefixes):
                found.add(feature)
    if info is not None:
        if any(db != "db0" for db in info.keyspace):
            found.add(Feature.SELECT_MULTIPLE_DBS)
        if info.notify_keyspace_events:
            found.add(Feature.KEYSPACE_NOTIFICATIONS)
    # SELECT 0 alone is harmless; keep the feature only when other databases hold keys.
    if Feature.SELECT_MULTIPLE_DBS in found and info is not None and all(db == "db0" for db in info.keyspace):
        found.discard(Feature.SELECT_MULTIPLE_DBS)
    return sorted(found, key=lambda f: f.value)


def _keyspace_fields(keyspace: KeyspaceReport) -> dict[str, Any]:
    key_bytes = max(1, round(keyspace.mean_key_bytes))
    # MEMORY USAGE counts key, value and per-key overhead; the workload model adds its own overhead back.
    value_bytes = max(0, round(keyspace.mean_bytes_per_key - key_bytes - PER_ITEM_OVERHEAD_BYTES))
    fields: dict[str, Any] = {
        "item_count": keyspace.total_keys, "avg_key_bytes": key_bytes, "avg_value_bytes": value_bytes,
        "dataset_gb": round(keyspace.total_bytes.value / GB, 6),
    }
    if keyspace.hot_share is not None:
        fields["hot_set_percent"] = round(max(keyspace.hot_share * 100, 0.1), 2)
    return fields


def workload_from_metrics(
    row: FleetRow, metrics: MetricSet, keyspace: KeyspaceReport | None = None, mix: CommandMix | None = None,
) -> Workload:
    """Dataset from BytesUsedForCache (primaries), reads from GetTypeCmds (all nodes), writes from SetTypeCmds
    (primaries), connections from CurrConnections (all nodes); peaks are the busiest period of the window."""
    period = metrics.period_s
    stored = metrics.per_period_total("BytesUsedForCache", row.id, ("primary", "memcached"))
    reads = metrics.per_period_total("GetTypeCmds", row.id) / period
    writes = metrics.per_period_total("SetTypeCmds", row.id, ("primary", "memcached")) / period
    connections = metrics.per_period_total("CurrConnections", row.id)
    total = reads.add(writes, fill_value=0.0)
    avg_total = float(total.mean()) if not total.empty else 0.0
    ratio = max(1.0, float(total.max()) / avg_total) if avg_total > 0 else 1.0
    fields: dict[str, Any] = {
        "name": f"observed {row.id}"[:120], "region": row.region,
        "dataset_gb": round(float(stored.max()) / GB, 6) if not stored.empty else 0.0,
        "avg_reads_per_sec": round(float(reads.mean()), 3) if not reads.empty else 0.0,
        "avg_writes_per_sec": round(float(writes.mean()), 3) if not writes.empty else 0.0,
        "peak_reads_per_sec": round(float(reads.max()), 3) if not reads.empty else None,
        "peak_writes_per_sec": round(float(writes.max()), 3) if not writes.empty else None,
        "peak_to_average": round(ratio, 3), "traffic_shape": _shape(ratio).value,
        "max_connections": round(float(connections.max())) if not connections.empty else 0,
        "features": [f.value for f in features_from(mix)],
    }
    growth = monthly_growth_percent(stored)  # the plan of a live cluster starts from its own trend
    if growth is not None:
        fields["monthly_growth_percent"] = growth
    if keyspace is not None:
        measured = _keyspace_fields(keyspace)
        measured.pop("dataset_gb")  # CloudWatch's BytesUsedForCache over the window beats one snapshot
        fields.update(measured)
    if mix is not None and mix.representative and mix.ecpu_per_request >= 2:
        fields["command_complexity"] = (CommandComplexity.COMPLEX if mix.ecpu_per_request >= 4
                                        else CommandComplexity.MODERATE).value
    return parse_workload(fields)


def workload_from_redis(
    info: ServerInfo, keyspace: KeyspaceReport | None, mix: CommandMix | None, region: str = "us-east-1",
) -> Workload:
    """Rates are averages since the server started (commandstats / uptime); the peak is not observable here.

    `region` is the Region the user chose (the observed server says nothing about it). A keyspace estimate that
    must not be applied (refused probes, partial, disagreeing with INFO) is refused, never turned into sizes."""
    if keyspace is not None and not keyspace.applicable:
        raise AdvisorError("The keyspace estimate cannot be applied: " + " ".join(keyspace.problems))
    uptime = max(1, info.uptime_s)
    fields: dict[str, Any] = {
        "name": f"observed {info.address}"[:120], "region": region,
        "dataset_gb": round(info.used_memory / GB, 6),
        "avg_reads_per_sec": round(mix.read_calls / uptime, 3) if mix else 0.0,
        "avg_writes_per_sec": round(mix.write_calls / uptime, 3) if mix else 0.0,
        "max_connections": sum(n.connected_clients for n in info.nodes),
        "features": [f.value for f in features_from(mix, info)],
    }
    if keyspace is not None:
        fields.update(_keyspace_fields(keyspace))
    if mix is not None and mix.representative and mix.ecpu_per_request >= 2:
        fields["command_complexity"] = (CommandComplexity.COMPLEX if mix.ecpu_per_request >= 4
                                        else CommandComplexity.MODERATE).value
    return parse_workload(fields)


def data_tiering_note(keyspace: KeyspaceReport, dataset_gb: float | None = None) -> str:
    """Whether r6gd data tiering would fit: large values, a small hot set, and enough data to need it."""
    dataset = dataset_gb if dataset_gb is not None else keyspace.total_bytes.value / GB
    value_bytes = keyspace.mean_bytes_per_key - keyspace.mean_key_bytes
    hot = keyspace.hot_share
    reasons = []
    if value_bytes < TIERING_MIN_VALUE_BYTES:
        reasons.append(f"values average {value_bytes:,.0f} bytes (tiering wants values well above keys, "
                       f"~{TIERING_MIN_VALUE_BYTES}+ bytes)")
    if hot is None:
        reasons.append("the hot-set share is unknown (OBJECT IDLETIME not tracked under an LFU policy)")
    elif hot > TIERING_MAX_HOT_SHARE:
        reasons.append(f"{hot:.0%} of sampled keys were touched in the last hour (tiering fits at 20% or less)")
    if dataset < TIERING_MIN_DATASET_GB:
        reasons.append(f"the dataset ({dataset:,.2f} GB) fits in memory on the smallest r6gd without tiering")
    if reasons:
        return "Data tiering (r6gd) does not fit: " + "; ".join(reasons) + "."
    return (f"Data tiering (r6gd) fits: values average {value_bytes:,.0f} bytes and only {hot:.0%} of keys were "
            f"touched in the last hour, so most of {dataset:,.1f} GB can live on SSD.")
