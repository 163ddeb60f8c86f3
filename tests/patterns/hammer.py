"""Helpers for real-server concurrency tests: a slow fake database and a pool of threads hammering a read."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class SlowDatabase:
    """A stand-in database whose reads take `delay_s`; counts every read, from any thread."""

    delay_s: float = 0.05
    value: bytes = b"v1"
    calls: int = 0
    call_times: list[float] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def load(self) -> bytes:
        with self._lock:
            self.calls += 1
            self.call_times.append(time.monotonic())
            value = self.value
        time.sleep(self.delay_s)
        return value

    def save(self, value: bytes) -> None:
        with self._lock:
            self.value = value


@dataclass(frozen=True)
class HammerRun:
    reads: int
    seconds: float

    @property
    def reads_per_second(self) -> float:
        return self.reads / self.seconds


def hammer(
    threads: int, seconds: float, read: Callable[[], object], on_start: Callable[[], None] | None = None
) -> HammerRun:
    """Release `threads` threads together (after `on_start`) and let each call `read` until `seconds` pass."""
    started: list[float] = []
    reads = [0] * threads
    errors: list[BaseException] = []

    def begin() -> None:
        if on_start is not None:
            on_start()
        started.append(time.monotonic())

    barrier = threading.Barrier(threads, action=begin)

    def worker(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            deadline = started[0] + seconds
            while time.monotonic() < deadline:
                read()
                reads[index] += 1
        except BaseException as exc:  # surfaced in the test thread below
            errors.append(exc)

    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=seconds + 30)
    if errors:
        raise errors[0]
    if any(thread.is_alive() for thread in pool):
        raise TimeoutError("a hammer thread did not finish")
    return HammerRun(reads=sum(reads), seconds=time.monotonic() - started[0])
