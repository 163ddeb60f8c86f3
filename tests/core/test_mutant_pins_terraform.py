"""Terraform configurations (advisor/commands/terraform.py) written out by hand for one design of each kind and
read back with python-hcl2 (an independent HCL parser), where mutation testing (scripts/mutation.sh) found the
fast oracles silent: the argument check in tests/commands/test_terraform.py accepts a documented argument with a
wrong value or reference. Expected values come from the workload and the recommendation's topology (the
generator's input) and the Terraform AWS provider docs (argument and attribute names: the replication group's
primary_endpoint_address / configuration_endpoint_address, the Serverless cache's endpoint[0].address, the
Memcached cluster's configuration_endpoint). In-process and fast, so the mutation selection reruns them.
"""

from __future__ import annotations

from typing import Any

import hcl2
import pytest

from advisor.commands import CommandSettings
from advisor.commands.terraform import Block, Expr, _block, _value, hcl_string, terraform_for
from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.recommendation import Recommendation
from advisor.workload import load_workload, parse_workload

PARSER_KEYS = {"__is_block__", "__comments__", "__inline_comments__", "__start_line__", "__end_line__"}
SECURITY_GROUPS = {"description": "VPC security groups that allow the cache port from your clients",
                   "type": "${list(string)}"}
SUBNET_GROUP = {"description": "Existing ElastiCache subnet group in the primary Region", "type": "string"}
APP_PASSWORD = {"description": "Password of the RBAC application user (16-128 characters); pass it through "
                               "TF_VAR_app_password or a secrets manager, never commit it",
                "type": "string", "sensitive": True}
REQUIRED_PROVIDERS = [{"required_providers": [{"aws": {"source": "hashicorp/aws", "version": ">= 5.47"}}]}]
ENDPOINT = "Endpoint your clients connect to"


def plain(value: Any) -> Any:
    """python-hcl2's tree without its bookkeeping keys and with string literals unquoted ("x" -> x);
    expressions stay as the parser writes them (${var.x})."""
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items() if k not in PARSER_KEYS}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def parsed(text: str) -> dict[str, Any]:
    return plain(hcl2.loads(text))


def resources(text: str) -> list[tuple[str, str, dict[str, Any]]]:
    return [(rtype, name, body) for entry in parsed(text).get("resource", [])
            for rtype, named in entry.items() for name, body in named.items()]


def tags(name: str, workload: str) -> dict[str, str]:
    return {"Name": name, "Workload": workload, "ManagedBy": "elasticache-advisor"}


def rbac(stem: str, engine: str = "valkey", iam: bool = False) -> list[tuple[str, str, dict[str, Any]]]:
    app: dict[str, Any] = {"user_id": f"{stem}-app", "user_name": f"{stem}-app", "engine": engine,
                           "access_string": "on ~* +@all -@dangerous"}
    app.update({"authentication_mode": [{"type": "iam"}]} if iam else {"passwords": ["${var.app_password}"]})
    return [
        ("aws_elasticache_user", "default_off", {"user_id": f"{stem}-default-off", "user_name": "default",
                                                 "engine": engine, "access_string": "off ~* -@all",
                                                 "no_password_required": True}),
        ("aws_elasticache_user", "app", app),
        ("aws_elasticache_user_group", "users", {
            "user_group_id": "my-user-group", "engine": engine,
            "user_ids": ["${aws_elasticache_user.default_off.user_id}", "${aws_elasticache_user.app.user_id}"]}),
    ]


def _rec(book: PriceBook, example: str, **changes: Any) -> Recommendation:
    workload = load_workload(f"examples/{example}.yaml")
    return recommend(workload.with_changes(**changes) if changes else workload, book)


def _header(rec: Recommendation, name: str) -> list[str]:
    return [f"# ElastiCache advisor: {name}", f"# {rec.headline}",
            f"# Pricing as of {rec.pricing_as_of}. Review every value before `terraform apply`.",
            "# Reserved nodes are a billing purchase, not infrastructure: see the AWS CLI commands."]


