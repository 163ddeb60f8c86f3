"""Terraform output parses as HCL, uses only documented provider arguments, and never carries a secret."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2
import pytest

from advisor.commands import CommandSettings, generate_commands
from advisor.commands.terraform import hcl_string, serverless_limits, terraform_for
from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.recommendation import Recommendation
from advisor.workload import Workload, load_workload

EXAMPLES = sorted(Path(__file__).resolve().parents[2].joinpath("examples").glob("*.yaml"))

# Argument names per resource type, from the Terraform AWS provider docs (hashicorp/terraform-provider-aws,
# website/docs/r/<name>.html.markdown, "Argument Reference"), plus Terraform's own meta-arguments.
# Nested blocks list their own arguments under "<type>.<block>".
META_ARGUMENTS = {"provider", "depends_on", "count", "for_each", "lifecycle"}
ALLOWED: dict[str, set[str]] = {
    # elasticache_replication_group.html.markdown
    "aws_elasticache_replication_group": {
        "description", "replication_group_id", "region", "apply_immediately", "at_rest_encryption_enabled",
        "auth_token", "auth_token_update_strategy", "auto_minor_version_upgrade", "automatic_failover_enabled",
        "cluster_mode", "data_tiering_enabled", "engine", "engine_version", "final_snapshot_identifier",
        "global_replication_group_id", "ip_discovery", "kms_key_id", "log_delivery_configuration",
        "maintenance_window", "multi_az_enabled", "network_type", "node_type", "notification_topic_arn",
        "num_cache_clusters", "node_group_configuration", "num_node_groups", "parameter_group_name", "port",
        "preferred_cache_cluster_azs", "replicas_per_node_group", "security_group_ids", "security_group_names",
        "snapshot_arns", "snapshot_name", "snapshot_retention_limit", "snapshot_window", "subnet_group_name",
        "tags", "transit_encryption_enabled", "transit_encryption_mode", "user_group_ids",
    },
    # elasticache_serverless_cache.html.markdown
    "aws_elasticache_serverless_cache": {
        "engine", "name", "cache_usage_limits", "daily_snapshot_time", "description", "kms_key_id",
        "major_engine_version", "security_group_ids", "snapshot_arns_to_restore", "snapshot_retention_limit",
        "subnet_ids", "tags", "user_group_id",
    },
    "aws_elasticache_serverless_cache.cache_usage_limits": {"data_storage", "ecpu_per_second"},
    "aws_elasticache_serverless_cache.data_storage": {"minimum", "maximum", "unit"},
    "aws_elasticache_serverless_cache.ecpu_per_second": {"minimum", "maximum"},
    # elasticache_global_replication_group.html.markdown
    "aws_elasticache_global_replication_group": {
        "engine_version", "global_replication_group_id_suffix", "primary_replication_group_id",
        "global_replication_group_description", "parameter_group_name", "automatic_failover_enabled",
        "cache_node_type", "num_node_groups",
    },
    # elasticache_user.html.markdown, elasticache_user_group.html.markdown
    "aws_elasticache_user": {
        "access_string", "engine", "user_id", "user_name", "authentication_mode", "no_password_required",
        "passwords", "tags", "region",
    },
    "aws_elasticache_user.authentication_mode": {"type", "passwords"},
    "aws_elasticache_user_group": {"engine", "user_group_id", "user_ids", "tags", "region"},
    # elasticache_parameter_group.html.markdown
    "aws_elasticache_parameter_group": {"name", "family", "description", "parameter", "tags", "region"},
    "aws_elasticache_parameter_group.parameter": {"name", "value"},
    # elasticache_cluster.html.markdown
    "aws_elasticache_cluster": {
        "cluster_id", "engine", "engine_version", "node_type", "num_cache_nodes", "parameter_group_name", "port",
        "subnet_group_name", "security_group_ids", "apply_immediately", "auto_minor_version_upgrade",
        "maintenance_window", "snapshot_arns", "snapshot_name", "snapshot_window", "snapshot_retention_limit",
        "notification_topic_arn", "az_mode", "availability_zone", "preferred_availability_zones",
        "final_snapshot_identifier", "tags", "transit_encryption_enabled", "network_type", "ip_discovery",
        "log_delivery_configuration", "outpost_mode", "preferred_outpost_arn", "replication_group_id", "region",
    },
}
VARIABLE_ARGUMENTS = {"description", "type", "default", "sensitive", "nullable", "validation", "ephemeral"}
PARSER_KEYS = {"__is_block__", "__comments__", "__inline_comments__", "__start_line__", "__end_line__"}

CANARIES = {
    "AWS_ACCESS_KEY_ID": "AKIAZZZZCANARY000001",
    "AWS_SECRET_ACCESS_KEY": "canarySecretKey/ZZZZ+0123456789abcdefghijklmno",
    "ELASTICACHE_AUTH_TOKEN": "canary-auth-token-0123456789",
    "REDIS_PASSWORD": "canary-password-9876543210",
}


@dataclass(frozen=True)
class SettingsWithSecrets(CommandSettings):
    """A settings object a careless caller might pass, carrying secrets the generators must ignore."""

    auth_token: str = CANARIES["ELASTICACHE_AUTH_TOKEN"]
    password: str = CANARIES["REDIS_PASSWORD"]
    aws_secret_access_key: str = CANARIES["AWS_SECRET_ACCESS_KEY"]


def _rec(book: PriceBook, path: Path | str, **changes: Any) -> Recommendation:
    workload: Workload = load_workload(path)
    if changes:
        workload = workload.with_changes(**changes)
    return recommend(workload, book)


def _unquote(value: Any) -> Any:
    # python-hcl2 keeps string literals with their quotes
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def _resources(text: str) -> list[tuple[str, str, dict[str, Any]]]:
    parsed = hcl2.loads(text)
    found = []
    for entry in parsed.get("resource", []):
        for rtype, named in entry.items():
            for name, body in named.items():
                found.append((_unquote(rtype), _unquote(name), body))
    return found


def _variables(text: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for entry in hcl2.loads(text).get("variable", []):
        for name, body in entry.items():
            out[_unquote(name)] = body
    return out


def _check_arguments(rtype: str, body: dict[str, Any], prefix: str = "") -> list[str]:
    allowed = ALLOWED[prefix or rtype] | (set() if prefix else META_ARGUMENTS)
    problems = [f"{rtype}: unknown argument {key!r}" for key in body if key not in allowed | PARSER_KEYS]
    for key, value in body.items():
        for block in value if isinstance(value, list) else [value]:
            if isinstance(block, dict) and block.get("__is_block__"):
                problems += _check_arguments(rtype, block, f"{rtype}.{key}")
    return problems


VARIANTS: list[tuple[str, dict[str, Any]]] = [
    *((p.name, {}) for p in EXAMPLES),
    ("session_store.yaml", {"auth": "auth_token"}),
    ("session_store.yaml", {"forced_deployment": "serverless"}),
    ("session_store.yaml", {"customer_managed_kms_key": True}),
    ("dev_test.yaml", {"forced_deployment": "provisioned"}),  # t4g.small: reserved-memory-percent 30
]


@pytest.mark.parametrize(("example", "changes"), VARIANTS, ids=[f"{e}-{c}" for e, c in VARIANTS])
def test_every_argument_is_documented_and_output_parses(book: PriceBook, example: str,
                                                        changes: dict[str, Any]) -> None:
    rec = _rec(book, Path("examples") / example, **changes)
    text = terraform_for(rec)
    resources = _resources(text)
    assert resources, "a feasible recommendation yields at least one resource"
    problems = [p for rtype, _, body in resources for p in _check_arguments(rtype, body)]
    assert problems == []
    for name, body in _variables(text).items():
        assert set(body) - PARSER_KEYS <= VARIABLE_ARGUMENTS, name


def test_replication_group_matches_the_recommendation(book: PriceBook) -> None:
    rec = _rec(book, "examples/large_2tb.yaml")
    topo = rec.topology
    assert topo is not None
    [(rtype, _, body)] = [r for r in _resources(terraform_for(rec)) if not r[0].startswith("aws_elasticache_user")]
    assert rtype == "aws_elasticache_replication_group"
    assert _unquote(body["node_type"]) == topo.node_type
    assert body["num_node_groups"] == topo.shards
    assert body["replicas_per_node_group"] == topo.replicas_per_shard
    assert body["data_tiering_enabled"] is topo.data_tiering is True  # r6gd nodes require it
    assert body["multi_az_enabled"] is True and body["automatic_failover_enabled"] is True


def test_global_datastore_has_a_secondary_member_per_region(book: PriceBook) -> None:
    rec = _rec(book, "examples/multi_region_catalog.yaml")
    text = terraform_for(rec)
    kinds = [(rtype, name) for rtype, name, _ in _resources(text)]
    assert ("aws_elasticache_global_replication_group", "global") in kinds
    secondaries = [body for rtype, name, body in _resources(text) if name.startswith("secondary_")]
    assert len(secondaries) == len(rec.workload.secondary_regions) == 1
    member = secondaries[0]
    assert "num_node_groups" not in member and "node_type" not in member  # inherited from the global group
    assert "global_replication_group_id" in member and "aws.eu_west_1" in str(member["provider"])
    providers = hcl2.loads(text)["provider"]
    regions = {_unquote(body["region"]) for p in providers for label, body in p.items() if _unquote(label) == "aws"}
    assert regions == {"us-east-1", "eu-west-1"}


def test_memcached_uses_a_cache_cluster(book: PriceBook) -> None:
    [(rtype, _, body)] = _resources(terraform_for(_rec(book, "examples/memcached_page_cache.yaml")))
    assert rtype == "aws_elasticache_cluster"
    assert _unquote(body["engine"]) == "memcached"


def test_serverless_limits_match_the_aws_cli_command(book: PriceBook) -> None:
    rec = _rec(book, "examples/dev_test.yaml")
    max_gb, max_ecpu = serverless_limits(rec)
    command = next(c for c in generate_commands(rec) if c.argv[2] == "create-serverless-cache")
    limits = command.argv[command.argv.index("--cache-usage-limits") + 1]
    assert limits == f"DataStorage={{Maximum={max_gb},Unit=GB}},ECPUPerSecond={{Maximum={max_ecpu}}}"


def test_auth_token_is_a_sensitive_variable_without_default(book: PriceBook, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in CANARIES.items():
        monkeypatch.setenv(name, value)
    rec = _rec(book, "examples/session_store.yaml", auth="auth_token")
    text = terraform_for(rec, SettingsWithSecrets())
    variable = _variables(text)["auth_token"]
    assert variable["sensitive"] is True
    assert "default" not in variable
    [(_, _, body)] = _resources(text)
    assert body["auth_token"] == "${var.auth_token}"
    for value in CANARIES.values():
        assert value not in text
    assert os.environ["ELASTICACHE_AUTH_TOKEN"] not in text


def test_ids_become_variables_with_defaults_only_when_supplied(book: PriceBook) -> None:
    rec = _rec(book, "examples/multi_region_catalog.yaml")
    placeholders = _variables(terraform_for(rec))
    # RBAC: the user group is created here (a resource), its application user's password a sensitive variable.
    assert {"subnet_group_name", "security_group_ids", "kms_key_id", "app_password"} <= set(placeholders)
    assert all("default" not in body for body in placeholders.values())
    supplied = _variables(terraform_for(rec, CommandSettings(subnet_group="prod-cache", kms_key_id="arn:aws:kms:k")))
    assert _unquote(supplied["subnet_group_name"]["default"]) == "prod-cache"
    assert _unquote(supplied["kms_key_id"]["default"]) == "arn:aws:kms:k"


def test_user_text_cannot_interpolate_or_break_out(book: PriceBook) -> None:
    name = 'x ${file("/etc/passwd")} %{ if true }y%{ endif } "q" \\ \n# not a comment'
    rec = _rec(book, "examples/session_store.yaml", name=name)
    text = terraform_for(rec)
    # Still the same resources (the cluster, its users and their group): nothing escaped the string.
    resources = _resources(text)
    assert [r[0] for r in resources] == ["aws_elasticache_user", "aws_elasticache_user",
                                         "aws_elasticache_user_group", "aws_elasticache_replication_group"]
    body = resources[-1][2]
    description = _unquote(body["description"])
    # The description never holds an interpolation or a directive opener, and hcl_string escapes them anyway.
    assert "$ {file" in description and "% { if" in description
    assert "${" not in description and "%{" not in description
    assert hcl_string("a${b}") == '"a$${b}"' and hcl_string("a%{b}") == '"a%%{b}"'


def test_infeasible_recommendation_yields_a_comment_only(book: PriceBook) -> None:
    rec = _rec(book, "examples/session_store.yaml")
    infeasible = Recommendation(**{**rec.__dict__, "deployment": None, "topology": None, "costs": None})
    assert terraform_for(infeasible).startswith("#")
    assert hcl2.loads(terraform_for(infeasible)).get("resource") is None


def test_small_burstable_node_gets_a_parameter_group_with_its_reserved_memory(book: PriceBook) -> None:
    # dev_test.yaml on nodes: 0.5 GB = 0.47 GiB fits a t4g.small (1.37 GiB x (1 - 0.30) = 0.96 GiB), and AWS
    # advises reserving 30% on small burstable nodes where its default parameter group keeps 25%.
    rec = _rec(book, "examples/dev_test.yaml", forced_deployment="provisioned")
    assert rec.topology is not None and rec.topology.node_type == "cache.t4g.small"
    resources = {rtype: body for rtype, _, body in _resources(terraform_for(rec))}
    group = resources["aws_elasticache_parameter_group"]
    version = _unquote(resources["aws_elasticache_replication_group"]["engine_version"])
    assert _unquote(group["family"]) == "valkey" + version.split(".")[0]  # valkey8 for 8.x
    params = group["parameter"] if isinstance(group["parameter"], list) else [group["parameter"]]
    assert [(_unquote(p["name"]), _unquote(p["value"])) for p in params] == [("reserved-memory-percent", "30")]
    assert resources["aws_elasticache_replication_group"]["parameter_group_name"] == \
        "${aws_elasticache_parameter_group.params.name}"


def test_default_reserve_needs_no_parameter_group(book: PriceBook) -> None:
    rec = _rec(book, "examples/session_store.yaml")
    assert "aws_elasticache_parameter_group" not in {rtype for rtype, _, _ in _resources(terraform_for(rec))}


@pytest.mark.parametrize("auth", ["rbac", "iam"])
def test_rbac_users_and_group_are_created_and_attached(book: PriceBook, auth: str) -> None:
    text = terraform_for(_rec(book, "examples/session_store.yaml", auth=auth))
    resources = {(rtype, name): body for rtype, name, body in _resources(text)}
    default = resources[("aws_elasticache_user", "default_off")]
    app = resources[("aws_elasticache_user", "app")]
    group = resources[("aws_elasticache_user_group", "users")]
    assert _unquote(default["user_name"]) == "default" and default["no_password_required"] is True
    assert [_unquote(u) for u in group["user_ids"]] == ["${aws_elasticache_user.default_off.user_id}",
                                                        "${aws_elasticache_user.app.user_id}"]
    cluster = resources[("aws_elasticache_replication_group", "primary")]
    assert [_unquote(g) for g in cluster["user_group_ids"]] == ["${aws_elasticache_user_group.users.user_group_id}"]
    variables = _variables(text)
    if auth == "rbac":  # the password is a sensitive variable without a default, never a literal
        assert [_unquote(p) for p in app["passwords"]] == ["${var.app_password}"]
        assert variables["app_password"]["sensitive"] is True and "default" not in variables["app_password"]
    else:
        assert "passwords" not in app and "app_password" not in variables
