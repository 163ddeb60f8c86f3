"""redis_inspect against real redis-server processes: estimates checked against exact MEMORY USAGE totals."""

from __future__ import annotations

import math
import socket
from collections.abc import Iterator

import pytest
import redis

from advisor.errors import ConnectionProblem
from advisor.live.read_only import allowed
from advisor.live.redis_inspect import (
    NOT_READABLE,
    CommandStat,
    KeyspaceReport,
    RedisTarget,
    SampleSettings,
    ScanInterrupted,
    analyze_keyspace,
    command_mix,
    connect,
    inspect,
    node_clients,
)
from tests.conftest import REDIS_PASSWORD
from tests.live.keyspaces import HASHES, STRINGS_SMALL, TOTAL_KEYS, WITH_TTL, exact_totals, fill_strings, load_keyspace
from tests.support.redis_servers import HOST, RedisClusterServers, RedisServer, free_port, start_redis

pytestmark = pytest.mark.redis


@pytest.fixture(scope="module")
def standalone(redis_server_with_password: RedisServer) -> Iterator[RedisTarget]:
    client = redis_server_with_password.client()
    client.flushall()
    load_keyspace(client)
    yield RedisTarget(HOST, redis_server_with_password.port, password=REDIS_PASSWORD)
    client.flushall()


@pytest.fixture(scope="module")
def cluster(redis_cluster: RedisClusterServers) -> Iterator[RedisTarget]:
    client = redis_cluster.client()
    for node in redis_cluster.nodes:
        node.client().flushall()
    load_keyspace(client)
    yield RedisTarget(HOST, redis_cluster.nodes[0].port)
    for node in redis_cluster.nodes:
        node.client().flushall()


def _sampled(target: RedisTarget, sample_size: int) -> KeyspaceReport:
    settings = SampleSettings(sample_size=sample_size, max_ops_per_sec=None, time_budget_s=None, scan_count=200)
    return analyze_keyspace(connect(target), settings, target=target)


def _assert_estimate_close(report: KeyspaceReport, exact: int) -> None:
    # Four standard errors (half-width / 1.96 is one SE): a correct estimator misses this about once in 16,000.
    se = report.total_bytes.half_width / 1.96
    assert abs(report.total_bytes.value - exact) <= max(4 * se, 1.0)
    # On this small, bimodal keyspace one SE is about 2-3% of the total; the 5% target is for the 1M-key bench.
    assert abs(report.total_bytes.value - exact) / exact < 0.12


def test_connect_detects_standalone_and_reads_info(standalone: RedisTarget) -> None:
    client = connect(standalone)
    assert isinstance(client, redis.Redis) and not isinstance(client, redis.RedisCluster)
    info = inspect(client, standalone)
    assert info.total_keys == TOTAL_KEYS
    assert info.keyspace["db0"]["expires"] == WITH_TTL
    assert info.engine == "redis" and info.version.startswith("7.")
    assert info.maxmemory_policy == "noeviction"  # the redis-server default, readable here
    assert info.notify_keyspace_events == ""
    assert not info.cluster_mode and len(info.nodes) == 1


def test_full_scan_equals_exact_totals(standalone: RedisTarget) -> None:
    client = connect(standalone)
    exact = exact_totals([client])
    report = analyze_keyspace(client, SampleSettings(full=True, max_ops_per_sec=None, time_budget_s=None),
                              target=standalone)
    assert report.mode == "full" and not report.partial
    assert report.sampled_keys == exact.keys == TOTAL_KEYS
    assert report.total_bytes.value == pytest.approx(exact.total_bytes)
    assert report.total_bytes.half_width == 0  # every key measured: no sampling error
    for estimate in report.by_type:
        assert estimate.bytes.value == pytest.approx(exact.bytes_by_type[estimate.type])
        assert estimate.keys.value == pytest.approx(exact.keys_by_type[estimate.type])
    assert report.no_ttl_share.value == pytest.approx((TOTAL_KEYS - WITH_TTL) / TOTAL_KEYS)
    biggest = report.biggest[0]
    assert biggest.key.startswith("blob:") and biggest.type == "string" and biggest.bytes > 2000
    shares = {p.pattern: p.share_of_keys for p in report.prefixes}
    assert shares["user:*"] == pytest.approx(STRINGS_SMALL / TOTAL_KEYS)
    assert shares["session:*"] == pytest.approx(HASHES / TOTAL_KEYS)
    assert report.mean_key_bytes == pytest.approx(exact_mean_key_bytes())


def exact_mean_key_bytes() -> float:
    from tests.live import keyspaces as k

    names = ([f"user:{i}" for i in range(k.STRINGS_SMALL)] + [f"blob:{i}" for i in range(k.STRINGS_BIG)]
             + [f"session:{i}" for i in range(k.HASHES)] + [f"queue:{i}" for i in range(k.LISTS)]
             + [f"tags:{i}" for i in range(k.SETS)] + [f"rank:{i}" for i in range(k.ZSETS)])
    return sum(len(n) for n in names) / len(names)


