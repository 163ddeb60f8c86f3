"""Configuration checks of the fleet review: one small rule per concern, each a Finding with its AWS link.

A rule whose input was not collected (a denied Describe call, an untagged cluster) is listed as not checked
by the caller instead of passing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from advisor import docs
from advisor.findings import Finding, Severity
from advisor.fleet.inventory import ClusterConfig
from advisor.live.models import FleetRow
from advisor.versions import parse_version, release, releases_of
from advisor.wording import count_noun, noun

EXTENDED_SUPPORT_DOC = "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/extended-support.html"
PARAMETER_DOC = "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html"
MAXMEMORY_DOC = "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html#ParameterGroups.Redis"
VERSIONS_DOC = docs.ENGINE_VERSIONS
MIN_RETENTION_DAYS = 7  # the AWS sample review's default backup-retention policy (REL-04b)
SOON_DAYS = 90
# AWS memory guidance (facts 2.1): 25% default; 30% on small and 50% on micro burstable nodes.
RESERVED_MEMORY_DEFAULT = 25
RESERVED_MEMORY_SMALL = {"micro": 50, "small": 30}
NOT_CHECKED = "not checked"


@dataclass(frozen=True)
class CheckContext:
    row: FleetRow
    config: ClusterConfig
    as_of: dt.date
    memory_max_pct: float | None = None  # DatabaseMemoryUsagePercentage max over the window, when known
    evictions: float | None = None

    @property
    def node_based(self) -> bool:
        return self.row.kind != "serverless"

    @property
    def redis_like(self) -> bool:
        return self.row.engine in ("redis", "valkey")


Check = Callable[[CheckContext], Finding | None]
CHECKS: list[Check] = []


def check(fn: Check) -> Check:
    CHECKS.append(fn)
    return fn


def _finding(ctx: CheckContext, key: str, severity: Severity, title: str, decision: str, rationale: str,
             evidence: dict[str, str], links: list[str]) -> Finding:
    return Finding(id=f"fleet.{key}", severity=severity, title=f"{ctx.row.id}: {title}", decision=decision,
                   rationale=rationale, evidence=evidence, docs=links)


@check
def transit_encryption(ctx: CheckContext) -> Finding | None:
    if not ctx.node_based or ctx.row.transit_encryption:
        return None
    return _finding(ctx, "tls_off", Severity.WARNING, "no encryption in transit",
                    "Enable in-transit encryption (TLS): mode 'preferred' first, then 'required' once clients use TLS.",
                    "Keys, values and credentials cross the network in clear text.",
                    {"TransitEncryptionEnabled": "false"}, [docs.IN_TRANSIT_ENCRYPTION])


@check
def at_rest_encryption(ctx: CheckContext) -> Finding | None:
    if not ctx.node_based or ctx.row.at_rest_encryption or ctx.row.engine == "memcached":
        return None
    return _finding(ctx, "at_rest_off", Severity.WARNING, "no encryption at rest",
                    "Create an encrypted copy (at-rest encryption is set at creation) from a backup and switch over.",
                    "Backups and swap on the node's disk are stored unencrypted; the setting cannot be changed in "
                    "place.", {"AtRestEncryptionEnabled": "false"}, [docs.AT_REST_ENCRYPTION])


@check
def authentication(ctx: CheckContext) -> Finding | None:
    if not ctx.redis_like:
        return None
    if ctx.row.auth == "none":
        severity = Severity.WARNING if ctx.node_based else Severity.ADVICE
        return _finding(ctx, "no_auth", severity, "no authentication",
                        "Turn on RBAC (a user group with least-privilege users) or IAM authentication.",
                        "Anyone who reaches the endpoint inside the VPC can read and write every key.",
                        {"auth": "none"}, [docs.RBAC, docs.IAM_AUTH])
    if ctx.row.auth == "AUTH token":
        return _finding(ctx, "auth_token", Severity.ADVICE, "one shared AUTH token instead of RBAC",
                        "Move to RBAC users (AuthTokenUpdateStrategy DELETE once clients use them).",
                        "A single shared password cannot separate read-only from admin clients or be rotated per "
                        "application.", {"auth": "AUTH token"}, [docs.RBAC, docs.AUTH_TOKEN])
    return None


@check
def failover(ctx: CheckContext) -> Finding | None:
    row, cfg = ctx.row, ctx.config
    if not ctx.node_based or not ctx.redis_like or not cfg.production:
        return None
    missing = []
    if row.replicas_per_shard == 0:
        missing.append("no replica")
    if cfg.automatic_failover is False:
        missing.append("automatic failover off")
    if not row.multi_az:
        missing.append("Multi-AZ off")
    if not missing:
        return None
    return _finding(ctx, "no_failover", Severity.WARNING, ", ".join(missing) + " on a production cluster",
                    "Add a replica per shard in another Availability Zone and enable automatic failover and Multi-AZ.",
                    "A node or AZ failure takes the cache down until a replacement is provisioned "
                    f"({cfg.environment_source} says production: {cfg.environment or 'untagged'}).",
                    {"replicas_per_shard": str(row.replicas_per_shard), "automatic_failover":
                     str(cfg.automatic_failover), "multi_az": str(row.multi_az)},
                    [docs.AUTO_FAILOVER, docs.REPLICATION])


@check
def backups(ctx: CheckContext) -> Finding | None:
    days = ctx.config.snapshot_retention_days
    if days is None or not ctx.redis_like or days >= MIN_RETENTION_DAYS:
        return None
    production = ctx.config.production
    if days == 0:
        return _finding(ctx, "no_backups", Severity.WARNING if production else Severity.ADVICE,
                        "automatic backups are off",
                        f"Set a snapshot retention of at least {MIN_RETENTION_DAYS} days and a snapshot window "
                        "off-peak.", "A lost or corrupted dataset cannot be restored.",
                        {"SnapshotRetentionLimit": "0"}, [docs.BACKUPS])
    if not production:
        return None
    return _finding(ctx, "short_backups", Severity.ADVICE, f"backups kept only {count_noun(days, 'day')}",
                    f"Raise the snapshot retention to {MIN_RETENTION_DAYS} days.",
                    f"A problem noticed after {count_noun(days, 'day')} can no longer be rolled back.",
                    {"SnapshotRetentionLimit": str(days)}, [docs.BACKUPS])


@check
def minor_upgrades(ctx: CheckContext) -> Finding | None:
    if ctx.config.auto_minor_version_upgrade is not False or not ctx.node_based:
        return None
    return _finding(ctx, "auto_minor_off", Severity.ADVICE, "automatic minor version upgrades are off",
                    "Turn AutoMinorVersionUpgrade on so security patches arrive in the maintenance window.",
                    "Minor versions carry security and stability fixes; without them the cluster drifts behind.",
                    {"AutoMinorVersionUpgrade": "false"}, [VERSIONS_DOC])


def _support_window(engine: str, version: str) -> tuple[dt.date, dt.date] | None:
    """End of standard support and of Extended Support from advisor.versions (an unlisted minor shares its
    major's window); None when no end is announced."""
    if engine != "redis" or not version[:1].isdigit():
        return None
    try:
        known = release(engine, version)
        major = parse_version(version)[0]
    except ValueError:
        return None
    known = known or next((r for r in releases_of(engine) if parse_version(r.version)[0] == major), None)
    if known is None or known.standard_support_ends is None or known.extended_support_ends is None:
        return None
    return known.standard_support_ends, known.extended_support_ends


@check
def engine_lifecycle(ctx: CheckContext) -> Finding | None:
    row = ctx.row
    major = row.engine_version.split(".")[0]
    window = _support_window(row.engine, row.engine_version)
    if window is None:
        return None
    standard_end, extended_end = window
    if ctx.as_of > standard_end:
        return _finding(ctx, "extended_support", Severity.WARNING,
                        f"Redis OSS {row.engine_version} is in paid Extended Support",
                        "Upgrade to Valkey (in place) to stop the Extended Support surcharge and pay the lower Valkey "
                        "node price.",
                        f"Standard support for Redis OSS {major} ended on {standard_end:%Y-%m-%d}; the surcharge is "
                        f"charged from the next day until {extended_end:%Y-%m-%d}, after which AWS upgrades the cache "
                        "itself.", {"standard_support_end": f"{standard_end}", "extended_support_end":
                                    f"{extended_end}", "as_of": f"{ctx.as_of}"}, [EXTENDED_SUPPORT_DOC])
    days = (standard_end - ctx.as_of).days
    return _finding(ctx, "support_ending", Severity.WARNING if days <= SOON_DAYS else Severity.ADVICE,
                    f"Redis OSS {major} standard support ends in {days} days",
                    "Plan the upgrade to Valkey before the Extended Support surcharge starts.",
                    f"Standard support ends on {standard_end:%Y-%m-%d}; Extended Support is charged from the next day.",
                    {"standard_support_end": f"{standard_end}", "days_left": str(days)}, [EXTENDED_SUPPORT_DOC])


@check
def valkey_currency(ctx: CheckContext) -> Finding | None:
    row = ctx.row
    if row.engine != "valkey" or not row.engine_version[:1].isdigit() or int(row.engine_version.split(".")[0]) >= 8:
        return None
    return _finding(ctx, "valkey_version", Severity.ADVICE, f"Valkey {row.engine_version} is a major version behind",
                    "Upgrade to Valkey 8.x in place (minutes of failover on a Multi-AZ group).",
                    "Valkey 8.0 stores up to 20% more data per node and 8.1 cuts hash-table memory by up to 20%.",
                    {"engine_version": row.engine_version}, [VERSIONS_DOC])


@check
def maxmemory_policy(ctx: CheckContext) -> Finding | None:
    policy = ctx.config.parameters.get("maxmemory-policy")
    if policy != "noeviction" or ctx.memory_max_pct is None or ctx.memory_max_pct < 70:
        return None
    return _finding(ctx, "noeviction_full", Severity.WARNING,
                    f"maxmemory-policy noeviction with memory at {ctx.memory_max_pct:.0f}%",
                    "Add memory before it fills, or use volatile-lru / allkeys-lru if this is a cache.",
                    "Under noeviction a full node answers every write with an OOM error instead of evicting.",
                    {"maxmemory-policy": policy, "memory_max_pct": f"{ctx.memory_max_pct:.1f}",
                     "parameter_group": str(ctx.config.parameter_group)}, [MAXMEMORY_DOC, docs.MEMORY_MANAGEMENT])


@check
def reserved_memory(ctx: CheckContext) -> Finding | None:
    raw = ctx.config.parameters.get("reserved-memory-percent")
    if raw is None or not raw.replace(".", "", 1).isdigit() or not ctx.row.node_type:
        return None
    value = float(raw)
    size = ctx.row.node_type.split(".")[-1]
    burstable = ctx.row.node_type.split(".")[1].startswith("t")
    wanted = RESERVED_MEMORY_SMALL.get(size, RESERVED_MEMORY_DEFAULT) if burstable else RESERVED_MEMORY_DEFAULT
    if value >= wanted:
        return None
    lowered = value < RESERVED_MEMORY_DEFAULT
    return _finding(ctx, "reserved_memory", Severity.WARNING if lowered else Severity.ADVICE,
                    f"reserved-memory-percent {value:g} on {ctx.row.node_type} (AWS suggests {wanted})",
                    f"Set reserved-memory-percent to {wanted} in parameter group {ctx.config.parameter_group}.",
                    "Backups, replica syncs and fragmentation need memory outside the dataset; AWS advises never "
                    "lowering the 25% default and raising it to 30% on small and 50% on micro burstable nodes.",
                    {"reserved-memory-percent": raw, "suggested": str(wanted)},
                    [docs.MEMORY_MANAGEMENT, PARAMETER_DOC])


MATTERING = {"maxmemory-policy", "reserved-memory-percent", "notify-keyspace-events", "activedefrag", "timeout"}


@check
def parameter_drift(ctx: CheckContext) -> Finding | None:
    drift = sorted(MATTERING & ctx.config.user_modified)
    if not drift:
        return None
    shown = {name: ctx.config.parameters.get(name, "") for name in drift}
    return _finding(ctx, "parameter_drift", Severity.ADVICE,
                    f"parameter group {ctx.config.parameter_group} changes {count_noun(len(drift), 'setting')} that "
                    f"{noun(len(drift), 'matters', 'matter')}",
                    "Review each change against the workload; keep a changed value only with a written reason.",
                    "Changed: " + ", ".join(f"{k}={v or '(empty)'}" for k, v in shown.items()) + ".",
                    {f"param.{k}": v for k, v in shown.items()}, [PARAMETER_DOC])


def config_checks(ctx: CheckContext) -> list[Finding]:
    return [f for rule in CHECKS if (f := rule(ctx)) is not None]


def not_checked(config: ClusterConfig, row: FleetRow) -> list[str]:
    """Inputs the checks needed but the account did not give, in plain words."""
    missing = []
    if config.snapshot_retention_days is None:
        missing.append("backup retention")
    if config.parameter_group is None and row.kind != "serverless":
        missing.append("parameter group (maxmemory-policy, reserved-memory-percent, drift)")
    if config.environment_source == "not collected":
        missing.append("environment tag (production assumed from the name)")
    return missing
