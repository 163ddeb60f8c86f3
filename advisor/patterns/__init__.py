"""Caching patterns: small reference implementations on redis-py, a catalog describing them, and a simulator.

Every function takes its Redis client as an argument; nothing here holds a global client or imports streamlit.
Values are bytes: encode (JSON, msgpack) at the edge of your application.
"""

from advisor.patterns.cache_aside import cache_aside_get
from advisor.patterns.refresh_ahead import BackgroundRefresher
from advisor.patterns.single_flight import SingleFlight
from advisor.patterns.ttl_jitter import jittered_ttl_ms
from advisor.patterns.write_through import invalidate_on_write, write_through
from advisor.patterns.xfetch import should_refresh_early, xfetch_get

__all__ = [
    "BackgroundRefresher",
    "SingleFlight",
    "cache_aside_get",
    "invalidate_on_write",
    "jittered_ttl_ms",
    "should_refresh_early",
    "write_through",
    "xfetch_get",
]
