"""The recommendation as a Terraform configuration (hashicorp/aws provider 5.x), ready to review and apply.

Every id the user must supply (subnet group, security groups, KMS key, user group) is a variable; a variable
has a default only when the caller supplied a real value, so `terraform plan` asks for the rest. An AUTH
token is a sensitive variable with no default: no secret value is ever written into the configuration.

Argument names follow the Terraform AWS provider docs (website/docs/r/elasticache_*.html.markdown); the test
checks every emitted argument against an explicit allow-list taken from those pages.

The helpers in the "shared" section are also used by the CloudFormation generator, so both describe the
same cluster as the AWS CLI commands.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Union

from advisor.commands.aws_cli import (
    APP_ACCESS_STRING,
    DEFAULT_OFF_ACCESS_STRING,
    SERVERLESS_MAJOR_VERSIONS,
    CommandSettings,
    cluster_id_from_name,
    engine_version_for,
    rbac_user_ids,
)
from advisor.commands.parameter_group import CustomParameterGroup, custom_parameter_group
from advisor.commands.safe_names import resource_description, tag_value
from advisor.recommendation import Recommendation, Topology
from advisor.workload import AuthMode, Workload

PROVIDER_VERSION = ">= 5.47"  # first 5.x release with `cluster_mode` on aws_elasticache_replication_group
MANAGED_BY = "elasticache-advisor"

# ---------------------------------------------------------------------------------------------- shared


def resolve_settings(workload: Workload, settings: CommandSettings | None) -> CommandSettings:
    """Fill the cluster id and description from the workload name, as the AWS CLI generator does.

    `dataclasses.replace` keeps whatever settings subclass the caller passed and copies only declared
    fields, so nothing the caller attached beyond them is carried into the output.
    """
    settings = settings or CommandSettings()
    cluster_id = settings.cluster_id or cluster_id_from_name(workload.name)
    description = resource_description(settings.description or f"{workload.name} (ElastiCache advisor)")
    return replace(settings, cluster_id=cluster_id, description=description)


def user_supplied(settings: CommandSettings, name: str) -> bool:
    """True when the caller changed a placeholder id from CommandSettings' obvious default."""
    return getattr(settings, name) != getattr(CommandSettings(), name)


def engine_version(rec: Recommendation, topo: Topology, settings: CommandSettings) -> str:
    return engine_version_for(rec, topo, settings)


def parameter_group(topo: Topology, version: str) -> str | None:
    """AWS's default parameter group with cluster mode on (e.g. default.valkey8.cluster.on), else None.

    Cluster mode enabled needs a parameter group with cluster-enabled=yes; AWS names its defaults
    default.<engine><major>.cluster.on (Redis OSS 6 and 7 use the major version only).
    """
    if not topo.cluster_mode_enabled or topo.engine == "memcached":
        return None
    major = version.split(".")[0]
    return f"default.{topo.engine}{major}.cluster.on"


def serverless_limits(rec: Recommendation) -> tuple[int, int]:
    """(max GB, max ECPU/s): the same caps the AWS CLI generator sets, 2x the planned need, within AWS's bounds."""
    fit = rec.serverless_fit
    max_gb = max(1, min(5000, int(fit.stored_gb * 2) + 1))
    max_ecpu = max(1000, min(15_000_000, int(fit.ecpu.peak_per_second * 2) + 1))
    return max_gb, max_ecpu


def secondary_id(settings: CommandSettings, region: str) -> str:
    return f"{settings.cluster_id}-{region}"[:40].rstrip("-")


def needs_user_group(rec: Recommendation) -> bool:
    return rec.engine != "memcached" and rec.workload.auth in (AuthMode.RBAC, AuthMode.IAM)


def needs_auth_token(rec: Recommendation) -> bool:
    return rec.deployment == "provisioned" and rec.engine != "memcached" and rec.workload.auth == AuthMode.AUTH_TOKEN


def needs_kms_key(rec: Recommendation) -> bool:
    return rec.workload.encryption_at_rest and rec.workload.customer_managed_kms_key


# ---------------------------------------------------------------------------------------------- HCL text


@dataclass(frozen=True)
class Expr:
    """A Terraform expression written as-is (a reference such as var.x), never quoted."""

    text: str


@dataclass(frozen=True)
class Block:
    """A nested block: `name { ... }`, or a labelled top-level block such as resource "type" "name"."""

    name: str
    body: tuple[tuple[str, HclValue], ...]
    labels: tuple[str, ...] = ()


HclValue = Union[str, bool, int, Expr, list[str], dict[str, str], Block, list[Expr]]  # noqa: UP007
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def hcl_string(text: str) -> str:
    """A quoted HCL string: JSON escapes cover quotes, backslashes and control characters; `${` and `%{`
    are doubled so a user's text can never become an interpolation or a template directive."""
    quoted = json.dumps(text, ensure_ascii=False)
    return quoted.replace("${", "$${").replace("%{", "%%{")