def test_global_datastore_configuration_by_hand(book: PriceBook) -> None:
    rec = _rec(book, "multi_region_catalog")
    topo = rec.topology
    assert topo is not None and topo.cluster_mode_enabled and rec.workload.secondary_regions == ["eu-west-1"]
    text = terraform_for(rec)
    assert text.splitlines()[:5] == [*_header(rec, "Product catalog"), ""]
    tree = parsed(text)
    assert tree["terraform"] == REQUIRED_PROVIDERS
    # The secondary Region's resources go through an aliased provider (aws.eu_west_1).
    assert tree["provider"] == [{"aws": {"region": "us-east-1"}},
                                {"aws": {"alias": "eu_west_1", "region": "eu-west-1"}}]
    assert tree["variable"] == [
        {"subnet_group_name": SUBNET_GROUP}, {"security_group_ids": SECURITY_GROUPS},
        {"kms_key_id": {"description": "ARN of the customer managed KMS key for encryption at rest",
                        "type": "string"}},
        {"app_password": APP_PASSWORD},
        {"subnet_group_name_eu_west_1": {"description": "ElastiCache subnet group in eu-west-1", "type": "string"}},
        {"security_group_ids_eu_west_1": {"description": "VPC security groups in eu-west-1",
                                          "type": "${list(string)}"}},
    ]
    assert resources(text) == [*rbac("product-catalog"), (
        "aws_elasticache_replication_group", "primary", {
            "replication_group_id": "product-catalog", "description": "Product catalog (ElastiCache advisor)",
            "engine": "valkey", "engine_version": "9.0", "node_type": topo.node_type,
            "cluster_mode": "enabled", "num_node_groups": topo.shards, "replicas_per_node_group": 1,
            "parameter_group_name": "default.valkey9.cluster.on",
            "automatic_failover_enabled": True, "multi_az_enabled": True,
            "transit_encryption_enabled": True, "at_rest_encryption_enabled": True,
            "kms_key_id": "${var.kms_key_id}",
            "user_group_ids": ["${aws_elasticache_user_group.users.user_group_id}"],
            "subnet_group_name": "${var.subnet_group_name}", "security_group_ids": "${var.security_group_ids}",
            "snapshot_retention_limit": 7, "tags": tags("product-catalog", "Product catalog")}), (
        "aws_elasticache_global_replication_group", "global", {
            "global_replication_group_id_suffix": "product-catalog",
            "primary_replication_group_id": "${aws_elasticache_replication_group.primary.id}",
            "global_replication_group_description": "Product catalog (ElastiCache advisor) (global)"}), (
        # A member inherits engine, version, node type, shards and encryption from the global group.
        "aws_elasticache_replication_group", "secondary_eu_west_1", {
            "provider": "${aws.eu_west_1}",
            "replication_group_id": "product-catalog-eu-west-1",
            "description": "Product catalog (ElastiCache advisor) secondary in eu-west-1",
            "global_replication_group_id":
                "${aws_elasticache_global_replication_group.global.global_replication_group_id}",
            "subnet_group_name": "${var.subnet_group_name_eu_west_1}",
            "security_group_ids": "${var.security_group_ids_eu_west_1}",
            "tags": tags("product-catalog-eu-west-1", "Product catalog")}),
    ]
    assert tree["output"] == [{"endpoint": {
        "description": ENDPOINT,
        "value": "${aws_elasticache_replication_group.primary.configuration_endpoint_address}"}}]


def test_serverless_configuration_by_hand(book: PriceBook) -> None:
    rec = _rec(book, "dev_test", snapshot_retention_days=2)
    assert rec.deployment == "serverless"
    # 0.5 GB stored: 2 x 0.5 = 1, rounded down plus one = 2 GB; twice the peak ECPU/s is under 1,000: 1,000.
    assert rec.serverless_fit.stored_gb == 0.5 and rec.serverless_fit.ecpu.peak_per_second * 2 < 1000
    text = terraform_for(rec)
    tree = parsed(text)
    assert tree["provider"] == [{"aws": {"region": "us-east-1"}}]
    assert tree["variable"] == [
        {"subnet_ids": {"description": "Subnets for the Serverless cache's VPC endpoint (one VPC)",
                        "type": "${list(string)}"}},
        {"security_group_ids": SECURITY_GROUPS}, {"app_password": APP_PASSWORD}]
    assert resources(text) == [*rbac("dev-test-cache"), ("aws_elasticache_serverless_cache", "cache", {
        "name": "dev-test-cache", "description": "Dev test cache (ElastiCache advisor)",
        "engine": "valkey", "major_engine_version": "8",
        "cache_usage_limits": [{"data_storage": [{"maximum": 2, "unit": "GB"}],
                                "ecpu_per_second": [{"maximum": 1000}]}],
        "security_group_ids": "${var.security_group_ids}", "subnet_ids": "${var.subnet_ids}",
        "user_group_id": "${aws_elasticache_user_group.users.user_group_id}",
        "snapshot_retention_limit": 2,
        "tags": tags("dev-test-cache", "Dev test cache")})]
    assert tree["output"] == [{"endpoint": {
        "description": ENDPOINT, "value": "${aws_elasticache_serverless_cache.cache.endpoint[0].address}"}}]


