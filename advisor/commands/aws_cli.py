"""AWS CLI commands for a recommendation, as argv tuples with a purpose; rendered only for display.

Secrets never appear: an AUTH token is an environment-variable reference the shell expands at run time.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field, replace

from advisor.commands.parameter_group import CustomParameterGroup, custom_parameter_group
from advisor.commands.safe_names import resource_description
from advisor.recommendation import Recommendation, Topology
from advisor.versions import planned_version
from advisor.wording import ENGINE_LABELS
from advisor.workload import AuthMode, Workload

AUTH_TOKEN_ENV = "ELASTICACHE_AUTH_TOKEN"
APP_PASSWORD_ENV = "ELASTICACHE_APP_PASSWORD"  # the RBAC application user's password, from the shell
# The application user's permissions: every key and command except the dangerous ones (FLUSHALL, CONFIG, ...).
APP_ACCESS_STRING = "on ~* +@all -@dangerous"
# A user group must contain a user named "default"; this one is switched off and can do nothing.
DEFAULT_OFF_ACCESS_STRING = "off ~* -@all"
GLOBAL_ID_ENV = "GLOBAL_DATASTORE_ID"
OFFERING_ID_ENV = "RESERVED_OFFERING_ID"
# Fallback only: the version built is the newest in standard support with every feature the workload needs
# (advisor.versions); these are the newest default choices of each engine.
ENGINE_VERSIONS = {"valkey": "9.0", "redis": "7.1", "memcached": "1.6.22"}
SERVERLESS_MAJOR_VERSIONS = {"valkey": "8", "redis": "7", "memcached": "1.6"}
SECONDS_PER_YEAR = 31_536_000


@dataclass(frozen=True)
class EnvRef:
    """A value the shell supplies from the environment, so the command never holds the secret itself."""

    name: str

    def __str__(self) -> str:
        return f"${self.name}"


Arg = str | EnvRef


@dataclass(frozen=True)
class Command:
    purpose: str
    argv: tuple[Arg, ...]

    def render(self) -> str:
        """Shell text with one flag per line; env references stay expandable ("$NAME")."""
        parts: list[str] = []
        for arg in self.argv:
            parts.append(f'"${{{arg.name}}}"' if isinstance(arg, EnvRef) else shlex.quote(arg))
        lines: list[str] = []
        current = parts[:3]  # "aws elasticache <operation>"
        for part in parts[3:]:
            if part.startswith("--") and current:
                lines.append(" ".join(current))
                current = [part]
            else:
                current.append(part)
        lines.append(" ".join(current))
        return " \\\n  ".join(lines)

    def resolved(self, env: dict[str, str]) -> list[str]:
        """argv with environment references filled in (for dry runs in tests)."""
        return [env[a.name] if isinstance(a, EnvRef) else a for a in self.argv]


@dataclass(frozen=True)
class CommandSettings:
    """The ids a user must supply; defaults are obvious placeholders to replace."""

    cluster_id: str = ""
    description: str = ""
    subnet_group: str = "my-cache-subnet-group"
    security_group_ids: tuple[str, ...] = ("sg-0123456789abcdef0",)
    subnet_ids: tuple[str, ...] = ("subnet-0123456789abcdef0", "subnet-0fedcba9876543210")
    kms_key_id: str = "alias/my-elasticache-key"
    user_group_id: str = "my-user-group"
    engine_version: str | None = None
    secondary_subnet_groups: dict[str, str] = field(default_factory=dict)
    secondary_security_groups: dict[str, tuple[str, ...]] = field(default_factory=dict)


def cluster_id_from_name(name: str) -> str:
    """A valid replication group id: starts with a letter, letters/digits/hyphens, no double or trailing hyphen."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    slug = re.sub(r"-{2,}", "-", slug)
    if not slug or not slug[0].isalpha():
        slug = f"cache-{slug}".strip("-")
    return slug[:40].rstrip("-")


def _settings_for(workload: Workload, settings: CommandSettings) -> CommandSettings:
    cluster_id = settings.cluster_id or cluster_id_from_name(workload.name)
    description = resource_description(settings.description or f"{workload.name} (ElastiCache advisor)")
    return replace(settings, cluster_id=cluster_id, description=description)


def cluster_parameter_group(engine: str, version: str) -> str:
    """AWS's default cluster-mode parameter group: default.valkey8.cluster.on, default.redis7.cluster.on."""
    major = version.split(".")[0]
    return f"default.{engine}{major}.cluster.on"


