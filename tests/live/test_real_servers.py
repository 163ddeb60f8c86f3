"""The live inspection against servers as they really are: a real Valkey 9.1, a server without HELLO (standing in
for Redis OSS before 6), ACL-restricted users, keys outside db 0, a few huge keys among many small ones, and a
Redis Cluster losing a node. Every server runs on loopback; expected figures come from MEMORY USAGE over every
key (tests.live.keyspaces.exact_totals) or from what the test itself wrote.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator

import pytest
import redis

from advisor.errors import ConnectionProblem
from advisor.live.keyspace_scan import show_key
from advisor.live.redis_connection import target_from_form
from advisor.live.redis_inspect import (
    RedisTarget,
    SampleSettings,
    ScanInterrupted,
    analyze_keyspace,
    command_mix,
    connect,
    inspect,
    problem_from,
)
from tests.live.keyspaces import TOTAL_KEYS, exact_totals, load_keyspace
from tests.support.redis_servers import HOST, RedisServer, start_cluster, start_redis, start_valkey

pytestmark = pytest.mark.redis
UNLIMITED = {"max_ops_per_sec": None, "time_budget_s": None}
SECRET = "s3cret-Pa55word-typed-by-the-user"


@pytest.fixture(scope="module")
def valkey() -> Iterator[RedisServer]:
    server = start_valkey(password=SECRET)
    try:
        load_keyspace(server.client())
        yield server
    finally:
        server.stop()


def test_valkey_is_inspected_and_fully_scanned_exactly(valkey: RedisServer) -> None:
    target = RedisTarget(HOST, valkey.port, password=SECRET)
    client = connect(target)
    info = inspect(client, target)
    assert info.engine == "valkey" and info.version.startswith("9.1")
    assert info.total_keys == TOTAL_KEYS
    exact = exact_totals([valkey.client()])
    report = analyze_keyspace(client, SampleSettings(full=True, scan_count=300, **UNLIMITED), target=target)
    assert report.mode == "full" and not report.partial and report.sampled_keys == TOTAL_KEYS
    assert report.total_bytes.value == pytest.approx(exact.total_bytes)
    assert report.applicable, report.problems
    assert report.server_check.startswith("Agrees")


def test_valkey_sampled_runs_start_at_random_cursors(valkey: RedisServer) -> None:
    target = RedisTarget(HOST, valkey.port, password=SECRET)
    client = connect(target)
    settings = SampleSettings(sample_size=500, scan_count=100, find_big_keys=False, **UNLIMITED)
    first = analyze_keyspace(client, settings, target=target, rng=random.Random(1))
    second = analyze_keyspace(client, settings, target=target, rng=random.Random(2))
    assert first.sampled_keys == second.sampled_keys == 500
    # Different starting places give different samples (the old scan from cursor 0 gave identical ones).
    assert {k.key for k in first.biggest} != {k.key for k in second.biggest} or \
        first.total_bytes.value != second.total_bytes.value
    exact = exact_totals([valkey.client()])
    for report in (first, second):
        se = report.total_bytes.half_width / 1.96
        assert abs(report.total_bytes.value - exact.total_bytes) <= 4 * se


@pytest.fixture(scope="module")
def no_hello() -> Iterator[RedisServer]:
    """HELLO renamed away, as on Redis OSS 4 and 5, with an ACL user that has a password."""
    server = start_redis(password=SECRET, extra_args=("--rename-command", "HELLO", ""))
    try:
        admin = server.client()
        admin.execute_command("ACL", "SETUSER", "reader", "on", f">{SECRET}", "~*", "+@all")
        load_keyspace(admin)
        yield server
    finally:
        server.stop()


def test_server_without_hello_is_inspected_over_resp2(no_hello: RedisServer) -> None:
    target = RedisTarget(HOST, no_hello.port, username="reader", password=SECRET)
    client = connect(target)
    assert inspect(client, target).total_keys == TOTAL_KEYS
    report = analyze_keyspace(client, SampleSettings(full=True, **UNLIMITED), target=target)
    assert report.sampled_keys == TOTAL_KEYS and report.applicable


def test_a_refused_hello_never_shows_the_password(no_hello: RedisServer) -> None:
    # What redis-py does with RESP3: `HELLO 3 AUTH reader <password>`; the server's error quotes the arguments.
    raw = redis.Redis(host=HOST, port=no_hello.port, username="reader", password=SECRET, protocol=3)
    with pytest.raises(redis.RedisError) as caught:
        raw.ping()
    assert SECRET in str(caught.value)  # the server really does quote it
    target = RedisTarget(HOST, no_hello.port, username="reader", password=SECRET)
    problem = str(problem_from(caught.value, target))
    assert SECRET not in problem and "***" in problem and f"{HOST}:{no_hello.port}" in problem


def test_user_name_on_a_server_without_acl_users_gets_the_fix() -> None:
    # What Redis OSS 4/5 answers to `AUTH user password` (it takes the password alone).
    refused = redis.ResponseError("ERR wrong number of arguments for 'auth' command")
    message = str(problem_from(refused, RedisTarget("10.0.0.5", 6379, username="app", password=SECRET)))
    assert "leave Username empty" in message and "10.0.0.5:6379" in message


@pytest.fixture(scope="module")
def acl_server() -> Iterator[RedisServer]:
    server = start_redis(password=SECRET)
    try:
        admin = server.client()
        load_keyspace(admin)
        # No MEMORY USAGE at all; and one limited to the user:* keys.
        admin.execute_command("ACL", "SETUSER", "nomemory", "on", f">{SECRET}", "~*", "+@all", "-memory")
        admin.execute_command("ACL", "SETUSER", "usersonly", "on", f">{SECRET}", "~user:*", "+@all")
        yield server
    finally:
        server.stop()


def test_user_without_memory_usage_gets_a_clear_refusal(acl_server: RedisServer) -> None:
    target = RedisTarget(HOST, acl_server.port, username="nomemory", password=SECRET)
    report = analyze_keyspace(connect(target), SampleSettings(sample_size=400, scan_count=100,
                                                              find_big_keys=False, **UNLIMITED), target=target)
    # All 400 keys sent for measurement had MEMORY USAGE refused: counted, named, and the estimate not applicable.
    assert report.sampled_keys == 0 and report.refused_probes == 400
    assert report.refused[0][0].startswith("MEMORY USAGE: NOPERM")
    assert not report.applicable and any("refused 400 probe" in p for p in report.problems)


def test_user_limited_to_some_keys_counts_each_refused_key(acl_server: RedisServer) -> None:
    target = RedisTarget(HOST, acl_server.port, username="usersonly", password=SECRET)
    report = analyze_keyspace(connect(target), SampleSettings(full=True, **UNLIMITED), target=target)
    # load_keyspace writes 3,000 user:* keys; every other key refuses TYPE, MEMORY USAGE and TTL (3 probes each).
    others = TOTAL_KEYS - 3000
    assert report.sampled_keys == 3000
    assert report.refused_probes == 3 * others
    assert not report.applicable


def test_keys_in_another_database_are_read_with_its_index(redis_server: RedisServer) -> None:
    writer = redis.Redis(host=HOST, port=redis_server.port, db=3)
    writer.flushdb()
    writer.mset({f"db3:{i}": "v" * 40 for i in range(250)})
    try:
        target = target_from_form(f"redis://{HOST}:{redis_server.port}/3", 6379)
        assert target.db == 3
        report = analyze_keyspace(connect(target), SampleSettings(full=True, **UNLIMITED), target=target)
        assert report.sampled_keys == 250
        # db 0 of the same server is empty here, and the info says where the keys are.
        info = inspect(connect(RedisTarget(HOST, redis_server.port)))
        assert info.keyspace["db3"]["keys"] == 250
    finally:
        writer.flushdb()


@pytest.fixture(scope="module")
def heavy_tail() -> Iterator[tuple[RedisServer, int]]:
    """100,000 small strings (DEBUG POPULATE), one 40 MB string and one 300,000-member zset."""
    server = start_redis(debug=True)
    try:
        client = server.client()
        client.execute_command("DEBUG", "POPULATE", 100_000, "small", 60)
        client.execute_command("SETRANGE", "huge:string", 40_000_000 - 1, "x")
        pipe = client.pipeline(transaction=False)
        for start in range(0, 300_000, 10_000):
            pipe.zadd("huge:zset", {f"member-{i}": i for i in range(start, start + 10_000)})
        pipe.execute()
        # SAMPLES 0: every element of every key, the exact figure (the default 5 samples would be an estimate).
        exact = sum(int(client.memory_usage(k, samples=0)) for k in client.scan_iter(count=5000))
        yield server, exact
    finally:
        server.stop()


def test_huge_keys_are_their_own_stratum(heavy_tail: tuple[RedisServer, int]) -> None:
    server, exact = heavy_tail
    target = RedisTarget(HOST, server.port)
    report = analyze_keyspace(connect(target), SampleSettings(sample_size=2000, scan_count=500, **UNLIMITED),
                              target=target)
    assert report.big_keys == 2 and report.big_search.startswith("complete")
    assert {k.key for k in report.biggest[:2]} == {"huge:string", "huge:zset"}
    # The small keys are all alike (DEBUG POPULATE), so their stratum is exact; the one difference left is
    # MEMORY USAGE's own 10,000-element sample of the 300,000-member zset (about 0.01% of the total here).
    assert abs(report.total_bytes.value - exact) / exact < 0.001
    assert report.applicable and report.server_check.startswith("Agrees")


def test_key_patterns_weigh_the_huge_keys_as_the_memory_they_are(heavy_tail: tuple[RedisServer, int]) -> None:
    """The 'Memory by key pattern' chart: two huge keys hold almost all the memory, so huge:* must show as that
    share (measured here with MEMORY USAGE SAMPLES 0), not as the 2 keys in a 2,000-key sample of small ones."""
    server, exact = heavy_tail
    client = server.client()
    huge = sum(int(client.memory_usage(k, samples=0)) for k in ("huge:string", "huge:zset"))
    target = RedisTarget(HOST, server.port)
    report = analyze_keyspace(connect(target), SampleSettings(sample_size=2000, scan_count=500, **UNLIMITED),
                              target=target)
    shares = {p.pattern: p for p in report.prefixes}
    assert shares["huge:*"].share_of_bytes == pytest.approx(huge / exact, rel=0.01)
    assert shares["huge:*"].share_of_keys == pytest.approx(2 / 100_002, rel=0.01)
    assert report.prefixes[0].pattern == "huge:*"  # listed by memory, the biggest first


def test_without_the_big_key_search_the_server_check_refuses_the_estimate(
    heavy_tail: tuple[RedisServer, int],
) -> None:
    server, exact = heavy_tail
    target = RedisTarget(HOST, server.port)
    settings = SampleSettings(sample_size=2000, scan_count=500, find_big_keys=False, **UNLIMITED)
    report = analyze_keyspace(connect(target), settings, target=target)
    # Whether or not the 2,000-key sample caught a huge key, scaling it up (or missing both) is far off ...
    assert not report.total_bytes.contains(exact)
    # ... and INFO's own figure says so: the estimate is not applied.
    assert report.server_check.startswith("DISAGREES") and not report.applicable


def test_url_in_the_host_field_is_parsed_without_echoing_the_password() -> None:
    target = target_from_form(f"rediss://reader:{SECRET}@cache.example.com:6380/2", 6379)
    assert (target.host, target.port, target.tls, target.username, target.password, target.db) == \
        ("cache.example.com", 6380, True, "reader", SECRET, 2)
    for bad in (f"reader:{SECRET}@cache.example.com", f"redis://reader:{SECRET}@cache.example.com:99999",
                f"redis://reader:{SECRET}@cache.example.com/db"):
        with pytest.raises(ConnectionProblem) as caught:
            target_from_form(bad, 6379)
        assert SECRET not in str(caught.value) and str(caught.value).startswith("Host")


def test_binary_key_names_are_shown_unambiguously() -> None:
    assert show_key(b"user:1") == "user:1"
    assert show_key(b"bin:\xff\xfe\x00") == "bin:\\xff\\xfe\\x00"
    assert show_key(b"back\\slash") == "back\\\\slash"  # a real backslash cannot pass for an escape
    assert show_key(b"\\xff") != show_key(b"\xff")
    assert show_key(b"line\nbreak") == "line\\nbreak"


def test_cluster_node_killed_mid_scan_is_named(tmp_path_factory: pytest.TempPathFactory) -> None:
    cluster = start_cluster(3)
    try:
        client = cluster.client()
        pipe = client.pipeline(transaction=False)
        for i in range(30_000):
            pipe.set(f"k:{i}", "x" * 50)
        pipe.execute()
        seed, victim = cluster.nodes[0], cluster.nodes[2]
        target = RedisTarget(HOST, seed.port)
        analyzer = connect(target)
        started = []

        def kill_on_first_progress(_: int) -> None:
            if not started:
                started.append(True)
                victim.stop()

        with pytest.raises(ScanInterrupted) as caught:
            analyze_keyspace(analyzer, SampleSettings(full=True, scan_count=50, **UNLIMITED), kill_on_first_progress,
                             target=target)
        message = str(caught.value)
        assert f"{HOST}:{victim.port}" in message and f"{HOST}:{seed.port}" not in message
        assert "TLS" not in message  # a crash mid-scan has nothing to do with TLS
        assert caught.value.partial.partial
        # Down at connect: the next inspection names the dead node too, not the seed.
        with pytest.raises(ConnectionProblem) as down:
            inspect(connect(target), target)
        assert f"{HOST}:{victim.port}" in str(down.value)
    finally:
        with contextlib.suppress(Exception):
            cluster.stop()


def test_analyzer_probes_and_admin_commands_do_not_count_as_workload() -> None:
    server = start_redis(debug=True)
    try:
        writer = server.client()
        writer.mset({f"w:{i}": "v" * 20 for i in range(500)})  # writes only: no application read at all
        writer.execute_command("DEBUG", "SLEEP", "0.05")  # an operator's admin command, slow per call
        target = RedisTarget(HOST, server.port)
        client = connect(target)
        for _ in range(2):
            analyze_keyspace(client, SampleSettings(full=True, **UNLIMITED), target=target)
        info = inspect(client, target)
        # TYPE, TTL and OBJECT IDLETIME hit every key on each of the two runs: 3 x 500 x 2 = 3,000 raw hits ...
        assert sum(n.hits for n in info.nodes) == 3000
        # ... all of them the analyzer's: no application hit rate to speak of.
        assert info.hit_rate is None
        mix = command_mix(info.commandstats, info.notify_keyspace_events, info.keyspace.keys())
        assert [r.name for r in mix.rows] == ["mset"]  # DEBUG, INFO, SCAN, TYPE, ... are not workload
        assert mix.ecpu_per_request == 1.0 and not mix.representative  # one call says nothing about the mix
    finally:
        server.stop()
