"""The server-side rules (what ElastiCache refuses on create, which the AWS CLI cannot check locally), each at its
bound, with the exact message a user reads. Bounds from the CreateReplicationGroup / CreateServerlessCache API
references: 1-40 character group id starting with a letter, 1-500 node groups, 0-5 replicas, 1-6 cache clusters
with cluster mode disabled, snapshot retention 0-35 days, Valkey from 7.2, Serverless data 1-5,000 GB and
1,000-15,000,000 ECPU/s. Fast (no AWS CLI), so mutation testing can run it for every mutant."""

from __future__ import annotations

import pytest

from advisor.commands.aws_cli import Command
from advisor.commands.server_rules import flags, server_side_problems

RG = ("aws", "elasticache", "create-replication-group", "--replication-group-id", "orders-cache",
      "--replication-group-description", "orders")
CLUSTER = ("--cluster-mode", "enabled", "--automatic-failover-enabled")


def _problems(*argv: str, base: tuple[str, ...] = RG) -> list[str]:
    return server_side_problems(Command("test", base + argv))


def test_flags_groups_values_and_bare_flags() -> None:
    assert flags(("aws", "elasticache", "op", "--a", "1", "2", "--b", "--c", "x")) == {
        "--a": ["1", "2"], "--b": [], "--c": ["x"]}
    assert flags(("aws", "elasticache", "op", "stray", "--a")) == {"--a": []}


def test_a_good_command_has_no_problem() -> None:
    assert _problems(*CLUSTER, "--num-node-groups", "500", "--replicas-per-node-group", "5", "--multi-az-enabled",
                     "--engine", "valkey", "--engine-version", "7.2", "--snapshot-retention-limit", "35") == []
    assert _problems("--num-cache-clusters", "6", "--automatic-failover-enabled", "--multi-az-enabled") == []
    assert _problems("--num-cache-clusters", "1", "--snapshot-retention-limit", "0") == []


@pytest.mark.parametrize(("group_id", "ok"), [
    ("a", True), ("a" * 40, True), ("a" * 41, False), ("1abc", False), ("ab-", False), ("a--b", False),
    ("a-b-9", True),
])
def test_group_id_rule(group_id: str, ok: bool) -> None:
    base = ("aws", "elasticache", "create-replication-group", "--replication-group-id", group_id)
    expected = [] if ok else [
        f"replication group id '{group_id}' is not 1-40 letters/digits/hyphens starting with a letter"]
    assert _problems(base=base) == expected


@pytest.mark.parametrize(("argv", "problems"), [
    (("--cluster-mode", "enabled"), ["cluster mode enabled requires --automatic-failover-enabled"]),
    ((*CLUSTER, "--num-node-groups", "0"), ["--num-node-groups 0 is outside 1-500"]),
    ((*CLUSTER, "--num-node-groups", "501"), ["--num-node-groups 501 is outside 1-500"]),
    ((*CLUSTER, "--num-node-groups", "1"), []),
    ((*CLUSTER, "--num-cache-clusters", "2"), ["--num-cache-clusters is for cluster mode disabled only"]),
    ((*CLUSTER, "--replicas-per-node-group", "6"), ["6 replicas per shard is outside 0-5"]),
    ((*CLUSTER, "--multi-az-enabled"), ["Multi-AZ needs at least one replica per shard and automatic failover"]),
    ((*CLUSTER, "--replicas-per-node-group", "1", "--multi-az-enabled"), []),
    (("--num-cache-clusters", "0"), ["--num-cache-clusters 0 is outside 1-6", "-1 replicas per shard is outside 0-5"]),
    (("--num-cache-clusters", "7"), ["--num-cache-clusters 7 is outside 1-6", "6 replicas per shard is outside 0-5"]),
    (("--automatic-failover-enabled",), ["automatic failover needs --num-cache-clusters of at least 2"]),
    (("--num-cache-clusters", "2", "--automatic-failover-enabled"), []),
    (("--num-node-groups", "2"), ["cluster mode disabled allows one node group"]),
    (("--num-node-groups", "1"), []),
    (("--num-cache-clusters", "2", "--multi-az-enabled"),
     ["Multi-AZ needs at least one replica per shard and automatic failover"]),
    (("--cache-node-type", "cache.r6gd.xlarge"), ["r6gd nodes require --data-tiering-enabled"]),
    (("--cache-node-type", "cache.r6gd.xlarge", "--data-tiering-enabled"), []),
    (("--cache-node-type", "cache.r6g.xlarge", "--data-tiering-enabled"),
     ["--data-tiering-enabled is valid only with r6gd nodes"]),
    (("--auth-token", "x" * 16), ["an AUTH token requires --transit-encryption-enabled"]),
    (("--auth-token", "x" * 16, "--transit-encryption-enabled"), []),
    (("--user-group-ids", "app"), ["RBAC user groups require --transit-encryption-enabled"]),
    (("--user-group-ids", "app", "--transit-encryption-enabled"), []),
    (("--kms-key-id", "k"), ["--kms-key-id needs --at-rest-encryption-enabled"]),
    (("--kms-key-id", "k", "--at-rest-encryption-enabled"), []),
    (("--engine", "valkey", "--engine-version", "7.1"), ["Valkey starts at 7.2, not 7.1"]),
    (("--engine", "valkey", "--engine-version", "8.0.1"), []),
    (("--engine", "valkey"), ["Valkey starts at 7.2, not 0"]),
    (("--engine", "redis", "--engine-version", "6.2"), []),
    (("--snapshot-retention-limit", "36"), ["--snapshot-retention-limit 36 is outside 0-35"]),
    (("--snapshot-retention-limit", "-1"), ["--snapshot-retention-limit -1 is outside 0-35"]),
])
def test_replication_group_rules(argv: tuple[str, ...], problems: list[str]) -> None:
    assert _problems(*argv) == problems


