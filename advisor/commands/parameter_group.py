"""A custom parameter group, when the plan needs settings AWS's default group does not have.

The plan reserves 50% of memory on micro and 30% on small burstable nodes (AWS's advice, facts 2.1), but AWS's
default parameter groups keep reserved-memory-percent at 25%: without a group that matches, the cluster would
let data grow into the memory the plan kept free. Cluster mode enabled also needs cluster-enabled=yes in a
custom group (the default group for that is default.<engine><major>.cluster.on).
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.capacity import planned_reserved_memory_percent
from advisor.recommendation import Topology


@dataclass(frozen=True)
class CustomParameterGroup:
    name: str
    family: str  # e.g. valkey8, redis7, redis6.x
    description: str
    parameters: tuple[tuple[str, str], ...]  # (name, value), in the order to set them


def parameter_group_family(engine: str, version: str) -> str:
    """AWS's parameter group family for an engine version: valkey7, valkey8, valkey9, redis7, redis6.x, redis5.0."""
    major, _, minor = version.partition(".")
    if engine == "redis" and int(major) <= 6:
        return "redis6.x" if major == "6" else f"redis{major}.{minor.split('.')[0] or '0'}"
    return f"{engine}{major}"


def custom_parameter_group(topo: Topology, version: str, cluster_id: str) -> CustomParameterGroup | None:
    """The group this topology needs, or None when AWS's default group already matches the plan."""
    if topo.engine == "memcached":
        return None
    percent = planned_reserved_memory_percent(topo.node_type, topo.engine)
    if percent is None:
        return None
    parameters = [("reserved-memory-percent", str(percent))]
    if topo.cluster_mode_enabled:
        parameters.append(("cluster-enabled", "yes"))
    return CustomParameterGroup(
        name=f"{cluster_id}-params"[:255],
        family=parameter_group_family(topo.engine, version),
        description=f"reserved-memory-percent {percent} for {topo.node_type} (ElastiCache advisor)",
        parameters=tuple(parameters),
    )