def test_sampled_estimate_brackets_exact_total(standalone: RedisTarget) -> None:
    exact = exact_totals([connect(standalone)])  # type: ignore[list-item]
    report = _sampled(standalone, sample_size=1500)
    assert report.mode == "sampled" and not report.partial
    assert 1500 <= report.sampled_keys <= 1500 + 200  # the quota, never a whole extra SCAN page beyond it
    assert report.total_keys == TOTAL_KEYS
    _assert_estimate_close(report, exact.total_bytes)
    assert report.total_bytes.low < report.total_bytes.high
    blobs = next(t for t in report.by_type if t.type == "string")
    assert abs(blobs.bytes.value - exact.bytes_by_type["string"]) / exact.bytes_by_type["string"] < 0.10
    share = (TOTAL_KEYS - WITH_TTL) / TOTAL_KEYS
    half = report.no_ttl_share.value - report.no_ttl_share.low
    assert abs(report.no_ttl_share.value - share) <= max(2.1 * half, 0.02)


def test_cluster_primaries_sampled_concurrently_and_combined(cluster: RedisTarget) -> None:
    client = connect(cluster)
    assert isinstance(client, redis.RedisCluster)
    primaries = [c for _, c in node_clients(client)]
    assert len(primaries) == 3
    exact = exact_totals(primaries)
    assert exact.keys == TOTAL_KEYS
    info = inspect(client, cluster)
    assert info.cluster_mode and len(info.nodes) == 3 and info.total_keys == TOTAL_KEYS
    full = analyze_keyspace(client, SampleSettings(full=True, max_ops_per_sec=None, time_budget_s=None), target=cluster)
    assert full.nodes == 3 and full.sampled_keys == TOTAL_KEYS
    assert full.total_bytes.value == pytest.approx(exact.total_bytes)
    sampled = analyze_keyspace(client, SampleSettings(sample_size=1500, max_ops_per_sec=None, time_budget_s=None,
                                                      scan_count=100), target=cluster)
    assert sampled.nodes == 3 and sampled.sampled_keys < TOTAL_KEYS
    _assert_estimate_close(sampled, exact.total_bytes)


def _commandstats(client: redis.Redis) -> dict[str, int]:
    raw = client.info("commandstats")
    return {k.removeprefix("cmdstat_"): int(v["calls"]) for k, v in raw.items()}


def test_analyzer_sends_only_read_commands(standalone: RedisTarget, redis_server_with_password: RedisServer) -> None:
    observer = redis_server_with_password.client()
    before = _commandstats(observer)
    client = connect(standalone)
    inspect(client, standalone)
    analyze_keyspace(client, SampleSettings(sample_size=500, max_ops_per_sec=None), target=standalone)
    analyze_keyspace(client, SampleSettings(full=True, max_ops_per_sec=None, time_budget_s=None), target=standalone)
    after = _commandstats(observer)
    increased = sorted(name for name, calls in after.items() if calls > before.get(name, 0))
    assert "memory|usage" in increased and "scan" in increased  # the scan really ran
    for name in increased:
        command = name.split("|")[0]
        docs = observer.execute_command("COMMAND", "INFO", command)  # redis-py parses it to {name: {flags...}}
        entry = docs.get(command) or next(iter(docs.values()))
        flags = {f.decode() if isinstance(f, bytes) else str(f) for f in entry["flags"]}
        assert "write" not in flags, f"{name} is a write command"
    assert observer.dbsize() == TOTAL_KEYS  # and nothing was added or removed


def test_allow_list_refuses_write_commands() -> None:
    with pytest.raises(PermissionError):
        allowed("SET", "k", "v")
    with pytest.raises(PermissionError):
        allowed("CONFIG", "SET", "maxmemory", "1")
    assert allowed("MEMORY", "USAGE", "k") == ("MEMORY", "USAGE", "k")


def test_config_blocked_reads_as_not_readable() -> None:
    server = start_redis(extra_args=("--rename-command", "CONFIG", ""))  # as ElastiCache blocks CONFIG
    try:
        target = RedisTarget(HOST, server.port)
        info = inspect(connect(target), target)
        assert info.notify_keyspace_events is None
        assert info.maxmemory_policy == "noeviction"  # INFO memory still reports the policy on Redis 7
        mix = command_mix(info.commandstats, info.notify_keyspace_events)
        assert any("not readable" in note for note in mix.notes)
        assert NOT_READABLE == "not readable"
    finally:
        server.stop()


def test_wrong_password_is_a_clear_problem(redis_server_with_password: RedisServer) -> None:
    target = RedisTarget(HOST, redis_server_with_password.port, password="not-the-password")
    with pytest.raises(ConnectionProblem, match="Authentication failed") as caught:
        connect(target)
    assert "not-the-password" not in str(caught.value) and REDIS_PASSWORD not in str(caught.value)


def test_missing_password_is_a_clear_problem(redis_server_with_password: RedisServer) -> None:
    with pytest.raises(ConnectionProblem, match="requires a password"):
        connect(RedisTarget(HOST, redis_server_with_password.port))


