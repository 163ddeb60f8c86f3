"""Words for people: counts with the right plural, sentences that start with a capital letter, choices by their
names (Redis OSS, Multi-AZ) rather than their ids ('redis', 'multi_az')."""

from __future__ import annotations

from typing import Any

ENGINE_LABELS: dict[str, str] = {"valkey": "Valkey", "redis": "Redis OSS", "memcached": "Memcached"}


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


# Choice values as people write them; the widget's value stays the model's id ("redis" is still "redis").
CHOICE_LABELS: dict[str, str] = {
    **ENGINE_LABELS, "provisioned": "Provisioned", "serverless": "Serverless", "daily_cycle": "daily cycle",
    "dev_test": "dev/test", "multi_az": "Multi-AZ", "multi_region": "Multi-Region (Global Datastore)",
    "auth_token": "AUTH token", "rbac": "RBAC (users and a user group)", "iam": "IAM", "resp": "RESP",
    "resp_cluster_aware": "RESP, cluster-aware", "simple_get_set": "simple GET/SET", "pubsub": "pub/sub",
    "sharded_pubsub": "sharded pub/sub", "lua": "Lua", "json": "JSON",
    "select_multiple_dbs": "multiple databases (SELECT)", "multi_key_commands": "multi-key commands",
}


def choice_label(value: Any) -> str:
    """A choice as the form shows it: yes/no, 'advisor decides' for unset, product names and acronyms spelled."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "advisor decides"
    return CHOICE_LABELS.get(str(value), str(value).replace("_", " "))