def test_memcached_configuration_by_hand(book: PriceBook) -> None:
    rec = _rec(book, "memcached_page_cache")
    topo = rec.topology
    assert topo is not None and topo.shards == 3
    text = terraform_for(rec)
    assert parsed(text)["variable"] == [{"subnet_group_name": SUBNET_GROUP}, {"security_group_ids": SECURITY_GROUPS}]
    assert resources(text) == [("aws_elasticache_cluster", "memcached", {
        "cluster_id": "page-fragment-cache", "engine": "memcached", "engine_version": "1.6.22",
        "node_type": topo.node_type, "num_cache_nodes": 3, "az_mode": "cross-az",
        "transit_encryption_enabled": True,
        "subnet_group_name": "${var.subnet_group_name}", "security_group_ids": "${var.security_group_ids}",
        "tags": tags("page-fragment-cache", "Page fragment cache")})]
    assert parsed(text)["output"] == [{"endpoint": {
        "description": ENDPOINT, "value": "${aws_elasticache_cluster.memcached.configuration_endpoint}"}}]


def test_serverless_with_a_customer_managed_key(book: PriceBook) -> None:
    text = terraform_for(_rec(book, "dev_test", customer_managed_kms_key=True))
    [(_, _, cache)] = [r for r in resources(text) if r[0] == "aws_elasticache_serverless_cache"]
    assert cache["kms_key_id"] == "${var.kms_key_id}"
    assert {"kms_key_id": {"description": "ARN of the customer managed KMS key for encryption at rest",
                           "type": "string"}} in parsed(text)["variable"]


def test_a_single_memcached_node_without_tls(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 1, "avg_reads_per_sec": 1000, "forced_engine": "memcached",
                                    "forced_deployment": "provisioned", "availability": "none", "auth": "none",
                                    "snapshot_retention_days": 0, "features": ["simple_get_set"],
                                    "encryption_in_transit": False}), book)
    [(_, _, body)] = resources(terraform_for(rec))
    assert body["num_cache_nodes"] == 1 and "az_mode" not in body and "transit_encryption_enabled" not in body


def test_auth_token_and_customer_key_variables(book: PriceBook) -> None:
    rec = _rec(book, "session_store", auth="auth_token", customer_managed_kms_key=True)
    text = terraform_for(rec)
    assert parsed(text)["variable"] == [
        {"subnet_group_name": SUBNET_GROUP}, {"security_group_ids": SECURITY_GROUPS},
        {"kms_key_id": {"description": "ARN of the customer managed KMS key for encryption at rest",
                        "type": "string"}},
        {"auth_token": {"description": "AUTH token (16-128 printable characters); pass it through "
                                       "TF_VAR_auth_token or a secrets manager, never commit it",
                        "type": "string", "sensitive": True}}]
    [(rtype, name, body)] = resources(text)
    assert (rtype, name) == ("aws_elasticache_replication_group", "primary")
    assert body["auth_token"] == "${var.auth_token}" and body["kms_key_id"] == "${var.kms_key_id}"
    assert "user_group_ids" not in body and body["cluster_mode"] == "disabled" and body["num_cache_clusters"] == 2
    assert "parameter_group_name" not in body and "num_node_groups" not in body
    assert parsed(text)["output"] == [{"endpoint": {
        "description": ENDPOINT, "value": "${aws_elasticache_replication_group.primary.primary_endpoint_address}"}}]


def test_iam_users_have_no_password(book: PriceBook) -> None:
    rec = _rec(book, "session_store", auth="iam", forced_engine="redis")
    text = terraform_for(rec)
    assert resources(text)[:3] == rbac("session-store", engine="redis", iam=True)
    assert "app_password" not in {name for entry in parsed(text)["variable"] for name in entry}


def test_small_burstable_node_gets_its_own_parameter_group(book: PriceBook) -> None:
    rec = _rec(book, "dev_test", forced_deployment="provisioned", auth="none")
    found = resources(terraform_for(rec))
    assert [(t, n) for t, n, _ in found] == [("aws_elasticache_parameter_group", "params"),
                                            ("aws_elasticache_replication_group", "primary")]
    # AWS advises 30% reserved memory on small burstable nodes (its default parameter groups keep 25%).
    assert found[0][2] == {"name": "dev-test-cache-params", "family": "valkey9",
                           "description": "reserved-memory-percent 30 for cache.t4g.small (ElastiCache advisor)",
                           "parameter": [{"name": "reserved-memory-percent", "value": "30"}]}
    body = found[1][2]
    assert body["parameter_group_name"] == "${aws_elasticache_parameter_group.params.name}"
    assert body["automatic_failover_enabled"] is False and body["multi_az_enabled"] is False
    assert body["num_cache_clusters"] == 1 and body["snapshot_retention_limit"] == 0


