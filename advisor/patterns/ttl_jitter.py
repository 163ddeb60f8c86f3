"""TTL jitter: `ttl = base + uniform(0, jitter)`, so keys written together do not all expire in the same instant."""

from __future__ import annotations

import random


def jittered_ttl_ms(base_seconds: float, jitter_seconds: float = 0.0, rng: random.Random | None = None) -> int:
    """A TTL in whole milliseconds between base and base + jitter, for `SET key value PX ttl`.

    Milliseconds rather than seconds so that short TTLs and small jitters are not rounded away.
    Pass a seeded `random.Random` to make the draw reproducible; by default the shared generator is used.
    """
    if base_seconds <= 0:
        raise ValueError(f"base_seconds must be positive, got {base_seconds}")
    if jitter_seconds < 0:
        raise ValueError(f"jitter_seconds must not be negative, got {jitter_seconds}")
    draw = (rng or random).uniform(0.0, jitter_seconds)
    return max(1, round((base_seconds + draw) * 1000))
