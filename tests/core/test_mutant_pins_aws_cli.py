"""AWS CLI commands (advisor/commands/aws_cli.py) pinned where mutation testing (scripts/mutation.sh) found the
fast oracles silent: which reserved-node term is bought, one purchase per Region, the id rules, the version
order of precedence, Memcached and Serverless flags, the shell text. Expected values come from the AWS rules
and API reference (quoted beside each) and from the recommendation's own topology (the generator's input),
worked out by hand; never from the generator's output.

These run in-process (no AWS CLI), so the mutation selection (tests/core) reruns them for every mutant; the
AWS CLI dry runs of the same commands are in test_aws_cli_commands.py.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from advisor.commands import Command, CommandSettings, EnvRef, generate_commands
from advisor.commands.aws_cli import cluster_id_from_name, cluster_parameter_group, rbac_user_ids
from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.recommendation import Recommendation
from advisor.workload import load_workload, parse_workload

# DescribeReservedCacheNodesOfferings' Duration: "Valid Values: 1 | 3 | 31536000 | 94608000" (years or seconds).
ONE_YEAR_SECONDS = "31536000"  # 365 x 24 x 3600
THREE_YEARS_SECONDS = "94608000"  # 3 x 31,536,000
# CreateReplicationGroup's ReplicationGroupId: 1-40 letters, digits or hyphens, first a letter, no two
# consecutive hyphens, not ending with a hyphen (API reference).
REPLICATION_GROUP_ID = re.compile(r"[a-z](?!.*--)[a-z0-9-]{0,39}(?<!-)")


def _rec(book: PriceBook, example: str, **changes: Any) -> Recommendation:
    workload = load_workload(f"examples/{example}.yaml")
    return recommend(workload.with_changes(**changes) if changes else workload, book)


def _argvs(rec: Recommendation, settings: CommandSettings | None = None) -> list[tuple[str, ...]]:
    return [tuple(str(a) for a in c.argv) for c in generate_commands(rec, settings)]


def _one(argvs: list[tuple[str, ...]], operation: str) -> tuple[str, ...]:
    [argv] = [a for a in argvs if a[2] == operation]
    return argv


def _value(argv: tuple[str, ...], flag: str) -> str:
    return argv[argv.index(flag) + 1]


def _values(argv: tuple[str, ...], flag: str) -> list[str]:
    """Every value after `flag` up to the next flag."""
    start = argv.index(flag) + 1
    end = next((i for i in range(start, len(argv)) if argv[i].startswith("--")), len(argv))
    return list(argv[start:end])


# ------------------------------------------------------------------------------------------ reserved nodes


def _purchase(rec: Recommendation) -> list[tuple[str, ...]]:
    return [a for a in _argvs(rec) if "reserved" in a[2]]


def _cheapest_offer(rec: Recommendation, years: int) -> str:
    assert rec.costs is not None
    return min((c for c in rec.costs.reserved if c.option.term_years == years),
               key=lambda c: c.monthly_equivalent).option.payment_option


@pytest.mark.parametrize(("horizon", "commitment", "duration", "years"), [
    (12, 0, ONE_YEAR_SECONDS, 1),  # a 12-month horizon: a 3-year term would outlast the plan
    (35, 0, ONE_YEAR_SECONDS, 1),  # still under 36 months
    (36, 0, THREE_YEARS_SECONDS, 3),  # the horizon covers a 3-year term: the cheapest per month overall
    (12, 3, THREE_YEARS_SECONDS, 3),  # a stated 3-year commitment wins over the short horizon
    (36, 1, ONE_YEAR_SECONDS, 1),  # a stated 1-year commitment wins over the long horizon
])
def test_reserved_term_follows_the_commitment_then_the_horizon(book: PriceBook, horizon: int, commitment: int,
                                                               duration: str, years: int) -> None:
    rec = _rec(book, "session_store", horizon_months=horizon, commitment_years=commitment)
    topo = rec.topology
    assert topo is not None and rec.workload.traffic_shape.value == "daily_cycle"
    find, buy = _purchase(rec)
    assert find[2] == "describe-reserved-cache-nodes-offerings" and buy[2] == "purchase-reserved-cache-nodes-offering"
    assert _value(find, "--duration") == duration
    assert _value(find, "--offering-type") == _cheapest_offer(rec, years)
    assert _value(find, "--cache-node-type") == topo.node_type
    assert _value(find, "--product-description") == "valkey"
    # 1 shard x (1 primary + 1 replica) = 2 nodes, all reserved.
    assert (topo.shards, topo.replicas_per_shard) == (1, 1) and _value(buy, "--cache-node-count") == "2"
    assert _value(buy, "--reserved-cache-node-id") == "session-store-reserved"  # one Region: no Region suffix
    assert buy[buy.index("--reserved-cache-nodes-offering-id") + 1] == "$RESERVED_OFFERING_ID"
    assert _value(find, "--region") == _value(buy, "--region") == "us-east-1"
    wanted = "1-year" if years == 1 else "3-year"
    [purpose] = [c.purpose for c in generate_commands(rec) if c.argv[2] == "describe-reserved-cache-nodes-offerings"]
    assert purpose.startswith(f"Find the {wanted} {_cheapest_offer(rec, years)} offering for {topo.node_type} (")


def test_global_datastore_buys_reserved_nodes_in_each_region(book: PriceBook) -> None:
    # A reservation applies only to nodes in its own Region: one offering search and one purchase per Region.
    rec = _rec(book, "multi_region_catalog")
    topo = rec.topology
    assert topo is not None and rec.workload.horizon_months == 24 and rec.workload.commitment_years == 0
    per_region = topo.shards * (1 + topo.replicas_per_shard)  # 11 x (1 + 1) = 22 in each Region
    commands = [c for c in generate_commands(rec) if "reserved" in str(c.argv[2])]
    assert [str(c.argv[2]) for c in commands] == ["describe-reserved-cache-nodes-offerings",
                                                   "purchase-reserved-cache-nodes-offering"] * 2
    pairs = zip(commands[::2], commands[1::2], strict=True)
    for (find, buy), region in zip(pairs, ["us-east-1", "eu-west-1"], strict=True):
        f, b = tuple(map(str, find.argv)), tuple(map(str, buy.argv))
        assert _value(f, "--region") == _value(b, "--region") == region
        assert _value(f, "--duration") == ONE_YEAR_SECONDS  # 24 months < 36: the 1-year term
        assert _value(b, "--cache-node-count") == str(per_region)
        assert _value(b, "--reserved-cache-node-id") == f"product-catalog-reserved-{region}"
        assert f" in {region} " in find.purpose
        assert buy.purpose.startswith(f"Buy {per_region} reserved nodes in {region} ")


def test_no_reserved_nodes_for_spiky_traffic(book: PriceBook) -> None:
    rec = _rec(book, "session_store", traffic_shape="spiky", forced_deployment="provisioned")
    assert rec.deployment == "provisioned" and rec.costs is not None and rec.costs.reserved
    assert _purchase(rec) == []


def test_memcached_reserved_offering_is_searched_as_memcached(book: PriceBook) -> None:
    rec = _rec(book, "memcached_page_cache")
    topo = rec.topology
    assert topo is not None and topo.engine == "memcached"
    operations = [a[2] for a in _argvs(rec)]
    assert operations == ["create-cache-cluster", "describe-reserved-cache-nodes-offerings",
                          "purchase-reserved-cache-nodes-offering"]
    find, buy = _purchase(rec)
    assert _value(find, "--product-description") == "memcached"
    assert _value(buy, "--cache-node-count") == str(topo.shards)  # Memcached: one node per shard, no replicas


# ------------------------------------------------------------------------------------------ ids and names


@pytest.mark.parametrize(("name", "expected"), [
    ("My Prod -- Cache!", "my-prod-cache"),  # runs of other characters become one hyphen; no trailing hyphen
    ("42 things", "cache-42-things"),  # must start with a letter
    ("---", "cache"),  # nothing left: the prefix alone
    ("", "cache"),
    ("Ünïcode Café", "n-code-caf"),  # only a-z and 0-9 survive (accents are not letters a-z)
    ("a" * 39 + "-b", "a" * 39),  # cut to 40, then the trailing hyphen goes
    ("x" * 100, "x" * 40),
    ("9" * 50, "cache-" + "9" * 34),
])
def test_cluster_id_follows_the_replication_group_id_rule(name: str, expected: str) -> None:
    got = cluster_id_from_name(name)
    assert got == expected
    assert REPLICATION_GROUP_ID.fullmatch(got), got


def test_rbac_user_ids_fit_the_40_character_user_id_limit() -> None:
    # CreateUser's UserId: 1-40 characters. The stem is cut to 28 so "-default-off" (12 more) fits.
    default_id, app_id = rbac_user_ids(CommandSettings(cluster_id="a" * 27 + "-bc"))
    assert default_id == "a" * 27 + "-default-off" and app_id == "a" * 27 + "-app"
    assert rbac_user_ids(CommandSettings(cluster_id="orders")) == ("orders-default-off", "orders-app")
    long_default, _ = rbac_user_ids(CommandSettings(cluster_id="b" * 40))
    assert len(long_default) == 40


@pytest.mark.parametrize(("engine", "version", "group"), [
    ("valkey", "9.0", "default.valkey9.cluster.on"),
    ("valkey", "8.2", "default.valkey8.cluster.on"),
    ("redis", "7.1", "default.redis7.cluster.on"),
])
def test_default_cluster_mode_parameter_group_names(engine: str, version: str, group: str) -> None:
    # AWS's default groups with cluster-enabled=yes: default.<engine><major>.cluster.on.
    assert cluster_parameter_group(engine, version) == group


# ------------------------------------------------------------------------------------------ versions


def test_engine_version_order_of_precedence(book: PriceBook) -> None:
    rec = _rec(book, "session_store")
    # Newest Valkey in standard support that the advisor chooses by default: 9.0 (9.1 is accepted only pinned).
    assert _value(_one(_argvs(rec), "create-replication-group"), "--engine-version") == "9.0"
    pinned = _rec(book, "session_store", constraints={"engine_version": "8.1"})
    assert _value(_one(_argvs(pinned), "create-replication-group"), "--engine-version") == "8.1"
    typed = _one(_argvs(pinned, CommandSettings(engine_version="8.2")), "create-replication-group")
    assert _value(typed, "--engine-version") == "8.2"  # typed on the Commands page: wins over the pin


# ------------------------------------------------------------------------------------------ replication group


def test_replication_group_flags_for_a_single_shard_multi_az_group(book: PriceBook) -> None:
    rec = _rec(book, "session_store", auth="auth_token", customer_managed_kms_key=True,
               snapshot_retention_days=7)
    topo = rec.topology
    assert topo is not None and not topo.cluster_mode_enabled and topo.replicas_per_shard == 1
    argv = _one(_argvs(rec), "create-replication-group")
    assert argv[3:5] == ("--replication-group-id", "session-store")
    # The workload name as typed, then the advisor's mark.
    assert _value(argv, "--replication-group-description") == "Session store (ElastiCache advisor)"
    assert _value(argv, "--engine") == "valkey" and _value(argv, "--cache-node-type") == topo.node_type
    assert _value(argv, "--cluster-mode") == "disabled"
    assert _value(argv, "--num-cache-clusters") == "2"  # 1 primary + 1 replica
    assert "--num-node-groups" not in argv and "--cache-parameter-group-name" not in argv
    for flag in ("--automatic-failover-enabled", "--multi-az-enabled", "--transit-encryption-enabled",
                 "--at-rest-encryption-enabled"):
        assert flag in argv and f"--no-{flag[2:]}" not in argv
    assert "--data-tiering-enabled" not in argv
    assert _value(argv, "--kms-key-id") == "alias/my-elasticache-key"
    assert _value(argv, "--auth-token") == "$ELASTICACHE_AUTH_TOKEN" and "--user-group-ids" not in argv
    assert _value(argv, "--snapshot-retention-limit") == "7"
    assert _values(argv, "--security-group-ids") == ["sg-0123456789abcdef0"]
    assert _value(argv, "--cache-subnet-group-name") == "my-cache-subnet-group"
    assert argv[-2:] == ("--region", "us-east-1")


def test_replication_group_flags_without_availability_or_encryption(book: PriceBook) -> None:
    rec = _rec(book, "session_store", availability="none", encryption_in_transit=False,
               encryption_at_rest=False, auth="none", snapshot_retention_days=0)
    argv = _one(_argvs(rec), "create-replication-group")
    for flag in ("--automatic-failover-enabled", "--multi-az-enabled", "--transit-encryption-enabled",
                 "--at-rest-encryption-enabled"):
        assert f"--no-{flag[2:]}" in argv and flag not in argv
    assert _value(argv, "--num-cache-clusters") == "1"
    assert "--kms-key-id" not in argv and "--auth-token" not in argv and "--user-group-ids" not in argv
    assert _value(argv, "--snapshot-retention-limit") == "0"


def test_sharded_group_names_a_cluster_mode_parameter_group(book: PriceBook) -> None:
    rec = _rec(book, "multi_region_catalog")
    topo = rec.topology
    assert topo is not None and topo.cluster_mode_enabled
    [argv] = [a for a in _argvs(rec) if a[2] == "create-replication-group" and "--global-replication-group-id" not in a]
    assert _value(argv, "--cluster-mode") == "enabled"
    assert _value(argv, "--num-node-groups") == str(topo.shards)
    assert _value(argv, "--replicas-per-node-group") == str(topo.replicas_per_shard)
    assert "--num-cache-clusters" not in argv
    version = _value(argv, "--engine-version")
    assert _value(argv, "--cache-parameter-group-name") == f"default.valkey{version.split('.')[0]}.cluster.on"
    assert _value(argv, "--user-group-ids") == "my-user-group"


def test_data_tiering_flag_only_on_tiered_nodes(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 3000, "avg_reads_per_sec": 5000, "hot_set_percent": 10,
                                    "avg_value_bytes": 8000}), book)
    topo = rec.topology
    assert topo is not None and topo.data_tiering and ".r6gd." in topo.node_type
    assert "--data-tiering-enabled" in _one(_argvs(rec), "create-replication-group")


# ------------------------------------------------------------------------------------------ parameter group


def test_small_burstable_node_gets_its_parameter_group_before_the_cluster(book: PriceBook) -> None:
    rec = _rec(book, "dev_test", forced_deployment="provisioned", auth="none")
    topo = rec.topology
    assert topo is not None and topo.node_type == "cache.t4g.small"
    argvs = _argvs(rec)
    assert [a[2] for a in argvs] == ["create-cache-parameter-group", "modify-cache-parameter-group",
                                     "create-replication-group"]
    create, modify, cluster = argvs
    version = _value(cluster, "--engine-version")
    name = "dev-test-cache-params"  # the cluster id from "Dev test cache", then "-params"
    assert _value(create, "--cache-parameter-group-name") == _value(modify, "--cache-parameter-group-name") == name
    assert _value(create, "--cache-parameter-group-family") == f"valkey{version.split('.')[0]}"
    # AWS advises 30% reserved memory on small burstable nodes; its default groups keep 25%.
    assert _value(create, "--description") == "reserved-memory-percent 30 for cache.t4g.small (ElastiCache advisor)"
    assert _values(modify, "--parameter-name-values") == ["ParameterName=reserved-memory-percent,ParameterValue=30"]
    assert _value(cluster, "--cache-parameter-group-name") == name
    assert create[-2:] == modify[-2:] == ("--region", "us-east-1")
    purposes = [c.purpose for c in generate_commands(rec)]
    assert purposes[0] == (f"Create parameter group {name} (valkey{version.split('.')[0]}): "
                           "reserved-memory-percent 30 for cache.t4g.small (ElastiCache advisor)")
    assert purposes[1] == ("Set reserved-memory-percent=30 so the cluster keeps free the memory the plan kept free")


# ------------------------------------------------------------------------------------------ Memcached, Serverless


def test_memcached_cluster_flags(book: PriceBook) -> None:
    rec = _rec(book, "memcached_page_cache")
    topo = rec.topology
    assert topo is not None and topo.shards > 1
    argv = _one(_argvs(rec), "create-cache-cluster")
    assert _value(argv, "--engine") == "memcached" and _value(argv, "--engine-version") == "1.6.22"
    assert _value(argv, "--az-mode") == "cross-az"
    assert ("--transit-encryption-enabled" in argv) is rec.workload.encryption_in_transit
    single = recommend(parse_workload({"dataset_gb": 1, "avg_reads_per_sec": 1000, "forced_engine": "memcached",
                                       "availability": "none", "auth": "none", "snapshot_retention_days": 0,
                                       "features": ["simple_get_set"], "encryption_in_transit": False,
                                       "forced_deployment": "provisioned"}), book)
    assert single.topology is not None and single.topology.shards == 1
    one = _one(_argvs(single), "create-cache-cluster")
    assert "--az-mode" not in one and "--transit-encryption-enabled" not in one  # one node sits in one AZ
    assert _value(one, "--num-cache-nodes") == "1"


def test_serverless_limits_are_twice_the_plan_within_aws_bounds(book: PriceBook) -> None:
    rec = _rec(book, "dev_test")
    assert rec.deployment == "serverless"
    fit = rec.serverless_fit
    argv = _one(_argvs(rec), "create-serverless-cache")
    # 2x the stored GB and the peak ECPU/s, rounded down plus one; at least 1 GB and 1,000 ECPU/s (AWS minimums).
    gb = max(1, int(fit.stored_gb * 2) + 1)
    ecpu = max(1000, int(fit.ecpu.peak_per_second * 2) + 1)
    assert _value(argv, "--cache-usage-limits") == \
        f"DataStorage={{Maximum={gb},Unit=GB}},ECPUPerSecond={{Maximum={ecpu}}}"
    assert _value(argv, "--engine") == "valkey" and _value(argv, "--major-engine-version") == "8"
    assert _values(argv, "--subnet-ids") == ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
    assert _value(argv, "--user-group-id") == "my-user-group"
    assert argv[-2:] == ("--region", rec.workload.region)


def test_serverless_limits_between_the_bounds(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 20, "avg_reads_per_sec": 5000, "forced_deployment": "serverless",
                                    "customer_managed_kms_key": True}), book)
    fit = rec.serverless_fit
    gb, ecpu = int(fit.stored_gb * 2) + 1, int(fit.ecpu.peak_per_second * 2) + 1
    assert 1 < gb < 5000 and 1000 < ecpu < 15_000_000  # neither bound applies: 2x the plan, plus one
    argv = _one(_argvs(rec), "create-serverless-cache")
    assert _value(argv, "--cache-usage-limits") == \
        f"DataStorage={{Maximum={gb},Unit=GB}},ECPUPerSecond={{Maximum={ecpu}}}"
    assert _value(argv, "--kms-key-id") == "alias/my-elasticache-key"  # the customer managed key, on Serverless too


def test_serverless_caps_at_aws_maximums(book: PriceBook) -> None:
    rec = recommend(parse_workload({"dataset_gb": 3000, "avg_reads_per_sec": 5_000_000,
                                    "forced_deployment": "serverless", "traffic_shape": "spiky"}), book)
    if rec.deployment != "serverless":
        pytest.fail(f"expected a Serverless design: {rec.headline}")
    limits = _value(_one(_argvs(rec), "create-serverless-cache"), "--cache-usage-limits")
    # 3,000 GB x 2 = 6,000 GB > 5,000 GB; 5M reads/s peak at over 10M ECPU/s, x 2 > 15,000,000 ECPU/s: both
    # capped at CreateServerlessCache's maximums.
    assert rec.serverless_fit.stored_gb * 2 > 5000 and rec.serverless_fit.ecpu.peak_per_second * 2 > 15_000_000
    assert limits == "DataStorage={Maximum=5000,Unit=GB},ECPUPerSecond={Maximum=15000000}"


@pytest.mark.parametrize(("engine", "major"), [("redis", "7"), ("memcached", "1.6")])
def test_serverless_engine_and_major_version(book: PriceBook, engine: str, major: str) -> None:
    spec: dict[str, Any] = {"dataset_gb": 20, "avg_reads_per_sec": 5000, "forced_engine": engine,
                            "forced_deployment": "serverless", "auth": "rbac", "snapshot_retention_days": 3}
    if engine == "memcached":
        spec.update(availability="none", auth="none", features=["simple_get_set"])
    rec = recommend(parse_workload(spec), book)
    argvs = _argvs(rec)
    argv = _one(argvs, "create-serverless-cache")
    assert _value(argv, "--engine") == engine and _value(argv, "--major-engine-version") == major
    assert _value(argv, "--snapshot-retention-limit") == "3"
    if engine == "redis":  # RBAC users are created for Redis OSS with the redis engine
        assert [a[2] for a in argvs] == ["create-user", "create-user", "create-user-group", "create-serverless-cache"]
        assert {_value(a, "--engine") for a in argvs} == {"redis"}
    else:
        assert "--user-group-id" not in argv and len(argvs) == 1


def test_memcached_with_rbac_is_a_conflict_with_nothing_to_build(book: PriceBook) -> None:
    # Memcached has no RBAC users or user groups: the wish is a conflict, so no user, group or cache command.
    rec = recommend(parse_workload({"dataset_gb": 20, "avg_reads_per_sec": 5000, "forced_engine": "memcached",
                                    "forced_deployment": "serverless", "availability": "none", "auth": "rbac",
                                    "features": ["simple_get_set"]}), book)
    assert not rec.feasible and rec.ways_out and generate_commands(rec) == []


# ------------------------------------------------------------------------------------------ RBAC, global


@pytest.mark.parametrize(("engine", "user_engine"), [("valkey", "valkey"), ("redis", "redis")])
def test_rbac_users_carry_the_cluster_engine(book: PriceBook, engine: str, user_engine: str) -> None:
    # CreateUser / CreateUserGroup: "The options are valkey or redis", matching the cluster's engine.
    rec = _rec(book, "session_store", forced_engine=engine)
    argvs = _argvs(rec)
    users = [a for a in argvs if a[2] in ("create-user", "create-user-group")]
    assert len(users) == 3 and {_value(a, "--engine") for a in users} == {user_engine}
    default_user, app_user, group = users
    assert _value(default_user, "--access-string") == "off ~* -@all"
    assert _value(app_user, "--access-string") == "on ~* +@all -@dangerous"
    assert _value(app_user, "--user-id") == _value(app_user, "--user-name") == "session-store-app"
    assert _values(group, "--user-ids") == ["session-store-default-off", "session-store-app"]


def test_global_datastore_commands(book: PriceBook) -> None:
    rec = _rec(book, "multi_region_catalog")
    argvs = _argvs(rec, CommandSettings(cluster_id="catalog", description="Catalog"))
    create = _one(argvs, "create-global-replication-group")
    assert _value(create, "--global-replication-group-id-suffix") == "catalog"
    assert _value(create, "--primary-replication-group-id") == "catalog"
    assert _value(create, "--global-replication-group-description") == "Catalog (global)"
    assert _value(create, "--region") == "us-east-1"
    [secondary] = [a for a in argvs if "--global-replication-group-id" in a]
    assert _value(secondary, "--replication-group-id") == "catalog-eu-west-1"
    assert _value(secondary, "--replication-group-description") == "Catalog secondary in eu-west-1"
    assert _value(secondary, "--global-replication-group-id") == "$GLOBAL_DATASTORE_ID"
    assert _value(secondary, "--cache-subnet-group-name") == "my-cache-subnet-group"  # no Region-specific one given
    assert _values(secondary, "--security-group-ids") == ["sg-id-in-eu-west-1"]
    assert secondary[-2:] == ("--region", "eu-west-1")
    # Security groups belong to one Region's VPC: the secondary takes the ids given for its own Region.
    given = CommandSettings(cluster_id="catalog", secondary_subnet_groups={"eu-west-1": "eu-private"},
                            secondary_security_groups={"eu-west-1": ("sg-0eu1", "sg-0eu2")})
    [own] = [a for a in _argvs(rec, given) if "--global-replication-group-id" in a]
    assert _value(own, "--cache-subnet-group-name") == "eu-private"
    assert _values(own, "--security-group-ids") == ["sg-0eu1", "sg-0eu2"]
    # A 39-character id leaves no room for the Region: "<id>-eu-west-1" cut to 40 ends in the hyphen, which goes.
    [cut] = [a for a in _argvs(rec, CommandSettings(cluster_id="c" * 39)) if "--global-replication-group-id" in a]
    assert _value(cut, "--replication-group-id") == "c" * 39


def test_descriptions_are_cut_to_255_characters(book: PriceBook) -> None:
    rec = _rec(book, "multi_region_catalog")
    argvs = _argvs(rec, CommandSettings(description="d" * 300))
    create = _one(argvs, "create-global-replication-group")
    assert _value(create, "--global-replication-group-description") == "d" * 255
    [secondary] = [a for a in argvs if "--global-replication-group-id" in a]
    assert _value(secondary, "--replication-group-description") == "d" * 255


def test_an_infeasible_recommendation_has_no_commands(book: PriceBook) -> None:
    rec = recommend(load_workload("examples/conflicts/six_replicas.yaml"), book)
    assert not rec.feasible and generate_commands(rec) == []


# ------------------------------------------------------------------------------------------ shell text


def test_render_puts_one_flag_per_line_and_keeps_env_references_expandable() -> None:
    command = Command("p", ("aws", "elasticache", "create-user", "--user-id", "a b", "--passwords",
                            EnvRef("APP_PW"), "--no-password-required", "--user-ids", "u1", "u2"))
    assert command.render() == ("aws elasticache create-user \\\n  --user-id 'a b' \\\n"
                                '  --passwords "${APP_PW}" \\\n  --no-password-required \\\n  --user-ids u1 u2')
    assert command.resolved({"APP_PW": "secret-from-env"}) == [
        "aws", "elasticache", "create-user", "--user-id", "a b", "--passwords", "secret-from-env",
        "--no-password-required", "--user-ids", "u1", "u2"]
    assert str(EnvRef("X")) == "$X"


def test_a_customer_managed_key_only_with_encryption_at_rest(book: PriceBook) -> None:
    # At-rest encryption with AWS's own key: no --kms-key-id (it names the customer managed key only).
    argv = _one(_argvs(_rec(book, "session_store")), "create-replication-group")
    assert "--at-rest-encryption-enabled" in argv and "--kms-key-id" not in argv


def test_purposes_say_what_each_command_does(book: PriceBook) -> None:
    # The Commands page shows each purpose above its command: the words a user reads before running it.
    rbac = generate_commands(_rec(book, "session_store"))
    assert [c.purpose for c in rbac] == [
        "Create the group's required 'default' user, switched off",
        "Create the application user (password from $ELASTICACHE_APP_PASSWORD; IAM users use a token instead)",
        "Create the user group the cluster attaches",
        "Create the Valkey replication group: 1 shard x (1 primary + 1 replica) of cache.m6g.large, cluster mode "
        "disabled, 2 nodes",
        "Find the 1-year All Upfront offering for cache.m6g.large (export its ReservedCacheNodesOfferingId as "
        "RESERVED_OFFERING_ID)",
        "Buy 2 reserved nodes (billing only: applies to matching running nodes)",
    ]
    iam = generate_commands(_rec(book, "session_store", auth="iam"))
    assert iam[1].purpose == "Create the application user (IAM authentication, no password)"
    serverless = generate_commands(_rec(book, "dev_test", auth="none"))
    assert [c.purpose for c in serverless] == [
        "Create the Valkey Serverless cache (limits at 2x the planned peak)"]
    memcached = generate_commands(_rec(book, "memcached_page_cache"))
    assert memcached[0].purpose == ("Create the Memcached cluster: 3 independent nodes of cache.m7g.xlarge (the "
                                    "client spreads keys over them)")
    glob = generate_commands(_rec(book, "multi_region_catalog"))
    assert [c.purpose for c in glob if "global" in str(c.argv[2]) or "--global-replication-group-id" in c.argv] == [
        "Turn the primary replication group into a Global Datastore (AWS prefixes the id; export the full "
        "GlobalReplicationGroupId from the output as GLOBAL_DATASTORE_ID)",
        "Add the secondary cluster in eu-west-1 (inherits node type, engine, version, shards and encryption)"]
