"""The keyspace scan's own wire (RESP batches on a pooled connection, hiredis replies) against real redis-servers.

Checks what the fast path must keep from the redis-py pipeline it replaced: exact results for awkward key names,
AUTH and TLS, a connection handed back clean, the ops/s cap and time budget, error replies under LFU, and a
server that stops answering mid-scan.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from advisor.live.keyspace_scan import NodeSample, record
from advisor.live.read_only import per_key_template
from advisor.live.redis_inspect import (
    RedisTarget,
    SampleSettings,
    ScanInterrupted,
    analyze_keyspace,
    connect,
)
from tests.conftest import REDIS_PASSWORD
from tests.live.keyspaces import TOTAL_KEYS, exact_totals, fill_strings, load_keyspace
from tests.support.redis_servers import HOST, RedisServer, free_port, start_redis

pytestmark = pytest.mark.redis
UNLIMITED = {"max_ops_per_sec": None, "time_budget_s": None}
# Names the RESP encoder must carry byte for byte: '%' (the template's own marker), CR LF, spaces, non-UTF-8.
AWKWARD_KEYS = [b"pct:%s%d%%", b"crlf:\r\n*1\r\n$4\r\nPING", b"space key", b"bin:\xff\xfe\x00", b"", b"x" * 5000]


def _self_signed(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "server.crt", directory / "server.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RedisServer, int]]:
    """A password-protected server with the standard keyspace, plain on one port and TLS on another."""
    cert, key = _self_signed(tmp_path_factory.mktemp("tls"))
    tls_port = free_port()
    server = start_redis(password=REDIS_PASSWORD, extra_args=(
        "--tls-port", str(tls_port), "--tls-cert-file", str(cert), "--tls-key-file", str(key),
        "--tls-ca-cert-file", str(cert), "--tls-auth-clients", "no",
    ))
    try:
        load_keyspace(server.client())
        yield server, tls_port
    finally:
        server.stop()


def test_awkward_key_names_measured_exactly() -> None:
    server = start_redis()
    try:
        client = server.client()
        for name in AWKWARD_KEYS:
            client.set(name, "v" * 40)
        target = RedisTarget(HOST, server.port)
        report = analyze_keyspace(connect(target), SampleSettings(full=True, **UNLIMITED), target=target)
        assert report.sampled_keys == len(AWKWARD_KEYS) and not report.partial
        assert report.total_bytes.value == sum(int(client.memory_usage(k)) for k in AWKWARD_KEYS)
        assert report.total_bytes.half_width == 0
        assert report.mean_key_bytes == pytest.approx(sum(len(k) for k in AWKWARD_KEYS) / len(AWKWARD_KEYS))
        assert client.dbsize() == len(AWKWARD_KEYS)  # the CR LF key was a key, not a command
    finally:
        server.stop()


@pytest.mark.parametrize("tls", [False, True], ids=["plain", "tls"])
def test_full_scan_with_auth_and_tls(tls_server: tuple[RedisServer, int], tls: bool) -> None:
    server, tls_port = tls_server
    exact = exact_totals([server.client()])
    target = RedisTarget(HOST, tls_port if tls else server.port, tls=tls, tls_verify=False, password=REDIS_PASSWORD)
    report = analyze_keyspace(connect(target), SampleSettings(full=True, scan_count=300, **UNLIMITED), target=target)
    assert report.mode == "full" and not report.partial
    assert report.sampled_keys == exact.keys == TOTAL_KEYS
    assert report.total_bytes.value == pytest.approx(exact.total_bytes)
    assert {t.type: t.keys.value for t in report.by_type} == pytest.approx(exact.keys_by_type)


def test_scan_connections_are_closed_and_the_client_stays_clean(tls_server: tuple[RedisServer, int]) -> None:
    server, _ = tls_server
    target = RedisTarget(HOST, server.port, password=REDIS_PASSWORD)
    client = connect(target)
    assert isinstance(client, redis.Redis)
    watcher = server.client()
    before = watcher.info("clients")["connected_clients"]
    for _ in range(3):
        analyze_keyspace(client, SampleSettings(full=True, **UNLIMITED), target=target)
        analyze_keyspace(client, SampleSettings(sample_size=700, scan_count=100, **UNLIMITED), target=target)
    # Each scan opens its own socket (public socket/ssl/hiredis APIs) and closes it: no connection is left over
    # (the one extra is the analyzer's client, opened by the first run's DBSIZE).
    deadline = time.monotonic() + 5
    while watcher.info("clients")["connected_clients"] > before + 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert watcher.info("clients")["connected_clients"] <= before + 1
    assert client.execute_command("ECHO", "after the scan") == b"after the scan"
    assert client.dbsize() == TOTAL_KEYS


def test_ops_cap_paces_the_sampled_scan(tls_server: tuple[RedisServer, int]) -> None:
    server, _ = tls_server
    target = RedisTarget(HOST, server.port, password=REDIS_PASSWORD)
    client = connect(target)
    free = analyze_keyspace(client, SampleSettings(sample_size=2000, scan_count=100, **UNLIMITED), target=target)
    cap = 20_000.0
    paced = analyze_keyspace(client, SampleSettings(sample_size=2000, scan_count=100, max_ops_per_sec=cap,
                                                    time_budget_s=None), target=target)
    assert paced.sampled_keys == free.sampled_keys == 2000
    # Four commands per key plus one SCAN per page; every write but the last waits until it fits under the cap.
    ops = 4 * paced.sampled_keys + paced.sampled_keys // 100
    assert paced.elapsed_s >= (ops - 4 * 100 - 1) / cap
    assert free.elapsed_s < paced.elapsed_s / 2


def test_time_budget_stops_a_full_scan(tls_server: tuple[RedisServer, int]) -> None:
    server, _ = tls_server
    target = RedisTarget(HOST, server.port, password=REDIS_PASSWORD)
    report = analyze_keyspace(connect(target), SampleSettings(full=True, scan_count=100, max_ops_per_sec=None,
                                                              time_budget_s=1e-6), target=target)
    assert "time budget reached" in report.stopped_reason
    # Asked for every key and cut short: labelled partial, never "full", and never applied to a workload.
    assert report.partial and report.label == "full (PARTIAL)" and 0 < report.sampled_keys < TOTAL_KEYS
    assert not report.applicable
    assert report.total_bytes.half_width > 0  # not every key was measured: an estimate with an interval


def test_lfu_policy_error_replies_leave_hot_share_unknown() -> None:
    server = start_redis(extra_args=("--maxmemory-policy", "allkeys-lfu"))
    try:
        load_keyspace(server.client())
        target = RedisTarget(HOST, server.port)
        report = analyze_keyspace(connect(target), SampleSettings(full=True, **UNLIMITED), target=target)
        # OBJECT IDLETIME is an error reply under LFU, inside the batch; every key is still measured.
        assert report.sampled_keys == TOTAL_KEYS and not report.partial
        assert report.hot_share is None
    finally:
        server.stop()


def test_server_that_stops_answering_gives_partial_results() -> None:
    server = start_redis()
    try:
        fill_strings(server.client(), 20_000)
        target = RedisTarget(HOST, server.port, timeout_s=1)
        live = connect(target)
        batches: list[int] = []

        def freeze_after_second_batch(measured: int) -> None:
            batches.append(measured)
            if len(batches) == 2:
                os.kill(server.process.pid, signal.SIGSTOP)

        settings = SampleSettings(full=True, scan_count=500, **UNLIMITED)
        started = time.monotonic()
        with pytest.raises(ScanInterrupted) as caught:
            analyze_keyspace(live, settings, on_progress=freeze_after_second_batch, target=target)
        assert time.monotonic() - started < 10
        partial = caught.value.partial
        assert partial.partial and partial.sampled_keys == sum(batches) > 0
        assert "did not answer within 1 s" in str(caught.value)
    finally:
        os.kill(server.process.pid, signal.SIGCONT)
        server.stop()


def test_record_skips_keys_gone_between_scan_and_measurement() -> None:
    sample = NodeSample("n", 4)
    replies = [5, b"string", 60, -1,  # present
               None, b"none", None, -2,  # deleted before TYPE
               7, b"hash", None, -2,  # deleted between TYPE and MEMORY USAGE
               redis.ResponseError("LFU"), b"zset", 90, 30]  # OBJECT IDLETIME refused: idle unknown
    record(sample, [b"a", b"b", b"c", b"d"], replies, 4, True, {})
    assert sample.keys == ["a", "d"] and sample.sizes == [60, 90] and sample.types == ["string", "zset"]
    assert sample.ttls == [-1, 30] and sample.idle == [5, None]


def test_batch_template_holds_only_read_only_commands() -> None:
    template = per_key_template([("TYPE",), ("MEMORY", "USAGE")])
    expected = b"*2\r\n$4\r\nTYPE\r\n$3\r\nk%s\r\n*3\r\n$6\r\nMEMORY\r\n$5\r\nUSAGE\r\n$3\r\nk%s\r\n"
    assert template % ((3, b"k%s") * 2) == expected
    with pytest.raises(PermissionError):
        per_key_template([("TYPE",), ("DEL",)])
    with pytest.raises(PermissionError):
        per_key_template([("OBJECT", "FREQ"), ("CONFIG", "SET")])