def _auth_args(workload: Workload, settings: CommandSettings) -> list[Arg]:
    if workload.auth == AuthMode.AUTH_TOKEN:
        return ["--auth-token", EnvRef(AUTH_TOKEN_ENV)]
    if workload.auth in (AuthMode.RBAC, AuthMode.IAM):
        return ["--user-group-ids", settings.user_group_id]
    return []


def engine_version_for(rec: Recommendation, topo: Topology, settings: CommandSettings) -> str:
    """The version to build: the one typed on the Commands page, else the workload's pinned version, else the
    newest in standard support with every needed feature."""
    if settings.engine_version:
        return settings.engine_version
    if rec.workload.constraints.engine_version:
        return rec.workload.constraints.engine_version
    choice = planned_version(topo.engine, rec.workload, cluster_mode_enabled=topo.cluster_mode_enabled,
                             data_tiering=topo.data_tiering)
    return choice.version or ENGINE_VERSIONS[topo.engine]


def replication_group_command(
    rec: Recommendation, topo: Topology, settings: CommandSettings, *, region: str | None = None
) -> Command:
    w = rec.workload
    version = engine_version_for(rec, topo, settings)
    argv: list[Arg] = [
        "aws", "elasticache", "create-replication-group",
        "--replication-group-id", settings.cluster_id,
        "--replication-group-description", settings.description,
        "--engine", topo.engine, "--engine-version", version,
        "--cache-node-type", topo.node_type,
    ]
    custom = custom_parameter_group(topo, version, settings.cluster_id)
    if custom is not None:
        argv += ["--cache-parameter-group-name", custom.name]
    elif topo.cluster_mode_enabled:
        # Sharded groups need a cluster-enabled parameter group (cluster-enabled yes); name the default one.
        argv += ["--cache-parameter-group-name", cluster_parameter_group(topo.engine, version)]
    if topo.cluster_mode_enabled:
        argv += ["--cluster-mode", "enabled", "--num-node-groups", str(topo.shards),
                 "--replicas-per-node-group", str(topo.replicas_per_shard)]
    else:
        argv += ["--cluster-mode", "disabled", "--num-cache-clusters", str(1 + topo.replicas_per_shard)]
    argv.append("--automatic-failover-enabled" if topo.automatic_failover else "--no-automatic-failover-enabled")
    argv.append("--multi-az-enabled" if topo.multi_az else "--no-multi-az-enabled")
    if topo.data_tiering:
        argv.append("--data-tiering-enabled")
    argv.append("--transit-encryption-enabled" if w.encryption_in_transit else "--no-transit-encryption-enabled")
    argv.append("--at-rest-encryption-enabled" if w.encryption_at_rest else "--no-at-rest-encryption-enabled")
    if w.encryption_at_rest and w.customer_managed_kms_key:
        argv += ["--kms-key-id", settings.kms_key_id]
    argv += _auth_args(w, settings)
    argv += ["--cache-subnet-group-name", settings.subnet_group,
             "--security-group-ids", *settings.security_group_ids,
             "--snapshot-retention-limit", str(w.snapshot_retention_days),
             "--region", region or w.region]
    purpose = f"Create the {ENGINE_LABELS[topo.engine]} replication group: {topo.describe()}"
    return Command(purpose, tuple(argv))


def parameter_group_commands(group: CustomParameterGroup, region: str) -> list[Command]:
    """Create the custom parameter group and set its values, before the replication group that names it."""
    values = [f"ParameterName={name},ParameterValue={value}" for name, value in group.parameters]
    return [
        Command(f"Create parameter group {group.name} ({group.family}): {group.description}",
                ("aws", "elasticache", "create-cache-parameter-group",
                 "--cache-parameter-group-name", group.name, "--cache-parameter-group-family", group.family,
                 "--description", group.description, "--region", region)),
        Command("Set " + ", ".join(f"{name}={value}" for name, value in group.parameters)
                + " so the cluster keeps free the memory the plan kept free",
                ("aws", "elasticache", "modify-cache-parameter-group",
                 "--cache-parameter-group-name", group.name, "--parameter-name-values", *values,
                 "--region", region)),
    ]


