"""Where and how to connect to a Redis OSS or Valkey server, the connection itself, and the plain-words
problem for each way it can fail."""

from __future__ import annotations

import re
import socket
import ssl
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

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
            # RESP2 with a plain AUTH: Redis OSS before 6 has no HELLO, and a refused `HELLO 3 AUTH user password`
            # comes back as an error that quotes the password.
            "protocol": 2,
        }
        if self.tls:
            kwargs["ssl"] = True
            kwargs["ssl_cert_reqs"] = "required" if self.tls_verify else "none"
        return kwargs

    def scrub(self, text: str) -> str:
        """`text` with the password (and anything else typed as a secret) blanked out."""
        return scrub(text, (self.password,))


def scrub(text: str, secrets: tuple[str | None, ...]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


_URL = re.compile(r"^(?P<scheme>rediss?|valkeys?)://", re.IGNORECASE)


def target_from_form(
    host: str, port: int, *, tls: bool = False, tls_verify: bool = True, username: str | None = None,
    password: str | None = None, db: int = 0,
) -> RedisTarget:
    """The target from the page's fields. A URL typed into Host (`redis://user:pw@host:6380/2`,
    `rediss://` for TLS) fills the other fields; no message ever repeats what was typed after the user name."""
    text = host.strip()
    if _URL.match(text):
        try:
            url = urlsplit(text)
            url_port = url.port
        except ValueError:
            raise ConnectionProblem("Host: the URL could not be read (expected redis://[user[:password]@]host"
                                    "[:port][/db]).") from None
        if not url.hostname:
            raise ConnectionProblem("Host: the URL names no host (expected redis://[user[:password]@]host[:port]).")
        path = url.path.strip("/")
        if path and not path.isdigit():
            raise ConnectionProblem("Host: the part after the last '/' of the URL must be a database number.")
        text = url.hostname
        port = url_port or port
        tls = tls or url.scheme.lower() in ("rediss", "valkeys")
        username = unquote(url.username) if url.username else username
        password = unquote(url.password) if url.password is not None else password
        db = int(path) if path else db
    elif "@" in text or "/" in text or any(c.isspace() for c in text):
        raise ConnectionProblem("Host: give a host name or IP address only (or a full redis:// URL); put the "
                                "user name and password in their own fields.")
    if not text:
        raise ConnectionProblem("Host: enter the server's host name or IP address.")
    if not 0 <= db <= 15_999:
        raise ConnectionProblem("Database index: must be a whole number from 0 (most servers have 0 to 15).")
    return RedisTarget(host=text, port=int(port), tls=tls, tls_verify=tls_verify, username=username or None,
                       password=password or None, db=db)


def problem_from(
    exc: BaseException, target: RedisTarget, where: str | None = None, connecting: bool = True,
) -> ConnectionProblem:
    """A sentence naming the node that failed (`where`, else the target) and the likely fix, with nothing the
    user typed as a secret in it: servers quote a refused command's arguments, and those can hold the password.
    TLS hints are given only while `connecting`: a server that dies mid-scan has nothing to do with TLS."""
    return ConnectionProblem(target.scrub(_sentence(exc, target, where or target.address, connecting)))


def _sentence(exc: BaseException, target: RedisTarget, where: str, connecting: bool) -> str:
    text = target.scrub(str(exc))
    lowered = text.lower()
    auth_failed = isinstance(exc, AuthenticationError | AuthenticationWrongNumberOfArgsError)
    if target.username and ("wrong number of arguments for 'auth'" in lowered
                            or isinstance(exc, AuthenticationWrongNumberOfArgsError)):
        return (f"{where} does not take a user name with its password (Redis OSS before 6 has no ACL users): "
                "leave Username empty.")
    if "noauth" in lowered or "authentication required" in lowered or (auth_failed and not target.password):
        return f"{where} requires a password (and possibly a username); none was given."
    if auth_failed or "wrongpass" in lowered or "invalid password" in lowered:
        return f"Authentication failed at {where}: wrong username or password."
    if "unknown command" in lowered or "noperm" in lowered or "no permissions" in lowered:
        return f"{where} refused a command the analyzer needs: {text[:200]}"
    if isinstance(exc, redis.TimeoutError) or isinstance(exc.__cause__, socket.timeout | TimeoutError):
        hint = " With TLS on, a server that does not speak TLS never answers the handshake: try without TLS." \
            if target.tls and connecting else ""
        return f"{where} did not answer within {target.timeout_s:g} s.{hint}"
    if isinstance(exc.__cause__, ssl.SSLError) or "ssl" in lowered or "wrong version number" in lowered:
        return (
            f"TLS handshake with {where} failed ({text[:120]}). If the server does not use TLS, untick TLS; if it "
            "does, check the certificate or turn off verification for a private CA."
        )
    if "refused" in lowered or "error 111" in lowered:
        return f"Nothing is listening at {where} (connection refused): check host and port, or whether it is up."
    if "name or service not known" in lowered or "nodename nor servname" in lowered or "-2 connecting" in lowered:
        return f"The host name in {where} does not resolve."
    if "closed by server" in lowered or "reset by peer" in lowered or "connection closed" in lowered:
        hint = " If it requires TLS (ElastiCache in-transit encryption), tick TLS." if connecting and not target.tls \
            else ""
        return f"{where} closed the connection.{hint}"
    if isinstance(exc, RedisClusterException):
        return f"Could not use {where} as a cluster: {text[:200]}"
    return f"Could not talk to {where}: {type(exc).__name__}: {text[:200]}"


def connect(target: RedisTarget) -> RedisClient:
    """A client for the server, or a RedisCluster when the server reports cluster_enabled:1."""
    client = redis.Redis(host=target.host, port=target.port, db=target.db, **target.client_kwargs())
    try:
        read(client, "PING")
        cluster_info = read(client, "INFO", "cluster")
        if not cluster_info.get("cluster_enabled"):
            return client
        client.close()
        if target.db:
            raise ConnectionProblem(f"{target.address} runs in cluster mode, which has only database 0: set the "
                                    "database index to 0.")
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


def target_of(client: RedisClient) -> RedisTarget:
    """The target a client was made for, from its public connection settings (for callers without one)."""
    if isinstance(client, redis.RedisCluster):
        seed = client.get_default_node()
        kwargs = dict(client.nodes_manager.connection_kwargs)
        host, port = seed.host, seed.port
        connection_class = kwargs.get("connection_class")
    else:
        kwargs = client.connection_pool.connection_kwargs
        host, port = kwargs.get("host", "localhost"), kwargs.get("port", 6379)
        connection_class = client.connection_pool.connection_class
    tls = isinstance(connection_class, type) and issubclass(connection_class, redis.SSLConnection)
    return RedisTarget(host=str(host), port=int(port), tls=tls, username=kwargs.get("username"),
                       password=kwargs.get("password"), db=int(kwargs.get("db") or 0),
                       timeout_s=float(kwargs.get("socket_timeout") or 5.0),
                       tls_verify=kwargs.get("ssl_cert_reqs", "required") not in ("none", ssl.CERT_NONE))


def split_address(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    return host, int(port or 0)
