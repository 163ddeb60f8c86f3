"""Where and how to connect to a Redis OSS or Valkey server, the connection itself, and the plain-words
problem for each way it can fail."""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass, field
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.cluster import ClusterNode
from redis.exceptions import (
    AuthenticationError,
    AuthenticationWrongNumberOfArgsError,
    RedisClusterException,
    RedisError,
)
from redis.retry import Retry

from advisor.errors import ConnectionProblem
from advisor.live.read_only import read

RedisClient = redis.Redis | redis.RedisCluster

@dataclass(frozen=True)
class RedisTarget:
    """Where and how to connect. The password is excluded from repr so it never reaches a log line."""

    host: str
    port: int = 6379
    tls: bool = False
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    tls_verify: bool = True
    timeout_s: float = 5.0
    db: int = 0

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def client_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "username": self.username or None, "password": self.password or None,
            "socket_timeout": self.timeout_s, "socket_connect_timeout": self.timeout_s,
            # One attempt: a wrong password or a dead host must fail fast with its own message, not after retries.
            "retry": Retry(NoBackoff(), 0),
        }
        if self.tls:
            kwargs["ssl"] = True
            kwargs["ssl_cert_reqs"] = "required" if self.tls_verify else "none"
        return kwargs



def problem_from(exc: BaseException, target: RedisTarget) -> ConnectionProblem:
    """A sentence naming the address and the likely fix. redis-py messages never contain the password."""
    where = target.address
    text = str(exc)
    lowered = text.lower()
    auth_failed = isinstance(exc, AuthenticationError | AuthenticationWrongNumberOfArgsError)
    if "noauth" in lowered or "authentication required" in lowered or (auth_failed and not target.password):
        return ConnectionProblem(f"{where} requires a password (and possibly a username); none was given.")
    if auth_failed or "wrongpass" in lowered:
        return ConnectionProblem(f"Authentication failed at {where}: wrong username or password.")
    if isinstance(exc, redis.TimeoutError) or isinstance(exc.__cause__, socket.timeout | TimeoutError):
        hint = " With TLS on, a server that does not speak TLS never answers the handshake: try without TLS." \
            if target.tls else ""
        return ConnectionProblem(f"{where} did not answer within {target.timeout_s:g} s.{hint}")
    if isinstance(exc.__cause__, ssl.SSLError) or "ssl" in lowered or "wrong version number" in lowered:
        return ConnectionProblem(
            f"TLS handshake with {where} failed ({text[:120]}). If the server does not use TLS, untick TLS; if it "
            "does, check the certificate or turn off verification for a private CA."
        )
    if "refused" in lowered or "error 111" in lowered:
        return ConnectionProblem(f"Nothing is listening at {where} (connection refused): check host and port.")
    if "name or service not known" in lowered or "nodename nor servname" in lowered or "-2 connecting" in lowered:
        return ConnectionProblem(f"The host name in {where} does not resolve.")
    if "closed by server" in lowered or "reset by peer" in lowered or "connection closed" in lowered:
        hint = "" if target.tls else " If it requires TLS (ElastiCache in-transit encryption), tick TLS."
        return ConnectionProblem(f"{where} closed the connection.{hint}")
    if isinstance(exc, RedisClusterException):
        return ConnectionProblem(f"Could not use {where} as a cluster: {text[:200]}")
    return ConnectionProblem(f"Could not talk to {where}: {type(exc).__name__}: {text[:200]}")


def connect(target: RedisTarget) -> RedisClient:
    """A client for the server, or a RedisCluster when the server reports cluster_enabled:1."""
    client = redis.Redis(host=target.host, port=target.port, db=target.db, **target.client_kwargs())
    try:
        read(client, "PING")
        cluster_info = client.info("cluster")
        if not cluster_info.get("cluster_enabled"):
            return client
        client.close()
        return redis.RedisCluster(
            startup_nodes=[ClusterNode(target.host, target.port)], **target.client_kwargs()
        )
    except RedisError as exc:
        client.close()
        raise problem_from(exc, target) from None
    except OSError as exc:
        client.close()
        raise problem_from(exc, target) from None


def node_clients(client: RedisClient) -> list[tuple[str, redis.Redis]]:
    """(address, client) per primary: the cluster's primaries, or the one standalone server."""
    if isinstance(client, redis.RedisCluster):
        return [(f"{n.host}:{n.port}", client.get_redis_connection(n)) for n in client.get_primaries()]
    kwargs = client.connection_pool.connection_kwargs
    return [(f"{kwargs.get('host')}:{kwargs.get('port')}", client)]


def split_address(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    return host, int(port or 0)
