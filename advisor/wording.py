"""Words for people: counts with the right plural, sentences that start with a capital letter."""

from __future__ import annotations


def noun(count: int, singular: str, plural: str | None = None) -> str:
    """The noun alone, agreeing with `count`: noun(1, 'node') -> 'node', noun(3, 'node') -> 'nodes'."""
    return singular if count == 1 else (plural or singular + "s")


def count_noun(count: int, singular: str, plural: str | None = None) -> str:
    """'1 shard', '5 shards', '0 replicas', '1,200 nodes'."""
    return f"{count:,} {noun(count, singular, plural)}"


def node_layout(engine: str, shards: int, replicas: int, node_type: str) -> str:
    """A node-based design in its engine's own words: Memcached has nodes, not shards or replicas."""
    if engine == "memcached":
        return f"{count_noun(shards, 'node')} of {node_type}"
    return f"{count_noun(shards, 'shard')} x {count_noun(1 + replicas, 'node')} of {node_type}"


def sentence(text: str) -> str:
    """The text with its first letter upper case ('dev/test traffic: ...' -> 'Dev/test traffic: ...'); an identifier
    such as 'cache.r7g.large' or 'us-east-1' at the start is left alone."""
    head = text.split(" ", 1)[0]
    if not text or not text[0].islower() or any(c in head for c in ".-_") or head.startswith("/"):
        return text
    return text[0].upper() + text[1:]