def _value(value: HclValue, indent: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Expr):
        return value.text
    if isinstance(value, str):
        return hcl_string(value)
    if isinstance(value, dict):
        inner = indent + "  "
        keys = {k: k if _IDENT.match(k) else hcl_string(k) for k in value}
        width = max((len(k) for k in keys.values()), default=0)
        items = [f"{inner}{keys[k].ljust(width)} = {hcl_string(v)}" for k, v in value.items()]
        return "{\n" + "\n".join(items) + f"\n{indent}}}"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v, indent) for v in value) + "]"
    raise TypeError(f"no HCL form for {type(value).__name__}")


def _block(block: Block, indent: str = "") -> str:
    head = " ".join([block.name, *(hcl_string(label) for label in block.labels)])
    lines = [f"{indent}{head} {{"]
    inner = indent + "  "
    width = max((len(k) for k, v in block.body if not isinstance(v, Block)), default=0)
    for key, value in block.body:
        if isinstance(value, Block):
            lines.append(_block(value, inner))
        else:
            lines.append(f"{inner}{key.ljust(width)} = {_value(value, inner)}")
    lines.append(f"{indent}}}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- builders


def _variable(name: str, description: str, type_: str, default: HclValue | None = None,
              sensitive: bool = False) -> Block:
    body: list[tuple[str, HclValue]] = [("description", description), ("type", Expr(type_))]
    if default is not None:
        body.append(("default", default))
    if sensitive:
        body.append(("sensitive", True))
    return Block("variable", tuple(body), (name,))


def _provider_alias(region: str) -> str:
    return region.replace("-", "_")


def _tags(rec: Recommendation, name: str) -> dict[str, str]:
    return {"Name": name, "Workload": tag_value(rec.workload.name, name), "ManagedBy": MANAGED_BY}


def _variables(rec: Recommendation, s: CommandSettings) -> list[Block]:
    """The ids a user must supply; defaults only for values the caller actually gave."""
    out = []
    if rec.deployment == "serverless":
        out.append(_variable("subnet_ids", "Subnets for the Serverless cache's VPC endpoint (one VPC)",
                             "list(string)", list(s.subnet_ids) if user_supplied(s, "subnet_ids") else None))
    else:
        out.append(_variable("subnet_group_name", "Existing ElastiCache subnet group in the primary Region",
                             "string", s.subnet_group if user_supplied(s, "subnet_group") else None))
    out.append(_variable("security_group_ids", "VPC security groups that allow the cache port from your clients",
                         "list(string)",
                         list(s.security_group_ids) if user_supplied(s, "security_group_ids") else None))
    if needs_kms_key(rec):
        out.append(_variable("kms_key_id", "ARN of the customer managed KMS key for encryption at rest", "string",
                             s.kms_key_id if user_supplied(s, "kms_key_id") else None))
    if needs_user_group(rec) and rec.workload.auth == AuthMode.RBAC:
        out.append(_variable("app_password", "Password of the RBAC application user (16-128 characters); pass it "
                             "through TF_VAR_app_password or a secrets manager, never commit it", "string",
                             sensitive=True))
    if needs_auth_token(rec):
        out.append(_variable("auth_token", "AUTH token (16-128 printable characters); pass it through "
                             "TF_VAR_auth_token or a secrets manager, never commit it", "string", sensitive=True))
    if rec.deployment == "provisioned":
        for region in rec.workload.secondary_regions:
            key = region.replace("-", "_")
            subnet = s.secondary_subnet_groups.get(region)
            groups = s.secondary_security_groups.get(region)
            out.append(_variable(f"subnet_group_name_{key}", f"ElastiCache subnet group in {region}", "string",
                                 subnet))
            out.append(_variable(f"security_group_ids_{key}", f"VPC security groups in {region}", "list(string)",
                                 list(groups) if groups else None))
    return out


def _replication_group(rec: Recommendation, topo: Topology, s: CommandSettings) -> Block:
    w = rec.workload
    version = engine_version(rec, topo, s)
    body: list[tuple[str, HclValue]] = [
        ("replication_group_id", s.cluster_id),
        ("description", s.description),
        ("engine", topo.engine),
        ("engine_version", version),
        ("node_type", topo.node_type),
    ]
    group: str | Expr | None = parameter_group(topo, version)
    if custom_parameter_group(topo, version, s.cluster_id) is not None:
        group = Expr("aws_elasticache_parameter_group.params.name")
    if topo.cluster_mode_enabled:
        body += [("cluster_mode", "enabled"), ("num_node_groups", topo.shards),
                 ("replicas_per_node_group", topo.replicas_per_shard)]
    else:
        body += [("cluster_mode", "disabled"), ("num_cache_clusters", 1 + topo.replicas_per_shard)]
    if group:
        body.append(("parameter_group_name", group))
    body += [("automatic_failover_enabled", topo.automatic_failover), ("multi_az_enabled", topo.multi_az)]
    if topo.data_tiering:
        body.append(("data_tiering_enabled", True))
    body += [("transit_encryption_enabled", w.encryption_in_transit),
             ("at_rest_encryption_enabled", w.encryption_at_rest)]
    if needs_kms_key(rec):
        body.append(("kms_key_id", Expr("var.kms_key_id")))
    if needs_auth_token(rec):
        body.append(("auth_token", Expr("var.auth_token")))
    if needs_user_group(rec):
        body.append(("user_group_ids", [Expr(f"{USER_GROUP}.user_group_id")]))
    body += [("subnet_group_name", Expr("var.subnet_group_name")),
             ("security_group_ids", Expr("var.security_group_ids")),
             ("snapshot_retention_limit", w.snapshot_retention_days),
             ("tags", _tags(rec, s.cluster_id))]
    return Block("resource", tuple(body), ("aws_elasticache_replication_group", "primary"))


USER_GROUP = "aws_elasticache_user_group.users"


def _rbac_blocks(rec: Recommendation, s: CommandSettings) -> list[Block]:
    """The users and user group the cache attaches: a switched-off 'default' user (every group needs one) and
    the application user, with its password from a sensitive variable (IAM users have none)."""
    engine = "valkey" if rec.engine == "valkey" else "redis"
    default_id, app_id = rbac_user_ids(s)
    if rec.workload.auth == AuthMode.IAM:
        app_auth: tuple[tuple[str, HclValue], ...] = (
            ("authentication_mode", Block("authentication_mode", (("type", "iam"),))),)
    else:
        app_auth = (("passwords", [Expr("var.app_password")]),)
    return [
        Block("resource", (("user_id", default_id), ("user_name", "default"), ("engine", engine),
                           ("access_string", DEFAULT_OFF_ACCESS_STRING), ("no_password_required", True)),
              ("aws_elasticache_user", "default_off")),
        Block("resource", (("user_id", app_id), ("user_name", app_id), ("engine", engine),
                           ("access_string", APP_ACCESS_STRING), *app_auth), ("aws_elasticache_user", "app")),
        Block("resource", (("user_group_id", s.user_group_id), ("engine", engine),
                           ("user_ids", [Expr("aws_elasticache_user.default_off.user_id"),
                                         Expr("aws_elasticache_user.app.user_id")])),
              ("aws_elasticache_user_group", "users")),
    ]


def _parameter_group(group: CustomParameterGroup) -> Block:
    body: list[tuple[str, HclValue]] = [("name", group.name), ("family", group.family),
                                        ("description", group.description)]
    body += [("parameter", Block("parameter", (("name", name), ("value", value))))
             for name, value in group.parameters]
    return Block("resource", tuple(body), ("aws_elasticache_parameter_group", "params"))


def _global_blocks(rec: Recommendation, s: CommandSettings) -> list[Block]:
    """Global Datastore: the primary becomes a member; each secondary joins it through a Region-aliased provider.

    A secondary inherits engine, version, node type, shard count and encryption from the global group, so
    those arguments are left out (the provider rejects num_node_groups on a member).
    """
    blocks = [Block("resource", (
        ("global_replication_group_id_suffix", s.cluster_id),
        ("primary_replication_group_id", Expr("aws_elasticache_replication_group.primary.id")),
        ("global_replication_group_description", f"{s.description} (global)"[:255]),
    ), ("aws_elasticache_global_replication_group", "global"))]
    for region in rec.workload.secondary_regions:
        key = region.replace("-", "_")
        blocks.append(Block("resource", (
            ("provider", Expr(f"aws.{_provider_alias(region)}")),
            ("replication_group_id", secondary_id(s, region)),
            ("description", f"{s.description} secondary in {region}"[:255]),
            ("global_replication_group_id",
             Expr("aws_elasticache_global_replication_group.global.global_replication_group_id")),
            ("subnet_group_name", Expr(f"var.subnet_group_name_{key}")),
            ("security_group_ids", Expr(f"var.security_group_ids_{key}")),
            ("tags", _tags(rec, secondary_id(s, region))),
        ), ("aws_elasticache_replication_group", f"secondary_{key}")))
    return blocks


def _memcached(rec: Recommendation, topo: Topology, s: CommandSettings) -> Block:
    body: list[tuple[str, HclValue]] = [
        ("cluster_id", s.cluster_id[:40]),
        ("engine", "memcached"),
        ("engine_version", engine_version(rec, topo, s)),
        ("node_type", topo.node_type),
        ("num_cache_nodes", topo.shards),
    ]
    if topo.shards > 1:
        body.append(("az_mode", "cross-az"))
    if rec.workload.encryption_in_transit:
        body.append(("transit_encryption_enabled", True))
    body += [("subnet_group_name", Expr("var.subnet_group_name")),
             ("security_group_ids", Expr("var.security_group_ids")),
             ("tags", _tags(rec, s.cluster_id))]
    return Block("resource", tuple(body), ("aws_elasticache_cluster", "memcached"))


def _serverless(rec: Recommendation, s: CommandSettings) -> Block:
    w = rec.workload
    max_gb, max_ecpu = serverless_limits(rec)
    body: list[tuple[str, HclValue]] = [
        ("name", s.cluster_id),
        ("description", s.description),
        ("engine", rec.engine),
        ("major_engine_version", SERVERLESS_MAJOR_VERSIONS[rec.engine]),
        ("cache_usage_limits", Block("cache_usage_limits", (
            ("data_storage", Block("data_storage", (("maximum", max_gb), ("unit", "GB")))),
            ("ecpu_per_second", Block("ecpu_per_second", (("maximum", max_ecpu),))),
        ))),
    ]
    if needs_kms_key(rec):
        body.append(("kms_key_id", Expr("var.kms_key_id")))
    body += [("security_group_ids", Expr("var.security_group_ids")), ("subnet_ids", Expr("var.subnet_ids"))]
    if needs_user_group(rec):
        body.append(("user_group_id", Expr(f"{USER_GROUP}.user_group_id")))
    if rec.engine != "memcached" and w.snapshot_retention_days:
        body.append(("snapshot_retention_limit", w.snapshot_retention_days))
    body.append(("tags", _tags(rec, s.cluster_id)))
    return Block("resource", tuple(body), ("aws_elasticache_serverless_cache", "cache"))


def _outputs(rec: Recommendation) -> list[Block]:
    if rec.deployment == "serverless":
        value = Expr("aws_elasticache_serverless_cache.cache.endpoint[0].address")
    elif rec.engine == "memcached":
        value = Expr("aws_elasticache_cluster.memcached.configuration_endpoint")
    elif rec.topology is not None and rec.topology.cluster_mode_enabled:
        value = Expr("aws_elasticache_replication_group.primary.configuration_endpoint_address")
    else:
        value = Expr("aws_elasticache_replication_group.primary.primary_endpoint_address")
    return [Block("output", (("description", "Endpoint your clients connect to"), ("value", value)), ("endpoint",))]


def _header(rec: Recommendation) -> list[str]:
    # The comment text is the user's workload name: one line without control or bidi characters.
    name = resource_description(rec.workload.name, limit=200)
    return [
        f"# ElastiCache advisor: {name}",
        f"# {' '.join(rec.headline.split())}",
        f"# Pricing as of {rec.pricing_as_of}. Review every value before `terraform apply`.",
        "# Reserved nodes are a billing purchase, not infrastructure: see the AWS CLI commands.",
    ]


def terraform_for(rec: Recommendation, settings: CommandSettings | None = None) -> str:
    """The recommendation as one Terraform file (main.tf); an explanatory comment when nothing is feasible."""
    if not rec.feasible:  # a conflict or infeasible: nothing to build
        return "# No feasible configuration for this workload: nothing to build. See the conflicts.\n"
    w = rec.workload
    s = resolve_settings(w, settings)
    providers = [Block("terraform", (("required_providers", Block("required_providers", (
        ("aws", {"source": "hashicorp/aws", "version": PROVIDER_VERSION}),))),))]
    providers.append(Block("provider", (("region", w.region),), ("aws",)))
    if rec.deployment == "provisioned":
        for region in w.secondary_regions:
            providers.append(Block("provider", (("alias", _provider_alias(region)), ("region", region)), ("aws",)))
    resources: list[Block]
    if rec.deployment == "serverless":
        resources = [_serverless(rec, s)]
    else:
        topo = rec.topology
        assert topo is not None
        if topo.engine == "memcached":
            resources = [_memcached(rec, topo, s)]
        else:
            custom = custom_parameter_group(topo, engine_version(rec, topo, s), s.cluster_id)
            resources = [_parameter_group(custom)] if custom else []
            resources.append(_replication_group(rec, topo, s))
            if w.secondary_regions:
                resources += _global_blocks(rec, s)
    if needs_user_group(rec):
        resources = _rbac_blocks(rec, s) + resources
    blocks = providers + _variables(rec, s) + resources + _outputs(rec)
    return "\n".join(_header(rec)) + "\n\n" + "\n\n".join(_block(b) for b in blocks) + "\n"