def test_global_datastore_secondary_may_not_restate_what_it_inherits() -> None:
    base = ("aws", "elasticache", "create-replication-group", "--replication-group-id", "eu",
            "--global-replication-group-id", "ldgnf-orders")
    assert _problems(base=base) == []
    for flag in ("--engine", "--engine-version", "--cache-node-type", "--num-node-groups",
                 "--transit-encryption-enabled", "--at-rest-encryption-enabled", "--auth-token"):
        assert _problems(flag, "x", base=base) == [f"a Global Datastore secondary inherits {flag}; do not pass them"]
    assert _problems("--engine", "valkey", "--auth-token", "t", base=base) == [
        "a Global Datastore secondary inherits --auth-token, --engine; do not pass them"]
    assert _problems("--replication-group-description", "d", base=base) == []


SL = ("aws", "elasticache", "create-serverless-cache", "--serverless-cache-name", "s", "--engine")


@pytest.mark.parametrize(("argv", "problems"), [
    (("valkey", "--cache-usage-limits", "DataStorage={Maximum=5000,Unit=GB},ECPUPerSecond={Maximum=15000000}"), []),
    (("valkey", "--cache-usage-limits", "DataStorage={Maximum=1,Unit=GB},ECPUPerSecond={Maximum=1000}"), []),
    (("valkey", "--cache-usage-limits", "DataStorage={Maximum=5001,Unit=GB}"),
     ["Serverless DataStorage maximum must be 1-5,000 GB"]),
    (("valkey", "--cache-usage-limits", "DataStorage={Maximum=0,Unit=GB}"),
     ["Serverless DataStorage maximum must be 1-5,000 GB"]),
    (("valkey", "--cache-usage-limits", "DataStorage={Maximum=10,Unit=MB}"),
     ["Serverless DataStorage Unit must be GB"]),
    (("valkey", "--cache-usage-limits", "ECPUPerSecond={Maximum=15000001}"),
     ["Serverless ECPUPerSecond maximum must be 1,000-15,000,000"]),
    (("valkey", "--cache-usage-limits", "ECPUPerSecond={Maximum=999}"),
     ["Serverless ECPUPerSecond maximum must be 1,000-15,000,000"]),
    (("redis", "--auth-token", "x" * 16), ["Serverless has no AUTH token"]),
    (("memcached", "--user-group-id", "g"), ["Serverless Memcached has no user groups"]),
    (("valkey", "--user-group-id", "g"), []),
    (("valkey", "--snapshot-retention-limit", "35"), []),
    (("valkey", "--snapshot-retention-limit", "36"), ["Serverless snapshot retention is at most 35 days"]),
])
def test_serverless_rules(argv: tuple[str, ...], problems: list[str]) -> None:
    assert _problems(*argv, base=SL) == problems


@pytest.mark.parametrize("operation", ["create-cache-parameter-group", "modify-cache-parameter-group"])
def test_parameter_group_rules(operation: str) -> None:
    base = ("aws", "elasticache", operation, "--cache-parameter-group-name", "p")
    assert _problems("--cache-parameter-group-family", "valkey8", base=base) == []
    assert _problems("--cache-parameter-group-family", "valkey6", base=base) == [
        "'valkey6' is not a parameter group family"]
    assert _problems("--parameter-name-values", "ParameterName=reserved-memory-percent,ParameterValue=100",
                     base=base) == []
    assert _problems("--parameter-name-values", "ParameterName=reserved-memory-percent,ParameterValue=101",
                     base=base) == ["reserved-memory-percent must be 0-100"]
    assert _problems("--parameter-name-values", "ParameterName=reserved-memory-percent,ParameterValue=0",
                     base=base) == []  # 0 is allowed: the bound is inclusive
    assert _problems("--parameter-name-values", "ParameterName=cluster-enabled,ParameterValue=yes", base=base) == []


def test_a_missing_group_id_is_named_not_a_crash() -> None:
    base = ("aws", "elasticache", "create-replication-group", "--replication-group-description", "orders")
    assert _problems(base=base) == ["replication group id '' is not 1-40 letters/digits/hyphens starting with a letter"]


def test_a_serverless_command_without_an_engine_is_judged_not_a_crash() -> None:
    base = ("aws", "elasticache", "create-serverless-cache", "--serverless-cache-name", "orders")
    assert _problems("--user-group-id", "g", base=base) == []


def test_other_operations_have_no_server_side_rules() -> None:
    assert _problems("--cache-cluster-id", "x" * 60, base=("aws", "elasticache", "create-cache-cluster")) == []
