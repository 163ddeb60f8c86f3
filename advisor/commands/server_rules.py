"""ElastiCache rules the AWS CLI cannot check locally (the service enforces them on create).

Reads a command's argv, not the generator's state, so a generator bug is caught rather than mirrored.
"""

from __future__ import annotations

import re

from advisor.commands.aws_cli import Command

REPLICATION_GROUP_ID = re.compile(r"^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{0,39}(?<!-)$")


def flags(argv: tuple[object, ...]) -> dict[str, list[str]]:
    """--flag values... grouped; a bare flag maps to []."""
    parsed: dict[str, list[str]] = {}
    current: str | None = None
    for arg in argv[3:]:
        text = str(arg)
        if text.startswith("--"):
            current = text
            parsed[current] = []
        elif current is not None:
            parsed[current].append(text)
    return parsed


def _int(values: dict[str, list[str]], flag: str, default: int) -> int:
    return int(values[flag][0]) if values.get(flag) else default


def replication_group_problems(command: Command) -> list[str]:
    f = flags(command.argv)
    problems = []
    if "--global-replication-group-id" in f:
        return _secondary_problems(f)
    group_id = f.get("--replication-group-id", [""])[0]
    if not REPLICATION_GROUP_ID.match(group_id):
        problems.append(f"replication group id '{group_id}' is not 1-40 letters/digits/hyphens starting with a letter")
    cluster_mode = f.get("--cluster-mode", ["disabled"])[0]
    failover = "--automatic-failover-enabled" in f
    multi_az = "--multi-az-enabled" in f
    node_type = f.get("--cache-node-type", [""])[0]
    engine = f.get("--engine", [""])[0]
    version = f.get("--engine-version", ["0"])[0]
    if cluster_mode == "enabled":
        replicas = _int(f, "--replicas-per-node-group", 0)
        shards = _int(f, "--num-node-groups", 1)
        if not failover:
            problems.append("cluster mode enabled requires --automatic-failover-enabled")
        if not 1 <= shards <= 500:
            problems.append(f"--num-node-groups {shards} is outside 1-500")
        if "--num-cache-clusters" in f:
            problems.append("--num-cache-clusters is for cluster mode disabled only")
    else:
        nodes = _int(f, "--num-cache-clusters", 1)
        replicas = nodes - 1
        if not 1 <= nodes <= 6:
            problems.append(f"--num-cache-clusters {nodes} is outside 1-6")
        if failover and nodes < 2:
            problems.append("automatic failover needs --num-cache-clusters of at least 2")
        if "--num-node-groups" in f and _int(f, "--num-node-groups", 1) != 1:
            problems.append("cluster mode disabled allows one node group")
    if not 0 <= replicas <= 5:
        problems.append(f"{replicas} replicas per shard is outside 0-5")
    if multi_az and (replicas < 1 or not failover):
        problems.append("Multi-AZ needs at least one replica per shard and automatic failover")
    is_r6gd = ".r6gd." in node_type
    if is_r6gd and "--data-tiering-enabled" not in f:
        problems.append("r6gd nodes require --data-tiering-enabled")
    if not is_r6gd and "--data-tiering-enabled" in f:
        problems.append("--data-tiering-enabled is valid only with r6gd nodes")
    if "--auth-token" in f and "--transit-encryption-enabled" not in f:
        problems.append("an AUTH token requires --transit-encryption-enabled")
    if "--user-group-ids" in f and "--transit-encryption-enabled" not in f:
        problems.append("RBAC user groups require --transit-encryption-enabled")
    if "--kms-key-id" in f and "--at-rest-encryption-enabled" not in f:
        problems.append("--kms-key-id needs --at-rest-encryption-enabled")
    if engine == "valkey" and tuple(int(p) for p in version.split(".")[:2]) < (7, 2):
        problems.append(f"Valkey starts at 7.2, not {version}")
    retention = _int(f, "--snapshot-retention-limit", 0)
    if not 0 <= retention <= 35:
        problems.append(f"--snapshot-retention-limit {retention} is outside 0-35")
    return problems


def _secondary_problems(f: dict[str, list[str]]) -> list[str]:
    inherited = {"--engine", "--engine-version", "--cache-node-type", "--num-node-groups",
                 "--transit-encryption-enabled", "--at-rest-encryption-enabled", "--auth-token"}
    clash = sorted(inherited & set(f))
    return [f"a Global Datastore secondary inherits {', '.join(clash)}; do not pass them"] if clash else []


def serverless_problems(command: Command) -> list[str]:
    f = flags(command.argv)
    problems = []
    limits = f.get("--cache-usage-limits", [""])[0]
    storage = re.search(r"DataStorage=\{Maximum=(\d+)", limits)
    ecpu = re.search(r"ECPUPerSecond=\{Maximum=(\d+)", limits)
    if "DataStorage=" in limits and "Unit=GB" not in limits:
        problems.append("Serverless DataStorage Unit must be GB")
    if storage and not 1 <= int(storage.group(1)) <= 5000:
        problems.append("Serverless DataStorage maximum must be 1-5,000 GB")
    if ecpu and not 1000 <= int(ecpu.group(1)) <= 15_000_000:
        problems.append("Serverless ECPUPerSecond maximum must be 1,000-15,000,000")
    if "--auth-token" in f:
        problems.append("Serverless has no AUTH token")
    if f.get("--engine", [""])[0] == "memcached" and "--user-group-id" in f:
        problems.append("Serverless Memcached has no user groups")
    if _int(f, "--snapshot-retention-limit", 0) > 35:
        problems.append("Serverless snapshot retention is at most 35 days")
    return problems


# Parameter group families ElastiCache accepts for the versions the advisor generates (DescribeCacheParameterGroups).
PARAMETER_GROUP_FAMILIES = frozenset({"valkey7", "valkey8", "valkey9", "redis7", "redis6.x", "redis5.0",
                                      "memcached1.6"})


def parameter_group_problems(command: Command) -> list[str]:
    f = flags(command.argv)
    problems = []
    family = f.get("--cache-parameter-group-family", [None])[0]
    if family is not None and family not in PARAMETER_GROUP_FAMILIES:
        problems.append(f"'{family}' is not a parameter group family")
    for pair in f.get("--parameter-name-values", []):
        match = re.fullmatch(r"ParameterName=reserved-memory-percent,ParameterValue=(\d+)", pair)
        if match and not 0 <= int(match.group(1)) <= 100:
            problems.append("reserved-memory-percent must be 0-100")
    return problems


def server_side_problems(command: Command) -> list[str]:
    operation = str(command.argv[2])
    if operation in ("create-cache-parameter-group", "modify-cache-parameter-group"):
        return parameter_group_problems(command)
    if operation == "create-replication-group":
        return replication_group_problems(command)
    if operation == "create-serverless-cache":
        return serverless_problems(command)
    return []
