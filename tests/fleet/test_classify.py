"""The CPU x memory x network grid: CPU <20/20-70/>70, memory <30/30-70/>70, network <40/40-80/>80 %."""

from __future__ import annotations

import pytest

from advisor.fleet.classify import Grid, Level, UtilizationClass, classify


@pytest.mark.parametrize(("cpu", "mem", "net", "expected"), [
    (2, 5, 1, UtilizationClass.IDLE),
    (15, 25, 30, UtilizationClass.OVER_PROVISIONED),
    (19.9, 29.9, 39.9, UtilizationClass.OVER_PROVISIONED),
    (20, 30, 40, UtilizationClass.BALANCED),  # the low bounds are exclusive
    (70, 70, 80, UtilizationClass.BALANCED),  # the high bounds too
    (71, 40, 40, UtilizationClass.CPU_BOUND),
    (40, 71, 40, UtilizationClass.MEMORY_BOUND),
    (10, 10, 81, UtilizationClass.NETWORK_BOUND),  # low CPU and memory do not make it over-provisioned
    (71, 71, 10, UtilizationClass.SATURATED),
    (10, 71, 81, UtilizationClass.SATURATED),
    (None, 50, 50, UtilizationClass.NOT_ENOUGH_DATA),
])
def test_grid(cpu: float | None, mem: float, net: float, expected: UtilizationClass) -> None:
    assert classify(Grid(cpu, mem, net, "test")) is expected


def test_only_idle_and_over_provisioned_may_shrink() -> None:
    assert {c for c in UtilizationClass if c.may_shrink} == {UtilizationClass.IDLE, UtilizationClass.OVER_PROVISIONED}
    assert not UtilizationClass.NETWORK_BOUND.may_shrink
    assert Grid(None, 1, 1, "x").cpu is Level.UNKNOWN