def memcached_command(rec: Recommendation, topo: Topology, settings: CommandSettings) -> Command:
    w = rec.workload
    argv: list[Arg] = [
        "aws", "elasticache", "create-cache-cluster",
        "--cache-cluster-id", settings.cluster_id[:40],
        "--engine", "memcached", "--engine-version", engine_version_for(rec, topo, settings),
        "--cache-node-type", topo.node_type, "--num-cache-nodes", str(topo.shards),
    ]
    if topo.shards > 1:
        argv += ["--az-mode", "cross-az"]
    if w.encryption_in_transit:
        argv.append("--transit-encryption-enabled")
    argv += ["--cache-subnet-group-name", settings.subnet_group,
             "--security-group-ids", *settings.security_group_ids, "--region", w.region]
    return Command(f"Create the Memcached cluster: {topo.describe()}", tuple(argv))


def serverless_command(rec: Recommendation, settings: CommandSettings) -> Command:
    w = rec.workload
    fit = rec.serverless_fit
    # Cap the cache a little above the horizon's needs so a runaway workload cannot run up the bill.
    max_gb = max(1, min(5000, int(fit.stored_gb * 2) + 1))
    max_ecpu = max(1000, min(15_000_000, int(fit.ecpu.peak_per_second * 2) + 1))
    limits = f"DataStorage={{Maximum={max_gb},Unit=GB}},ECPUPerSecond={{Maximum={max_ecpu}}}"
    argv: list[Arg] = [
        "aws", "elasticache", "create-serverless-cache",
        "--serverless-cache-name", settings.cluster_id,
        "--description", settings.description,
        "--engine", rec.engine, "--major-engine-version", SERVERLESS_MAJOR_VERSIONS[rec.engine],
        "--cache-usage-limits", limits,
    ]
    if w.customer_managed_kms_key:
        argv += ["--kms-key-id", settings.kms_key_id]
    argv += ["--security-group-ids", *settings.security_group_ids, "--subnet-ids", *settings.subnet_ids]
    if rec.engine != "memcached" and w.auth in (AuthMode.RBAC, AuthMode.IAM):
        argv += ["--user-group-id", settings.user_group_id]
    if w.snapshot_retention_days:
        argv += ["--snapshot-retention-limit", str(w.snapshot_retention_days)]
    argv += ["--region", w.region]
    return Command(f"Create the {ENGINE_LABELS[rec.engine]} Serverless cache (limits at 2x the planned peak)",
                   tuple(argv))


def rbac_user_ids(settings: CommandSettings) -> tuple[str, str]:
    """(disabled default user, application user): user ids are 1-40 letters, digits and hyphens."""
    stem = settings.cluster_id[:28].rstrip("-")
    return f"{stem}-default-off", f"{stem}-app"


def rbac_commands(rec: Recommendation, settings: CommandSettings) -> list[Command]:
    """The users and the user group that `--user-group-ids` names, created first. The password comes from
    the shell's environment (IAM users have none: they authenticate with an IAM token)."""
    w = rec.workload
    engine = "valkey" if rec.engine == "valkey" else "redis"
    default_id, app_id = rbac_user_ids(settings)
    app_auth: list[Arg] = (["--authentication-mode", "Type=iam"] if w.auth == AuthMode.IAM else
                           ["--passwords", EnvRef(APP_PASSWORD_ENV)])
    # An IAM user's user name must equal its user id.
    return [
        Command("Create the group's required 'default' user, switched off",
                ("aws", "elasticache", "create-user", "--user-id", default_id, "--user-name", "default",
                 "--engine", engine, "--access-string", DEFAULT_OFF_ACCESS_STRING, "--no-password-required",
                 "--region", w.region)),
        Command(f"Create the application user (password from ${APP_PASSWORD_ENV}; IAM users use a token instead)"
                if w.auth != AuthMode.IAM else "Create the application user (IAM authentication, no password)",
                ("aws", "elasticache", "create-user", "--user-id", app_id, "--user-name", app_id,
                 "--engine", engine, "--access-string", APP_ACCESS_STRING, *app_auth, "--region", w.region)),
        Command("Create the user group the cluster attaches",
                ("aws", "elasticache", "create-user-group", "--user-group-id", settings.user_group_id,
                 "--engine", engine, "--user-ids", default_id, app_id, "--region", w.region)),
    ]


def secondary_network(settings: CommandSettings, region: str) -> tuple[str, tuple[str, ...]]:
    """(subnet group, security groups) for a secondary Region: security groups belong to one Region's VPC, so
    the primary's ids never carry over; without ids for the Region, a placeholder that names it."""
    subnet = settings.secondary_subnet_groups.get(region) or settings.subnet_group
    groups = settings.secondary_security_groups.get(region) or (f"sg-id-in-{region}",)
    return subnet, groups