def test_data_tiering_argument_on_r6gd(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 3000, "avg_reads_per_sec": 5000, "hot_set_percent": 10,
                                    "avg_value_bytes": 8000}), book)
    assert rec.topology is not None and rec.topology.data_tiering
    [group] = [b for t, _, b in resources(terraform_for(rec)) if t == "aws_elasticache_replication_group"]
    assert group["data_tiering_enabled"] is True


def test_variables_default_to_what_the_user_supplied(book: PriceBook) -> None:
    rec = _rec(book, "multi_region_catalog")
    settings = CommandSettings(subnet_group="prod-private", security_group_ids=("sg-0aaa", "sg-0bbb"),
                               kms_key_id="arn:aws:kms:us-east-1:111122223333:key/k",
                               secondary_subnet_groups={"eu-west-1": "eu-private"},
                               secondary_security_groups={"eu-west-1": ("sg-0eu1",)})
    variables = {name: body for entry in parsed(terraform_for(rec, settings))["variable"]
                 for name, body in entry.items()}
    assert variables["subnet_group_name"]["default"] == "prod-private"
    assert variables["security_group_ids"]["default"] == ["sg-0aaa", "sg-0bbb"]
    assert variables["kms_key_id"]["default"] == "arn:aws:kms:us-east-1:111122223333:key/k"
    assert variables["subnet_group_name_eu_west_1"]["default"] == "eu-private"
    assert variables["security_group_ids_eu_west_1"]["default"] == ["sg-0eu1"]
    assert "default" not in variables["app_password"]
    serverless = {name: body for entry in parsed(terraform_for(_rec(book, "dev_test"), CommandSettings(
        subnet_ids=("subnet-0a", "subnet-0b"))))["variable"] for name, body in entry.items()}
    assert serverless["subnet_ids"]["default"] == ["subnet-0a", "subnet-0b"]
    assert "default" not in serverless["security_group_ids"]


def test_settings_name_the_resources(book: PriceBook) -> None:
    rec = _rec(book, "session_store")
    found = {(t, n): b for t, n, b in resources(terraform_for(rec, CommandSettings(
        cluster_id="orders", description="Orders cache", user_group_id="orders-users")))}
    group = found[("aws_elasticache_replication_group", "primary")]
    assert group["replication_group_id"] == "orders" and group["description"] == "Orders cache"
    assert group["tags"] == tags("orders", "Session store")
    assert found[("aws_elasticache_user_group", "users")]["user_group_id"] == "orders-users"


def test_secondary_id_is_cut_to_40_without_a_trailing_hyphen(book: PriceBook) -> None:
    # "<39 c>-eu-west-1" cut to 40 characters ends in the hyphen, which goes (ReplicationGroupId's rule).
    rec = _rec(book, "multi_region_catalog")
    found = {n: b for _, n, b in resources(terraform_for(rec, CommandSettings(cluster_id="c" * 39)))}
    assert found["secondary_eu_west_1"]["replication_group_id"] == "c" * 39
    assert found["secondary_eu_west_1"]["tags"]["Name"] == "c" * 39


def test_infeasible_recommendation_is_a_comment(book: PriceBook) -> None:
    rec = recommend(load_workload("examples/conflicts/six_replicas.yaml"), book)
    assert terraform_for(rec) == "# No feasible configuration for this workload: nothing to build. See the conflicts.\n"


def test_layout_by_hand() -> None:
    # Two-space indents, "=" aligned on the longest argument name of the block, nested blocks indented.
    block = Block("resource", (("name", "a"), ("maximum_value", 2), ("on", True),
                               ("limits", Block("limits", (("unit", "GB"),))),
                               ("refs", [Expr("var.a"), Expr("var.b")]), ("tags", {"Name": "n", "a b": "c"})),
                  ("aws_x", "y"))
    assert _block(block) == (
        'resource "aws_x" "y" {\n'
        '  name          = "a"\n'
        '  maximum_value = 2\n'
        '  on            = true\n'
        '  limits {\n'
        '    unit = "GB"\n'
        '  }\n'
        '  refs          = [var.a, var.b]\n'
        '  tags          = {\n'
        '    Name  = "n"\n'
        '    "a b" = "c"\n'
        '  }\n'
        '}')
    assert _value(False, "") == "false" and _value(Expr("x.y"), "") == "x.y" and _value(["p", "q"], "") == '["p", "q"]'
    with pytest.raises(TypeError, match="no HCL form for float"):
        _value(1.5, "")  # type: ignore[arg-type]


def test_hcl_strings_escape_quotes_and_templates() -> None:
    assert hcl_string('say "hi"\\') == '"say \\"hi\\"\\\\"'
    assert hcl_string("a${b} %{c} é") == '"a$${b} %%{c} é"'
    assert hcl_string("line\nbreak") == '"line\\nbreak"'
