"""The two callables every pattern is written against: read the source of truth, write the source of truth."""

from __future__ import annotations

from collections.abc import Callable

# Reads the value from the database (the slow, authoritative source). Its duration is the refill latency.
Loader = Callable[[], bytes]
# Writes a new value to the database.
Saver = Callable[[bytes], None]