def global_datastore_commands(rec: Recommendation, topo: Topology, settings: CommandSettings) -> list[Command]:
    w = rec.workload
    commands = [Command(
        "Turn the primary replication group into a Global Datastore (AWS prefixes the id; export the full "
        f"GlobalReplicationGroupId from the output as {GLOBAL_ID_ENV})",
        ("aws", "elasticache", "create-global-replication-group",
         "--global-replication-group-id-suffix", settings.cluster_id,
         "--primary-replication-group-id", settings.cluster_id,
         "--global-replication-group-description", f"{settings.description} (global)"[:255],
         "--region", w.region),
    )]
    for region in w.secondary_regions:
        subnet, groups = secondary_network(settings, region)
        secondary_id = f"{settings.cluster_id}-{region}"[:40].rstrip("-")
        commands.append(Command(
            f"Add the secondary cluster in {region} (inherits node type, engine, version, shards and encryption)",
            ("aws", "elasticache", "create-replication-group",
             "--replication-group-id", secondary_id,
             "--replication-group-description", f"{settings.description} secondary in {region}"[:255],
             "--global-replication-group-id", EnvRef(GLOBAL_ID_ENV),
             "--cache-subnet-group-name", subnet, "--security-group-ids", *groups,
             "--region", region),
        ))
    return commands


def reserved_purchase_commands(rec: Recommendation, topo: Topology) -> list[Command]:
    if rec.costs is None or rec.costs.best_reserved is None:
        return []
    pick = rec.costs.best_reserved
    one_year = [c for c in rec.costs.reserved if c.option.term_years == 1]
    committed = [c for c in rec.costs.reserved if c.option.term_years == rec.workload.commitment_years]
    if committed:  # the workload states how many years it will commit: buy that term
        pick = min(committed, key=lambda c: c.monthly_equivalent)
    elif rec.workload.horizon_months < 36 and one_year:
        pick = min(one_year, key=lambda c: c.monthly_equivalent)
    option = pick.option
    # One purchase per Region of the design: a reservation applies only to nodes in its own Region.
    parts = pick.parts or ()
    multi = len(parts) > 1
    commands = []
    for part in parts:
        reserved_id = f"{cluster_id_from_name(rec.workload.name)}-reserved"
        if multi:
            reserved_id = f"{reserved_id}-{part.region}"
        where = f" in {part.region}" if multi else ""
        commands += [
            Command(
                f"Find the {option.term_years}-year {option.payment_option} offering for {part.node_type}{where} "
                f"(export its ReservedCacheNodesOfferingId as {OFFERING_ID_ENV})",
                ("aws", "elasticache", "describe-reserved-cache-nodes-offerings",
                 "--cache-node-type", part.node_type, "--duration", str(SECONDS_PER_YEAR * option.term_years),
                 "--offering-type", option.payment_option, "--product-description", topo.engine,
                 "--region", part.region),
            ),
            Command(
                f"Buy {part.node_count} reserved nodes{where} (billing only: applies to matching running nodes)",
                ("aws", "elasticache", "purchase-reserved-cache-nodes-offering",
                 "--reserved-cache-nodes-offering-id", EnvRef(OFFERING_ID_ENV),
                 "--cache-node-count", str(part.node_count),
                 "--reserved-cache-node-id", reserved_id,
                 "--region", part.region),
            ),
        ]
    return commands


def generate_commands(rec: Recommendation, settings: CommandSettings | None = None) -> list[Command]:
    """Every command to build the recommendation, in the order to run them."""
    if not rec.feasible:  # a conflict or infeasible: nothing to build
        return []
    settings = _settings_for(rec.workload, settings or CommandSettings())
    rbac = (rbac_commands(rec, settings) if rec.engine != "memcached" and
            rec.workload.auth in (AuthMode.RBAC, AuthMode.IAM) else [])
    if rec.deployment == "serverless":
        return [*rbac, serverless_command(rec, settings)]
    topo = rec.topology
    assert topo is not None
    if topo.engine == "memcached":
        return [memcached_command(rec, topo, settings), *reserved_purchase_commands(rec, topo)]
    version = engine_version_for(rec, topo, settings)
    custom = custom_parameter_group(topo, version, settings.cluster_id)
    commands = [*rbac, *(parameter_group_commands(custom, rec.workload.region) if custom else [])]
    commands.append(replication_group_command(rec, topo, settings))
    if rec.workload.secondary_regions:
        commands += global_datastore_commands(rec, topo, settings)
    if rec.workload.traffic_shape.value in ("steady", "daily_cycle"):
        commands += reserved_purchase_commands(rec, topo)
    return commands
