"""The analyzer's read-only allow-list: every command it sends is checked here, and RESP for batches is
built only from checked commands.

Read-only is enforced, not hoped for: every command the analyzer sends passes `allowed`, which refuses any
name outside READ_ONLY_COMMANDS.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import redis

# Only these commands are ever sent by the analyzer (first word, or first two for container commands).
# AUTH and SELECT open the scan's own connection (log in, pick the database); they change no data.
READ_ONLY_COMMANDS = frozenset({
    "PING", "INFO", "DBSIZE", "SCAN", "TYPE", "TTL", "MEMORY USAGE", "OBJECT IDLETIME", "CONFIG GET", "AUTH",
    "SELECT",
})


def allowed(*args: Any) -> tuple[Any, ...]:
    name = str(args[0]).upper()
    two = f"{name} {str(args[1]).upper()}" if len(args) > 1 else name
    if name not in READ_ONLY_COMMANDS and two not in READ_ONLY_COMMANDS:
        raise PermissionError(f"the analyzer refuses to send {name}: it is not on the read-only list")
    return args


def read(client: redis.Redis, *args: Any) -> Any:
    return client.execute_command(*allowed(*args))



def pack(*args: Any) -> bytes:
    """One command in RESP, after `_allowed` has checked it."""
    parts = [b"*%d\r\n" % len(args)]
    for arg in allowed(*args):
        data = arg if isinstance(arg, bytes) else str(arg).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


def per_key_template(commands: Iterable[tuple[str, ...]]) -> bytes:
    """RESP for `COMMAND ... KEY` for each command, for `template % ((len(key), key) * len(commands))`.

    Every command passes `_allowed` here (through `_pack`), so a batch built from the template sends nothing else.
    """
    parts = []
    for command in commands:
        packed = pack(*command, "KEY")
        parts.append(packed.removesuffix(b"$3\r\nKEY\r\n").replace(b"%", b"%%") + b"$%d\r\n%s\r\n")
    return b"".join(parts)

