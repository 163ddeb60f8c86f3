"""The CPU x memory x network grid of the AWS sample operations review, with its thresholds.

Axes (over the last 7 days of the window, the cluster's current state): CPU = p95 of EngineCPUUtilization
(per-period Maximum), memory = max of DatabaseMemoryUsagePercentage, network = p95 of the node's use of its
baseline bandwidth in the busier direction. Levels: CPU <20 / 20-70 / >70 %, memory <30 / 30-70 / >70 %,
network <40 / 40-80 / >80 %.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

CPU_LEVELS = (20.0, 70.0)
MEMORY_LEVELS = (30.0, 70.0)
NETWORK_LEVELS = (40.0, 80.0)
# [U] The sample gives idle and over-provisioned the same all-Low condition; the advisor calls a cluster
# idle when it barely runs at all (every axis under these), and over-provisioned otherwise.
IDLE_CPU_PCT = 5.0
IDLE_MEMORY_PCT = 10.0
IDLE_NETWORK_PCT = 5.0


class Level(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    UNKNOWN = "not enough data"


class UtilizationClass(StrEnum):
    IDLE = "idle"
    OVER_PROVISIONED = "over-provisioned"
    BALANCED = "balanced"
    CPU_BOUND = "CPU-bound"
    MEMORY_BOUND = "memory-bound"
    NETWORK_BOUND = "network-bound"
    SATURATED = "saturated"
    SERVERLESS = "Serverless (scales itself)"
    NOT_ENOUGH_DATA = "not enough data"

    @property
    def may_shrink(self) -> bool:
        """Only these classes may be offered a smaller node; never a network-bound one."""
        return self in (UtilizationClass.IDLE, UtilizationClass.OVER_PROVISIONED)

    @property
    def needs_more(self) -> bool:
        return self in (UtilizationClass.CPU_BOUND, UtilizationClass.MEMORY_BOUND, UtilizationClass.NETWORK_BOUND,
                        UtilizationClass.SATURATED)


def level(value: float | None, bounds: tuple[float, float]) -> Level:
    if value is None:
        return Level.UNKNOWN
    if value < bounds[0]:
        return Level.LOW
    if value <= bounds[1]:
        return Level.MEDIUM
    return Level.HIGH


@dataclass(frozen=True)
class Grid:
    cpu_p95: float | None
    memory_max: float | None
    network_p95: float | None
    network_source: str  # which metric the network axis came from

    @property
    def cpu(self) -> Level:
        return level(self.cpu_p95, CPU_LEVELS)

    @property
    def memory(self) -> Level:
        return level(self.memory_max, MEMORY_LEVELS)

    @property
    def network(self) -> Level:
        return level(self.network_p95, NETWORK_LEVELS)


def classify(grid: Grid) -> UtilizationClass:
    levels = (grid.cpu, grid.memory, grid.network)
    if Level.UNKNOWN in levels:
        return UtilizationClass.NOT_ENOUGH_DATA
    highs = sum(1 for lv in levels if lv is Level.HIGH)
    if highs >= 2:
        return UtilizationClass.SATURATED
    if grid.network is Level.HIGH:
        return UtilizationClass.NETWORK_BOUND
    if grid.cpu is Level.HIGH:
        return UtilizationClass.CPU_BOUND
    if grid.memory is Level.HIGH:
        return UtilizationClass.MEMORY_BOUND
    if all(lv is Level.LOW for lv in levels):
        assert grid.cpu_p95 is not None and grid.memory_max is not None and grid.network_p95 is not None
        if (grid.cpu_p95 < IDLE_CPU_PCT and grid.memory_max < IDLE_MEMORY_PCT
                and grid.network_p95 < IDLE_NETWORK_PCT):
            return UtilizationClass.IDLE
        return UtilizationClass.OVER_PROVISIONED
    return UtilizationClass.BALANCED
