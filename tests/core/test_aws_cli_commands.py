"""Generated commands pass the real AWS CLI's parsers and botocore's validator, and the service-side rules."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from advisor.commands import Command, generate_commands, server_side_problems
from advisor.commands.aws_cli import APP_PASSWORD_ENV, AUTH_TOKEN_ENV, CommandSettings, cluster_id_from_name
from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.workload import load_workload, parse_workload
from tests.support.aws_cli_dry_run import dry_run

EXAMPLES = sorted(Path("examples").glob("*.yaml"))
ENV = {AUTH_TOKEN_ENV: "DryRunToken-0123456789", APP_PASSWORD_ENV: "DryRunPassword-0123456789",
       "GLOBAL_DATASTORE_ID": "ldgnf-prod-cache",
       "RESERVED_OFFERING_ID": "438012d3-4052-4cc7-b2e3-8d3372e0e706"}
CANARY = "S3cr3t-Canary-Token-0000"


def check(command: Command) -> None:
    result = dry_run(command.resolved(ENV))
    assert result.exit_code == 0, f"{command.render()}\n{result.stderr}"
    assert server_side_problems(command) == [], command.render()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_passes_the_aws_cli(book: PriceBook, path: Path) -> None:
    commands = generate_commands(recommend(load_workload(path), book))
    assert commands
    for command in commands:
        check(command)


@pytest.mark.parametrize("spec", [
    {"auth": "auth_token"},
    {"auth": "iam", "customer_managed_kms_key": True},
    {"hot_set_percent": 10, "dataset_gb": 3000, "avg_value_bytes": 8000},
    {"client_cluster_aware": False, "dataset_gb": 50},
    {"availability": "none", "traffic_shape": "steady"},
    {"forced_deployment": "serverless", "auth": "rbac"},
    {"forced_engine": "redis"},
    {"forced_engine": "redis", "forced_deployment": "serverless", "auth": "iam"},
    {"forced_engine": "memcached", "forced_deployment": "serverless", "availability": "none", "auth": "none",
     "snapshot_retention_days": 3, "features": ["simple_get_set"]},
    {"forced_engine": "memcached", "availability": "none", "auth": "none", "snapshot_retention_days": 0,
     "features": ["simple_get_set"], "encryption_in_transit": False},
])
def test_variants_pass_the_aws_cli(book: PriceBook, spec: dict[str, object]) -> None:
    rec = recommend(parse_workload({"dataset_gb": 20, "avg_reads_per_sec": 5000, **spec}), book)
    for command in generate_commands(rec):
        check(command)


def test_small_burstable_node_creates_its_parameter_group_first(book: PriceBook) -> None:
    # 0.5 GB on a dev/test cache: a t4g.small, where AWS advises 30% reserved memory (its default group: 25%).
    rec = recommend(parse_workload({"dataset_gb": 0.5, "avg_reads_per_sec": 20, "avg_writes_per_sec": 5,
                                    "traffic_shape": "dev_test", "availability": "none",
                                    "forced_deployment": "provisioned", "auth": "none"}), book)
    commands = generate_commands(rec)
    operations = [str(c.argv[2]) for c in commands]
    assert operations[:3] == ["create-cache-parameter-group", "modify-cache-parameter-group",
                              "create-replication-group"]
    assert "ParameterName=reserved-memory-percent,ParameterValue=30" in commands[1].argv
    group = commands[0].argv[commands[0].argv.index("--cache-parameter-group-name") + 1]
    assert commands[2].argv[commands[2].argv.index("--cache-parameter-group-name") + 1] == group
    for command in commands:
        check(command)


def test_valkey_single_node_goes_through_a_replication_group(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 2, "availability": "none", "forced_deployment": "provisioned"}),
                    book)
    first = next(c for c in generate_commands(rec) if c.argv[2] != "create-user" and c.argv[2] != "create-user-group")
    assert first.argv[2] == "create-replication-group"
    assert "--num-cache-clusters" in first.argv and first.argv[first.argv.index("--num-cache-clusters") + 1] == "1"


def test_data_tiering_flag_with_r6gd(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 3000, "hot_set_percent": 10, "avg_value_bytes": 8000}), book)
    assert rec.topology is not None and rec.topology.node_type.startswith("cache.r6gd")
    cluster = next(c for c in generate_commands(rec) if c.argv[2] == "create-replication-group")
    assert "--data-tiering-enabled" in cluster.argv


def test_no_secret_in_any_command(book: PriceBook, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(AUTH_TOKEN_ENV, CANARY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", CANARY)
    rec = recommend(parse_workload({"dataset_gb": 20, "auth": "auth_token"}), book)
    rendered = "\n".join(c.render() for c in generate_commands(rec))
    assert CANARY not in rendered
    assert f'"${{{AUTH_TOKEN_ENV}}}"' in rendered
    assert os.environ[AUTH_TOKEN_ENV] == CANARY


def test_settings_are_used(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 20}), book)
    settings = CommandSettings(cluster_id="orders-cache", subnet_group="prod-private",
                               security_group_ids=("sg-0abc123", "sg-0def456"))
    command = next(c for c in generate_commands(rec, settings) if "create-replication-group" in c.argv)
    text = command.render()
    assert "--replication-group-id orders-cache" in text and "prod-private" in text and "sg-0def456" in text
    check(command)


def test_cluster_id_is_valid() -> None:
    assert cluster_id_from_name("My Prod -- Cache!") == "my-prod-cache"
    assert cluster_id_from_name("42 things") == "cache-42-things"
    assert len(cluster_id_from_name("x" * 100)) == 40


@pytest.mark.parametrize(("argv", "problem"), [
    (["--cluster-mode", "disabled", "--num-cache-clusters", "1", "--automatic-failover-enabled",
      "--multi-az-enabled"], "Multi-AZ"),
    (["--cluster-mode", "enabled", "--num-node-groups", "3", "--replicas-per-node-group", "1",
      "--no-automatic-failover-enabled"], "requires --automatic-failover-enabled"),
    (["--cache-node-type", "cache.r6gd.xlarge"], "data-tiering"),
    (["--auth-token", "x" * 16, "--no-transit-encryption-enabled"], "transit"),
    (["--engine", "valkey", "--engine-version", "7.0"], "7.2"),
])
def test_server_side_rules_catch_bad_commands(argv: list[str], problem: str) -> None:
    base = ["aws", "elasticache", "create-replication-group", "--replication-group-id", "bad-one",
            "--replication-group-description", "x"]
    problems = server_side_problems(Command("test", tuple(base + argv)))
    assert any(problem in p for p in problems), problems


def test_unknown_flag_fails_the_aws_cli() -> None:
    assert dry_run(["aws", "elasticache", "create-replication-group", "--replication-group-id", "x",
                    "--replication-group-description", "d", "--shards", "3"]).exit_code != 0


@pytest.mark.parametrize("auth", ["rbac", "iam"])
def test_rbac_users_and_their_group_are_created_before_the_cluster(book: PriceBook, auth: str) -> None:
    rec = recommend(parse_workload({"dataset_gb": 20, "auth": auth}), book)
    commands = generate_commands(rec, CommandSettings(cluster_id="orders", user_group_id="orders-users"))
    operations = [c.argv[2] for c in commands]
    cluster = operations.index("create-replication-group")
    assert operations[:3] == ["create-user", "create-user", "create-user-group"] and cluster > 2
    default_user, app_user, group = commands[:3]
    assert default_user.argv[default_user.argv.index("--user-name") + 1] == "default"  # AWS requires one
    assert "--no-password-required" in default_user.argv and "off ~* -@all" in default_user.argv
    assert group.argv[group.argv.index("--user-group-id") + 1] == "orders-users"
    assert group.argv[-4:-2] == ("orders-default-off", "orders-app")
    text = app_user.render()
    if auth == "rbac":  # the password is the shell's, never the text's
        assert f'--passwords "${{{APP_PASSWORD_ENV}}}"' in text
    else:
        assert "--authentication-mode Type=iam" in text and "--passwords" not in text
    for command in commands:
        check(command)


def test_serverless_with_rbac_creates_its_user_group_too(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 20, "auth": "rbac", "forced_deployment": "serverless"}), book)
    operations = [c.argv[2] for c in generate_commands(rec)]
    assert operations == ["create-user", "create-user", "create-user-group", "create-serverless-cache"]


def test_global_datastore_secondaries_use_their_own_regions_network(book: PriceBook) -> None:
    rec = recommend(load_workload(Path("examples/multi_region_catalog.yaml")), book)
    region = rec.workload.secondary_regions[0]
    placeholder = next(c for c in generate_commands(rec) if "--global-replication-group-id" in c.argv)
    # Security groups belong to one Region's VPC: the primary's id is never reused in another Region.
    assert "sg-0123456789abcdef0" not in placeholder.argv and f"sg-id-in-{region}" in placeholder.argv
    settings = CommandSettings(secondary_subnet_groups={region: "eu-private"},
                               secondary_security_groups={region: ("sg-0eu1", "sg-0eu2")})
    secondary = next(c for c in generate_commands(rec, settings) if "--global-replication-group-id" in c.argv)
    text = secondary.render()
    assert "--cache-subnet-group-name eu-private" in text and "--security-group-ids sg-0eu1 sg-0eu2" in text
    assert text.endswith(f"--region {region}")
    check(secondary)