def test_unreachable_host() -> None:
    with pytest.raises(ConnectionProblem, match="connection refused"):
        connect(RedisTarget(HOST, free_port(), timeout_s=1))


def test_silent_server_times_out() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
        silent.bind((HOST, 0))
        silent.listen(1)  # accepts TCP into the backlog, never answers
        with pytest.raises(ConnectionProblem, match=r"did not answer within 0\.5 s"):
            connect(RedisTarget(HOST, silent.getsockname()[1], timeout_s=0.5))


def test_tls_against_plain_server(redis_server: RedisServer) -> None:
    with pytest.raises(ConnectionProblem, match="TLS") as caught:
        connect(RedisTarget(HOST, redis_server.port, tls=True, tls_verify=False, timeout_s=1))
    assert "without TLS" in str(caught.value) or "untick TLS" in str(caught.value)


def test_server_killed_mid_scan_gives_partial_results() -> None:
    server = start_redis()
    try:
        fill_strings(server.client(), 20_000)
        target = RedisTarget(HOST, server.port, timeout_s=2)
        live = connect(target)
        batches: list[int] = []

        def kill_after_first_batch(measured: int) -> None:
            batches.append(measured)
            if len(batches) == 2:
                server.stop()

        settings = SampleSettings(full=True, scan_count=500, max_ops_per_sec=None, time_budget_s=None)
        with pytest.raises(ScanInterrupted) as caught:
            analyze_keyspace(live, settings, on_progress=kill_after_first_batch, target=target)
        partial = caught.value.partial
        assert isinstance(caught.value, ConnectionProblem)
        assert partial.partial and "PARTIAL" in partial.label
        assert 0 < partial.sampled_keys < 20_000
        assert partial.sampled_keys == sum(batches)
        assert "partial" in str(caught.value)
    finally:
        server.stop()


def test_command_mix_flags_blockers_on_a_real_server() -> None:
    server = start_redis()
    try:
        client = server.client()
        client.mset({"a": "1", "b": "2"})
        for _ in range(5):
            client.mget("a", "b")
        client.hset("h", "f", "v")
        client.sadd("s1", "x")
        client.sunion("s1", "s2")
        client.config_set("notify-keyspace-events", "KEA")
        db1 = server.client(db=1)  # redis-py sends SELECT 1 on connect
        db1.set("other-db", "1")
        target = RedisTarget(HOST, server.port)
        info = inspect(connect(target), target)
        mix = command_mix(info.commandstats, info.notify_keyspace_events, info.keyspace.keys())
        assert {"hset", "sadd", "sunion"} <= set(mix.memcached_blockers)
        assert "mget" not in mix.memcached_blockers  # Memcached has multi-get
        assert any("SELECT" in b for b in mix.serverless_blockers)
        assert any("db1" in b for b in mix.serverless_blockers)
        assert any("keyspace notifications" in b for b in mix.serverless_blockers)
        assert any(r.startswith("MGET (5 calls)") for r in mix.cluster_risks)
        assert any(r.startswith("SUNION") for r in mix.cluster_risks)
        assert mix.read_calls == 5 + 1  # MGET x5, SUNION x1
        assert mix.write_calls == 1 + 1 + 1 + 1  # MSET, HSET, SADD, SET
    finally:
        server.stop()


def test_ecpu_multiple_from_engine_time() -> None:
    stats = {
        "get": CommandStat("get", calls=100, usec=100, usec_per_call=1.0),
        "zunionstore": CommandStat("zunionstore", calls=10, usec=50, usec_per_call=5.0),
        "info": CommandStat("info", calls=1000, usec=99999, usec_per_call=99.999),  # housekeeping: ignored
    }
    mix = command_mix(stats, notify_keyspace_events="")
    # GET is the 1 µs baseline; ZUNIONSTORE takes 5x as long: (100 x 1 + 10 x 5) / 110 requests.
    assert mix.ecpu_per_request == pytest.approx(round(150 / 110, 3))
    assert mix.complex_share == pytest.approx(10 / 110)
    assert mix.read_calls == 100 and mix.write_calls == 10
    assert math.isclose(sum(r.share for r in mix.rows), 1.0)


def test_key_patterns_from_the_server_reach_the_chart_as_text() -> None:
    """Key names are written by whoever uses the server: a pattern holding Plotly's HTML must not become a link."""
    from advisor.live.keyspace_estimate import KeyspaceReport, PrefixStat
    from ui.live_tables import bytes_by_prefix_chart

    stat = PrefixStat('<a href="https://evil.example">x</a>:*', 3, 0.5, 0.5, 10.0)
    report = KeyspaceReport.__new__(KeyspaceReport)
    object.__setattr__(report, "prefixes", (stat,))
    (bar,) = bytes_by_prefix_chart(report).data
    assert list(bar.y) == ['&lt;a href="https://evil.example"&gt;x&lt;/a&gt;:*']
